"""The run waiter against the local platform emulator: runs started by uploads.

Uploading to the trigger's DataLake channel starts a run per trigger; the waiter returns
those runs, and only those, once the emulator has moved them to a final status.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from abeja_models import Client, RunsWaitTimeoutError
from abeja_models.testing import PlatformEmulator

ORG = "1234567890123"
DEPLOYMENT = "1111111111111"
CHANNEL = "2222222222222"


@pytest.fixture
def emulator() -> Iterator[PlatformEmulator]:
    with PlatformEmulator(page_size=2, run_step_delay=0.05) as running:
        yield running


@pytest.fixture
def client(emulator: PlatformEmulator) -> Iterator[Client]:
    with Client(base_url=emulator.url, auth_token="t", max_retries=0) as made:
        yield made


def test_waits_for_the_runs_an_upload_started(client: Client, emulator: PlatformEmulator) -> None:
    trigger = (
        client.organization(ORG)
        .deployment(DEPLOYMENT)
        .triggers.create(version_id="ver-1111111111111111", input_service_id=CHANNEL)
    )
    emulator.add_runs(trigger.trigger_id, 5)  # finished long ago: not waited for
    since = datetime.now(timezone.utc)
    started = [
        *emulator.upload(CHANNEL, b"good"),
        *emulator.upload(CHANNEL, b"bad", fail=True),
        *emulator.upload(CHANNEL, b"good"),
    ]
    emulator.clear_requests()

    runs = trigger.wait_for_runs(since=since, count=3, timeout=10, poll_interval=0.02)

    assert [run.run_id for run in runs] == started
    assert [run.status for run in runs] == ["SUCCEEDED", "FAILED", "SUCCEEDED"]
    assert all(run.is_finished and run.created_at >= since for run in runs)
    # Several polls (the runs take 0.1 s), each reading back only as far as SINCE: the
    # first two pages of two (the second ends with a seeded run), never the third.
    pages = [request.query for request in emulator.requests if request.path.endswith("/runs")]
    polls = [query for query in pages if "next_page_token" not in query]
    assert len(polls) >= 2
    assert len({query["next_page_token"] for query in pages if "next_page_token" in query}) == 1

    finished = list(trigger.runs(status=("SUCCEEDED", "FAILED"), limit=4))
    assert len(finished) == 4
    assert [run.run_id for run in trigger.runs(status="FAILED", limit=1)] == [started[1]]


def test_times_out_on_runs_that_do_not_finish_in_time(
    client: Client, emulator: PlatformEmulator
) -> None:
    trigger = (
        client.organization(ORG)
        .deployment(DEPLOYMENT)
        .triggers.create(version_id="ver-1111111111111111", input_service_id=CHANNEL)
    )
    since = datetime.now(timezone.utc)
    (run_id,) = emulator.upload(CHANNEL, b"slow")

    with pytest.raises(RunsWaitTimeoutError) as caught:
        trigger.wait_for_runs(since=since, timeout=0.03, poll_interval=0.01)

    assert caught.value.last_statuses == {run_id: "PENDING"}
    assert caught.value.last_status == "PENDING"
