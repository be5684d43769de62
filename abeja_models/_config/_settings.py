"""Every setting declared once, as a field of ``Settings``.

A field's declaration holds all there is to know of its setting: its name and type, its
default, its rule (``_values``), the environment variable read when a caller leaves it
out, the command line's flag and the command line's own preset, and whether it is fixed
with the client's connection. ``Client(...)``, ``Client.with_options``, both low-level
``APIClient``s and the command line resolve their arguments through ``resolve_settings``
and ``Settings.with_changes``, and ``tests/structure/test_settings.py`` checks their
signatures against these fields.

Where a value comes from, first to last: the caller's argument (or the command line's
option), its environment variable, the platform CLI's configuration file (``_profile``),
the command line's preset (for the command line only), the default. ``None`` from a
caller means "not given".
"""

from __future__ import annotations

import dataclasses
import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Callable, Optional, TypeVar, Union

from typing_extensions import Final

from ._credentials import (
    CREDENTIAL_VARIABLES,
    PLATFORM_CLI_VARIABLES,
    Credentials,
    Secret,
    hide,
    quiet_environ,
)
from ._profile import ORGANIZATION_VARIABLES, PROFILE_VARIABLE, ProfileReader
from ._urls import check_base_url
from ._values import (
    MAX_ANSWER_BYTES,
    MAX_POOL_SIZE,
    MAX_RETRIES,
    check_count,
    check_limit,
    check_pause,
    check_timeout,
    check_verify,
)

ValueT = TypeVar("ValueT")

Timeout = Union[float, tuple[float, float]]
"""Seconds for connect and read alike, or a ``(connect, read)`` pair."""


class Keep(enum.Enum):
    """The type of ``KEEP``: a value of its own, so that ``None`` can mean what it means to
    ``Client(...)``."""

    KEEP = "KEEP"

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = Keep.KEEP
"""The default of every ``Client.with_options`` argument: leave that setting as it is."""


@dataclass(frozen=True)
class Rule:
    """How one setting is read and checked (the metadata of its ``Settings`` field)."""

    check: Callable[[str, object], object]
    """``check(spelt, value)``: the value as ``Settings`` holds it, or ``ValidationError``
    naming ``spelt``, the argument, variable or option as the caller spelt it."""
    variable: Optional[str] = None
    """The environment variable read when the caller leaves the setting out."""
    from_text: Callable[[str], object] = Secret
    """Reads the variable's (or the option's) text: boxed by default, since it may hold a
    password; a number that does not parse is checked as NaN."""
    profile_key: Optional[str] = None
    """The key of a configuration of ``~/.abeja/config`` read after the variable."""
    flag: Optional[str] = None
    """The command line's option for it."""
    command_line: object = None
    """The command line's own default, when it differs from the library's."""
    per_connection: bool = False
    """Fixed with the client's connection: ``with_options`` does not take it."""


def _setting(default: ValueT, check: Callable[[str, object], object], **rule: object) -> ValueT:
    # A dataclass field whose metadata is its Rule: typed as its default for checkers.
    return field(default=default, metadata={"rule": Rule(check, **rule)})  # type: ignore[arg-type]


def _number_text(text: str) -> object:
    try:
        return float(text) if "." in text or "e" in text.lower() else int(text, 10)
    except ValueError:
        return math.nan


BASE_URL_VARIABLE: Final = "ABEJA_API_URL"
TIMEOUT_VARIABLE: Final = "ABEJA_SDK_CONNECTION_TIMEOUT"
MAX_RETRIES_VARIABLE: Final = "ABEJA_SDK_MAX_RETRY_COUNT"


@dataclass(frozen=True)
class Settings:
    """Everything a transport needs to know, checked and resolved once per client.

    Made by ``resolve_settings``; ``with_changes`` makes another from one.
    """

    credentials: Optional[Credentials] = None
    """Who the client is (see ``_credentials``); ``None``: anonymous."""
    base_url: str = _setting(
        "https://api.abeja.io",
        check_base_url,
        variable=BASE_URL_VARIABLE,
        profile_key="abeja-api-url",
        flag="--base-url",
        per_connection=True,
    )
    """The API's URL: ``https://``, or plain ``http://`` to this machine only."""
    timeout: tuple[float, float] = _setting(
        (30.0, 30.0),
        check_timeout,
        variable=TIMEOUT_VARIABLE,
        from_text=_number_text,
        flag="--timeout",
        command_line=(3.05, 30.0),
    )
    """Seconds to connect and for each read, as a ``(connect, read)`` pair."""
    max_retries: int = _setting(
        5,
        partial(check_count, least=0, most=MAX_RETRIES),
        variable=MAX_RETRIES_VARIABLE,
        from_text=_number_text,
        command_line=2,
    )
    """Attempts after a retriable failure."""
    deadline: Optional[float] = _setting(None, check_limit)
    """The most seconds one call may take across its attempts; ``None``: no deadline."""
    verify: Union[bool, str] = _setting(True, check_verify, per_connection=True)
    """TLS verification: ``True``, ``False``, or an existing CA bundle's path."""
    pool_size: int = _setting(
        10, partial(check_count, least=1, most=MAX_POOL_SIZE), per_connection=True
    )
    """The most connections open at once; threads beyond it wait for one."""
    backoff_base: float = _setting(0.5, check_pause)
    """Seconds before the first retry; the pause doubles with each attempt, with jitter."""
    backoff_max: float = _setting(8.0, check_pause)
    """The longest pause between attempts, ``Retry-After`` aside."""
    max_answer_bytes: int = _setting(
        32 * 1024 * 1024, partial(check_count, least=1, most=MAX_ANSWER_BYTES)
    )
    """The largest answer body read, after decompression: 80 times a page of 1,000 runs."""

    def with_changes(
        self,
        *,
        environ: Optional[Mapping[str, str]] = None,
        spelling: Optional[Mapping[str, str]] = None,
        **changes: object,
    ) -> Settings:
        """A copy with ``changes``, each resolved and checked as ``Client(...)`` does it;
        a setting given as ``KEEP`` stays as it is."""
        environ = quiet_environ(environ)
        resolved = {
            name: _resolved(name, value, environ, None, spelling or {}, command_line=False)
            for name, value in changes.items()
            if value is not KEEP
        }
        return dataclasses.replace(self, **resolved)  # type: ignore[arg-type]


SETTINGS: Final = {
    each.name: each.metadata["rule"] for each in dataclasses.fields(Settings) if each.metadata
}
"""Every setting's ``Rule``, by name, in the order declared."""

SETTING_VARIABLES: Final = (
    *(rule.variable for rule in SETTINGS.values() if rule.variable),
    *CREDENTIAL_VARIABLES,
    *(variable for variables in PLATFORM_CLI_VARIABLES for variable in variables),
    PROFILE_VARIABLE,
    *ORGANIZATION_VARIABLES,
)
"""Every environment variable a client reads: the settings', the credentials' (the platform
SDK's, then the platform CLI's), the profile's and the default organization's."""


def resolve_settings(
    *,
    credentials: Optional[Credentials] = None,
    environ: Optional[Mapping[str, str]] = None,
    profile: Optional[ProfileReader] = None,
    spelling: Optional[Mapping[str, str]] = None,
    command_line: bool = False,
    **given: object,
) -> Settings:
    """Settings from the arguments given (``None``: not given), then the environment
    (default ``os.environ``), then the configuration of ``~/.abeja/config`` that
    ``profile()`` reads when first asked (see ``profile_reader``), then the command
    line's presets (with ``command_line``), then the defaults; each checked by its rule.
    ``spelling`` names an argument as the caller spelt it (``max_retry_count`` for
    ``max_retries``), for messages; the command line's arguments are named by their
    flags."""
    unknown = set(given) - set(SETTINGS)
    if unknown:
        raise TypeError(f"not settings: {sorted(unknown)}")
    environ = quiet_environ(environ)
    resolved = {
        name: _resolved(name, given.get(name), environ, profile, spelling or {}, command_line)
        for name in SETTINGS
    }
    return Settings(credentials, **resolved)  # type: ignore[arg-type]


def _resolved(
    name: str,
    value: object,
    environ: Mapping[str, str],
    profile: Optional[ProfileReader],
    spelling: Mapping[str, str],
    command_line: bool,
) -> object:
    rule: Rule = SETTINGS[name]
    if value is not None:
        spelt = rule.flag if command_line and rule.flag else spelling.get(name, name)
        return rule.check(spelt, value)
    # Boxed: a variable may hold a secret (a password in a URL), and this frame's locals
    # may be shown in a rendered traceback.
    text = hide(environ.get(rule.variable) if rule.variable else None)
    if text is not None and text.reveal().strip():
        return rule.check(rule.variable or name, rule.from_text(text.reveal().strip()))
    configuration = profile() if profile is not None and rule.profile_key is not None else None
    if configuration is not None and rule.profile_key is not None:
        configured = configuration.value(rule.profile_key)
        if configured is not None:
            where = configuration.where(rule.profile_key)
            return rule.check(where, rule.from_text(configured.reveal()))
    if command_line and rule.command_line is not None:
        return rule.check(rule.flag or name, rule.command_line)
    return _DEFAULTS[name]


_DEFAULTS: Final = {each.name: each.default for each in dataclasses.fields(Settings)}
