"""Cases 2 and 3: exceptions and models cross process boundaries, credentials do not.

Every exception pickles with its message and attributes (a process pool hands it back
to the parent); a pickled model is its data only: unbound, equal, no token inside. A
copy within the process (``copy.deepcopy``, ``model_copy``) stays bound to the same
client and acts on the same id.
"""

from __future__ import annotations

import copy as copying
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Union

import pytest

import abeja_models.errors as errors
from abeja_models import Client, Notebook, Trigger
from abeja_models.errors import AbejaError, APIConnectionError, APIError, NotFound

from .servers import Connection, Handler, HostileServer
from .test_resources_identity import (
    DEP,
    JOB,
    NOTEBOOKS,
    ORG,
    TRIGGERS,
    client_for,
    notebook_doc,
    paths,
    serve,
    trigger_doc,
)

TOKEN = "secret-token"


def _sample(cls: type[AbejaError]) -> AbejaError:
    """An instance of ``cls`` with every attribute set to something recognisable."""
    if issubclass(cls, errors.ValidationError):  # LocalBadRequest is an APIError too
        return cls("retry_count", "an int from 0 to 9", 10)
    if issubclass(cls, APIError):
        return cls(
            404,
            "not_found",
            "no such trigger",
            url="http://x/t",
            body="{}",
            after_lost_answer=True,
            error_detail={"trigger_id": ["unknown"]},
        )
    if issubclass(cls, APIConnectionError):
        return cls("read timed out", method="GET", url="http://x/t")
    if cls is errors.WaitTimeoutError:
        return errors.WaitTimeoutError("did not become 'Running'", last_status="Pending")
    if cls is errors.StatusUnreachableError:
        return errors.StatusUnreachableError("stopped", last_status="Stopped", wanted="Running")
    if cls is errors.RunsWaitTimeoutError:
        return errors.RunsWaitTimeoutError(
            "not finished", {"run-1": "SUCCEEDED", "run-2": "RUNNING"}, "RUNNING"
        )
    return cls("some message")


ERROR_CLASSES = [
    getattr(errors, name) for name in errors.__all__ if isinstance(getattr(errors, name), type)
]


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda cls: cls.__name__)
def test_every_error_pickles_with_its_type_message_and_attributes(cls: type[AbejaError]) -> None:
    error = _sample(cls)

    copy = pickle.loads(pickle.dumps(error))

    assert type(copy) is cls
    assert str(copy) == str(error)
    assert copy.args == error.args
    assert vars(copy) == vars(error)


def _fetch_missing_trigger(base_url: str) -> None:
    """Run in a child process: a real call that ends in NotFound."""
    client = Client(base_url=base_url, auth_token=TOKEN, max_retries=0, timeout=5)
    client.organization(ORG).deployment(DEP).triggers.get("tri-missing")


def test_a_process_pool_hands_back_the_typed_error_with_its_attributes(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    def handler(connection: Connection) -> None:
        while connection.read_request() is not None:
            body = {"error": "not_found", "error_description": "no trigger tri-missing"}
            connection.answer(body, status=404)

    server = hostile_server(handler)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        future = pool.submit(_fetch_missing_trigger, server.url)
        with pytest.raises(NotFound) as caught:
            future.result(timeout=20)

    assert caught.value.status_code == 404
    assert caught.value.error_description == "no trigger tri-missing"
    assert caught.value.url.endswith("/triggers/tri-missing")


def test_a_pickled_trigger_is_its_data_unbound_and_without_the_credential(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    server = serve(hostile_server, lambda request: trigger_doc("tri-A"))
    trigger = client_for(server).organization(ORG).deployment(DEP).triggers.get("tri-A")

    data = pickle.dumps(trigger)
    copy: Trigger = pickle.loads(data)

    assert TOKEN.encode() not in data
    assert copy == trigger
    with pytest.raises(errors.UnboundModelError):
        copy.delete()
    with pytest.raises(errors.UnboundModelError):
        copy.refresh()
    assert len(server.requests) == 1
    trigger.refresh()  # the original stays bound
    assert len(server.requests) == 2


def test_a_pickled_notebook_is_its_data_unbound_and_without_the_credential(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    server = serve(hostile_server, lambda request: notebook_doc("1000000000001"))
    notebook = (
        client_for(server).organization(ORG).job_definition(JOB).notebooks.get("1000000000001")
    )

    data = pickle.dumps(notebook)
    copy: Notebook = pickle.loads(data)

    assert TOKEN.encode() not in data
    assert copy == notebook
    for action in (copy.refresh, copy.stop, copy.start, copy.delete, copy.logs):
        with pytest.raises(errors.UnboundModelError):
            action()
    assert len(server.requests) == 1


Bound = Union[Trigger, Notebook]
COPIES: dict[str, Callable[[Bound], Bound]] = {
    "deepcopy": copying.deepcopy,
    "model_copy-deep": lambda model: model.model_copy(deep=True),
    "model_copy-deep-update": lambda model: model.model_copy(deep=True, update={"extra": [1]}),
}
"""The deep copies: their data is their own, their client the original's."""


@pytest.mark.parametrize("how", list(COPIES))
def test_a_copied_trigger_is_bound_to_the_same_client_and_id(
    hostile_server: Callable[[Handler], HostileServer], how: str
) -> None:
    answer = trigger_doc("tri-A", user_env_vars={"A": "1"})
    server = serve(hostile_server, lambda request: answer)
    trigger = client_for(server).organization(ORG).deployment(DEP).triggers.get("tri-A")

    copy = COPIES[how](trigger)
    assert isinstance(copy, Trigger)
    copy.user_env_vars["A"] = "2"  # the data is the copy's own
    copy.trigger_id = "tri-Z"  # an action still targets the id it was bound with
    assert copy.refresh().trigger_id == "tri-A"
    copy.delete()

    assert trigger.user_env_vars == {"A": "1"}
    assert paths(server)[1:] == [f"GET {TRIGGERS}/tri-A", f"DELETE {TRIGGERS}/tri-A"]
    assert {request.headers["authorization"] for request in server.requests} == {
        f"Bearer {TOKEN}"
    }


@pytest.mark.parametrize("how", list(COPIES))
def test_a_copied_notebook_is_bound_to_the_same_client_and_id(
    hostile_server: Callable[[Handler], HostileServer], how: str
) -> None:
    server = serve(hostile_server, lambda request: notebook_doc("1000000000001"))
    notebooks = client_for(server).organization(ORG).job_definition(JOB).notebooks
    notebook = notebooks.get("1000000000001")

    copy = COPIES[how](notebook)
    assert isinstance(copy, Notebook)
    copy.name = "renamed"  # the data is the copy's own
    assert copy.refresh().notebook_id == "1000000000001"
    copy.delete()

    assert notebook.name == "notebook-1"
    path = f"{NOTEBOOKS}/1000000000001"
    assert paths(server)[1:] == [f"GET {path}", f"DELETE {path}"]
    assert {request.headers["authorization"] for request in server.requests} == {
        f"Bearer {TOKEN}"
    }
