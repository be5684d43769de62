"""Every answer is capped, after decompression: bombs, endless streams and lies about the
length end in ``InvalidResponseError`` with memory near the cap, on both layers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any, Callable

import pytest
import requests

import abeja_models
from abeja_models import APIConnectionError, Client, InvalidResponseError, ValidationError
from abeja_models.testing import samples
from abeja_models.triggers import APIClient

from .servers import Connection, Handler, HostileServer

# The ids of the documents' trigger, samples.get_trigger()
ORG, DEP, TRI = "1234567890123", "1111111111111", "tri-3333333333333333"
MIB = 1024 * 1024
ROOT = Path(abeja_models.__file__).resolve().parent.parent


def _gzip_bomb(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * MIB
    return b"".join(packer.compress(block) for _ in range(size // MIB)) + packer.flush()


BOMB = _gzip_bomb(256 * MIB)  # ~250 KB on the wire


def bomb(connection: Connection) -> None:
    """200 with a gzip body that inflates to 256 MiB."""
    while connection.read_request() is not None:
        connection.answer(raw_body=BOMB, headers={"Content-Encoding": "gzip"})


def endless_chunked(connection: Connection) -> None:
    """200, chunked, 64 KiB chunks for as long as the client reads (at most 4 GiB)."""
    if connection.read_request() is None:
        return
    connection.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
    connection.send(b"Transfer-Encoding: chunked\r\n\r\n")
    chunk = b"%x\r\n" % (64 * 1024) + b"[" * (64 * 1024) + b"\r\n"
    for _ in range(65536):
        try:
            connection.sock.sendall(chunk)
        except OSError:
            return


def endless_gzip_stream(connection: Connection) -> None:
    """200 gzip until close, no length: 1 GiB of zeros compressed, sent as it is made."""
    if connection.read_request() is None:
        return
    connection.send(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nConnection: close\r\n\r\n")
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * MIB
    for _ in range(1024):
        try:
            connection.sock.sendall(packer.compress(block) + packer.flush(zlib.Z_SYNC_FLUSH))
        except OSError:
            return


def huge_length(connection: Connection) -> None:
    """A Content-Length of 1 GiB, then a trickle of the body."""
    while connection.read_request() is not None:
        connection.send(b"HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n" + b"{" * 1000)


SCRIPT = """
import resource, sys, tracemalloc
resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))
from abeja_models import Client, AbejaError
from abeja_models.triggers import APIClient
url, layer, cap = sys.argv[1], sys.argv[2], int(sys.argv[3])
if layer == "client":
    call = Client(base_url=url, auth_token="t", max_retries=0, max_answer_bytes=cap) \\
        .organization("1").deployment("2").triggers.get
else:
    call = lambda tri: APIClient({"auth_token": "t"}, base_url=url, max_retry_count=0,
                                 max_answer_bytes=cap).get_trigger("1", "2", tri)
tracemalloc.start()
try:
    call("tri-1")
    outcome = "returned"
except AbejaError as error:
    outcome = type(error).__name__
except BaseException as error:
    outcome = "untyped " + type(error).__name__
print(outcome, tracemalloc.get_traced_memory()[1])
"""


def run_capped(url: str, layer: str, cap: int) -> tuple[str, int]:
    """Call ``url`` in a fresh interpreter; its outcome and its traced peak in bytes."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, url, layer, str(cap)],
            capture_output=True,
            text=True,
            timeout=30,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return "still reading after 30 s", -1
    if done.returncode or not done.stdout.strip():
        return f"crashed: {done.stderr[-300:]}", -1
    outcome, peak = done.stdout.split()[-2:]
    return outcome, int(peak)


@pytest.mark.parametrize("layer", ["client", "api"])
@pytest.mark.parametrize(
    "handler", [bomb, endless_chunked, endless_gzip_stream, huge_length], ids=lambda h: h.__name__
)
def test_an_oversized_answer_is_refused_with_memory_near_the_cap(
    hostile_server: Callable[[Handler], HostileServer], handler: Handler, layer: str
) -> None:
    server = hostile_server(handler)
    outcome, peak = run_capped(server.url, layer, 8 * MIB)
    assert outcome == "InvalidResponseError"
    assert 0 < peak < 64 * MIB, f"traced peak {peak / MIB:.1f} MiB"


@pytest.mark.parametrize("layer", ["client", "api", "caller-session"])
def test_the_cap_is_counted_after_decompression_and_an_answer_under_it_is_read(
    hostile_server: Callable[[Handler], HostileServer], layer: str
) -> None:
    document = samples.get_trigger()
    document["user_env_vars"] = {"PAD": "x" * 20_000}
    packed = zlib.compress(json.dumps(document).encode(), 9, wbits=31)

    def handler(connection: Connection) -> None:
        while connection.read_request() is not None:
            connection.answer(raw_body=packed, headers={"Content-Encoding": "gzip"})

    server = hostile_server(handler)

    def get(cap: int) -> dict[str, Any]:
        session = requests.Session() if layer == "caller-session" else None
        client = Client(
            base_url=server.url,
            auth_token="t",
            max_retries=0,
            max_answer_bytes=cap,
            session=session,
        )
        if layer == "api":
            return dict(client.triggers_api().get_trigger(ORG, DEP, TRI))
        trigger = client.organization(ORG).deployment(DEP).triggers.get(TRI)
        return {"trigger_id": trigger.trigger_id, "user_env_vars": trigger.user_env_vars}

    assert len(packed) < 1000  # the compressed size is far under the cap below...
    with pytest.raises(InvalidResponseError, match="max_answer_bytes=10000"):
        get(10_000)  # ...but the document is not
    read = get(100_000)
    assert (read["trigger_id"], read["user_env_vars"]) == (TRI, document["user_env_vars"])


def test_max_answer_bytes_is_kept_by_with_options_and_given_to_the_low_level_client(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    def handler(connection: Connection) -> None:
        while connection.read_request() is not None:
            connection.answer(samples.get_trigger())

    server = hostile_server(handler)
    small = Client(base_url=server.url, auth_token="t", max_retries=0, max_answer_bytes=100)
    triggers = small.with_options(deadline=5).organization(ORG).deployment(DEP).triggers
    with pytest.raises(InvalidResponseError):
        triggers.get(TRI)
    with pytest.raises(InvalidResponseError):
        small.triggers_api().get_trigger(ORG, DEP, TRI)
    larger = small.with_options(max_answer_bytes=10_000)
    assert larger.organization(ORG).deployment(DEP).triggers.get(TRI).trigger_id == TRI
    low = APIClient({"auth_token": "t"}, base_url=server.url, max_answer_bytes=100)
    with pytest.raises(InvalidResponseError):
        low.get_trigger(ORG, DEP, TRI)
    assert len(server.requests) == 4


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "1"])
def test_max_answer_bytes_must_be_a_positive_int(bad: Any) -> None:
    with pytest.raises(ValidationError, match="max_answer_bytes"):
        Client(auth_token="t", max_answer_bytes=bad)
    with pytest.raises(ValidationError, match="max_answer_bytes"):
        APIClient({"auth_token": "t"}, max_answer_bytes=bad)
    with pytest.raises(ValidationError, match="max_answer_bytes"):
        Client(auth_token="t").with_options(max_answer_bytes=bad)


@pytest.mark.parametrize(
    "lengths",
    [
        b"Content-Length: 99999999999999999999999\r\n",
        b"Content-Length: 2\r\nContent-Length: 10\r\n",
        b"Content-Length: 2, 10\r\n",
        b"Content-Length: -1\r\n",
    ],
    ids=["overflowing", "two-headers", "two-values", "negative"],
)
@pytest.mark.parametrize("status", [200, 500])
def test_a_lying_content_length_is_a_typed_error(
    hostile_server: Callable[[Handler], HostileServer], lengths: bytes, status: int
) -> None:
    def handler(connection: Connection) -> None:
        while connection.read_request() is not None:
            connection.send(b"HTTP/1.1 %d X\r\n%s\r\n{}" % (status, lengths))

    server = hostile_server(handler)
    client = Client(base_url=server.url, auth_token="t", max_retries=0, timeout=2)
    with pytest.raises((APIConnectionError, InvalidResponseError)):
        client.organization(ORG).deployment(DEP).triggers.get(TRI)
    with pytest.raises((APIConnectionError, InvalidResponseError)):
        client.triggers_api().get_trigger(ORG, DEP, TRI)
