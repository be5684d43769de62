"""``wait_for_runs``: wait until the runs created since a moment have finished.

Like a boto3 waiter: a poll at once, then one every ``poll_interval`` seconds, each
bounded by the time that remains, and on timeout an error that keeps what the last
poll saw. The waits run on a fake clock: pauses are recorded, never slept.
"""

from __future__ import annotations

import json
import pickle
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import responses

from abeja_models import (
    Client,
    RunsWaitTimeoutError,
    Trigger,
    TriggerRun,
    UnboundModelError,
    ValidationError,
    WaitTimeoutError,
)
from abeja_models.resources import Triggers

from .fakes import FakeClock

BASE_URL = "https://api.test"
ORG = "1234567890123"
DEP = "1111111111111"
TRIGGER_ID = "tri-3333333333333333"
RUNS_PATH = f"/organizations/{ORG}/deployments/{DEP}/triggers/{TRIGGER_ID}/runs"
RUNS_URL = BASE_URL + RUNS_PATH
SINCE = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)


@pytest.fixture
def triggers(client: Client) -> Triggers:
    return client.organization(ORG).deployment(DEP).triggers


@pytest.fixture
def run(trigger_run_doc: dict[str, Any]) -> Any:
    """``run(n, status, seconds after SINCE)``: a run document."""

    def make(number: int, status: str, after: float) -> dict[str, Any]:
        created = (SINCE + timedelta(seconds=after)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
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


def test_returns_the_runs_since_once_they_have_finished_oldest_first(
    api: responses.RequestsMock,
    clock: FakeClock,
    triggers: Triggers,
    run: Any,
    polls_answer: Any,
) -> None:
    older = run(1, "RUNNING", -1)  # created before SINCE: not waited for
    polls_answer(
        [run(3, "PENDING", 2), run(2, "RUNNING", 1), older],
        [run(3, "RUNNING", 2), run(2, "SUCCEEDED", 1), older],
        [run(3, "FAILED", 2), run(2, "SUCCEEDED", 1), older],
    )

    runs = triggers.wait_for_runs(TRIGGER_ID, since=SINCE, timeout=60, poll_interval=5)

    assert ids(runs) == ["2", "3"]
    assert [(item.succeeded, item.failed) for item in runs] == [(True, False), (False, True)]
    assert clock.pauses == [5, 5]
    # Each poll stops at the first run older than SINCE: the next page is never asked for.
    assert [call.request.url for call in api.calls] == [RUNS_URL] * 3


def test_count_waits_for_that_many_runs_and_returns_the_oldest(
    api: responses.RequestsMock,
    clock: FakeClock,
    triggers: Triggers,
    run: Any,
    polls_answer: Any,
) -> None:
    polls_answer(
        [],
        [run(1, "SUCCEEDED", 1)],
        [run(3, "PENDING", 3), run(2, "SUCCEEDED", 2), run(1, "SUCCEEDED", 1)],
    )

    runs = triggers.wait_for_runs(TRIGGER_ID, since=SINCE, count=2, poll_interval=1)

    assert ids(runs) == ["1", "2"]
    assert clock.pauses == [1, 1]


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


def test_without_runs_it_keeps_waiting_and_times_out_saying_it_saw_none(
    api: responses.RequestsMock,
    clock: FakeClock,
    triggers: Triggers,
    run: Any,
    polls_answer: Any,
) -> None:
    polls_answer([run(1, "SUCCEEDED", -10)])

    with pytest.raises(RunsWaitTimeoutError) as caught:
        triggers.wait_for_runs(TRIGGER_ID, since=SINCE, timeout=10, poll_interval=3)

    error = caught.value
    assert (error.last_statuses, error.last_status) == ({}, None)
    assert "0 run(s)" in str(error)
    assert clock.pauses == [3, 3, 3, 1]
    assert len(api.calls) == 4  # at 0, 3, 6 and 9 s; the deadline comes before a fifth


def test_timeout_keeps_what_the_last_poll_saw(
    api: responses.RequestsMock,
    clock: FakeClock,
    triggers: Triggers,
    run: Any,
    polls_answer: Any,
) -> None:
    polls_answer(
        [run(2, "PENDING", 2), run(1, "SUCCEEDED", 1)],
        [run(2, "RUNNING", 2), run(1, "SUCCEEDED", 1)],
    )

    with pytest.raises(RunsWaitTimeoutError) as caught:
        triggers.wait_for_runs(TRIGGER_ID, since=SINCE, timeout=30, poll_interval=10)

    error = caught.value
    assert isinstance(error, WaitTimeoutError)
    assert isinstance(error, TimeoutError)
    assert error.last_statuses == {
        "run-0000000000000001": "SUCCEEDED",
        "run-0000000000000002": "RUNNING",
    }
    assert error.last_status == "RUNNING"
    assert "1 not finished" in str(error)
    assert vars(pickle.loads(pickle.dumps(error))) == vars(error)


def test_a_status_the_sdk_does_not_know_is_not_finished(
    api: responses.RequestsMock,
    clock: FakeClock,
    triggers: Triggers,
    run: Any,
    polls_answer: Any,
) -> None:
    polls_answer([run(1, "CANCELLING", 1)], [run(1, "SUCCEEDED", 1)])

    assert ids(triggers.wait_for_runs(TRIGGER_ID, since=SINCE, poll_interval=2)) == ["1"]
    assert clock.pauses == [2]


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
