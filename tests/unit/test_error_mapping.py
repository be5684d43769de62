"""HTTP error statuses and unusable bodies become the typed exceptions of abeja_models.errors."""

from __future__ import annotations

import json
import re
from http import HTTPStatus
from typing import Any, Callable

import pytest
import responses

from abeja_models import Client
from abeja_models.errors import (
    AbejaError,
    APIError,
    BadRequest,
    Conflict,
    Forbidden,
    InternalServerError,
    InvalidResponseError,
    NotFound,
    TooManyRequests,
    Unauthorized,
    error_class_for_status,
)
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.triggers import APIClient as TriggerAPIClient

BASE_URL = "https://api.test"
ORG = "1234567890123"
DEP = "1111111111111"
TID = "tri-3333333333333333"
TRIGGER_URL = f"{BASE_URL}/organizations/{ORG}/deployments/{DEP}/triggers/{TID}"
JOB = "test_job_definition"
NID = "1230000000000"
NOTEBOOK_URL = f"{BASE_URL}/organizations/{ORG}/training/definitions/{JOB}/notebooks/{NID}"
ANY_URL = re.compile(re.escape(BASE_URL) + "/.*")

STATUSES = [
    (400, BadRequest),
    (401, Unauthorized),
    (403, Forbidden),
    (404, NotFound),
    (409, Conflict),
    (429, TooManyRequests),
    (500, InternalServerError),
    (502, InternalServerError),
    (503, InternalServerError),
]


@pytest.fixture
def max_retries() -> int:
    """No retries here: each error status is met once."""
    return 0


def _get_trigger_both_ways(
    client: Client, trigger_api: TriggerAPIClient
) -> list[Callable[[], object]]:
    return [
        lambda: client.organization(ORG).deployment(DEP).triggers.get(TID),
        lambda: trigger_api.get_trigger(ORG, DEP, TID),
    ]


@pytest.mark.parametrize(("status", "error_class"), STATUSES)
def test_status_maps_to_its_class_with_the_server_error_kept(
    api: responses.RequestsMock,
    client: Client,
    trigger_api: TriggerAPIClient,
    status: int,
    error_class: type[APIError],
) -> None:
    payload = {"error": f"code_{status}", "error_description": f"what went wrong ({status})"}
    api.get(TRIGGER_URL, status=status, json=payload)

    for call in _get_trigger_both_ways(client, trigger_api):
        with pytest.raises(error_class) as caught:
            call()
        error = caught.value
        assert type(error) is error_class
        assert isinstance(error, APIError)
        assert isinstance(error, AbejaError)
        assert error.status_code == status
        assert error.error == f"code_{status}"
        assert error.error_description == f"what went wrong ({status})"
        assert error.url == TRIGGER_URL
        assert json.loads(error.body) == payload
        assert str(status) in str(error)
        assert f"what went wrong ({status})" in str(error)
    assert len(api.calls) == 2


def test_error_class_for_status_covers_every_5xx_and_unknown_4xx() -> None:
    assert error_class_for_status(504) is InternalServerError
    assert error_class_for_status(599) is InternalServerError
    assert error_class_for_status(418) is APIError


def test_a_message_body_becomes_the_description(
    api: responses.RequestsMock, client: Client
) -> None:
    api.get(NOTEBOOK_URL, status=404, json={"message": "notebook 1230000000000 not found"})

    with pytest.raises(NotFound) as caught:
        client.organization(ORG).job_definition(JOB).notebooks.get(NID)

    assert caught.value.error == "Not Found"
    assert caught.value.error_description == "notebook 1230000000000 not found"
    assert caught.value.url == NOTEBOOK_URL


NON_JSON_BODIES = [
    ("html", "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"),
    ("empty", "", "text/plain"),
    ("truncated", '{"error": "bad_req', "application/json"),
    ("json-list", '["not", "an", "object"]', "application/json"),
]


@pytest.mark.parametrize(("status", "error_class"), STATUSES)
@pytest.mark.parametrize(("kind", "body", "content_type"), NON_JSON_BODIES)
def test_an_error_status_with_an_unusable_body_is_still_typed(
    api: responses.RequestsMock,
    client: Client,
    trigger_api: TriggerAPIClient,
    status: int,
    error_class: type[APIError],
    kind: str,
    body: str,
    content_type: str,
) -> None:
    api.get(TRIGGER_URL, status=status, body=body, content_type=content_type)

    for call in _get_trigger_both_ways(client, trigger_api):
        with pytest.raises(error_class) as caught:
            call()
        error = caught.value
        assert error.status_code == status
        assert error.url == TRIGGER_URL
        # The status' reason phrase stands in for the missing code, the body (or the
        # phrase, if there is none) for the description.
        assert error.error == HTTPStatus(status).phrase
        assert error.error_description == (body or HTTPStatus(status).phrase)


SUCCESS_BODIES = [
    ("html", "<html>maintenance</html>"),
    ("empty", ""),
    ("truncated", '{"trigger_id": "tri-3333333333333333", "organization'),
    ("wrong shape", '{"unexpected": true}'),
]


@pytest.mark.parametrize(("kind", "body"), SUCCESS_BODIES)
def test_a_success_status_with_an_unusable_body_is_an_invalid_response(
    api: responses.RequestsMock,
    client: Client,
    trigger_api: TriggerAPIClient,
    kind: str,
    body: str,
) -> None:
    api.get(TRIGGER_URL, status=200, body=body)

    calls = _get_trigger_both_ways(client, trigger_api)
    if kind == "wrong shape":
        calls = calls[:1]  # the dict client returns any JSON object as it is
    for call in calls:
        with pytest.raises(InvalidResponseError) as caught:
            call()
        # The decoder's own exception is not chained on: the message says what was wrong.
        assert caught.value.__cause__ is None
        assert caught.value.__suppress_context__
        assert caught.value.url == TRIGGER_URL


@pytest.mark.parametrize(
    "call",
    [
        lambda c, n: c.organization(ORG).job_definition(JOB).notebooks.list(),
        lambda c, n: c.organization(ORG).job_definition(JOB).notebooks.start(NID),
        lambda c, n: list(c.organization(ORG).job_definition(JOB).notebooks.logs(NID)),
        lambda c, n: list(c.organization(ORG).deployment(DEP).triggers.runs(TID)),
        lambda c, n: n.get_notebooks(ORG, JOB),
        lambda c, n: n.stop_notebook(ORG, JOB, NID),
        lambda c, n: n.delete_notebook(ORG, JOB, NID),
    ],
)
def test_html_on_success_is_never_a_json_decode_error(
    api: responses.RequestsMock,
    client: Client,
    notebook_api: NotebookAPIClient,
    call: Callable[[Client, NotebookAPIClient], Any],
) -> None:
    for method in (responses.GET, responses.POST, responses.DELETE):
        api.add(method, ANY_URL, body="<!doctype html><html>", status=200)

    with pytest.raises(InvalidResponseError) as caught:
        call(client, notebook_api)
    assert "html" in caught.value.error_description
    assert len(api.calls) == 1
