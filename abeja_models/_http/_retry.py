"""The retry policy, as small decisions the transport asks about each attempt.

=========================  ==============================================================
GET, PUT, DELETE           connection failures, read timeouts, truncated bodies,
                           429, 500, 502, 503, 504
POST (create, start, stop) only when the server certainly did not act on the request:
                           connection never established, 429, 503
=========================  ==============================================================

Pauses grow exponentially with jitter, and a ``Retry-After`` is honoured up to
``MAX_RETRY_AFTER`` seconds; a longer one ends the call with the server's answer.
"""

from __future__ import annotations

import email.utils
import random
from datetime import datetime, timezone
from typing import Callable, NamedTuple, Optional

RETRIABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# The statuses that say the server turned the request away without acting on it.
NOT_ACTED_STATUSES = frozenset({429, 503})
MAX_RETRY_AFTER = 60.0


class Outcome(NamedTuple):
    """How one attempt ended, as far as retrying is concerned.

    ``status`` is the answer's HTTP status, or ``None`` when no usable answer came;
    then ``reached_server`` tells whether the request may have arrived, and ``lasting``
    whether the failure cannot heal by trying again (a host name the resolver does not
    know).
    """

    status: Optional[int]
    reached_server: bool = True
    retry_after: Optional[float] = None
    lasting: bool = False

    @classmethod
    def answer(cls, status: int, retry_after: Optional[float] = None) -> Outcome:
        """An attempt the server answered."""
        return cls(status, True, retry_after)

    @classmethod
    def no_answer(cls, *, reached_server: bool, lasting: bool = False) -> Outcome:
        """An attempt that got no usable answer."""
        return cls(None, reached_server, None, lasting)


def may_have_acted(outcome: Outcome) -> bool:
    """Whether the server may have carried out the request of this failed attempt."""
    if outcome.status is None:
        return outcome.reached_server
    return outcome.status not in NOT_ACTED_STATUSES


def should_retry(method: str, outcome: Outcome, attempt: int, max_retries: int) -> bool:
    """Whether a failed ``attempt`` (1 for the first) is worth another one.

    Never for a POST the server may have acted on: creating a trigger or a notebook
    twice is worse than reporting the failure.
    """
    if attempt > max_retries or outcome.lasting:
        return False
    if outcome.retry_after is not None and outcome.retry_after > MAX_RETRY_AFTER:
        return False
    if method == "POST" and may_have_acted(outcome):
        return False
    return outcome.status is None or outcome.status in RETRIABLE_STATUSES


def retry_pause(
    attempt: int,
    retry_after: Optional[float],
    *,
    base: float,
    ceiling: float,
    draw: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait after failed ``attempt``: ``base`` doubling per attempt up to
    ``ceiling``, with jitter over its upper half, and never less than ``retry_after``."""
    # min() before the power keeps the exponent from overflowing on huge attempt counts.
    doublings = min(attempt - 1, 64)
    pause = min(ceiling, base * 2.0**doublings) * (0.5 + draw() / 2)
    if retry_after is not None:
        pause = max(pause, retry_after)
    return pause


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
