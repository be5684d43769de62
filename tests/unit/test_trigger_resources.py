"""The Trigger API through the resource layer: what only triggers do (runs, bind, the
deployment an answer belongs to). What notebooks do alike is in ``test_resource_collections.py``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

import pytest
import responses

from abeja_models import Client, InvalidResponseError, Trigger, TriggerRun, ValidationError
from abeja_models.resources import Triggers
from tests.ids import (
    RUNS_PATH,
    RUNS_URL,
    TRIGGER_ID,
    TRIGGER_PATH,
    TRIGGER_URL,
    TRIGGERS_URL,
)

from .fakes import MockedPlatform


def test_create_sends_non_ascii_environment_values_as_utf8_json(
    api: MockedPlatform, triggers: Triggers, trigger_created_doc: dict[str, Any]
) -> None:
    api.post(TRIGGERS_URL, json=trigger_created_doc)

    environment = {"GREETING": "こんにちは"}
    triggers.create(version_id="ver-1", input_service_id="2", environment=environment)

    (create,) = api.all_sent()
    assert create.body["environment"] == environment
    assert "こんにちは".encode() in api.calls[0].request.body


# -- runs: what is asked, what comes back ----------------------------------------------------

RUNS = {
    "collection-scan_forward-True": (
        lambda triggers, trigger: triggers.runs(TRIGGER_ID, scan_forward=True),
        {"scan_forward": "True"},
    ),
    "bound-without-scan_forward-no-query": (lambda triggers, trigger: trigger.runs(), {}),
    "bound-scan_forward-False": (
        lambda triggers, trigger: trigger.runs(scan_forward=False),
        {"scan_forward": "False"},
    ),
}


@pytest.mark.parametrize(("runs", "query"), RUNS.values(), ids=RUNS.keys())
def test_runs_send_scan_forward_as_given_and_yield_typed_runs(
    api: MockedPlatform,
    triggers: Triggers,
    bound_trigger: Trigger,
    runs_page_doc: dict[str, Any],
    runs: Callable[[Triggers, Trigger], Any],
    query: dict[str, str],
) -> None:
    runs_page_doc["next_page_token"] = None
    api.get(RUNS_URL, json=runs_page_doc)

    (run,) = list(runs(triggers, bound_trigger))

    assert api.all_sent() == [("GET", RUNS_PATH, query, None)]
    assert type(run) is TriggerRun
    assert (run.run_id, run.status, run.output_template) == (
        "run-3333333333333333",
        "SUCCEEDED",
        None,
    )
    assert run.input_data == {
        "$datalake:1": "2222222222222/20190101T000000-e8286a2a-100a-4a40-a7de-5c9a5794b76c"
    }
    assert run.created_at == datetime(2019, 1, 1, tzinfo=timezone.utc)


# -- which triggers a collection takes ---------------------------------------------------------


def test_bind_attaches_a_parsed_trigger_and_refuses_a_foreign_one(
    api: MockedPlatform, triggers: Triggers, trigger_doc: dict[str, Any]
) -> None:
    parsed = Trigger.model_validate_json(Trigger.model_validate(trigger_doc).to_json())
    assert triggers.bind(parsed) is parsed
    api.delete(TRIGGER_URL, json={"message": "deleted"})
    parsed.delete()
    assert api.all_sent() == [("DELETE", TRIGGER_PATH, {}, None)]

    foreign = Trigger.model_validate({**trigger_doc, "deployment_id": "9999999999999"})
    with pytest.raises(ValidationError) as caught:
        triggers.bind(foreign)
    assert caught.value.parameter == "trigger"


@pytest.mark.parametrize("how", ["create", "get", "list"])
def test_an_answer_holding_another_deployments_trigger_is_an_invalid_response(
    api: responses.RequestsMock, triggers: Triggers, trigger_doc: dict[str, Any], how: str
) -> None:
    foreign = {**trigger_doc, "organization_id": "9999999999999"}
    api.post(TRIGGERS_URL, json=foreign)
    api.get(TRIGGER_URL, json=foreign)
    api.get(TRIGGERS_URL, json={"entries": [foreign]})
    call = {
        "create": lambda: triggers.create(version_id="ver-1", input_service_id="2"),
        "get": lambda: triggers.get(TRIGGER_ID),
        "list": triggers.list,
    }[how]

    with pytest.raises(InvalidResponseError) as caught:
        call()

    assert "organization 9999999999999" in caught.value.error_description
    assert caught.value.url.startswith(TRIGGERS_URL)
    assert len(api.calls) == 1  # a broken answer is not retried


def test_numeric_ids_are_sent_in_decimal(
    api: MockedPlatform, client: Client, trigger_doc: dict[str, Any]
) -> None:
    api.get(TRIGGER_URL, json=trigger_doc)

    client.organization(1234567890123).deployment(1111111111111).triggers.get(  # type: ignore[arg-type]
        TRIGGER_ID
    )

    assert api.all_sent() == [("GET", TRIGGER_PATH, {}, None)]
