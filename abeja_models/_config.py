"""Settings and credentials, from arguments first and the platform SDK's variables second."""

from __future__ import annotations

import base64
import ipaddress
import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Optional, TypeVar, Union
from urllib.parse import urlsplit

from .errors import ValidationError

DEFAULT_BASE_URL = "https://api.abeja.io"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 5
DEFAULT_POOL_SIZE = 10
DEFAULT_MAX_ANSWER_BYTES = 32 * 1024 * 1024
"""The largest answer body read, after decompression: 80 times a page of 1,000 trigger runs."""

# In the order credentials are looked for: a token, a user and their secret, a datasource
# and its secret (the platform SDK's names).
_CREDENTIAL_VARIABLES = (
    "PLATFORM_AUTH_TOKEN",
    "ABEJA_PLATFORM_USER_ID",
    "ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN",
    "ABEJA_PLATFORM_DATASOURCE_ID",
    "ABEJA_PLATFORM_DATASOURCE_SECRET",
)

SETTING_VARIABLES = (
    "ABEJA_API_URL",
    *_CREDENTIAL_VARIABLES,
    "ABEJA_SDK_CONNECTION_TIMEOUT",
    "ABEJA_SDK_MAX_RETRY_COUNT",
)
"""Every environment variable the settings are read from, named as the platform SDK names them."""

SECRET_VARIABLES = _CREDENTIAL_VARIABLES[0::2]
"""The ones among them that hold a secret (the token and the two secrets)."""

ValueT = TypeVar("ValueT")

Timeout = Union[float, tuple[float, float]]
"""Seconds for connect and read alike, or a ``(connect, read)`` pair."""


class Secret:
    """A configured secret (token, personal access token, datasource secret) in a box.

    Its ``repr`` hides the value, so a traceback rendered with its locals (``pytest -l``,
    rich, Sentry) shows ``<secret hidden>`` wherever the SDK's own frames hold one.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself, for building the ``Authorization`` header."""
        return self._value

    def __repr__(self) -> str:
        return "<secret hidden>"

    __str__ = __repr__


SecretArgument = Union[str, Secret, None]
"""A secret as configured: plain text from a caller, or already boxed."""


def hide(value: SecretArgument) -> Optional[Secret]:
    """Box a secret (``None`` stays ``None``); cannot fail, so call it before anything else."""
    if value is None or isinstance(value, Secret):
        return value
    return Secret(value)


class Credentials:
    """An ``Authorization`` header value that never shows itself.

    ``repr``/``str`` give only the kind and a non-secret principal (the user or
    datasource id), so printing a client, a config or a traceback's locals is safe.
    """

    __slots__ = ("_header", "kind", "principal")

    def __init__(self, kind: str, header: str, principal: Optional[str] = None) -> None:
        self.kind = kind
        self.principal = principal
        self._header = header

    @classmethod
    def bearer(cls, token: Union[str, Secret], *, setting: str = "auth_token") -> Credentials:
        """Credentials for a platform auth token (``Authorization: Bearer ...``).

        Surrounding whitespace is removed; a token that still holds a control character,
        or a character an HTTP header cannot carry, raises ``ValidationError`` naming
        ``setting`` and never showing the token.
        """
        token = _checked_secret(token, setting, header_text=True)
        return cls("bearer", "Bearer " + token.reveal())

    @classmethod
    def basic(
        cls,
        user: str,
        secret: Union[str, Secret],
        *,
        setting: str = "personal_access_token",
        user_setting: str = "user_id",
    ) -> Credentials:
        """Credentials for a user or datasource id and its secret (HTTP basic).

        Both are stripped of surrounding whitespace and refused (``ValidationError``,
        the secret never shown) when they hold a control character or a ``:`` in the id.
        """
        user = user.strip()
        if not user or ":" in user or _has_control(user):
            raise ValidationError(user_setting, "an id without ':' or control characters")
        secret = _checked_secret(secret, setting, header_text=False)
        # One expression: the joined "user:secret" never sits in a local of this frame.
        header = "Basic " + base64.b64encode(f"{user}:{secret.reveal()}".encode()).decode()
        return cls("basic", header, principal=user)

    @property
    def header_value(self) -> str:
        """The value to send as the ``Authorization`` header."""
        return self._header

    def __repr__(self) -> str:
        who = f" {self.principal}" if self.principal else ""
        return f"<Credentials {self.kind}{who} (secret hidden)>"

    __str__ = __repr__


def _checked_secret(value: Union[str, Secret], setting: str, *, header_text: bool) -> Secret:
    """``value`` boxed and stripped, or ``ValidationError`` naming ``setting`` (never the value)."""
    secret = hide(value)
    assert secret is not None
    if not isinstance(secret.reveal(), str):
        raise ValidationError(setting, "a string", type(secret.reveal()))
    secret = Secret(secret.reveal().strip())
    if not secret.reveal():
        raise ValidationError(setting, "a non-empty secret (it was only whitespace)")
    if _has_control(secret.reveal()):
        raise ValidationError(setting, "a secret without control characters (value hidden)")
    if header_text and not _is_latin1(secret.reveal()):
        raise ValidationError(
            setting, "a token of characters an HTTP header can carry (value hidden)"
        )
    return secret


def _has_control(text: str) -> bool:
    return any(ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F for char in text)


def _is_latin1(text: str) -> bool:
    return all(ord(char) <= 0xFF for char in text)


class QuietMapping(Mapping[str, ValueT]):
    """A read-only view of a mapping (the environment, a ``credential`` dict) whose repr
    shows only its keys: a traceback rendered with its locals shows no secret."""

    __slots__ = ("_mapping",)

    def __init__(self, mapping: Mapping[str, ValueT]) -> None:
        self._mapping = mapping

    def __getitem__(self, name: str) -> ValueT:
        return self._mapping[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._mapping)

    def __len__(self) -> int:
        return len(self._mapping)

    def __repr__(self) -> str:
        return f"<{len(self._mapping)} settings, values hidden>"


def quiet_environ(environ: Optional[Mapping[str, str]]) -> Mapping[str, str]:
    """``environ`` (default ``os.environ``) behind a repr that shows no value."""
    if isinstance(environ, QuietMapping):
        return environ
    return QuietMapping(os.environ if environ is None else environ)


@dataclass(frozen=True)
class Settings:
    """Everything a transport needs to know, resolved once per client."""

    base_url: str
    credentials: Optional[Credentials]
    timeout: tuple[float, float]
    max_retries: int
    deadline: Optional[float] = None
    verify: Union[bool, str] = True
    pool_size: int = DEFAULT_POOL_SIZE
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES
    extra_headers: Mapping[str, str] = field(default_factory=dict)

    def with_changes(self, **changes: object) -> Settings:
        """A copy with some settings changed (used by ``Client.with_options``)."""
        return replace(self, **changes)  # type: ignore[arg-type]


_ARGUMENT_NAMES = (
    "auth_token",
    "user_id",
    "personal_access_token",
    "datasource_id",
    "datasource_secret",
)


def credentials_from(
    *,
    auth_token: SecretArgument = None,
    user_id: Optional[str] = None,
    personal_access_token: SecretArgument = None,
    datasource_id: Optional[str] = None,
    datasource_secret: SecretArgument = None,
    environ: Optional[Mapping[str, str]] = None,
    names: tuple[str, ...] = _ARGUMENT_NAMES,
) -> Optional[Credentials]:
    """Pick credentials like the platform SDK: arguments, then environment (default
    ``os.environ``).

    In each source the order is: bearer token, user id + personal access token,
    datasource id + secret. A user id gets the ``user-`` prefix and a datasource
    id the ``datasource-`` prefix when it lacks one. Secrets are stripped of surrounding
    whitespace; one holding a control character raises ``ValidationError`` naming the
    argument or variable (``names`` spells the arguments), never showing the value.
    """
    # Boxed first, and the plain arguments dropped: no frame of this call holds a secret
    # in a local that a rendered traceback would show.
    given = _boxed(auth_token, user_id, personal_access_token, datasource_id, datasource_secret)
    auth_token = personal_access_token = datasource_secret = None
    environ = quiet_environ(environ)
    from_environment = _boxed(*(environ.get(name) for name in _CREDENTIAL_VARIABLES))
    for source, spelt in ((given, names), (from_environment, _CREDENTIAL_VARIABLES)):
        token, user, pat, datasource, secret = (
            _nonblank(source[0]),
            source[1],
            _nonblank(source[2]),
            source[3],
            _nonblank(source[4]),
        )
        if token is not None:
            return Credentials.bearer(token, setting=spelt[0])
        if isinstance(user, str) and user.strip() and pat is not None:
            return Credentials.basic(
                _prefixed(user.strip(), "user-"), pat, setting=spelt[2], user_setting=spelt[1]
            )
        if isinstance(datasource, str) and datasource.strip() and secret is not None:
            return Credentials.basic(
                _prefixed(datasource.strip(), "datasource-"),
                secret,
                setting=spelt[4],
                user_setting=spelt[3],
            )
    return None


def credentials_from_dict(credential: Mapping[str, object]) -> Optional[Credentials]:
    """Credentials from the platform SDK's ``credential`` dict (``auth_token``, ...)."""
    unknown = sorted(set(credential) - set(_ARGUMENT_NAMES))
    if unknown:
        known = ", ".join(_ARGUMENT_NAMES)
        raise ValidationError("credential", f"a dict with keys among {known}", unknown)
    for key in _ARGUMENT_NAMES:
        if not isinstance(credential.get(key), (str, Secret, type(None))):
            raise ValidationError(f"credential[{key!r}]", "a string", type(credential.get(key)))
    return credentials_from(
        auth_token=hide(credential.get("auth_token")),  # type: ignore[arg-type]
        user_id=credential.get("user_id"),  # type: ignore[arg-type]
        personal_access_token=hide(credential.get("personal_access_token")),  # type: ignore[arg-type]
        datasource_id=credential.get("datasource_id"),  # type: ignore[arg-type]
        datasource_secret=hide(credential.get("datasource_secret")),  # type: ignore[arg-type]
        environ={},
        names=tuple(f"credential[{key!r}]" for key in _ARGUMENT_NAMES),
    )


def _boxed(
    token: SecretArgument,
    user: Optional[str],
    user_secret: SecretArgument,
    datasource: Optional[str],
    datasource_secret: SecretArgument,
) -> tuple[Optional[Secret], Optional[str], Optional[Secret], Optional[str], Optional[Secret]]:
    """One source of credentials, its secrets boxed (which cannot fail)."""
    return hide(token), user, hide(user_secret), datasource, hide(datasource_secret)


def _nonblank(secret: Optional[Secret]) -> Optional[Secret]:
    """The secret if set to something other than blanks (all-space counts as unset)."""
    if secret is None or (isinstance(secret.reveal(), str) and not secret.reveal().strip()):
        return None
    return secret


def resolve_settings(
    *,
    base_url: Optional[str],
    credentials: Optional[Credentials],
    timeout: Optional[Timeout],
    max_retries: Optional[int],
    deadline: Optional[float] = None,
    verify: Union[bool, str] = True,
    pool_size: int = DEFAULT_POOL_SIZE,
    backoff_base: float = 0.5,
    backoff_max: float = 8.0,
    max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
    environ: Optional[Mapping[str, str]] = None,
) -> Settings:
    """Validate the arguments, fill the rest from the environment (default ``os.environ``),
    and freeze them. Every number must be finite: ``inf`` and ``nan`` are refused here,
    before anything is sent."""
    environ = quiet_environ(environ)
    url = check_base_url(base_url or environ.get("ABEJA_API_URL") or DEFAULT_BASE_URL)
    if timeout is None:
        timeout = _env_number(environ, "ABEJA_SDK_CONNECTION_TIMEOUT", DEFAULT_TIMEOUT)
    if max_retries is None:
        max_retries = _env_count(environ, "ABEJA_SDK_MAX_RETRY_COUNT", DEFAULT_MAX_RETRIES)
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ValidationError("max_retries", "an int >= 0", max_retries)
    if deadline is not None and not _positive(deadline):
        raise ValidationError("deadline", "a finite number of seconds > 0, or None", deadline)
    if isinstance(pool_size, bool) or not isinstance(pool_size, int) or pool_size < 1:
        raise ValidationError("pool_size", "an int >= 1", pool_size)
    if not (_non_negative(backoff_base) and _non_negative(backoff_max)):
        raise ValidationError("backoff_base/backoff_max", "finite numbers of seconds >= 0")
    if (
        isinstance(max_answer_bytes, bool)
        or not isinstance(max_answer_bytes, int)
        or max_answer_bytes < 1
    ):
        raise ValidationError("max_answer_bytes", "an int >= 1 (bytes)", max_answer_bytes)
    return Settings(
        base_url=url,
        credentials=credentials,
        timeout=normalize_timeout(timeout),
        max_retries=max_retries,
        deadline=float(deadline) if deadline is not None else None,
        verify=verify,
        pool_size=pool_size,
        backoff_base=float(backoff_base),
        backoff_max=float(backoff_max),
        max_answer_bytes=max_answer_bytes,
    )


def normalize_timeout(timeout: Timeout) -> tuple[float, float]:
    """Turn a timeout argument into a validated ``(connect, read)`` pair."""
    pair = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    if len(pair) != 2 or not all(_positive(part) for part in pair):
        raise ValidationError("timeout", "seconds > 0, or a (connect, read) pair of them", timeout)
    return float(pair[0]), float(pair[1])


def check_base_url(url: str) -> str:
    """Accept ``https://`` anywhere and plain ``http://`` only to a loopback host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("base_url", "an http(s) URL such as https://api.abeja.io", url)
    if parts.username or parts.password:
        raise ValidationError("base_url", "a URL without credentials in it", "<hidden>")
    if parts.query or parts.fragment:
        raise ValidationError("base_url", "a URL without query or fragment", url)
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        raise ValidationError("base_url", "a URL whose port is between 1 and 65535", url)
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValidationError(
            "base_url", "https:// (plain http:// is allowed only to localhost/127.0.0.1/::1)", url
        )
    return url.rstrip("/")


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _prefixed(value: str, prefix: str) -> str:
    return value if value.startswith(prefix) else prefix + value


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


def _finite(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def _positive(value: object) -> bool:
    return _finite(value) and value > 0  # type: ignore[operator]


def _non_negative(value: object) -> bool:
    return _finite(value) and value >= 0  # type: ignore[operator]
