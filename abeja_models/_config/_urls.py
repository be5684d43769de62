"""The one base-URL rule: ``https://`` anywhere, plain ``http://`` only to this machine.

Every way in (``Client(base_url=)``, the low-level clients, ``ABEJA_API_URL``, the command
line's ``--base-url``) goes through ``check_base_url``, which parses the URL once and
returns the canonical form every request is built on (scheme and host in lower case, no
trailing ``/``). A host name is ASCII: an internationalised one is written in its
``xn--`` form, as encoders disagree on some names. A URL holding ``@`` (a user and
password) is refused without ever being shown, and a caller's value is boxed at once so
that no frame of the SDK holds it in a local.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from ..errors import ValidationError
from ._credentials import Secret

_AN_API_URL = "an http(s) URL such as https://api.abeja.io"
_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?")
_UNSENDABLE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\\]")

def check_base_url(parameter: str, value: object) -> str:
    """The canonical form of an API URL, or ``ValidationError`` naming ``parameter``.

    Surrounding whitespace (a ``CRLF`` line end from an ``.env`` file) is removed; anything
    else that cannot be sent as it stands (inner whitespace, control characters, a
    malformed host, bracket or port, a query or fragment, credentials) is refused.
    """
    if _holds_credentials(value):
        raise ValidationError(parameter, "a URL without a user or password in it", "<hidden>")
    text = value.reveal() if isinstance(value, Secret) else value
    if not isinstance(text, str):
        raise ValidationError(parameter, _AN_API_URL + " (a str)", type(text))
    url = text.strip()
    if _UNSENDABLE.search(url):
        raise ValidationError(parameter, _AN_API_URL + " (no spaces or control characters)", url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValidationError(parameter, _AN_API_URL + " with a valid host and port", url) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(parameter, _AN_API_URL, url)
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise ValidationError(parameter, "a URL without query or fragment", url)
    if not parts.netloc.isascii():
        raise ValidationError(
            parameter, "a URL whose host is ASCII (an internationalised one in its xn-- form)", url
        )
    if port == 0 or not _valid_host(parts.netloc, parts.hostname, port):
        raise ValidationError(parameter, _AN_API_URL + " with a valid host and port", url)
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValidationError(
            parameter, "https:// (plain http:// is allowed only to localhost/127.0.0.1/::1)", url
        )
    if not parts.path.isascii():
        raise ValidationError(parameter, _AN_API_URL + " whose path is percent-encoded", url)
    host = parts.netloc if parts.netloc.startswith("[") else parts.hostname
    if port is not None and not host.startswith("["):
        host += f":{port}"
    return f"{parts.scheme}://{host.lower()}{parts.path}".rstrip("/")


def _holds_credentials(value: object) -> bool:
    # Asked before any frame of the check holds the plain text in a local.
    text = value.reveal() if isinstance(value, Secret) else value
    return isinstance(text, str) and "@" in text


def _valid_host(netloc: str, host: str, port: object) -> bool:
    """Whether ``netloc`` is exactly a host (a name, an IPv4 or a bracketed IPv6 address)
    and an optional port, nothing before or after them."""
    bracketed = netloc.startswith("[")
    expected = f"[{host}]" if bracketed else host
    if port is not None:
        expected += f":{port}"
    if netloc.lower() != expected.lower():
        return False
    if bracketed:
        try:
            return ipaddress.ip_address(host).version == 6
        except ValueError:
            return False
    return all(_LABEL.fullmatch(label) for label in host.rstrip(".").split("."))


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
