"""What every suite shares: a test sees none of the developer's own platform settings,
neither their variables nor their ``~/.abeja/config``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from abeja_models._config import SETTING_VARIABLES


@pytest.fixture(autouse=True)
def _clean_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The developer's own platform variables and configuration file must not change what
    a test sees: each test runs with them unset (every setting's variable, and whatever
    else the platform's tools read: the prefixes ``ABEJA_`` and ``PLATFORM_``, and the
    platform CLI's older names), in an empty home of its own (``HOME``, and
    ``USERPROFILE`` for Windows)."""
    for name in {*SETTING_VARIABLES, *(n for n in os.environ if n.startswith(_PREFIXES))}:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))


_PREFIXES = ("ABEJA_", "PLATFORM_")


@pytest.fixture
def home() -> Path:
    """The test's own empty home, where ``~/.abeja/config`` is looked for."""
    return Path.home()
