"""Servers that misbehave on purpose, on 127.0.0.1, for the hostile suite.

A ``HostileServer(handler)`` serves each connection on a thread of its own with
``handler(connection)``: the handler reads the request with ``read_request`` and writes
whatever it likes (a huge body, a trickle, a lie about another resource, nothing). Every
server stops, and every connection is closed, when the test ends.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from typing import Callable, NamedTuple, Optional

Handler = Callable[["Connection"], None]


class Request(NamedTuple):
    """What a client sent: method, raw target (path and query), headers, body."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes


class Connection:
    """One accepted client connection, with helpers to read a request and write answers."""

    def __init__(self, sock: socket.socket, server: HostileServer) -> None:
        self.sock = sock
        self.server = server
        self._buffer = b""

    def read_request(self) -> Optional[Request]:
        """The next request on this connection, or None when the client closed it."""
        while b"\r\n\r\n" not in self._buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self._buffer += chunk
        head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(self._buffer) < length:
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            self._buffer += chunk
        body, self._buffer = self._buffer[:length], self._buffer[length:]
        request = Request(method, target, headers, body)
        self.server.requests.append(request)
        return request

    def send(self, data: bytes) -> None:
        """Write raw bytes; a client that went away is not an error here."""
        with contextlib.suppress(OSError):
            self.sock.sendall(data)

    def answer(
        self,
        body: object = None,
        *,
        status: int = 200,
        headers: Optional[dict[str, str]] = None,
        raw_body: Optional[bytes] = None,
    ) -> None:
        """Write one complete answer: ``body`` as JSON unless ``raw_body`` is given."""
        payload = raw_body if raw_body is not None else json.dumps(body).encode()
        head = [f"HTTP/1.1 {status} X", "Content-Type: application/json"]
        sent = {name.lower() for name in (headers or {})}
        if "content-length" not in sent and "transfer-encoding" not in sent:
            head.append(f"Content-Length: {len(payload)}")
        head += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self.send(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + payload)


class HostileServer:
    """A loopback server whose every connection is handled by one function."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._open: list[socket.socket] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            self._open.append(sock)
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        try:
            self.handler(Connection(sock, self))
        except OSError:
            pass
        finally:
            sock.close()

    def stop(self) -> None:
        """Stop accepting and close every connection still open."""
        self._stopping.set()
        # close() alone leaves a blocked accept() listening on Linux: shut it down first.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._thread.join(timeout=5)
        for sock in self._open:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
