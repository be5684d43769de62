"""requests-mock: its ``Mocker`` context manager, its ``requests_mock`` fixture, its ``Adapter``.

``Mocker`` and the fixture patch every ``requests.Session``; an ``Adapter`` mounted on a
session of your own fakes that session only, which shows the SDK sends through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import pytest
from requests_mock import Adapter, Mocker

from abeja_models import Client, Notebook, Trigger, TriggerRun
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.triggers import APIClient as TriggerAPIClient
from tests.doubles.conftest import (
    CREATE_TRIGGER_BODY,
    DEP,
    JOB,
    LAYERS,
    NOTEBOOK_FIELDS,
    NOTEBOOK_ID,
    NOTEBOOK_PATH,
    NOTEBOOKS_PATH,
    ORG,
    RUNS_PATH,
    TOKEN,
    TRIGGER_FIELDS,
    TRIGGER_ID,
    TRIGGER_PATH,
    TRIGGERS_PATH,
    TrackingSession,
    make_sdk,
    notebook_doc,
    notebook_list_doc,
    runs_page_doc,
    trigger_doc,
    trigger_list_doc,
    view,
)


def _calls(history: Iterable[Any]) -> list[tuple[str, str]]:
    """(method, path) of each request a mock received."""
    return [(request.method, urlsplit(request.url).path) for request in history]


def test_mocker_context_manager_with_the_resource_layer(base_url: str) -> None:
    with Mocker() as mocker:
        mocker.get(base_url + TRIGGER_PATH, json=trigger_doc())
        mocker.get(base_url + TRIGGERS_PATH, json=trigger_list_doc())
        mocker.get(
            base_url + RUNS_PATH,
            [
                {"json": runs_page_doc("run-1", "run-2", next_page_token="page-2")},
                {"json": runs_page_doc("run-3")},
            ],
        )

        with Client(base_url=base_url, auth_token=TOKEN, backoff_base=0) as client:
            triggers = client.organization(ORG).deployment(DEP).triggers
            trigger = triggers.get(TRIGGER_ID)
            listed = triggers.list()
            runs = list(trigger.runs())

    assert isinstance(trigger, Trigger)
    assert trigger.trigger_id == TRIGGER_ID
    assert (trigger.retry_count, trigger.user_env_vars) == (7, {"DEBUG": "debug"})
    assert trigger.created_at == datetime(2018, 1, 1, tzinfo=timezone.utc)
    assert [t.trigger_id for t in listed] == [TRIGGER_ID]
    assert all(isinstance(run, TriggerRun) for run in runs)
    assert [run.run_id for run in runs] == ["run-1", "run-2", "run-3"]
    assert runs[0].status == "SUCCEEDED"

    history = mocker.request_history
    assert _calls(history) == [
        ("GET", TRIGGER_PATH),
        ("GET", TRIGGERS_PATH),
        ("GET", RUNS_PATH),
        ("GET", RUNS_PATH),
    ]
    assert history[3].qs == {"next_page_token": ["page-2"]}
    assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in history)


def test_mocker_context_manager_with_the_low_level_clients(base_url: str) -> None:
    credential = {"auth_token": TOKEN}
    with Mocker() as mocker:
        mocker.get(base_url + TRIGGER_PATH, json=trigger_doc())
        mocker.get(base_url + RUNS_PATH, json=runs_page_doc("run-1"))
        mocker.get(base_url + NOTEBOOKS_PATH, json=notebook_list_doc())

        trigger_api = TriggerAPIClient(credential, base_url=base_url, max_retry_count=0)
        notebook_api = NotebookAPIClient(credential, base_url=base_url, max_retry_count=0)
        try:
            trigger = trigger_api.get_trigger(ORG, DEP, TRIGGER_ID)
            runs = trigger_api.get_trigger_runs(ORG, DEP, TRIGGER_ID, scan_forward=True)
            notebooks = notebook_api.get_notebooks(ORG, JOB)
        finally:
            trigger_api.close()
            notebook_api.close()

    assert trigger == trigger_doc()  # the platform's JSON, as it came
    assert runs == runs_page_doc("run-1")
    assert notebooks == notebook_list_doc()

    history = mocker.request_history
    assert _calls(history) == [
        ("GET", TRIGGER_PATH),
        ("GET", RUNS_PATH),
        ("GET", NOTEBOOKS_PATH),
    ]
    assert history[1].qs == {"scan_forward": ["true"]}
    assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in history)


@pytest.mark.parametrize("layer", LAYERS)
def test_the_pytest_fixture_with_both_layers(
    requests_mock: Mocker, base_url: str, layer: str
) -> None:
    created = {**trigger_doc(), "retry_count": 3}
    created_mock = requests_mock.post(base_url + TRIGGERS_PATH, json=created)
    requests_mock.get(base_url + NOTEBOOK_PATH, json=notebook_doc())
    requests_mock.get(base_url + NOTEBOOKS_PATH, json=notebook_list_doc())

    sdk = make_sdk(layer, base_url)
    try:
        assert sdk.create_trigger() == view(created, TRIGGER_FIELDS)
        assert sdk.get_notebook(NOTEBOOK_ID) == view(notebook_doc(), NOTEBOOK_FIELDS)
        assert sdk.notebook_ids() == [NOTEBOOK_ID]
    finally:
        sdk.close()

    assert created_mock.call_count == 1
    post = created_mock.last_request
    assert post is not None
    assert post.json() == CREATE_TRIGGER_BODY
    assert post.headers["Content-Type"] == "application/json"
    assert _calls(requests_mock.request_history) == [
        ("POST", TRIGGERS_PATH),
        ("GET", NOTEBOOK_PATH),
        ("GET", NOTEBOOKS_PATH),
    ]
    assert all(
        r.headers["Authorization"] == f"Bearer {TOKEN}" for r in requests_mock.request_history
    )


def test_a_notebook_from_the_fixture_is_typed(requests_mock: Mocker, base_url: str) -> None:
    requests_mock.get(base_url + NOTEBOOK_PATH, json=notebook_doc())

    with Client(base_url=base_url, auth_token=TOKEN, max_retries=0) as client:
        notebook = client.organization(ORG).job_definition(JOB).notebooks.get(NOTEBOOK_ID)

    assert isinstance(notebook, Notebook)
    assert (notebook.notebook_id, notebook.status, notebook.name) == (
        NOTEBOOK_ID,
        "Pending",
        "notebook-3",
    )
    assert notebook.creator is not None
    assert notebook.creator.email == "test@abeja.asia"
    assert requests_mock.call_count == 1
    assert requests_mock.last_request is not None
    assert requests_mock.last_request.headers["Authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("layer", LAYERS)
def test_a_503_then_200_is_retried(requests_mock: Mocker, base_url: str, layer: str) -> None:
    answers = requests_mock.get(
        base_url + TRIGGER_PATH,
        [
            {"status_code": 503, "json": {"error": "service_unavailable"}},
            {"status_code": 200, "json": trigger_doc()},
        ],
    )

    sdk = make_sdk(layer, base_url, max_retries=2)
    try:
        assert sdk.get_trigger(TRIGGER_ID) == view(trigger_doc(), TRIGGER_FIELDS)
    finally:
        sdk.close()

    assert answers.call_count == 2  # the 503, then the retry that got the trigger
    assert [r.method for r in answers.request_history] == ["GET", "GET"]
    assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in answers.request_history)


@pytest.mark.parametrize("layer", LAYERS)
def test_a_users_session_is_used_and_left_open(base_url: str, layer: str) -> None:
    # The adapter is on this session only: were the SDK to use another session, its call
    # would find nothing listening at base_url.
    adapter = Adapter()
    adapter.register_uri("GET", base_url + TRIGGER_PATH, json=trigger_doc())
    session = TrackingSession()
    session.mount(base_url, adapter)

    sdk = make_sdk(layer, base_url, session=session)
    assert sdk.get_trigger(TRIGGER_ID) == view(trigger_doc(), TRIGGER_FIELDS)
    sdk.close()

    assert session.close_calls == 0
    assert _calls(session.sent) == [("GET", TRIGGER_PATH)]
    assert adapter.call_count == 1
    last = adapter.last_request
    assert last is not None
    assert last.headers["Authorization"] == f"Bearer {TOKEN}"
    # Still the user's to use after the client is closed.
    assert session.get(base_url + TRIGGER_PATH).json() == trigger_doc()
    assert adapter.call_count == 2
    session.close()
