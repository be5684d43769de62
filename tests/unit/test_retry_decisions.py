"""The retry policy's decisions, asked directly: retry or not, may the server have acted,
how long to wait. The transport only strings them together (test_retry_policy.py)."""

from __future__ import annotations

import pytest

from abeja_models._http._retry import (
    MAX_RETRY_AFTER,
    Outcome,
    may_have_acted,
    retry_pause,
    should_retry,
)

RETRIABLE = [429, 500, 502, 503, 504]
FINAL = [400, 401, 403, 404, 409, 422, 501]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
@pytest.mark.parametrize("status", RETRIABLE)
def test_an_idempotent_call_is_retried_on_every_retriable_status(method: str, status: int) -> None:
    assert should_retry(method, Outcome.answer(status), attempt=1, max_retries=3)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "POST"])
@pytest.mark.parametrize("status", FINAL)
def test_a_final_status_is_never_retried(method: str, status: int) -> None:
    assert not should_retry(method, Outcome.answer(status), attempt=1, max_retries=3)


@pytest.mark.parametrize(
    ("status", "retried"), [(429, True), (503, True), (500, False), (502, False), (504, False)]
)
def test_a_post_is_retried_only_on_statuses_that_say_nothing_was_done(
    status: int, retried: bool
) -> None:
    assert should_retry("POST", Outcome.answer(status), attempt=1, max_retries=3) is retried
    assert may_have_acted(Outcome.answer(status)) is not retried


@pytest.mark.parametrize(("reached", "post_retried"), [(False, True), (True, False)])
def test_a_failure_without_answer_is_retried_for_a_post_only_if_it_never_arrived(
    reached: bool, post_retried: bool
) -> None:
    outcome = Outcome.no_answer(reached_server=reached)
    assert may_have_acted(outcome) is reached
    assert should_retry("POST", outcome, attempt=1, max_retries=3) is post_retried
    assert should_retry("GET", outcome, attempt=1, max_retries=3)


def test_the_attempts_stop_after_max_retries() -> None:
    outcome = Outcome.answer(503)
    assert [should_retry("GET", outcome, n, max_retries=2) for n in (1, 2, 3)] == [
        True,
        True,
        False,
    ]
    assert not should_retry("GET", outcome, attempt=1, max_retries=0)


def test_a_retry_after_longer_than_the_limit_ends_the_call() -> None:
    assert should_retry("GET", Outcome.answer(429, MAX_RETRY_AFTER), 1, 3)
    assert not should_retry("GET", Outcome.answer(429, MAX_RETRY_AFTER + 1), 1, 3)


@pytest.mark.parametrize(("attempt", "ceiling"), [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)])
def test_the_pause_doubles_up_to_its_ceiling_with_jitter_over_the_upper_half(
    attempt: int, ceiling: float
) -> None:
    lowest = retry_pause(attempt, None, base=1.0, ceiling=8.0, draw=lambda: 0.0)
    highest = retry_pause(attempt, None, base=1.0, ceiling=8.0, draw=lambda: 1.0)
    assert (lowest, highest) == (ceiling / 2, ceiling)


def test_the_pause_is_never_shorter_than_retry_after() -> None:
    assert retry_pause(1, 30.0, base=1.0, ceiling=8.0, draw=lambda: 1.0) == 30.0
    assert retry_pause(4, 0.5, base=1.0, ceiling=8.0, draw=lambda: 1.0) == 8.0


def test_a_huge_attempt_number_does_not_overflow() -> None:
    assert retry_pause(10**6, None, base=0.5, ceiling=8.0, draw=lambda: 1.0) == 8.0
