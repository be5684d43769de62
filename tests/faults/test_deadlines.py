"""A ``deadline`` bounds a whole call, retries and pauses included, against real faults.

The transport checks the deadline in two places: each attempt's connect and read
timeouts are cut to the time left, and before each pause it gives up with
``APITimeoutError`` if the pause would end past the deadline. When the retries run out
first, the call raises the last failure's own error instead.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from abeja_models import Client
from abeja_models.errors import APITimeoutError, InternalServerError
from abeja_models.resources._triggers import Triggers
from abeja_models.testing import PlatformEmulator

ORG = "1234567890123"
DEPLOYMENT = "1111111111111"
CHANNEL = "2222222222222"

DEADLINE = 0.6
SLACK = 1.0
MANY_RETRIES = 10


def _triggers(client: Client) -> Triggers:
    return client.organization(ORG).deployment(DEPLOYMENT).triggers


@pytest.fixture
def patient(emulator: PlatformEmulator) -> Iterator[Client]:
    """Ten retries, 0.1 s doubling up to 0.4 s between them, long timeouts, no deadline.

    Without a deadline, 503 forever would take more than 2 s; a slow answer, 5 s.
    """
    with Client(
        base_url=emulator.url,
        auth_token="deadline-suite",
        timeout=(1.0, 5.0),
        max_retries=MANY_RETRIES,
        backoff_base=0.1,
        backoff_max=0.4,
    ) as made:
        yield made


def _with_deadline(patient: Client, how: str) -> Client:
    if how == "with_options":
        return patient.with_options(deadline=DEADLINE)
    return Client(
        base_url=patient.base_url,
        auth_token="deadline-suite",
        timeout=(1.0, 5.0),
        max_retries=MANY_RETRIES,
        deadline=DEADLINE,
        backoff_base=0.1,
        backoff_max=0.4,
    )


HOW = ["Client", "with_options"]


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize(
    ("fault", "attempts", "at_least"),
    [
        # Retried, but the deadline, not max_retries, ended it: fewer than 11 attempts.
        ({"status": 503}, range(2, MANY_RETRIES + 1), 0.0),
        # The read timeout (5 s) was cut to the time left, and no time was left to retry.
        ({"delay": 3.0}, range(1, 2), DEADLINE * 0.9),
    ],
    ids=["keeps-failing", "slow-answer"],
)
def test_a_call_gives_up_at_the_deadline(
    emulator: PlatformEmulator,
    patient: Client,
    how: str,
    fault: dict[str, float],
    attempts: range,
    at_least: float,
) -> None:
    emulator.inject_fault("GET", r"/triggers$", times=100, **fault)  # type: ignore[arg-type]

    started = time.monotonic()
    with (
        _with_deadline(patient, how) as client,
        pytest.raises(APITimeoutError, match="deadline"),
    ):
        _triggers(client).list()
    elapsed = time.monotonic() - started

    assert at_least <= elapsed <= DEADLINE + SLACK
    assert emulator.count("GET", r"/triggers$") in attempts


def test_a_retry_after_past_the_deadline_is_not_waited_for(
    emulator: PlatformEmulator, patient: Client
) -> None:
    emulator.inject_fault("GET", r"/triggers$", status=429, retry_after=5, times=100)
    client = patient.with_options(deadline=2.0)

    started = time.monotonic()
    with pytest.raises(APITimeoutError, match="deadline"):
        _triggers(client).list()

    assert time.monotonic() - started < 1.0
    assert emulator.count("GET", r"/triggers$") == 1


def test_a_create_that_keeps_failing_gives_up_at_the_deadline_having_made_nothing(
    emulator: PlatformEmulator, patient: Client, setup_client: Client
) -> None:
    emulator.inject_fault("POST", r"/triggers$", status=503, times=100)
    client = patient.with_options(deadline=DEADLINE)

    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        _triggers(client).create(version_id="ver-1", input_service_id=CHANNEL)

    assert time.monotonic() - started <= DEADLINE + SLACK
    assert emulator.count("POST", r"/triggers$") >= 2  # 503: the server did not act
    emulator.clear_faults()
    assert _triggers(setup_client).list() == []


def test_a_slow_create_is_cut_off_at_the_deadline_and_not_sent_again(
    emulator: PlatformEmulator, patient: Client, setup_client: Client
) -> None:
    emulator.inject_fault("POST", r"/triggers$", delay=3.0)
    client = patient.with_options(deadline=DEADLINE)

    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        _triggers(client).create(version_id="ver-1", input_service_id=CHANNEL)

    assert time.monotonic() - started <= DEADLINE + SLACK
    assert emulator.count("POST", r"/triggers$") == 1
    assert len(_triggers(setup_client).list()) == 1  # the platform did create it, once


def test_when_retries_run_out_before_the_deadline_the_last_error_is_raised(
    emulator: PlatformEmulator, patient: Client
) -> None:
    emulator.inject_fault("GET", r"/triggers$", status=503, times=100)
    client = patient.with_options(deadline=30.0, max_retries=2)

    with pytest.raises(InternalServerError) as caught:
        _triggers(client).list()

    assert caught.value.status_code == 503
    assert emulator.count("GET", r"/triggers$") == 3


def test_with_options_deadline_none_removes_the_deadline(emulator: PlatformEmulator) -> None:
    with Client(
        base_url=emulator.url, auth_token="deadline-suite", timeout=(1.0, 2.0), deadline=0.3
    ) as hurried:
        emulator.inject_fault("GET", r"/triggers$", delay=0.6)
        with pytest.raises(APITimeoutError):
            _triggers(hurried).list()

        emulator.inject_fault("GET", r"/triggers$", delay=0.6)
        assert _triggers(hurried.with_options(deadline=None)).list() == []

    assert emulator.count("GET", r"/triggers$") == 2
