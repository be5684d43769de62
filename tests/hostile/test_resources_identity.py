"""Case 1 and 4: the resource asked for, or an error; ids go into paths by value.

A server that answers ``get("tri-A")`` with trigger ``tri-B`` (or a notebook's
start/stop/update with another notebook, or a page of ``tri-A``'s runs with a run of
another trigger) is lying: ``InvalidResponseError``, and nothing from the answer is
bound or returned. A bound object always acts on the id it was bound with, whatever its
data says later.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Callable

import pytest

from abeja_models import Client, Notebook, Trigger
from abeja_models.cli import main
from abeja_models.errors import InvalidResponseError, UnboundModelError, ValidationError
from abeja_models.notebook import APIClient as NotebookAPIClient

from .servers import Connection, Handler, HostileServer, Request

ORG, DEP, JOB = "1234567890123", "1111111111111", "test_job"
Answer = Callable[[Request], object]


def trigger_doc(trigger_id: str = "tri-A", **changes: object) -> dict[str, Any]:
    """A trigger of ORG/DEP as the platform sends it."""
    return {
        "trigger_id": trigger_id,
        "organization_id": ORG,
        "deployment_id": DEP,
        "model_version_id": "ver-1",
        "model_version": "0.0.1",
        "input_service_name": "datalake",
        "input_service_id": "2222222222222",
        "retry_count": 5,
        "models": {},
        "user_env_vars": {},
        "created_at": "2019-01-01T00:00:00Z",
        "modified_at": "2019-01-01T00:00:00Z",
        **changes,
    }


def notebook_doc(notebook_id: object = "1000000000001", **changes: object) -> dict[str, Any]:
    """A notebook of job definition 42 as the platform sends it."""
    return {
        "training_notebook_id": notebook_id,
        "job_definition_id": "42",
        "name": "notebook-1",
        "status": "Running",
        "instance_type": "cpu-1",
        "image": "abeja-inc/all-cpu:19.10",
        "created_at": "2019-01-01T00:00:00Z",
        "modified_at": "2019-01-01T00:00:00Z",
        **changes,
    }


def run_doc(run_id: str, trigger_id: str = "tri-A", **changes: object) -> dict[str, Any]:
    """A finished run of ``trigger_id`` (of DEP) as the platform sends it."""
    return {
        "run_id": run_id,
        "trigger_id": trigger_id,
        "deployment_id": DEP,
        "status": "SUCCEEDED",
        "model_version_id": "ver-1",
        "input_data": {"$datalake:1": "2222222222222/20190101T000000-x"},
        "models": {},
        "retry_count": 5,
        "user_env_vars": {},
        "created_at": "2030-01-01T00:00:00Z",
        "modified_at": "2030-01-01T00:00:00Z",
        **changes,
    }


def serve(hostile_server: Callable[[Handler], HostileServer], answer: Answer) -> HostileServer:
    """A server that answers every request with ``answer(request)`` (a document, 200)."""

    def handler(connection: Connection) -> None:
        while (request := connection.read_request()) is not None:
            connection.answer(answer(request))

    return hostile_server(handler)


def client_for(server: HostileServer, **options: Any) -> Client:
    """A client of the hostile server: no retries, short timeouts."""
    return Client(
        base_url=server.url, auth_token="secret-token", max_retries=0, timeout=5, **options
    )


def paths(server: HostileServer) -> list[str]:
    """Method and target of every request the server saw."""
    return [f"{request.method} {request.target}" for request in server.requests]


TRIGGERS = f"/organizations/{ORG}/deployments/{DEP}/triggers"
NOTEBOOKS = f"/organizations/{ORG}/training/definitions/{JOB}/notebooks"


# -- triggers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answered", "get", "low_level_get", "path"),
    [
        pytest.param(
            trigger_doc("tri-B"),
            lambda client: client.organization(ORG).deployment(DEP).triggers.get("tri-A"),
            lambda client: client.triggers_api().get_trigger(ORG, DEP, "tri-A"),
            f"{TRIGGERS}/tri-A",
            id="trigger",
        ),
        pytest.param(
            notebook_doc("2000000000002"),
            lambda client: (
                client.organization(ORG).job_definition(JOB).notebooks.get("1000000000001")
            ),
            lambda client: client.notebooks_api().get_notebook(ORG, JOB, "1000000000001"),
            f"{NOTEBOOKS}/1000000000001",
            id="notebook",
        ),
    ],
)
def test_get_answered_with_another_resource_is_refused_by_the_resource_layer_only(
    hostile_server: Callable[[Handler], HostileServer],
    answered: dict[str, Any],
    get: Callable[[Client], object],
    low_level_get: Callable[[Client], object],
    path: str,
) -> None:
    server = serve(hostile_server, lambda request: answered)
    client = client_for(server)
    other_id = str(answered.get("trigger_id") or answered["training_notebook_id"])

    with pytest.raises(InvalidResponseError, match=other_id):
        get(client)
    # The low-level clients promise the platform SDK's behaviour: the document as it came.
    assert low_level_get(client) == answered
    assert paths(server) == [f"GET {path}"] * 2


def test_a_trigger_refreshed_into_another_is_refused_and_still_deletes_its_own_id(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    answers = iter([trigger_doc("tri-A"), trigger_doc("tri-B"), {"message": "deleted"}])
    server = serve(hostile_server, lambda request: next(answers))
    trigger = client_for(server).organization(ORG).deployment(DEP).triggers.get("tri-A")

    with pytest.raises(InvalidResponseError):
        trigger.refresh()
    trigger.delete()

    assert trigger.trigger_id == "tri-A"
    assert paths(server)[-1] == f"DELETE {TRIGGERS}/tri-A"


def test_a_trigger_acts_on_the_id_it_was_bound_with_whatever_its_data_becomes(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    server = serve(hostile_server, lambda request: {"entries": [], "next_page_token": None})
    triggers = client_for(server).organization(ORG).deployment(DEP).triggers
    trigger = triggers.bind(Trigger.model_validate(trigger_doc("tri-A")))

    trigger._replace_with(Trigger.model_validate(trigger_doc("tri-B")))
    trigger.trigger_id = "tri-C"
    list(trigger.runs())
    trigger.delete()

    assert paths(server) == [f"GET {TRIGGERS}/tri-A/runs", f"DELETE {TRIGGERS}/tri-A"]


FOREIGN_RUNS = [
    pytest.param(run_doc("run-2", "tri-OTHER"), "tri-OTHER", id="another-trigger"),
    pytest.param(
        run_doc("run-2", deployment_id="9999999999999"), "9999999999999", id="another-deployment"
    ),
    pytest.param(
        run_doc("run-2", "tri-OTHER", deployment_id="9999999999999"), "tri-OTHER", id="both"
    ),
]


@pytest.mark.parametrize(("foreign", "named"), FOREIGN_RUNS)
def test_a_page_of_runs_holding_a_run_of_another_trigger_is_an_invalid_response(
    hostile_server: Callable[[Handler], HostileServer],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    foreign: dict[str, Any],
    named: str,
) -> None:
    pages = {
        None: {"entries": [run_doc("run-1")], "next_page_token": "page-2"},
        "page-2": {"entries": [run_doc("run-3"), foreign], "next_page_token": None},
    }
    server = serve(
        hostile_server, lambda request: pages["page-2" if "page-2" in request.target else None]
    )
    client = client_for(server)
    triggers = client.organization(ORG).deployment(DEP).triggers

    runs = triggers.runs("tri-A")
    assert next(runs).run_id == "run-1"
    with pytest.raises(InvalidResponseError, match=named):
        next(runs)  # nothing of the page holding the stranger: not even run-3
    with pytest.raises(InvalidResponseError, match=named):
        triggers.bind(Trigger.model_validate(trigger_doc("tri-A"))).wait_for_runs(
            since=datetime(2029, 1, 1, tzinfo=timezone.utc), timeout=5, poll_interval=0.01
        )
    monkeypatch.setenv("PLATFORM_AUTH_TOKEN", "secret-token")
    argv = ["triggers", "runs", "tri-A", "-o", ORG, "-d", DEP, "--base-url", server.url]
    assert main(argv) == 1
    assert named in capsys.readouterr().err
    # The low-level client returns the platform's pages as they came.
    page = client.triggers_api().get_trigger_runs(ORG, DEP, "tri-A", "page-2")
    assert page == pages["page-2"]


# -- notebooks --------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["start", "stop", "update"])
def test_start_stop_update_answered_with_another_notebook_are_refused_by_the_resource_layer(
    hostile_server: Callable[[Handler], HostileServer], action: str
) -> None:
    server = serve(hostile_server, lambda request: notebook_doc("2000000000002"))
    client = client_for(server)
    notebooks = client.organization(ORG).job_definition(JOB).notebooks
    notebook = notebooks.bind(Notebook.model_validate(notebook_doc("1000000000001")))
    api: NotebookAPIClient = client.notebooks_api()
    resource_call: dict[str, Callable[[], object]] = {
        "start": notebook.start,
        "stop": notebook.stop,
        "update": lambda: notebook.update(instance_type="cpu-2"),
    }
    api_call: dict[str, Callable[[], object]] = {
        "start": lambda: api.start_notebook(ORG, JOB, "1000000000001"),
        "stop": lambda: api.stop_notebook(ORG, JOB, "1000000000001"),
        "update": lambda: api.update_notebook(ORG, JOB, "1000000000001", "cpu-2"),
    }

    with pytest.raises(InvalidResponseError, match="2000000000002"):
        resource_call[action]()
    assert api_call[action]() == notebook_doc("2000000000002")  # as it came
    assert notebook.notebook_id == "1000000000001"


def test_start_answered_with_the_documented_placeholder_fetches_the_notebook(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    def answer(request: Request) -> object:
        if request.method == "POST":
            return notebook_doc(0, status="Pending")
        return notebook_doc("1000000000001", status="Pending")

    server = serve(hostile_server, answer)
    notebooks = client_for(server).organization(ORG).job_definition(JOB).notebooks
    notebook = notebooks.bind(Notebook.model_validate(notebook_doc("1000000000001")))

    assert notebook.start().status == "Pending"
    assert notebook.notebook_id == "1000000000001"
    assert paths(server) == [
        f"POST {NOTEBOOKS}/1000000000001/start",
        f"GET {NOTEBOOKS}/1000000000001",
    ]


def test_a_notebook_acts_on_the_id_it_was_bound_with_whatever_its_data_becomes(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    server = serve(hostile_server, lambda request: {"value": {"message": "deleted"}})
    notebooks = client_for(server).organization(ORG).job_definition(JOB).notebooks
    notebook = notebooks.bind(Notebook.model_validate(notebook_doc("1000000000001")))

    notebook._replace_with(Notebook.model_validate(notebook_doc("2000000000002")))
    notebook.delete()

    assert paths(server) == [f"DELETE {NOTEBOOKS}/1000000000001"]


def test_notebooks_bind_refuses_a_notebook_of_another_job_definition(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    server = serve(hostile_server, lambda request: notebook_doc("1000000000001"))
    notebooks = client_for(server).organization(ORG).job_definition(JOB).notebooks
    notebooks.get("1000000000001")  # the platform tells this job definition's id: 42
    stranger = Notebook.model_validate(notebook_doc("3", job_definition_id="99"))

    with pytest.raises(ValidationError) as caught:
        notebooks.bind(stranger)
    assert caught.value.parameter == "notebook"
    with pytest.raises(UnboundModelError):  # still unbound: it acts through nothing
        stranger.refresh()


def test_a_notebook_list_mixing_job_definitions_is_an_invalid_response(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    entries = [notebook_doc("1"), notebook_doc("2", job_definition_id="99")]
    server = serve(hostile_server, lambda request: {"entries": entries})
    notebooks = client_for(server).organization(ORG).job_definition(JOB).notebooks

    with pytest.raises(InvalidResponseError, match="99"):
        notebooks.list()


# -- ids by value (case 4) --------------------------------------------------------------


class SneakyInt(int):
    """An int that renders itself as a path of its choosing."""

    def __str__(self) -> str:
        return "../../admin"

    def __format__(self, spec: str) -> str:
        return "../../admin"

    __repr__ = __str__


class SneakyStr(str):
    """A str that renders itself as a path of its choosing."""

    def __str__(self) -> str:
        return "../../admin"

    def __format__(self, spec: str) -> str:
        return "../../admin"


def test_int_and_str_subclass_ids_go_into_the_path_by_value_in_both_layers(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    def answer(request: Request) -> object:
        trigger_id = request.target.rsplit("/", 1)[-1]
        return trigger_doc(trigger_id)

    server = serve(hostile_server, answer)
    client = client_for(server)
    org, dep = SneakyInt(int(ORG)), SneakyStr(DEP)

    client.organization(org).deployment(dep).triggers.get(SneakyStr("tri-A"))  # type: ignore[arg-type]
    client.triggers_api().get_trigger(org, dep, SneakyInt(7))  # type: ignore[arg-type]
    notebooks = client.organization(ORG).job_definition(SneakyStr(JOB)).notebooks

    assert paths(server) == [f"GET {TRIGGERS}/tri-A", f"GET {TRIGGERS}/7"]
    assert "admin" not in json.dumps(paths(server))
    assert notebooks.job_definition_name == JOB
    assert type(notebooks.job_definition_name) is str
