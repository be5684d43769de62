"""Credentials stay secret: in logs at DEBUG, in every message and repr.

http.client's wire dump (``HTTPConnection.debuglevel = 1``) prints every byte sent,
the Authorization header included, for this SDK as for any client on requests: keeping
the SDK's connections out of it would mean replacing urllib3's connection classes,
which stops vcrpy and other tools that patch them. docs/reliability.md explains the choice.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import responses

from abeja_models import APIError, Client, NotFound, ValidationError
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.testing import PlatformEmulator
from abeja_models.triggers import APIClient as TriggerAPIClient

TOKEN = "tok-SECRET-0123456789abcdef"
USER, PERSONAL_TOKEN = "user-1234567890123", "pat-SECRET-fedcba9876543210"
ORG, DEPLOYMENT, JOB = "1234567890123", "1111111111111", "job-1"
SECRETS = (
    TOKEN,
    PERSONAL_TOKEN,
    "SECRET",
    base64.b64encode(f"{USER}:{PERSONAL_TOKEN}".encode()).decode(),
)


@pytest.fixture
def loud_debugging() -> Iterator[None]:
    """Logging at DEBUG everywhere (urllib3's and requests' loggers too)."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    yield
    root.setLevel(level)


def _session(client: Client, emulator: PlatformEmulator) -> list[str]:
    """A session of calls that succeed, fail, retry and are refused; returns their texts."""
    texts = [repr(client), str(client)]
    triggers = client.organization(ORG).deployment(DEPLOYMENT).triggers
    trigger = triggers.create(version_id="ver-1", input_service_id="2222222222222")
    texts += [repr(trigger), trigger.to_json(), repr(triggers)]
    emulator.add_runs(trigger.trigger_id, 3)
    texts += [run.to_json() for run in trigger.runs()]
    emulator.inject_fault("GET", "/triggers$", status=503, retry_after=0, times=1)
    texts += [repr(t) for t in triggers.list()]
    for failing in (
        lambda: triggers.get("tri-0000000000000000"),
        lambda: triggers.create(version_id="v", input_service_id="c", retry_count=99),
    ):
        with pytest.raises((NotFound, ValidationError)) as caught:
            failing()
        texts += [str(caught.value), repr(caught.value), repr(caught.value.args)]
    emulator.inject_fault("GET", "/notebooks$", status=500, times=10)
    with pytest.raises(APIError) as server_error:
        client.with_options(max_retries=1).organization(ORG).job_definition(JOB).notebooks.list()
    texts += [str(server_error.value), repr(server_error.value)]
    low_level = [client.triggers_api(), client.notebooks_api()]
    texts += [repr(api) for api in low_level]
    texts += [repr(request) for request in emulator.requests]
    return texts


@pytest.mark.parametrize(
    "credentials",
    [{"auth_token": TOKEN}, {"user_id": USER, "personal_access_token": PERSONAL_TOKEN}],
    ids=["bearer", "basic"],
)
def test_no_secret_in_any_output_of_a_session_at_debug(
    loud_debugging: None,
    credentials: dict[str, str],
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with (
        PlatformEmulator() as emulator,
        Client(base_url=emulator.url, backoff_base=0.0, **credentials) as client,
    ):
        texts = _session(client, emulator)
        sent = {request.headers.get("Authorization", "") for request in emulator.requests}
    captured = capfd.readouterr()
    everything = "\n".join([*texts, captured.out, captured.err, caplog.text])
    # The session did talk, and did log, and the server did get the credentials...
    assert "abeja_models" in caplog.text
    assert caplog.records, "the SDK logs its calls at DEBUG"
    assert len(sent) == 1
    assert sent.pop().split()[0] in ("Bearer", "Basic")
    # ...but no secret reached any output.
    for secret in SECRETS:
        assert secret not in everything


def test_low_level_clients_never_show_their_credential() -> None:
    for api in (
        TriggerAPIClient({"auth_token": TOKEN}, base_url="http://127.0.0.1:9"),
        NotebookAPIClient(
            {"user_id": USER, "personal_access_token": PERSONAL_TOKEN},
            base_url="http://127.0.0.1:9",
        ),
    ):
        for secret in SECRETS:
            assert secret not in repr(api)
            assert secret not in str(api)


@pytest.mark.parametrize(
    "url", ["http://api.abeja.io", "http://10.0.0.1:8080", "http://example.com/api"]
)
def test_plain_http_is_refused_except_to_loopback(url: str) -> None:
    with pytest.raises(ValidationError, match="base_url"):
        Client(base_url=url, auth_token=TOKEN)
    for loopback in ("http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1"):
        Client(base_url=loopback, auth_token=TOKEN).close()


@responses.activate
def test_tls_is_verified_by_default_and_can_take_a_ca_bundle(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):  # they would name a bundle
        monkeypatch.delenv(name, raising=False)
    responses.get("https://api.test/organizations/1/deployments/2/triggers", json={"entries": []})
    with Client(base_url="https://api.test", auth_token=TOKEN) as default:
        default.organization("1").deployment("2").triggers.list()
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    with Client(base_url="https://api.test", auth_token=TOKEN, verify=str(bundle)) as pinned:
        pinned.organization("1").deployment("2").triggers.list()
    assert [call.request.req_kwargs["verify"] for call in responses.calls] == [True, str(bundle)]


def test_a_redirect_is_not_followed_so_credentials_never_reach_another_host() -> None:
    with (
        PlatformEmulator() as api,
        PlatformEmulator() as elsewhere,
        Client(base_url=api.url, auth_token=TOKEN, backoff_base=0.0) as client,
    ):
        api.inject_fault(
            "GET", "/triggers$", status=302, headers={"Location": f"{elsewhere.url}/steal"}
        )
        with pytest.raises(APIError) as caught:
            client.organization(ORG).deployment(DEPLOYMENT).triggers.list()
        assert caught.value.status_code == 302
        assert elsewhere.requests == []
        assert api.count("GET", "/triggers$") == 1
