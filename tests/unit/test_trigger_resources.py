"""The Trigger API through the resource layer: what is sent, and what comes back typed."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

import pytest
import responses

from abeja_models import (
    Client,
    InvalidResponseError,
    Trigger,
    TriggerRun,
    UnboundModelError,
    ValidationError,
)
from abeja_models.resources import Triggers

BASE_URL = "https://api.test"
ORG = "1234567890123"
DEP = "1111111111111"
TRIGGER_ID = "tri-3333333333333333"
TRIGGERS_PATH = f"/organizations/{ORG}/deployments/{DEP}/triggers"
TRIGGER_PATH = f"{TRIGGERS_PATH}/{TRIGGER_ID}"


@pytest.fixture
def triggers(client: Client) -> Triggers:
    return client.organization(ORG).deployment(DEP).triggers


@pytest.fixture
def bound_trigger(
    api: responses.RequestsMock, triggers: Triggers, trigger_doc: dict[str, Any]
) -> Trigger:
    """A trigger fetched through the client; the mock's call log is cleared afterwards."""
    api.get(BASE_URL + TRIGGER_PATH, json=trigger_doc)
    trigger = triggers.get(TRIGGER_ID)
    api.calls.reset()
    api.reset()
    return trigger


def test_create_sends_the_documented_body_and_returns_a_bound_trigger(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    triggers: Triggers,
    trigger_created_doc: dict[str, Any],
) -> None:
    api.post(BASE_URL + TRIGGERS_PATH, json=trigger_created_doc)

    trigger = triggers.create(
        version_id="ver-1111111111111111",
        input_service_id="2222222222222",
        input_service_name="datalake",
        model_id="3333333333333",
        retry_count=3,
        distribution=0,
        environment={"DEBUG": "debug"},
        output_service_name=None,
        output_service_id=None,
    )

    assert len(api.calls) == 1
    assert sent(0) == (
        "POST",
        TRIGGERS_PATH,
        {},
        {
            "version_id": "ver-1111111111111111",
            "input_service_name": "datalake",
            "input_service_id": "2222222222222",
            "retry_count": 3,
            "distribution": 0,
            "environment": {"DEBUG": "debug"},
            "models": {"alias": "3333333333333"},
        },
    )
    assert api.calls[0].request.headers["Content-Type"] == "application/json"
    assert isinstance(trigger, Trigger)
    assert trigger.trigger_id == TRIGGER_ID
    assert trigger.distribution == 0
    assert trigger.retry_count == 7
    assert trigger.models == {"alias": "3333333333333"}
    assert trigger.user_env_vars == {"DEBUG": "debug"}
    assert trigger.output_service_name is None
    assert trigger.created_at is None
    assert trigger._actions is triggers


def test_create_sends_only_the_given_parameters_with_output_service_as_a_pair(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    triggers: Triggers,
    trigger_created_doc: dict[str, Any],
) -> None:
    api.post(BASE_URL + TRIGGERS_PATH, json=trigger_created_doc)

    triggers.create(
        version_id="ver-1",
        input_service_id="2222222222222",
        output_service_name="datalake",
        output_service_id="4444444444444",
    )

    assert sent(0).body == {
        "version_id": "ver-1",
        "input_service_name": "datalake",
        "input_service_id": "2222222222222",
        "output_service_name": "datalake",
        "output_service_id": "4444444444444",
    }


def test_create_sends_non_ascii_environment_values_as_utf8_json(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    triggers: Triggers,
    trigger_created_doc: dict[str, Any],
) -> None:
    api.post(BASE_URL + TRIGGERS_PATH, json=trigger_created_doc)

    environment = {"GREETING": "こんにちは"}
    triggers.create(version_id="ver-1", input_service_id="2", environment=environment)

    assert sent(0).body["environment"] == environment
    assert "こんにちは".encode() in api.calls[0].request.body


def test_get_returns_the_typed_trigger(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    triggers: Triggers,
    trigger_doc: dict[str, Any],
) -> None:
    api.get(BASE_URL + TRIGGER_PATH, json=trigger_doc)

    trigger = triggers.get(TRIGGER_ID)

    assert sent(0) == ("GET", TRIGGER_PATH, {}, None)
    assert trigger.trigger_id == TRIGGER_ID
    assert (trigger.organization_id, trigger.deployment_id) == (ORG, DEP)
    assert trigger.model_version == "0.0.3"
    assert trigger.model_version_id == "ver-1111111111111111"
    assert trigger.input_service_id == "2222222222222"
    assert trigger.created_at == datetime(2018, 1, 1, tzinfo=timezone.utc)
    assert trigger.modified_at == datetime(2018, 1, 1, tzinfo=timezone.utc)
    assert trigger.distribution is None


def test_list_returns_bound_triggers(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    triggers: Triggers,
    trigger_list_doc: dict[str, Any],
) -> None:
    second = {**trigger_list_doc["entries"][0], "trigger_id": "tri-4444444444444444"}
    trigger_list_doc["entries"].append(second)
    api.get(BASE_URL + TRIGGERS_PATH, json=trigger_list_doc)

    listed = triggers.list()

    assert sent(0) == ("GET", TRIGGERS_PATH, {}, None)
    assert [t.trigger_id for t in listed] == [TRIGGER_ID, "tri-4444444444444444"]
    assert all(isinstance(t, Trigger) and t._actions is triggers for t in listed)


def test_list_of_no_triggers_is_empty(api: responses.RequestsMock, triggers: Triggers) -> None:
    api.get(BASE_URL + TRIGGERS_PATH, json={"entries": []})

    assert triggers.list() == []


def test_delete_sends_delete_and_accepts_the_message(
    api: responses.RequestsMock, sent: Callable[[int], Any], triggers: Triggers
) -> None:
    api.delete(BASE_URL + TRIGGER_PATH, json={"message": f"{TRIGGER_ID} deleted"})

    assert triggers.delete(TRIGGER_ID) is None
    assert sent(0) == ("DELETE", TRIGGER_PATH, {}, None)
    assert len(api.calls) == 1


def test_collection_runs_sends_scan_forward_and_yields_typed_runs(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    triggers: Triggers,
    runs_page_doc: dict[str, Any],
) -> None:
    runs_page_doc["next_page_token"] = None
    api.get(BASE_URL + TRIGGER_PATH + "/runs", json=runs_page_doc)

    runs = list(triggers.runs(TRIGGER_ID, scan_forward=True))

    assert sent(0) == ("GET", TRIGGER_PATH + "/runs", {"scan_forward": "True"}, None)
    assert len(runs) == 1
    run = runs[0]
    assert isinstance(run, TriggerRun)
    assert run.run_id == "run-3333333333333333"
    assert run.status == "SUCCEEDED"
    assert run.input_data == {
        "$datalake:1": "2222222222222/20190101T000000-e8286a2a-100a-4a40-a7de-5c9a5794b76c"
    }
    assert run.output_template is None
    assert run.created_at == datetime(2019, 1, 1, tzinfo=timezone.utc)


def test_trigger_runs_without_scan_forward_sends_no_query(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    bound_trigger: Trigger,
    runs_page_doc: dict[str, Any],
) -> None:
    runs_page_doc["next_page_token"] = None
    api.get(BASE_URL + TRIGGER_PATH + "/runs", json=runs_page_doc)

    runs = list(bound_trigger.runs())

    assert sent(0) == ("GET", TRIGGER_PATH + "/runs", {}, None)
    assert [run.run_id for run in runs] == ["run-3333333333333333"]


def test_trigger_runs_scan_forward_false_is_sent_as_false(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    bound_trigger: Trigger,
) -> None:
    api.get(BASE_URL + TRIGGER_PATH + "/runs", json={"entries": []})

    assert list(bound_trigger.runs(scan_forward=False)) == []
    assert sent(0).query == {"scan_forward": "False"}


def test_trigger_refresh_updates_in_place(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    bound_trigger: Trigger,
    trigger_doc: dict[str, Any],
) -> None:
    changed = {**trigger_doc, "retry_count": 2, "modified_at": "2020-02-02T02:02:02Z"}
    api.get(BASE_URL + TRIGGER_PATH, json=changed)

    result = bound_trigger.refresh()

    assert result is bound_trigger
    assert sent(0) == ("GET", TRIGGER_PATH, {}, None)
    assert bound_trigger.retry_count == 2
    assert bound_trigger.modified_at == datetime(2020, 2, 2, 2, 2, 2, tzinfo=timezone.utc)
    # Still bound after taking over the new data.
    api.delete(BASE_URL + TRIGGER_PATH, json={"message": "deleted"})
    bound_trigger.delete()
    assert sent(1).method == "DELETE"


def test_trigger_delete(
    api: responses.RequestsMock, sent: Callable[[int], Any], bound_trigger: Trigger
) -> None:
    api.delete(BASE_URL + TRIGGER_PATH, json={"message": f"{TRIGGER_ID} deleted"})

    bound_trigger.delete()

    assert [sent(i) for i in range(len(api.calls))] == [("DELETE", TRIGGER_PATH, {}, None)]


def test_unbound_trigger_refuses_actions_without_sending(
    api: responses.RequestsMock, trigger_doc: dict[str, Any]
) -> None:
    trigger = Trigger.model_validate(trigger_doc)

    with pytest.raises(UnboundModelError):
        trigger.refresh()
    with pytest.raises(UnboundModelError):
        trigger.delete()
    with pytest.raises(UnboundModelError):
        trigger.runs()
    assert len(api.calls) == 0


def test_bind_attaches_a_parsed_trigger_and_refuses_a_foreign_one(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    triggers: Triggers,
    trigger_doc: dict[str, Any],
) -> None:
    parsed = Trigger.model_validate_json(Trigger.model_validate(trigger_doc).to_json())
    assert triggers.bind(parsed) is parsed
    api.delete(BASE_URL + TRIGGER_PATH, json={"message": "deleted"})
    parsed.delete()
    assert sent(0).path == TRIGGER_PATH

    foreign = Trigger.model_validate({**trigger_doc, "deployment_id": "9999999999999"})
    with pytest.raises(ValidationError) as caught:
        triggers.bind(foreign)
    assert caught.value.parameter == "trigger"


@pytest.mark.parametrize("how", ["create", "get", "list"])
def test_an_answer_holding_another_deployments_trigger_is_an_invalid_response(
    api: responses.RequestsMock, triggers: Triggers, trigger_doc: dict[str, Any], how: str
) -> None:
    foreign = {**trigger_doc, "organization_id": "9999999999999"}
    api.post(BASE_URL + TRIGGERS_PATH, json=foreign)
    api.get(BASE_URL + TRIGGER_PATH, json=foreign)
    api.get(BASE_URL + TRIGGERS_PATH, json={"entries": [foreign]})
    call = {
        "create": lambda: triggers.create(version_id="ver-1", input_service_id="2"),
        "get": lambda: triggers.get(TRIGGER_ID),
        "list": triggers.list,
    }[how]

    with pytest.raises(InvalidResponseError) as caught:
        call()

    assert "organization 9999999999999" in caught.value.error_description
    assert caught.value.url.startswith(BASE_URL + TRIGGERS_PATH)
    assert len(api.calls) == 1  # a broken answer is not retried


def test_numeric_ids_are_sent_in_decimal(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    client: Client,
    trigger_doc: dict[str, Any],
) -> None:
    api.get(BASE_URL + TRIGGER_PATH, json=trigger_doc)

    client.organization(1234567890123).deployment(1111111111111).triggers.get(  # type: ignore[arg-type]
        TRIGGER_ID
    )

    assert sent(0).path == TRIGGER_PATH
