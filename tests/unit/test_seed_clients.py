"""The seed-compatible ``APIClient`` classes: the documents' calls, positional orders, dicts."""

from __future__ import annotations

import inspect
import json
from typing import Any, Callable, NamedTuple

import pytest
import requests
import responses

from abeja_models import Client, InvalidResponseError
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.triggers import APIClient as TriggerAPIClient
from tests.ids import BASE_URL, DEP, JOB, ORG, RUNS_PATH, TRIGGER_ID, TRIGGER_PATH, TRIGGERS_PATH

from .fakes import MockedPlatform

# The notebook ids of the Notebook API document's examples.
NB_ORG = "1410000000000"
NOTEBOOK_ID = "1230000000000"
NOTEBOOKS_PATH = f"/organizations/{NB_ORG}/training/definitions/{JOB}/notebooks"
NOTEBOOK_PATH = f"{NOTEBOOKS_PATH}/{NOTEBOOK_ID}"


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


# -- each call as in the documents: what it sends, and the answer returned unchanged --------


class SeedCall(NamedTuple):
    """One documented call, what it sends, and what the platform answers."""

    function: Callable[..., object]  # a method of one of the two clients
    arguments: tuple[Any, ...]
    answer: Any  # a conftest fixture's name (its document), or the answer itself
    method: str
    path: str
    query: dict[str, str] = {}
    body: Any = None
    keywords: dict[str, Any] = {}


T, N = TriggerAPIClient, NotebookAPIClient
# The document's notebook answer is about another notebook (the organization's id), and
# an answer about another notebook than the one asked is refused.
ASKED = {"training_notebook_id": NOTEBOOK_ID}
START, STOP, LOGS = NOTEBOOK_PATH + "/start", NOTEBOOK_PATH + "/stop", NOTEBOOK_PATH + "/recentlogs"
CPU_19 = "abeja-inc/all-cpu:19.10"
# The document's create_trigger example passes these by name; they go on the wire as named.
DOCUMENTED_KEYWORDS = {
    "distribution": 0,
    "retry_count": 0,
    "environment": {"EXAMPLE_ENV": "exmaple"},
}

SEED_CALLS = {
    "create_trigger-as-documented": SeedCall(
        T.create_trigger,
        (ORG, DEP, "ver-1111111111111111", "datalake", "2222222222222"),
        "trigger_created_doc",
        "POST",
        TRIGGERS_PATH,
        keywords={**DOCUMENTED_KEYWORDS, "model_id": "3333333333333"},
        body={
            "version_id": "ver-1111111111111111",
            "input_service_name": "datalake",
            "input_service_id": "2222222222222",
            **DOCUMENTED_KEYWORDS,
            "models": {"alias": "3333333333333"},
        },
    ),
    "create_trigger-every-argument-positional": SeedCall(
        T.create_trigger,
        (ORG, DEP, "ver-1", "datalake", "2222", "datalake", "5555", 3, 9, {"A": "b"}, "3333"),
        "trigger_created_doc",
        "POST",
        TRIGGERS_PATH,
        body={
            "version_id": "ver-1",
            "input_service_name": "datalake",
            "input_service_id": "2222",
            "output_service_name": "datalake",
            "output_service_id": "5555",
            "distribution": 3,
            "retry_count": 9,
            "environment": {"A": "b"},
            "models": {"alias": "3333"},
        },
    ),
    "get_trigger": SeedCall(
        T.get_trigger, (ORG, DEP, TRIGGER_ID), "trigger_doc", "GET", TRIGGER_PATH
    ),
    "get_triggers": SeedCall(T.get_triggers, (ORG, DEP), "trigger_list_doc", "GET", TRIGGERS_PATH),
    "delete_trigger-message": SeedCall(
        T.delete_trigger,
        (ORG, DEP, TRIGGER_ID),
        {"message": f"{TRIGGER_ID} deleted"},
        "DELETE",
        TRIGGER_PATH,
    ),
    "get_trigger_runs-first-page": SeedCall(
        T.get_trigger_runs, (ORG, DEP, TRIGGER_ID), "runs_page_doc", "GET", RUNS_PATH
    ),
    "get_trigger_runs-token-and-scan_forward-positional": SeedCall(
        T.get_trigger_runs,
        (ORG, DEP, TRIGGER_ID, "xxxxx", True),
        "runs_page_doc",
        "GET",
        RUNS_PATH,
        query={"next_page_token": "xxxxx", "scan_forward": "True"},
    ),
    "create_notebook-positional": SeedCall(
        N.create_notebook,
        (NB_ORG, JOB, "cpu-1", CPU_19, "lab"),
        "notebook_doc",
        "POST",
        NOTEBOOKS_PATH,
        body={"instance_type": "cpu-1", "image": CPU_19, "notebook_type": "lab"},
    ),
    "get_notebook": SeedCall(
        N.get_notebook, (NB_ORG, JOB, NOTEBOOK_ID), ("notebook_doc", ASKED), "GET", NOTEBOOK_PATH
    ),
    "get_notebooks-documented-envelope": SeedCall(
        N.get_notebooks, (NB_ORG, JOB), "notebook_list_doc", "GET", NOTEBOOKS_PATH
    ),
    # A dict result is the platform's JSON untouched: the documented 0 stays an int.
    "update_notebook-answered-with-id-0": SeedCall(
        N.update_notebook,
        (NB_ORG, JOB, NOTEBOOK_ID),
        "notebook_zero_doc",
        "PUT",
        NOTEBOOK_PATH,
        keywords={"instance_type": "cpu-1", "image": CPU_19},
        body={"instance_type": "cpu-1", "image": CPU_19},
    ),
    "update_notebook-notebook_type-sixth-positional": SeedCall(
        N.update_notebook,
        (NB_ORG, JOB, NOTEBOOK_ID, None, None, "notebook"),
        ("notebook_doc", ASKED),
        "PUT",
        NOTEBOOK_PATH,
        body={"notebook_type": "notebook"},
    ),
    "delete_notebook-value-envelope": SeedCall(
        N.delete_notebook,
        (NB_ORG, JOB, NOTEBOOK_ID),
        {"value": {"message": "1111111111111 deleted"}},
        "DELETE",
        NOTEBOOK_PATH,
    ),
    "start_notebook-documented-answer": SeedCall(
        N.start_notebook, (NB_ORG, JOB, NOTEBOOK_ID), "notebook_zero_doc", "POST", START, body={}
    ),
    "start_notebook-type-positional-message-answer": SeedCall(
        N.start_notebook,
        (NB_ORG, JOB, NOTEBOOK_ID, "notebook"),
        {"message": f"{NOTEBOOK_ID} started"},
        "POST",
        START,
        body={"notebook_type": "notebook"},
    ),
    "stop_notebook-documented-answer": SeedCall(
        N.stop_notebook, (NB_ORG, JOB, NOTEBOOK_ID), "notebook_zero_doc", "POST", STOP, body={}
    ),
    "get_notebook_recent_logs": SeedCall(
        N.get_notebook_recent_logs, (NB_ORG, JOB, NOTEBOOK_ID), "logs_page_doc", "GET", LOGS
    ),
    "get_notebook_recent_logs-tokens-positional": SeedCall(
        N.get_notebook_recent_logs,
        (NB_ORG, JOB, NOTEBOOK_ID, "fwd", "bwd"),
        "logs_page_doc",
        "GET",
        LOGS,
        query={"next_forward_token": "fwd", "next_backward_token": "bwd"},
    ),
}


@pytest.mark.parametrize("case", SEED_CALLS.values(), ids=SEED_CALLS.keys())
def test_a_documented_call_sends_one_request_and_returns_the_answer_unchanged(
    request: pytest.FixtureRequest,
    api: MockedPlatform,
    trigger_api: TriggerAPIClient,
    notebook_api: NotebookAPIClient,
    case: SeedCall,
) -> None:
    answer = case.answer
    if isinstance(answer, str):
        answer = request.getfixturevalue(answer)
    elif isinstance(answer, tuple):  # (a fixture's name, changes to its document)
        answer = {**request.getfixturevalue(answer[0]), **answer[1]}
    api.add(case.method, BASE_URL + case.path, json=answer)
    is_trigger_call = getattr(T, case.function.__name__, None) is case.function
    client = trigger_api if is_trigger_call else notebook_api

    response = case.function(client, *case.arguments, **case.keywords)

    assert api.all_sent() == [(case.method, case.path, case.query, case.body)]
    # Equal, and of the same JSON types (an int 0 is not a False, nor a "0").
    assert json.dumps(response, sort_keys=True) == json.dumps(answer, sort_keys=True)


def test_a_non_object_answer_is_an_invalid_response(
    api: responses.RequestsMock, notebook_api: NotebookAPIClient
) -> None:
    api.get(BASE_URL + NOTEBOOK_PATH, json=["not", "a", "notebook"])

    with pytest.raises(InvalidResponseError):
        notebook_api.get_notebook(NB_ORG, JOB, NOTEBOOK_ID)


def test_client_factories_share_the_resource_clients_transport(
    api: responses.RequestsMock,
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


def test_client_factories_send_through_the_callers_session(
    api: responses.RequestsMock,
    trigger_doc: dict[str, Any],
    notebook_doc: dict[str, Any],
) -> None:
    # One pool for every client made from it: the caller's session carries them all.
    through_it: list[str] = []
    session = requests.Session()
    session.hooks["response"].append(lambda response, **_: through_it.append(response.url))
    api.get(BASE_URL + TRIGGER_PATH, json=trigger_doc)
    api.get(BASE_URL + NOTEBOOK_PATH, json={**notebook_doc, "training_notebook_id": NOTEBOOK_ID})

    with Client(base_url=BASE_URL, auth_token="shared", session=session) as client:
        client.triggers_api().get_trigger(ORG, DEP, TRIGGER_ID)
        client.notebooks_api().get_notebook(NB_ORG, JOB, NOTEBOOK_ID)

    assert through_it == [BASE_URL + TRIGGER_PATH, BASE_URL + NOTEBOOK_PATH]
