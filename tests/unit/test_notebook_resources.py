"""The Notebook API through the resource layer: what only notebooks do (start, stop, update,
logs) and the quirks of their documents. What triggers do alike is in
``test_resource_collections.py``; the waits are in ``test_statuses.py``."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable, NamedTuple

import pytest
import responses

from abeja_models import LogEvent, Notebook, ValidationError
from abeja_models.resources import Notebooks
from tests.ids import (
    BASE_URL,
    LOGS_PATH,
    LOGS_URL,
    NOTEBOOK_ID,
    NOTEBOOK_PATH,
    NOTEBOOK_URL,
    NOTEBOOKS_URL,
)

from .fakes import MockedPlatform

START, STOP = NOTEBOOK_PATH + "/start", NOTEBOOK_PATH + "/stop"


def test_list_accepts_a_bare_list(
    api: responses.RequestsMock, notebooks: Notebooks, notebook_doc: dict[str, Any]
) -> None:
    other = {**notebook_doc, "training_notebook_id": "1410000000001", "status": "Running"}
    api.get(NOTEBOOKS_URL, json=[notebook_doc, other])

    listed = notebooks.list()

    assert [(nb.notebook_id, nb.status) for nb in listed] == [
        (NOTEBOOK_ID, "Pending"),
        ("1410000000001", "Running"),
    ]


# -- start, stop, update: what is sent, what the notebook becomes ------------------------------


class Action(NamedTuple):
    """A call on the collection or on a fetched notebook, what it sends, what the answer
    changes in the documented notebook, and whether the fetched notebook is the result."""

    call: Callable[[Notebooks, Notebook], Notebook]
    method: str
    path: str
    body: dict[str, Any]
    changes: dict[str, Any]
    in_place: bool


GPU = {"instance_type": "gpu:b-4", "image": "abeja-inc/all-gpu:19.10"}
ACTIONS = {
    "collection-update-sends-only-the-given-fields": Action(
        lambda nbs, nb: nbs.update(NOTEBOOK_ID, instance_type="cpu-2"),
        "PUT",
        NOTEBOOK_PATH,
        {"instance_type": "cpu-2"},
        {"instance_type": "cpu-2"},
        False,
    ),
    # Answered with the notebook: no refetch.
    "collection-start-passes-the-notebook-type": Action(
        lambda nbs, nb: nbs.start(NOTEBOOK_ID, notebook_type="notebook"),
        "POST",
        START,
        {"notebook_type": "notebook"},
        {"status": "Running"},
        False,
    ),
    "collection-stop-sends-an-empty-object": Action(
        lambda nbs, nb: nbs.stop(NOTEBOOK_ID), "POST", STOP, {}, {"status": "Stopped"}, False
    ),
    "bound-start-passes-the-notebook-type": Action(
        lambda nbs, nb: nb.start(notebook_type="lab"),
        "POST",
        START,
        {"notebook_type": "lab"},
        {"status": "Running"},
        True,
    ),
    "bound-stop-sends-an-empty-object": Action(
        lambda nbs, nb: nb.stop(), "POST", STOP, {}, {"status": "Stopped"}, True
    ),
    "bound-update-changes-the-notebook-in-place": Action(
        lambda nbs, nb: nb.update(**GPU, notebook_type="notebook"),
        "PUT",
        NOTEBOOK_PATH,
        {**GPU, "notebook_type": "notebook"},
        GPU,
        True,
    ),
}


@pytest.mark.parametrize("case", ACTIONS.values(), ids=ACTIONS.keys())
def test_an_action_sends_its_body_and_takes_the_answer(
    api: MockedPlatform,
    notebooks: Notebooks,
    bound_notebook: Notebook,
    notebook_doc: dict[str, Any],
    case: Action,
) -> None:
    api.add(case.method, BASE_URL + case.path, json={**notebook_doc, **case.changes})

    result = case.call(notebooks, bound_notebook)

    assert api.all_sent() == [(case.method, case.path, {}, case.body)]
    assert (result is bound_notebook) is case.in_place
    assert result.notebook_id == NOTEBOOK_ID
    assert {name: getattr(result, name) for name in case.changes} == case.changes
    # Still bound to its collection: the next call goes to the same notebook.
    api.delete(NOTEBOOK_URL, json={"value": {"message": "deleted"}})
    result.delete()
    assert api.all_sent()[-1] == ("DELETE", NOTEBOOK_PATH, {}, None)


@pytest.mark.parametrize(("action", "status"), [("start", "Pending"), ("stop", "Stopped")])
def test_start_and_stop_answered_with_a_message_refetch_the_notebook(
    api: MockedPlatform,
    bound_notebook: Notebook,
    notebook_doc: dict[str, Any],
    action: str,
    status: str,
) -> None:
    api.post(NOTEBOOK_URL + f"/{action}", json={"message": f"{NOTEBOOK_ID} {action}ed"})
    api.get(
        NOTEBOOK_URL,
        json={**notebook_doc, "status": status, "modified_at": "2020-01-01T00:00:00.000Z"},
    )
    bound_notebook.status = "Unknown"

    result = getattr(bound_notebook, action)()

    assert result is bound_notebook
    assert [(call[0], call[1]) for call in api.all_sent()] == [
        ("POST", NOTEBOOK_PATH + f"/{action}"),
        ("GET", NOTEBOOK_PATH),
    ]
    assert bound_notebook.status == status
    assert bound_notebook.modified_at == datetime(2020, 1, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize("action", ["start", "stop", "update"])
def test_documented_answer_with_notebook_id_0_keeps_the_notebook_identity(
    api: MockedPlatform,
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
    api.get(NOTEBOOK_URL, json={**notebook_doc, "status": "Stopped"})
    api.delete(NOTEBOOK_URL, json={"value": {"message": "deleted"}})

    if action == "update":
        bound_notebook.update(image="abeja-inc/all-cpu:19.10")
    else:
        getattr(bound_notebook, action)()
    bound_notebook.delete()

    assert bound_notebook.notebook_id == NOTEBOOK_ID
    assert bound_notebook.status == "Stopped"
    assert api.all_sent()[-1] == ("DELETE", NOTEBOOK_PATH, {}, None)
    assert all(call.request.url.rstrip("/").split("/")[-1] != "0" for call in api.calls)


def test_logs_of_a_bound_notebook(
    api: MockedPlatform, bound_notebook: Notebook, logs_page_doc: dict[str, Any]
) -> None:
    logs_page_doc["next_forward_token"] = "f1"
    api.get(
        LOGS_URL,
        json=logs_page_doc,
        match=[responses.matchers.query_param_matcher({})],
    )
    api.get(
        LOGS_URL,
        json={"events": [], "next_forward_token": "f1", "next_backward_token": "b"},
        match=[responses.matchers.query_param_matcher({"next_forward_token": "f1"})],
    )

    events = list(bound_notebook.logs())

    assert api.all_sent() == [
        ("GET", LOGS_PATH, {}, None),
        ("GET", LOGS_PATH, {"next_forward_token": "f1"}, None),
    ]
    assert len(events) == 1
    assert isinstance(events[0], LogEvent)
    assert events[0].message.startswith("start executing model")
    assert events[0].timestamp == datetime(2019, 10, 16, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("arguments", "parameter"),
    [
        ({"poll_interval": 0}, "poll_interval"),
        ({"poll_interval": float("nan")}, "poll_interval"),  # it would reach time.sleep
        ({"follow": "yes"}, "follow"),
    ],
    ids=repr,
)
def test_logs_arguments_are_checked_before_sending(
    api: responses.RequestsMock, bound_notebook: Notebook, arguments: dict[str, Any], parameter: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        bound_notebook.logs(**arguments)
    assert caught.value.parameter == parameter
    assert len(api.calls) == 0
