"""What one call sends (``ApiRequest``) and what came back for it (``Answer``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

from .._config import Credentials


@dataclass(frozen=True)
class ApiRequest:
    """An HTTP call ready to send: method, percent-encoded path, query and JSON body."""

    __slots__ = ("body", "method", "path", "query")

    method: str
    path: str
    query: Optional[dict[str, str]]
    body: Optional[dict[str, Any]]


@dataclass(frozen=True)
class Answer:
    """One answer and the call it answers: everything an error about it must carry, and
    the credentials the call was sent with, to mask wherever the body quotes them."""

    __slots__ = ("content", "credentials", "headers", "method", "status", "url")

    method: str
    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    credentials: Optional[Credentials]
