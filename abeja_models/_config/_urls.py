"""Which API URLs a client may talk to: ``https://`` anywhere, plain ``http://`` only locally."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from ..errors import ValidationError

_AN_API_URL = "an http(s) URL such as https://api.abeja.io"


def check_base_url(url: object) -> str:
    """Accept ``https://`` anywhere and plain ``http://`` only to a loopback host."""
    if not isinstance(url, str):
        raise ValidationError("base_url", _AN_API_URL, url)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("base_url", _AN_API_URL, url)
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
