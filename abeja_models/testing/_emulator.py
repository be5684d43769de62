"""The platform emulator: ``PlatformState`` served over HTTP/1.1 on a loopback port."""

from __future__ import annotations

import base64
import binascii
import contextlib
import ipaddress
import json
import logging
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
from urllib.parse import parse_qsl, unquote

from typing_extensions import Literal, Self

from .._config import is_loopback
from ._faults import Drop, Fault, FaultSet, Malformed, RecordedRequest
from ._state import ApiProblem, JsonObject, PlatformState, bad_request

__all__ = ["MAX_REQUEST_BODY", "PlatformEmulator"]

MAX_REQUEST_BODY = 1024 * 1024
"""The largest request body the emulator reads (1 MiB); a longer one is refused with 413."""

_LOG = logging.getLogger("abeja_models.testing")

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
        if self.listens_on_every_interface:
            host = "127.0.0.1"  # reaches a wildcard listener from this machine
        return f"http://{host!s}:{port}"

    @property
    def address(self) -> tuple[str, int]:
        """The address and port the emulator listens on, such as ``("0.0.0.0", 8080)``."""
        if self._server is None:
            raise RuntimeError("the emulator is not running: call start() or use `with`")
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    @property
    def listens_on_every_interface(self) -> bool:
        """Whether the emulator listens on a wildcard address such as ``0.0.0.0``."""
        return self._server is not None and _is_unspecified(str(self._server.server_address[0]))

    @property
    def reachable_from_other_machines(self) -> bool:
        """Whether the emulator listens on an address other than loopback.

        Then anyone who can reach this machine can use it, with any credential unless
        ``credentials`` was given: every trigger, run, notebook and uploaded file it holds
        can be read, created, changed and deleted.
        """
        if self._server is None:
            return False
        host = str(self._server.server_address[0])
        return not is_loopback(host)

    @property
    def accepts_any_credential(self) -> bool:
        """Whether any credential is accepted (``credentials`` was not given)."""
        return self._accepted is None

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


def _is_unspecified(host: str) -> bool:
    try:
        return host == "" or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def _json_body(body: bytes) -> object:
    if not body.strip():
        return None
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


_BAD_ESCAPE = re.compile("%(?![0-9A-Fa-f]{2})")
_NOT_IN_TARGET = re.compile("[^\x21-\x7e]")  # controls, spaces and anything not ASCII


def _split_target(target: str) -> tuple[str, dict[str, str]]:
    """The path (still percent-encoded) and the decoded query, or a 400 for a bad target."""
    scheme, separator, rest = target.partition("://")
    if separator and scheme.lower() in ("http", "https"):  # the absolute form, as proxies send
        target = "/" + rest.partition("/")[2]
    if not target.startswith("/") or _NOT_IN_TARGET.search(target):
        raise bad_request("the request target must be a printable ASCII path starting with /")
    if _BAD_ESCAPE.search(target):
        raise bad_request("the request target has a % that is not followed by two hex digits")
    path, _, rest = target.partition("?")
    try:
        unquote(path, errors="strict")  # only checked here: ids are decoded one by one later
        query = dict(parse_qsl(rest.partition("#")[0], keep_blank_values=True, errors="strict"))
    except UnicodeDecodeError:
        raise bad_request("the request target percent-encodes bytes that are not UTF-8") from None
    return path, query


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
        # socketserver prints the traceback to stderr; a library logs it instead.
        _LOG.error("the emulator failed on a request from %s", client_address, exc_info=True)


def _hang_up(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):  # the other side may have closed it already
        connection.shutdown(socket.SHUT_RDWR)


_DRAIN_BYTES = 4 * MAX_REQUEST_BODY
_DRAIN_SECONDS = 1.0


def _finish_sending(connection: socket.socket) -> None:
    """End our side, then read and discard what the client still sends, for a bounded time.

    Closing a socket with unread input makes the kernel reset the connection, and the
    client may lose the answer it has not read yet (a refused body it is still sending).
    """
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + _DRAIN_SECONDS
        drained = 0
        while drained < _DRAIN_BYTES:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            connection.settimeout(left)
            chunk = connection.recv(65536)
            if not chunk:
                return
            drained += len(chunk)


_ERROR_NAMES = {
    400: "bad_request",
    408: "request_timeout",
    411: "length_required",
    413: "payload_too_large",
    414: "uri_too_long",
    431: "request_header_fields_too_large",
    500: "internal_server_error",
    501: "not_implemented",
    505: "http_version_not_supported",
}


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
        """Send http.server's access and error lines to the ``abeja_models.testing`` logger.

        At DEBUG level, so they stay out of sight unless the application asks for them;
        ``http.server`` itself would write them to stderr.
        """
        if _LOG.isEnabledFor(logging.DEBUG):
            _LOG.debug("%s %s", self.address_string(), format % args)

    def parse_request(self) -> bool:
        """Read the request line and headers; refuse HTTP/0.9 (an answer without headers)."""
        if not super().parse_request():
            return False
        if self.request_version == "HTTP/0.9":
            self.send_error(400, "the request line has no HTTP version: send HTTP/1.1")
            return False
        return True

    def send_error(
        self, code: int, message: Optional[str] = None, explain: Optional[str] = None
    ) -> None:
        """Answer a request http.server could not read with the emulator's JSON error."""
        description = message or explain or HTTPStatus(code).phrase
        if len(description) > 200:  # http.server quotes the request line, up to 64 KiB
            description = description[:200] + "..."
        self._refuse(ApiProblem(code, _ERROR_NAMES.get(code, "bad_request"), description))

    def _refuse(self, problem: ApiProblem) -> None:
        """Answer with the problem's JSON error and close: the rest of the input is not read."""
        # http.server leaves the version at HTTP/0.9 until the request line is read, and
        # then writes a bare body; an HTTP/1.1 server always answers with a status line.
        self.request_version = self.protocol_version
        payload = json.dumps(problem.body).encode()
        self.send_response(problem.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)
        self.wfile.flush()
        self.close_connection = True
        _finish_sending(self.connection)

    def _content_length(self) -> int:
        """The declared body length, or an ApiProblem for one the emulator will not read."""
        if "Transfer-Encoding" in self.headers:
            raise ApiProblem(
                411, "length_required", "send the body with a Content-Length (no Transfer-Encoding)"
            )
        values = {value.strip() for value in self.headers.get_all("Content-Length", [])}
        if not values:
            return 0
        if len(values) > 1:
            raise bad_request("Content-Length is given more than once, with different values")
        (text,) = values
        if not (text.isascii() and text.isdigit()):
            raise bad_request("Content-Length must be a number of bytes")
        if len(text.lstrip("0")) > len(str(MAX_REQUEST_BODY)) or int(text) > MAX_REQUEST_BODY:
            raise ApiProblem(
                413,
                "payload_too_large",
                f"the request body is over the emulator's limit of {MAX_REQUEST_BODY} bytes",
            )
        return int(text)

    def _read_body(self, length: int) -> bytes:
        try:
            body = self.rfile.read(length) if length else b""
        except socket.timeout:  # TimeoutError from Python 3.10 on
            raise ApiProblem(
                408, "request_timeout", "the request body did not arrive in time"
            ) from None
        if len(body) < length:
            raise bad_request(
                f"the request body ended after {len(body)} of its {length} bytes (Content-Length)"
            )
        return body

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
        self._answering = False
        try:
            self._serve_request()
        except (ConnectionError, socket.timeout):
            raise  # the client left or stalled: http.server and the server drop it quietly
        except Exception:
            # A bug in the emulator, not the client's doing: log it, answer a 500 if
            # nothing has been sent yet, and keep serving the next connection.
            _LOG.error("the emulator failed on %s %s", self.command, self.path, exc_info=True)
            if self._answering:
                self._drop()
            else:
                self._refuse(
                    ApiProblem(500, "internal_server_error", "the emulator failed (see its log)")
                )

    def send_response(self, code: int, message: Optional[str] = None) -> None:
        """Start an answer (and remember that one has started)."""
        self._answering = True
        super().send_response(code, message)

    def _serve_request(self) -> None:
        emulator = self.server.emulator
        try:
            path, query = _split_target(self.path)
            length = self._content_length()
        except ApiProblem as problem:
            self._refuse(problem)
            return
        headers = dict(self.headers.items())
        fault = emulator._take_fault(self.command, path)
        if fault is not None and fault.drop == "before_read":
            emulator._record(
                RecordedRequest(self.command, path, query, headers, b"", self.client_address[1])
            )
            self._drop()
            return
        try:
            body = self._read_body(length)
        except ApiProblem as problem:
            self._refuse(problem)
            return
        emulator._record(
            RecordedRequest(self.command, path, query, headers, body, self.client_address[1])
        )
        if fault is None:
            self._send_json(*emulator._answer(self.command, path, query, headers, body))
            return
        if fault.processes_request:
            status, document = emulator._answer(self.command, path, query, headers, body)
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
