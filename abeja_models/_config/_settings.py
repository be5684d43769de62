"""Settings: each default once, what the environment gives, and one check for each setting."""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Callable, Optional, Union

from typing_extensions import Final, TypedDict, TypeGuard, Unpack

from ..errors import ValidationError
from ._credentials import CREDENTIAL_VARIABLES, Credentials, quiet_environ
from ._urls import check_base_url

DEFAULT_BASE_URL = "https://api.abeja.io"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 5
DEFAULT_POOL_SIZE = 10
DEFAULT_BACKOFF_BASE = 0.5
"""Seconds before the first retry; the pause doubles with each attempt."""
DEFAULT_BACKOFF_MAX = 8.0
"""The longest pause between attempts, ``Retry-After`` aside."""
DEFAULT_MAX_ANSWER_BYTES = 32 * 1024 * 1024
"""The largest answer body read, after decompression: 80 times a page of 1,000 trigger runs."""

BASE_URL_VARIABLE = "ABEJA_API_URL"
TIMEOUT_VARIABLE = "ABEJA_SDK_CONNECTION_TIMEOUT"
MAX_RETRIES_VARIABLE = "ABEJA_SDK_MAX_RETRY_COUNT"

SETTING_VARIABLES = (
    BASE_URL_VARIABLE,
    *CREDENTIAL_VARIABLES,
    TIMEOUT_VARIABLE,
    MAX_RETRIES_VARIABLE,
)
"""Every environment variable the settings are read from, named as the platform SDK names them."""

Timeout = Union[float, tuple[float, float]]
"""Seconds for connect and read alike, or a ``(connect, read)`` pair."""


class Keep(enum.Enum):
    """The type of ``KEEP``, a value of its own so that ``None`` can mean what it means to
    ``Client(...)``."""

    KEEP = "KEEP"

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = Keep.KEEP
"""The default of every ``Client.with_options`` argument: leave that setting as it is."""


class SettingArguments(TypedDict, total=False):
    """Settings as a caller gives them, each checked as ``Client(...)`` checks it.

    ``None`` means what it means to ``Client(...)``: ``base_url``, ``timeout`` and
    ``max_retries`` are then read from the environment (``ABEJA_API_URL``,
    ``ABEJA_SDK_CONNECTION_TIMEOUT``, ``ABEJA_SDK_MAX_RETRY_COUNT``) or take their default;
    ``deadline=None`` is no deadline and ``credentials=None`` none. ``KEEP``, like leaving
    a setting out, changes nothing.
    """

    base_url: Union[str, Keep, None]
    credentials: Union[Credentials, Keep, None]
    timeout: Union[Timeout, Keep, None]
    max_retries: Union[int, Keep, None]
    deadline: Union[float, Keep, None]
    verify: Union[bool, str, Keep]
    pool_size: Union[int, Keep]
    backoff_base: Union[float, Keep]
    backoff_max: Union[float, Keep]
    max_answer_bytes: Union[int, Keep]


@dataclass(frozen=True)
class Settings:
    """Everything a transport needs to know, checked and resolved once per client.

    Made by ``resolve_settings``; ``with_changes`` makes another from one.
    """

    base_url: str
    credentials: Optional[Credentials]
    timeout: tuple[float, float]
    max_retries: int
    deadline: Optional[float] = None
    verify: Union[bool, str] = True
    pool_size: int = DEFAULT_POOL_SIZE
    backoff_base: float = DEFAULT_BACKOFF_BASE
    backoff_max: float = DEFAULT_BACKOFF_MAX
    max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES

    def with_changes(
        self, *, environ: Optional[Mapping[str, str]] = None, **changes: Unpack[SettingArguments]
    ) -> Settings:
        """A copy with ``changes``, each checked as ``Client(...)`` checks it and meaning
        what it means there (``SettingArguments``); settings left out or ``KEEP`` stay."""
        # Each value has just been checked against its field, which mypy cannot follow.
        return replace(self, **_checked(changes, environ))  # type: ignore[arg-type]


# The settings every Settings needs, and that resolve_settings fills in when not given:
# their None reads the environment (or means no credentials).
_UNSET: SettingArguments = {
    "base_url": None,
    "credentials": None,
    "timeout": None,
    "max_retries": None,
}


def resolve_settings(
    *, environ: Optional[Mapping[str, str]] = None, **given: Unpack[SettingArguments]
) -> Settings:
    """Check the arguments, fill the rest from the environment (default ``os.environ``)
    or the defaults, and freeze them. Every number must be finite: ``inf`` and ``nan`` are
    refused here, before anything is sent."""
    return Settings(**_checked({**_UNSET, **given}, environ))  # type: ignore[arg-type]


def normalize_timeout(timeout: object) -> tuple[float, float]:
    """Turn a timeout argument into a validated ``(connect, read)`` pair."""
    pair = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    if len(pair) == 2:
        connect, read = pair
        if _positive(connect) and _positive(read):
            return float(connect), float(read)
    raise ValidationError("timeout", "seconds > 0, or a (connect, read) pair of them", timeout)


def _checked(
    given: Mapping[str, object], environ: Optional[Mapping[str, str]]
) -> dict[str, object]:
    """The settings in ``given`` checked and resolved, as ``Settings`` holds them."""
    environ = quiet_environ(environ)
    return {
        name: _CHECKS[name](value, environ) for name, value in given.items() if value is not KEEP
    }


def _base_url(value: object, environ: Mapping[str, str]) -> str:
    return check_base_url(value or environ.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL)


def _timeout(value: object, environ: Mapping[str, str]) -> tuple[float, float]:
    if value is None:
        value = _env_number(environ, TIMEOUT_VARIABLE, DEFAULT_TIMEOUT)
    return normalize_timeout(value)


def _max_retries(value: object, environ: Mapping[str, str]) -> int:
    if value is None:
        value = _env_count(environ, MAX_RETRIES_VARIABLE, DEFAULT_MAX_RETRIES)
    return _whole("max_retries", value, 0, "an int >= 0")


def _deadline(value: object, environ: Mapping[str, str]) -> Optional[float]:
    if value is None:
        return None
    if not _positive(value):
        raise ValidationError("deadline", "a finite number of seconds > 0, or None", value)
    return float(value)


def _pause(value: object, environ: Mapping[str, str]) -> float:
    if not _non_negative(value):
        raise ValidationError("backoff_base/backoff_max", "finite numbers of seconds >= 0")
    return float(value)


def _as_given(value: object, environ: Mapping[str, str]) -> object:
    return value


def _whole(setting: str, value: object, least: int, expected: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ValidationError(setting, expected, value)
    return value


# One check per setting, the same for Client(...), the low-level clients and with_options.
_CHECKS: dict[str, Callable[[object, Mapping[str, str]], object]] = {
    "base_url": _base_url,
    "credentials": _as_given,
    "timeout": _timeout,
    "max_retries": _max_retries,
    "deadline": _deadline,
    "verify": _as_given,
    "pool_size": lambda value, _: _whole("pool_size", value, 1, "an int >= 1"),
    "backoff_base": _pause,
    "backoff_max": _pause,
    "max_answer_bytes": lambda value, _: _whole(
        "max_answer_bytes", value, 1, "an int >= 1 (bytes)"
    ),
}


def _env_number(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name)
    if not raw:
        return default
    try:
        number = float(raw)
    except ValueError:
        number = math.nan
    if not (math.isfinite(number) and number > 0):
        raise ValidationError(name, "a finite number of seconds > 0", raw)
    return number


def _env_count(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name)
    if not raw:
        return default
    try:
        count = int(raw.strip(), 10)
    except ValueError:
        count = -1
    if count < 0:
        raise ValidationError(name, "a whole number >= 0", raw)
    return count


def _finite(value: object) -> TypeGuard[float]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def _positive(value: object) -> TypeGuard[float]:
    return _finite(value) and value > 0


def _non_negative(value: object) -> TypeGuard[float]:
    return _finite(value) and value >= 0
