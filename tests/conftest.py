"""What every suite shares: a test sees none of the developer's own platform variables."""

from __future__ import annotations

import pytest

from abeja_models._config import SETTING_VARIABLES


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own platform variables must not change what a test sees."""
    for name in SETTING_VARIABLES:
        monkeypatch.delenv(name, raising=False)
