"""The benchmark's server: keep-alive HTTP/1.1 on 127.0.0.1, fixed answers, little work.

    python benchmarks/server.py        # prints its port, serves until its stdin closes

It answers the two calls measured, a trigger and its pages of runs, from bytes made once,
so that the clients, not the server, are what a benchmark measures. It runs in a process of
its own (no client shares a GIL with it) and ends when the process that started it closes
its stdin, or dies.
"""

from __future__ import annotations

import json
import os
import selectors
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Callable

from contenders import DEPLOYMENT, ORG, PAGE_SIZE, RUNS_PATH, TOTAL_RUNS, TRIGGER, TRIGGER_PATH

SEND_TIMEOUT = 30.0  # seconds


def documents() -> tuple[dict[str, Any], dict[str, Any]]:
    """The documented trigger and run the server answers with (as in the reference)."""
    from abeja_models.testing import samples

    trigger, run = samples.get_trigger(), samples.get_trigger_runs()["entries"][0]
    assert (trigger["organization_id"], trigger["deployment_id"], trigger["trigger_id"]) == (
        ORG, DEPLOYMENT, TRIGGER,
    )  # fmt: skip
    return trigger, run


def run_document(run: dict[str, Any], index: int) -> dict[str, Any]:
    """The documented TriggerRun ``run``, made unique by its index."""
    stamp = f"2019-01-01T00:{index // 3600 % 60:02d}:{index % 60:02d}.{index % 1_000_000:06d}Z"
    return {
        **run,
        "created_at": stamp,
        "input_data": {"$datalake:1": f"2222222222222/20190101T000000-{index:012d}"},
        "modified_at": stamp,
        "run_id": f"run-{index:016d}",
    }


def run_pages(run: dict[str, Any]) -> list[bytes]:
    """The pages of ``TOTAL_RUNS`` runs, ``PAGE_SIZE`` a page, serialised once."""
    pages = []
    count = TOTAL_RUNS // PAGE_SIZE
    for number in range(count):
        entries = [run_document(run, number * PAGE_SIZE + i) for i in range(PAGE_SIZE)]
        token = None if number == count - 1 else str(number + 1)
        pages.append(json.dumps({"entries": entries, "next_page_token": token}).encode())
    return pages


def _answer(body: bytes) -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def routes() -> Callable[[str], bytes]:
    """The answer to each request target, every answer built once, here."""
    trigger_doc, run = documents()
    trigger = _answer(json.dumps(trigger_doc).encode())
    pages = [_answer(page) for page in run_pages(run)]
    missing = b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}"

    def route(target: str) -> bytes:
        path, _, query = target.partition("?")
        if path == TRIGGER_PATH:
            return trigger
        if path == RUNS_PATH:
            params = dict(part.split("=", 1) for part in query.split("&") if "=" in part)
            return pages[int(params.get("next_page_token", "0"))]
        return missing

    return route


def serve(listener: socket.socket, route: Callable[[str], bytes]) -> None:
    """Answer on ``listener`` until the process ends: one thread, every connection on one selector.

    No thread is started per connection (the platform's SDK opens a connection a call), so
    what a new connection costs is the client's. Only one client works at a time, so an
    answer is sent whole before the next request is read; a client that stops reading for
    ``SEND_TIMEOUT`` seconds loses its connection.
    """
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    heads: dict[socket.socket, bytes] = {}  # each connection's bytes of a request not yet whole

    def close(conn: socket.socket) -> None:
        selector.unregister(conn)
        del heads[conn]
        conn.close()

    while True:
        for key, _ in selector.select():
            conn: Any = key.fileobj
            if conn is listener:
                conn, _ = listener.accept()
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                conn.settimeout(SEND_TIMEOUT)
                selector.register(conn, selectors.EVENT_READ)
                heads[conn] = b""
                continue
            try:
                data = conn.recv(65536)
                buffer = heads[conn] + data
                # GET only: a request ends with its head.
                while b"\r\n\r\n" in buffer:
                    head, buffer = buffer.split(b"\r\n\r\n", 1)
                    conn.sendall(route(head.split(b" ", 2)[1].decode()))
                heads[conn] = buffer
            except OSError:
                data = b""
            if not data:
                close(conn)


def start() -> tuple[str, subprocess.Popen[str]]:
    """Start the server in a process of its own; its URL, once it answers, and the process."""
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__))], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    port = process.stdout.readline().strip()
    if not port.isdigit():
        process.kill()
        raise RuntimeError(f"the benchmark server did not start: {port!r}")
    return f"http://127.0.0.1:{port}", process


def _main() -> None:
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    route = routes()  # before the port is told, so that the first call finds them ready

    def end_with_parent() -> None:
        sys.stdin.read()  # returns when the parent closes the pipe, or dies
        os._exit(0)

    threading.Thread(target=end_with_parent, daemon=True).start()
    print(listener.getsockname()[1], flush=True)
    serve(listener, route)


if __name__ == "__main__":
    _main()
