"""A caller's own ``requests.Session``: used for every call, never closed, never allowed to
change where the credential goes; and a session the SDK makes has no process-wide effects."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

import pytest
import requests
import requests_mock
import responses

from abeja_models import APIError, Client, ValidationError
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.triggers import APIClient as TriggerAPIClient

BASE_URL = "https://api.test"
ORG, DEP, TID = "1234567890123", "1111111111111", "tri-3333333333333333"
JOB = "test_job_definition"
TRIGGER_URL = f"{BASE_URL}/organizations/{ORG}/deployments/{DEP}/triggers/{TID}"
NOTEBOOKS_URL = f"{BASE_URL}/organizations/{ORG}/training/definitions/{JOB}/notebooks"

Layer = Callable[[requests.Session], Callable[[], object]]


def _typed(session: requests.Session) -> Callable[[], object]:
    client = Client(base_url=BASE_URL, auth_token="tok", max_retries=0, session=session)
    return lambda: client.organization(ORG).deployment(DEP).triggers.get(TID)


def _low_level(session: requests.Session) -> Callable[[], object]:
    api = TriggerAPIClient({"auth_token": "tok"}, base_url=BASE_URL, session=session)
    return lambda: api.get_trigger(ORG, DEP, TID)


LAYERS = [pytest.param(_typed, id="resources"), pytest.param(_low_level, id="low-level")]


class RecordingSession(requests.Session):
    """A user's session with a mock adapter mounted for the API, that counts its closes."""

    def __init__(self) -> None:
        super().__init__()
        self.closes = 0
        self.adapter = requests_mock.Adapter()
        self.mount(BASE_URL, self.adapter)

    def close(self) -> None:
        self.closes += 1
        super().close()


@pytest.fixture
def session(trigger_doc: dict[str, Any]) -> Iterator[RecordingSession]:
    made = RecordingSession()
    made.adapter.register_uri("GET", TRIGGER_URL, json=trigger_doc)
    yield made
    made.close()


@pytest.mark.parametrize("layer", LAYERS)
def test_every_call_goes_through_the_callers_session_and_its_adapters(
    layer: Layer, session: RecordingSession
) -> None:
    result = layer(session)()

    assert session.adapter.call_count == 1
    sent = session.adapter.last_request
    assert sent.headers["Authorization"] == "Bearer tok"
    trigger_id = result["trigger_id"] if isinstance(result, dict) else result.trigger_id  # type: ignore[attr-defined]
    assert trigger_id == TID


@pytest.mark.parametrize("layer", LAYERS)
def test_the_sessions_headers_and_hooks_apply(layer: Layer, session: RecordingSession) -> None:
    seen: list[int] = []
    session.headers["X-Request-Source"] = "batch-7"
    session.hooks["response"].append(lambda response, **_: seen.append(response.status_code))

    layer(session)()

    assert session.adapter.last_request.headers["X-Request-Source"] == "batch-7"
    assert seen == [200]


@pytest.mark.parametrize("layer", LAYERS)
def test_a_hook_that_reads_the_body_leaves_it_to_the_sdk(
    layer: Layer, session: RecordingSession
) -> None:
    logged: list[bytes] = []
    session.hooks["response"].append(lambda response, **_: logged.append(response.content))

    result = layer(session)()

    trigger_id = result["trigger_id"] if isinstance(result, dict) else result.trigger_id  # type: ignore[attr-defined]
    assert trigger_id == TID
    assert TID.encode() in logged[0]


class _HandMadeAdapter(requests.adapters.BaseAdapter):
    """An adapter of a user's own that answers with a body and no raw stream."""

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self.body = body

    def send(self, request: requests.PreparedRequest, **_: Any) -> requests.Response:
        response = requests.Response()
        response.status_code = 200
        response._content = self.body
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass


@pytest.mark.parametrize("layer", LAYERS)
def test_an_answer_without_a_raw_stream_is_read_from_its_content(
    layer: Layer, trigger_doc: dict[str, Any]
) -> None:
    session = requests.Session()
    session.mount(BASE_URL, _HandMadeAdapter(json.dumps(trigger_doc).encode()))

    result = layer(session)()

    trigger_id = result["trigger_id"] if isinstance(result, dict) else result.trigger_id  # type: ignore[attr-defined]
    assert trigger_id == TID


@pytest.mark.parametrize("layer", LAYERS)
def test_the_sdks_credential_wins_over_the_sessions_auth_and_netrc(
    layer: Layer, session: RecordingSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine api.test login someone password from-netrc\n")
    monkeypatch.setenv("NETRC", str(netrc))
    session.auth = ("someone", "from-session")

    layer(session)()

    assert session.adapter.last_request.headers["Authorization"] == "Bearer tok"


def test_without_sdk_credentials_the_sessions_own_auth_is_sent(session: RecordingSession) -> None:
    session.auth = ("someone", "secret")
    client = Client(base_url=BASE_URL, max_retries=0, session=session)

    client.organization(ORG).deployment(DEP).triggers.get(TID)

    assert session.adapter.last_request.headers["Authorization"].startswith("Basic ")


def test_the_sessions_tls_settings_are_kept_unless_the_client_sets_its_own(
    session: RecordingSession, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):  # requests lets them win
        monkeypatch.delenv(name, raising=False)
    session.verify = "/etc/corporate-ca.pem"
    _typed(session)()
    assert session.adapter.last_request.verify == "/etc/corporate-ca.pem"

    bundle = tmp_path / "pinned.pem"  # the client refuses a path that does not exist
    bundle.write_text("")
    pinned = Client(base_url=BASE_URL, auth_token="t", verify=str(bundle), session=session)
    pinned.organization(ORG).deployment(DEP).triggers.get(TID)
    assert session.adapter.last_request.verify == str(bundle)


@pytest.mark.parametrize("layer", LAYERS)
def test_a_redirect_is_not_followed_whatever_the_session(
    layer: Layer, session: RecordingSession
) -> None:
    session.adapter.register_uri(
        "GET", TRIGGER_URL, status_code=302, headers={"Location": "https://elsewhere.test/x"}
    )

    with pytest.raises(APIError) as caught:
        layer(session)()

    assert caught.value.status_code == 302
    assert session.adapter.call_count == 1


def test_closing_the_clients_leaves_the_callers_session_open(session: RecordingSession) -> None:
    clients = [
        Client(base_url=BASE_URL, auth_token="t", session=session),
        TriggerAPIClient({"auth_token": "t"}, base_url=BASE_URL, session=session),
        NotebookAPIClient({"auth_token": "t"}, base_url=BASE_URL, session=session),
    ]
    for client in clients:
        client.close()

    assert session.closes == 0
    _typed(session)()
    assert session.adapter.call_count == 1


def test_closing_a_client_closes_the_session_it_made(monkeypatch: pytest.MonkeyPatch) -> None:
    closed: list[requests.Session] = []
    monkeypatch.setattr(requests.Session, "close", lambda self: closed.append(self))

    Client(base_url=BASE_URL, auth_token="t").close()
    TriggerAPIClient({"auth_token": "t"}, base_url=BASE_URL).close()

    assert len(closed) == 2


@pytest.mark.parametrize("given", ["https://proxy.test", object(), {"verify": False}])
def test_something_else_than_a_session_is_refused_naming_the_parameter(given: object) -> None:
    for make in (
        lambda: Client(base_url=BASE_URL, auth_token="t", session=given),  # type: ignore[arg-type]
        lambda: TriggerAPIClient(base_url=BASE_URL, session=given),  # type: ignore[arg-type]
    ):
        with pytest.raises(ValidationError, match="session"):
            make()


def test_a_loopback_api_is_reached_directly_even_with_a_proxy_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, trigger_doc: dict[str, Any]
) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.setenv(name, "http://proxy.test:3128")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    local = "http://127.0.0.1:9"
    remote = "https://api.test"
    with responses.RequestsMock() as api:
        for base in (local, remote):
            path = f"/organizations/{ORG}/deployments/{DEP}/triggers/{TID}"
            api.get(base + path, json=trigger_doc)
            with Client(base_url=base, auth_token="t") as client:
                client.organization(ORG).deployment(DEP).triggers.get(TID)
        proxies = [call.request.req_kwargs["proxies"] for call in api.calls]
    assert proxies[0] == {}
    assert proxies[1].get("https") == "http://proxy.test:3128"


def test_a_large_page_is_read_without_touching_the_garbage_collector(
    monkeypatch: pytest.MonkeyPatch, trigger_run_doc: dict[str, Any]
) -> None:
    def forbidden() -> None:
        raise AssertionError("a library must not switch the garbage collector")

    monkeypatch.setattr(gc, "disable", forbidden)
    monkeypatch.setattr(gc, "enable", forbidden)
    page = {"entries": [{**trigger_run_doc, "run_id": f"run-{n:016d}"} for n in range(500)]}
    assert len(json.dumps(page)) > 128 * 1024
    with responses.RequestsMock() as api, Client(base_url=BASE_URL, auth_token="t") as client:
        api.get(f"{TRIGGER_URL}/runs", json=page)
        trigger = client.organization(ORG).deployment(DEP).triggers
        runs = list(trigger.runs(TID))
    assert [run.run_id for run in runs[:2]] == ["run-0000000000000000", "run-0000000000000001"]
    assert len(runs) == 500


def test_the_low_level_clients_of_a_client_send_through_its_session(
    session: RecordingSession,
) -> None:
    client = Client(base_url=BASE_URL, auth_token="tok", max_retries=0, session=session)
    for derived in (client, client.with_options(deadline=5.0)):
        derived.triggers_api().get_trigger(ORG, DEP, TID)

    assert session.adapter.call_count == 2
    assert all(
        call.headers["Authorization"] == "Bearer tok" for call in session.adapter.request_history
    )
