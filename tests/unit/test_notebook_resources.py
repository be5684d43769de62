"""The Notebook API through the resource layer: lifecycle, quirks of the documents, logs."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

import pytest
import responses

from abeja_models import (
    Client,
    Creator,
    LogEvent,
    Notebook,
    UnboundModelError,
    ValidationError,
    WaitTimeoutError,
)
from abeja_models.resources import Notebooks

BASE_URL = "https://api.test"
ORG = "1410000000000"
JOB = "test_job_definition"
NOTEBOOK_ID = "1410000000000"
NOTEBOOKS_PATH = f"/organizations/{ORG}/training/definitions/{JOB}/notebooks"
NOTEBOOK_PATH = f"{NOTEBOOKS_PATH}/{NOTEBOOK_ID}"


@pytest.fixture
def notebooks(client: Client) -> Notebooks:
    return client.organization(ORG).job_definition(JOB).notebooks


@pytest.fixture
def bound_notebook(
    api: responses.RequestsMock, notebooks: Notebooks, notebook_doc: dict[str, Any]
) -> Notebook:
    """A notebook fetched through the client; the mock is cleared afterwards."""
    api.get(BASE_URL + NOTEBOOK_PATH, json=notebook_doc)
    notebook = notebooks.get(NOTEBOOK_ID)
    api.calls.reset()
    api.reset()
    return notebook


def all_sent(api: responses.RequestsMock, sent: Callable[[int], Any]) -> list[Any]:
    return [sent(i) for i in range(len(api.calls))]


# -- collection operations -----------------------------------------------------------------


def test_create_sends_the_body_and_returns_a_bound_notebook(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    notebooks: Notebooks,
    notebook_doc: dict[str, Any],
) -> None:
    api.post(BASE_URL + NOTEBOOKS_PATH, json=notebook_doc)

    notebook = notebooks.create(
        instance_type="cpu-1", image="abeja-inc/all-cpu:19.10", notebook_type="lab"
    )

    assert all_sent(api, sent) == [
        (
            "POST",
            NOTEBOOKS_PATH,
            {},
            {"instance_type": "cpu-1", "image": "abeja-inc/all-cpu:19.10", "notebook_type": "lab"},
        )
    ]
    assert isinstance(notebook, Notebook)
    assert notebook.notebook_id == notebook.training_notebook_id == NOTEBOOK_ID
    assert notebook.job_definition_id == "1234567890123"
    assert notebook.status == "Pending"
    assert notebook.description is None
    assert isinstance(notebook.creator, Creator)
    assert notebook.creator.email == "test@abeja.asia"
    assert notebook.creator.is_registered is True
    assert notebook.creator.updated_at == datetime(2018, 1, 4, 3, 2, 12, tzinfo=timezone.utc)
    assert notebook.created_at == datetime(2018, 6, 7, 4, 42, 34, 913644, tzinfo=timezone.utc)
    assert notebook._actions is notebooks


def test_create_without_arguments_sends_an_empty_object(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    notebooks: Notebooks,
    notebook_doc: dict[str, Any],
) -> None:
    api.post(BASE_URL + NOTEBOOKS_PATH, json=notebook_doc)

    notebooks.create()

    assert sent(0) == ("POST", NOTEBOOKS_PATH, {}, {})


def test_get_sends_get(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    notebooks: Notebooks,
    notebook_doc: dict[str, Any],
) -> None:
    api.get(BASE_URL + NOTEBOOK_PATH, json=notebook_doc)

    notebook = notebooks.get(NOTEBOOK_ID)

    assert all_sent(api, sent) == [("GET", NOTEBOOK_PATH, {}, None)]
    assert notebook.image == "abeja-inc/all-cpu:18.10"
    assert notebook.instance_type == "cpu-1"


def test_list_accepts_the_documented_envelope(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    notebooks: Notebooks,
    notebook_list_doc: dict[str, Any],
) -> None:
    api.get(BASE_URL + NOTEBOOKS_PATH, json=notebook_list_doc)

    listed = notebooks.list()

    assert all_sent(api, sent) == [("GET", NOTEBOOKS_PATH, {}, None)]
    assert [nb.notebook_id for nb in listed] == [NOTEBOOK_ID]
    assert all(nb._actions is notebooks for nb in listed)


def test_list_accepts_a_bare_list(
    api: responses.RequestsMock,
    notebooks: Notebooks,
    notebook_doc: dict[str, Any],
) -> None:
    other = {**notebook_doc, "training_notebook_id": "1410000000001", "status": "Running"}
    api.get(BASE_URL + NOTEBOOKS_PATH, json=[notebook_doc, other])

    listed = notebooks.list()

    assert [(nb.notebook_id, nb.status) for nb in listed] == [
        (NOTEBOOK_ID, "Pending"),
        ("1410000000001", "Running"),
    ]


def test_list_accepts_an_empty_bare_list(api: responses.RequestsMock, notebooks: Notebooks) -> None:
    api.get(BASE_URL + NOTEBOOKS_PATH, json=[])

    assert notebooks.list() == []


def test_update_sends_put_with_only_given_fields(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    notebooks: Notebooks,
    notebook_doc: dict[str, Any],
) -> None:
    api.put(BASE_URL + NOTEBOOK_PATH, json={**notebook_doc, "instance_type": "cpu-2"})

    notebook = notebooks.update(NOTEBOOK_ID, instance_type="cpu-2")

    assert all_sent(api, sent) == [("PUT", NOTEBOOK_PATH, {}, {"instance_type": "cpu-2"})]
    assert notebook.instance_type == "cpu-2"


def test_delete_accepts_the_value_message_envelope(
    api: responses.RequestsMock, sent: Callable[[int], Any], notebooks: Notebooks
) -> None:
    api.delete(BASE_URL + NOTEBOOK_PATH, json={"value": {"message": f"{NOTEBOOK_ID} deleted"}})

    assert notebooks.delete(NOTEBOOK_ID) is None
    assert all_sent(api, sent) == [("DELETE", NOTEBOOK_PATH, {}, None)]


def test_start_answered_with_the_notebook_needs_no_refetch(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    notebooks: Notebooks,
    notebook_doc: dict[str, Any],
) -> None:
    api.post(BASE_URL + NOTEBOOK_PATH + "/start", json=notebook_doc)

    notebook = notebooks.start(NOTEBOOK_ID, notebook_type="notebook")

    assert all_sent(api, sent) == [
        ("POST", NOTEBOOK_PATH + "/start", {}, {"notebook_type": "notebook"})
    ]
    assert notebook.notebook_id == NOTEBOOK_ID
    assert notebook._actions is notebooks


def test_stop_sends_an_empty_object(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    notebooks: Notebooks,
    notebook_doc: dict[str, Any],
) -> None:
    api.post(BASE_URL + NOTEBOOK_PATH + "/stop", json={**notebook_doc, "status": "Stopped"})

    notebook = notebooks.stop(NOTEBOOK_ID)

    assert all_sent(api, sent) == [("POST", NOTEBOOK_PATH + "/stop", {}, {})]
    assert notebook.status == "Stopped"


# -- bound notebook methods ----------------------------------------------------------------


@pytest.mark.parametrize(("action", "status"), [("start", "Pending"), ("stop", "Stopped")])
def test_start_and_stop_answered_with_a_message_refetch_the_notebook(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    bound_notebook: Notebook,
    notebook_doc: dict[str, Any],
    action: str,
    status: str,
) -> None:
    api.post(BASE_URL + NOTEBOOK_PATH + f"/{action}", json={"message": f"{NOTEBOOK_ID} {action}ed"})
    api.get(
        BASE_URL + NOTEBOOK_PATH,
        json={**notebook_doc, "status": status, "modified_at": "2020-01-01T00:00:00.000Z"},
    )
    bound_notebook.status = "Unknown"

    result = getattr(bound_notebook, action)()

    assert result is bound_notebook
    assert [(call[0], call[1]) for call in all_sent(api, sent)] == [
        ("POST", NOTEBOOK_PATH + f"/{action}"),
        ("GET", NOTEBOOK_PATH),
    ]
    assert bound_notebook.status == status
    assert bound_notebook.modified_at == datetime(2020, 1, 1, tzinfo=timezone.utc)


def test_start_passes_the_notebook_type(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    bound_notebook: Notebook,
    notebook_doc: dict[str, Any],
) -> None:
    api.post(BASE_URL + NOTEBOOK_PATH + "/start", json={**notebook_doc, "status": "Running"})

    bound_notebook.start(notebook_type="lab")

    assert all_sent(api, sent) == [("POST", NOTEBOOK_PATH + "/start", {}, {"notebook_type": "lab"})]
    assert bound_notebook.status == "Running"


@pytest.mark.parametrize("action", ["start", "stop", "update"])
def test_documented_answer_with_notebook_id_0_keeps_the_notebook_identity(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    bound_notebook: Notebook,
    notebook_doc: dict[str, Any],
    notebook_zero_doc: dict[str, Any],
    action: str,
) -> None:
    # The documents answer start/stop/update with "training_notebook_id": 0. Taking that
    # literally would turn this notebook into notebook "0", and a later delete() would
    # target another notebook.
    method = {"start": "POST", "stop": "POST", "update": "PUT"}[action]
    path = NOTEBOOK_PATH + ("" if action == "update" else f"/{action}")
    api.add(method, BASE_URL + path, json={**notebook_zero_doc, "status": "Stopped"})
    api.get(BASE_URL + NOTEBOOK_PATH, json={**notebook_doc, "status": "Stopped"})
    api.delete(BASE_URL + NOTEBOOK_PATH, json={"value": {"message": "deleted"}})

    if action == "update":
        bound_notebook.update(image="abeja-inc/all-cpu:19.10")
    else:
        getattr(bound_notebook, action)()
    bound_notebook.delete()

    assert bound_notebook.notebook_id == NOTEBOOK_ID
    assert bound_notebook.status == "Stopped"
    assert sent(len(api.calls) - 1) == ("DELETE", NOTEBOOK_PATH, {}, None)
    assert all(call.request.url.rstrip("/").split("/")[-1] != "0" for call in api.calls)


def test_update_changes_the_notebook_in_place(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    bound_notebook: Notebook,
    notebook_doc: dict[str, Any],
) -> None:
    api.put(
        BASE_URL + NOTEBOOK_PATH,
        json={**notebook_doc, "instance_type": "gpu:b-4", "image": "abeja-inc/all-gpu:19.10"},
    )

    result = bound_notebook.update(
        instance_type="gpu:b-4", image="abeja-inc/all-gpu:19.10", notebook_type="notebook"
    )

    assert result is bound_notebook
    assert all_sent(api, sent) == [
        (
            "PUT",
            NOTEBOOK_PATH,
            {},
            {
                "instance_type": "gpu:b-4",
                "image": "abeja-inc/all-gpu:19.10",
                "notebook_type": "notebook",
            },
        )
    ]
    assert (bound_notebook.instance_type, bound_notebook.image) == (
        "gpu:b-4",
        "abeja-inc/all-gpu:19.10",
    )


def test_refresh_takes_the_current_state_and_keeps_unknown_fields(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    bound_notebook: Notebook,
    notebook_doc: dict[str, Any],
) -> None:
    api.get(BASE_URL + NOTEBOOK_PATH, json={**notebook_doc, "status": "Running", "gpu": 1})

    assert bound_notebook.refresh() is bound_notebook

    assert all_sent(api, sent) == [("GET", NOTEBOOK_PATH, {}, None)]
    assert bound_notebook.status == "Running"
    assert bound_notebook.model_extra == {"gpu": 1}


def test_delete_of_a_bound_notebook(
    api: responses.RequestsMock, sent: Callable[[int], Any], bound_notebook: Notebook
) -> None:
    api.delete(BASE_URL + NOTEBOOK_PATH, json={"value": {"message": f"{NOTEBOOK_ID} deleted"}})

    bound_notebook.delete()

    assert all_sent(api, sent) == [("DELETE", NOTEBOOK_PATH, {}, None)]


def test_logs_of_a_bound_notebook(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    bound_notebook: Notebook,
    logs_page_doc: dict[str, Any],
) -> None:
    logs_page_doc["next_forward_token"] = "f1"
    api.get(
        BASE_URL + NOTEBOOK_PATH + "/recentlogs",
        json=logs_page_doc,
        match=[responses.matchers.query_param_matcher({})],
    )
    api.get(
        BASE_URL + NOTEBOOK_PATH + "/recentlogs",
        json={"events": [], "next_forward_token": "f1", "next_backward_token": "b"},
        match=[responses.matchers.query_param_matcher({"next_forward_token": "f1"})],
    )

    events = list(bound_notebook.logs())

    assert all_sent(api, sent) == [
        ("GET", NOTEBOOK_PATH + "/recentlogs", {}, None),
        ("GET", NOTEBOOK_PATH + "/recentlogs", {"next_forward_token": "f1"}, None),
    ]
    assert len(events) == 1
    assert isinstance(events[0], LogEvent)
    assert events[0].message.startswith("start executing model")
    assert events[0].timestamp == datetime(2019, 10, 16, tzinfo=timezone.utc)


def test_logs_arguments_are_checked_before_sending(
    api: responses.RequestsMock, bound_notebook: Notebook
) -> None:
    for interval in (0, float("nan")):  # NaN would reach time.sleep and fail there
        with pytest.raises(ValidationError) as caught:
            bound_notebook.logs(poll_interval=interval)
        assert caught.value.parameter == "poll_interval"
    with pytest.raises(ValidationError) as caught:
        bound_notebook.logs(follow="yes")  # type: ignore[arg-type]
    assert caught.value.parameter == "follow"
    assert len(api.calls) == 0


def test_unbound_notebook_refuses_actions_without_sending(
    api: responses.RequestsMock, notebook_doc: dict[str, Any]
) -> None:
    notebook = Notebook.model_validate(notebook_doc)

    for action in (
        notebook.start,
        notebook.stop,
        notebook.refresh,
        notebook.delete,
        notebook.logs,
        notebook.update,
        lambda: notebook.wait_until("Running", timeout=0.01, poll_interval=0.01),
    ):
        with pytest.raises(UnboundModelError):
            action()
    assert len(api.calls) == 0


# -- wait_until ----------------------------------------------------------------------------


def test_wait_until_returns_when_the_status_comes(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    bound_notebook: Notebook,
    notebook_doc: dict[str, Any],
) -> None:
    api.get(BASE_URL + NOTEBOOK_PATH, json=notebook_doc)
    api.get(BASE_URL + NOTEBOOK_PATH, json={**notebook_doc, "status": "Running"})

    result = bound_notebook.wait_until("Running", timeout=5, poll_interval=0.001)

    assert result is bound_notebook
    assert bound_notebook.status == "Running"
    assert all_sent(api, sent) == [("GET", NOTEBOOK_PATH, {}, None)] * 2


def test_wait_until_with_the_status_already_there_sends_nothing(
    api: responses.RequestsMock, bound_notebook: Notebook
) -> None:
    assert bound_notebook.wait_until("Pending", timeout=1, poll_interval=1) is bound_notebook
    assert len(api.calls) == 0


def test_wait_until_times_out_with_the_last_status(
    api: responses.RequestsMock,
    bound_notebook: Notebook,
    notebook_doc: dict[str, Any],
) -> None:
    api.get(BASE_URL + NOTEBOOK_PATH, json={**notebook_doc, "status": "Stopped"})

    with pytest.raises(WaitTimeoutError) as caught:
        bound_notebook.wait_until("Running", timeout=0.05, poll_interval=0.01)

    error = caught.value
    assert isinstance(error, TimeoutError)
    assert error.last_status == "Stopped"
    assert "Running" in str(error)
    assert "Stopped" in str(error)
    assert 1 <= len(api.calls) <= 6
    assert bound_notebook.status == "Stopped"


@pytest.mark.parametrize(
    ("arguments", "parameter"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": -1}, "timeout"),
        ({"timeout": True}, "timeout"),
        ({"poll_interval": 0}, "poll_interval"),
        ({"poll_interval": "1"}, "poll_interval"),
        ({"status": ""}, "status"),
        ({"status": " "}, "status"),
        ({"status": None}, "status"),
        ({"status": 1}, "status"),
    ],
)
def test_wait_until_checks_its_arguments(
    api: responses.RequestsMock,
    bound_notebook: Notebook,
    arguments: dict[str, Any],
    parameter: str,
) -> None:
    with pytest.raises(ValidationError) as caught:
        bound_notebook.wait_until(**{"status": "Running", **arguments})
    assert caught.value.parameter == parameter
    assert len(api.calls) == 0
