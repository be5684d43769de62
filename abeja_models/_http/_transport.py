"""``Transport``: sends ``ApiRequest`` objects through a session's ``send``, with retries.

Every attempt goes through ``requests.Session.send``, so whatever patches or wraps
requests' public API (requests-mock, responses, vcrpy, betamax, requests-cache, a
caller's adapters) sees it. Redirects are never followed, so the credentials reach
only the API's origin. Each body is read within ``max_answer_bytes`` and, when the call
has a deadline, before it (see ``_body``).
"""

from __future__ import annotations

import json
import logging
import socket
import time
from typing import Optional
from urllib.parse import urlencode

import requests
import urllib3.exceptions

from .._config import Settings
from ..errors import APIConnectionError, APITimeoutError, NotFound
from . import _retry
from ._body import UnreadableAnswer, current_watchdog, read_callers, read_owned
from ._decode import error_for_answer, unusable_answer
from ._request import Answer, ApiRequest
from ._session import DEFAULT_HEADERS, NO_COOKIES, Connection, CredentialAuth

logger = logging.getLogger("abeja_models")

# What requests, urllib3 and the socket underneath raise for an attempt that went wrong.
_ATTEMPT_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, OSError)


class _NoAnswer(Exception):
    """One attempt that got no usable answer, and whether the server may have seen it."""

    def __init__(
        self, error: APIConnectionError, *, reached_server: bool, lasting: bool = False
    ) -> None:
        super().__init__(str(error))
        self.error = error
        self.reached_server = reached_server
        self.lasting = lasting


class Transport:
    """Sends ``ApiRequest`` objects; hands back each 2xx ``Answer``, or raises its typed error."""

    def __init__(
        self,
        settings: Settings,
        connection: Optional[Connection] = None,
        *,
        session: Optional[requests.Session] = None,
    ) -> None:
        self.settings = settings
        self._connection = connection or Connection(settings, session)
        self._headers = DEFAULT_HEADERS
        credentials = settings.credentials
        self._auth = CredentialAuth(credentials) if credentials is not None else None
        self._template = requests.Request(
            "GET", settings.base_url, headers=self._headers, auth=self._auth, cookies=NO_COOKIES
        ).prepare()

    def derive(self, settings: Settings) -> Transport:
        """A transport with other settings that shares this one's session and pool."""
        return Transport(settings, self._connection)

    def close(self) -> None:
        """Close the pooled connections of a session this SDK made."""
        self._connection.close()

    def __repr__(self) -> str:
        return f"<Transport {self.settings.base_url} credentials={self.settings.credentials!r}>"

    def delete(self, request: ApiRequest) -> None:
        """Send a DELETE; done when the resource is gone, whichever attempt removed it.

        A retry that finds nothing after an attempt whose answer was lost is told 404:
        that attempt did the deleting, so the call has succeeded.
        """
        try:
            self.send(request)
        except NotFound as error:
            if not error.after_lost_answer:
                raise
            logger.info("DELETE %s: already done by an earlier attempt", request.path)

    def send(self, request: ApiRequest) -> Answer:
        """Send with retries; return a 2xx answer or raise a typed error."""
        settings = self.settings
        method = request.method
        url = settings.base_url + request.path
        if request.query:
            url += "?" + urlencode(request.query)
        body = None
        if request.body is not None:
            body = json.dumps(request.body, separators=(",", ":"), ensure_ascii=False).encode()
        started = time.monotonic()
        give_up_at = started + settings.deadline if settings.deadline is not None else None
        attempt = 0
        answer_lost = False  # an earlier attempt may have been carried out
        while True:
            attempt += 1
            try:
                answer = self._attempt(method, url, body, give_up_at)
            except _NoAnswer as failure:
                outcome = _retry.Outcome.no_answer(
                    reached_server=failure.reached_server, lasting=failure.lasting
                )
                if not _retry.should_retry(method, outcome, attempt, settings.max_retries):
                    raise failure.error from failure.__cause__
                why = str(failure.error)
            else:
                if 200 <= answer.status < 300:
                    self._log_done(request, answer.status, started, attempt)
                    return answer
                retry_after = _retry.parse_retry_after(answer.headers.get("Retry-After"))
                outcome = _retry.Outcome.answer(answer.status, retry_after)
                if not _retry.should_retry(method, outcome, attempt, settings.max_retries):
                    self._log_done(request, answer.status, started, attempt)
                    raise error_for_answer(answer, after_lost_answer=answer_lost)
                why = f"status {answer.status}"
            answer_lost = answer_lost or _retry.may_have_acted(outcome)
            pause = _retry.retry_pause(
                attempt,
                outcome.retry_after,
                base=settings.backoff_base,
                ceiling=settings.backoff_max,
            )
            self._log_retry(request, attempt, why, pause)
            if give_up_at is not None and time.monotonic() + pause >= give_up_at:
                raise self._out_of_time(method, url, f"would pass before attempt {attempt + 1}")
            time.sleep(pause)

    def _attempt(
        self, method: str, url: str, body: Optional[bytes], give_up_at: Optional[float]
    ) -> Answer:
        connection, auth = self._connection, self.settings.credentials
        timeout = self._attempt_timeout(method, url, give_up_at)
        wait = None if give_up_at is None else give_up_at - time.monotonic()
        session = connection.acquire(wait, method, url)
        try:
            prepared = self._prepare(session, method, url, body)
            try:
                response = session.send(
                    prepared,
                    timeout=timeout,
                    allow_redirects=False,
                    **connection.send_options(url, self.settings.verify),
                )
                try:
                    content = self._body(response, give_up_at, method, url)
                finally:
                    if response.raw is not None:
                        response.close()
            except UnreadableAnswer as exc:
                unread = Answer(method, url, response.status_code, response.headers, b"", auth)
                raise unusable_answer(str(exc), unread) from None
            except requests.exceptions.SSLError as exc:
                # A certificate problem does not heal by retrying; report it at once.
                raise APIConnectionError(
                    f"TLS failed: {exc.__class__.__name__}", method=method, url=url
                ) from exc
            except _ATTEMPT_ERRORS as exc:
                raise _no_answer(exc, method, url) from exc
        finally:
            connection.release()
        return Answer(method, url, response.status_code, response.headers, content, auth)

    def _body(
        self, response: requests.Response, give_up_at: Optional[float], method: str, url: str
    ) -> bytes:
        limit = self.settings.max_answer_bytes
        read = read_owned if self._connection.owned else read_callers
        if give_up_at is None:
            return read(response, limit)  # each wait for data bounded by the read timeout
        watchdog = current_watchdog()
        guard = watchdog.watch(response, give_up_at)
        try:
            content = read(response, limit)
        except _ATTEMPT_ERRORS as exc:
            if watchdog.release(guard) or time.monotonic() >= give_up_at:
                raise self._out_of_time(method, url, "ran out reading the answer") from exc
            raise
        finally:
            shut_down = watchdog.release(guard)
        if shut_down:  # a body that ends with its connection reads as complete when shut down
            raise self._out_of_time(method, url, "ran out reading the answer")
        return content

    def _out_of_time(self, method: str, url: str, what: str) -> APITimeoutError:
        deadline = self.settings.deadline
        return APITimeoutError(f"deadline of {deadline:g}s {what}", method=method, url=url)

    def _prepare(
        self, session: requests.Session, method: str, url: str, body: Optional[bytes]
    ) -> requests.PreparedRequest:
        if not self._connection.owned:
            # A caller's session may add headers, hooks and cookies of its own.
            headers = self._headers
            if body is not None:
                headers = {**headers, "Content-Type": "application/json"}
            request = requests.Request(method, url, headers=headers, data=body, auth=self._auth)
            return session.prepare_request(request)
        # A session made here adds nothing, and every URL is already canonical (a checked
        # base URL, percent-encoded segments, an encoded query): copy a request prepared
        # once and point it elsewhere, as requests itself does when it follows a redirect.
        prepared = self._template.copy()
        prepared.method = method
        prepared.url = url
        if body is not None:
            prepared.headers["Content-Type"] = "application/json"
            prepared.prepare_body(body, None)
        elif method in ("POST", "PUT"):
            prepared.prepare_body(b"", None)
        return prepared

    def _attempt_timeout(
        self, method: str, url: str, give_up_at: Optional[float]
    ) -> tuple[float, float]:
        connect, read = self.settings.timeout
        if give_up_at is None:
            return connect, read
        remaining = give_up_at - time.monotonic()
        if remaining <= 0:
            raise self._out_of_time(method, url, "ran out")
        return min(connect, remaining), min(read, remaining)

    def _log_done(self, request: ApiRequest, status: int, started: float, attempt: int) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            elapsed = (time.monotonic() - started) * 1000
            logger.debug(
                "%s %s -> %s in %.1f ms (attempt %d)",
                request.method,
                request.path,
                status,
                elapsed,
                attempt,
            )

    def _log_retry(self, request: ApiRequest, attempt: int, why: str, pause: float) -> None:
        logger.info(
            "%s %s failed (%s); retry %d/%d in %.2fs",
            request.method,
            request.path,
            why,
            attempt,
            self.settings.max_retries,
            pause,
        )


def _no_answer(exc: Exception, method: str, url: str) -> _NoAnswer:
    """Name a failed attempt, and tell whether its request may have reached the server."""
    error: type[APIConnectionError] = APIConnectionError
    reached_server, lasting = True, False
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        error, what, reached_server = APITimeoutError, "connect timed out", False
    elif isinstance(exc, requests.exceptions.ReadTimeout) or _caused_by(
        exc, urllib3.exceptions.ReadTimeoutError
    ):
        error, what = APITimeoutError, "read timed out"
    elif isinstance(exc, requests.exceptions.ProxyError):
        what, reached_server = "could not connect through the proxy", False
    elif _caused_by(exc, urllib3.exceptions.NewConnectionError):
        what, lasting = _why_not_connected(exc)
        reached_server = False
    elif isinstance(exc, requests.exceptions.ConnectionError):
        what = "connection dropped before an answer"
    else:
        what = "the answer was cut off or garbled"
    return _NoAnswer(
        error(what, method=method, url=url), reached_server=reached_server, lasting=lasting
    )


def _why_not_connected(exc: BaseException) -> tuple[str, bool]:
    """Why a connection could not be made, and whether that lasts: a host name that does
    not resolve is not retried; a refused or unreachable one may come back."""
    seen: Optional[BaseException] = exc
    while seen is not None:
        if isinstance(seen, urllib3.exceptions.MaxRetryError) and seen.reason is not None:
            seen = seen.reason
            continue
        if isinstance(seen, socket.gaierror):
            lasting = seen.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None))
            return f"could not connect: the host name did not resolve ({seen.strerror})", lasting
        if isinstance(seen, ConnectionRefusedError):
            return "could not connect: the connection was refused", False
        if isinstance(seen, OSError) and seen.strerror:
            return f"could not connect: {seen.strerror}", False
        wrapped = seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None
        seen = seen.__cause__ or seen.__context__ or wrapped
    return "could not connect", False


def _caused_by(exc: Exception, kind: type[Exception]) -> bool:
    """Whether requests wrapped an error of ``kind`` (directly or in urllib3's MaxRetryError)."""
    if isinstance(exc, kind):
        return True
    reason = exc.args[0] if exc.args else None
    if isinstance(reason, urllib3.exceptions.MaxRetryError):
        reason = reason.reason
    return isinstance(reason, kind)
