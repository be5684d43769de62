"""Where a page of typed runs spends its time, and what the cyclic collector does meanwhile.

    python benchmarks/profile_page.py [--pages 300]

Against the benchmark server (its own process), in this process alone (no turns): the
median and mean time of a typed page through ``triggers.runs()``, then its parts on the
same bytes (pydantic-core's parse, the validation of each run as it is handed over), and
the collector's collections per generation, counted with ``gc.callbacks`` (only watched,
never paused). The last line does the same for the design ``runs()`` left: the whole page
validated into models at once, then handed over.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from itertools import repeat
from pathlib import Path
from typing import Any, Callable, Optional

sys.path.insert(0, str(Path(__file__).parent))
import server
from contenders import PAGE_SIZE, typed_runs


class Collections:
    """The collector's collections per generation while in use (``with``)."""

    def __init__(self) -> None:
        self.counts = [0, 0, 0]

    def _count(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "stop":
            self.counts[info["generation"]] += 1

    def __enter__(self) -> Collections:
        gc.callbacks.append(self._count)
        return self

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self._count)


def timed(label: str, page: Callable[[], object], pages: int) -> None:
    """Run ``page`` ``pages`` times; print its median and mean and the collections."""
    seconds = []
    with Collections() as collections:
        for _ in range(pages):
            started = time.perf_counter()
            page()
            seconds.append(time.perf_counter() - started)
    young, middle, full = collections.counts
    print(
        f"  {label:44s} median {statistics.median(seconds) * 1e3:6.2f} ms"
        f"  mean {statistics.mean(seconds) * 1e3:6.2f} ms"
        f"  collections {young}/{middle}/{full}"
    )


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args(argv)

    from pydantic_core import from_json

    from abeja_models import TriggerRun
    from abeja_models.models.trigger import TriggerRunPage

    url, serving = server.start()
    try:
        typed_page = typed_runs(url, PAGE_SIZE)  # the benchmark's own turn: one page
        body = server.run_pages(server.documents()[1])[0]
        TriggerRunPage.model_rebuild()
        validate_run = TriggerRun.__pydantic_validator__.validate_python
        validate_page = TriggerRunPage.__pydantic_validator__.validate_json

        def parse() -> list[Any]:
            entries: list[Any] = from_json(body, cache_strings="keys")["entries"]
            return entries

        def hand_over(entries: list[Any]) -> None:
            entries.reverse()
            for _ in map(validate_run, map(entries.pop, repeat(-1, len(entries)))):
                pass

        def whole_page_at_once() -> None:
            models = list(validate_page(body).entries)
            models.reverse()
            for _ in map(models.pop, repeat(-1, len(models))):
                pass

        for _ in range(20):  # connections open, schemas built
            typed_page()
        print(f"{args.pages} pages of {PAGE_SIZE:,} runs; collections: young/middle/full")
        timed("typed page through triggers.runs()", typed_page, args.pages)
        timed("  its parse (pydantic_core.from_json)", parse, args.pages)
        timed("  its parse, then each run validated", lambda: hand_over(parse()), args.pages)
        timed("not kept: the whole page validated at once", whole_page_at_once, args.pages)
    finally:
        serving.kill()
        serving.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
