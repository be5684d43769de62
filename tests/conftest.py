"""What every suite shares: a test sees none of the developer's own platform variables."""

from __future__ import annotations

import pytest

_ENVIRONMENT = (
    "ABEJA_API_URL",
    "PLATFORM_AUTH_TOKEN",
    "ABEJA_PLATFORM_USER_ID",
    "ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN",
    "ABEJA_PLATFORM_DATASOURCE_ID",
    "ABEJA_PLATFORM_DATASOURCE_SECRET",
    "ABEJA_SDK_CONNECTION_TIMEOUT",
    "ABEJA_SDK_MAX_RETRY_COUNT",
)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own platform variables must not change what a test sees."""
    for name in _ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
