"""What every wait shares: statuses checked against the known ones, and the poll loop.

A status argument is refused unless it is one the SDK knows (with the right spelling
suggested), so a typo fails at once instead of waiting out its timeout. The poll loop
ends within its timeout plus a poll's bookkeeping: each poll gets the time that remains
(``Deadline``), and each pause is cut to it.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Sequence
from typing import Callable, Optional, TypeVar

from ..errors import APITimeoutError, ValidationError, WaitTimeoutError

__all__ = [
    "Deadline",
    "DeadlinePassed",
    "check_seconds",
    "check_status",
    "known_status",
    "poll_until",
]

StateT = TypeVar("StateT")
StatusT = TypeVar("StatusT", bound=str)


def known_status(status: str, known: Sequence[StatusT]) -> Optional[StatusT]:
    """``status`` as the known status it equals (typed as its ``Literal``), else ``None``."""
    for each in known:
        if status == each:
            return each
    return None


def check_status(parameter: str, value: object, known: Sequence[str], escape: str) -> str:
    """``value`` if it is one of the ``known`` statuses; else ``ValidationError``.

    The error lists the known statuses, suggests the closest one (a wrong case or a
    typo) and says how to deal with a status the SDK does not know (``escape``).
    """
    if isinstance(value, str) and value in known:
        return value
    allowed = "one of " + ", ".join(map(repr, known))
    if isinstance(value, str):
        by_folded = {status.casefold(): status for status in known}
        close = difflib.get_close_matches(value.strip().casefold(), list(by_folded), n=1)
        if close:
            allowed += f" (did you mean {by_folded[close[0]]!r}?)"
    raise ValidationError(parameter, f"{allowed}; {escape}", value)


def check_seconds(parameter: str, value: object) -> float:
    """A number of seconds > 0 (not a bool), as a float; else ``ValidationError``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValidationError(parameter, "a number of seconds > 0", value)
    return float(value)


class DeadlinePassed(Exception):
    """Raised by ``Deadline.remaining`` inside a poll: the wait's time is up."""


class Deadline:
    """The moment a wait gives up, on the monotonic clock."""

    def __init__(self, seconds: float) -> None:
        self._at = time.monotonic() + seconds

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
    timeout: float,
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
