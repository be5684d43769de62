"""What the emulator records of each request, the faults a test can ask it to inject, and
what a fault answers."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import NamedTuple, Optional

from typing_extensions import Literal

from ._rules import JsonObject

Drop = Literal["before_read", "after_read"]
"""Close the connection without answering: before the body is read and nothing is
processed, or after the request was read and processed (the client cannot tell)."""

Malformed = Literal["truncated", "empty", "invalid_json", "html"]
"""A broken answer body: cut short, empty, not JSON, or a gateway's HTML page."""


_HTML_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the emulator received it (faulted ones included)."""

    method: str
    path: str
    """The path as sent, still percent-encoded, without the query."""
    query: dict[str, str]
    headers: dict[str, str] = field(repr=False)
    """Every header as sent, credentials included; kept out of the repr."""
    body: bytes = field(repr=False)
    client_port: int = field(repr=False)
    """The client's port: requests that share it came over one kept-alive connection."""


@dataclass
class Fault:
    """A fault that answers the next ``times`` requests matching ``method`` and ``path``.

    Made by ``PlatformEmulator.inject_fault``; ``remaining`` counts down as it fires and
    ``hits`` counts how often it did.
    """

    method: str
    path: re.Pattern[str]
    status: Optional[int] = None
    body: Optional[bytes] = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: Optional[Drop] = None
    malformed: Optional[Malformed] = None
    remaining: int = 1
    hits: int = 0

    @property
    def processes_request(self) -> bool:
        """Whether the platform still acts on the request (the fault is on the way back)."""
        return self.status is None and self.drop != "before_read"


class FaultyBody(NamedTuple):
    """What a fault answers with."""

    payload: bytes
    content_type: str = "application/json"
    declared_length: Optional[int] = None
    """The Content-Length to announce when it is not the payload's (a truncated body)."""


class FaultSet:
    """The armed faults, first armed first matched, safe to use from every handler thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, method: str, path: str) -> Optional[Fault]:
        """The fault that fires for this request, if any, counted as fired."""
        with self._lock:
            for fault in self._faults:
                if fault.method in (method, "*") and fault.path.search(path):
                    fault.remaining -= 1
                    fault.hits += 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None


def injected_error(status: int) -> JsonObject:
    """The JSON error a fault answers with its status, in place of the request's answer."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return {
        "error": phrase.lower().replace(" ", "_"),
        "error_description": f"{phrase} (injected by the emulator)",
    }


def faulty_body(fault: Fault, document: JsonObject) -> FaultyBody:
    """The body a fault sends in place of ``document``: its own, or a broken one."""
    if fault.body is not None:
        return FaultyBody(fault.body)
    if fault.malformed == "empty":
        return FaultyBody(b"")
    if fault.malformed == "html":
        return FaultyBody(_HTML_PAGE, "text/html")
    payload = json.dumps(document).encode()
    if fault.malformed == "invalid_json":
        return FaultyBody(payload[: max(1, len(payload) // 2)])
    if fault.malformed == "truncated":
        return FaultyBody(payload[: len(payload) // 2], declared_length=len(payload))
    return FaultyBody(payload)
