"""The SDK's own session looks its pool up once per origin and TLS options, never hands
out a closed pool, and keeps a pool per verify, cert and proxies (requests 2.32's fix);
a client no longer used is freed, the fork hook notwithstanding."""

from __future__ import annotations

import gc
import os
import weakref
from typing import Any, Callable, Optional

import pytest
import requests
from requests.adapters import HTTPAdapter

from abeja_models import Client
from abeja_models._http._session import _new_session
from abeja_models.testing import samples

from .servers import Connection, Handler, HostileServer
from .test_transport_cap import DEP, ORG

TRI = samples.get_trigger()["trigger_id"]
API = "https://api.test/organizations/1/x"
TLS_CONTEXT = hasattr(HTTPAdapter, "get_connection_with_tls_context")  # requests >= 2.32.2


def answer_trigger(connection: Connection) -> None:
    while connection.read_request() is not None:
        connection.answer(samples.get_trigger())


def _client_and_adapter(server: HostileServer) -> tuple[Client, Any]:
    client = Client(base_url=server.url, auth_token="t", max_retries=0)
    adapter = client._transport._connection._session.get_adapter(server.url)
    return client, adapter


def _count_lookups(adapter: Any, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The pool manager's lookups the adapter makes (urllib3 1.26 and 2 alike)."""
    lookups: list[object] = []
    manager = adapter.poolmanager
    look_up = manager.connection_from_host

    def counted(*args: Any, **kwargs: Any) -> Any:
        lookups.append(args)
        return look_up(*args, **kwargs)

    monkeypatch.setattr(manager, "connection_from_host", counted)
    return lookups


def test_the_pool_is_looked_up_once_for_many_calls(
    hostile_server: Callable[[Handler], HostileServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = hostile_server(answer_trigger)
    client, adapter = _client_and_adapter(server)
    lookups = _count_lookups(adapter, monkeypatch)
    triggers = client.organization(ORG).deployment(DEP).triggers
    for _ in range(5):
        assert triggers.get(TRI).trigger_id == TRI
    assert len(lookups) == 1
    assert len(server.requests) == 5
    client.close()


@pytest.mark.parametrize("how", ["client.close()", "the pool dropped"])
def test_a_closed_pool_is_looked_up_again(
    hostile_server: Callable[[Handler], HostileServer],
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    server = hostile_server(answer_trigger)
    client, adapter = _client_and_adapter(server)
    triggers = client.organization(ORG).deployment(DEP).triggers
    assert triggers.get(TRI).trigger_id == TRI
    used = adapter.poolmanager.pools.get(next(iter(adapter.poolmanager.pools.keys())))
    lookups = _count_lookups(adapter, monkeypatch)
    if how == "client.close()":
        client.close()
    else:  # dropped by the pool manager and closed, as urllib3 1.26 does
        adapter.poolmanager.clear()
        used.close()
    # A closed pool would refuse the call (urllib3's ClosedPoolError).
    assert triggers.get(TRI).trigger_id == TRI
    assert triggers.get(TRI).trigger_id == TRI
    assert len(lookups) == 1
    assert len(server.requests) == 3
    client.close()


def _pool(
    adapter: Any,
    url: str = API,
    verify: object = True,
    cert: Optional[object] = None,
    proxies: Optional[dict[str, str]] = None,
) -> Any:
    if TLS_CONTEXT:
        request = requests.Request("GET", url).prepare()
        return adapter.get_connection_with_tls_context(request, verify, proxies, cert)
    return adapter.get_connection(url, proxies)


def test_the_same_origin_and_options_get_the_same_pool() -> None:
    adapter = _new_session(4).get_adapter(API)
    first = _pool(adapter)
    assert _pool(adapter, API + "/other?page=2") is first
    assert _pool(adapter, "https://api.test:8443/x") is not first
    assert _pool(adapter, "http://api.test/x") is not first


@pytest.mark.skipif(not TLS_CONTEXT, reason="before requests 2.32.2 a pool has no TLS options")
@pytest.mark.parametrize(
    ("options", "tls"),
    [
        ({"verify": False}, {"cert_reqs": "CERT_NONE"}),
        ({"verify": "/ca.pem"}, {"cert_reqs": "CERT_REQUIRED", "ca_certs": "/ca.pem"}),
        ({"cert": ("/c.pem", "/k.pem")}, {"cert_file": "/c.pem", "key_file": "/k.pem"}),
    ],
)
def test_other_tls_options_get_a_pool_of_their_own(
    options: dict[str, Any], tls: dict[str, object]
) -> None:
    adapter = _new_session(4).get_adapter(API)
    verified = _pool(adapter)
    other = _pool(adapter, **options)
    assert other is not verified
    assert {key: getattr(other, key) for key in tls} == tls
    again = _pool(adapter)  # and back: verification is not left behind on the way
    assert again.cert_reqs == "CERT_REQUIRED"
    assert again.cert_file is None


def test_a_proxy_gets_a_pool_of_its_own() -> None:
    adapter = _new_session(4).get_adapter(API)
    direct = _pool(adapter)
    proxied = _pool(adapter, proxies={"https": "http://proxy.test:3128"})
    assert proxied is not direct
    assert proxied.proxy is not None
    assert _pool(adapter).proxy is None


def test_a_client_no_longer_used_is_freed() -> None:
    client = Client(base_url="https://api.test", auth_token="t")
    connection = weakref.ref(client._transport._connection)
    del client
    gc.collect()
    assert connection() is None


def test_a_child_starts_with_a_session_and_a_watchdog_of_its_own() -> None:
    from abeja_models._http._body import current_watchdog

    with Client(base_url="https://api.test", auth_token="t") as client:
        connection = client._transport._connection
        parents = (connection._session, connection._slots, current_watchdog())
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            try:
                childs = (connection._session, connection._slots, current_watchdog())
                os.write(write, bytes(a is not b for a, b in zip(parents, childs)))
            finally:
                os._exit(0)
        os.close(write)
        with os.fdopen(read, "rb") as pipe:
            renewed = pipe.read()
        os.waitpid(pid, 0)
        assert list(renewed) == [1, 1, 1]
        assert (connection._session, connection._slots, current_watchdog()) == parents
