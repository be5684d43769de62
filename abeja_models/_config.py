"""Settings and credentials, from arguments first and the platform SDK's variables second."""

from __future__ import annotations

import base64
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Optional, Union
from urllib.parse import urlsplit

from .errors import ValidationError

DEFAULT_BASE_URL = "https://api.abeja.io"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 5
DEFAULT_POOL_SIZE = 10

Timeout = Union[float, tuple[float, float]]
"""Seconds for connect and read alike, or a ``(connect, read)`` pair."""


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
    def bearer(cls, token: str) -> Credentials:
        """Credentials for a platform auth token (``Authorization: Bearer ...``)."""
        return cls("bearer", f"Bearer {token}")

    @classmethod
    def basic(cls, user: str, secret: str) -> Credentials:
        """Credentials for a user or datasource id and its secret (HTTP basic)."""
        raw = f"{user}:{secret}".encode()
        return cls("basic", "Basic " + base64.b64encode(raw).decode("ascii"), principal=user)

    @property
    def header_value(self) -> str:
        """The value to send as the ``Authorization`` header."""
        return self._header

    def __repr__(self) -> str:
        who = f" {self.principal}" if self.principal else ""
        return f"<Credentials {self.kind}{who} (secret hidden)>"

    __str__ = __repr__


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
    extra_headers: Mapping[str, str] = field(default_factory=dict)

    def with_changes(self, **changes: object) -> Settings:
        """A copy with some settings changed (used by ``Client.with_options``)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def credentials_from(
    *,
    auth_token: Optional[str] = None,
    user_id: Optional[str] = None,
    personal_access_token: Optional[str] = None,
    datasource_id: Optional[str] = None,
    datasource_secret: Optional[str] = None,
    environ: Mapping[str, str] = os.environ,
) -> Optional[Credentials]:
    """Pick credentials like the platform SDK: arguments, then environment.

    In each source the order is: bearer token, user id + personal access token,
    datasource id + secret. A user id gets the ``user-`` prefix and a datasource
    id the ``datasource-`` prefix when it lacks one.
    """
    for source in (
        (auth_token, user_id, personal_access_token, datasource_id, datasource_secret),
        (
            environ.get("PLATFORM_AUTH_TOKEN"),
            environ.get("ABEJA_PLATFORM_USER_ID"),
            environ.get("ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN"),
            environ.get("ABEJA_PLATFORM_DATASOURCE_ID"),
            environ.get("ABEJA_PLATFORM_DATASOURCE_SECRET"),
        ),
    ):
        token, user, pat, datasource, secret = source
        if token:
            return Credentials.bearer(token)
        if user and pat:
            return Credentials.basic(_prefixed(user, "user-"), pat)
        if datasource and secret:
            return Credentials.basic(_prefixed(datasource, "datasource-"), secret)
    return None


def credentials_from_dict(credential: Mapping[str, str]) -> Optional[Credentials]:
    """Credentials from the platform SDK's ``credential`` dict (``auth_token``, ...)."""
    known = ("auth_token", "user_id", "personal_access_token", "datasource_id", "datasource_secret")
    unknown = sorted(set(credential) - set(known))
    if unknown:
        raise ValidationError("credential", f"a dict with keys among {', '.join(known)}", unknown)
    return credentials_from(environ={}, **{key: credential.get(key) for key in known})


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
    environ: Mapping[str, str] = os.environ,
) -> Settings:
    """Validate the arguments, fill the rest from the environment, and freeze them."""
    url = check_base_url(base_url or environ.get("ABEJA_API_URL") or DEFAULT_BASE_URL)
    if timeout is None:
        timeout = _env_number(environ, "ABEJA_SDK_CONNECTION_TIMEOUT", DEFAULT_TIMEOUT)
    if max_retries is None:
        max_retries = int(_env_number(environ, "ABEJA_SDK_MAX_RETRY_COUNT", DEFAULT_MAX_RETRIES))
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ValidationError("max_retries", "an int >= 0", max_retries)
    if deadline is not None and not _positive(deadline):
        raise ValidationError("deadline", "a number of seconds > 0, or None", deadline)
    if isinstance(pool_size, bool) or not isinstance(pool_size, int) or pool_size < 1:
        raise ValidationError("pool_size", "an int >= 1", pool_size)
    if not (_non_negative(backoff_base) and _non_negative(backoff_max)):
        raise ValidationError("backoff_base/backoff_max", "numbers of seconds >= 0")
    return Settings(
        base_url=url,
        credentials=credentials,
        timeout=normalize_timeout(timeout),
        max_retries=max_retries,
        deadline=deadline,
        verify=verify,
        pool_size=pool_size,
        backoff_base=float(backoff_base),
        backoff_max=float(backoff_max),
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
        return float(raw)
    except ValueError:
        raise ValidationError(name, "a number", raw) from None


def _positive(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def _non_negative(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
