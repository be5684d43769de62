"""The ``requests.Session`` a client sends through: made and pooled here, or the caller's."""

from __future__ import annotations

import os
import queue
import weakref
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Optional, Union
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase
from requests.cookies import RequestsCookieJar
from requests.structures import CaseInsensitiveDict

from .._config import Credentials, Settings, check_verify, is_loopback
from .._version import __version__
from ..errors import APITimeoutError, ValidationError
from ._body import lock_timeout

USER_AGENT = f"abeja-models/{__version__}"


class CredentialAuth(AuthBase):
    """Puts the client's credentials on a request, as requests' own auth classes do.

    Given as the request's ``auth``, it takes precedence over a session's ``auth`` and
    over ``~/.netrc``, which requests would otherwise apply.
    """

    def __init__(self, credentials: Credentials) -> None:
        self._credentials = credentials

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = self._credentials.header_value
        return request

    def __repr__(self) -> str:
        return f"<CredentialAuth {self._credentials!r}>"


class Connection:
    """The session that one client, and every client derived from it, sends through.

    Without a session from the caller, a new one is made with a bounded pool of
    keep-alive connections to the API, and closed by ``close()``. A caller's session is
    used as it is (its adapters, hooks, headers, proxies and certificates apply) and
    never closed here.

    A session made here is fork-safe: in a child process (``os.fork``, multiprocessing's
    fork start method, a preforking server) it is replaced by a fresh session and pool
    as the child starts, leaving the parent's connections to the parent. A caller's
    session is the caller's to replace in the child.
    """

    def __init__(self, settings: Settings, session: Optional[requests.Session] = None) -> None:
        self.owned = session is None
        self._settings = settings
        self._direct = is_loopback(urlsplit(settings.base_url).hostname or "")
        self._session = _new_session(settings.pool_size) if session is None else session
        # Reading the environment's proxy and CA settings costs more than a local call;
        # for a session made here, it is done once.
        self._options: Optional[dict[str, Any]] = None
        # Threads beyond the pool's size wait here, where the wait can be bounded.
        self._slots: Optional[queue.SimpleQueue[None]] = None
        if self.owned:
            self._options = _bundle_checked(self._merged(settings.base_url, settings.verify))
            self._slots = _slots(settings.pool_size)
            _OWNED.add(self)

    def _renew(self) -> None:
        """In a child process: a session, pool and semaphore of its own."""
        # The parent's session is dropped, not closed: closing would shut connections
        # (and TLS sessions) the parent still uses. Its semaphore may have been held by
        # a thread that does not exist here.
        self._session = _new_session(self._settings.pool_size)
        self._slots = _slots(self._settings.pool_size)

    def send_options(self, url: str, verify: Union[bool, str]) -> dict[str, Any]:
        """What ``Session.send`` needs beside the request: proxies, TLS verification, cert."""
        if self._options is not None:
            return self._options
        # A caller's session keeps its own verification unless the client asked otherwise.
        return self._merged(url, None if verify is True else verify)

    def acquire(self, wait: Optional[float], method: str, url: str) -> requests.Session:
        """Take one of the pool's connections for a call, waiting at most ``wait``
        seconds; gives the session to send it through. ``release()`` gives it back."""
        slots = self._slots
        if slots is not None:
            try:
                slots.get(timeout=lock_timeout(None if wait is None else max(wait, 0.0)))
            except queue.Empty:
                raise APITimeoutError(
                    "the deadline ran out waiting for a free connection", method=method, url=url
                ) from None
        return self._session

    def release(self) -> None:
        """Give back the connection ``acquire()`` took."""
        if self._slots is not None:
            self._slots.put(None)

    def close(self) -> None:
        """Close the session if it was made here; a caller's session is left open."""
        if self.owned:
            self._session.close()

    def _merged(self, url: str, verify: Union[bool, str, None]) -> dict[str, Any]:
        options = dict(self._session.merge_environment_settings(url, {}, True, verify, None))
        if self._direct:
            # A loopback API is never reached through a proxy (that would carry the
            # credentials off this machine over plain http).
            options["proxies"] = {}
        return options


def _bundle_checked(options: dict[str, Any]) -> dict[str, Any]:
    """``options`` once the CA bundle the environment named (``REQUESTS_CA_BUNDLE``,
    ``CURL_CA_BUNDLE``, as requests reads them) passed the rule ``verify=`` obeys: one
    that does not exist would fail every call later, as a garbled answer."""
    verify = options.get("verify")
    if isinstance(verify, str):
        named = [name for name in _BUNDLE_VARIABLES if os.environ.get(name) == verify]
        check_verify(named[0] if named else "verify", verify)
    return options


# The variables requests reads a CA bundle from, in its order.
_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


def _slots(count: int) -> queue.SimpleQueue[None]:
    """``count`` tokens, one per connection: a semaphore whose take and give back run in C."""
    slots: queue.SimpleQueue[None] = queue.SimpleQueue()
    for _ in range(count):
        slots.put(None)
    return slots


# The SDK's own sessions, renewed in a child as it starts rather than checked on every
# call; held weakly, so a client no longer used is not kept alive for it.
_OWNED: weakref.WeakSet[Connection] = weakref.WeakSet()


def _renew_in_child() -> None:
    for connection in list(_OWNED):
        connection._renew()


# One hook for the process (a hook cannot be removed). Where there is no hook, there is
# no os.fork either.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_renew_in_child)


class _ApiAdapter(HTTPAdapter):
    """requests' adapter, remembering the pool it sends through, minus the cookie parsing
    of every answer (the API sets none), and closing its pooled connections when closed.

    requests looks the pool up again for every request (some 30 µs); a client sends to
    one origin with one set of TLS options, so the last pool found is remembered, keyed
    by everything the lookup reads. Both are requests' hooks for subclasses.
    """

    def __init__(self, pool_size: int) -> None:
        super().__init__(pool_connections=1, pool_maxsize=pool_size, max_retries=0)
        self._last: Optional[tuple[object, Any]] = None

    def _remembered(self, key: object) -> Any:
        last = self._last
        # A pool closed since (urllib3 1.26 closes one its pool manager drops) is looked
        # up again.
        if last is not None and last[0] == key and last[1].pool is not None:
            return last[1]
        return None

    def get_connection_with_tls_context(
        self,
        request: requests.PreparedRequest,
        verify: Union[bool, str, None],
        proxies: Optional[Mapping[str, str]] = None,
        cert: Union[tuple[str, str], str, None] = None,
    ) -> Any:
        """The pool for ``request`` (requests 2.32 and later): one per origin, verify,
        cert and proxies, so that each set of TLS options keeps a pool of its own."""
        key = (_origin(request.url or ""), verify, cert, _frozen(proxies))
        pool = self._remembered(key)
        if pool is None:
            pool = super().get_connection_with_tls_context(request, verify, proxies, cert)
            self._last = (key, pool)
        return pool

    def get_connection(self, url: Any, proxies: Optional[Mapping[str, str]] = None) -> Any:
        """The pool for ``url`` (requests before 2.32, which sets the TLS options on the
        pool for each request, after this)."""
        key = (_origin(str(url)), _frozen(proxies))
        pool = self._remembered(key)
        if pool is None:
            pool = super().get_connection(url, proxies)
            self._last = (key, pool)
        return pool

    def request_url(
        self, request: requests.PreparedRequest, proxies: Optional[Mapping[str, str]]
    ) -> str:
        """The path and query sent; through a proxy, whatever requests sends there."""
        path = request.path_url
        if proxies or path.startswith("//"):
            return super().request_url(request, proxies)
        return path

    def close(self) -> None:
        """Close every pooled connection now (one still in use, when it comes back)."""
        # urllib3 2's PoolManager.clear() only forgets its pools: their sockets would stay
        # open for as long as anything (an answer, a traceback) still refers to them. So
        # is the pool remembered: forgotten too, as is any pool closed (_remembered).
        self._last = None
        for manager in (self.poolmanager, *self.proxy_manager.values()):
            for key in manager.pools.keys():  # noqa: SIM118 (its iter() refuses: unsafe)
                pool = manager.pools.get(key)
                if pool is not None:
                    pool.close()
        super().close()

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


class _NoCookies(RequestsCookieJar):
    """A cookie jar that keeps nothing: the API sets no cookies worth sending back. Since
    it stays empty, one is shared by the session and every request sent through it."""

    def extract_cookies(self, response: object, request: object) -> None:
        return None

    def set_cookie(self, cookie: object, *args: object, **kwargs: object) -> None:
        return None

    def copy(self) -> _NoCookies:
        """This jar itself: a request copied for each call shares it."""
        return self


NO_COOKIES = _NoCookies()


def _origin(url: str) -> str:
    """A URL up to its path: two URLs that agree on it have the same scheme, host and port."""
    end = url.find("/", url.find("//") + 2)
    return url if end < 0 else url[:end]


def _frozen(proxies: Optional[Mapping[str, str]]) -> object:
    return frozenset(proxies.items()) if proxies else None


def _new_session(pool_size: int) -> requests.Session:
    session = requests.Session()
    session.cookies = NO_COOKIES
    adapter = _ApiAdapter(pool_size)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


DEFAULT_HEADERS: Mapping[str, str] = MappingProxyType(
    {
        "User-Agent": USER_AGENT,
        "Accept": "application/json",
        "Accept-Encoding": "gzip, deflate",
        "Connection": "keep-alive",
    }
)
"""The headers of every request, the ``Authorization`` header aside (read-only)."""


def checked_session(session: object) -> Optional[requests.Session]:
    """A caller's ``session=`` argument, refused unless it is a ``requests.Session``."""
    if session is None or isinstance(session, requests.Session):
        return session
    raise ValidationError("session", "a requests.Session (or a subclass of it), or None", session)
