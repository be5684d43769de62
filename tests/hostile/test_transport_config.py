"""Settings an attacker (or a typo) controls: refused at construction with a typed error
that never shows a secret; secrets kept out of the SDK's traceback locals."""

from __future__ import annotations

import math
import sys
import time
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any, Callable, Optional

import pytest

import abeja_models
from abeja_models import AbejaError, APIConnectionError, APITimeoutError, Client, ValidationError
from abeja_models.triggers import APIClient

from .servers import Connection, Handler, HostileServer

ORG, DEP, TRI = "1234567890123", "1111111111111", "tri-3333333333333333"
SECRET = "s3cr3t-T0KEN-do-not-show"
PACKAGE = str(Path(abeja_models.__file__).resolve().parent)


def sdk_frames_holding(error: BaseException, secret: str) -> list[str]:
    """The SDK's frames, in ``error``'s traceback and its causes', whose rendered
    locals (as ``pytest -l``, rich or Sentry show them) contain ``secret``."""
    found = []
    seen: Optional[BaseException] = error
    while seen is not None:
        tb: Optional[TracebackType] = seen.__traceback__
        while tb is not None:
            frame = tb.tb_frame
            if frame.f_code.co_filename.startswith(PACKAGE):
                for name, value in frame.f_locals.items():
                    if secret in repr(value):
                        found.append(f"{frame.f_code.co_name}:{name}")
            tb = tb.tb_next
        seen = seen.__cause__ or seen.__context__
    return found


def echo_auth(connection: Connection) -> None:
    while (request := connection.read_request()) is not None:
        connection.answer({"message": request.headers.get("authorization", "")})


@pytest.mark.parametrize("padding", [" ", "\n", "\t ", "\r\n"])
def test_whitespace_around_a_secret_is_removed(
    hostile_server: Callable[[Handler], HostileServer],
    monkeypatch: pytest.MonkeyPatch,
    padding: str,
) -> None:
    server = hostile_server(echo_auth)
    padded = padding + SECRET + padding
    clients = [
        Client(base_url=server.url, auth_token=padded).triggers_api(),
        APIClient({"auth_token": padded}, base_url=server.url),
    ]
    monkeypatch.setenv("PLATFORM_AUTH_TOKEN", padded)
    clients.append(APIClient(base_url=server.url))
    for client in clients:
        assert client.delete_trigger(ORG, DEP, TRI) == {"message": f"Bearer {SECRET}"}
    basic = APIClient({"user_id": " 1 ", "personal_access_token": padded}, base_url=server.url)
    assert basic.delete_trigger(ORG, DEP, TRI)["message"].startswith("Basic ")


@pytest.mark.parametrize("control", ["\n", "\x00", "\x1b", "\x7f", "\x85"])
def test_a_secret_holding_a_control_character_is_refused_when_configured(
    monkeypatch: pytest.MonkeyPatch, control: str
) -> None:
    bad = SECRET[:6] + control + SECRET[6:]
    attempts: list[tuple[str, Callable[[], object]]] = [
        ("auth_token", lambda: Client(auth_token=bad)),
        ("personal_access_token", lambda: Client(user_id="1", personal_access_token=bad)),
        ("credential['auth_token']", lambda: APIClient({"auth_token": bad})),
        (
            "credential['datasource_secret']",
            lambda: APIClient({"datasource_id": "1", "datasource_secret": bad}),
        ),
    ]
    for setting, make in attempts:
        with pytest.raises(ValidationError) as caught:
            make()
        assert caught.value.parameter == setting
        assert SECRET[6:] not in str(caught.value)
        assert SECRET[6:] not in repr(caught.value.args)
        assert sdk_frames_holding(caught.value, SECRET[6:]) == []
    if control == "\x00":
        return  # an environment variable cannot hold one
    monkeypatch.setenv("PLATFORM_AUTH_TOKEN", bad)
    for make_from_env in (Client, APIClient):
        with pytest.raises(ValidationError) as caught:
            make_from_env()
        assert caught.value.parameter == "PLATFORM_AUTH_TOKEN"
        assert SECRET[6:] not in str(caught.value)
        assert sdk_frames_holding(caught.value, SECRET[6:]) == []


def test_secrets_are_not_in_the_sdks_traceback_locals_when_construction_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    failing: list[Callable[[], object]] = [
        lambda: Client(auth_token=SECRET, timeout=-1),
        lambda: Client(user_id="1", personal_access_token=SECRET, base_url="ftp://x"),
        lambda: APIClient({"auth_token": SECRET}, timeout=-1),
        lambda: APIClient({"user_id": "1", "personal_access_token": SECRET}, timeout=-1),
    ]
    for make in failing:
        with pytest.raises(ValidationError) as caught:
            make()
        assert sdk_frames_holding(caught.value, SECRET) == []
    monkeypatch.setenv("PLATFORM_AUTH_TOKEN", SECRET)
    for make_from_env in (lambda: Client(timeout=-1), lambda: APIClient(timeout=-1)):
        with pytest.raises(ValidationError) as caught:
            make_from_env()
        assert sdk_frames_holding(caught.value, SECRET) == []


def test_secrets_are_not_in_the_sdks_traceback_locals_when_a_call_fails(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    def hang_up(connection: Connection) -> None:
        connection.read_request()

    server = hostile_server(hang_up)
    client = Client(base_url=server.url, auth_token=SECRET, max_retries=0, deadline=2)
    for call in (
        lambda: client.organization(ORG).deployment(DEP).triggers.get(TRI),
        lambda: client.triggers_api().get_trigger(ORG, DEP, TRI),
    ):
        with pytest.raises(APIConnectionError) as caught:
            call()
        assert sdk_frames_holding(caught.value, SECRET) == []
        rendered = "".join(traceback.format_exception(caught.value))
        assert SECRET not in rendered


@pytest.mark.parametrize(
    "options",
    [
        {"timeout": math.inf},
        {"timeout": (1.0, math.inf)},
        {"timeout": math.nan},
        {"timeout": 10**400},
        {"deadline": math.nan},
        {"backoff_max": math.inf},
        {"backoff_base": math.nan},
    ],
    ids=repr,
)
def test_non_finite_numbers_are_refused_at_construction(options: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Client(auth_token="t", **options)
    if set(options) == {"timeout"} and not isinstance(options["timeout"], tuple):
        with pytest.raises(ValidationError):
            APIClient({"auth_token": "t"}, timeout=options["timeout"])
    if set(options) == {"deadline"}:
        with pytest.raises(ValidationError):
            Client(auth_token="t").with_options(deadline=options["deadline"])


_BAD_NUMBERS = ["nan", "inf", "-inf", "-1", "x"]


@pytest.mark.parametrize(
    ("variable", "value"),
    [("ABEJA_SDK_MAX_RETRY_COUNT", value) for value in [*_BAD_NUMBERS, "1.5", "1e3"]]
    + [("ABEJA_SDK_CONNECTION_TIMEOUT", value) for value in _BAD_NUMBERS],
)
def test_bad_numbers_in_the_environment_are_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    for make in (lambda: Client(auth_token="t"), lambda: APIClient({"auth_token": "t"})):
        with pytest.raises(ValidationError) as caught:
            make()
        assert caught.value.parameter == variable


@pytest.mark.parametrize("port", ["99999", "0", "65536", "-1", "x"])
def test_a_base_url_with_an_impossible_port_is_refused_at_construction(
    monkeypatch: pytest.MonkeyPatch, port: str
) -> None:
    url = f"https://api.example.com:{port}"
    with pytest.raises(ValidationError, match="base_url"):
        Client(base_url=url, auth_token="t")
    with pytest.raises(ValidationError, match="base_url"):
        APIClient({"auth_token": "t"}, base_url=url)
    monkeypatch.setenv("ABEJA_API_URL", url)
    with pytest.raises(ValidationError, match="ABEJA_API_URL"):
        Client(auth_token="t")


def test_the_most_retries_end_at_the_deadline_without_overflow(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    def unavailable(connection: Connection) -> None:
        while connection.read_request() is not None:
            connection.answer({"error": "x"}, status=503)

    server = hostile_server(unavailable)
    client = Client(
        base_url=server.url,
        auth_token="t",
        max_retries=100,
        deadline=1.0,
        backoff_base=0.02,
        backoff_max=0.05,
    )
    started = time.monotonic()
    for call in (
        lambda: client.organization(ORG).deployment(DEP).triggers.get(TRI),
        lambda: client.triggers_api().get_trigger(ORG, DEP, TRI),
    ):
        with pytest.raises(APITimeoutError):
            call()
    assert time.monotonic() - started < 3.0
    assert len(server.requests) > 10


@pytest.mark.parametrize("layer", ["client", "api"])
@pytest.mark.parametrize("status", [200, 500])
def test_deeply_nested_json_is_a_typed_error(
    hostile_server: Callable[[Handler], HostileServer], layer: str, status: int
) -> None:
    deep = b'{"error": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"

    def handler(connection: Connection) -> None:
        while connection.read_request() is not None:
            connection.answer(raw_body=deep, status=status)

    server = hostile_server(handler)
    client = Client(base_url=server.url, auth_token="t", max_retries=0)
    call = (
        (lambda: client.triggers_api().get_trigger(ORG, DEP, TRI))
        if layer == "api"
        else (lambda: client.organization(ORG).deployment(DEP).triggers.get(TRI))
    )
    with pytest.raises(AbejaError) as caught:
        call()
    assert caught.value.status_code == status  # type: ignore[attr-defined]
    assert sys.getrecursionlimit() < 200_000
