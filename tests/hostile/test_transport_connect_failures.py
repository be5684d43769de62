"""A host that cannot be reached: the error says why (the name did not resolve, the
connection was refused), and a name the resolver does not know is not retried, where a
passing failure is."""

from __future__ import annotations

import socket
from typing import Any, Callable

import pytest

from abeja_models import APIConnectionError, Client

HOST = "api.unknown.test"
ORG, DEP, TRI = "1234567890123", "1111111111111", "tri-3333333333333333"
Call = Callable[[Client], object]
LAYERS: dict[str, Call] = {
    "resources": lambda client: client.organization(ORG).deployment(DEP).triggers.get(TRI),
    "low-level": lambda client: client.triggers_api().get_trigger(ORG, DEP, TRI),
}


def _resolver_failing_with(
    monkeypatch: pytest.MonkeyPatch, errno: int, text: str
) -> list[str]:
    """Make the resolver fail for ``HOST`` alone; the lookups of it, as they come."""
    lookups: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == HOST:
            lookups.append(host)
            raise socket.gaierror(errno, text)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return lookups


@pytest.mark.parametrize("layer", list(LAYERS))
def test_a_host_name_that_does_not_resolve_is_said_and_not_retried(
    monkeypatch: pytest.MonkeyPatch, layer: str
) -> None:
    lookups = _resolver_failing_with(monkeypatch, socket.EAI_NONAME, "Name or service not known")
    client = Client(base_url=f"https://{HOST}", auth_token="t", backoff_base=0.01)
    with pytest.raises(APIConnectionError, match="the host name did not resolve") as caught:
        LAYERS[layer](client)
    assert "Name or service not known" in str(caught.value)
    assert lookups == [HOST]  # max_retries=5 would have asked six times


def test_a_resolver_that_fails_for_now_is_tried_again(monkeypatch: pytest.MonkeyPatch) -> None:
    lookups = _resolver_failing_with(
        monkeypatch, socket.EAI_AGAIN, "Temporary failure in name resolution"
    )
    client = Client(base_url=f"https://{HOST}", auth_token="t", max_retries=2, backoff_base=0.01)
    with pytest.raises(APIConnectionError, match="did not resolve"):
        LAYERS["resources"](client)
    assert lookups == [HOST] * 3


@pytest.mark.parametrize("layer", list(LAYERS))
def test_a_refused_connection_is_said(layer: str) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()  # nothing listens there now
    client = Client(base_url=f"http://127.0.0.1:{port}", auth_token="t", max_retries=0)
    with pytest.raises(APIConnectionError, match="the connection was refused"):
        LAYERS[layer](client)
