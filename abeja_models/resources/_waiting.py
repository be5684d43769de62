"""The poll loop every wait shares, bounded by a deadline.

The loop ends within its timeout plus a poll's bookkeeping: each poll gets the time that
remains (``Deadline``), and each pause is cut to it.
"""

from __future__ import annotations

import math
import time
from typing import Callable, Optional, TypeVar

from ..errors import APITimeoutError, WaitTimeoutError

__all__ = ["Deadline", "DeadlinePassed", "poll_until"]

StateT = TypeVar("StateT")


class DeadlinePassed(Exception):
    """Raised by ``Deadline.remaining`` inside a poll: the wait's time is up."""


class Deadline:
    """The moment a wait gives up, on the monotonic clock (``None``: never)."""

    def __init__(self, seconds: Optional[float]) -> None:
        self._at = math.inf if seconds is None else time.monotonic() + seconds

    @property
    def passed(self) -> bool:
        """Whether the moment has come."""
        return time.monotonic() >= self._at

    def remaining(self) -> float:
        """Seconds left (> 0); ``DeadlinePassed`` when there are none."""
        left = self._at - time.monotonic()
        if left <= 0:
            raise DeadlinePassed
        return left


def poll_until(
    state: StateT,
    fetch: Callable[[Deadline], StateT],
    *,
    done: Callable[[StateT], bool],
    timeout: Optional[float],
    poll_interval: float,
    timed_out: Callable[[StateT], WaitTimeoutError],
    hopeless: Callable[[StateT], Optional[WaitTimeoutError]] = lambda state: None,
    fetch_first: bool = False,
) -> StateT:
    """Fetch a fresh state every ``poll_interval`` seconds until ``done`` says so.

    ``fetch(deadline)`` bounds each of its requests by ``deadline.remaining()``. The
    wait raises ``timed_out(last state)`` when ``timeout`` runs out, and what
    ``hopeless(state)`` returns as soon as it returns an error. With ``fetch_first`` the
    first fetch comes before the first pause (``state`` is then only a placeholder).
    """
    deadline = Deadline(timeout)
    fetch_now = fetch_first
    while True:
        if fetch_now:
            try:
                state = fetch(deadline)
            except DeadlinePassed:
                raise timed_out(state) from None
            except APITimeoutError as error:
                if not deadline.passed:
                    raise  # the client's own limits ran out, not the wait's
                raise timed_out(state) from error
        fetch_now = True
        if done(state):
            return state
        refusal = hopeless(state)
        if refusal is not None:
            raise refusal
        try:
            time.sleep(min(poll_interval, deadline.remaining()))
        except DeadlinePassed:
            raise timed_out(state) from None
