"""One rule per setting, whichever way it comes in: huge but finite numbers, TLS options
that would turn verification off, and base URLs that are malformed or hold a password.

Each is refused at construction (nothing sent) with a ``ValidationError`` naming the
argument, variable or option the caller gave, or, for the documented "no limit" spellings,
taken as no limit.
"""

from __future__ import annotations

import math
import sys
import traceback
from pathlib import Path
from typing import Any, Callable

import pytest

from abeja_models import Client, ValidationError
from abeja_models.cli import main
from abeja_models.testing import PlatformEmulator, seed
from abeja_models.triggers import APIClient

from .test_transport_config import sdk_frames_holding

ORG, DEP, JOB = seed.ORGANIZATION, seed.DEPLOYMENT, seed.JOB_DEFINITION
PASSWORD = "pa55-W0RD-never-shown"
Make = Callable[..., object]

# -- numbers: what the clock, the socket and memory can honour ------------------------------

HUGE = [
    ("timeout", 1e10),
    ("timeout", 1e12),
    ("timeout", (1.0, 1e10)),
    ("deadline", 1e10),
    ("deadline", sys.maxsize),
    ("max_answer_bytes", 2**40),
    ("max_answer_bytes", sys.maxsize),
    ("pool_size", 10**9),
    ("max_retries", 10**6),
    ("backoff_max", 1e10),
]


@pytest.mark.parametrize(("setting", "value"), HUGE, ids=repr)
def test_a_huge_finite_setting_is_refused_by_its_name_everywhere(setting: str, value: Any) -> None:
    spelt = "max_retry_count" if setting == "max_retries" else setting
    ways: list[tuple[str, Make]] = [
        (setting, lambda: Client(auth_token="t", **{setting: value})),
        (spelt, lambda: APIClient({"auth_token": "t"}, **{spelt: value})),
    ]
    if setting not in ("pool_size",):
        ways.append((setting, lambda: Client(auth_token="t").with_options(**{setting: value})))
    for name, make in ways:
        with pytest.raises(ValidationError) as caught:
            make()
        assert caught.value.parameter == name


@pytest.mark.parametrize("value", ["1e10", "1e300", "10000000000"])
def test_a_huge_timeout_in_the_environment_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("ABEJA_SDK_CONNECTION_TIMEOUT", value)
    for make in (lambda: Client(auth_token="t"), lambda: APIClient({"auth_token": "t"})):
        with pytest.raises(ValidationError) as caught:
            make()
        assert caught.value.parameter == "ABEJA_SDK_CONNECTION_TIMEOUT"


@pytest.mark.parametrize("no_limit", [None, math.inf])
def test_none_and_inf_mean_no_deadline(no_limit: Any) -> None:
    client = Client(auth_token="t", deadline=no_limit)
    assert client._transport.settings.deadline is None
    assert client.with_options(deadline=no_limit)._transport.settings.deadline is None


def test_waits_refuse_a_huge_timeout_by_its_own_name_and_take_inf_as_no_limit(
    abeja_emulator: PlatformEmulator,
) -> None:
    seed.seed(abeja_emulator)
    client = Client(base_url=abeja_emulator.url, auth_token="t", deadline=5)
    job = client.organization(ORG).job_definition(JOB)
    notebook = job.notebooks.get(seed.NOTEBOOK)
    sent = len(abeja_emulator.requests)
    for wait in (
        lambda timeout: notebook.wait_until("Running", timeout=timeout, poll_interval=0.01),
        lambda timeout: notebook.wait_for(lambda _: True, timeout=timeout),
    ):
        with pytest.raises(ValidationError) as caught:
            wait(sys.maxsize)
        assert caught.value.parameter == "timeout"
    assert len(abeja_emulator.requests) == sent
    # "Forever": the wait runs (the client's own deadline still bounds each call).
    assert notebook.wait_for(lambda _: True, timeout=math.inf) is notebook
    assert notebook.wait_for(lambda _: True, timeout=None) is notebook
    assert job.notebooks.within(math.inf)._transport.settings.deadline == 5


@pytest.mark.parametrize("interval", [1e10, math.inf, math.nan, 0])
def test_a_log_poll_interval_the_clock_cannot_honour_is_refused_before_sending(
    abeja_emulator: PlatformEmulator, interval: float
) -> None:
    client = Client(base_url=abeja_emulator.url, auth_token="t")
    notebooks = client.organization("1").job_definition("job").notebooks
    with pytest.raises(ValidationError) as caught:
        notebooks.logs("1", follow=True, poll_interval=interval)
    assert caught.value.parameter == "poll_interval"
    assert abeja_emulator.requests == []


# -- TLS verification cannot be turned off by accident ---------------------------------------


@pytest.mark.parametrize("verify", ["", " ", 0, 1, "/nonexistent/ca.pem", [], b"/tmp"], ids=repr)
def test_verify_takes_only_true_false_or_an_existing_path(verify: Any) -> None:
    for make in (
        lambda: Client(auth_token="t", verify=verify),
        lambda: APIClient({"auth_token": "t"}, verify=verify),
    ):
        with pytest.raises(ValidationError) as caught:
            make()
        assert caught.value.parameter == "verify"


def test_verify_takes_a_bundle_file_or_directory_that_exists(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    for path in (bundle, str(bundle), str(tmp_path)):
        assert Client(auth_token="t", verify=path)._transport.settings.verify == str(path)  # type: ignore[arg-type]
    assert Client(auth_token="t", verify=False)._transport.settings.verify is False
    assert Client(auth_token="t")._transport.settings.verify is True


# -- the base URL: one rule, every way in ----------------------------------------------------


def _ways_in(url: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Make]]:
    def from_environment() -> object:
        monkeypatch.setenv("ABEJA_API_URL", url)
        return Client(auth_token="t")

    return [
        ("base_url", lambda: Client(base_url=url, auth_token="t")),
        ("base_url", lambda: APIClient({"auth_token": "t"}, base_url=url)),
        ("ABEJA_API_URL", from_environment),
    ]


@pytest.mark.parametrize("padding", ["\n", "\r\n", "\t", " ", "\n "])
def test_whitespace_around_a_base_url_is_removed_whichever_way_it_comes(
    abeja_emulator: PlatformEmulator, monkeypatch: pytest.MonkeyPatch, padding: str
) -> None:
    seed.seed(abeja_emulator)
    for _, make in _ways_in(padding + abeja_emulator.url + "/" + padding, monkeypatch):
        client = make()
        api = client.triggers_api() if isinstance(client, Client) else client
        assert isinstance(api, APIClient)
        assert api.get_triggers(ORG, DEP)["entries"]


@pytest.mark.parametrize(
    "url",
    [
        "https://[::1",
        "http://[127.0.0.1]:8080",
        "http://[::1]x:1",
        "https://[v1.x]",
        "https://api.example.com:99999",
        "https://api .example.com",
        "https://api.example.com\n/v1",
        "https://a..b",
        "https:///path",
    ],
)
def test_a_malformed_base_url_is_refused_by_name_whichever_way_it_comes(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    for name, make in _ways_in(url, monkeypatch):
        with pytest.raises(ValidationError) as caught:
            make()
        assert caught.value.parameter == name


MALFORMED_WITH_PASSWORD = [
    f"https//user:{PASSWORD}@api.example.com",
    f"htps://user:{PASSWORD}@api.example.com",
    f"https:/user:{PASSWORD}@api.example.com",
    f"user:{PASSWORD}@api.example.com",
    f"https://user:{PASSWORD}@",
    f"https://user:{PASSWORD}@api.example.com",
    f"https://user:{PASSWORD}/x@api.example.com",
]


@pytest.mark.parametrize("url", MALFORMED_WITH_PASSWORD)
def test_a_password_in_a_base_url_is_never_shown(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    for _, make in _ways_in(url, monkeypatch):
        with pytest.raises(ValidationError) as caught:
            make()
        rendered = "".join(traceback.format_exception(caught.value))
        assert PASSWORD not in rendered
        assert PASSWORD not in repr(caught.value.args)
        assert sdk_frames_holding(caught.value, PASSWORD) == []


@pytest.mark.parametrize("url", MALFORMED_WITH_PASSWORD)
def test_the_command_line_never_prints_a_password_in_a_base_url(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("PLATFORM_AUTH_TOKEN", "t")
    argv = ["triggers", "list", "-o", "1", "-d", "2"]
    assert main([*argv, "--base-url", url]) == 2
    monkeypatch.setenv("ABEJA_API_URL", url)
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert "invalid --base-url" in captured.err
    assert "invalid ABEJA_API_URL" in captured.err
    assert PASSWORD not in captured.out + captured.err


# -- credentials: the ones given, or a refusal naming what is wrong --------------------------


@pytest.mark.parametrize("secret", ["ab\ud800cd", "sec\udcffret"], ids=["lone", "undecodable"])
def test_a_secret_with_no_utf8_form_is_refused_by_name_and_never_shown(
    monkeypatch: pytest.MonkeyPatch, secret: str
) -> None:
    ways: list[tuple[str, Make]] = [
        ("personal_access_token", lambda: Client(user_id="u", personal_access_token=secret)),
        (
            "credential['personal_access_token']",
            lambda: APIClient({"user_id": "u", "personal_access_token": secret}),
        ),
        ("auth_token", lambda: Client(auth_token=secret)),
    ]
    for name, make in ways:
        with pytest.raises(ValidationError) as caught:
            make()
        assert caught.value.parameter == name
        assert secret not in repr(caught.value.__dict__) + str(caught.value)


@pytest.mark.parametrize(
    ("given", "refused"),
    [
        ({"user_id": "u"}, "personal_access_token"),
        ({"personal_access_token": "s"}, "user_id"),
        ({"user_id": "u", "personal_access_token": " "}, "personal_access_token"),
        ({"auth_token": " "}, "auth_token"),
        ({"user_id": ["u"], "personal_access_token": "s"}, "user_id"),
    ],
    ids=repr,
)
def test_credentials_given_in_part_are_refused_not_replaced_by_the_environments(
    monkeypatch: pytest.MonkeyPatch, given: dict[str, Any], refused: str
) -> None:
    monkeypatch.setenv("PLATFORM_AUTH_TOKEN", "from-the-environment")
    with pytest.raises(ValidationError) as caught:
        Client(**given)
    assert caught.value.parameter == refused
    with pytest.raises(ValidationError) as caught:
        APIClient(given)
    assert caught.value.parameter == f"credential[{refused!r}]"


def test_a_user_id_given_as_a_number_is_used() -> None:
    client = Client(user_id=1234567890123, personal_access_token="s")  # type: ignore[arg-type]
    assert repr(client._transport.settings.credentials) == (
        "<Credentials basic user-1234567890123 (secret hidden)>"
    )


@pytest.mark.parametrize("url", [b"https://me:hunter2@h.example", ["https://me:hunter2@h"]])
def test_a_base_url_that_is_not_text_is_refused_by_its_type_alone(url: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Client(base_url=url, auth_token="t")  # type: ignore[arg-type]
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("url", ["https://ß.example", "https://例え.jp"])
def test_a_host_name_that_is_not_ascii_is_refused(url: str) -> None:
    with pytest.raises(ValidationError, match="xn--"):
        Client(base_url=url, auth_token="t")


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_a_ca_bundle_the_environment_names_must_exist(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str
) -> None:
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, "/nonexistent/ca.pem")
    for make in (
        lambda: Client(base_url="https://api.example.com", auth_token="t"),
        lambda: APIClient({"auth_token": "t"}, base_url="https://api.example.com"),
    ):
        with pytest.raises(ValidationError) as caught:
            make()
        assert caught.value.parameter == variable
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    monkeypatch.setenv(variable, str(bundle))
    assert Client(base_url="https://api.example.com", auth_token="t") is not None
