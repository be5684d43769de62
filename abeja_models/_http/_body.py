"""Reading an answer's body: never more than a cap (counted after decompression), never
past the call's deadline.

For a session this SDK made, the body is read from urllib3's raw stream undecoded
(``decode_content=False``) and decompressed here with ``zlib``'s ``max_length``, so a
gzip bomb never inflates past the cap in one step, on urllib3 1.26 and 2.x alike. A body
with a ``Content-Length`` under the cap is read in one call (the hot path). A caller's
session is read through ``Response.iter_content`` in small pieces, which works for any
adapter, hook or test double; there urllib3 decompresses, one small piece at a time.

The deadline of a call is kept while its body is read by the process's ``Watchdog``: a
read still running when the deadline passes has its socket shut down, which wakes the
blocked read at once, however the server trickles its bytes.
"""

from __future__ import annotations

import heapq
import itertools
import math
import os
import socket
import threading
import time
import zlib
from collections.abc import Mapping
from contextlib import suppress
from typing import Any, Optional

import requests
import urllib3.exceptions

_ENCODED_PIECE = 64 * 1024  # compressed bytes read at a time from an SDK-made session
_CALLER_PIECE = 256 * 1024  # bytes asked of a caller's session at a time
_CALLER_ENCODED_PIECE = 16 * 1024  # ... when urllib3 decompresses (an expansion per step)


class UnreadableAnswer(Exception):
    """The body cannot be accepted as it stands: too large, or in an unknown encoding."""


class AnswerTooLarge(UnreadableAnswer):
    """The body is longer than ``max_answer_bytes`` (after decompression)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the answer is larger than max_answer_bytes={limit}")
        self.limit = limit


def read_owned(response: requests.Response, limit: int) -> bytes:
    """The whole body of an answer from a session made here, at most ``limit`` bytes."""
    raw = response.raw
    headers = response.headers
    length = content_length(headers)
    encoding = headers.get("Content-Encoding", "").strip().lower()
    if encoding in ("", "identity"):
        if length is not None:
            if length > limit:
                raise AnswerTooLarge(limit)
            # urllib3 may have drained the body already (it does for a redirect).
            length -= raw.tell()
            data = raw.read(length, decode_content=False) if length > 0 else b""
            if len(data) < length:
                raise urllib3.exceptions.ProtocolError("the body was cut short")
            return bytes(data)
        data = raw.read(limit + 1, decode_content=False)
        if len(data) > limit:
            raise AnswerTooLarge(limit)
        return bytes(data)
    decoder = _Decoder(encoding)
    pieces: list[bytes] = []
    decoded = encoded = 0
    while True:
        chunk = raw.read(_ENCODED_PIECE, decode_content=False)
        if not chunk:
            break
        encoded += len(chunk)
        if encoded > limit:
            raise AnswerTooLarge(limit)
        for piece in decoder.decode(chunk, limit + 1 - decoded):
            decoded += len(piece)
            pieces.append(piece)
        if decoded > limit or decoder.overflowing:
            raise AnswerTooLarge(limit)
    if length is not None and encoded < length:
        raise urllib3.exceptions.ProtocolError("the body was cut short")
    return b"".join(pieces)


def read_callers(response: requests.Response, limit: int) -> bytes:
    """The whole body of an answer from a caller's session, at most ``limit`` bytes.

    Its adapter may have built the answer without a raw stream, or a hook may have read
    the body already; ``iter_content`` handles both.
    """
    if response.raw is None:
        content = response.content or b""
        if len(content) > limit:
            raise AnswerTooLarge(limit)
        return content
    encoded = response.headers.get("Content-Encoding", "").strip().lower() not in ("", "identity")
    pieces: list[bytes] = []
    total = 0
    for piece in response.iter_content(_CALLER_ENCODED_PIECE if encoded else _CALLER_PIECE):
        total += len(piece)
        if total > limit:
            raise AnswerTooLarge(limit)
        pieces.append(piece)
    return b"".join(pieces)


def content_length(headers: Mapping[str, str]) -> Optional[int]:
    """The body's announced length, ``None`` if it has none (chunked, or until close).

    Repeated values must agree (``10, 10``); disagreeing, negative or non-numeric ones
    make the answer garbled (urllib3's ``ProtocolError``).
    """
    if "chunked" in headers.get("Transfer-Encoding", "").lower():
        return None
    value = headers.get("Content-Length")
    if value is None:
        return None
    values = {part.strip() for part in value.split(",")}
    if len(values) != 1:
        raise urllib3.exceptions.ProtocolError("conflicting Content-Length headers")
    (text,) = values
    if not text.isdigit() or not text.isascii() or len(text) > 18:
        raise urllib3.exceptions.ProtocolError("an invalid Content-Length header")
    return int(text)


class _Decoder:
    """gzip (several members allowed) or deflate (zlib-wrapped or raw), never producing
    more than asked for at once: what does not fit stays compressed."""

    def __init__(self, encoding: str) -> None:
        if encoding in ("gzip", "x-gzip"):
            self._wbits = 16 + zlib.MAX_WBITS
        elif encoding == "deflate":
            self._wbits = zlib.MAX_WBITS
        else:
            raise UnreadableAnswer(f"an unsupported Content-Encoding: {encoding[:40]!r}")
        self._gzip = self._wbits > zlib.MAX_WBITS
        self._inflater: Any = zlib.decompressobj(self._wbits)
        self._started = False
        self.overflowing = False

    def decode(self, data: bytes, room: int) -> list[bytes]:
        """Decompress ``data``, producing at most ``room`` bytes; ``overflowing`` tells
        whether more would have come."""
        pieces: list[bytes] = []
        while data:
            if room <= 0:
                self.overflowing = True
                break
            try:
                piece = self._inflater.decompress(data, room)
            except zlib.error as exc:
                if self._started or self._gzip or self._wbits < 0:
                    why = f"a garbled compressed body: {exc}"
                    raise urllib3.exceptions.DecodeError(why) from exc
                # "deflate" sent as a raw stream, without zlib's header, as some servers do.
                self._wbits = -zlib.MAX_WBITS
                self._inflater = zlib.decompressobj(self._wbits)
                continue
            self._started = True
            room -= len(piece)
            if piece:
                pieces.append(piece)
            data = self._inflater.unconsumed_tail
            if self._inflater.eof:
                rest = self._inflater.unused_data
                if not (self._gzip and rest.strip(b"\0")):
                    break  # the stream ended; trailing padding is ignored
                self._inflater = zlib.decompressobj(self._wbits)  # another gzip member
                data = rest + data
        return pieces


class _Guard:
    """One body read under watch: the socket to shut down if its deadline passes."""

    __slots__ = ("connection", "copy", "fired", "raw", "sock")

    def __init__(self, raw: Any, connection: Any, sock: socket.socket, copy: bool) -> None:
        self.raw = raw
        self.connection = connection
        self.sock: Optional[socket.socket] = sock
        self.copy: Optional[socket.socket] = sock if copy else None
        self.fired = False


def lock_timeout(seconds: Optional[float]) -> Optional[float]:
    """``seconds`` as a lock or condition wait can take it: a wait longer than the platform's
    clock can count (``threading.TIMEOUT_MAX``, which overflows) is a wait without end."""
    return seconds if seconds is not None and seconds < threading.TIMEOUT_MAX else None


class Watchdog:
    """One thread per process that shuts down the connection of a body read still
    running when its call's deadline passes.

    The thread starts with the first call that has a deadline, sleeps until the earliest
    deadline being watched, and is a daemon; after ``os.fork()`` the child starts its own
    (a fork hook forgets the parent's). It touches nothing but the sockets it is given.
    """

    def __init__(self) -> None:
        self._wake = threading.Condition(threading.Lock())
        self._due: list[tuple[float, int, _Guard]] = []
        self._count = itertools.count()
        self._watched = 0
        self._thread: Optional[threading.Thread] = None

    def watch(self, response: requests.Response, at: float) -> Optional[_Guard]:
        """Start watching the body read of ``response``, to end by ``at`` (monotonic).

        ``None`` when the answer has no socket of its own to watch (a test double's), or
        when ``at`` is not a finite time: a deadline that never comes needs no watching.
        """
        if not math.isfinite(at):
            return None
        raw = response.raw
        connection = getattr(raw, "connection", None)  # urllib3's HTTPResponse.connection
        sock = getattr(connection, "sock", None)
        owned_copy = False
        if not isinstance(sock, socket.socket):
            # An answer that closes its connection took the socket over from it
            # (http.client drops ``sock``): watch a duplicate of its file descriptor.
            try:
                sock = socket.socket(fileno=os.dup(raw.fileno()))
            except (AttributeError, OSError, ValueError):
                return None
            owned_copy = True
        guard = _Guard(raw, connection, sock, owned_copy)
        with self._wake:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="abeja-models-deadline", daemon=True
                )
                self._thread.start()
            heapq.heappush(self._due, (at, next(self._count), guard))
            self._watched += 1
            if self._due[0][2] is guard:
                self._wake.notify()
        return guard

    def release(self, guard: Optional[_Guard]) -> bool:
        """Stop watching (again, or ``None``: nothing to do); whether the deadline had shut
        the connection down."""
        if guard is None:
            return False
        with self._wake:
            if guard.sock is not None:
                guard.sock = None
                self._watched -= 1
                # The entry may wait in the heap a while: it must not keep the connection
                # (and its socket) alive once the pool has let it go.
                guard.raw = guard.connection = None
                # Finished reads leave their entries behind; sweep them when they dominate.
                if len(self._due) > 64 and len(self._due) > 4 * self._watched:
                    self._due = [entry for entry in self._due if entry[2].sock is not None]
                    heapq.heapify(self._due)
            copy, guard.copy = guard.copy, None
        if copy is not None:
            copy.close()
        return guard.fired

    def _run(self) -> None:
        with self._wake:
            try:
                while True:
                    now = time.monotonic()
                    while self._due and self._due[0][2].sock is None:
                        heapq.heappop(self._due)
                    due = self._due[0][0] if self._due else math.inf
                    if due > now:
                        self._wake.wait(lock_timeout(due - now))
                    else:
                        self._fire(heapq.heappop(self._due)[2])
            finally:
                # Should this thread ever fail, the next watch starts another.
                self._thread = None

    def _fire(self, guard: _Guard) -> None:
        sock, guard.sock = guard.sock, None
        self._watched -= 1
        # Only while the answer still holds its connection: once the whole body is read,
        # urllib3 hands the connection back to the pool for another call.
        if sock is not None and getattr(guard.raw, "connection", None) is guard.connection:
            guard.fired = True
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


_watchdog: Optional[Watchdog] = None


def current_watchdog() -> Watchdog:
    """This process's watchdog; a child after ``os.fork()`` gets a fresh one.

    No lock: a lock held by another thread at the fork would stay held in the child.
    Two threads racing here may each make one; both work, and one is kept.
    """
    global _watchdog
    if _watchdog is None:
        _watchdog = Watchdog()
    return _watchdog


def _forget_watchdog() -> None:
    # The parent's watchdog thread does not exist in a child.
    global _watchdog
    _watchdog = None


if hasattr(os, "register_at_fork"):  # where there is no hook, there is no os.fork either
    os.register_at_fork(after_in_child=_forget_watchdog)
