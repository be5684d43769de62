"""The ``abeja_emulator`` pytest fixture, registered through the ``pytest11`` entry point."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # pytest loads this plugin for every run: the emulator only when used
    from ._emulator import PlatformEmulator


@pytest.fixture
def abeja_emulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[PlatformEmulator]:
    """A running ``PlatformEmulator``, with the environment pointing at it.

    ``ABEJA_API_URL`` and ``PLATFORM_AUTH_TOKEN`` are set for the test, so ``Client()``
    and the platform's own SDK reach the emulator with no arguments; the emulator stops,
    and the environment is restored, when the test ends.
    """
    from ._emulator import PlatformEmulator

    fast = PlatformEmulator(notebook_start_delay=0.1, run_step_delay=0.05, log_interval=0.05)
    with fast as emulator:
        for name, value in emulator.env().items():
            monkeypatch.setenv(name, value)
        yield emulator
