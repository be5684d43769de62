"""``ApiRequest``: what one call sends, built by the endpoint builders, sent by the transport."""

from __future__ import annotations

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
