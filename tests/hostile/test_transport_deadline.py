"""A deadline bounds the whole call, every read of a trickled body included, on both
layers and through a caller's session; without one, the read timeout bounds each read."""

from __future__ import annotations

import time
import zlib
from typing import Callable

import pytest
import requests

from abeja_models import APITimeoutError, Client

from .servers import Connection, Handler, HostileServer

ORG, DEP, TRI = "1234567890123", "1111111111111", "tri-3333333333333333"


def trickle(head: bytes, body: bytes, every: float = 0.1, seconds: float = 6.0) -> Handler:
    """Send ``head`` at once, then ``body`` two bytes every ``every`` seconds."""

    def handler(connection: Connection) -> None:
        if connection.read_request() is None:
            return
        connection.send(head)
        stop = time.monotonic() + seconds
        for start in range(0, len(body), 2):
            if time.monotonic() > stop:
                return
            try:
                connection.sock.sendall(body[start : start + 2])
            except OSError:
                return
            time.sleep(every)

    return handler


BODY = b"{" + b" " * 5000 + b"}"
SHAPES = {
    "content-length": trickle(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(BODY), BODY),
    "chunked": trickle(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"".join(b"1\r\n%c\r\n" % byte for byte in BODY) + b"0\r\n\r\n",
    ),
    "gzip": trickle(
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nConnection: close\r\n\r\n",
        zlib.compress(bytes(range(256)) * 40, 1, wbits=31),
    ),
}


def stall(connection: Connection) -> None:
    """Headers and one byte of the body, then nothing for 6 seconds."""
    if connection.read_request() is not None:
        connection.send(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{")
        time.sleep(6)


SHAPES["headers-then-stall"] = stall


def call(url: str, layer: str, **options: object) -> None:
    client = Client(base_url=url, auth_token="t", timeout=5, **options)  # type: ignore[arg-type]
    if layer == "api":
        client.triggers_api().get_trigger(ORG, DEP, TRI)
    else:
        client.organization(ORG).deployment(DEP).triggers.get(TRI)


@pytest.mark.parametrize("layer", ["client", "api"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_trickled_body_ends_at_the_deadline(
    hostile_server: Callable[[Handler], HostileServer], shape: str, layer: str
) -> None:
    server = hostile_server(SHAPES[shape])
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        call(server.url, layer, deadline=1.0, max_retries=3)
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("shape", ["content-length", "gzip"])
def test_a_trickled_body_ends_at_the_deadline_through_a_callers_session(
    hostile_server: Callable[[Handler], HostileServer], shape: str
) -> None:
    server = hostile_server(SHAPES[shape])
    started = time.monotonic()
    with requests.Session() as session, pytest.raises(APITimeoutError):
        call(server.url, "client", deadline=1.0, session=session)
    assert time.monotonic() - started < 1.5


def test_with_options_deadline_bounds_a_trickle_too(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    server = hostile_server(SHAPES["content-length"])
    client = Client(base_url=server.url, auth_token="t", timeout=5)
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        client.with_options(deadline=0.5).triggers_api().get_trigger(ORG, DEP, TRI)
    assert time.monotonic() - started < 1.0


def test_without_a_deadline_the_read_timeout_bounds_each_read(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    server = hostile_server(SHAPES["headers-then-stall"])
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        Client(base_url=server.url, auth_token="t", timeout=(1, 0.5), max_retries=0).organization(
            ORG
        ).deployment(DEP).triggers.get(TRI)
    assert time.monotonic() - started < 1.5


def test_the_watchdog_leaves_a_finished_call_and_its_pooled_connection_alone(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    """Calls that end well before their deadline keep reusing one connection."""

    def handler(connection: Connection) -> None:
        while connection.read_request() is not None:
            connection.answer(raw_body=b"{}")

    server = hostile_server(handler)
    api = Client(base_url=server.url, auth_token="t", deadline=0.3, max_retries=0).triggers_api()
    for _ in range(5):
        assert api.delete_trigger(ORG, DEP, TRI) == {}
        time.sleep(0.1)  # deadlines of earlier calls pass while the connection is idle
    assert len(server.requests) == 5
    assert len(server._open) == 1
