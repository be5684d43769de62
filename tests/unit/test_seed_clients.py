"""The seed-compatible ``APIClient`` classes: the documents' calls, positional orders, dicts."""

from __future__ import annotations

import inspect
from typing import Any, Callable

import pytest
import responses

from abeja_models import Client, InvalidResponseError
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.triggers import APIClient as TriggerAPIClient

BASE_URL = "https://api.test"
ORG = "1234567890123"
DEP = "1111111111111"
TRIGGER_ID = "tri-3333333333333333"
TRIGGERS_PATH = f"/organizations/{ORG}/deployments/{DEP}/triggers"
TRIGGER_PATH = f"{TRIGGERS_PATH}/{TRIGGER_ID}"

NB_ORG = "1410000000000"
JOB = "test_job_definition"
NOTEBOOK_ID = "1230000000000"
NOTEBOOKS_PATH = f"/organizations/{NB_ORG}/training/definitions/{JOB}/notebooks"
NOTEBOOK_PATH = f"{NOTEBOOKS_PATH}/{NOTEBOOK_ID}"


def all_sent(api: responses.RequestsMock, sent: Callable[[int], Any]) -> list[Any]:
    return [sent(i) for i in range(len(api.calls))]


# -- the signatures of the reference documents ---------------------------------------------


@pytest.mark.parametrize(
    ("client_class", "method", "parameters"),
    [
        (
            TriggerAPIClient,
            "create_trigger",
            [
                "organization_id",
                "deployment_id",
                "version_id",
                "input_service_name",
                "input_service_id",
                "output_service_name",
                "output_service_id",
                "distribution",
                "retry_count",
                "environment",
                "model_id",
            ],
        ),
        (TriggerAPIClient, "get_trigger", ["organization_id", "deployment_id", "trigger_id"]),
        (TriggerAPIClient, "get_triggers", ["organization_id", "deployment_id"]),
        (TriggerAPIClient, "delete_trigger", ["organization_id", "deployment_id", "trigger_id"]),
        (
            TriggerAPIClient,
            "get_trigger_runs",
            ["organization_id", "deployment_id", "trigger_id", "next_page_token", "scan_forward"],
        ),
        (
            NotebookAPIClient,
            "create_notebook",
            ["organization_id", "job_definition_name", "instance_type", "image", "notebook_type"],
        ),
        (
            NotebookAPIClient,
            "get_notebook",
            ["organization_id", "job_definition_name", "notebook_id"],
        ),
        (NotebookAPIClient, "get_notebooks", ["organization_id", "job_definition_name"]),
        (
            NotebookAPIClient,
            "update_notebook",
            [
                "organization_id",
                "job_definition_name",
                "notebook_id",
                "instance_type",
                "image",
                "notebook_type",
            ],
        ),
        (
            NotebookAPIClient,
            "delete_notebook",
            ["organization_id", "job_definition_name", "notebook_id"],
        ),
        (
            NotebookAPIClient,
            "start_notebook",
            ["organization_id", "job_definition_name", "notebook_id", "notebook_type"],
        ),
        (
            NotebookAPIClient,
            "stop_notebook",
            ["organization_id", "job_definition_name", "notebook_id"],
        ),
        (
            NotebookAPIClient,
            "get_notebook_recent_logs",
            [
                "organization_id",
                "job_definition_name",
                "notebook_id",
                "next_forward_token",
                "next_backward_token",
            ],
        ),
    ],
)
def test_methods_take_the_documented_positional_parameters(
    client_class: type, method: str, parameters: list[str]
) -> None:
    signature = inspect.signature(getattr(client_class, method))
    positional = [
        name
        for name, parameter in signature.parameters.items()
        if name != "self" and parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    ]
    assert positional == parameters


@pytest.mark.parametrize("client_class", [TriggerAPIClient, NotebookAPIClient])
def test_constructor_takes_the_documented_positional_parameters(client_class: type) -> None:
    signature = inspect.signature(client_class)
    positional = [
        name
        for name, parameter in signature.parameters.items()
        if parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    ]
    assert positional == ["credential", "timeout", "max_retry_count"]


# -- Trigger API ---------------------------------------------------------------------------


def test_create_trigger_as_in_the_document(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    trigger_api: TriggerAPIClient,
    trigger_created_doc: dict[str, Any],
) -> None:
    api.post(BASE_URL + TRIGGERS_PATH, json=trigger_created_doc)

    response = trigger_api.create_trigger(
        ORG,
        DEP,
        "ver-1111111111111111",
        "datalake",
        "2222222222222",
        model_id="3333333333333",
        distribution=0,
        retry_count=0,
        environment={"EXAMPLE_ENV": "exmaple"},
    )

    assert all_sent(api, sent) == [
        (
            "POST",
            TRIGGERS_PATH,
            {},
            {
                "version_id": "ver-1111111111111111",
                "input_service_name": "datalake",
                "input_service_id": "2222222222222",
                "distribution": 0,
                "retry_count": 0,
                "environment": {"EXAMPLE_ENV": "exmaple"},
                "models": {"alias": "3333333333333"},
            },
        )
    ]
    assert response == trigger_created_doc


def test_create_trigger_with_every_argument_positional(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    trigger_api: TriggerAPIClient,
    trigger_created_doc: dict[str, Any],
) -> None:
    api.post(BASE_URL + TRIGGERS_PATH, json=trigger_created_doc)

    trigger_api.create_trigger(
        ORG,
        DEP,
        "ver-1",
        "datalake",
        "2222222222222",
        "datalake",
        "5555555555555",
        3,
        9,
        {"A": "b"},
        "3333333333333",
    )

    assert sent(0).body == {
        "version_id": "ver-1",
        "input_service_name": "datalake",
        "input_service_id": "2222222222222",
        "output_service_name": "datalake",
        "output_service_id": "5555555555555",
        "distribution": 3,
        "retry_count": 9,
        "environment": {"A": "b"},
        "models": {"alias": "3333333333333"},
    }


def test_get_trigger(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    trigger_api: TriggerAPIClient,
    trigger_doc: dict[str, Any],
) -> None:
    api.get(BASE_URL + TRIGGER_PATH, json=trigger_doc)

    assert trigger_api.get_trigger(ORG, DEP, TRIGGER_ID) == trigger_doc
    assert all_sent(api, sent) == [("GET", TRIGGER_PATH, {}, None)]


def test_get_triggers(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    trigger_api: TriggerAPIClient,
    trigger_list_doc: dict[str, Any],
) -> None:
    api.get(BASE_URL + TRIGGERS_PATH, json=trigger_list_doc)

    assert trigger_api.get_triggers(ORG, DEP) == trigger_list_doc
    assert all_sent(api, sent) == [("GET", TRIGGERS_PATH, {}, None)]


def test_delete_trigger(
    api: responses.RequestsMock, sent: Callable[[int], Any], trigger_api: TriggerAPIClient
) -> None:
    api.delete(BASE_URL + TRIGGER_PATH, json={"message": f"{TRIGGER_ID} deleted"})

    assert trigger_api.delete_trigger(ORG, DEP, TRIGGER_ID) == {
        "message": "tri-3333333333333333 deleted"
    }
    assert all_sent(api, sent) == [("DELETE", TRIGGER_PATH, {}, None)]


def test_get_trigger_runs_first_page(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    trigger_api: TriggerAPIClient,
    runs_page_doc: dict[str, Any],
) -> None:
    api.get(BASE_URL + TRIGGER_PATH + "/runs", json=runs_page_doc)

    assert trigger_api.get_trigger_runs(ORG, DEP, TRIGGER_ID) == runs_page_doc
    assert all_sent(api, sent) == [("GET", TRIGGER_PATH + "/runs", {}, None)]


def test_get_trigger_runs_with_token_and_scan_forward_positional(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    trigger_api: TriggerAPIClient,
    runs_page_doc: dict[str, Any],
) -> None:
    api.get(BASE_URL + TRIGGER_PATH + "/runs", json=runs_page_doc)

    trigger_api.get_trigger_runs(ORG, DEP, TRIGGER_ID, "xxxxx", True)

    assert sent(0) == (
        "GET",
        TRIGGER_PATH + "/runs",
        {"next_page_token": "xxxxx", "scan_forward": "True"},
        None,
    )


# -- Notebook API --------------------------------------------------------------------------


def test_create_notebook_positional_as_in_the_document(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    notebook_api: NotebookAPIClient,
    notebook_doc: dict[str, Any],
) -> None:
    api.post(BASE_URL + NOTEBOOKS_PATH, json=notebook_doc)

    response = notebook_api.create_notebook(NB_ORG, JOB, "cpu-1", "abeja-inc/all-cpu:19.10", "lab")

    assert response == notebook_doc
    assert all_sent(api, sent) == [
        (
            "POST",
            NOTEBOOKS_PATH,
            {},
            {"instance_type": "cpu-1", "image": "abeja-inc/all-cpu:19.10", "notebook_type": "lab"},
        )
    ]


def test_get_notebook(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    notebook_api: NotebookAPIClient,
    notebook_doc: dict[str, Any],
) -> None:
    # The document's example answers with the organization's id in training_notebook_id;
    # an answer about another notebook than asked is refused, so this one is about it.
    notebook_doc["training_notebook_id"] = NOTEBOOK_ID
    api.get(BASE_URL + NOTEBOOK_PATH, json=notebook_doc)

    assert notebook_api.get_notebook(NB_ORG, JOB, NOTEBOOK_ID) == notebook_doc
    assert all_sent(api, sent) == [("GET", NOTEBOOK_PATH, {}, None)]


def test_get_notebooks_documented_envelope_is_returned_as_is(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    notebook_api: NotebookAPIClient,
    notebook_list_doc: dict[str, Any],
) -> None:
    api.get(BASE_URL + NOTEBOOKS_PATH, json=notebook_list_doc)

    assert notebook_api.get_notebooks(NB_ORG, JOB) == notebook_list_doc
    assert all_sent(api, sent) == [("GET", NOTEBOOKS_PATH, {}, None)]


def test_update_notebook(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    notebook_api: NotebookAPIClient,
    notebook_zero_doc: dict[str, Any],
) -> None:
    api.put(BASE_URL + NOTEBOOK_PATH, json=notebook_zero_doc)

    response = notebook_api.update_notebook(
        NB_ORG, JOB, NOTEBOOK_ID, instance_type="cpu-1", image="abeja-inc/all-cpu:19.10"
    )

    # A dict result is the platform's JSON untouched: the documented 0 stays an int.
    assert response == notebook_zero_doc
    assert response["training_notebook_id"] == 0
    assert all_sent(api, sent) == [
        ("PUT", NOTEBOOK_PATH, {}, {"instance_type": "cpu-1", "image": "abeja-inc/all-cpu:19.10"})
    ]


def test_update_notebook_notebook_type_is_the_sixth_positional(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    notebook_api: NotebookAPIClient,
    notebook_doc: dict[str, Any],
) -> None:
    api.put(BASE_URL + NOTEBOOK_PATH, json={**notebook_doc, "training_notebook_id": NOTEBOOK_ID})

    notebook_api.update_notebook(NB_ORG, JOB, NOTEBOOK_ID, None, None, "notebook")

    assert sent(0).body == {"notebook_type": "notebook"}


def test_delete_notebook_returns_the_value_envelope(
    api: responses.RequestsMock, sent: Callable[[int], Any], notebook_api: NotebookAPIClient
) -> None:
    api.delete(BASE_URL + NOTEBOOK_PATH, json={"value": {"message": "1111111111111 deleted"}})

    assert notebook_api.delete_notebook(NB_ORG, JOB, NOTEBOOK_ID) == {
        "value": {"message": "1111111111111 deleted"}
    }
    assert all_sent(api, sent) == [("DELETE", NOTEBOOK_PATH, {}, None)]


def test_start_notebook_documented_answer(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    notebook_api: NotebookAPIClient,
    notebook_zero_doc: dict[str, Any],
) -> None:
    api.post(BASE_URL + NOTEBOOK_PATH + "/start", json=notebook_zero_doc)

    assert notebook_api.start_notebook(NB_ORG, JOB, NOTEBOOK_ID) == notebook_zero_doc
    assert all_sent(api, sent) == [("POST", NOTEBOOK_PATH + "/start", {}, {})]


def test_start_notebook_with_type_and_message_answer(
    api: responses.RequestsMock, sent: Callable[[int], Any], notebook_api: NotebookAPIClient
) -> None:
    api.post(BASE_URL + NOTEBOOK_PATH + "/start", json={"message": f"{NOTEBOOK_ID} started"})

    response = notebook_api.start_notebook(NB_ORG, JOB, NOTEBOOK_ID, "notebook")

    assert response == {"message": "1230000000000 started"}
    assert sent(0) == ("POST", NOTEBOOK_PATH + "/start", {}, {"notebook_type": "notebook"})
    assert len(api.calls) == 1


def test_stop_notebook(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    notebook_api: NotebookAPIClient,
    notebook_zero_doc: dict[str, Any],
) -> None:
    api.post(BASE_URL + NOTEBOOK_PATH + "/stop", json=notebook_zero_doc)

    assert notebook_api.stop_notebook(NB_ORG, JOB, NOTEBOOK_ID) == notebook_zero_doc
    assert all_sent(api, sent) == [("POST", NOTEBOOK_PATH + "/stop", {}, {})]


def test_get_notebook_recent_logs(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    notebook_api: NotebookAPIClient,
    logs_page_doc: dict[str, Any],
) -> None:
    api.get(BASE_URL + NOTEBOOK_PATH + "/recentlogs", json=logs_page_doc)

    assert notebook_api.get_notebook_recent_logs(NB_ORG, JOB, NOTEBOOK_ID) == logs_page_doc
    assert all_sent(api, sent) == [("GET", NOTEBOOK_PATH + "/recentlogs", {}, None)]


def test_get_notebook_recent_logs_tokens_positional(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    notebook_api: NotebookAPIClient,
    logs_page_doc: dict[str, Any],
) -> None:
    api.get(BASE_URL + NOTEBOOK_PATH + "/recentlogs", json=logs_page_doc)

    notebook_api.get_notebook_recent_logs(NB_ORG, JOB, NOTEBOOK_ID, "fwd", "bwd")

    assert sent(0).query == {"next_forward_token": "fwd", "next_backward_token": "bwd"}


def test_a_non_object_answer_is_an_invalid_response(
    api: responses.RequestsMock, notebook_api: NotebookAPIClient
) -> None:
    api.get(BASE_URL + NOTEBOOK_PATH, json=["not", "a", "notebook"])

    with pytest.raises(InvalidResponseError):
        notebook_api.get_notebook(NB_ORG, JOB, NOTEBOOK_ID)


def test_client_factories_share_the_resource_clients_transport(
    api: responses.RequestsMock,
    sent: Callable[[int], Any],
    trigger_doc: dict[str, Any],
    notebook_doc: dict[str, Any],
) -> None:
    with Client(base_url=BASE_URL, auth_token="shared") as client:
        api.get(BASE_URL + TRIGGER_PATH, json=trigger_doc)
        assert client.triggers_api().get_trigger(ORG, DEP, TRIGGER_ID) == trigger_doc
        assert api.calls[0].request.headers["Authorization"] == "Bearer shared"
        asked = {**notebook_doc, "training_notebook_id": NOTEBOOK_ID}
        api.get(BASE_URL + NOTEBOOK_PATH, json=asked)
        assert client.notebooks_api().get_notebook(NB_ORG, JOB, NOTEBOOK_ID) == asked
        assert api.calls[1].request.headers["Authorization"] == "Bearer shared"
