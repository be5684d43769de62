"""What every suite shares: a test sees none of the developer's own platform settings,
neither their variables nor their ``~/.abeja/config``."""

from __future__ import annotations

from pathlib import Path

import pytest

from abeja_models._config import SETTING_VARIABLES


@pytest.fixture(autouse=True)
def _clean_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The developer's own platform variables and configuration file must not change what
    a test sees: each test runs with them unset, in an empty home of its own (``HOME``,
    and ``USERPROFILE`` for Windows)."""
    for name in SETTING_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))


@pytest.fixture
def home() -> Path:
    """The test's own empty home, where ``~/.abeja/config`` is looked for."""
    return Path.home()
