"""What every suite shares: a test sees none of the developer's own platform variables."""

from __future__ import annotations

import os

import pytest

from abeja_models._config import SETTING_VARIABLES


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own platform variables must not change what a test sees.

    Every setting's variable, and whatever else the platform's tools read (the prefixes
    ``ABEJA_`` and ``PLATFORM_``: the command line's ``ABEJA_ORGANIZATION_ID`` among them).
    """
    for name in {*SETTING_VARIABLES, *(n for n in os.environ if n.startswith(_PREFIXES))}:
        monkeypatch.delenv(name, raising=False)


_PREFIXES = ("ABEJA_", "PLATFORM_")
