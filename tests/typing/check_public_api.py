"""Every public call of both layers, with the type a checker must infer for its result.

This file is type-checked (``test_typing.py`` runs ``mypy --strict`` and, when installed,
``pyright`` over it), never executed: it calls the platform freely. A change that widens
a result to ``Any`` or a wrong type, or renames a method, fails the check.
"""

# pyright: strict

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Optional, Union

import requests
from pydantic import JsonValue
from typing_extensions import Literal, assert_type

import abeja_models
from abeja_models import (
    AbejaError,
    APIConnectionError,
    APIError,
    APITimeoutError,
    BadRequest,
    Client,
    Conflict,
    Creator,
    Deployment,
    Forbidden,
    Images,
    InstanceTypes,
    InternalServerError,
    InvalidResponseError,
    JobDefinition,
    LogEvent,
    Notebook,
    Notebooks,
    NotebookStatus,
    NotebookStatuses,
    NotebookType,
    NotFound,
    Organization,
    RunsWaitTimeoutError,
    StatusUnreachableError,
    TooManyRequests,
    Trigger,
    TriggerRun,
    TriggerRunStatus,
    TriggerRunStatuses,
    Triggers,
    Unauthorized,
    UnboundModelError,
    ValidationError,
    WaitTimeoutError,
    notebook as notebook_api,
    triggers as trigger_api,
)
from abeja_models.notebook import (
    CreatorDict,
    DeletedNotebookDict,
    LogEventDict,
    MessageDict,
    NotebookActionResult,
    NotebookDict,
    NotebookListDict,
    NotebookListResult,
    NotebookLogPageDict,
)
from abeja_models.testing import Fault, PlatformEmulator, RecordedRequest
from abeja_models.triggers import (
    TriggerDict,
    TriggerListDict,
    TriggerRunDict,
    TriggerRunPageDict,
)

ORG = "1234567890123"
DEPLOYMENT = "1111111111111"
JOB = "test_job_definition"


def client_and_parents() -> None:
    assert_type(abeja_models.__version__, str)
    client = Client()
    assert_type(client, Client)
    assert_type(
        Client(
            base_url="https://api.abeja.io",
            auth_token="token",
            timeout=(3.0, 30.0),
            max_retries=5,
            deadline=60.0,
            verify="/etc/ssl/ca.pem",
            pool_size=4,
            backoff_base=0.1,
            backoff_max=2.0,
        ),
        Client,
    )
    assert_type(Client(user_id="1234", personal_access_token="secret", timeout=10), Client)
    assert_type(Client(session=requests.Session()), Client)
    assert_type(client.base_url, str)
    assert_type(client.with_options(timeout=5.0, max_retries=0, deadline=None), Client)
    assert_type(client.with_options(), Client)
    assert_type(client.with_options(timeout=None, max_answer_bytes=1024), Client)
    assert_type(client.triggers_api(), trigger_api.APIClient)
    assert_type(client.notebooks_api(), notebook_api.APIClient)
    with client as entered:
        assert_type(entered, Client)
    assert_type(client.close(), None)

    org = client.organization(ORG)
    assert_type(org, Organization)
    assert_type(org.organization_id, str)
    deployment = org.deployment(DEPLOYMENT)
    assert_type(deployment, Deployment)
    assert_type(deployment.deployment_id, str)
    assert_type(deployment.triggers, Triggers)
    job = org.job_definition(JOB)
    assert_type(job, JobDefinition)
    assert_type(job.name, str)
    assert_type(job.notebooks, Notebooks)


def triggers_collection(
    triggers: Triggers, version_id: str, channel_id: str, environment: dict[str, str]
) -> None:
    # Every argument, with values of the declared types rather than literals.
    trigger = triggers.create(
        version_id=version_id,
        input_service_id=channel_id,
        input_service_name="datalake",
        model_id=None,
        retry_count=3,
        distribution=None,
        environment=environment,
        output_service_name="datalake",
        output_service_id=channel_id,
    )
    assert_type(trigger, Trigger)
    assert_type(triggers.create(version_id="ver-1", input_service_id="2"), Trigger)
    assert_type(triggers.get("tri-3333333333333333"), Trigger)
    assert_type(triggers.list(), list[Trigger])
    assert_type(triggers.delete("tri-3333333333333333"), None)
    assert_type(triggers.runs("tri-3333333333333333"), Iterator[TriggerRun])
    assert_type(triggers.runs("tri-3333333333333333", scan_forward=True), Iterator[TriggerRun])
    assert_type(triggers.runs("tri-3", limit=10, status="FAILED"), Iterator[TriggerRun])
    assert_type(
        triggers.runs("tri-3", status=(TriggerRunStatuses.SUCCEEDED, "FAILED")),
        Iterator[TriggerRun],
    )
    assert_type(triggers.runs("tri-3", status={"RUNNING", "PENDING"}), Iterator[TriggerRun])
    assert_type(
        triggers.wait_for_runs("tri-3", since=datetime.now(timezone.utc), count=2, timeout=60),
        list[TriggerRun],
    )
    assert_type(triggers.within(5.0), Triggers)
    assert_type(triggers.bind(Trigger.model_validate_json("{}")), Trigger)
    assert_type(triggers.organization_id, str)
    assert_type(triggers.deployment_id, str)


def trigger_model(trigger: Trigger) -> None:
    assert_type(trigger.runs(), Iterator[TriggerRun])
    assert_type(trigger.runs(scan_forward=False), Iterator[TriggerRun])
    for run in trigger.runs(scan_forward=True):
        assert_type(run, TriggerRun)
    assert_type(trigger.runs(limit=5, status=TriggerRunStatuses.FAILED), Iterator[TriggerRun])
    since = datetime.now(timezone.utc)
    assert_type(trigger.wait_for_runs(since=since), list[TriggerRun])
    for run in trigger.wait_for_runs(since=since, count=1, timeout=600, poll_interval=5):
        assert_type(run.status, str)
        assert_type(run.known_status, Optional[TriggerRunStatus])
        assert_type(run.is_finished, bool)
        assert_type(run.succeeded, bool)
        assert_type(run.failed, bool)
    try:
        trigger.wait_for_runs(since=since, count=3)
    except RunsWaitTimeoutError as error:
        assert_type(error.last_statuses, dict[str, str])
        assert_type(error.last_status, Optional[str])
    status: TriggerRunStatus = TriggerRunStatuses.SUCCEEDED
    assert_type(TriggerRunStatuses.RUNNABLE, Literal["RUNNABLE"])
    assert_type(trigger.runs(status=status), Iterator[TriggerRun])
    assert_type(trigger.refresh(), Trigger)
    assert_type(trigger.delete(), None)

    # Each field's type is its model's annotation, which test_wire_schema.py compares with
    # the TypedDict key by key; what a checker adds is how it reads the aliases (an Id as
    # str, a Timestamp as datetime) and the nested models.
    assert_type(trigger.trigger_id, str)
    assert_type(trigger.output_service_id, Optional[str])
    assert_type(trigger.created_at, Optional[datetime])
    assert_type(trigger.modified_at, Optional[datetime])

    assert_type(trigger.to_json(), str)
    assert_type(trigger.to_dict(), dict[str, object])
    assert_type(Trigger.model_validate_json(trigger.to_json()), Trigger)


def trigger_run_model(run: TriggerRun) -> None:
    assert_type(run.run_id, str)  # as in trigger_model, the aliases and JsonValue
    assert_type(run.output_template, Optional[JsonValue])
    assert_type(run.created_at, datetime)
    assert_type(run.modified_at, datetime)
    assert_type(run.to_json(), str)
    assert_type(TriggerRun.model_validate_json(run.to_json()), TriggerRun)
    assert_type(TriggerRun.model_validate_json(run.to_json()) == run, bool)


def notebooks_collection(notebooks: Notebooks) -> None:
    notebook_type: NotebookType = "lab"
    created = notebooks.create(
        instance_type=InstanceTypes.CPU_1, image=Images.ALL_CPU_19_10, notebook_type=notebook_type
    )
    assert_type(created, Notebook)
    assert_type(notebooks.create(), Notebook)
    assert_type(notebooks.get("1230000000000"), Notebook)
    assert_type(notebooks.list(), list[Notebook])
    assert_type(notebooks.update("1230000000000", instance_type="cpu-2"), Notebook)
    assert_type(notebooks.start("1230000000000", notebook_type="notebook"), Notebook)
    assert_type(notebooks.stop("1230000000000"), Notebook)
    assert_type(notebooks.delete("1230000000000"), None)
    assert_type(notebooks.logs("1230000000000"), Iterator[LogEvent])
    assert_type(notebooks.logs("1230000000000", follow=True, poll_interval=1), Iterator[LogEvent])
    assert_type(notebooks.bind(Notebook.model_validate_json("{}")), Notebook)
    assert_type(notebooks.organization_id, str)
    assert_type(notebooks.job_definition_name, str)


def notebook_model(notebook: Notebook) -> None:
    assert_type(notebook.start(), Notebook)
    assert_type(notebook.start(notebook_type="lab"), Notebook)
    assert_type(notebook.stop(), Notebook)
    assert_type(notebook.update(instance_type="cpu-2", image="abeja-inc/all-cpu:19.10"), Notebook)
    assert_type(notebook.update(notebook_type="notebook"), Notebook)
    assert_type(notebook.refresh(), Notebook)
    assert_type(notebook.delete(), None)
    assert_type(notebook.logs(), Iterator[LogEvent])
    for event in notebook.logs(follow=True, poll_interval=0.5):
        assert_type(event, LogEvent)
        assert_type(event.message, str)
        assert_type(event.timestamp, datetime)
    assert_type(notebook.wait_until("Running"), Notebook)
    assert_type(notebook.wait_until("Running", timeout=600, poll_interval=5), Notebook)
    assert_type(notebook.wait_until(NotebookStatuses.STOPPED), Notebook)
    assert_type(notebook.wait_for(lambda nb: nb.status == "Migrating", timeout=60), Notebook)
    assert_type(notebook.known_status, Optional[NotebookStatus])
    assert_type(NotebookStatuses.FAILED, Literal["Failed"])
    try:
        notebook.wait_until("Running")
    except StatusUnreachableError as error:
        assert_type(error.last_status, Optional[str])
        assert_type(error.wanted, str)

    assert_type(notebook.notebook_id, str)
    assert_type(notebook.training_notebook_id, str)  # as in trigger_model
    assert_type(notebook.creator, Optional[Creator])
    assert_type(notebook.created_at, Optional[datetime])
    if notebook.creator is not None:
        assert_type(notebook.creator.id, str)

    assert_type(notebook.to_json(), str)
    assert_type(Notebook.model_validate_json(notebook.to_json()), Notebook)
    assert_type(LogEvent.model_validate_json("{}"), LogEvent)
    assert_type(Creator.model_validate_json("{}"), Creator)


def constants(notebook_type: NotebookType) -> None:
    assert_type(InstanceTypes.CPU_1, Literal["cpu-1"])
    assert_type(InstanceTypes.GPU_B4, Literal["gpu:b-4"])
    assert_type(Images.ALL_CPU_19_10, Literal["abeja-inc/all-cpu:19.10"])
    assert_type(notebook_type, Literal["notebook", "lab"])


def trigger_api_client() -> None:
    api = trigger_api.APIClient()
    assert_type(api, trigger_api.APIClient)
    assert_type(
        trigger_api.APIClient(
            credential={"auth_token": "token"},
            timeout=30,
            max_retry_count=5,
            base_url="https://api.abeja.io",
            session=requests.Session(),
        ),
        trigger_api.APIClient,
    )
    # Every argument by the platform SDK's name (check_low_level_flow.py passes the
    # required ones by position).
    created = api.create_trigger(
        organization_id=ORG,
        deployment_id=DEPLOYMENT,
        version_id="ver-1111111111111111",
        input_service_name="datalake",
        input_service_id="2222222222222",
        output_service_name=None,
        output_service_id=None,
        distribution=0,
        retry_count=3,
        environment={"DEBUG": "debug"},
        model_id="3333333333333",
    )
    assert_type(created, TriggerDict)
    assert_type(created["trigger_id"], str)
    assert_type(created["retry_count"], int)
    assert_type(created["user_env_vars"], dict[str, str])
    assert_type(created["output_service_id"], Optional[str])
    assert_type(api.get_trigger(ORG, DEPLOYMENT, "tri-1"), TriggerDict)
    listed = api.get_triggers(ORG, DEPLOYMENT)
    assert_type(listed, TriggerListDict)
    assert_type(listed["entries"], list[TriggerDict])
    assert_type(api.delete_trigger(ORG, DEPLOYMENT, "tri-1"), MessageDict)
    page = api.get_trigger_runs(ORG, DEPLOYMENT, "tri-1", next_page_token=None, scan_forward=True)
    assert_type(page, TriggerRunPageDict)
    assert_type(page["entries"], list[TriggerRunDict])
    assert_type(page["entries"][0]["status"], str)
    assert_type(page.get("next_page_token"), Optional[str])
    assert_type(api.close(), None)


def notebook_api_client() -> None:
    api = notebook_api.APIClient(credential={"user_id": "1", "personal_access_token": "x"})
    assert_type(api, notebook_api.APIClient)
    created = api.create_notebook(ORG, JOB, "cpu-1", "abeja-inc/all-cpu:19.10", "lab")
    assert_type(created, NotebookDict)
    assert_type(created["training_notebook_id"], Union[str, int])
    assert_type(created["status"], str)
    assert_type(created.get("creator"), Optional[CreatorDict])
    assert_type(api.get_notebook(ORG, JOB, "1230000000000"), NotebookDict)
    listed = api.get_notebooks(ORG, JOB)
    assert_type(listed, NotebookListResult)
    assert_type(listed, Union[NotebookListDict, list[NotebookDict]])
    if isinstance(listed, list):
        assert_type(listed, list[NotebookDict])
    else:
        assert_type(listed["entries"], list[NotebookDict])
        assert_type(listed["total"], int)
    assert_type(
        api.update_notebook(ORG, JOB, "1230000000000", "cpu-2", None, "notebook"), NotebookDict
    )
    deleted = api.delete_notebook(ORG, JOB, "1230000000000")
    assert_type(deleted, DeletedNotebookDict)
    assert_type(deleted["value"]["message"], str)
    started = api.start_notebook(ORG, JOB, "1230000000000", notebook_type="lab")
    assert_type(started, NotebookActionResult)
    assert_type(started, Union[NotebookDict, MessageDict])
    assert_type(api.stop_notebook(ORG, JOB, "1230000000000"), NotebookActionResult)
    logs = api.get_notebook_recent_logs(
        ORG, JOB, "1230000000000", next_forward_token="f", next_backward_token=None
    )
    assert_type(logs, NotebookLogPageDict)
    assert_type(logs["events"], list[LogEventDict])
    assert_type(logs["events"][0]["message"], str)
    assert_type(logs.get("next_forward_token"), Optional[str])


def errors(triggers: Triggers) -> None:
    try:
        triggers.get("tri-1")
    except NotFound as error:
        assert_type(error, NotFound)
        assert_type(error.status_code, int)
    except APIError as error:
        assert_type(error.status_code, int)
        assert_type(error.error, str)
        assert_type(error.error_description, str)
        assert_type(error.url, str)
        assert_type(error.body, str)
        assert_type(error.error_detail, JsonValue)
    except APITimeoutError as error:
        assert_type(error.method, str)
    except APIConnectionError as error:
        assert_type(error.method, str)
        assert_type(error.url, str)
    except ValidationError as error:
        assert_type(error.parameter, str)
        assert_type(error.allowed, str)
    except WaitTimeoutError as error:
        assert_type(error.last_status, Optional[str])
    except (UnboundModelError, AbejaError) as error:
        assert_type(error, Union[UnboundModelError, AbejaError])

    statuses: list[type[APIError]] = [
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        Conflict,
        TooManyRequests,
        InternalServerError,
        InvalidResponseError,
    ]
    assert_type(statuses[0](400, "bad_request", "why", url="https://x").status_code, int)
    # ValidationError is a ValueError, WaitTimeoutError a TimeoutError.
    value_error: ValueError = ValidationError("retry_count", "0..9", 12)
    timeout_error: TimeoutError = WaitTimeoutError("late", last_status="Pending")
    assert_type(ValidationError("retry_count", "0..9", 12), ValidationError)
    print(value_error, timeout_error)


def emulator() -> None:
    with PlatformEmulator(notebook_start_delay=0.2, run_step_delay=0.1, log_interval=0.05) as em:
        assert_type(em, PlatformEmulator)
        assert_type(em.url, str)
        assert_type(em.env(), dict[str, str])
        assert_type(em.upload("2222222222222", b"data"), list[str])
        assert_type(em.add_runs("tri-1", 100, fail=True), list[str])
        assert_type(em.files("2222222222222"), dict[str, bytes])
        fault = em.inject_fault("GET", "/triggers$", status=503, retry_after=1, times=2)
        assert_type(fault, Fault)
        assert_type(fault.hits, int)
        assert_type(em.requests, list[RecordedRequest])
        assert_type(em.requests[0].headers, dict[str, str])
        assert_type(em.count("GET", "/runs$"), int)
        assert_type(em.reset(), None)
    assert_type(
        PlatformEmulator(credentials=["token", ("user-1", "pat")]).start(), PlatformEmulator
    )
