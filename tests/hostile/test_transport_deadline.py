"""A deadline bounds the whole call, every read of a trickled body included, on both
layers and through a caller's session; without one, the read timeout bounds each read.
A longer limit on one call (``within``, a wait's timeout) keeps the client's shorter one."""

from __future__ import annotations

import time
import zlib
from datetime import datetime, timezone
from typing import Callable

import pytest
import requests

from abeja_models import APITimeoutError, Client, Notebook

from .servers import Connection, Handler, HostileServer
from .test_resources_identity import run_doc

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


NOTEBOOK = {
    "training_notebook_id": "1000000000001",
    "job_definition_id": "42",
    "name": "notebook-1",
    "status": "Pending",
    "instance_type": "cpu-1",
    "image": "abeja-inc/all-cpu:19.10",
    "created_at": "2019-01-01T00:00:00Z",
    "modified_at": "2019-01-01T00:00:00Z",
}


RUN = run_doc("run-1", TRI)


def slow(connection: Connection) -> None:
    """Every answer 8 s late, and one that would end the wait: a running notebook, a
    finished run (so a test of a broken deadline fails after 8 s, not after the wait's)."""
    while (request := connection.read_request()) is not None:
        time.sleep(8)
        if "notebooks" in request.target:
            connection.answer({**NOTEBOOK, "status": "Running"})
        else:
            connection.answer({"entries": [RUN]})


LONGER_LIMITS: dict[str, Callable[[Client], object]] = {
    "triggers.within": lambda client: (
        client.organization(ORG).deployment(DEP).triggers.within(30).get(TRI)
    ),
    "notebook.wait_until": lambda client: (
        client.organization(ORG)
        .job_definition("job-1")
        .notebooks.bind(Notebook.model_validate(NOTEBOOK))
        .wait_until("Running", timeout=60, poll_interval=0.01)
    ),
    "trigger.wait_for_runs": lambda client: (
        client.organization(ORG)
        .deployment(DEP)
        .triggers.wait_for_runs(
            TRI, since=datetime(2019, 1, 1, tzinfo=timezone.utc), timeout=60, poll_interval=0.01
        )
    ),
}


@pytest.mark.parametrize("how", list(LONGER_LIMITS))
def test_a_longer_limit_on_one_call_keeps_the_clients_shorter_deadline(
    hostile_server: Callable[[Handler], HostileServer], how: str
) -> None:
    server = hostile_server(slow)
    with Client(base_url=server.url, auth_token="t", timeout=30, deadline=1) as client:
        started = time.monotonic()
        with pytest.raises(APITimeoutError):  # the client's limit, not the wait's timeout
            LONGER_LIMITS[how](client)
        assert time.monotonic() - started < 4  # not the 8 s the server takes
