"""Code written for the platform SDK keeps working with only its imports changed.

- ids go back in as the low-level results carry them (``training_notebook_id`` may be
  an ``int``);
- ``get_notebooks`` returns the document the platform sent, a bare list included;
- a low-level client's refusal of a bad argument is caught by ``except BadRequest``, as
  the platform SDK's answer to the same mistake was, and nothing is sent;
- every ``APIError`` carries what the platform SDK's ``HttpError`` does: ``error_detail``,
  ``_asdict()``, and the names of ``abeja.exceptions``.
"""

from __future__ import annotations

import pickle
from typing import Any, Callable, Union

import pytest
import responses
import typing_extensions
from typing_extensions import get_args

from abeja_models import Client, errors as errors_module
from abeja_models.errors import (
    AbejaError,
    APIError,
    BadRequest,
    Error,
    HttpError,
    InvalidResponseError,
    LocalBadRequest,
    MethodNotAllowed,
    NotFound,
    ValidationError,
)
from abeja_models.models import wire
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.triggers import APIClient as TriggerAPIClient

BASE_URL = "https://api.test"
ORG = "1234567890123"
DEP = "1111111111111"
TRIGGER_ID = "tri-3333333333333333"
TRIGGER_URL = f"{BASE_URL}/organizations/{ORG}/deployments/{DEP}/triggers/{TRIGGER_ID}"
JOB = "test_job_definition"
NOTEBOOKS_URL = f"{BASE_URL}/organizations/{ORG}/training/definitions/{JOB}/notebooks"


# -- ids: what a result holds, a parameter takes --------------------------------------------


def _types(annotation: object) -> set[object]:
    """The members of a union (``Optional`` included), or the one type."""
    args = get_args(annotation)
    return set(args) if typing_extensions.get_origin(annotation) is Union else {annotation}


def _hints(owner: object) -> dict[str, object]:
    return typing_extensions.get_type_hints(owner)


# (client, parameter) <- (TypedDict, key): the result's key feeds the parameter.
_ID_SOURCES: list[tuple[type[Any], str, type[Any], str]] = [
    (NotebookAPIClient, "notebook_id", wire.NotebookDict, "training_notebook_id"),
    (NotebookAPIClient, "job_definition_name", wire.NotebookDict, "job_definition_id"),
    (TriggerAPIClient, "organization_id", wire.TriggerDict, "organization_id"),
    (TriggerAPIClient, "deployment_id", wire.TriggerDict, "deployment_id"),
    (TriggerAPIClient, "deployment_id", wire.TriggerRunDict, "deployment_id"),
    (TriggerAPIClient, "trigger_id", wire.TriggerDict, "trigger_id"),
    (TriggerAPIClient, "trigger_id", wire.TriggerRunDict, "trigger_id"),
    (TriggerAPIClient, "version_id", wire.TriggerDict, "model_version_id"),
    (TriggerAPIClient, "input_service_id", wire.TriggerDict, "input_service_id"),
    (TriggerAPIClient, "output_service_id", wire.TriggerDict, "output_service_id"),
]


def _methods_taking(client: type[Any], parameter: str) -> list[str]:
    return [
        name
        for name, function in vars(client).items()
        if not name.startswith("_") and callable(function) and parameter in _hints(function)
    ]


@pytest.mark.parametrize(
    ("client", "parameter", "document", "key"),
    _ID_SOURCES,
    ids=[f"{doc.__name__}[{key}]->{param}" for _, param, doc, key in _ID_SOURCES],
)
def test_every_id_parameter_takes_the_type_the_results_carry(
    client: type[Any], parameter: str, document: type[Any], key: str
) -> None:
    carried = _types(_hints(document)[key])
    methods = _methods_taking(client, parameter)
    assert methods
    for name in methods:
        taken = _types(_hints(getattr(client, name))[parameter])
        assert carried <= taken, f"{client.__name__}.{name}({parameter}) takes {taken}"


def test_every_notebook_method_takes_an_int_id() -> None:
    # All seven calls that name a notebook: a narrower one would make create -> get fail
    # the type check with the id create returned.
    methods = _methods_taking(NotebookAPIClient, "notebook_id")
    assert sorted(methods) == [
        "delete_notebook",
        "get_notebook",
        "get_notebook_recent_logs",
        "start_notebook",
        "stop_notebook",
        "update_notebook",
    ]


def test_the_ids_a_notebook_flow_returns_go_back_in_as_they_came(
    api: responses.RequestsMock, notebook_api: NotebookAPIClient, notebook_doc: dict[str, Any]
) -> None:
    # The platform (as its documents' examples) may send the id as an int.
    notebook_doc["training_notebook_id"] = 1230000000000
    url = f"{NOTEBOOKS_URL}/1230000000000"
    api.post(NOTEBOOKS_URL, json=notebook_doc)
    api.get(url, json=notebook_doc)
    api.post(url + "/start", json=notebook_doc)
    api.post(url + "/stop", json={"message": "1230000000000 stopped"})
    api.delete(url, json={"value": {"message": "1230000000000 deleted"}})

    created = notebook_api.create_notebook(ORG, JOB, "cpu-1")
    notebook_id = created["training_notebook_id"]
    fetched = notebook_api.get_notebook(ORG, JOB, notebook_id)
    notebook_api.start_notebook(ORG, JOB, fetched["training_notebook_id"])
    notebook_api.stop_notebook(ORG, JOB, notebook_id)
    notebook_api.delete_notebook(ORG, JOB, notebook_id)

    assert [call.request.url for call in api.calls][1:] == [
        url,
        url + "/start",
        url + "/stop",
        url,
    ]


# -- get_notebooks: the document the platform sent ------------------------------------------


def test_get_notebooks_returns_a_bare_list_as_the_platform_sent_it(
    api: responses.RequestsMock, notebook_api: NotebookAPIClient, notebook_doc: dict[str, Any]
) -> None:
    api.get(NOTEBOOKS_URL, json=[notebook_doc, notebook_doc])

    listed = notebook_api.get_notebooks(ORG, JOB)

    # What code written for the platform SDK does with it: iterate.
    assert isinstance(listed, list)
    assert [notebook["name"] for notebook in listed] == ["notebook-3", "notebook-3"]
    assert listed == [notebook_doc, notebook_doc]


def test_get_notebooks_returns_an_empty_bare_list_as_a_list(
    api: responses.RequestsMock, notebook_api: NotebookAPIClient
) -> None:
    api.get(NOTEBOOKS_URL, json=[])

    assert notebook_api.get_notebooks(ORG, JOB) == []


def test_get_notebooks_returns_the_documented_page_unchanged(
    api: responses.RequestsMock,
    notebook_api: NotebookAPIClient,
    notebook_list_doc: dict[str, Any],
) -> None:
    notebook_list_doc["unlisted"] = "kept"
    api.get(NOTEBOOKS_URL, json=notebook_list_doc)

    assert notebook_api.get_notebooks(ORG, JOB) == notebook_list_doc


@pytest.mark.parametrize("answer", [[1, 2], ["a"], [{"name": "x"}, None], "notebooks", 3])
def test_get_notebooks_refuses_what_is_neither_a_page_nor_a_list_of_notebooks(
    api: responses.RequestsMock, notebook_api: NotebookAPIClient, answer: object
) -> None:
    api.get(NOTEBOOKS_URL, json=answer)

    with pytest.raises(InvalidResponseError, match="expected a JSON object"):
        notebook_api.get_notebooks(ORG, JOB)


def test_the_resource_layer_still_reads_a_bare_list_as_notebooks(
    api: responses.RequestsMock, client: Client, notebook_doc: dict[str, Any]
) -> None:
    api.get(NOTEBOOKS_URL, json=[notebook_doc])

    notebooks = client.organization(ORG).job_definition(JOB).notebooks.list()

    assert [notebook.notebook_id for notebook in notebooks] == ["1410000000000"]


# -- refusals: caught as the platform SDK's BadRequest -------------------------------------

Call = Callable[[TriggerAPIClient, NotebookAPIClient], object]

_REFUSED: list[tuple[str, str, Call]] = [
    (
        "retry_count",
        "retry_count",
        lambda t, n: t.create_trigger(ORG, DEP, "ver-1", "datalake", "2222", retry_count=12),
    ),
    (
        "distribution",
        "distribution",
        lambda t, n: t.create_trigger(ORG, DEP, "ver-1", "datalake", "2222", distribution=-1),
    ),
    (
        "output pair",
        "output_service_id",
        lambda t, n: t.create_trigger(ORG, DEP, "v", "datalake", "2", output_service_name="x"),
    ),
    (
        "environment",
        "environment",
        lambda t, n: t.create_trigger(ORG, DEP, "v", "datalake", "2", environment={"A": 1}),  # type: ignore[dict-item]
    ),
    ("trigger id", "trigger_id", lambda t, n: t.get_trigger(ORG, DEP, "tri/../x")),
    ("runs token", "next_page_token", lambda t, n: t.get_trigger_runs(ORG, DEP, "tri-1", "")),
    ("instance_type", "instance_type", lambda t, n: n.create_notebook(ORG, JOB, "cpu-huge")),
    (
        "notebook_type",
        "notebook_type",
        lambda t, n: n.create_notebook(ORG, JOB, notebook_type="Lab"),  # type: ignore[arg-type]
    ),
    ("image", "image", lambda t, n: n.update_notebook(ORG, JOB, "1", image="not an image")),
    ("notebook id", "notebook_id", lambda t, n: n.stop_notebook(ORG, JOB, "")),
    ("missing notebook id", "notebook_id", lambda t, n: n.get_notebook(ORG, JOB)),
    ("job name", "job_definition_name", lambda t, n: n.get_notebooks(ORG, "..")),
]


@pytest.mark.parametrize(("parameter", "call"), [(p, c) for _, p, c in _REFUSED])
def test_a_low_level_refusal_is_caught_by_except_bad_request_and_sends_nothing(
    api: responses.RequestsMock,
    trigger_api: TriggerAPIClient,
    notebook_api: NotebookAPIClient,
    parameter: str,
    call: Call,
) -> None:
    with pytest.raises(BadRequest) as caught:
        call(trigger_api, notebook_api)

    error = caught.value
    assert type(error) is LocalBadRequest
    # Still what this SDK documents for a bad argument.
    assert isinstance(error, ValidationError)
    assert isinstance(error, ValueError)
    assert error.parameter == parameter
    # And what the platform SDK's BadRequest held.
    assert isinstance(error, HttpError)
    assert error.status_code == 400
    assert error.error == "bad_request"
    assert error.error_description == str(error)
    assert error.error_detail == {parameter: [error.allowed]}
    assert error.url == ""
    assert f"invalid {parameter}=" in str(error)
    assert len(api.calls) == 0


def test_the_refusal_keeps_the_message_of_the_validation_error(
    trigger_api: TriggerAPIClient, client: Client
) -> None:
    with pytest.raises(ValidationError) as plain:
        client.organization(ORG).deployment(DEP).triggers.create(
            version_id="ver-1", input_service_id="2222", retry_count=12
        )
    with pytest.raises(LocalBadRequest) as low_level:
        trigger_api.create_trigger(ORG, DEP, "ver-1", "datalake", "2222", retry_count=12)

    assert str(low_level.value) == str(plain.value)
    assert low_level.value.args == plain.value.args
    assert low_level.value.allowed == plain.value.allowed
    assert low_level.value.__cause__ is None
    assert low_level.value.__suppress_context__


def test_the_resource_layer_raises_a_plain_validation_error_not_an_api_error(
    api: responses.RequestsMock, client: Client
) -> None:
    with pytest.raises(ValidationError) as caught:
        client.organization(ORG).deployment(DEP).triggers.create(
            version_id="ver-1", input_service_id="2222", retry_count=12
        )

    assert type(caught.value) is ValidationError
    assert not isinstance(caught.value, APIError)
    assert len(api.calls) == 0


def test_a_low_level_constructor_refuses_with_a_plain_validation_error() -> None:
    # The platform SDK's constructor refused nothing: no handler expects a BadRequest.
    with pytest.raises(ValidationError) as caught:
        TriggerAPIClient(credential="token")  # type: ignore[arg-type]

    assert type(caught.value) is ValidationError
    assert caught.value.parameter == "credential"


def test_a_local_bad_request_pickles_with_every_attribute() -> None:
    error = LocalBadRequest("retry_count", "an int from 0 to 9", 12)

    copy = pickle.loads(pickle.dumps(error))

    assert type(copy) is LocalBadRequest
    assert (str(copy), copy.args, vars(copy)) == (str(error), error.args, vars(error))


# -- APIError: what the platform SDK's HttpError exposes ------------------------------------

DETAIL = {"source_data": ["unknown field"]}


def test_error_detail_is_kept_on_the_error(
    api: responses.RequestsMock, trigger_api: TriggerAPIClient
) -> None:
    body = {"error": "bad_request", "error_description": "invalid params", "error_detail": DETAIL}
    api.get(TRIGGER_URL, status=400, json=body)

    with pytest.raises(BadRequest) as caught:
        trigger_api.get_trigger(ORG, DEP, TRIGGER_ID)

    error = caught.value
    assert error.error_detail == DETAIL
    assert (error.status_code, error.error, error.error_description, error.url) == (
        400,
        "bad_request",
        "invalid params",
        TRIGGER_URL,
    )
    assert str(error) == (
        f"400 bad_request: invalid params ({TRIGGER_URL}), {{'source_data': ['unknown field']}}"
    )
    # The platform SDK's HttpError._asdict(), key for key.
    assert error._asdict() == {
        "error": "bad_request",
        "error_description": "invalid params",
        "error_detail": DETAIL,
        "status_code": 400,
        "url": TRIGGER_URL,
    }


def test_error_detail_reaches_the_resource_layer_too(
    api: responses.RequestsMock, client: Client
) -> None:
    body = {"error": "not_found", "error_description": "gone", "error_detail": ["x"]}
    api.get(TRIGGER_URL, status=404, json=body)

    with pytest.raises(NotFound) as caught:
        client.organization(ORG).deployment(DEP).triggers.get(TRIGGER_ID)

    assert caught.value.error_detail == ["x"]


@pytest.mark.parametrize(
    "body", [{"error": "bad_request", "error_description": "why"}, "not json", ""]
)
def test_an_answer_without_error_detail_gives_none(
    api: responses.RequestsMock, trigger_api: TriggerAPIClient, body: object
) -> None:
    if isinstance(body, dict):
        api.get(TRIGGER_URL, status=400, json=body)
    else:
        api.get(TRIGGER_URL, status=400, body=str(body))

    with pytest.raises(BadRequest) as caught:
        trigger_api.get_trigger(ORG, DEP, TRIGGER_ID)

    assert caught.value.error_detail is None
    assert "error_detail" not in caught.value._asdict()
    assert not str(caught.value).endswith(", None")


def test_an_api_error_with_error_detail_pickles_with_it() -> None:
    error = BadRequest(400, "bad_request", "why", url="https://x", error_detail=DETAIL)

    copy = pickle.loads(pickle.dumps(error))

    assert copy.error_detail == DETAIL
    assert (str(copy), copy.args, vars(copy)) == (str(error), error.args, vars(error))


def test_a_long_error_detail_is_cut_in_the_message_but_kept_whole() -> None:
    detail = {"field": ["x" * 5000]}

    error = BadRequest(400, "bad_request", "why", url="https://x", error_detail=detail)

    assert error.error_detail == detail
    assert len(str(error)) < 700


def test_405_is_method_not_allowed(
    api: responses.RequestsMock, trigger_api: TriggerAPIClient
) -> None:
    api.get(TRIGGER_URL, status=405, json={"error": "method_not_allowed"})

    with pytest.raises(MethodNotAllowed) as caught:
        trigger_api.get_trigger(ORG, DEP, TRIGGER_ID)

    assert type(caught.value) is MethodNotAllowed
    assert isinstance(caught.value, HttpError)
    assert (caught.value.status_code, caught.value.error) == (405, "method_not_allowed")


def test_the_platform_sdk_names_of_abeja_exceptions_exist() -> None:
    # ``from abeja.exceptions import X`` becomes ``from abeja_models.errors import X``
    # for every exception the Trigger and Notebook clients of the platform SDK raise.
    assert Error is AbejaError
    assert HttpError is APIError
    for name in (
        "Error",
        "HttpError",
        "BadRequest",
        "Unauthorized",
        "Forbidden",
        "NotFound",
        "MethodNotAllowed",
        "Conflict",
        "InternalServerError",
    ):
        value = getattr(errors_module, name)
        assert name in errors_module.__all__
        assert issubclass(value, AbejaError)
        assert value is AbejaError or issubclass(value, HttpError)
