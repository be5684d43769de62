"""Stand-ins the unit tests share."""

from __future__ import annotations


class FakeClock:
    """The waits' clock (wait_until, wait_for_runs): ``sleep`` moves time on and records."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.pauses: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds
