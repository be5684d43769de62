"""The ``requests.Session`` a client sends through: made and pooled here, or the caller's."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType
from typing import Any, Optional, Union
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase
from requests.cookies import RequestsCookieJar
from requests.structures import CaseInsensitiveDict

from .._config import Credentials, Settings, is_loopback
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

    A session made here is fork-safe: the first call in a child process (``os.fork``,
    multiprocessing's fork start method, a preforking server) finds another pid and makes
    the child a fresh session and pool, leaving the parent's connections to the parent.
    A caller's session is the caller's to replace in the child.
    """

    def __init__(self, settings: Settings, session: Optional[requests.Session] = None) -> None:
        self.owned = session is None
        self._settings = settings
        self._direct = is_loopback(urlsplit(settings.base_url).hostname or "")
        self._pid = os.getpid()
        self._session = _new_session(settings.pool_size) if session is None else session
        # Reading the environment's proxy and CA settings costs more than a local call;
        # for a session made here, it is done once.
        self._options: Optional[dict[str, Any]] = None
        if self.owned:
            self._options = self._merged(settings.base_url, settings.verify)
        # Threads beyond the pool's size wait here, where the wait can be bounded.
        self._slots = threading.BoundedSemaphore(settings.pool_size) if self.owned else None

    def _renew_after_fork(self) -> None:
        if not self.owned or self._pid == os.getpid():
            return
        # The parent's session is dropped, not closed: closing would shut connections
        # (and TLS sessions) the parent still uses. Its semaphore may have been held by
        # a thread that does not exist here.
        settings = self._settings
        self._session = _new_session(settings.pool_size)
        self._slots = threading.BoundedSemaphore(settings.pool_size)
        self._pid = os.getpid()

    def send_options(self, url: str, verify: Union[bool, str]) -> dict[str, Any]:
        """What ``Session.send`` needs beside the request: proxies, TLS verification, cert."""
        if self._options is not None:
            return self._options
        # A caller's session keeps its own verification unless the client asked otherwise.
        return self._merged(url, None if verify is True else verify)

    @contextmanager
    def slot(self, wait: Optional[float], method: str, url: str) -> Iterator[requests.Session]:
        """Hold one of the pool's connections for a call, waiting at most ``wait`` seconds;
        gives the session to send it through."""
        self._renew_after_fork()
        slots = self._slots
        if slots is None:
            yield self._session
            return
        if not slots.acquire(timeout=lock_timeout(None if wait is None else max(wait, 0.0))):
            raise APITimeoutError(
                "the deadline ran out waiting for a free connection", method=method, url=url
            )
        try:
            yield self._session
        finally:
            slots.release()

    def close(self) -> None:
        """Close the session if it was made here; a caller's session is left open."""
        if self.owned and self._pid == os.getpid():
            self._session.close()

    def _merged(self, url: str, verify: Union[bool, str, None]) -> dict[str, Any]:
        options = dict(self._session.merge_environment_settings(url, {}, True, verify, None))
        if self._direct:
            # A loopback API is never reached through a proxy (that would carry the
            # credentials off this machine over plain http).
            options["proxies"] = {}
        return options


class _ApiAdapter(HTTPAdapter):
    """requests' adapter, minus the cookie parsing of every answer: the API sets none, and
    closing its pooled connections when closed."""

    def close(self) -> None:
        """Close every pooled connection now (one still in use, when it comes back)."""
        # urllib3 2's PoolManager.clear() only forgets its pools: their sockets would stay
        # open for as long as anything (an answer, a traceback) still refers to them.
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
    """A session cookie jar that keeps nothing: the API sets no cookies worth sending back."""

    def extract_cookies(self, response: object, request: object) -> None:
        return None


def _new_session(pool_size: int) -> requests.Session:
    session = requests.Session()
    session.cookies = _NoCookies()
    adapter = _ApiAdapter(pool_connections=1, pool_maxsize=pool_size, max_retries=0)
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
