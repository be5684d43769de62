"""The emulator as its HTTP server sees it: who may call, what is recorded, which faults
fire, and what the platform answers to a request once it is read."""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
from collections.abc import Iterable, Mapping
from itertools import accumulate
from typing import Optional, Union

from ._faults import FaultSet, RecordedRequest
from ._routes import Route, find_route
from ._rules import ApiProblem, JsonObject, bad_request
from ._state import PlatformState

MAX_BODY_NESTING = 256
"""The deepest nesting of arrays and objects a request body may have (the API's use two)."""

_ESCAPED = re.compile(rb"\\.", re.DOTALL)
_STRING = re.compile(rb'"[^"]*"')
_NOT_A_BRACKET = bytes(set(range(256)) - set(b"[]{}"))

Credential = Union[str, tuple[str, str]]
"""A bearer token, or a ``(user_id, personal_access_token)`` pair for basic auth."""


class Service:
    """The platform's side of every exchange, shared by the server's handler threads."""

    def __init__(
        self,
        state: PlatformState,
        routes: tuple[Route, ...],
        credentials: Optional[Iterable[Credential]],
    ) -> None:
        self.state = state
        self.faults = FaultSet()
        self._routes = routes
        self._accepted = None if credentials is None else set(map(_credential_key, credentials))
        self._recorded: list[RecordedRequest] = []
        self._recorded_lock = threading.Lock()

    @property
    def accepts_any_credential(self) -> bool:
        """Whether no allow-list of credentials was given."""
        return self._accepted is None

    def record(self, request: RecordedRequest) -> None:
        """Keep a request as received."""
        with self._recorded_lock:
            self._recorded.append(request)

    def recorded(self) -> list[RecordedRequest]:
        """The requests received so far, oldest first."""
        with self._recorded_lock:
            return list(self._recorded)

    def forget_requests(self) -> None:
        """Forget the recorded requests."""
        with self._recorded_lock:
            self._recorded.clear()

    def answer(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        headers: Mapping[str, str],
        body: bytes,
    ) -> tuple[int, JsonObject]:
        """The status and JSON document the platform answers to a request it has read."""
        try:
            refusal = self._refusal(headers.get("Authorization"))
            if refusal is not None:
                raise ApiProblem(401, "unauthorized", f"authentication failed: {refusal}")
            route, ids = find_route(self._routes, method, path)
            return 200, route.call(self.state, ids, query, _json_body(body))
        except ApiProblem as problem:
            return problem.status, problem.body

    def _refusal(self, header: Optional[str]) -> Optional[str]:
        """Why a request with this ``Authorization`` header is refused; ``None`` if it is not."""
        scheme, _, value = (header or "").strip().partition(" ")
        if not scheme:
            return "send credentials"
        key: Optional[Credential] = None
        if scheme.lower() == "bearer" and value:
            key = value
        elif scheme.lower() == "basic" and value:
            try:
                user, _, secret = base64.b64decode(value, validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                user, secret = "", ""
            key = (user, secret) if user and secret else None
        if key is None or not (self._accepted is None or key in self._accepted):
            return "the credentials sent were refused"
        return None


def _credential_key(credential: Credential) -> Credential:
    if isinstance(credential, str):
        return credential
    user, secret = credential
    return (user, secret)


def _json_body(body: bytes) -> object:
    if not body.strip():
        return None
    if _nesting(body) > MAX_BODY_NESTING:
        # Refused before parsing: json's parser would only stop at the interpreter's
        # recursion limit, where whatever else runs then (a finalizer) fails as well.
        raise bad_request("the request body nests too deeply")
    try:
        document = json.loads(body)
        # Valid JSON may still spell a lone surrogate ("\ud800"), which no UTF-8 text
        # holds: refuse it here rather than fail later on encoding it.
        json.dumps(document, ensure_ascii=False).encode()
    except RecursionError:
        raise bad_request("the request body nests too deeply") from None
    except (UnicodeError, ValueError):
        raise bad_request("the request body is not JSON in UTF-8") from None
    return document


def _nesting(body: bytes) -> int:
    """How deeply the arrays and objects of a JSON text nest (brackets in strings aside)."""
    brackets = _STRING.sub(b"", _ESCAPED.sub(b"", body)).translate(None, _NOT_A_BRACKET)
    return max(accumulate(1 if bracket in b"[{" else -1 for bracket in brackets), default=0)
