"""Benchmarks: abeja-models against bare requests, requests' ceiling, http.client and abeja-sdk.

    python benchmarks/run.py [--repetitions 5] [--rounds 150] [--gets-per-turn 20]
                             [--abeja-sdk-python PATH] [--quick]

Made to be trusted on a shared, noisy machine. Every contender (benchmarks/contenders.py)
runs in a long-lived worker process of its own, and all talk to one keep-alive server on
127.0.0.1 in another process (benchmarks/server.py). The workers take turns: one at a time,
each told to do one small turn (20 gets, or one page of 1,000 runs), in rotation, so that
whatever else the machine is doing falls on every contender alike. A repetition is many
rounds of turns; each contender's figure for a repetition is the median of its turns. The
report gives, per contender and per ratio, the median over the repetitions and their spread
(lowest to highest), a ratio being taken within each repetition, where both sides saw the
same noise; the paging ratio is also given over the whole time of each repetition, which
keeps the collector's pauses that the median round leaves out. ``abeja-sdk`` (the
platform's SDK) runs from its own virtual environment: pass its python with
``--abeja-sdk-python`` or ``ABEJA_SDK_PYTHON``; without it, its rows say not measured.
Exit status: 0 when every target is met, 1 when one is missed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import selectors
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

import contenders
import server

HERE = Path(__file__).resolve().parent
Turns = dict[str, list[list[float]]]  # contender: repetition: the turns' seconds per operation
TURN_TIMEOUT = 120.0  # seconds; a turn takes milliseconds, so this only ends a stuck worker
START_TIMEOUT = 300.0

LABELS = {
    "typed-get": "typed `deployment.triggers.get`",
    "requests": "bare `requests.Session().get(url).json()`, as users leave it",
    "requests-no-env": "bare requests with `session.trust_env = False`",
    "ceiling": "requests' ceiling: `Session.send`, settings merged once, pool remembered",
    "http.client": "raw `http.client`, one keep-alive connection (the floor)",
    "abeja-sdk-get": "abeja-sdk `APIClient.get_trigger`",
    "typed-runs": "typed `triggers.runs()`, 100,000 runs in pages of 1,000",
    "abeja-sdk-runs": "abeja-sdk `get_trigger_runs` and a loop over each page's dicts",
}
SDK_CONTENDERS = ("abeja-sdk-get", "abeja-sdk-runs")
# (label, faster side, slower side, target): "a / b" is how many times faster a is than b.
# A label ending in TOTAL compares the whole time of each repetition instead of its
# median round (see _total).
TOTAL = ", whole time (collector pauses included)"
RATIOS: list[tuple[str, str, str, Optional[float]]] = [
    ("typed get / bare requests, as users leave it", "typed-get", "requests", 2.1),
    ("typed get / bare requests, `trust_env = False`", "typed-get", "requests-no-env", None),
    ("typed get / requests' ceiling", "typed-get", "ceiling", None),
    ("typed get / raw http.client", "typed-get", "http.client", None),
    ("typed get / abeja-sdk `get_trigger`", "typed-get", "abeja-sdk-get", 3.0),
    ("requests' ceiling / bare requests, as users leave it", "ceiling", "requests", None),
    ("requests' ceiling / bare requests, `trust_env = False`", "ceiling", "requests-no-env",
     None),
    ("typed paging / abeja-sdk dict loop", "typed-runs", "abeja-sdk-runs", 1.0),
    ("typed paging / abeja-sdk dict loop" + TOTAL, "typed-runs", "abeja-sdk-runs", None),
]  # fmt: skip
MEMORY_LIMIT_MIB = 20.0
IMPORTS = [
    "import pydantic, requests",
    "import abeja_models",
    "from abeja_models import Client, Trigger",
]
IMPORT_LIMIT = 1.3  # `import abeja_models` against `import pydantic, requests`


class Worker:
    """One contender's process, spoken to one JSON line at a time."""

    def __init__(self, name: str, python: str, url: str, per_turn: int) -> None:
        self.name = name
        env = {**os.environ, "ABEJA_API_URL": url, "PLATFORM_AUTH_TOKEN": contenders.TOKEN}
        self.process = subprocess.Popen(
            [python, str(HERE / "contenders.py"), name, url, str(per_turn)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.process.stdout, selectors.EVENT_READ)  # type: ignore[arg-type]

    def ask(self, command: Optional[str], timeout: float = TURN_TIMEOUT) -> dict[str, Any]:
        """Send ``command`` (none: only read) and return the answer."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        if command is not None:
            self.process.stdin.write(command + "\n")
            self.process.stdin.flush()
        # One command, one line: once the pipe is readable, readline returns without waiting.
        line = self.process.stdout.readline() if self.selector.select(timeout) else ""
        if not line:
            self.close()
            raise RuntimeError(
                f"worker {self.name} did not answer {command or 'ready'!r}"
                f" (exit status {self.process.returncode})"
            )
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.communicate("quit\n", timeout=10)
            except (subprocess.TimeoutExpired, OSError, ValueError):
                self.process.kill()
                self.process.wait()
        self.selector.close()


def measure(workers: dict[str, Worker], repetitions: int, rounds: int) -> Turns:
    """Per contender and repetition, the seconds per operation of each turn, round by round."""
    names = list(workers)
    turns: Turns = {name: [] for name in names}
    for _ in range(repetitions):
        for name in names:
            turns[name].append([])
        for number in range(rounds):
            start = number % len(names)  # the order rotates, so no one always follows another
            for name in names[start:] + names[:start]:
                answer = workers[name].ask("turn")
                turns[name][-1].append(answer["seconds"] / answer["operations"])
    return turns


def import_times(repeats: int) -> dict[str, float]:
    """Median milliseconds of each import inside a fresh interpreter, taking turns."""
    samples: dict[str, list[float]] = {statement: [] for statement in IMPORTS}
    for _ in range(repeats):
        for statement in IMPORTS:
            timed = (
                "import time; started = time.perf_counter(); "
                f"{statement}; print(time.perf_counter() - started)"
            )
            done = subprocess.run(
                [sys.executable, "-c", timed],
                check=True,
                capture_output=True,
                text=True,
                timeout=120,
            )
            samples[statement].append(float(done.stdout) * 1000)
    return {statement: statistics.median(times) for statement, times in samples.items()}


def _spread(values: list[float], scale: float, digits: int) -> tuple[str, str]:
    """The median of ``values`` and their range, scaled and shown with ``digits`` decimals."""
    low, middle, high = (
        f"{v * scale:,.{digits}f}" for v in (min(values), statistics.median(values), max(values))
    )
    return middle, f"{low} to {high}" if len(values) > 1 else ""


def _paired(fast: list[float], slow: list[float]) -> float:
    """How many times faster ``fast`` is, the median of the ratios of the turns of each round.

    The two turns of a round are milliseconds apart, so they met the same load; a ratio
    per round cancels what a ratio of two medians over a whole repetition would not.
    """
    return statistics.median(b / a for a, b in zip(fast, slow))


def _total(fast: list[float], slow: list[float]) -> float:
    """How many times faster ``fast`` is over the whole repetition, in total time (every
    turn of a paging contender is one page of the same size).

    The cyclic collector's full collections come every few pages, so the median round
    leaves them out for both sides; a change that made the usual page cheaper by making
    such pauses more frequent would gain in the median and lose here, in what a user
    iterating over every run waits for.
    """
    return sum(slow) / sum(fast)


def report(turns: Turns, peak: int, imports: dict[str, float], header: list[str]) -> int:
    """Print the tables; the number of targets missed."""
    print("\n".join(header))
    print("\n| contender | median per operation | spread | operations/s |\n|---|---|---|---|")
    for name, label in LABELS.items():
        unit = "get" if contenders.CONTENDERS[name][1] == "get" else "run"
        if name not in turns:
            print(f"| {label} | not measured: pass --abeja-sdk-python | | |")
            continue
        medians = [statistics.median(repetition) for repetition in turns[name]]
        median, spread = _spread(medians, 1e6, 2 if unit == "run" else 1)
        rate = 1 / statistics.median(medians)
        print(f"| {label} | {median} µs a {unit} | {spread} µs | {rate:,.0f} |")

    missed = 0
    print("\n| ratio (times faster) | median | spread | target |\n|---|---|---|---|")
    for label, fast, slow, target in RATIOS:
        if fast not in turns or slow not in turns:
            print(f"| {label} | not measured | | {f'>= {target}x' if target else ''} |")
            continue
        ratio_of = _total if label.endswith(TOTAL) else _paired
        ratios = [ratio_of(*repetition) for repetition in zip(turns[fast], turns[slow])]
        median, spread = _spread(ratios, 1, 2)
        verdict = ""
        if target is not None:
            met = statistics.median(ratios) >= target
            missed += not met
            verdict = f">= {target}x: {'met' if met else 'MISSED'}"
        print(f"| {label} | {median}x | {spread}x | {verdict} |")

    mib = peak / 2**20
    missed += mib >= MEMORY_LIMIT_MIB
    print(
        f"\nPeak traced memory of a typed iteration over {contenders.TOTAL_RUNS:,} runs:"
        f" {mib:.1f} MiB (target < {MEMORY_LIMIT_MIB:.0f} MiB:"
        f" {'met' if mib < MEMORY_LIMIT_MIB else 'MISSED'})"
    )

    print("\n| import, in a fresh interpreter | median | against the first |\n|---|---|---|")
    baseline = imports[IMPORTS[0]]
    for statement, ms in imports.items():
        print(f"| `{statement}` | {ms:.1f} ms | {ms / baseline:.2f}x |")
    light = imports["import abeja_models"] / baseline <= IMPORT_LIMIT
    missed += not light
    print(
        f"\n`import abeja_models` <= {IMPORT_LIMIT}x `import pydantic, requests`:"
        f" {'met' if light else 'MISSED'}"
    )
    return missed


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repetitions", type=int, default=5, help="repetitions (default 5)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=150,
        help="rounds per repetition, each a turn of every contender (150)",
    )
    parser.add_argument("--gets-per-turn", type=int, default=20, help="gets in a turn (20)")
    parser.add_argument(
        "--abeja-sdk-python",
        default=os.environ.get("ABEJA_SDK_PYTHON"),
        help="python of a venv with abeja-sdk installed (default: $ABEJA_SDK_PYTHON)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="2 repetitions of 5 rounds: a check that it all runs, not figures",
    )
    args = parser.parse_args(argv)
    repetitions, rounds = (2, 5) if args.quick else (args.repetitions, args.rounds)
    if min(repetitions, rounds, args.gets_per_turn) < 1:
        parser.error("--repetitions, --rounds and --gets-per-turn must be at least 1")
    sdk = args.abeja_sdk_python
    if sdk and not os.path.exists(sdk):
        parser.error(f"--abeja-sdk-python: no such file: {sdk}")

    url, serving = server.start()
    workers: dict[str, Worker] = {}
    try:
        for name in LABELS:
            python = sdk if name in SDK_CONTENDERS else sys.executable
            if python:
                workers[name] = Worker(name, python, url, args.gets_per_turn)
        versions: dict[str, str] = {}
        for worker in workers.values():
            versions.update(worker.ask(None, START_TIMEOUT)["ready"])
        turns = measure(workers, repetitions, rounds)
        peak = workers["typed-runs"].ask("memory")["peak"]
    finally:
        for worker in workers.values():
            worker.close()
        serving.kill()
        serving.wait()
    imports = import_times(2 if args.quick else 9)

    header = [
        f"abeja-models benchmark, {datetime.date.today().isoformat()}:"
        f" {platform.python_implementation()} {platform.python_version()},"
        f" {platform.machine()}, {os.cpu_count()} cores;"
        f" {', '.join(f'{name} {version}' for name, version in versions.items())}",
        f"{repetitions} repetitions of {rounds} rounds; in a round each contender takes one"
        f" turn ({args.gets_per_turn} gets, or one page of {contenders.PAGE_SIZE:,} runs),"
        " in rotation. Per repetition: each contender's median turn, each ratio's median"
        " round; below, the median over the repetitions and their spread, lowest to highest",
    ]
    return 1 if report(turns, peak, imports, header) else 0


if __name__ == "__main__":
    sys.exit(main())
