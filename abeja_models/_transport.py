"""The one place that talks HTTP: connection reuse, credentials, retries and error mapping.

Why requests is driven through its adapter: ``Session.request`` merges environment,
proxy, cookie and hook settings and re-parses the URL on every call, which costs more
than the call itself on a fast network. The transport merges those settings once per
client, keeps the headers ready, and sends each prepared request through the session's
pooled adapter. Cookies are not used by the platform's API and redirects are never
followed (so credentials cannot leak to another host).

Retry policy (``max_retries`` extra attempts, exponential backoff with jitter, honouring
``Retry-After``):

=========================  ==============================================================
GET, PUT, DELETE           connection failures, read timeouts, truncated bodies,
                           429, 500, 502, 503, 504
POST (create, start, stop) only when the request certainly was not processed:
                           connection not established, 429, 503
=========================  ==============================================================
"""

from __future__ import annotations

import email.utils
import gc
import json
import logging
import random
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from http import HTTPStatus
from typing import Any, NamedTuple, NoReturn, Optional, TypeVar, Union, cast
from urllib.parse import urlencode

import pydantic
import requests
import urllib3
import urllib3.connection
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import select_proxy
from urllib3.connectionpool import ConnectionPool
from urllib3.exceptions import MaxRetryError, NewConnectionError

from ._config import Settings
from ._version import __version__
from .errors import (
    APIConnectionError,
    APITimeoutError,
    InvalidResponseError,
    NotFound,
    Unauthorized,
    error_class_for_status,
)
from .models._requests import ApiRequest

logger = logging.getLogger("abeja_models")

ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)

USER_AGENT = f"abeja-models/{__version__}"
RETRIABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# A POST may be retried only on answers that say the server did not act on it.
POST_RETRIABLE_STATUSES = frozenset({429, 503})
MAX_RETRY_AFTER = 60.0


class _Answer(NamedTuple):
    """What came back from one attempt: status, headers and the whole body."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class _Attempt(Exception):
    """One failed attempt, with what is known about whether the server processed it."""

    def __init__(self, error: APIConnectionError, *, sent: bool) -> None:
        super().__init__(str(error))
        self.error = error
        self.sent = sent


class _QuietHTTPConnection(urllib3.connection.HTTPConnection):
    # http.client's wire dump (HTTPConnection.debuglevel = 1) prints request headers,
    # the Authorization header included; these connections never take part in it.
    debuglevel = 0


class _QuietHTTPSConnection(urllib3.connection.HTTPSConnection):
    debuglevel = 0


class _QuietHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _QuietHTTPConnection


class _QuietHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _QuietHTTPSConnection


_QUIET_POOLS = {"http": _QuietHTTPPool, "https": _QuietHTTPSPool}


class _ApiAdapter(HTTPAdapter):
    """The adapter for one API origin: quiet connections, no per-call proxy or cookie work.

    ``requests`` looks up proxies, re-derives the connection pool and copies cookies on
    every send; for an API reached without a proxy and without cookies, that work is
    done once here. With a proxy, requests' own path is taken unchanged.
    """

    def __init__(self, pool_size: int) -> None:
        super().__init__(pool_connections=1, pool_maxsize=pool_size, pool_block=True, max_retries=0)
        self._direct_pool: Optional[urllib3.HTTPConnectionPool] = None

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _QUIET_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> urllib3.ProxyManager:
        manager: urllib3.ProxyManager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _QUIET_POOLS
        return manager

    def get_connection_with_tls_context(
        self,
        request: requests.PreparedRequest,
        verify: Union[bool, str, None],
        proxies: Optional[Mapping[str, str]] = None,
        cert: Union[str, tuple[str, str], None] = None,
    ) -> ConnectionPool:
        if proxies:
            return super().get_connection_with_tls_context(request, verify, proxies, cert)
        # One origin per adapter (see _Pool), so its pool can be kept until it is closed.
        pool = self._direct_pool
        if pool is None or pool.pool is None:
            fresh = super().get_connection_with_tls_context(request, verify, proxies, cert)
            self._direct_pool = pool = cast(urllib3.HTTPConnectionPool, fresh)
        return pool

    def request_url(
        self, request: requests.PreparedRequest, proxies: Optional[Mapping[str, str]]
    ) -> str:
        if proxies:
            return super().request_url(request, proxies)
        return request.path_url

    def build_response(
        self, req: requests.PreparedRequest, resp: urllib3.BaseHTTPResponse
    ) -> requests.Response:
        response = requests.Response()
        response.status_code = resp.status
        response.headers = CaseInsensitiveDict(resp.headers)
        response.raw = resp
        response.reason = resp.reason or ""
        response.url = req.url or ""
        response.request = req
        response.connection = self
        return response

    def close(self) -> None:
        self._direct_pool = None
        super().close()


class _Pool:
    """The pooled connections and merged environment settings one client family shares.

    A pool serves one API origin: clients derived with ``with_options`` share it.
    """

    def __init__(self, settings: Settings) -> None:
        self.session = requests.Session()
        self.adapter = _ApiAdapter(settings.pool_size)
        self.session.mount("https://", self.adapter)
        self.session.mount("http://", self.adapter)
        merged = self.session.merge_environment_settings(
            settings.base_url, {}, None, settings.verify, None
        )
        # Only the proxy that applies to the API's URL matters; none means a direct pool.
        proxy = select_proxy(settings.base_url, merged["proxies"])
        self.proxies: dict[str, str] = dict(merged["proxies"]) if proxy else {}
        verify = merged["verify"]
        self.verify: Union[bool, str] = True if verify is None else verify
        self.cert: Any = merged["cert"]

    def close(self) -> None:
        self.session.close()


class Transport:
    """Sends ``ApiRequest`` objects and turns answers into JSON, models or errors."""

    def __init__(self, settings: Settings, pool: Optional[_Pool] = None) -> None:
        self.settings = settings
        self._pool = pool or _Pool(settings)
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
            "Accept-Encoding": "gzip, deflate",
            "Connection": "keep-alive",
            **settings.extra_headers,
        }
        if settings.credentials is not None:
            headers["Authorization"] = settings.credentials.header_value
        self._headers = headers

    def derive(self, settings: Settings) -> Transport:
        """A transport with other settings that shares this one's connection pool."""
        return Transport(settings, self._pool)

    def close(self) -> None:
        """Close the pooled connections."""
        self._pool.close()

    def __repr__(self) -> str:
        return f"<Transport {self.settings.base_url} credentials={self.settings.credentials!r}>"

    # -- decoding -------------------------------------------------------------------------

    def model(self, request: ApiRequest, model_type: type[ModelT]) -> ModelT:
        """Send the request and validate its body as ``model_type`` in one pass."""
        url, content = self.send(request)
        return parse_model(model_type, content, url)

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

    # -- sending --------------------------------------------------------------------------

    def send(self, request: ApiRequest) -> tuple[str, bytes]:
        """Send with retries; return ``(url, body)`` of a 2xx answer or raise a typed error."""
        settings = self.settings
        url = settings.base_url + request.path
        if request.query:
            url += "?" + urlencode(request.query)
        body = None
        if request.body is not None:
            body = json.dumps(request.body, separators=(",", ":"), ensure_ascii=False).encode()
        is_post = request.method == "POST"
        started = time.monotonic()
        give_up_at = started + settings.deadline if settings.deadline is not None else None
        attempt = 0
        answer_lost = False  # an earlier attempt may have been carried out
        while True:
            attempt += 1
            timeout = self._attempt_timeout(request.method, url, give_up_at)
            try:
                answer = self._send_once(request.method, url, body, timeout)
            except _Attempt as failure:
                retriable = not (is_post and failure.sent)
                if not retriable or attempt > settings.max_retries:
                    raise failure.error from failure.__cause__
                answer_lost = answer_lost or failure.sent
                pause = self._backoff(attempt, None)
                self._log_retry(request, attempt, str(failure.error), pause)
            else:
                status = answer.status
                if 200 <= status < 300:
                    self._log_done(request, status, started, attempt)
                    return url, answer.body
                allowed = POST_RETRIABLE_STATUSES if is_post else RETRIABLE_STATUSES
                retry_after = parse_retry_after(answer.headers.get("Retry-After"))
                if (
                    status not in allowed
                    or attempt > settings.max_retries
                    or (retry_after is not None and retry_after > MAX_RETRY_AFTER)
                ):
                    self._log_done(request, status, started, attempt)
                    self._raise_for_status(answer, url, answer_lost)
                answer_lost = answer_lost or status not in POST_RETRIABLE_STATUSES
                pause = self._backoff(attempt, retry_after)
                self._log_retry(request, attempt, f"status {status}", pause)
            if give_up_at is not None and time.monotonic() + pause >= give_up_at:
                raise APITimeoutError(
                    f"deadline of {settings.deadline:g}s would pass before attempt {attempt + 1}",
                    method=request.method,
                    url=url,
                )
            time.sleep(pause)

    def _send_once(
        self, method: str, url: str, body: Optional[bytes], timeout: tuple[float, float]
    ) -> _Answer:
        prepared = requests.PreparedRequest()
        prepared.method = method
        prepared.url = url
        headers = CaseInsensitiveDict(self._headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
            headers["Content-Length"] = str(len(body))
        elif method in ("POST", "PUT"):
            headers["Content-Length"] = "0"
        prepared.headers = headers
        prepared.body = body
        pool = self._pool
        try:
            response = pool.adapter.send(
                prepared,
                stream=False,
                timeout=timeout,
                verify=pool.verify,
                cert=pool.cert,
                proxies=pool.proxies,
            )
            # One read of the whole body: the chunked reads of Response.content cost more
            # than validating a large page.
            answer = _Answer(
                response.status_code, response.headers, response.raw.read(decode_content=True)
            )
        except urllib3.exceptions.ReadTimeoutError as exc:
            raise _Attempt(
                APITimeoutError("read timed out", method=method, url=url), sent=True
            ) from exc
        except urllib3.exceptions.HTTPError as exc:
            raise _Attempt(
                APIConnectionError("the answer was cut off or garbled", method=method, url=url),
                sent=True,
            ) from exc
        except requests.exceptions.ConnectTimeout as exc:
            raise _Attempt(
                APITimeoutError("connect timed out", method=method, url=url), sent=False
            ) from exc
        except requests.exceptions.ReadTimeout as exc:
            raise _Attempt(
                APITimeoutError("read timed out", method=method, url=url), sent=True
            ) from exc
        except requests.exceptions.SSLError as exc:
            # A certificate problem does not heal by retrying; report it at once.
            raise APIConnectionError(
                f"TLS failed: {exc.__class__.__name__}", method=method, url=url
            ) from exc
        except requests.exceptions.ConnectionError as exc:
            not_sent = _connection_never_established(exc)
            what = "could not connect" if not_sent else "connection dropped before an answer"
            if _is_timeout(exc):
                raise _Attempt(
                    APITimeoutError("read timed out", method=method, url=url), sent=True
                ) from exc
            raise _Attempt(
                APIConnectionError(what, method=method, url=url), sent=not not_sent
            ) from exc
        return answer

    def _attempt_timeout(
        self, method: str, url: str, give_up_at: Optional[float]
    ) -> tuple[float, float]:
        connect, read = self.settings.timeout
        if give_up_at is None:
            return connect, read
        remaining = give_up_at - time.monotonic()
        if remaining <= 0:
            raise APITimeoutError(
                f"deadline of {self.settings.deadline:g}s ran out", method=method, url=url
            )
        return min(connect, remaining), min(read, remaining)

    def _backoff(self, attempt: int, retry_after: Optional[float]) -> float:
        settings = self.settings
        ceiling = min(settings.backoff_max, settings.backoff_base * 2.0 ** (attempt - 1))
        pause = ceiling * (0.5 + random.random() / 2)
        if retry_after is not None:
            pause = max(pause, retry_after)
        return pause

    def _raise_for_status(self, answer: _Answer, url: str, after_lost_answer: bool) -> NoReturn:
        status = answer.status
        error_class = error_class_for_status(status)
        text = answer.body.decode("utf-8", errors="replace")
        reason = _reason(status)
        error, description = reason, _snippet(text) or reason
        try:
            payload = json.loads(text)
        except ValueError:
            payload = None
        if isinstance(payload, dict):
            error = str(payload.get("error") or reason)
            description = str(
                payload.get("error_description") or payload.get("message") or description
            )
        if 300 <= status < 400:
            location = answer.headers.get("Location", "?")
            description = f"redirect to {location} not followed; point base_url at it instead"
        if error_class is Unauthorized and self.settings.credentials is None:
            description += (
                " (no credentials configured: pass auth_token= or set PLATFORM_AUTH_TOKEN, or"
                " ABEJA_PLATFORM_USER_ID and ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN)"
            )
        raise error_class(
            status, error, description, url=url, body=text, after_lost_answer=after_lost_answer
        )

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


def decode_json(content: bytes, url: str) -> Any:
    """Decode a successful answer's body, or raise ``InvalidResponseError``."""
    try:
        return json.loads(content)
    except ValueError:
        raise _invalid(content, url, "the body is not JSON") from None


def parse_model(model_type: type[ModelT], content: bytes, url: str) -> ModelT:
    """Validate a successful answer's body as ``model_type``, or raise InvalidResponseError."""
    try:
        if len(content) < LARGE_BODY:
            return model_type.model_validate_json(content)
        with _collector_paused():
            return model_type.model_validate_json(content)
    except pydantic.ValidationError as exc:
        raise _invalid(content, url, _first_problem(exc)) from None


LARGE_BODY = 64 * 1024


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector out of one large validation.

    A page of a thousand runs creates thousands of new containers, none in a cycle; the
    collector would scan them again at every young-generation pass while the page is being
    built (a fifth of the time of a page). Reference counting still frees everything; the
    collector runs as usual once the page is built. A collector the caller disabled is
    left disabled.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def validate_model(model_type: type[ModelT], data: Any, url: str) -> ModelT:
    """Validate already decoded JSON as ``model_type``, or raise InvalidResponseError."""
    try:
        return model_type.model_validate(data)
    except pydantic.ValidationError as exc:
        body = json.dumps(data, default=str).encode()
        raise _invalid(body, url, _first_problem(exc)) from None


def _first_problem(exc: pydantic.ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "body"
    return f"{where}: {first['msg']}"


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _invalid(content: bytes, url: str, why: str) -> InvalidResponseError:
    text = content.decode("utf-8", errors="replace")
    shown = _snippet(text) or "(empty body)"
    return InvalidResponseError(200, "invalid_response", f"{why}: {shown}", url=url, body=text)


def _connection_never_established(exc: requests.exceptions.ConnectionError) -> bool:
    reason = exc.args[0] if exc.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, NewConnectionError) or isinstance(exc, requests.exceptions.ProxyError)


def _is_timeout(exc: requests.exceptions.ConnectionError) -> bool:
    return "timed out" in str(exc).lower()


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


def _snippet(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


__all__ = ["Transport", "decode_json", "parse_model", "parse_retry_after", "validate_model"]
