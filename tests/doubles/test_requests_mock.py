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
from abeja_models.testing import samples
from abeja_models.triggers import APIClient as TriggerAPIClient
from tests import ids
from tests.doubles import conftest as doubles


def _calls(history: Iterable[Any]) -> list[tuple[str, str]]:
    """(method, path) of each request a mock received."""
    return [(request.method, urlsplit(request.url).path) for request in history]


def test_mocker_context_manager_with_the_resource_layer(base_url: str) -> None:
    with Mocker() as mocker:
        mocker.get(base_url + ids.TRIGGER_PATH, json=samples.get_trigger())
        mocker.get(base_url + ids.TRIGGERS_PATH, json=samples.get_triggers())
        mocker.get(
            base_url + ids.RUNS_PATH,
            [
                {"json": doubles.runs_page_doc("run-1", "run-2", next_page_token="page-2")},
                {"json": doubles.runs_page_doc("run-3")},
            ],
        )

        with Client(base_url=base_url, auth_token=doubles.TOKEN, backoff_base=0) as client:
            triggers = client.organization(ids.ORG).deployment(ids.DEP).triggers
            trigger = triggers.get(ids.TRIGGER_ID)
            listed = triggers.list()
            runs = list(trigger.runs())

    assert isinstance(trigger, Trigger)
    assert trigger.trigger_id == ids.TRIGGER_ID
    assert (trigger.retry_count, trigger.user_env_vars) == (7, {"DEBUG": "debug"})
    assert trigger.created_at == datetime(2018, 1, 1, tzinfo=timezone.utc)
    assert [t.trigger_id for t in listed] == [ids.TRIGGER_ID]
    assert all(isinstance(run, TriggerRun) for run in runs)
    assert [run.run_id for run in runs] == ["run-1", "run-2", "run-3"]
    assert runs[0].status == "SUCCEEDED"

    history = mocker.request_history
    assert _calls(history) == [
        ("GET", ids.TRIGGER_PATH),
        ("GET", ids.TRIGGERS_PATH),
        ("GET", ids.RUNS_PATH),
        ("GET", ids.RUNS_PATH),
    ]
    assert history[3].qs == {"next_page_token": ["page-2"]}
    assert all(r.headers["Authorization"] == f"Bearer {doubles.TOKEN}" for r in history)


def test_mocker_context_manager_with_the_low_level_clients(base_url: str) -> None:
    credential = {"auth_token": doubles.TOKEN}
    with Mocker() as mocker:
        mocker.get(base_url + ids.TRIGGER_PATH, json=samples.get_trigger())
        mocker.get(base_url + ids.RUNS_PATH, json=doubles.runs_page_doc("run-1"))
        mocker.get(base_url + ids.NOTEBOOKS_PATH, json=samples.get_notebooks())

        trigger_api = TriggerAPIClient(credential, base_url=base_url, max_retry_count=0)
        notebook_api = NotebookAPIClient(credential, base_url=base_url, max_retry_count=0)
        try:
            trigger = trigger_api.get_trigger(ids.ORG, ids.DEP, ids.TRIGGER_ID)
            runs = trigger_api.get_trigger_runs(
                ids.ORG, ids.DEP, ids.TRIGGER_ID, scan_forward=True
            )
            notebooks = notebook_api.get_notebooks(ids.ORG, ids.JOB)
        finally:
            trigger_api.close()
            notebook_api.close()

    assert trigger == samples.get_trigger()  # the platform's JSON, as it came
    assert runs == doubles.runs_page_doc("run-1")
    assert notebooks == samples.get_notebooks()

    history = mocker.request_history
    assert _calls(history) == [
        ("GET", ids.TRIGGER_PATH),
        ("GET", ids.RUNS_PATH),
        ("GET", ids.NOTEBOOKS_PATH),
    ]
    assert history[1].qs == {"scan_forward": ["true"]}
    assert all(r.headers["Authorization"] == f"Bearer {doubles.TOKEN}" for r in history)


@pytest.mark.parametrize("layer", doubles.LAYERS)
def test_the_pytest_fixture_with_both_layers(
    requests_mock: Mocker, base_url: str, layer: str
) -> None:
    created = {**samples.get_trigger(), "retry_count": 3}
    created_mock = requests_mock.post(base_url + ids.TRIGGERS_PATH, json=created)
    requests_mock.get(base_url + ids.NOTEBOOK_PATH, json=samples.get_notebook())
    requests_mock.get(base_url + ids.NOTEBOOKS_PATH, json=samples.get_notebooks())

    sdk = doubles.make_sdk(layer, base_url)
    try:
        assert sdk.create_trigger() == doubles.trigger_view(created)
        assert sdk.get_notebook(ids.NOTEBOOK_ID) == doubles.notebook_view(
            samples.get_notebook()
        )
        assert sdk.notebook_ids() == [ids.NOTEBOOK_ID]
    finally:
        sdk.close()

    assert created_mock.call_count == 1
    post = created_mock.last_request
    assert post is not None
    assert post.json() == doubles.CREATE_TRIGGER_BODY
    assert post.headers["Content-Type"] == "application/json"
    assert _calls(requests_mock.request_history) == [
        ("POST", ids.TRIGGERS_PATH),
        ("GET", ids.NOTEBOOK_PATH),
        ("GET", ids.NOTEBOOKS_PATH),
    ]
    assert all(
        r.headers["Authorization"] == f"Bearer {doubles.TOKEN}"
        for r in requests_mock.request_history
    )


def test_a_notebook_from_the_fixture_is_typed(requests_mock: Mocker, base_url: str) -> None:
    requests_mock.get(base_url + ids.NOTEBOOK_PATH, json=samples.get_notebook())

    with Client(base_url=base_url, auth_token=doubles.TOKEN, max_retries=0) as client:
        notebook = (
            client.organization(ids.ORG)
            .job_definition(ids.JOB)
            .notebooks.get(ids.NOTEBOOK_ID)
        )

    assert isinstance(notebook, Notebook)
    assert (notebook.notebook_id, notebook.status, notebook.name) == (
        ids.NOTEBOOK_ID,
        "Pending",
        "notebook-3",
    )
    assert notebook.creator is not None
    assert notebook.creator.email == "test@abeja.asia"
    assert requests_mock.call_count == 1
    assert requests_mock.last_request is not None
    assert requests_mock.last_request.headers["Authorization"] == f"Bearer {doubles.TOKEN}"


@pytest.mark.parametrize("layer", doubles.LAYERS)
def test_a_503_then_200_is_retried(requests_mock: Mocker, base_url: str, layer: str) -> None:
    answers = requests_mock.get(
        base_url + ids.TRIGGER_PATH,
        [
            {"status_code": 503, "json": {"error": "service_unavailable"}},
            {"status_code": 200, "json": samples.get_trigger()},
        ],
    )

    sdk = doubles.make_sdk(layer, base_url, max_retries=2)
    try:
        assert sdk.get_trigger(ids.TRIGGER_ID) == doubles.trigger_view(samples.get_trigger())
    finally:
        sdk.close()

    assert answers.call_count == 2  # the 503, then the retry that got the trigger
    assert [r.method for r in answers.request_history] == ["GET", "GET"]
    assert all(
        r.headers["Authorization"] == f"Bearer {doubles.TOKEN}" for r in answers.request_history
    )


@pytest.mark.parametrize("layer", doubles.LAYERS)
def test_a_users_session_is_used_and_left_open(
    base_url: str, user_session: doubles.TrackingSession, layer: str
) -> None:
    # The adapter is on this user_session only: were the SDK to use another user_session, its call
    # would find nothing listening at base_url.
    adapter = Adapter()
    adapter.register_uri("GET", base_url + ids.TRIGGER_PATH, json=samples.get_trigger())
    user_session.mount(base_url, adapter)

    sdk = doubles.make_sdk(layer, base_url, session=user_session)
    assert sdk.get_trigger(ids.TRIGGER_ID) == doubles.trigger_view(samples.get_trigger())
    sdk.close()

    assert user_session.close_calls == 0
    assert _calls(user_session.sent) == [("GET", ids.TRIGGER_PATH)]
    assert adapter.call_count == 1
    last = adapter.last_request
    assert last is not None
    assert last.headers["Authorization"] == f"Bearer {doubles.TOKEN}"
    # Still the user's to use after the client is closed.
    assert user_session.get(base_url + ids.TRIGGER_PATH).json() == samples.get_trigger()
    assert adapter.call_count == 2
