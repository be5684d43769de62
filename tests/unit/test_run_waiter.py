"""``wait_for_runs``: wait until the runs created since a moment have finished.

Like a boto3 waiter: a poll at once, then one every ``poll_interval`` seconds, each
bounded by the time that remains, and on timeout an error that keeps what the last
poll saw. The waits run on a fake clock: pauses are recorded, never slept.
"""

from __future__ import annotations

import json
import pickle
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple, Optional

import pytest
import responses

from abeja_models import (
    RunsWaitTimeoutError,
    Trigger,
    TriggerRun,
    UnboundModelError,
    ValidationError,
    WaitTimeoutError,
)
from abeja_models.resources import Triggers
from tests.ids import RUNS_URL, TRIGGER_ID

from .fakes import FakeClock

SINCE = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)


@pytest.fixture
def run(trigger_run_doc: dict[str, Any]) -> Any:
    """``run(n, status, seconds after SINCE)``: a run document."""

    def make(number: int, status: str, after: float) -> dict[str, Any]:
        # The documents' three forms in turn: "...Z", "....000Z", "....000000Z".
        form = ["%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.000Z", "%Y-%m-%dT%H:%M:%S.%fZ"]
        created = (SINCE + timedelta(seconds=after)).strftime(form[number % 3])
        return {
            **trigger_run_doc,
            "run_id": f"run-{number:016d}",
            "status": status,
            "created_at": created,
            "modified_at": created,
        }

    return make


@pytest.fixture
def polls_answer(api: responses.RequestsMock, run: Any) -> Any:
    """``polls_answer(*pages)``: each poll's first page, newest first, in order (the last
    one repeats); the page after it holds one run from before SINCE, and is the last."""

    def answer(*pages: list[dict[str, Any]]) -> None:
        polls = list(pages)

        def callback(request: Any) -> tuple[int, dict[str, str], str]:
            if "next_page_token=older" in request.url:
                body = {"entries": [run(0, "SUCCEEDED", -60)], "next_page_token": None}
            else:
                entries = polls.pop(0) if len(polls) > 1 else polls[0]
                body = {"entries": entries, "next_page_token": "older"}
            return 200, {}, json.dumps(body)

        api.add_callback(responses.GET, RUNS_URL, callback=callback)

    return answer


def ids(runs: list[TriggerRun]) -> list[str]:
    return [item.run_id[-1:] for item in runs]


def test_follows_pages_while_the_runs_are_newer_than_since(
    api: responses.RequestsMock,
    clock: FakeClock,
    triggers: Triggers,
    run: Any,
) -> None:
    api.get(
        RUNS_URL,
        json={"entries": [run(1, "SUCCEEDED", 1), run(0, "SUCCEEDED", -5)], "next_page_token": "x"},
        match=[responses.matchers.query_param_matcher({"next_page_token": "p2"})],
    )
    api.get(RUNS_URL, json={"entries": [run(2, "FAILED", 2)], "next_page_token": "p2"})

    assert ids(triggers.wait_for_runs(TRIGGER_ID, since=SINCE)) == ["1", "2"]
    assert (len(api.calls), clock.pauses) == (2, [])


class Waited(NamedTuple):
    """Each poll's first page (newest first; ``(number, status, seconds after SINCE)``), the
    waiter's arguments, what it returns (``None``: it times out), its pauses and requests."""

    polls: list[list[tuple[int, str, float]]]
    arguments: dict[str, Any]
    returned: Optional[list[str]]  # "number:STATUS", oldest first
    pauses: list[float]
    sent: int
    last_statuses: dict[str, str] = {}
    says: str = ""


WAITED = {
    # A run created before SINCE is not waited for, and each poll stops at the first run
    # older than SINCE: the next page is never asked for.
    "the-runs-since-once-finished-oldest-first": Waited(
        [
            [(3, "PENDING", 2), (2, "RUNNING", 1), (1, "RUNNING", -1)],
            [(3, "RUNNING", 2), (2, "SUCCEEDED", 1), (1, "RUNNING", -1)],
            [(3, "FAILED", 2), (2, "SUCCEEDED", 1), (1, "RUNNING", -1)],
        ],
        {"timeout": 60, "poll_interval": 5},
        ["2:SUCCEEDED", "3:FAILED"],
        [5, 5],
        3,
    ),
    # Each poll's first page holds only runs since SINCE: the page after it is asked for too.
    "count-waits-for-that-many-and-returns-the-oldest": Waited(
        [
            [],
            [(1, "SUCCEEDED", 1)],
            [(3, "PENDING", 3), (2, "SUCCEEDED", 2), (1, "SUCCEEDED", 1)],
        ],
        {"count": 2, "poll_interval": 1},
        ["1:SUCCEEDED", "2:SUCCEEDED"],
        [1, 1],
        6,
    ),
    "a-status-the-sdk-does-not-know-is-not-finished": Waited(
        [[(1, "CANCELLING", 1)], [(1, "SUCCEEDED", 1)]],
        {"poll_interval": 2},
        ["1:SUCCEEDED"],
        [2],
        4,
    ),
    # Polls at 0, 3, 6 and 9 s; the deadline comes before a fifth.
    "without-runs-it-times-out-saying-it-saw-none": Waited(
        [[(1, "SUCCEEDED", -10)]],
        {"timeout": 10, "poll_interval": 3},
        None,
        [3, 3, 3, 1],
        4,
        says="0 run(s)",
    ),
    "a-timeout-keeps-what-the-last-poll-saw": Waited(
        [[(2, "PENDING", 2), (1, "SUCCEEDED", 1)], [(2, "RUNNING", 2), (1, "SUCCEEDED", 1)]],
        {"timeout": 30, "poll_interval": 10},
        None,
        [10, 10, 10],
        6,
        {"run-0000000000000001": "SUCCEEDED", "run-0000000000000002": "RUNNING"},
        "1 not finished",
    ),
}


@pytest.mark.parametrize("case", WAITED.values(), ids=WAITED.keys())
def test_wait_for_runs(
    api: responses.RequestsMock,
    clock: FakeClock,
    triggers: Triggers,
    run: Any,
    polls_answer: Any,
    case: Waited,
) -> None:
    polls_answer(*[[run(*spec) for spec in poll] for poll in case.polls])

    if case.returned is not None:
        runs = triggers.wait_for_runs(TRIGGER_ID, since=SINCE, **case.arguments)
        assert [f"{item.run_id[-1:]}:{item.status}" for item in runs] == case.returned
        assert [(item.succeeded, item.failed) for item in runs] == [
            (item.status == "SUCCEEDED", item.status == "FAILED") for item in runs
        ]
    else:
        with pytest.raises(RunsWaitTimeoutError) as caught:
            triggers.wait_for_runs(TRIGGER_ID, since=SINCE, **case.arguments)
        error = caught.value
        assert isinstance(error, WaitTimeoutError)
        assert isinstance(error, TimeoutError)
        assert error.last_statuses == case.last_statuses
        assert error.last_status == next(reversed(case.last_statuses.values()), None)
        assert case.says in str(error)
        assert vars(pickle.loads(pickle.dumps(error))) == vars(error)

    assert (clock.pauses, len(api.calls)) == (case.pauses, case.sent)


def test_each_poll_is_bounded_by_the_time_that_remains(
    api: responses.RequestsMock,
    clock: FakeClock,
    triggers: Triggers,
    run: Any,
    monkeypatch: pytest.MonkeyPatch,
    polls_answer: Any,
) -> None:
    polls_answer([run(1, "RUNNING", 1)])
    bounds: list[float] = []
    within = Triggers.within

    def recording(self: Triggers, seconds: float) -> Triggers:
        bounds.append(seconds)
        return within(self, seconds)

    monkeypatch.setattr(Triggers, "within", recording)

    with pytest.raises(RunsWaitTimeoutError):
        triggers.wait_for_runs(TRIGGER_ID, since=SINCE, timeout=10, poll_interval=4)

    # Two pages a poll (the second reaches back before SINCE), each bounded anew.
    assert bounds == [10, 10, 6, 6, 2, 2]
    assert clock.pauses == [4, 4, 2]


def test_a_bound_trigger_waits_for_its_runs(
    api: responses.RequestsMock,
    clock: FakeClock,
    triggers: Triggers,
    trigger_doc: dict[str, Any],
    run: Any,
    polls_answer: Any,
) -> None:
    polls_answer([run(1, "SUCCEEDED", 1)])
    trigger = triggers.bind(Trigger.model_validate(trigger_doc))

    assert ids(trigger.wait_for_runs(since=SINCE, count=1)) == ["1"]

    with pytest.raises(UnboundModelError):
        Trigger.model_validate(trigger_doc).wait_for_runs(since=SINCE)


@pytest.mark.parametrize(
    ("arguments", "parameter"),
    [
        ({"since": datetime(2024, 5, 1, 12, 0)}, "since"),
        ({"since": "2024-05-01T12:00:00Z"}, "since"),
        ({"count": 0}, "count"),
        ({"count": True}, "count"),
        ({"count": 1.5}, "count"),
        ({"timeout": 0}, "timeout"),
        ({"poll_interval": -1}, "poll_interval"),
        ({"trigger_id": "tri/1"}, "trigger_id"),
    ],
)
def test_arguments_are_checked_before_anything_is_sent(
    api: responses.RequestsMock,
    clock: FakeClock,
    triggers: Triggers,
    arguments: dict[str, Any],
    parameter: str,
) -> None:
    call: dict[str, Any] = {"trigger_id": TRIGGER_ID, "since": SINCE, **arguments}
    with pytest.raises(ValidationError) as caught:
        triggers.wait_for_runs(call.pop("trigger_id"), **call)
    assert caught.value.parameter == parameter
    assert (len(api.calls), clock.pauses) == (0, [])
