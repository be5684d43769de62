"""One emulator for the fault suite, reset before every test, and a client that is never faulted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from abeja_models import Client
from abeja_models.testing import PlatformEmulator


@pytest.fixture(scope="session")
def running_emulator() -> Iterator[PlatformEmulator]:
    # Notebooks stay Pending (so they write no log line): a log read is exactly one request.
    with PlatformEmulator(notebook_start_delay=600.0, run_step_delay=0.01) as emulator:
        yield emulator


@pytest.fixture
def emulator(running_emulator: PlatformEmulator) -> PlatformEmulator:
    """The shared emulator with no data, no armed fault and no recorded request."""
    running_emulator.reset()
    return running_emulator


@pytest.fixture
def setup_client(emulator: PlatformEmulator) -> Iterator[Client]:
    """A client for preparing data and checking what exists; faults are armed after its use."""
    with Client(base_url=emulator.url, auth_token="fault-suite", max_retries=0) as made:
        yield made
