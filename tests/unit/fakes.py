"""Stand-ins the unit tests share."""

from __future__ import annotations

import json
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

import responses


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


class Sent(NamedTuple):
    """What one request put on the wire: method, raw (percent-encoded) path, query, JSON body."""

    method: str
    path: str
    query: dict[str, str]
    body: Any


class MockedPlatform(responses.RequestsMock):
    """``responses``' mock of the platform, which also reads back what it was sent."""

    def sent(self, index: int) -> Sent:
        """The ``index``-th request the mock received (from 0)."""
        request = self.calls[index].request
        parts = urlsplit(request.url)
        raw = request.body
        body = json.loads(raw) if raw else None
        return Sent(str(request.method), parts.path, dict(parse_qsl(parts.query)), body)

    def all_sent(self) -> list[Sent]:
        """Every request the mock received, in order."""
        return [self.sent(index) for index in range(len(self.calls))]
