"""A client used before ``os.fork()`` works in the parent and in every child, each on
connections of its own; and what held before keeps holding under many threads."""

from __future__ import annotations

import json
import os
import threading
import time
from typing import Callable

import pytest

from abeja_models import AbejaError, APIError, Client, InternalServerError, TooManyRequests
from abeja_models.testing import samples
from abeja_models.triggers import APIClient

from .servers import Connection, Handler, HostileServer
from .test_transport_cap import DEP, ORG

CHILDREN, CALLS = 4, 10


def echo_trigger(connection: Connection) -> None:
    """Answer each GET with the trigger it asked for, a little late so answers interleave."""
    while (request := connection.read_request()) is not None:
        time.sleep(0.002)
        asked_for = request.target.rsplit("/", 1)[-1]
        connection.answer({**samples.get_trigger(), "trigger_id": asked_for})


def _calls_in_child(call: Callable[[str], str], tag: str, write: int) -> None:
    wrong = 0
    try:
        for index in range(CALLS):
            wanted = f"tri-{tag}{index:04d}"
            try:
                wrong += call(wanted) != wanted
            except AbejaError:
                wrong += 1
    finally:
        os.write(write, json.dumps(wrong).encode())
        os.close(write)


@pytest.mark.parametrize("layer", ["client", "api"])
def test_a_client_used_before_fork_works_in_parent_and_children(
    hostile_server: Callable[[Handler], HostileServer], layer: str
) -> None:
    server = hostile_server(echo_trigger)
    if layer == "client":
        triggers = (
            Client(base_url=server.url, auth_token="t", max_retries=0, deadline=5)
            .organization(ORG)
            .deployment(DEP)
            .triggers
        )

        def call(trigger_id: str) -> str:
            return triggers.get(trigger_id).trigger_id
    else:
        api = APIClient({"auth_token": "t"}, base_url=server.url, max_retry_count=0)

        def call(trigger_id: str) -> str:
            return str(api.get_trigger(ORG, DEP, trigger_id)["trigger_id"])

    assert call("tri-warmup") == "tri-warmup"  # the parent's pool now holds a connection
    children = []
    for child in range(CHILDREN):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            try:
                os.close(read)
                _calls_in_child(call, f"c{child}", write)
            finally:
                os._exit(0)
        os.close(write)
        children.append((pid, read))
    parent_wrong = sum(call(f"tri-p{index:04d}") != f"tri-p{index:04d}" for index in range(CALLS))
    wrong = [parent_wrong]
    for pid, read in children:
        with os.fdopen(read) as pipe:
            wrong.append(json.loads(pipe.read() or "1000"))
        os.waitpid(pid, 0)
    assert wrong == [0] * (CHILDREN + 1)
    assert len(server.requests) == 1 + (CHILDREN + 1) * CALLS


def test_the_pool_stays_bounded_under_64_threads(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    server = hostile_server(echo_trigger)
    triggers = (
        Client(base_url=server.url, auth_token="t", pool_size=4, deadline=20)
        .organization(ORG)
        .deployment(DEP)
        .triggers
    )
    failures: list[BaseException] = []

    def work(index: int) -> None:
        try:
            for call in range(3):
                assert triggers.get(f"tri-{index:04d}{call}").trigger_id == f"tri-{index:04d}{call}"
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=work, args=(index,)) for index in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    assert len(server.requests) == 192
    assert len(server._open) <= 4


FAULTS = {
    "drop-after-read": lambda connection: None,
    "500": lambda connection: connection.answer({"error": "x"}, status=500),
    "504": lambda connection: connection.answer({"error": "x"}, status=504),
    "truncated": lambda connection: connection.send(
        b'HTTP/1.1 201 X\r\nContent-Length: 100\r\n\r\n{"trig'
    ),
    "slow": lambda connection: time.sleep(1.5),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_no_create_is_sent_twice_under_faults_and_16_threads(
    hostile_server: Callable[[Handler], HostileServer], fault: str
) -> None:
    def handler(connection: Connection) -> None:
        # Answers that leave the connection usable keep it open, as a server would.
        while connection.read_request() is not None:
            FAULTS[fault](connection)
            if fault not in ("500", "504"):
                return

    server = hostile_server(handler)
    triggers = (
        Client(
            base_url=server.url, auth_token="t", timeout=(1, 0.5), max_retries=3, backoff_base=0.01
        )
        .organization(ORG)
        .deployment(DEP)
        .triggers
    )
    outcomes: list[object] = []

    def create() -> None:
        try:
            triggers.create(version_id="ver-1", input_service_id="2", input_service_name="datalake")
            outcomes.append("created")
        except AbejaError as error:
            outcomes.append(type(error))

    threads = [threading.Thread(target=create) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(outcomes) == 16
    assert "created" not in outcomes
    assert [request.method for request in server.requests] == ["POST"] * 16


@pytest.mark.parametrize(
    "retry_after",
    [
        "-5",
        "nan",
        "NaN",
        "inf",
        "-inf",
        "1e309",
        "99999999999999999999",
        "garbage",
        "",
        "Wed, 21 Oct 2015 07:28:00 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Mon, 99 Foo 2020",
    ],
)
def test_odd_retry_after_values_are_typed_and_bounded(
    hostile_server: Callable[[Handler], HostileServer], retry_after: str
) -> None:
    def handler(connection: Connection) -> None:
        while connection.read_request() is not None:
            connection.answer({"error": "x"}, status=429, headers={"Retry-After": retry_after})

    server = hostile_server(handler)
    client = Client(base_url=server.url, auth_token="t", max_retries=2, backoff_base=0.01)
    started = time.monotonic()
    for call in (
        lambda: client.organization(ORG).deployment(DEP).triggers.get("tri-1"),
        lambda: client.triggers_api().get_trigger(ORG, DEP, "tri-1"),
    ):
        with pytest.raises((TooManyRequests, InternalServerError, APIError)):
            call()
    assert time.monotonic() - started < 3.0
