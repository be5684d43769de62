"""responses: ``responses.RequestsMock`` as a context manager, and ``@responses.activate``.

responses patches ``requests``' HTTP adapter, so it answers for every session: the SDK's
own and one a user passes in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import pytest
import responses
from responses import matchers

from abeja_models import Client, Trigger
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

BEARER = matchers.header_matcher({"Authorization": f"Bearer {TOKEN}"})
"""Matches only requests that carry the token: one without it finds no registration."""


def _calls(calls: Iterable[Any]) -> list[tuple[str, str]]:
    """(method, path) of each request responses received."""
    return [(call.request.method, urlsplit(call.request.url).path) for call in calls]


def test_requests_mock_context_manager_with_the_resource_layer(base_url: str) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        mock.get(base_url + TRIGGER_PATH, json=trigger_doc(), match=[BEARER])
        mock.get(base_url + TRIGGERS_PATH, json=trigger_list_doc(), match=[BEARER])
        mock.get(base_url + RUNS_PATH, json=runs_page_doc("run-1", "run-2"), match=[BEARER])
        created = mock.post(
            base_url + TRIGGERS_PATH,
            json={**trigger_doc(), "trigger_id": "tri-4444444444444444", "retry_count": 3},
            match=[BEARER, matchers.json_params_matcher(CREATE_TRIGGER_BODY)],
        )

        with Client(base_url=base_url, auth_token=TOKEN, backoff_base=0) as client:
            triggers = client.organization(ORG).deployment(DEP).triggers
            trigger = triggers.get(TRIGGER_ID)
            listed = triggers.list()
            run_ids = [run.run_id for run in trigger.runs()]
            new = triggers.create(
                version_id="ver-1111111111111111",
                input_service_id="2222222222222",
                model_id="3333333333333",
                retry_count=3,
                environment={"DEBUG": "debug"},
            )

        assert _calls(mock.calls) == [
            ("GET", TRIGGER_PATH),
            ("GET", TRIGGERS_PATH),
            ("GET", RUNS_PATH),
            ("POST", TRIGGERS_PATH),
        ]
        assert created.call_count == 1

    assert isinstance(trigger, Trigger)
    assert trigger.trigger_id == TRIGGER_ID
    assert trigger.modified_at == datetime(2018, 1, 1, tzinfo=timezone.utc)
    assert [t.trigger_id for t in listed] == [TRIGGER_ID]
    assert run_ids == ["run-1", "run-2"]
    assert (new.trigger_id, new.retry_count) == ("tri-4444444444444444", 3)


@responses.activate
def test_activate_decorator_with_the_low_level_clients(base_url: str) -> None:
    responses.get(base_url + TRIGGER_PATH, json=trigger_doc(), match=[BEARER])
    responses.get(base_url + NOTEBOOK_PATH, json=notebook_doc(), match=[BEARER])
    responses.get(base_url + NOTEBOOKS_PATH, json=notebook_list_doc(), match=[BEARER])
    credential = {"auth_token": TOKEN}

    trigger_api = TriggerAPIClient(credential, base_url=base_url, max_retry_count=0)
    notebook_api = NotebookAPIClient(credential, base_url=base_url, max_retry_count=0)
    try:
        assert trigger_api.get_trigger(ORG, DEP, TRIGGER_ID) == trigger_doc()
        assert notebook_api.get_notebook(ORG, JOB, NOTEBOOK_ID) == notebook_doc()
        assert notebook_api.get_notebooks(ORG, JOB) == notebook_list_doc()
    finally:
        trigger_api.close()
        notebook_api.close()

    assert _calls(responses.calls) == [
        ("GET", TRIGGER_PATH),
        ("GET", NOTEBOOK_PATH),
        ("GET", NOTEBOOKS_PATH),
    ]
    assert all(
        call.request.headers["Authorization"] == f"Bearer {TOKEN}" for call in responses.calls
    )


@responses.activate
@pytest.mark.parametrize("layer", LAYERS)
def test_activate_decorator_with_both_layers(base_url: str, layer: str) -> None:
    responses.get(base_url + NOTEBOOK_PATH, json=notebook_doc(), match=[BEARER])
    responses.get(base_url + TRIGGERS_PATH, json=trigger_list_doc(), match=[BEARER])

    sdk = make_sdk(layer, base_url)
    try:
        assert sdk.get_notebook(NOTEBOOK_ID) == view(notebook_doc(), NOTEBOOK_FIELDS)
        assert sdk.trigger_ids() == [TRIGGER_ID]
    finally:
        sdk.close()

    assert _calls(responses.calls) == [("GET", NOTEBOOK_PATH), ("GET", TRIGGERS_PATH)]


@pytest.mark.parametrize("layer", LAYERS)
def test_a_503_then_200_is_retried(base_url: str, layer: str) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        # Two registrations of one URL answer in turn: the first, then the second.
        unavailable = mock.get(
            base_url + TRIGGER_PATH,
            status=503,
            json={"error": "service_unavailable", "error_description": "try again"},
        )
        available = mock.get(base_url + TRIGGER_PATH, json=trigger_doc())

        sdk = make_sdk(layer, base_url, max_retries=2)
        try:
            assert sdk.get_trigger(TRIGGER_ID) == view(trigger_doc(), TRIGGER_FIELDS)
        finally:
            sdk.close()

        assert (unavailable.call_count, available.call_count) == (1, 1)
        assert _calls(mock.calls) == [("GET", TRIGGER_PATH), ("GET", TRIGGER_PATH)]
        assert all(
            call.request.headers["Authorization"] == f"Bearer {TOKEN}" for call in mock.calls
        )


@pytest.mark.parametrize("layer", LAYERS)
def test_a_users_session_is_used_and_left_open(base_url: str, layer: str) -> None:
    session = TrackingSession()
    with responses.RequestsMock() as mock:
        mock.get(base_url + TRIGGER_PATH, json=trigger_doc())

        sdk = make_sdk(layer, base_url, session=session)
        assert sdk.get_trigger(TRIGGER_ID) == view(trigger_doc(), TRIGGER_FIELDS)
        sdk.close()

        assert session.close_calls == 0
        assert [request.url for request in session.sent] == [base_url + TRIGGER_PATH]
        assert session.sent[0].headers["Authorization"] == f"Bearer {TOKEN}"
        assert session.statuses == [200]
        # Still the user's to use after the client is closed.
        again = session.get(base_url + TRIGGER_PATH)
        assert json.loads(again.content) == trigger_doc()
        assert len(mock.calls) == 2
    session.close()
