"""Which calls are retried, how often, and how long the transport pauses in between.

The ``client`` fixture has ``max_retries=2`` and ``backoff_base=0``; the autouse ``pauses``
fixture records the transport's sleeps instead of sleeping.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any, Callable, Optional

import pytest
import requests
import responses
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from abeja_models import Client
from abeja_models.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    InternalServerError,
    NotFound,
    TooManyRequests,
    error_class_for_status,
)
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.triggers import APIClient as TriggerAPIClient
from tests.ids import (
    BASE_URL,
    DEP,
    JOB,
    NOTEBOOK_ID,
    NOTEBOOK_URL,
    NOTEBOOKS_URL,
    ORG,
    TRIGGER_ID,
    TRIGGER_URL,
    TRIGGERS_URL,
)

RETRIED_STATUSES = [429, 500, 502, 503, 504]


def _refused_connection() -> requests.exceptions.ConnectionError:
    """What requests raises when the TCP connection could not even be made."""
    reason = NewConnectionError(None, "Connection refused")  # type: ignore[arg-type]
    return requests.exceptions.ConnectionError(MaxRetryError(None, TRIGGERS_URL, reason))  # type: ignore[arg-type]


def _idempotent_calls(
    client: Client, doc: dict[str, Any], notebook: dict[str, Any]
) -> list[tuple[str, str, dict[str, Any], Callable[[], object]]]:
    """(method, url, success body, call) for a GET, a PUT and a DELETE."""
    triggers = client.organization(ORG).deployment(DEP).triggers
    notebooks = client.organization(ORG).job_definition(JOB).notebooks
    return [
        ("GET", TRIGGER_URL, doc, lambda: triggers.get(TRIGGER_ID)),
        (
            "PUT",
            NOTEBOOK_URL,
            notebook,
            lambda: notebooks.update(NOTEBOOK_ID, instance_type="cpu-2"),
        ),
        ("DELETE", TRIGGER_URL, {"message": "deleted"}, lambda: triggers.delete(TRIGGER_ID)),
    ]


# Two failed attempts, each a retriable status or a failure without an answer.
IDEMPOTENT_FAILURES: dict[str, list[dict[str, Any]]] = {
    **{
        str(status): [{"status": status, "json": {"error": "busy"}}] * 2
        for status in RETRIED_STATUSES
    },
    "connection-errors": [
        {"body": requests.exceptions.ConnectionError("connection reset by peer")},
        {"body": requests.exceptions.ReadTimeout("read timed out")},
    ],
}


@pytest.mark.parametrize("failures", IDEMPOTENT_FAILURES.values(), ids=IDEMPOTENT_FAILURES.keys())
@pytest.mark.parametrize("which", [0, 1, 2], ids=["GET", "PUT", "DELETE"])
def test_idempotent_calls_are_retried_until_success(
    api: responses.RequestsMock,
    client: Client,
    pauses: list[float],
    trigger_doc: dict[str, Any],
    notebook_doc: dict[str, Any],
    failures: list[dict[str, Any]],
    which: int,
) -> None:
    method, url, success, call = _idempotent_calls(client, trigger_doc, notebook_doc)[which]
    for failure in failures:
        api.add(method, url, **failure)
    api.add(method, url, status=200, json=success)

    call()

    assert len(api.calls) == 3
    assert all(c.request.method == method for c in api.calls)
    assert pauses == [0.0, 0.0]


@pytest.mark.parametrize("status", RETRIED_STATUSES)
def test_retries_stop_after_max_retries_with_the_last_error(
    api: responses.RequestsMock, client: Client, pauses: list[float], status: int
) -> None:
    api.get(TRIGGER_URL, status=status, json={"error": "busy", "error_description": "again"})

    expected = TooManyRequests if status == 429 else InternalServerError
    with pytest.raises(expected) as caught:
        client.organization(ORG).deployment(DEP).triggers.get(TRIGGER_ID)

    assert caught.value.status_code == status
    assert len(api.calls) == 3  # the first attempt and max_retries=2 more
    assert len(pauses) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409])
def test_client_errors_are_not_retried(
    api: responses.RequestsMock, client: Client, pauses: list[float], status: int
) -> None:
    api.get(TRIGGER_URL, status=status, json={"error": "no"})

    with pytest.raises(APIError) as caught:
        client.organization(ORG).deployment(DEP).triggers.get(TRIGGER_ID)

    assert type(caught.value) is error_class_for_status(status)
    assert caught.value.status_code == status
    assert len(api.calls) == 1
    assert pauses == []


def test_a_body_cut_off_mid_read_is_retried_for_a_get(
    api: responses.RequestsMock, client: Client, trigger_doc: dict[str, Any]
) -> None:
    api.get(TRIGGER_URL, body=ProtocolError("Connection broken: IncompleteRead"))
    api.get(TRIGGER_URL, json=trigger_doc)

    assert (
        client.organization(ORG).deployment(DEP).triggers.get(TRIGGER_ID).trigger_id == TRIGGER_ID
    )
    assert len(api.calls) == 2


LOST_ANSWERS = {
    "dropped": requests.exceptions.ConnectionError("connection reset by peer"),
    "read-timeout": requests.exceptions.ReadTimeout("read timed out"),
    "cut-off": ProtocolError("Connection broken: IncompleteRead"),
}


@pytest.mark.parametrize("lost", [*LOST_ANSWERS, 500, 502, 504])
@pytest.mark.parametrize("what", ["trigger", "notebook"])
def test_a_delete_whose_retry_finds_nothing_after_a_lost_answer_has_succeeded(
    api: responses.RequestsMock, client: Client, lost: object, what: str
) -> None:
    organization = client.organization(ORG)
    if what == "trigger":
        url, delete = TRIGGER_URL, lambda: organization.deployment(DEP).triggers.delete(TRIGGER_ID)
    else:
        url, delete = (
            NOTEBOOK_URL,
            lambda: organization.job_definition(JOB).notebooks.delete(NOTEBOOK_ID),
        )
    if isinstance(lost, int):
        api.delete(url, status=lost, json={"error": "gateway"})
    else:
        api.delete(url, body=LOST_ANSWERS[str(lost)])
    api.delete(url, status=404, json={"error": "not_found"})

    assert delete() is None
    assert len(api.calls) == 2


@pytest.mark.parametrize("what", ["trigger", "notebook"])
def test_a_lost_answer_is_remembered_through_a_later_refusal_in_both_layers(
    api: responses.RequestsMock,
    client: Client,
    trigger_api: TriggerAPIClient,
    notebook_api: NotebookAPIClient,
    what: str,
) -> None:
    # The first attempt deleted it and its answer was lost; the 503 of the second says
    # only that the second did nothing. The 404 of the third is the first one's work.
    organization = client.organization(ORG)
    delete: Callable[[], object]
    low_level: Callable[[], object]
    if what == "trigger":
        url = TRIGGER_URL
        delete = lambda: organization.deployment(DEP).triggers.delete(TRIGGER_ID)  # noqa: E731
        low_level = lambda: trigger_api.delete_trigger(ORG, DEP, TRIGGER_ID)  # noqa: E731
    else:
        url = NOTEBOOK_URL
        delete = lambda: organization.job_definition(JOB).notebooks.delete(NOTEBOOK_ID)  # noqa: E731
        low_level = lambda: notebook_api.delete_notebook(ORG, JOB, NOTEBOOK_ID)  # noqa: E731
    for _ in range(2):
        api.delete(url, body=LOST_ANSWERS["dropped"])
        api.delete(url, status=503, json={"error": "busy"})
        api.delete(url, status=404, json={"error": "not_found"})

    assert delete() is None
    with pytest.raises(NotFound) as caught:  # the platform SDK's answer: NotFound, but why
        low_level()
    assert caught.value.after_lost_answer is True
    assert len(api.calls) == 6


@pytest.mark.parametrize("refused", [429, 503])
def test_a_delete_whose_retry_finds_nothing_after_a_refusal_is_not_found(
    api: responses.RequestsMock, client: Client, refused: int
) -> None:
    # 429 and 503 say the platform did nothing: someone else removed it, or it never was.
    api.delete(TRIGGER_URL, status=refused, json={"error": "busy"})
    api.delete(TRIGGER_URL, status=404, json={"error": "not_found"})

    with pytest.raises(NotFound) as caught:
        client.organization(ORG).deployment(DEP).triggers.delete(TRIGGER_ID)

    assert caught.value.after_lost_answer is False
    assert len(api.calls) == 2


def test_a_delete_of_what_never_existed_is_not_found(
    api: responses.RequestsMock, client: Client
) -> None:
    api.delete(TRIGGER_URL, status=404, json={"error": "not_found"})

    with pytest.raises(NotFound):
        client.organization(ORG).deployment(DEP).triggers.delete(TRIGGER_ID)


def test_the_low_level_delete_reports_the_lost_answer_on_not_found(
    api: responses.RequestsMock, trigger_api: TriggerAPIClient, pauses: list[float]
) -> None:
    # The seed-compatible call returns the platform's body, which the retry cannot have:
    # it raises, and says why the resource may be gone all the same.
    api.delete(TRIGGER_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    api.delete(TRIGGER_URL, status=404, json={"error": "not_found"})

    with pytest.raises(NotFound) as caught:
        trigger_api.delete_trigger(ORG, DEP, TRIGGER_ID)

    assert caught.value.after_lost_answer is True
    assert len(api.calls) == 2


def test_connection_errors_exhaust_the_retries(
    api: responses.RequestsMock, client: Client, pauses: list[float]
) -> None:
    api.get(TRIGGER_URL, body=requests.exceptions.ConnectionError("connection reset by peer"))

    with pytest.raises(APIConnectionError) as caught:
        client.organization(ORG).deployment(DEP).triggers.get(TRIGGER_ID)

    assert caught.value.method == "GET"
    assert caught.value.url == TRIGGER_URL
    assert len(api.calls) == 3
    assert len(pauses) == 2


def test_read_timeouts_exhaust_the_retries_as_a_timeout_error(
    api: responses.RequestsMock, client: Client
) -> None:
    api.get(TRIGGER_URL, body=requests.exceptions.ReadTimeout("read timed out"))

    with pytest.raises(APITimeoutError):
        client.organization(ORG).deployment(DEP).triggers.get(TRIGGER_ID)

    assert len(api.calls) == 3


# -- creating POSTs --------------------------------------------------------------------------


def _creates(
    client: Client, trigger_api: TriggerAPIClient, notebook_api: NotebookAPIClient
) -> list[tuple[str, Callable[[], object]]]:
    triggers = client.organization(ORG).deployment(DEP).triggers
    notebooks = client.organization(ORG).job_definition(JOB).notebooks
    return [
        (TRIGGERS_URL, lambda: triggers.create(version_id="ver-1", input_service_id="2")),
        (TRIGGERS_URL, lambda: trigger_api.create_trigger(ORG, DEP, "ver-1", "datalake", "2")),
        (NOTEBOOKS_URL, lambda: notebooks.create(instance_type="cpu-1")),
        (NOTEBOOKS_URL, lambda: notebook_api.create_notebook(ORG, JOB, "cpu-1")),
    ]


CREATE_IDS = ["triggers.create", "create_trigger", "notebooks.create", "create_notebook"]


# What the first attempt of a create meets, and what follows: the error it ends with
# (not retried, it may have been processed), or None (retried: the server did not act, or
# the connection was never made).
CREATE_FIRST_ATTEMPTS: dict[str, tuple[dict[str, Any], Optional[type[Exception]]]] = {
    **{
        str(status): ({"status": status, "json": {"error": "internal"}}, InternalServerError)
        for status in (500, 502, 504)
    },
    "read-timeout": ({"body": requests.exceptions.ReadTimeout("read timed out")}, APITimeoutError),
    "dropped": (
        {"body": requests.exceptions.ConnectionError("connection reset by peer")},
        APIConnectionError,
    ),
    "cut-off": ({"body": ProtocolError("Connection broken: IncompleteRead")}, APIConnectionError),
    **{
        str(status): ({"status": status, "json": {"error": "later"}}, None) for status in (429, 503)
    },
    "refused": ({"body": _refused_connection()}, None),
    "connect-timeout": ({"body": requests.exceptions.ConnectTimeout("connect timed out")}, None),
}


@pytest.mark.parametrize("which", range(4), ids=CREATE_IDS)
@pytest.mark.parametrize(
    ("first", "error"), CREATE_FIRST_ATTEMPTS.values(), ids=CREATE_FIRST_ATTEMPTS.keys()
)
def test_a_create_is_retried_only_when_it_cannot_have_been_processed(
    api: responses.RequestsMock,
    client: Client,
    trigger_api: TriggerAPIClient,
    notebook_api: NotebookAPIClient,
    pauses: list[float],
    trigger_created_doc: dict[str, Any],
    which: int,
    first: dict[str, Any],
    error: Optional[type[Exception]],
) -> None:
    url, call = _creates(client, trigger_api, notebook_api)[which]
    api.post(url, **first)
    api.post(url, status=201, json=trigger_created_doc if url == TRIGGERS_URL else _nb())

    if error is None:
        call()
        assert (len(api.calls), len(pauses)) == (2, 1)
    else:
        with pytest.raises(error) as caught:
            call()
        assert type(caught.value) is error
        assert (len(api.calls), pauses) == (1, [])


def test_start_is_not_retried_after_a_server_error(
    api: responses.RequestsMock, client: Client
) -> None:
    api.post(NOTEBOOK_URL + "/start", status=500, json={"error": "internal"})

    with pytest.raises(InternalServerError):
        client.organization(ORG).job_definition(JOB).notebooks.start(NOTEBOOK_ID)

    assert len(api.calls) == 1


def _nb() -> dict[str, Any]:
    return {
        "training_notebook_id": NOTEBOOK_ID,
        "job_definition_id": "1",
        "name": "notebook-1",
        "status": "Pending",
        "instance_type": "cpu-1",
        "image": "abeja-inc/all-cpu:19.10",
    }


# -- Retry-After -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds_are_honoured(
    api: responses.RequestsMock,
    client: Client,
    pauses: list[float],
    trigger_doc: dict[str, Any],
    status: int,
) -> None:
    api.get(TRIGGER_URL, status=status, headers={"Retry-After": "3"})
    api.get(TRIGGER_URL, status=status, headers={"Retry-After": "0.5"})
    api.get(TRIGGER_URL, json=trigger_doc)

    client.organization(ORG).deployment(DEP).triggers.get(TRIGGER_ID)

    assert pauses == [3.0, 0.5]
    assert len(api.calls) == 3


def test_retry_after_is_honoured_for_a_create(
    api: responses.RequestsMock,
    client: Client,
    pauses: list[float],
    trigger_created_doc: dict[str, Any],
) -> None:
    api.post(TRIGGERS_URL, status=429, headers={"Retry-After": "2"})
    api.post(TRIGGERS_URL, json=trigger_created_doc)

    client.organization(ORG).deployment(DEP).triggers.create(
        version_id="ver-1", input_service_id="2"
    )

    assert pauses == [2.0]
    assert len(api.calls) == 2


def test_retry_after_as_an_http_date_is_honoured(
    api: responses.RequestsMock, client: Client, pauses: list[float], trigger_doc: dict[str, Any]
) -> None:
    when = datetime.now(timezone.utc) + timedelta(seconds=30)
    api.get(TRIGGER_URL, status=503, headers={"Retry-After": format_datetime(when, usegmt=True)})
    api.get(TRIGGER_URL, json=trigger_doc)

    client.organization(ORG).deployment(DEP).triggers.get(TRIGGER_ID)

    assert len(pauses) == 1
    assert 27 <= pauses[0] <= 30


def test_a_retry_after_beyond_a_minute_is_not_waited_for(
    api: responses.RequestsMock, client: Client, pauses: list[float]
) -> None:
    api.get(TRIGGER_URL, status=429, headers={"Retry-After": "3600"})

    with pytest.raises(TooManyRequests):
        client.organization(ORG).deployment(DEP).triggers.get(TRIGGER_ID)

    assert len(api.calls) == 1
    assert pauses == []


def test_backoff_grows_exponentially_within_its_jitter(
    api: responses.RequestsMock, pauses: list[float]
) -> None:
    api.get(TRIGGER_URL, status=503)
    client = Client(
        base_url=BASE_URL, auth_token="t", max_retries=4, backoff_base=1.0, backoff_max=4.0
    )
    with client, pytest.raises(InternalServerError):
        client.organization(ORG).deployment(DEP).triggers.get(TRIGGER_ID)

    assert len(api.calls) == 5
    ceilings = [1.0, 2.0, 4.0, 4.0]
    assert len(pauses) == 4
    for pause, ceiling in zip(pauses, ceilings):
        assert ceiling / 2 <= pause <= ceiling
    # Jittered: four pauses all exactly at their ceilings would mean no jitter at all.
    assert pauses != ceilings


def test_max_retries_zero_makes_one_attempt(
    api: responses.RequestsMock, pauses: list[float]
) -> None:
    api.get(TRIGGER_URL, status=503)
    client = Client(base_url=BASE_URL, auth_token="t", max_retries=0)
    with client, pytest.raises(InternalServerError):
        client.organization(ORG).deployment(DEP).triggers.get(TRIGGER_ID)

    assert len(api.calls) == 1
    assert pauses == []


def test_seed_max_retry_count_is_honoured(
    api: responses.RequestsMock, trigger_api: TriggerAPIClient, pauses: list[float]
) -> None:
    api.get(TRIGGER_URL, status=502)

    with pytest.raises(InternalServerError):
        trigger_api.get_trigger(ORG, DEP, TRIGGER_ID)

    assert len(api.calls) == 3  # max_retry_count=2
    assert len(pauses) == 2


def test_max_retry_count_from_the_environment(
    api: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ABEJA_SDK_MAX_RETRY_COUNT", "1")
    api.get(TRIGGER_URL, status=500)
    with Client(base_url=BASE_URL, auth_token="t") as client, pytest.raises(InternalServerError):
        client.organization(ORG).deployment(DEP).triggers.get(TRIGGER_ID)

    assert len(api.calls) == 2
