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
from abeja_models.testing import samples
from abeja_models.triggers import APIClient as TriggerAPIClient
from tests import ids
from tests.doubles import conftest as doubles

BEARER = matchers.header_matcher({"Authorization": f"Bearer {doubles.TOKEN}"})
"""Matches only requests that carry the token: one without it finds no registration."""


def _calls(calls: Iterable[Any]) -> list[tuple[str, str]]:
    """(method, path) of each request responses received."""
    return [(call.request.method, urlsplit(call.request.url).path) for call in calls]


def test_requests_mock_context_manager_with_the_resource_layer(base_url: str) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        mock.get(base_url + ids.TRIGGER_PATH, json=samples.get_trigger(), match=[BEARER])
        mock.get(base_url + ids.TRIGGERS_PATH, json=samples.get_triggers(), match=[BEARER])
        mock.get(
            base_url + ids.RUNS_PATH,
            json=doubles.runs_page_doc("run-1", "run-2"),
            match=[BEARER],
        )
        created = mock.post(
            base_url + ids.TRIGGERS_PATH,
            json={**samples.get_trigger(), "trigger_id": "tri-4444444444444444", "retry_count": 3},
            match=[BEARER, matchers.json_params_matcher(doubles.CREATE_TRIGGER_BODY)],
        )

        with Client(base_url=base_url, auth_token=doubles.TOKEN, backoff_base=0) as client:
            triggers = client.organization(ids.ORG).deployment(ids.DEP).triggers
            trigger = triggers.get(ids.TRIGGER_ID)
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
            ("GET", ids.TRIGGER_PATH),
            ("GET", ids.TRIGGERS_PATH),
            ("GET", ids.RUNS_PATH),
            ("POST", ids.TRIGGERS_PATH),
        ]
        assert created.call_count == 1

    assert isinstance(trigger, Trigger)
    assert trigger.trigger_id == ids.TRIGGER_ID
    assert trigger.modified_at == datetime(2018, 1, 1, tzinfo=timezone.utc)
    assert [t.trigger_id for t in listed] == [ids.TRIGGER_ID]
    assert run_ids == ["run-1", "run-2"]
    assert (new.trigger_id, new.retry_count) == ("tri-4444444444444444", 3)


@responses.activate
def test_activate_decorator_with_the_low_level_clients(base_url: str) -> None:
    responses.get(base_url + ids.TRIGGER_PATH, json=samples.get_trigger(), match=[BEARER])
    responses.get(base_url + ids.NOTEBOOK_PATH, json=samples.get_notebook(), match=[BEARER])
    responses.get(base_url + ids.NOTEBOOKS_PATH, json=samples.get_notebooks(), match=[BEARER])
    credential = {"auth_token": doubles.TOKEN}

    trigger_api = TriggerAPIClient(credential, base_url=base_url, max_retry_count=0)
    notebook_api = NotebookAPIClient(credential, base_url=base_url, max_retry_count=0)
    try:
        assert (
            trigger_api.get_trigger(ids.ORG, ids.DEP, ids.TRIGGER_ID)
            == samples.get_trigger()
        )
        assert (
            notebook_api.get_notebook(ids.ORG, ids.JOB, ids.NOTEBOOK_ID)
            == samples.get_notebook()
        )
        assert notebook_api.get_notebooks(ids.ORG, ids.JOB) == samples.get_notebooks()
    finally:
        trigger_api.close()
        notebook_api.close()

    assert _calls(responses.calls) == [
        ("GET", ids.TRIGGER_PATH),
        ("GET", ids.NOTEBOOK_PATH),
        ("GET", ids.NOTEBOOKS_PATH),
    ]
    assert all(
        call.request.headers["Authorization"] == f"Bearer {doubles.TOKEN}"
        for call in responses.calls
    )


@responses.activate
@pytest.mark.parametrize("layer", doubles.LAYERS)
def test_activate_decorator_with_both_layers(base_url: str, layer: str) -> None:
    responses.get(base_url + ids.NOTEBOOK_PATH, json=samples.get_notebook(), match=[BEARER])
    responses.get(base_url + ids.TRIGGERS_PATH, json=samples.get_triggers(), match=[BEARER])

    sdk = doubles.make_sdk(layer, base_url)
    try:
        assert sdk.get_notebook(ids.NOTEBOOK_ID) == doubles.notebook_view(
            samples.get_notebook()
        )
        assert sdk.trigger_ids() == [ids.TRIGGER_ID]
    finally:
        sdk.close()

    assert _calls(responses.calls) == [
        ("GET", ids.NOTEBOOK_PATH),
        ("GET", ids.TRIGGERS_PATH),
    ]


@pytest.mark.parametrize("layer", doubles.LAYERS)
def test_a_503_then_200_is_retried(base_url: str, layer: str) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        # Two registrations of one URL answer in turn: the first, then the second.
        unavailable = mock.get(
            base_url + ids.TRIGGER_PATH,
            status=503,
            json={"error": "service_unavailable", "error_description": "try again"},
        )
        available = mock.get(base_url + ids.TRIGGER_PATH, json=samples.get_trigger())

        sdk = doubles.make_sdk(layer, base_url, max_retries=2)
        try:
            assert sdk.get_trigger(ids.TRIGGER_ID) == doubles.trigger_view(
                samples.get_trigger()
            )
        finally:
            sdk.close()

        assert (unavailable.call_count, available.call_count) == (1, 1)
        assert _calls(mock.calls) == [("GET", ids.TRIGGER_PATH), ("GET", ids.TRIGGER_PATH)]
        assert all(
            call.request.headers["Authorization"] == f"Bearer {doubles.TOKEN}"
            for call in mock.calls
        )


@pytest.mark.parametrize("layer", doubles.LAYERS)
def test_a_users_session_is_used_and_left_open(
    base_url: str, user_session: doubles.TrackingSession, layer: str
) -> None:
    with responses.RequestsMock() as mock:
        mock.get(base_url + ids.TRIGGER_PATH, json=samples.get_trigger())

        sdk = doubles.make_sdk(layer, base_url, session=user_session)
        assert sdk.get_trigger(ids.TRIGGER_ID) == doubles.trigger_view(samples.get_trigger())
        sdk.close()

        assert user_session.close_calls == 0
        assert [request.url for request in user_session.sent] == [base_url + ids.TRIGGER_PATH]
        assert user_session.sent[0].headers["Authorization"] == f"Bearer {doubles.TOKEN}"
        assert user_session.statuses == [200]
        # Still the user's to use after the client is closed.
        again = user_session.get(base_url + ids.TRIGGER_PATH)
        assert json.loads(again.content) == samples.get_trigger()
        assert len(mock.calls) == 2
