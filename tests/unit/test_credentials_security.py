"""Credentials on the wire, from arguments and environment, and never anywhere else."""

from __future__ import annotations

import base64
import traceback
from typing import Any, Union

import pytest
import requests
import responses

from abeja_models import Client, __version__
from abeja_models._config import (
    CREDENTIAL_VARIABLES,
    Credentials,
    Settings,
    credentials_from,
    hide,
)
from abeja_models.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    InternalServerError,
    InvalidResponseError,
    Unauthorized,
    ValidationError,
)
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.triggers import APIClient as TriggerAPIClient

BASE_URL = "https://api.test"
ORG = "1234567890123"
DEP = "1111111111111"
TID = "tri-3333333333333333"
TRIGGERS_URL = f"{BASE_URL}/organizations/{ORG}/deployments/{DEP}/triggers"

SECRET = "s3cr3t-T0KEN-do-not-print"
PAT = "pat-5ecret-value-do-not-print"


def _basic(user: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


def _authorization_sent(api: responses.RequestsMock, make: Any) -> str:
    api.get(TRIGGERS_URL, json={"entries": []})
    made = make()
    try:
        if isinstance(made, Client):
            made.organization(ORG).deployment(DEP).triggers.list()
        else:
            made.get_triggers(ORG, DEP)
    finally:
        made.close()
    return str(api.calls[-1].request.headers.get("Authorization"))


# -- headers ---------------------------------------------------------------------------------


def test_bearer_token_and_user_agent_are_sent(api: responses.RequestsMock) -> None:
    header = _authorization_sent(api, lambda: Client(base_url=BASE_URL, auth_token=SECRET))

    assert header == f"Bearer {SECRET}"
    request = api.calls[0].request
    assert request.headers["User-Agent"] == f"abeja-models/{__version__}"
    assert request.headers["Accept"] == "application/json"


def test_user_id_gets_the_user_prefix_for_basic_auth(api: responses.RequestsMock) -> None:
    header = _authorization_sent(
        api, lambda: Client(base_url=BASE_URL, user_id="1122334455660", personal_access_token=PAT)
    )

    assert header == _basic("user-1122334455660", PAT)


def test_a_prefixed_user_id_is_kept(api: responses.RequestsMock) -> None:
    header = _authorization_sent(
        api,
        lambda: Client(base_url=BASE_URL, user_id="user-1122334455660", personal_access_token=PAT),
    )

    assert header == _basic("user-1122334455660", PAT)


def test_user_id_without_a_token_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Client(base_url=BASE_URL, user_id="1122334455660")
    assert "personal_access_token" in caught.value.parameter


def test_bearer_token_from_the_environment(
    api: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLATFORM_AUTH_TOKEN", SECRET)

    assert _authorization_sent(api, lambda: Client(base_url=BASE_URL)) == f"Bearer {SECRET}"
    assert _authorization_sent(api, lambda: TriggerAPIClient(base_url=BASE_URL)) == (
        f"Bearer {SECRET}"
    )


def test_user_and_personal_access_token_from_the_environment(
    api: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ABEJA_PLATFORM_USER_ID", "1122334455660")
    monkeypatch.setenv("ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN", PAT)

    expected = _basic("user-1122334455660", PAT)
    assert _authorization_sent(api, lambda: Client(base_url=BASE_URL)) == expected
    assert _authorization_sent(api, lambda: TriggerAPIClient(base_url=BASE_URL)) == expected


def test_the_environment_token_wins_over_user_credentials(
    api: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLATFORM_AUTH_TOKEN", SECRET)
    monkeypatch.setenv("ABEJA_PLATFORM_USER_ID", "1122334455660")
    monkeypatch.setenv("ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN", PAT)

    assert _authorization_sent(api, lambda: Client(base_url=BASE_URL)) == f"Bearer {SECRET}"


def test_arguments_win_over_the_environment(
    api: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLATFORM_AUTH_TOKEN", "from-the-environment")

    header = _authorization_sent(api, lambda: Client(base_url=BASE_URL, auth_token=SECRET))

    assert header == f"Bearer {SECRET}"


def test_base_url_from_the_environment(
    api: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ABEJA_API_URL", "https://env.api.test/")
    api.get(f"https://env.api.test/organizations/{ORG}/deployments/{DEP}/triggers", json={})

    with Client(auth_token="t") as client:
        assert client.base_url == "https://env.api.test"
        client.organization(ORG).deployment(DEP).triggers.list()

    assert len(api.calls) == 1


def test_no_credentials_sends_no_authorization_and_explains_a_401(
    api: responses.RequestsMock,
) -> None:
    api.get(TRIGGERS_URL, status=401, json={"error": "unauthorized"})

    with Client(base_url=BASE_URL) as client, pytest.raises(Unauthorized) as caught:
        client.organization(ORG).deployment(DEP).triggers.list()

    assert "Authorization" not in api.calls[0].request.headers
    assert "PLATFORM_AUTH_TOKEN" in caught.value.error_description


@pytest.mark.parametrize(
    ("credential", "expected"),
    [
        ({"auth_token": SECRET}, f"Bearer {SECRET}"),
        ({"user_id": "42", "personal_access_token": PAT}, _basic("user-42", PAT)),
        ({"datasource_id": "77", "datasource_secret": PAT}, _basic("datasource-77", PAT)),
    ],
)
def test_seed_credential_dicts(
    api: responses.RequestsMock, credential: dict[str, str], expected: str
) -> None:
    header = _authorization_sent(api, lambda: TriggerAPIClient(credential, base_url=BASE_URL))

    assert header == expected


@pytest.mark.parametrize("credential", [{"token": SECRET}, "Bearer x", ["auth_token"]])
def test_seed_credential_of_the_wrong_form_is_refused(credential: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        TriggerAPIClient(credential, base_url=BASE_URL)
    assert caught.value.parameter == "credential"
    assert SECRET not in str(caught.value)


# -- secrets never shown ---------------------------------------------------------------------


def _texts(*objects: object) -> str:
    return "\n".join(f"{obj!r}\n{obj!s}" for obj in objects)


def test_no_repr_or_str_shows_a_secret() -> None:
    bearer = Client(base_url=BASE_URL, auth_token=SECRET)
    basic = Client(base_url=BASE_URL, user_id="1122334455660", personal_access_token=PAT)
    seeds = [
        TriggerAPIClient({"auth_token": SECRET}, base_url=BASE_URL),
        NotebookAPIClient({"user_id": "1", "personal_access_token": PAT}, base_url=BASE_URL),
    ]
    credentials = [Credentials.bearer(SECRET), Credentials.basic("user-1", PAT)]
    shown = _texts(
        bearer,
        basic,
        *seeds,
        *credentials,
        bearer._transport,
        bearer._transport.settings,
        bearer.organization(ORG),
        bearer.organization(ORG).deployment(DEP).triggers,
    )

    assert SECRET not in shown
    assert PAT not in shown
    assert base64.b64encode(f"user-1:{PAT}".encode()).decode() not in shown
    assert "hidden" in repr(credentials[0])
    assert isinstance(bearer._transport.settings, Settings)
    for made in (bearer, basic, *seeds):
        made.close()


# Secrets of letters and digits in no order any repr uses, so any three characters of one
# in a text can only be a piece of it. Each with the environment variables that give it.
CREDENTIAL_KINDS: dict[str, dict[str, tuple[str, str]]] = {
    "token": {"auth_token": ("PLATFORM_AUTH_TOKEN", "Zq7Vx2Kj9Wb4Ym6T")},
    "personal-access-token": {
        "user_id": ("ABEJA_PLATFORM_USER_ID", "1122334455660"),
        "personal_access_token": ("ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN", "Jx3Qw8Zr5Vk1Pn7G"),
    },
    "datasource-secret": {
        "datasource_id": ("ABEJA_PLATFORM_DATASOURCE_ID", "1234567890123"),
        "datasource_secret": ("ABEJA_PLATFORM_DATASOURCE_SECRET", "Wk6Zf2Qy9Jv4Xh8M"),
    },
}


@pytest.mark.parametrize("kind", list(CREDENTIAL_KINDS))
def test_no_repr_or_str_shows_any_piece_of_a_secret(
    monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    # Not even its first or last few characters: a repr "helpfully" showing "Zq7V..."
    # hands out a quarter of the token.
    given: dict[str, Any] = {name: value for name, (_, value) in CREDENTIAL_KINDS[kind].items()}
    secret = list(given.values())[-1]
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for variable, value in CREDENTIAL_KINDS[kind].values():
        monkeypatch.setenv(variable, value)
    from_environment = Client(base_url=BASE_URL)  # a datasource's only way into a Client
    clients = [from_environment, from_environment.with_options(deadline=5)]
    if kind != "datasource-secret":
        clients.append(Client(base_url=BASE_URL, **given))
    seeds: list[Union[TriggerAPIClient, NotebookAPIClient]] = [
        TriggerAPIClient(dict(given), base_url=BASE_URL),
        NotebookAPIClient(dict(given), base_url=BASE_URL),
        TriggerAPIClient(base_url=BASE_URL),
    ]
    credentials = credentials_from(**given)
    organization = from_environment.organization(ORG)
    shown = _texts(
        hide(secret),
        credentials,
        *clients,
        *seeds,
        from_environment._transport,
        from_environment._transport.settings,
        organization,
        organization.deployment(DEP).triggers,
        organization.job_definition("job-1").notebooks,
    )

    pieces = [secret[at : at + 3] for at in range(len(secret) - 2)]
    assert [piece for piece in pieces if piece in shown] == []
    assert credentials is not None
    kind_of_header, value = credentials.header_value.split()
    sent = value if kind_of_header == "Bearer" else base64.b64decode(value).decode()
    assert sent.endswith(secret)  # in use, only never shown
    for made in (*clients, *seeds):
        made.close()


@pytest.mark.parametrize(
    ("failure", "error_class"),
    [
        (
            {"status": 401, "json": {"error": "unauthorized", "error_description": "bad token"}},
            Unauthorized,
        ),
        ({"status": 500, "body": "<html>oops</html>"}, InternalServerError),
        ({"status": 200, "body": "not json"}, InvalidResponseError),
        (
            {"body": requests.exceptions.ConnectionError(f"reset while sending Bearer {SECRET}")},
            APIConnectionError,
        ),
        ({"body": requests.exceptions.ReadTimeout("read timed out")}, APITimeoutError),
    ],
    ids=["401", "500-html", "200-not-json", "dropped", "read-timeout"],
)
def test_no_exception_shows_a_secret(
    api: responses.RequestsMock, failure: dict[str, Any], error_class: type[Exception]
) -> None:
    api.get(TRIGGERS_URL, **failure)

    client = Client(base_url=BASE_URL, auth_token=SECRET, max_retries=0)
    with client, pytest.raises(error_class) as caught:
        client.organization(ORG).deployment(DEP).triggers.list()

    assert type(caught.value) is error_class
    error = caught.value
    shown = "\n".join(
        [
            str(error),
            repr(error),
            *(str(value) for value in vars(error).values()),
            *traceback.format_exception_only(type(error), error),
        ]
    )
    assert SECRET not in shown


# -- base URL and redirects ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://api.abeja.io",
        "http://api.test",
        "http://10.0.0.1:8080",
        "http://localhost.evil.test",
        "ftp://api.test",
        "api.test",
        "https://user:pw@api.test",
        "https://api.test/?x=1",
    ],
)
def test_unsafe_base_urls_are_refused(url: str) -> None:
    for make in (
        lambda: Client(base_url=url, auth_token=SECRET),
        lambda: TriggerAPIClient({"auth_token": SECRET}, base_url=url),
    ):
        with pytest.raises(ValidationError) as caught:
            make()
        assert caught.value.parameter == "base_url"
        assert SECRET not in str(caught.value)
        assert "pw" not in str(caught.value)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "http://127.1.2.3"],
)
def test_plain_http_is_allowed_to_loopback(api: responses.RequestsMock, url: str) -> None:
    api.get(f"{url}/organizations/{ORG}/deployments/{DEP}/triggers", json={"entries": []})

    with Client(base_url=url, auth_token="t") as client:
        assert client.organization(ORG).deployment(DEP).triggers.list() == []

    assert api.calls[0].request.url.startswith(url)


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_not_followed(api: responses.RequestsMock, status: int) -> None:
    elsewhere = "https://elsewhere.test/collect"
    api.get(TRIGGERS_URL, status=status, headers={"Location": elsewhere})
    api.get(elsewhere, json={"entries": []})

    with Client(base_url=BASE_URL, auth_token=SECRET) as client, pytest.raises(APIError) as caught:
        client.organization(ORG).deployment(DEP).triggers.list()

    assert [call.request.url for call in api.calls] == [TRIGGERS_URL]
    assert caught.value.status_code == status
    assert elsewhere in caught.value.error_description


def test_a_redirect_of_the_seed_client_is_not_followed(api: responses.RequestsMock) -> None:
    api.get(TRIGGERS_URL, status=302, headers={"Location": "https://elsewhere.test/"})
    api.get("https://elsewhere.test/", json={"entries": []})
    trigger_api = TriggerAPIClient({"auth_token": SECRET}, base_url=BASE_URL)

    with pytest.raises(APIError):
        trigger_api.get_triggers(ORG, DEP)

    assert len(api.calls) == 1
    trigger_api.close()
