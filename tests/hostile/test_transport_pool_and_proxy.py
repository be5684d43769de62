"""Waiting for a pooled connection is bounded by the deadline; a loopback API is reached
directly, whatever proxy the environment names."""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

import pytest

from abeja_models import APITimeoutError, Client
from abeja_models.testing import samples
from abeja_models.triggers import APIClient

from .servers import Connection, Handler, HostileServer

# The ids of the documents' trigger, samples.get_trigger()
ORG, DEP, TRI = "1234567890123", "1111111111111", "tri-3333333333333333"


def _slow(seconds: float) -> Handler:
    def handler(connection: Connection) -> None:
        while connection.read_request() is not None:
            time.sleep(seconds)
            connection.answer(samples.get_trigger())

    return handler


def test_waiting_for_a_pooled_connection_ends_at_the_deadline(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    server = hostile_server(_slow(3.0))
    with Client(base_url=server.url, auth_token="t", pool_size=1, max_retries=0) as client:
        holder = threading.Thread(
            target=lambda: client.organization(ORG).deployment(DEP).triggers.get(TRI)
        )
        holder.start()
        time.sleep(0.3)  # the one connection is now held by the slow call
        hurried = client.with_options(deadline=1.0).organization(ORG).deployment(DEP).triggers
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            hurried.get(TRI)
        elapsed = time.monotonic() - started
        holder.join()
    assert elapsed < 1.5, elapsed
    assert len(server.requests) == 1  # the hurried call never got a connection


@pytest.mark.parametrize("layer", ["resources", "low-level"])
def test_a_loopback_api_is_never_reached_through_the_environments_proxy(
    hostile_server: Callable[[Handler], HostileServer],
    monkeypatch: pytest.MonkeyPatch,
    layer: str,
) -> None:
    def proxy(connection: Connection) -> None:
        while connection.read_request() is not None:
            connection.answer({"error": "proxied"}, status=502)

    api = hostile_server(_slow(0.0))
    nosy = hostile_server(proxy)
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, nosy.url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)

    got: Any
    if layer == "resources":
        with Client(base_url=api.url, auth_token="secret-token", max_retries=0) as client:
            got = client.organization(ORG).deployment(DEP).triggers.get(TRI).trigger_id
    else:
        low = APIClient({"auth_token": "secret-token"}, base_url=api.url, max_retry_count=0)
        got = low.get_trigger(ORG, DEP, TRI)["trigger_id"]
        low.close()

    assert got == TRI
    assert nosy.requests == []
    assert [request.headers["authorization"] for request in api.requests] == ["Bearer secret-token"]
