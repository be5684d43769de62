"""Benchmarks: abeja-models against bare requests, raw http.client and the platform's SDK.

    python benchmarks/run.py [--rounds 5] [--abeja-sdk-python PATH] [--quick]

Every contender talks to the same keep-alive HTTP/1.1 server on 127.0.0.1, run in a
process of its own so that no contender shares a GIL with it. Contenders alternate
round by round and the medians are reported, with each target as a ratio from this
same run. ``abeja-sdk`` (the platform's SDK) runs from its own virtual environment:
pass its python with ``--abeja-sdk-python`` or ``ABEJA_SDK_PYTHON``; without it, those
rows are reported as not measured.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any, Optional

from abeja_models.testing import samples

ORG, DEPLOYMENT, TRIGGER = "1234567890123", "1111111111111", "tri-3333333333333333"
TRIGGER_PATH = f"/organizations/{ORG}/deployments/{DEPLOYMENT}/triggers/{TRIGGER}"
RUNS_PATH = TRIGGER_PATH + "/runs"
TOTAL_RUNS, PAGE_SIZE = 100_000, 1_000
TOKEN = "benchmark-token"

TRIGGER_DOC = samples.get_trigger()  # ORG, DEPLOYMENT and TRIGGER are the documents' ids
_RUN_DOC = samples.get_trigger_runs()["entries"][0]


def run_document(index: int) -> dict[str, Any]:
    """One documented TriggerRun, made unique by its index."""
    stamp = f"2019-01-01T00:{index // 3600 % 60:02d}:{index % 60:02d}.{index % 1_000_000:06d}Z"
    return {
        **_RUN_DOC,
        "created_at": stamp,
        "input_data": {"$datalake:1": f"2222222222222/20190101T000000-{index:012d}"},
        "modified_at": stamp,
        "run_id": f"run-{index:016d}",
    }


def run_pages() -> list[bytes]:
    """The 100 pages of 1,000 runs, serialised once."""
    pages = []
    for number in range(TOTAL_RUNS // PAGE_SIZE):
        entries = [run_document(number * PAGE_SIZE + i) for i in range(PAGE_SIZE)]
        last = number == TOTAL_RUNS // PAGE_SIZE - 1
        pages.append(
            json.dumps({"entries": entries, "next_page_token": None if last else str(number + 1)})
            .encode()
        )
    return pages


# -- the server -------------------------------------------------------------------------


def _answer(body: bytes) -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def _serve_connection(conn: socket.socket, routes: Callable[[str], bytes]) -> None:
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buffer = b""
    with conn:
        while True:
            data = conn.recv(65536)
            if not data:
                return
            buffer += data
            while b"\r\n\r\n" in buffer:
                head, buffer = buffer.split(b"\r\n\r\n", 1)
                target = head.split(b" ", 2)[1].decode()
                conn.sendall(routes(target))


def serve(port_queue: Any) -> None:
    """A minimal keep-alive server of the two endpoints measured (GET only, no bodies)."""
    trigger = _answer(json.dumps(TRIGGER_DOC).encode())
    pages = [_answer(page) for page in run_pages()]
    missing = b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}"

    def routes(target: str) -> bytes:
        path, _, query = target.partition("?")
        if path == TRIGGER_PATH:
            return trigger
        if path == RUNS_PATH:
            params = dict(part.split("=", 1) for part in query.split("&") if "=" in part)
            return pages[int(params.get("next_page_token", "0"))]
        return missing

    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port_queue.put(listener.getsockname()[1])
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=_serve_connection, args=(conn, routes), daemon=True).start()


# -- contenders -------------------------------------------------------------------------


def calls_per_second(call: Callable[[], object], count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        call()
    return count / (time.perf_counter() - started)


ABEJA_SDK_SCRIPT = f"""
import json, sys, time
from abeja.triggers import APIClient
mode, count = sys.argv[1], int(sys.argv[2])
client = APIClient()
args = ({ORG!r}, {DEPLOYMENT!r}, {TRIGGER!r})
if mode == "get":
    client.get_trigger(*args)
    started = time.perf_counter()
    for _ in range(count):
        client.get_trigger(*args)
    print(json.dumps(count / (time.perf_counter() - started)))
else:
    started = time.perf_counter()
    seen, token = 0, None
    while True:
        page = client.get_trigger_runs(*args, next_page_token=token)
        for run in page["entries"]:
            seen += 1
        token = page.get("next_page_token")
        if not token:
            break
    assert seen == {TOTAL_RUNS}, seen
    print(json.dumps(seen / (time.perf_counter() - started)))
"""


def abeja_sdk(python: str, url: str, mode: str, count: int) -> float:
    env = {**os.environ, "ABEJA_API_URL": url, "PLATFORM_AUTH_TOKEN": TOKEN}
    out = subprocess.run(
        [python, "-c", ABEJA_SDK_SCRIPT, mode, str(count)],
        env=env, check=True, capture_output=True, text=True, timeout=600,
    )
    return float(json.loads(out.stdout))


def import_seconds(statement: str) -> float:
    """How long ``statement`` takes in a fresh interpreter, startup left out."""
    timed = (
        "import time; started = time.perf_counter(); "
        f"{statement}; print(time.perf_counter() - started)"
    )
    done = subprocess.run([sys.executable, "-c", timed], check=True, capture_output=True,
                          text=True, timeout=120)
    return float(done.stdout)


# -- the run ----------------------------------------------------------------------------


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds per figure (median)")
    parser.add_argument("--calls", type=int, default=2000, help="calls per round for gets")
    parser.add_argument(
        "--abeja-sdk-python", default=os.environ.get("ABEJA_SDK_PYTHON"),
        help="python of a venv with abeja-sdk installed (default: $ABEJA_SDK_PYTHON)",
    )
    parser.add_argument("--quick", action="store_true", help="fewer rounds, for CI")
    args = parser.parse_args(argv)
    rounds, calls = (3, 500) if args.quick else (args.rounds, args.calls)

    import http.client

    import requests

    from abeja_models import Client
    from abeja_models.models.trigger import TriggerRunPage
    from abeja_models.triggers import APIClient

    ports: Any = multiprocessing.get_context("spawn").Queue()
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(ports,), daemon=True)
    server.start()
    port = ports.get(timeout=60)
    url = f"http://127.0.0.1:{port}"
    sdk_python = args.abeja_sdk_python if args.abeja_sdk_python and os.path.exists(
        args.abeja_sdk_python) else None

    client = Client(base_url=url, auth_token=TOKEN)
    triggers = client.organization(ORG).deployment(DEPLOYMENT).triggers
    low_level = APIClient({"auth_token": TOKEN}, base_url=url)
    session = requests.Session()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    raw = http.client.HTTPConnection("127.0.0.1", port)

    def raw_get() -> object:
        raw.request("GET", TRIGGER_PATH, headers=auth)
        return json.loads(raw.getresponse().read())

    get_contenders: dict[str, Callable[[], object]] = {
        "typed  deployment.triggers.get": lambda: triggers.get(TRIGGER),
        "low    APIClient.get_trigger": lambda: low_level.get_trigger(ORG, DEPLOYMENT, TRIGGER),
        "bare   requests.Session().get().json()": lambda: session.get(
            url + TRIGGER_PATH, headers=auth).json(),
        "floor  http.client keep-alive loop": raw_get,
    }
    for call in get_contenders.values():  # warm up connections and lazy schema builds
        for _ in range(50):
            call()

    get_rates: dict[str, list[float]] = {name: [] for name in get_contenders}
    get_rates["abeja-sdk get_trigger"] = []
    iteration: dict[str, list[float]] = {"typed  trigger.runs()": [], "abeja-sdk dict loop": []}
    for _ in range(rounds):
        for name, call in get_contenders.items():
            get_rates[name].append(calls_per_second(call, calls))
        if sdk_python:
            get_rates["abeja-sdk get_trigger"].append(
                abeja_sdk(sdk_python, url, "get", max(100, calls // 4)))
        iteration["typed  trigger.runs()"].append(_typed_iteration(triggers))
        if sdk_python:
            iteration["abeja-sdk dict loop"].append(abeja_sdk(sdk_python, url, "runs", 0))

    peak = _peak_memory(triggers)
    page = run_pages()[0]
    validation = _validation_rates(page, TriggerRunPage, rounds)
    imports = _import_ratios(max(5, rounds * 2))
    server.terminate()

    medians = {name: statistics.median(v) for name, v in get_rates.items() if v}
    runs = {name: statistics.median(v) for name, v in iteration.items() if v}
    typed = medians["typed  deployment.triggers.get"]
    print(f"abeja-models benchmarks: {platform.python_implementation()} {platform.python_version()}"
          f", {platform.machine()}, {os.cpu_count()} cores, {rounds} rounds, medians")
    print("\nGET one trigger (calls/s)")
    for name, rate in medians.items():
        print(f"  {name:42s} {rate:9.0f}   typed is {typed / rate:5.2f}x")
    print(f"\nIterating {TOTAL_RUNS:,} runs in pages of {PAGE_SIZE:,} (runs/s)")
    for name, rate in runs.items():
        print(f"  {name:42s} {rate:9.0f}")
    print(f"  peak traced memory, typed iteration      {peak / 2**20:9.2f} MiB")
    print("\nValidating a page of 1,000 TriggerRun documents (documents/s)")
    for name, rate in validation.items():
        print(f"  {name:42s} {rate:9.0f}")
    print("\nImport time (ms, median, timed inside a fresh interpreter)")
    baseline = imports["import pydantic, requests"]
    for name, ms in imports.items():
        print(f"  {name:42s} {ms:9.1f}   {ms / baseline:5.2f}x the first")

    floor_ratio = typed / medians["floor  http.client keep-alive loop"]
    targets = [
        ("typed get >= 1.8x bare requests.Session", typed / medians[
            "bare   requests.Session().get().json()"], 1.8),
        ("peak memory streaming 100k runs < 20 MiB", 20 - peak / 2**20, 0.0),
        ("import abeja_models <= 1.3x pydantic+requests", 1.3 - imports[
            "import abeja_models"] / imports["import pydantic, requests"], 0.0),
    ]
    if "abeja-sdk get_trigger" in medians:
        targets.insert(1, ("typed get >= 2.5x abeja-sdk", typed / medians["abeja-sdk get_trigger"],
                           2.5))
        targets.insert(2, ("typed iteration >= 1.0x abeja-sdk dict loop", runs[
            "typed  trigger.runs()"] / runs["abeja-sdk dict loop"], 1.0))
    print("\nTargets")
    failed = 0
    for label, value, threshold in targets:
        ok = value >= threshold
        failed += not ok
        shown = f"{value:.2f}" if threshold else ("yes" if ok else "no")
        print(f"  {'PASS' if ok else 'FAIL'}  {label:48s} {shown}")
    reached = "reached" if floor_ratio >= 0.4 else "below"
    print(f"  aim   {'typed get vs raw http.client (aim: 0.4x)':48s} {floor_ratio:.2f} {reached}")
    if not sdk_python:
        print("  n/a   abeja-sdk rows: pass --abeja-sdk-python (a venv with abeja-sdk)")
    return 1 if failed else 0


def _typed_iteration(triggers: Any) -> float:
    started = time.perf_counter()
    seen = sum(1 for _ in triggers.runs(TRIGGER))
    assert seen == TOTAL_RUNS, seen
    return seen / (time.perf_counter() - started)


def _peak_memory(triggers: Any) -> int:
    tracemalloc.start()
    iterator: Iterator[Any] = triggers.runs(TRIGGER)
    for _ in iterator:
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def _validation_rates(page: bytes, page_type: Any, rounds: int) -> dict[str, float]:
    rates: dict[str, list[float]] = {"TriggerRunPage.model_validate_json": [],
                                     "json.loads alone": []}
    for _ in range(rounds):
        for name, parse in (("TriggerRunPage.model_validate_json", page_type.model_validate_json),
                            ("json.loads alone", json.loads)):
            started = time.perf_counter()
            for _ in range(20):
                parse(page)
            rates[name].append(20 * PAGE_SIZE / (time.perf_counter() - started))
    return {name: statistics.median(values) for name, values in rates.items()}


def _import_ratios(repeats: int) -> dict[str, float]:
    """Median milliseconds of each import, the statements alternating in every round."""
    statements = [
        "import pydantic, requests",
        "import abeja_models",
        "from abeja_models import Client, Trigger",
    ]
    samples: dict[str, list[float]] = {statement: [] for statement in statements}
    for _ in range(repeats):
        for statement in statements:
            samples[statement].append(import_seconds(statement))
    return {statement: statistics.median(times) * 1000 for statement, times in samples.items()}


if __name__ == "__main__":
    sys.exit(main())
