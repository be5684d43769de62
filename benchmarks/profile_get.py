"""Where one typed ``deployment.triggers.get(...)`` spends its time, layer by layer.

    python benchmarks/profile_get.py [--calls 3000]

Runs the call against the benchmark server (its own process) under cProfile and adds up
each function's own time by the package it belongs to.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).parent))
import server
from contenders import TRIGGER, typed_triggers

LAYERS = (
    ("abeja_models", "abeja_models"),
    ("pydantic", "pydantic"),
    ("requests", "requests"),
    ("urllib3", "urllib3"),
    ("http.client + email", ("http/client.py", "email/")),
    ("socket", ("socket.py", "'_socket.socket'")),
)


def layer_of(filename: str, function: str) -> str:
    where = f"{filename} {function}"
    for name, markers in LAYERS:
        if any(marker in where for marker in ((markers,) if isinstance(markers, str) else markers)):
            return name
    return "other (stdlib, builtins)"


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=3000)
    args = parser.parse_args(argv)

    url, serving = server.start()
    triggers = typed_triggers(url)
    for _ in range(200):
        triggers.get(TRIGGER)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.calls):
        triggers.get(TRIGGER)
    profile.disable()
    serving.kill()
    serving.wait()

    totals: dict[str, float] = {}
    stats: Any = pstats.Stats(profile).stats
    for (filename, _, function), (_, _, own, _, _) in stats.items():
        layer = layer_of(filename, function)
        totals[layer] = totals.get(layer, 0.0) + own
    whole = sum(totals.values())
    print(f"{args.calls} typed gets under cProfile: {whole / args.calls * 1e6:.0f} us per call")
    for layer, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        share = seconds / whole * 100
        print(f"  {layer:28s} {seconds / args.calls * 1e6:7.1f} us  {share:5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
