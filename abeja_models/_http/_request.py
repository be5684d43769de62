"""What one call sends (``ApiRequest``) and what came back for it (``Answer``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional


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
    """One answer and the call it answers: everything an error about it must carry."""

    __slots__ = ("content", "headers", "method", "status", "url")

    method: str
    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
