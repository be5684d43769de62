"""The platform CLI's configuration file, ``~/.abeja/config``, as a source of settings.

``abeja config init`` writes a JSON object: an unnamed configuration (its keys at the top
level) and/or a ``configurations`` list of named ones (``configuration-name``), the
active one named by ``active-configuration-name``. ``read_profile`` is the one reader
every way in uses; it picks one configuration and hands it back with its values boxed,
so that no repr, message or rendered traceback shows a token. A missing file is no
error; a malformed one, or an unknown profile, is a ``ValidationError`` naming the file
and the profile, never a value of it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from ..errors import ValidationError
from ._credentials import CREDENTIAL_PAIRS, TOKEN_VARIABLE, QuietMapping, Secret, quiet_environ

CONFIG_FILE = "~/.abeja/config"
"""The file as messages name it: under the user's home (``HOME`` moves it)."""

PROFILE_VARIABLE = "ABEJA_PROFILE"
"""The environment variable naming the configuration to use (the platform CLI has none:
it switches the file's active one)."""

ORGANIZATION_VARIABLES = ("ABEJA_ORGANIZATION_ID", "ABEJA_CLI_ORGANIZATION", "ORGANIZATION_NAME")
"""The variables of the default organization, in the platform CLI's order; the file's
``organization-name`` comes after them."""

HOW_TO_CONFIGURE = (
    f"set {TOKEN_VARIABLE}, or {CREDENTIAL_PAIRS[0][0]} and {CREDENTIAL_PAIRS[0][1]},"
    f" or run `abeja config init` (which writes {CONFIG_FILE})"
)
"""How to give a client credentials, in the terms every way in shares."""

MAX_CONFIG_BYTES = 1024 * 1024
"""The largest file read: ``abeja config init`` writes a few hundred bytes a profile."""

# The keys a configuration may hold, each a string (or null, meaning not set).
_KEYS = (
    "configuration-name",
    "abeja-platform-user",
    "personal-access-token",
    "organization-name",
    "abeja-api-url",
)
_AS_WRITTEN = "as `abeja config init` writes it"


@dataclass(frozen=True)
class Profile:
    """One configuration of the file: its name (``None``: the unnamed one) and its values,
    each boxed (``Secret``) whether it is a secret or not."""

    name: Optional[str]
    values: Mapping[str, Secret]

    def value(self, key: str) -> Optional[Secret]:
        """The value of ``key`` (``abeja-api-url``, ...), ``None`` when not set."""
        return self.values.get(key)

    def where(self, key: str) -> str:
        """Where ``key`` comes from, for messages: ``~/.abeja/config[dev].abeja-api-url``."""
        return f"{_label(self.name)}.{key}"


ProfileReader = Callable[[], Optional[Profile]]
"""Gives a client's configuration of ``~/.abeja/config`` when first asked for a value of it
(see ``profile_reader``)."""


def profile_reader(
    name: Optional[str] = None,
    *,
    spelt: str = "profile",
    environ: Optional[Mapping[str, str]] = None,
) -> ProfileReader:
    """How a client reads its configuration, at most once.

    A configuration named (``name``, or ``ABEJA_PROFILE``) is read at once, so that a
    wrong name is refused when the client is made; the file's active one only when a
    value is first looked for in it, so that a client given everything it needs never
    reads the file (nor fails on it).
    """
    if name is not None or quiet_environ(environ).get(PROFILE_VARIABLE, "").strip():
        named = read_profile(name, spelt=spelt, environ=environ)
        return lambda: named
    return functools.lru_cache(maxsize=None)(lambda: read_profile(environ=environ))


def read_profile(
    name: Optional[str] = None,
    *,
    spelt: str = "profile",
    environ: Optional[Mapping[str, str]] = None,
) -> Optional[Profile]:
    """The configuration named ``name``, else ``$ABEJA_PROFILE``, else the file's active one.

    ``None`` when the file does not exist and no profile was asked for. ``spelt`` names
    ``name`` as the caller spelt it (``--profile``) in a message.
    """
    if name is None:
        name = quiet_environ(environ).get(PROFILE_VARIABLE, "").strip() or None
        spelt = PROFILE_VARIABLE
    elif not isinstance(name, str) or not name.strip():
        raise ValidationError(spelt, f"the name of a configuration in {CONFIG_FILE}", name)
    document = _document(Path(os.path.expanduser("~")) / ".abeja" / "config")
    if document is None:
        if name is None:
            return None
        raise ValidationError(spelt, f"a configuration of {CONFIG_FILE} (there is no file)", name)
    named = _named(document)
    if name is None:
        spelt, name = f"{CONFIG_FILE}.active-configuration-name", _active(document)
    if name is None and any(key in document for key in _KEYS[1:]):
        return _profile(None, document)
    if name is not None and name in named:
        return _profile(name, named[name])
    known = ", ".join(repr(each) for each in named) or "no named one"
    raise ValidationError(spelt, f"a configuration named in {CONFIG_FILE} (it has {known})", name)


def default_organization(
    profile: Optional[ProfileReader], environ: Optional[Mapping[str, str]] = None
) -> Optional[tuple[str, str]]:
    """The organization used when a caller names none, and where it comes from (to name
    in a refusal): the first of the variables set, else the configuration's
    ``organization-name``, else ``None``."""
    environ = quiet_environ(environ)
    for variable in ORGANIZATION_VARIABLES:
        if environ.get(variable, "").strip():
            return environ[variable].strip(), variable
    configured = profile() if profile is not None else None
    value = configured.value("organization-name") if configured is not None else None
    if configured is None or value is None:
        return None
    return value.reveal(), configured.where("organization-name")


def _document(path: Path) -> Optional[Mapping[str, object]]:
    """The file's JSON object, every object in it behind a repr that hides its values;
    ``None`` when there is no file. Neither its text nor a decoding error's (which quotes
    it) is ever held where a rendered traceback would show it."""
    try:
        status = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        raise ValidationError(CONFIG_FILE, "a readable file", error.strerror) from None
    # A FIFO or a device would block or never end: only a regular file is opened.
    if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_CONFIG_BYTES:
        raise ValidationError(CONFIG_FILE, f"a regular file of at most {MAX_CONFIG_BYTES} bytes")
    try:
        with open(path, "rb") as handle:
            content = Secret(handle.read(MAX_CONFIG_BYTES + 1))  # type: ignore[arg-type]
    except OSError as error:
        raise ValidationError(CONFIG_FILE, "a readable file", error.strerror) from None
    document: object = None
    if len(content.reveal()) <= MAX_CONFIG_BYTES:
        with contextlib.suppress(ValueError, RecursionError):
            document = json.loads(content.reveal(), object_hook=QuietMapping)
    if not isinstance(document, Mapping):
        raise ValidationError(
            CONFIG_FILE, f"a JSON object of at most {MAX_CONFIG_BYTES} bytes, {_AS_WRITTEN}"
        )
    return document


def _named(document: Mapping[str, object]) -> dict[str, Mapping[str, object]]:
    """The named configurations, by name (the first of a name wins, as in the platform CLI)."""
    entries = document.get("configurations") or []
    if not isinstance(entries, list) or not all(isinstance(each, Mapping) for each in entries):
        raise ValidationError(f"{CONFIG_FILE}.configurations", f"a list of objects, {_AS_WRITTEN}")
    named: dict[str, Mapping[str, object]] = {}
    for entry in entries:
        name = entry.get("configuration-name")
        if not isinstance(name, str) or not name:
            raise ValidationError(
                f"{CONFIG_FILE}.configurations[].configuration-name", "a non-empty string"
            )
        named.setdefault(name, entry)
    return named


def _active(document: Mapping[str, object]) -> Optional[str]:
    active = document.get("active-configuration-name")
    if active is not None and not isinstance(active, str):
        raise ValidationError(
            f"{CONFIG_FILE}.active-configuration-name", "a configuration's name", type(active)
        )
    return active or None


def _profile(name: Optional[str], entry: Mapping[str, object]) -> Profile:
    """The configuration's values boxed, stripped; one of a wrong type is refused by its key.

    No value is bound to a local: the frame may be shown with its locals.
    """
    for key in _KEYS:
        if not isinstance(entry.get(key), (str, type(None))):
            raise ValidationError(
                f"{_label(name)}.{key}", f"a string, {_AS_WRITTEN}", type(entry.get(key))
            )
    given = [key for key in _KEYS if str(entry.get(key) or "").strip()]
    return Profile(name, {key: Secret(str(entry[key]).strip()) for key in given})


def _label(name: Optional[str]) -> str:
    # "(default)": how the platform CLI prints its unnamed configuration.
    return f"{CONFIG_FILE}[{name or '(default)'}]"
