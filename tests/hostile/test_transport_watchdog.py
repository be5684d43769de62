"""The deadline's watchdog cannot be broken by any value it is given, and ``close()``
releases every connection at once, whether the calls had a deadline or not."""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from types import SimpleNamespace
from typing import Any, Callable

import pytest

from abeja_models import APITimeoutError, Client
from abeja_models._http import ApiRequest, Transport
from abeja_models._http._body import Watchdog
from abeja_models.testing import samples

from .servers import Connection, Handler, HostileServer
from .test_transport_deadline import SHAPES

ORG, DEP, TRI = "1234567890123", "1111111111111", "tri-3333333333333333"
GET = ApiRequest("GET", f"/organizations/{ORG}/deployments/{DEP}/triggers/{TRI}", None, None)


def huge_deadline(client: Client, **changes: Any) -> Transport:
    """A transport whose deadline no clock call can count, however the settings check it."""
    settings = client._transport.settings
    return Transport(dataclasses.replace(settings, deadline=1e10, **changes))


def in_thread(call: Callable[[], object], outcomes: list[object]) -> threading.Thread:
    def run() -> None:
        try:
            outcomes.append(call())
        except BaseException as error:  # any error is the outcome looked at
            outcomes.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_a_huge_deadline_leaves_every_other_calls_deadline_kept(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    server = hostile_server(SHAPES["content-length"])  # a body trickled for 6 s
    client = Client(base_url=server.url, auth_token="t", timeout=5, max_retries=0)
    outcomes: list[object] = []
    in_thread(lambda: huge_deadline(client).send(GET), outcomes)
    time.sleep(0.3)  # its body is being read, under watch
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        client.with_options(deadline=1).triggers_api().get_trigger(ORG, DEP, TRI)
    assert time.monotonic() - started < 2.5
    assert outcomes == []  # the first call still reads, its deadline far away


def test_threads_waiting_for_a_connection_under_a_huge_deadline_get_their_answers(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    def slow(connection: Connection) -> None:
        while connection.read_request() is not None:
            time.sleep(0.2)
            connection.answer(samples.get_trigger())

    server = hostile_server(slow)
    transport = huge_deadline(Client(base_url=server.url, auth_token="t"), pool_size=1)
    outcomes: list[object] = []
    threads = [in_thread(lambda: transport.send(GET).status, outcomes) for _ in range(3)]
    for thread in threads:
        thread.join(timeout=10)
    assert outcomes == [200, 200, 200]


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_watchdog_thread_that_failed_is_replaced_by_the_next_watch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    watchdog = Watchdog()
    monkeypatch.setattr(watchdog, "_fire", lambda guard: 1 / 0)
    ours, theirs = socket.socketpair()
    raw = SimpleNamespace(connection=SimpleNamespace(sock=ours))
    try:
        watchdog.watch(SimpleNamespace(raw=raw), time.monotonic())  # type: ignore[arg-type]
        first = watchdog._thread
        assert first is not None
        first.join(timeout=5)
        assert not first.is_alive()
        watchdog.watch(SimpleNamespace(raw=raw), time.monotonic() + 60)  # type: ignore[arg-type]
        second = watchdog._thread
        assert second is not None
        assert second.is_alive()
    finally:
        ours.close()
        theirs.close()


def counting(answers: Callable[[Connection], None], open_now: list[Connection]) -> Handler:
    """A handler that keeps in ``open_now`` the connections the client has not closed."""

    def handler(connection: Connection) -> None:
        open_now.append(connection)
        try:
            answers(connection)
        finally:
            open_now.remove(connection)

    return handler


def trigger(connection: Connection) -> None:
    while connection.read_request() is not None:
        connection.answer(samples.get_trigger())


def _get(client: Client) -> None:
    client.organization(ORG).deployment(DEP).triggers.get(TRI)


def _low_level(client: Client) -> None:
    client.triggers_api().get_trigger(ORG, DEP, TRI)


USES: dict[str, Callable[[Client], None]] = {
    "resource": _get,
    "with_options": lambda client: _get(client.with_options(deadline=30)),
    "low-level": _low_level,
}


@pytest.mark.parametrize("threads", [1, 32])
@pytest.mark.parametrize("deadline", [None, 30])
@pytest.mark.parametrize("use", list(USES))
def test_close_releases_every_connection_at_once(
    hostile_server: Callable[[Handler], HostileServer],
    use: str,
    deadline: object,
    threads: int,
) -> None:
    open_now: list[Connection] = []
    server = hostile_server(counting(trigger, open_now))
    client = Client(base_url=server.url, auth_token="t", deadline=deadline)  # type: ignore[arg-type]
    outcomes: list[object] = []
    workers = [in_thread(lambda: USES[use](client), outcomes) for _ in range(threads)]
    for worker in workers:
        worker.join(timeout=20)
    assert outcomes == [None] * threads
    assert open_now
    client.close()
    stop = time.monotonic() + 1.0  # for the server's threads to see each end of input
    while open_now and time.monotonic() < stop:
        time.sleep(0.01)
    assert open_now == []
