"""The hostile suite's fixtures: misbehaving servers on 127.0.0.1 (see servers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Callable

import pytest

from .servers import Handler, HostileServer


@pytest.fixture
def hostile_server() -> Iterator[Callable[[Handler], HostileServer]]:
    """``hostile_server(handler)`` starts a misbehaving server; all stop with the test."""
    started: list[HostileServer] = []

    def start(handler: Handler) -> HostileServer:
        server = HostileServer(handler)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
