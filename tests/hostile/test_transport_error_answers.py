"""Errors about answers are built from a bounded view of the body: an error answer near
``max_answer_bytes`` costs memory near the cap, whatever it holds; and whatever the body
quotes of the call's credentials is masked, on both layers."""

from __future__ import annotations

import base64
import functools
import json
import tracemalloc
from typing import Any, Callable

import pytest
import responses

from abeja_models import APIError, BadRequest, Client, InternalServerError, InvalidResponseError
from abeja_models.triggers import APIClient

from .servers import Connection, Handler, HostileServer

ORG, DEP, TRI = "1234567890123", "1111111111111", "tri-3333333333333333"
MIB = 1024 * 1024
CAP = 4 * MIB
URL = f"https://api.test/organizations/{ORG}/deployments/{DEP}/triggers/{TRI}"

# Each body just under the cap; the shapes that used to cost 24 times it.
SHAPES = {
    "500-of-short-words": (500, (b"ab " * CAP)[: CAP - 16]),
    "500-of-empty-objects": (500, b"[" + b"{}," * ((CAP - 16) // 3) + b"{}]"),
    "200-not-json": (200, (b"ab " * CAP)[: CAP - 16]),
}


def get(client: Client, layer: str) -> object:
    if layer == "api":
        return client.triggers_api().get_trigger(ORG, DEP, TRI)
    return client.organization(ORG).deployment(DEP).triggers.get(TRI)


@pytest.mark.parametrize("layer", ["client", "api"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_an_error_answer_near_the_cap_costs_memory_near_the_cap(
    hostile_server: Callable[[Handler], HostileServer], shape: str, layer: str
) -> None:
    status, body = SHAPES[shape]
    # Built before measuring: the server's thread is traced too, and must add nothing.
    answer = f"HTTP/1.1 {status} X\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body

    def handler(connection: Connection) -> None:
        while connection.read_request() is not None:
            connection.send(answer)

    server = hostile_server(handler)
    client = Client(base_url=server.url, auth_token="t", max_retries=0, max_answer_bytes=CAP)
    tracemalloc.start()
    try:
        with pytest.raises((InternalServerError, InvalidResponseError)) as caught:
            get(client, layer)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * CAP, f"traced peak {peak / MIB:.1f} MiB for a {CAP // MIB} MiB answer"
    # Still informative: the status, and a snippet of the body's start.
    assert str(status) in str(caught.value)
    assert (b"ab ab" in body) == ("ab ab" in str(caught.value))
    assert len(caught.value.body) == 2000


def test_a_small_error_body_is_read_as_the_platforms_json() -> None:
    detail = {"trigger_id": ["unknown field"]}
    document = {"error": "bad_request", "error_description": "  a\n reason", "error_detail": detail}
    with responses.RequestsMock() as mock:
        mock.get(URL, json=document, status=400)
        with pytest.raises(BadRequest) as caught:
            get(Client(base_url="https://api.test", auth_token="t"), "client")
    error = caught.value
    assert (error.error, error.error_description, error.error_detail) == (
        "bad_request",
        "  a\n reason",
        detail,
    )


TOKEN = "tok-4f9a8b7c6d5e"
USER, SECRET = "user-1234567890123", "pat-0a1b2c3d4e5f"
BASIC = base64.b64encode(f"{USER}:{SECRET}".encode()).decode()


def _quoting(quoted: list[str]) -> Callable[[Any], tuple[int, dict[str, str], str]]:
    """A 400 whose every text quotes what the request carried."""

    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        said = " ".join([request.headers["Authorization"], *quoted])
        body = {"error": said, "error_description": said, "error_detail": {"got": [said]}}
        return 400, {"X-Echo": said}, json.dumps(body)

    return answer


CREDENTIALS: dict[str, tuple[dict[str, str], list[str]]] = {
    "bearer": ({"auth_token": TOKEN}, [TOKEN]),
    "basic": (
        {"user_id": USER, "personal_access_token": SECRET},
        [BASIC, f"{USER}:{SECRET}", SECRET],
    ),
}


@pytest.mark.parametrize("layer", ["client", "api"])
@pytest.mark.parametrize("kind", list(CREDENTIALS))
def test_an_error_quoting_the_credentials_shows_them_masked(kind: str, layer: str) -> None:
    given, quoted = CREDENTIALS[kind]
    with responses.RequestsMock() as mock:
        mock.add_callback("GET", URL, callback=_quoting(quoted))
        client = Client(base_url="https://api.test", **given)  # type: ignore[arg-type]
        call: Callable[[str], object] = client.organization(ORG).deployment(DEP).triggers.get
        if layer == "api":
            call = functools.partial(
                APIClient(given, base_url="https://api.test").get_trigger, ORG, DEP
            )
        with pytest.raises(BadRequest) as caught:
            call(TRI)
    error: APIError = caught.value
    texts = [str(error), repr(error), error.error, error.error_description, error.body]
    shown = " ".join([*texts, repr(error.error_detail), repr(error.headers), repr(error.args)])
    for secret in (TOKEN, SECRET, BASIC):
        assert secret not in shown
    assert "***" in error.error_description
