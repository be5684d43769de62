"""Statuses that complete and cannot be mistyped: the known sets, the helpers, the waits.

``status`` fields hold any string (a status the platform adds later still loads); the
known statuses are ``Literal`` types with constants. ``wait_until`` refuses a status it
does not know, at once, and ends as soon as the notebook rests in another status.
``runs()`` takes a ``limit`` and a status filter. The waits run on a fake clock: pauses
are recorded, never slept.
"""

from __future__ import annotations

from typing import Any

import pytest
import responses
from typing_extensions import get_args

from abeja_models import (
    Client,
    Notebook,
    NotebookStatus,
    NotebookStatuses,
    StatusUnreachableError,
    Trigger,
    TriggerRun,
    TriggerRunStatus,
    TriggerRunStatuses,
    ValidationError,
    WaitTimeoutError,
)
from abeja_models.resources import Notebooks, Triggers

from .fakes import FakeClock

BASE_URL = "https://api.test"
ORG = "1234567890123"
DEP = "1111111111111"
JOB = "test_job_definition"
NOTEBOOK_ID = "1410000000000"
NOTEBOOK_PATH = f"/organizations/{ORG}/training/definitions/{JOB}/notebooks/{NOTEBOOK_ID}"
TRIGGER_ID = "tri-3333333333333333"
TRIGGER_PATH = f"/organizations/{ORG}/deployments/{DEP}/triggers/{TRIGGER_ID}"
RUNS_URL = f"{BASE_URL}{TRIGGER_PATH}/runs"


@pytest.fixture
def notebooks(client: Client) -> Notebooks:
    return client.organization(ORG).job_definition(JOB).notebooks


@pytest.fixture
def triggers(client: Client) -> Triggers:
    return client.organization(ORG).deployment(DEP).triggers


def bound_notebook(
    api: responses.RequestsMock, notebooks: Notebooks, doc: dict[str, Any], status: str
) -> Notebook:
    api.get(BASE_URL + NOTEBOOK_PATH, json={**doc, "status": status})
    notebook = notebooks.get(NOTEBOOK_ID)
    api.calls.reset()
    api.reset()
    return notebook


def answer_statuses(api: responses.RequestsMock, doc: dict[str, Any], *statuses: str) -> None:
    """The notebook's next polls answer these statuses, in order (the last one repeats)."""
    for status in statuses:
        api.get(BASE_URL + NOTEBOOK_PATH, json={**doc, "status": status})


# -- the known statuses ----------------------------------------------------------------------


def test_the_known_statuses_are_literal_types_with_matching_constants() -> None:
    assert get_args(TriggerRunStatus) == (
        "SUBMITTED",
        "PENDING",
        "RUNNABLE",
        "STARTING",
        "RUNNING",
        "SUCCEEDED",
        "FAILED",
    )
    assert get_args(NotebookStatus) == ("Pending", "Running", "Stopped", "Failed")
    run_constants = {k: v for k, v in vars(TriggerRunStatuses).items() if k.isupper()}
    assert run_constants == {status: status for status in get_args(TriggerRunStatus)}
    notebook_constants = {k: v for k, v in vars(NotebookStatuses).items() if k.isupper()}
    assert notebook_constants == {status.upper(): status for status in get_args(NotebookStatus)}


def test_a_status_the_platform_adds_later_still_loads(
    trigger_run_doc: dict[str, Any], notebook_doc: dict[str, Any]
) -> None:
    run = TriggerRun.model_validate({**trigger_run_doc, "status": "MIGRATING"})
    notebook = Notebook.model_validate({**notebook_doc, "status": "Migrating"})

    assert (run.status, run.known_status, run.is_finished) == ("MIGRATING", None, False)
    assert (notebook.status, notebook.known_status) == ("Migrating", None)
    assert TriggerRun.model_validate_json(run.model_dump_json()) == run
    assert Notebook.model_validate_json(notebook.model_dump_json()) == notebook


@pytest.mark.parametrize(
    ("status", "known", "finished", "succeeded", "failed"),
    [
        ("SUBMITTED", "SUBMITTED", False, False, False),
        ("RUNNABLE", "RUNNABLE", False, False, False),
        ("RUNNING", "RUNNING", False, False, False),
        ("SUCCEEDED", "SUCCEEDED", True, True, False),
        ("FAILED", "FAILED", True, False, True),
        ("succeeded", None, False, False, False),
        ("CANCELLED", None, False, False, False),
    ],
)
def test_run_status_helpers(
    trigger_run_doc: dict[str, Any],
    status: str,
    known: object,
    finished: bool,
    succeeded: bool,
    failed: bool,
) -> None:
    run = TriggerRun.model_validate({**trigger_run_doc, "status": status})
    assert (run.known_status, run.is_finished, run.succeeded, run.failed) == (
        known,
        finished,
        succeeded,
        failed,
    )


@pytest.mark.parametrize(
    ("status", "known"),
    [("Pending", "Pending"), ("Failed", "Failed"), ("running", None), ("Migrating", None)],
)
def test_notebook_known_status(notebook_doc: dict[str, Any], status: str, known: object) -> None:
    assert Notebook.model_validate({**notebook_doc, "status": status}).known_status == known


# -- wait_until refuses what it does not know ------------------------------------------------


@pytest.mark.parametrize(
    ("status", "suggested"),
    [
        ("running", "Running"),
        ("RUNNING", "Running"),
        ("runing", "Running"),
        (" stopped", "Stopped"),
    ],
)
def test_wait_until_refuses_a_misspelt_status_at_once_suggesting_the_spelling(
    api: responses.RequestsMock,
    clock: FakeClock,
    notebooks: Notebooks,
    notebook_doc: dict[str, Any],
    status: str,
    suggested: str,
) -> None:
    notebook = bound_notebook(api, notebooks, notebook_doc, "Pending")

    with pytest.raises(ValidationError) as caught:
        notebook.wait_until(status)  # type: ignore[arg-type]

    message = str(caught.value)
    assert caught.value.parameter == "status"
    assert f"did you mean {suggested!r}" in message
    assert "'Pending', 'Running', 'Stopped', 'Failed'" in message
    assert (len(api.calls), clock.pauses) == (0, [])


def test_wait_until_refuses_an_unknown_status_and_names_the_escape_hatch(
    api: responses.RequestsMock,
    clock: FakeClock,
    notebooks: Notebooks,
    notebook_doc: dict[str, Any],
) -> None:
    notebook = bound_notebook(api, notebooks, notebook_doc, "Pending")

    with pytest.raises(ValidationError) as caught:
        notebook.wait_until("Migrating")  # type: ignore[arg-type]

    assert "did you mean" not in str(caught.value)
    assert "wait_for(" in str(caught.value)
    assert (len(api.calls), clock.pauses) == (0, [])


# -- wait_until ends as soon as it cannot succeed --------------------------------------------


@pytest.mark.parametrize("rest", ["Stopped", "Failed"])
def test_wait_until_ends_at_once_when_the_notebook_comes_to_rest_elsewhere(
    api: responses.RequestsMock,
    clock: FakeClock,
    notebooks: Notebooks,
    notebook_doc: dict[str, Any],
    rest: str,
) -> None:
    notebook = bound_notebook(api, notebooks, notebook_doc, "Pending")
    answer_statuses(api, notebook_doc, "Pending", rest)

    with pytest.raises(StatusUnreachableError) as caught:
        notebook.wait_until(NotebookStatuses.RUNNING, timeout=600, poll_interval=5)

    error = caught.value
    assert isinstance(error, WaitTimeoutError)
    assert isinstance(error, TimeoutError)
    assert (error.last_status, error.wanted) == (rest, "Running")
    assert rest in str(error)
    assert "Running" in str(error)
    assert notebook.status == rest
    assert len(api.calls) == 2
    assert clock.pauses == [5, 5]  # two polls, not the 600 s of the timeout


def test_wait_until_on_a_stopped_notebook_ends_without_polling(
    api: responses.RequestsMock,
    clock: FakeClock,
    notebooks: Notebooks,
    notebook_doc: dict[str, Any],
) -> None:
    notebook = bound_notebook(api, notebooks, notebook_doc, "Stopped")

    with pytest.raises(StatusUnreachableError) as caught:
        notebook.wait_until("Running")

    assert caught.value.last_status == "Stopped"
    assert (len(api.calls), clock.pauses) == (0, [])


def test_wait_until_for_the_rest_status_itself_returns(
    api: responses.RequestsMock,
    clock: FakeClock,
    notebooks: Notebooks,
    notebook_doc: dict[str, Any],
) -> None:
    notebook = bound_notebook(api, notebooks, notebook_doc, "Running")
    answer_statuses(api, notebook_doc, "Stopped")

    assert notebook.wait_until("Stopped", poll_interval=2) is notebook
    assert notebook.known_status == "Stopped"
    assert clock.pauses == [2]


def test_wait_until_waits_through_a_status_it_does_not_know(
    api: responses.RequestsMock,
    clock: FakeClock,
    notebooks: Notebooks,
    notebook_doc: dict[str, Any],
) -> None:
    notebook = bound_notebook(api, notebooks, notebook_doc, "Pending")
    answer_statuses(api, notebook_doc, "Provisioning", "Running")

    assert notebook.wait_until("Running", poll_interval=1) is notebook
    assert notebook.status == "Running"
    assert clock.pauses == [1, 1]


def test_wait_until_still_times_out_on_a_notebook_that_stays_pending(
    api: responses.RequestsMock,
    clock: FakeClock,
    notebooks: Notebooks,
    notebook_doc: dict[str, Any],
) -> None:
    notebook = bound_notebook(api, notebooks, notebook_doc, "Pending")
    answer_statuses(api, notebook_doc, "Pending")

    with pytest.raises(WaitTimeoutError) as caught:
        notebook.wait_until("Running", timeout=10, poll_interval=4)

    assert not isinstance(caught.value, StatusUnreachableError)
    assert caught.value.last_status == "Pending"
    assert clock.pauses == [4, 4, 2]
    assert len(api.calls) == 2  # the third pause ends at the deadline: no poll after it


# -- wait_for: the escape hatch --------------------------------------------------------------


def test_wait_for_waits_for_a_status_the_sdk_does_not_know(
    api: responses.RequestsMock,
    clock: FakeClock,
    notebooks: Notebooks,
    notebook_doc: dict[str, Any],
) -> None:
    notebook = bound_notebook(api, notebooks, notebook_doc, "Running")
    answer_statuses(api, notebook_doc, "Running", "Migrating")
    seen: list[str] = []

    def migrating(nb: Notebook) -> bool:
        seen.append(nb.status)
        return nb.status == "Migrating"

    assert notebook.wait_for(migrating, poll_interval=3) is notebook
    assert seen == ["Running", "Running", "Migrating"]
    assert clock.pauses == [3, 3]


def test_wait_for_does_not_end_early_at_rest(
    api: responses.RequestsMock,
    clock: FakeClock,
    notebooks: Notebooks,
    notebook_doc: dict[str, Any],
) -> None:
    notebook = bound_notebook(api, notebooks, notebook_doc, "Stopped")
    answer_statuses(api, notebook_doc, "Stopped")

    with pytest.raises(WaitTimeoutError) as caught:
        notebook.wait_for(lambda nb: nb.status == "Archived", timeout=6, poll_interval=3)

    assert not isinstance(caught.value, StatusUnreachableError)
    assert caught.value.last_status == "Stopped"
    assert clock.pauses == [3, 3]


@pytest.mark.parametrize(
    ("arguments", "parameter"),
    [
        ({"condition": "Running"}, "condition"),
        ({"condition": None}, "condition"),
        ({"timeout": 0}, "timeout"),
        ({"poll_interval": False}, "poll_interval"),
    ],
)
def test_wait_for_checks_its_arguments(
    api: responses.RequestsMock,
    clock: FakeClock,
    notebooks: Notebooks,
    notebook_doc: dict[str, Any],
    arguments: dict[str, Any],
    parameter: str,
) -> None:
    notebook = bound_notebook(api, notebooks, notebook_doc, "Pending")
    with pytest.raises(ValidationError) as caught:
        notebook.wait_for(**{"condition": lambda nb: True, **arguments})
    assert caught.value.parameter == parameter
    assert (len(api.calls), clock.pauses) == (0, [])


# -- runs(limit=..., status=...) -------------------------------------------------------------


def run_doc(base: dict[str, Any], number: int, status: str) -> dict[str, Any]:
    return {**base, "run_id": f"run-{number:016d}", "status": status}


@pytest.fixture
def two_pages(api: responses.RequestsMock, trigger_run_doc: dict[str, Any]) -> None:
    """Runs 1..4 over two pages: SUCCEEDED, FAILED / RUNNING, FAILED."""
    first = [run_doc(trigger_run_doc, 1, "SUCCEEDED"), run_doc(trigger_run_doc, 2, "FAILED")]
    second = [run_doc(trigger_run_doc, 3, "RUNNING"), run_doc(trigger_run_doc, 4, "FAILED")]
    api.get(
        RUNS_URL,
        json={"entries": second, "next_page_token": None},
        match=[responses.matchers.query_param_matcher({"next_page_token": "p2"})],
    )
    api.get(RUNS_URL, json={"entries": first, "next_page_token": "p2"})


def numbers(runs: Any) -> list[int]:
    return [int(run.run_id[4:]) for run in runs]


@pytest.mark.usefixtures("two_pages")
def test_runs_limit_stops_without_fetching_further_pages(
    api: responses.RequestsMock, triggers: Triggers
) -> None:
    assert numbers(triggers.runs(TRIGGER_ID, limit=2)) == [1, 2]
    assert len(api.calls) == 1
    assert numbers(triggers.runs(TRIGGER_ID, limit=3)) == [1, 2, 3]
    assert len(api.calls) == 3


@pytest.mark.usefixtures("two_pages")
@pytest.mark.parametrize(
    ("status", "limit", "expected"),
    [
        ("FAILED", None, [2, 4]),
        (TriggerRunStatuses.FAILED, 1, [2]),
        (("SUCCEEDED", "RUNNING"), None, [1, 3]),
        ({"RUNNING"}, 5, [3]),
        ("STARTING", None, []),
    ],
)
def test_runs_status_filter(
    triggers: Triggers, status: Any, limit: Any, expected: list[int]
) -> None:
    assert numbers(triggers.runs(TRIGGER_ID, status=status, limit=limit)) == expected


@pytest.mark.usefixtures("two_pages")
def test_trigger_runs_passes_limit_and_status(
    api: responses.RequestsMock, triggers: Triggers, trigger_doc: dict[str, Any]
) -> None:
    trigger = triggers.bind(Trigger.model_validate(trigger_doc))
    assert numbers(trigger.runs(status="FAILED", limit=1)) == [2]
    assert len(api.calls) == 1


@pytest.mark.parametrize(
    ("arguments", "parameter", "hint"),
    [
        ({"status": "failed"}, "status", "did you mean 'FAILED'"),
        ({"status": "Succeeded"}, "status", "did you mean 'SUCCEEDED'"),
        ({"status": ("SUCCEEDED", "CANCELED")}, "status", "filter on run.status"),
        ({"status": ()}, "status", "non-empty"),
        ({"status": 3}, "status", "non-empty"),
        ({"limit": 0}, "limit", "positive"),
        ({"limit": True}, "limit", "positive"),
        ({"limit": "3"}, "limit", "positive"),
    ],
)
def test_runs_arguments_are_checked_when_called(
    api: responses.RequestsMock,
    triggers: Triggers,
    arguments: dict[str, Any],
    parameter: str,
    hint: str,
) -> None:
    with pytest.raises(ValidationError) as caught:
        triggers.runs(TRIGGER_ID, **arguments)
    assert caught.value.parameter == parameter
    assert hint in str(caught.value)
    assert len(api.calls) == 0
