"""Statuses that complete and cannot be mistyped: the known sets, the helpers, the waits.

``status`` fields hold any string (a status the platform adds later still loads); the
known statuses are ``Literal`` types with constants. ``wait_until`` refuses a status it
does not know, at once, and ends as soon as the notebook rests in another status.
``runs()`` takes a ``limit`` and a status filter. The waits run on a fake clock: pauses
are recorded, never slept.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple, Optional

import pytest
import responses
from typing_extensions import get_args

from abeja_models import (
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
from abeja_models.resources import Triggers
from tests.ids import NOTEBOOK_URL, RUNS_URL, TRIGGER_ID

from .fakes import FakeClock


def answer_statuses(api: responses.RequestsMock, doc: dict[str, Any], *statuses: str) -> None:
    """The notebook's next polls answer these statuses, in order (the last one repeats)."""
    for status in statuses:
        api.get(NOTEBOOK_URL, json={**doc, "status": status})


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


# -- a wait refuses what it does not know, at once -------------------------------------------

NOTEBOOK_STATUSES = "'Pending', 'Running', 'Stopped', 'Failed'"


def _wait_until(status: Any) -> Callable[[Notebook], object]:
    return lambda notebook: notebook.wait_until(status)


def _wait_until_with(**arguments: Any) -> Callable[[Notebook], object]:
    return lambda notebook: notebook.wait_until(**{"status": "Running", **arguments})


def _wait_for(**arguments: Any) -> Callable[[Notebook], object]:
    return lambda notebook: notebook.wait_for(**{"condition": lambda nb: True, **arguments})


# (the wait, the parameter it names, what the message says, what it does not say)
REFUSED_WAITS = {
    **{
        f"until-{status!r}": (_wait_until(status), "status", [hint, NOTEBOOK_STATUSES], [])
        for status, hint in [
            ("running", "did you mean 'Running'"),
            ("RUNNING", "did you mean 'Running'"),
            ("runing", "did you mean 'Running'"),
            (" stopped", "did you mean 'Stopped'"),
        ]
    },
    "until-unknown-names-wait_for": (
        _wait_until("Migrating"),
        "status",
        ["wait_for("],
        ["did you mean"],
    ),
    **{
        f"until-{name}-{value!r}": (_wait_until_with(**{name: value}), name, [], [])
        for name, value in [
            ("timeout", 0),
            ("timeout", -1),
            ("timeout", True),
            ("poll_interval", 0),
            ("poll_interval", "1"),
            ("status", ""),
            ("status", " "),
            ("status", None),
            ("status", 1),
        ]
    },
    "for-a-status": (_wait_for(condition="Running"), "condition", [], []),
    "for-None": (_wait_for(condition=None), "condition", [], []),
    "for-timeout-0": (_wait_for(timeout=0), "timeout", [], []),
    "for-poll_interval-False": (_wait_for(poll_interval=False), "poll_interval", [], []),
}


@pytest.mark.parametrize(
    ("wait", "parameter", "says", "never_says"), REFUSED_WAITS.values(), ids=REFUSED_WAITS.keys()
)
def test_a_wait_refuses_what_it_does_not_know_at_once(
    api: responses.RequestsMock,
    clock: FakeClock,
    fetch_notebook: Callable[..., Notebook],
    wait: Callable[[Notebook], object],
    parameter: str,
    says: list[str],
    never_says: list[str],
) -> None:
    notebook = fetch_notebook(status="Pending")

    with pytest.raises(ValidationError) as caught:
        wait(notebook)

    message = str(caught.value)
    assert caught.value.parameter == parameter
    assert [text for text in says if text not in message] == []
    assert [text for text in never_says if text in message] == []
    assert (len(api.calls), clock.pauses) == (0, [])


# -- how a wait ends ---------------------------------------------------------------------------


class Wait(NamedTuple):
    """A notebook in ``start``, polls answering ``polls`` (the last repeats), a wait on it,
    and how it ends: ``error`` (``None``: it returns the notebook), the status last seen,
    the pauses, the polls sent."""

    start: str
    polls: list[str]
    wait: Callable[[Notebook], object]
    error: Optional[type[WaitTimeoutError]]
    last: str
    pauses: list[float]
    sent: int
    says: tuple[str, ...] = ()  # in the error's message
    wanted: Optional[str] = None  # a StatusUnreachableError's


def _until(status: str, **arguments: float) -> Callable[[Notebook], object]:
    return lambda notebook: notebook.wait_until(status, **arguments)  # type: ignore[arg-type]


WAITS = {
    # Ends as soon as the notebook rests elsewhere: two polls, not the 600 s of the timeout.
    **{
        f"until-Running-ends-when-it-rests-{rest}": Wait(
            "Pending",
            ["Pending", rest],
            _until(NotebookStatuses.RUNNING, timeout=600, poll_interval=5),
            StatusUnreachableError,
            rest,
            [5, 5],
            2,
            (rest, "Running"),
            "Running",
        )
        for rest in ["Stopped", "Failed"]
    },
    "until-Running-on-a-stopped-notebook-polls-nothing": Wait(
        "Stopped", [], _until("Running"), StatusUnreachableError, "Stopped", [], 0, wanted="Running"
    ),
    "until-returns-when-the-status-comes": Wait(
        "Pending",
        ["Pending", "Running"],
        _until("Running", timeout=5, poll_interval=0.001),
        None,
        "Running",
        [0.001, 0.001],
        2,
    ),
    "until-the-status-already-there-sends-nothing": Wait(
        "Pending", [], _until("Pending", timeout=1, poll_interval=1), None, "Pending", [], 0
    ),
    "until-a-short-timeout-ends-at-rest-with-the-last-status": Wait(
        "Pending",
        ["Stopped"],
        _until("Running", timeout=0.05, poll_interval=0.01),
        StatusUnreachableError,
        "Stopped",
        [0.01],
        1,
        ("Stopped", "Running"),
        "Running",
    ),
    "until-the-rest-status-itself-returns": Wait(
        "Running", ["Stopped"], _until("Stopped", poll_interval=2), None, "Stopped", [2], 1
    ),
    "until-waits-through-a-status-it-does-not-know": Wait(
        "Pending",
        ["Provisioning", "Running"],
        _until("Running", poll_interval=1),
        None,
        "Running",
        [1, 1],
        2,
    ),
    # The third pause ends at the deadline: no poll after it.
    "until-times-out-on-a-notebook-that-stays-pending": Wait(
        "Pending",
        ["Pending"],
        _until("Running", timeout=10, poll_interval=4),
        WaitTimeoutError,
        "Pending",
        [4, 4, 2],
        2,
    ),
    "for-does-not-end-early-at-rest": Wait(
        "Stopped",
        ["Stopped"],
        lambda nb: nb.wait_for(lambda n: n.status == "Archived", timeout=6, poll_interval=3),
        WaitTimeoutError,
        "Stopped",
        [3, 3],
        1,
    ),
}


@pytest.mark.parametrize("case", WAITS.values(), ids=WAITS.keys())
def test_a_wait_ends_as_it_should(
    api: responses.RequestsMock,
    clock: FakeClock,
    fetch_notebook: Callable[..., Notebook],
    notebook_doc: dict[str, Any],
    case: Wait,
) -> None:
    notebook = fetch_notebook(status=case.start)
    answer_statuses(api, notebook_doc, *case.polls)

    if case.error is None:
        assert case.wait(notebook) is notebook
    else:
        with pytest.raises(case.error) as caught:
            case.wait(notebook)
        assert type(caught.value) is case.error
        assert caught.value.last_status == case.last
        assert isinstance(caught.value, TimeoutError)
        assert [text for text in case.says if text not in str(caught.value)] == []
        assert getattr(caught.value, "wanted", None) == case.wanted

    assert (notebook.status, clock.pauses, len(api.calls)) == (case.last, case.pauses, case.sent)


def test_wait_for_waits_for_a_status_the_sdk_does_not_know(
    api: responses.RequestsMock,
    clock: FakeClock,
    fetch_notebook: Callable[..., Notebook],
    notebook_doc: dict[str, Any],
) -> None:
    notebook = fetch_notebook(status="Running")
    answer_statuses(api, notebook_doc, "Running", "Migrating")
    seen: list[str] = []

    def migrating(nb: Notebook) -> bool:
        seen.append(nb.status)
        return nb.status == "Migrating"

    assert notebook.wait_for(migrating, poll_interval=3) is notebook
    assert seen == ["Running", "Running", "Migrating"]
    assert clock.pauses == [3, 3]


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
