"""Settings: each default once, ``with_options`` changing only what it is given, and the
names other modules read from ``abeja_models._config``."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest
import responses

from abeja_models import Client, ValidationError
from abeja_models._config import (
    CREDENTIAL_PAIRS,
    KEEP,
    SECRET_VARIABLES,
    SETTING_VARIABLES,
    Settings,
    resolve_settings,
)
from abeja_models.triggers import APIClient as TriggerAPIClient

from .conftest import BASE_URL

ORG, DEP = "1234567890123", "1111111111111"
TRIGGERS_URL = f"{BASE_URL}/organizations/{ORG}/deployments/{DEP}/triggers"


def _timeout_sent(api: responses.RequestsMock, client: Client) -> Any:
    api.get(TRIGGERS_URL, json={"entries": []})
    client.organization(ORG).deployment(DEP).triggers.list()
    return api.calls[-1].request.req_kwargs["timeout"]


# -- where a value comes from: argument, environment, the command line's preset, default ---


def test_the_defaults_a_plain_client_resolves() -> None:
    settings = resolve_settings(environ={})
    assert settings == Settings()
    assert (settings.base_url, settings.credentials) == ("https://api.abeja.io", None)
    assert (settings.timeout, settings.max_retries) == ((30.0, 30.0), 5)
    assert (settings.backoff_base, settings.backoff_max) == (0.5, 8.0)
    assert settings.max_answer_bytes == 32 * 1024 * 1024
    assert (settings.pool_size, settings.deadline, settings.verify) == (10, None, True)


@pytest.mark.parametrize("command_line", [False, True])
def test_an_argument_wins_over_the_environment_which_wins_over_the_preset(
    command_line: bool,
) -> None:
    environ = {"ABEJA_SDK_CONNECTION_TIMEOUT": "7", "ABEJA_SDK_MAX_RETRY_COUNT": "1"}
    given = resolve_settings(environ=environ, command_line=command_line, timeout=2, max_retries=0)
    assert (given.timeout, given.max_retries) == ((2.0, 2.0), 0)
    from_environment = resolve_settings(environ=environ, command_line=command_line)
    assert (from_environment.timeout, from_environment.max_retries) == ((7.0, 7.0), 1)


def test_the_command_line_preset_stands_in_for_the_default_only() -> None:
    preset = resolve_settings(environ={}, command_line=True)
    assert (preset.timeout, preset.max_retries) == ((3.05, 30.0), 2)
    assert resolve_settings(environ={}) == Settings()


def test_blank_variables_count_as_unset() -> None:
    environ = {"ABEJA_API_URL": " ", "ABEJA_SDK_CONNECTION_TIMEOUT": ""}
    assert resolve_settings(environ=environ) == Settings()


def test_an_unknown_setting_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="tiemout"):
        resolve_settings(environ={}, tiemout=3)


# -- with_options: only what it is given, meaning what it means to Client(...) ---------------


def test_with_options_given_nothing_keeps_every_setting() -> None:
    client = Client(
        base_url=BASE_URL,
        auth_token="t",
        timeout=(2, 9),
        max_retries=1,
        deadline=4,
        verify=False,
        pool_size=3,
        backoff_base=0.1,
        backoff_max=0.2,
        max_answer_bytes=1000,
    )
    for derived in (
        client.with_options(),
        client.with_options(timeout=KEEP, max_retries=KEEP, deadline=KEEP, max_answer_bytes=KEEP),
    ):
        assert derived._transport.settings == client._transport.settings


def test_with_options_changes_only_what_it_is_given() -> None:
    client = Client(base_url=BASE_URL, auth_token="t", timeout=2, max_retries=1, deadline=4)
    derived = client.with_options(max_retries=3)
    assert derived._transport.settings == dataclasses.replace(
        client._transport.settings, max_retries=3
    )


def test_with_options_none_means_what_it_means_to_the_constructor(
    api: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client(base_url=BASE_URL, auth_token="t", timeout=2, max_retries=1, deadline=4)
    # deadline=None too: a deadline would cut the timeout sent to the time left.
    assert _timeout_sent(api, client.with_options(timeout=None, deadline=None)) == (30.0, 30.0)
    monkeypatch.setenv("ABEJA_SDK_CONNECTION_TIMEOUT", "7")
    monkeypatch.setenv("ABEJA_SDK_MAX_RETRY_COUNT", "0")
    back = client.with_options(timeout=None, max_retries=None, deadline=None)
    assert _timeout_sent(api, back) == (7.0, 7.0)
    assert (back._transport.settings.max_retries, back._transport.settings.deadline) == (0, None)
    unchanged = client._transport.settings
    assert (unchanged.timeout, unchanged.max_retries, unchanged.deadline) == ((2.0, 2.0), 1, 4.0)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("timeout", -1),
        ("timeout", (1, 2, 3)),
        ("max_retries", -1),
        ("max_retries", True),
        ("deadline", 0),
        ("max_answer_bytes", 0),
        ("backoff_base", -1),
    ],
)
def test_with_options_checks_what_it_is_given_as_the_constructor_does(
    option: str, value: object
) -> None:
    client = Client(base_url=BASE_URL, auth_token="t")
    with pytest.raises(ValidationError) as constructing:
        Client(base_url=BASE_URL, auth_token="t", **{option: value})
    with pytest.raises(ValidationError) as changing:
        client.with_options(**{option: value})
    assert str(changing.value) == str(constructing.value)
    assert changing.value.parameter == option


@pytest.mark.parametrize("url", [123, b"https://api.test", ["https://api.test"]])
def test_a_base_url_that_is_not_a_string_is_a_typed_error(url: object) -> None:
    with pytest.raises(ValidationError, match="base_url"):
        Client(base_url=url)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="base_url"):
        TriggerAPIClient({"auth_token": "t"}, base_url=url)  # type: ignore[arg-type]


# -- the names the command line and the test suites read -----------------------------------


def test_the_variables_are_the_platform_sdks() -> None:
    assert CREDENTIAL_PAIRS == (
        ("ABEJA_PLATFORM_USER_ID", "ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN"),
        ("ABEJA_PLATFORM_DATASOURCE_ID", "ABEJA_PLATFORM_DATASOURCE_SECRET"),
    )
    assert SECRET_VARIABLES == (
        "PLATFORM_AUTH_TOKEN",
        "ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN",
        "ABEJA_PLATFORM_DATASOURCE_SECRET",
        "ABEJA_CLI_TOKEN",
        "PERSONAL_ACCESS_TOKEN",
    )
    assert (
        "ABEJA_API_URL",
        "ABEJA_SDK_CONNECTION_TIMEOUT",
        "ABEJA_SDK_MAX_RETRY_COUNT",
        "PLATFORM_AUTH_TOKEN",
        *CREDENTIAL_PAIRS[0],
        *CREDENTIAL_PAIRS[1],
        "ABEJA_CLI_USER",
        "ABEJA_PLATFORM_USER",
        "ABEJA_CLI_TOKEN",
        "PERSONAL_ACCESS_TOKEN",
        "ABEJA_PROFILE",
        "ABEJA_ORGANIZATION_ID",
        "ABEJA_CLI_ORGANIZATION",
        "ORGANIZATION_NAME",
    ) == SETTING_VARIABLES


def test_keep_shows_its_name() -> None:
    assert repr(KEEP) == "KEEP"
    assert "= KEEP" in str(inspect.signature(Client.with_options))
