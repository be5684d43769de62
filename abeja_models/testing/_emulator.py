"""The platform emulator: ``PlatformState`` served over HTTP/1.1 on a loopback port."""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import re
import socket
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Callable, Optional, Union
from urllib.parse import parse_qsl, unquote, urlsplit

from typing_extensions import Literal, Self

from ._faults import Drop, Fault, FaultSet, Malformed, RecordedRequest
from ._state import ApiProblem, JsonObject, PlatformState, bad_request

__all__ = ["PlatformEmulator"]

Credential = Union[str, tuple[str, str]]
"""A bearer token, or a ``(user_id, personal_access_token)`` pair for basic auth."""

_Route = Callable[[PlatformState, tuple[str, ...], dict[str, str], object], JsonObject]

_SEGMENT = "([^/]+)"
_TRIGGERS = f"/organizations/{_SEGMENT}/deployments/{_SEGMENT}/triggers"
_NOTEBOOKS = f"/organizations/{_SEGMENT}/training/definitions/{_SEGMENT}/notebooks"
# Not the platform's: lets another process put a file into a DataLake channel.
_UPLOADS = "/_emulator/channels"


def _routes(
    start_stop_reply: Literal["notebook", "message"],
) -> list[tuple[re.Pattern[str], dict[str, _Route]]]:
    def acted(verb: str, action: _Route) -> _Route:
        if start_stop_reply == "notebook":
            return action

        def answer_with_message(
            state: PlatformState, ids: tuple[str, ...], query: dict[str, str], body: object
        ) -> JsonObject:
            action(state, ids, query, body)
            return {"message": f"{ids[-1]} {verb}"}

        return answer_with_message

    table: list[tuple[str, dict[str, _Route]]] = [
        (
            f"{_TRIGGERS}/?",
            {
                "GET": lambda s, ids, q, b: s.list_triggers(ids[0], ids[1]),
                "POST": lambda s, ids, q, b: s.create_trigger(ids[0], ids[1], b),
            },
        ),
        (
            f"{_TRIGGERS}/{_SEGMENT}",
            {
                "GET": lambda s, ids, q, b: s.get_trigger(ids[0], ids[1], ids[2]),
                "DELETE": lambda s, ids, q, b: s.delete_trigger(ids[0], ids[1], ids[2]),
            },
        ),
        (
            f"{_TRIGGERS}/{_SEGMENT}/runs",
            {
                "GET": lambda s, ids, q, b: s.list_runs(ids[0], ids[1], ids[2], q),
            },
        ),
        (
            f"{_NOTEBOOKS}/?",
            {
                "GET": lambda s, ids, q, b: s.list_notebooks(ids[0], ids[1]),
                "POST": lambda s, ids, q, b: s.create_notebook(ids[0], ids[1], b),
            },
        ),
        (
            f"{_NOTEBOOKS}/{_SEGMENT}",
            {
                "GET": lambda s, ids, q, b: s.get_notebook(ids[0], ids[1], ids[2]),
                "PUT": lambda s, ids, q, b: s.update_notebook(ids[0], ids[1], ids[2], b),
                "DELETE": lambda s, ids, q, b: s.delete_notebook(ids[0], ids[1], ids[2]),
            },
        ),
        (
            f"{_NOTEBOOKS}/{_SEGMENT}/start",
            {
                "POST": acted(
                    "started", lambda s, ids, q, b: s.start_notebook(ids[0], ids[1], ids[2], b)
                ),
            },
        ),
        (
            f"{_NOTEBOOKS}/{_SEGMENT}/stop",
            {
                "POST": acted(
                    "stopped", lambda s, ids, q, b: s.stop_notebook(ids[0], ids[1], ids[2])
                ),
            },
        ),
        (
            f"{_NOTEBOOKS}/{_SEGMENT}/recentlogs",
            {
                "GET": lambda s, ids, q, b: s.recent_logs(ids[0], ids[1], ids[2], q),
            },
        ),
        (
            f"{_UPLOADS}/{_SEGMENT}/files",
            {"POST": lambda s, ids, q, b: s.upload_file(ids[0], b)},
        ),
    ]
    return [(re.compile(pattern), methods) for pattern, methods in table]


class PlatformEmulator:
    """An in-memory ABEJA Platform (Trigger and Notebook APIs) on a local HTTP port.

    ```python
    from abeja_models import Client
    from abeja_models.testing import PlatformEmulator

    with PlatformEmulator() as emulator:
        client = Client(base_url=emulator.url, auth_token="any")
        triggers = client.organization("1").deployment("2").triggers
        trigger = triggers.create(version_id="ver-1", input_service_id="3")
        emulator.upload("3", b"an image")      # starts a run on every trigger of channel 3
    ```

    It answers the 13 documented endpoints with the documented shapes, refuses what the
    platform refuses (400 with ``error`` and ``error_description``; 401 without
    credentials; 404 for unknown ids), and lets a test inject faults and count requests.
    One endpoint is its own: ``POST /_emulator/channels/{channel_id}/files`` (an optional
    JSON body ``{"content": str, "fail": bool}``) does what ``upload`` does, for a test or
    a shell in another process than the emulator's.

    Args:
        host: the address to listen on; keep the loopback default unless you must share it.
        port: the port; 0 picks a free one (read it back from ``url``).
        credentials: the bearer tokens and ``(user_id, token)`` pairs to accept; by default
            any credential is accepted and only a request with none is refused.
        page_size: entries per page of trigger runs and of notebook log events.
        notebook_start_delay: seconds a notebook stays ``Pending`` after create or start.
        run_step_delay: seconds a run stays ``PENDING``, then ``RUNNING``.
        log_interval: seconds between the log events of a running notebook.
        start_stop_reply: answer start and stop with the notebook (as documented) or with a
            bare ``{"message": ...}`` (as the platform has also been seen to).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        credentials: Optional[Iterable[Credential]] = None,
        page_size: int = 50,
        notebook_start_delay: float = 0.5,
        run_step_delay: float = 0.2,
        log_interval: float = 0.2,
        start_stop_reply: Literal["notebook", "message"] = "notebook",
    ) -> None:
        self.state = PlatformState(
            page_size=page_size,
            notebook_start_delay=notebook_start_delay,
            run_step_delay=run_step_delay,
            log_interval=log_interval,
        )
        self._address = (host, port)
        self._accepted = None if credentials is None else set(map(_credential_key, credentials))
        self._routes = _routes(start_stop_reply)
        self._faults = FaultSet()
        self._recorded: list[RecordedRequest] = []
        self._recorded_lock = threading.Lock()
        self._server: Optional[_Server] = None
        self._thread: Optional[threading.Thread] = None

    # Life cycle -----------------------------------------------------------------------

    def start(self) -> Self:
        """Listen and serve in a background thread; returns the emulator."""
        if self._server is not None:
            return self
        server = _Server(self._address, _Handler, self)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"abeja-emulator:{server.server_address[1]}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close every open connection."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (the ``emulator`` command)."""
        self.start()
        try:
            while self._thread is not None and self._thread.is_alive():
                self._thread.join(timeout=0.5)
        finally:
            self.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The base URL to give a client, such as ``http://127.0.0.1:50123``."""
        if self._server is None:
            raise RuntimeError("the emulator is not running: call start() or use `with`")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def env(self, token: str = "emulator-token") -> dict[str, str]:
        """The environment that points this SDK, or the platform's own, at the emulator."""
        return {"ABEJA_API_URL": self.url, "PLATFORM_AUTH_TOKEN": token}

    def reset(self) -> None:
        """Forget all data, faults and recorded requests."""
        self.state.reset()
        self.clear_faults()
        self.clear_requests()

    def __repr__(self) -> str:
        where = self.url if self._server is not None else "stopped"
        return f"<PlatformEmulator {where}>"

    # Platform-side events -------------------------------------------------------------

    def upload(self, channel_id: str, content: bytes = b"", *, fail: bool = False) -> list[str]:
        """Put a file into a DataLake channel; every trigger watching it starts a run.

        Returns the ids of the runs started. ``fail=True`` makes those runs end ``FAILED``.
        """
        return self.state.upload(channel_id, content, fail=fail)

    def add_runs(self, trigger_id: str, count: int, *, fail: bool = False) -> list[str]:
        """Give a trigger ``count`` finished runs at once (fast even for 100,000)."""
        return self.state.add_runs(trigger_id, count, fail=fail)

    def files(self, channel_id: str) -> dict[str, bytes]:
        """The files uploaded to a channel, by file id."""
        return self.state.files(channel_id)

    # Faults and recorded requests ------------------------------------------------------

    def inject_fault(
        self,
        method: str,
        path: str,
        *,
        status: Optional[int] = None,
        body: Union[bytes, str, Mapping[str, object], None] = None,
        headers: Optional[Mapping[str, str]] = None,
        retry_after: Optional[float] = None,
        delay: float = 0.0,
        drop: Optional[Drop] = None,
        malformed: Optional[Malformed] = None,
        times: int = 1,
    ) -> Fault:
        """Make the next ``times`` requests matching ``method`` and ``path`` misbehave.

        ``path`` is a regular expression searched in the request path (``"*"`` as method
        matches all). One fault per call, first armed first used:

        - ``status=503, retry_after=1``: answer that status (the request is not processed),
          with a JSON error body unless ``body`` or ``malformed`` says otherwise;
        - ``delay=2.0``: wait before answering (longer than the client's read timeout to
          make it time out; the request is processed unless ``status`` is given);
        - ``drop="before_read"`` / ``"after_read"``: close the connection without an
          answer, before reading the request or after processing it;
        - ``malformed="truncated" | "empty" | "invalid_json" | "html"``: a broken body (on
          the real answer when no ``status`` is given, so the request is processed).

        Returns the ``Fault``; its ``hits`` and ``remaining`` tell what happened.
        """
        if status is None and drop is None and malformed is None and delay <= 0:
            raise ValueError("inject_fault needs a status, a delay, a drop or a malformed body")
        if status is not None and not 100 <= status <= 599:
            raise ValueError(f"status must be an HTTP status 100..599, got {status!r}")
        if times < 1:
            raise ValueError(f"times must be at least 1, got {times!r}")
        extra = dict(headers or {})
        if retry_after is not None:
            extra["Retry-After"] = f"{retry_after:g}"
        fault = Fault(
            method=method.upper(),
            path=re.compile(path),
            status=status,
            body=_body_bytes(body),
            headers=extra,
            delay=delay,
            drop=drop,
            malformed=malformed,
            remaining=times,
        )
        return self._faults.add(fault)

    def clear_faults(self) -> None:
        """Disarm every fault."""
        self._faults.clear()

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first."""
        with self._recorded_lock:
            return list(self._recorded)

    def count(self, method: str, path: str = "") -> int:
        """How many requests with this method had a path matching the regular expression."""
        pattern = re.compile(path)
        return sum(
            1
            for request in self.requests
            if request.method == method.upper() and pattern.search(request.path)
        )

    def clear_requests(self) -> None:
        """Forget the recorded requests."""
        with self._recorded_lock:
            self._recorded.clear()

    # Used by the handler ---------------------------------------------------------------

    def _record(self, request: RecordedRequest) -> None:
        with self._recorded_lock:
            self._recorded.append(request)

    def _take_fault(self, method: str, path: str) -> Optional[Fault]:
        return self._faults.take(method, path)

    def _answer(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: Mapping[str, str],
        body: bytes,
    ) -> tuple[int, JsonObject]:
        try:
            if not self._authorized(headers.get("Authorization")):
                raise ApiProblem(401, "unauthorized", "authentication failed: send credentials")
            for pattern, methods in self._routes:
                match = pattern.fullmatch(path)
                if match is None:
                    continue
                route = methods.get(method)
                if route is None:
                    raise ApiProblem(405, "method_not_allowed", f"{method} is not allowed here")
                ids = tuple(unquote(segment) for segment in match.groups())
                return 200, route(self.state, ids, query, _json_body(body))
            raise ApiProblem(404, "not_found", f"no endpoint at {path}")
        except ApiProblem as problem:
            return problem.status, problem.body

    def _authorized(self, header: Optional[str]) -> bool:
        scheme, _, value = (header or "").partition(" ")
        if scheme.lower() == "bearer" and value:
            key: Optional[Credential] = value
        elif scheme.lower() == "basic" and value:
            try:
                user, _, secret = base64.b64decode(value, validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return False
            key = (user, secret) if user and secret else None
        else:
            key = None
        if key is None:
            return False
        return self._accepted is None or key in self._accepted


def _credential_key(credential: Credential) -> Credential:
    if isinstance(credential, str):
        return credential
    user, secret = credential
    return (user, secret)


def _body_bytes(body: Union[bytes, str, Mapping[str, object], None]) -> Optional[bytes]:
    if body is None or isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return json.dumps(dict(body)).encode()


def _json_body(body: bytes) -> object:
    if not body.strip():
        return None
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise bad_request("the request body is not JSON") from None


_HTML_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        emulator: PlatformEmulator,
    ) -> None:
        self.emulator = emulator
        self.open_connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, handler)

    def close_connections(self) -> None:
        with self.connections_lock:
            connections = list(self.open_connections)
        for connection in connections:
            _hang_up(connection)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (its read timeout ran out during a delay fault) or that
        # hung up first has closed the socket this handler still writes to: expected
        # with faults, and not worth a traceback on the test's stderr.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def _hang_up(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):  # the other side may have closed it already
        connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Without it, a keep-alive client waits for delayed ACKs: about 40 ms a call.
    disable_nagle_algorithm = True
    timeout = 60
    server: _Server
    server_version = "abeja-models-emulator"

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.open_connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.open_connections.discard(self.connection)
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: tests and the demo print what matters themselves."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def _serve(self) -> None:
        emulator = self.server.emulator
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        headers = dict(self.headers.items())
        fault = emulator._take_fault(self.command, parts.path)
        if fault is not None and fault.drop == "before_read":
            emulator._record(
                RecordedRequest(
                    self.command, parts.path, query, headers, b"", self.client_address[1]
                )
            )
            self._drop()
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        emulator._record(
            RecordedRequest(self.command, parts.path, query, headers, body, self.client_address[1])
        )
        if fault is None:
            self._send_json(*emulator._answer(self.command, parts.path, query, headers, body))
            return
        if fault.processes_request:
            status, document = emulator._answer(self.command, parts.path, query, headers, body)
        else:
            status, document = fault.status or 500, _error_for(fault.status or 500)
        if fault.delay > 0:
            time.sleep(fault.delay)
        if fault.drop == "after_read":
            self._drop()
            return
        self._send_faulty(fault, status, document)

    def _send_faulty(self, fault: Fault, status: int, document: JsonObject) -> None:
        payload = json.dumps(document).encode()
        content_type = "application/json"
        declared = None
        if fault.body is not None:
            payload = fault.body
        elif fault.malformed == "empty":
            payload = b""
        elif fault.malformed == "invalid_json":
            payload = payload[: max(1, len(payload) // 2)]
        elif fault.malformed == "html":
            payload, content_type = _HTML_PAGE, "text/html"
        elif fault.malformed == "truncated":
            declared = len(payload)
            payload = payload[: len(payload) // 2]
        self._send(status, payload, content_type, fault.headers, declared_length=declared)
        if declared is not None:
            self._drop()

    def _send_json(self, status: int, document: JsonObject) -> None:
        self._send(status, json.dumps(document).encode(), "application/json", {})

    def _send(
        self,
        status: int,
        payload: bytes,
        content_type: str,
        headers: Mapping[str, str],
        *,
        declared_length: Optional[int] = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        length = len(payload) if declared_length is None else declared_length
        self.send_header("Content-Length", str(length))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()

    def _drop(self) -> None:
        self.close_connection = True
        self.wfile.flush()
        _hang_up(self.connection)


def _error_for(status: int) -> JsonObject:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return {
        "error": phrase.lower().replace(" ", "_"),
        "error_description": f"{phrase} (injected by the emulator)",
    }
