"""Secrets and credentials: kept in boxes that never show them, picked like the platform SDK."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Optional, TypeVar, Union

from ..errors import ValidationError
from ._values import is_utf8

if TYPE_CHECKING:
    from ._profile import Profile, ProfileReader

TOKEN_VARIABLE = "PLATFORM_AUTH_TOKEN"
"""The environment variable of a platform auth token (bearer)."""

# In the order credentials are looked for: a token, a user and their secret, a datasource
# and its secret (the platform SDK's names).
CREDENTIAL_VARIABLES = (
    TOKEN_VARIABLE,
    "ABEJA_PLATFORM_USER_ID",
    "ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN",
    "ABEJA_PLATFORM_DATASOURCE_ID",
    "ABEJA_PLATFORM_DATASOURCE_SECRET",
)
"""Every environment variable credentials are read from, in the order they are looked for."""

CREDENTIAL_PAIRS = (CREDENTIAL_VARIABLES[1:3], CREDENTIAL_VARIABLES[3:5])
"""The variables that make a credential only together: ``(id, secret)``, user then datasource."""

PLATFORM_CLI_VARIABLES = (
    ("ABEJA_CLI_USER", "ABEJA_PLATFORM_USER"),
    ("ABEJA_CLI_TOKEN", "PERSONAL_ACCESS_TOKEN"),
)
"""The platform CLI's own variables of a user id, then of its personal access token, each
in the platform CLI's order; they stand over the values of ``~/.abeja/config``."""

SECRET_VARIABLES = (
    TOKEN_VARIABLE,
    *(secret for _, secret in CREDENTIAL_PAIRS),
    *PLATFORM_CLI_VARIABLES[1],
)
"""The ones among them that hold a secret (the token, the two secrets, the platform CLI's
personal access tokens)."""

_ARGUMENT_NAMES = (
    "auth_token",
    "user_id",
    "personal_access_token",
    "datasource_id",
    "datasource_secret",
)

# The keys of ~/.abeja/config holding a user id and its personal access token.
_PROFILE_KEYS = ("abeja-platform-user", "personal-access-token")


ValueT = TypeVar("ValueT")


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
        if not user or ":" in user or _has_control(user) or not is_utf8(user):
            raise ValidationError(user_setting, "an id without ':' or control characters")
        secret = _checked_secret(secret, setting, header_text=False)
        # One expression: the joined "user:secret" never sits in a local of this frame.
        header = "Basic " + base64.b64encode(f"{user}:{secret.reveal()}".encode()).decode()
        return cls("basic", header, principal=user)

    @property
    def header_value(self) -> str:
        """The value to send as the ``Authorization`` header."""
        return self._header

    def mask(self, text: str) -> str:
        """``text`` with every form of this credential's secret replaced by ``***``.

        The forms: the header value, the token or base64 pair, and for basic credentials
        the decoded ``user:secret`` and the secret alone; each as sent and as JSON escapes
        it. A form shorter than 4 characters is left, as too common to be told from text.
        """
        sent = self._header.partition(" ")[2]
        forms = [self._header, sent]
        if self.kind == "basic":
            pair = base64.b64decode(sent).decode()
            forms += [pair, pair.partition(":")[2]]
        for form in forms:
            for shown in (form, json.dumps(form)[1:-1]):
                if len(shown) >= 4:
                    text = text.replace(shown, "***")
        return text

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
    if not is_utf8(secret.reveal()):
        raise ValidationError(setting, "a secret of valid Unicode text (value hidden)")
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


def credentials_from(
    *,
    auth_token: SecretArgument = None,
    user_id: Optional[str] = None,
    personal_access_token: SecretArgument = None,
    datasource_id: Optional[str] = None,
    datasource_secret: SecretArgument = None,
    environ: Optional[Mapping[str, str]] = None,
    profile: Optional[ProfileReader] = None,
    names: tuple[str, ...] = _ARGUMENT_NAMES,
) -> Optional[Credentials]:
    """Pick credentials: the arguments, then the platform SDK's variables (in ``environ``,
    default ``os.environ``), then the platform CLI's (its variables over the values of
    the configuration ``profile()`` reads from ``~/.abeja/config``).

    Credentials given as arguments are used alone, or refused: a token must not be
    blank, and a user or datasource id comes with its secret (``ValidationError`` naming
    the argument at fault); only when none is given are the environment and the file
    read. In the environment the order is: bearer token, user id + personal access
    token, datasource id + secret, each pair taken whole. The platform CLI's user and
    token are each the first of its variables set, else the profile's, as the platform
    CLI reads them. A user id gets the ``user-`` prefix and a datasource id the
    ``datasource-`` prefix when it lacks one. Secrets are stripped of surrounding
    whitespace; one holding a control character raises ``ValidationError`` naming the
    argument, variable or key (``names`` spells the arguments), never showing the value.
    A profile that is the last source and lacks its user or token is refused by its key.
    """
    # Boxed first, and the plain arguments dropped: no frame of this call holds a secret
    # in a local that a rendered traceback would show.
    given = _boxed(auth_token, user_id, personal_access_token, datasource_id, datasource_secret)
    auth_token = personal_access_token = datasource_secret = None
    if any(value is not None for value in given):
        return _given(given, names)
    environ = quiet_environ(environ)
    from_environment = _boxed(*(environ.get(name) for name in CREDENTIAL_VARIABLES))
    found = _first(from_environment, CREDENTIAL_VARIABLES)
    if found is not None:
        return found
    configured = profile() if profile is not None else None
    (cli_user, user_spelt), (cli_token, token_spelt) = (
        _platform_cli_value(variables, key, environ, configured)
        for variables, key in zip(PLATFORM_CLI_VARIABLES, _PROFILE_KEYS)
    )
    from_platform_cli = _boxed(None, _revealed(cli_user), cli_token, None, None)
    found = _first(from_platform_cli, ("", user_spelt, token_spelt, "", ""))
    if found is not None or configured is None:
        return found
    key = _PROFILE_KEYS[0] if cli_user is None else _PROFILE_KEYS[1]
    raise ValidationError(configured.where(key), "a value, as `abeja config init` writes it")


def _given(source: _Source, names: tuple[str, ...]) -> Credentials:
    """The credentials a caller gave, complete, or ``ValidationError`` naming what is not."""
    if source[0] is not None:
        return Credentials.bearer(source[0], setting=names[0])
    for at, prefix, principal, secret in _basic_pairs(source):
        if principal is None and secret is None:
            continue
        if secret is None:
            raise ValidationError(names[at + 1], f"a secret, given with {names[at]}")
        if isinstance(principal, int) and not isinstance(principal, bool) and principal >= 0:
            principal = int.__repr__(principal)  # an id given as a number, as for paths
        if not isinstance(principal, str):
            raise ValidationError(names[at], f"an id, given with {names[at + 1]}", principal)
        return Credentials.basic(
            _prefixed(principal.strip(), prefix),
            secret,
            setting=names[at + 1],
            user_setting=names[at],
        )
    raise AssertionError("a source with a value given")


def _first(source: _Source, spelt: tuple[str, ...]) -> Optional[Credentials]:
    """The first complete credential of a source read from a variable or the file."""
    token = _nonblank(source[0])
    if token is not None:
        return Credentials.bearer(token, setting=spelt[0])
    for at, prefix, principal, given_secret in _basic_pairs(source):
        secret = _nonblank(given_secret)
        if isinstance(principal, str) and principal.strip() and secret is not None:
            return Credentials.basic(
                _prefixed(principal.strip(), prefix),
                secret,
                setting=spelt[at + 1],
                user_setting=spelt[at],
            )
    return None


def _basic_pairs(source: _Source) -> tuple[tuple[int, str, object, Optional[Secret]], ...]:
    """Each id and its secret in a source: where the id stands, its prefix, id, secret."""
    return ((1, "user-", source[1], source[2]), (3, "datasource-", source[3], source[4]))


def _platform_cli_value(
    variables: tuple[str, ...], key: str, environ: Mapping[str, str], profile: Optional[Profile]
) -> tuple[Optional[Secret], str]:
    """The first of ``variables`` set, else the profile's ``key``, and where it came from."""
    for variable in variables:
        if environ.get(variable, "").strip():
            return Secret(environ[variable]), variable
    where = "" if profile is None else profile.where(key)
    return (None if profile is None else profile.value(key)), where


def _revealed(value: Optional[Secret]) -> Optional[str]:
    return None if value is None else value.reveal()


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


_Source = tuple[Optional[Secret], object, Optional[Secret], object, Optional[Secret]]
"""One source of credentials: token, user id and secret, datasource id and secret."""


def _boxed(
    token: SecretArgument,
    user: object,
    user_secret: SecretArgument,
    datasource: object,
    datasource_secret: SecretArgument,
) -> _Source:
    """One source of credentials, its secrets boxed (which cannot fail)."""
    return hide(token), user, hide(user_secret), datasource, hide(datasource_secret)


def _nonblank(secret: Union[Secret, str, None]) -> Optional[Secret]:
    """The secret if set to something other than blanks (all-space counts as unset)."""
    if not isinstance(secret, Secret) or (
        isinstance(secret.reveal(), str) and not secret.reveal().strip()
    ):
        return None
    return secret


def _prefixed(value: str, prefix: str) -> str:
    return value if value.startswith(prefix) else prefix + value
