"""The emulator's HTTP/1.1 server: reads each request, refuses what it cannot read with a
JSON error, applies the armed fault, and sends the service's answer."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import socket
import sys
import threading
import time
from collections.abc import Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional
from urllib.parse import parse_qsl, unquote

from ._faults import Fault, RecordedRequest, faulty_body, injected_error
from ._rules import ApiProblem, JsonObject, bad_request
from ._service import Service

MAX_REQUEST_BODY = 1024 * 1024
"""The largest request body the emulator reads (1 MiB); a longer one is refused with 413."""

_LOG = logging.getLogger("abeja_models.testing")

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


class Server(ThreadingHTTPServer):
    """Serves ``service`` on ``address``, one thread a connection, and can hang them all up."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], service: Service) -> None:
        self.service = service
        self.open_connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, Handler)

    @property
    def host(self) -> str:
        """The address it listens on, such as ``"127.0.0.1"`` or ``"0.0.0.0"``."""
        return str(self.server_address[0])

    @property
    def port(self) -> int:
        """The port it listens on (the one picked when 0 was asked for)."""
        return int(self.server_address[1])

    def close_connections(self) -> None:
        """Hang up every open connection (a handler may be waiting on one)."""
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


class Handler(BaseHTTPRequestHandler):
    """Answers the requests of one connection."""

    protocol_version = "HTTP/1.1"
    # Without it, a keep-alive client waits for delayed ACKs: about 40 ms a call.
    disable_nagle_algorithm = True
    timeout = 60
    server: Server
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
        service = self.server.service
        try:
            path, query = _split_target(self.path)
            length = self._content_length()
        except ApiProblem as problem:
            self._refuse(problem)
            return
        headers = dict(self.headers.items())
        fault = service.faults.take(self.command, path)
        if fault is not None and fault.drop == "before_read":
            service.record(
                RecordedRequest(self.command, path, query, headers, b"", self.client_address[1])
            )
            self._drop()
            return
        try:
            body = self._read_body(length)
        except ApiProblem as problem:
            self._refuse(problem)
            return
        service.record(
            RecordedRequest(self.command, path, query, headers, body, self.client_address[1])
        )
        if fault is None:
            self._send_json(*service.answer(self.command, path, query, headers, body))
            return
        if fault.processes_request:
            status, document = service.answer(self.command, path, query, headers, body)
        else:
            status, document = fault.status or 500, injected_error(fault.status or 500)
        if fault.delay > 0:
            time.sleep(fault.delay)
        if fault.drop == "after_read":
            self._drop()
            return
        self._send_faulty(fault, status, document)

    def _send_faulty(self, fault: Fault, status: int, document: JsonObject) -> None:
        body = faulty_body(fault, document)
        self._send(
            status,
            body.payload,
            body.content_type,
            fault.headers,
            declared_length=body.declared_length,
        )
        if body.declared_length is not None:
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
