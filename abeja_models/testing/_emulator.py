"""The platform emulator: ``PlatformState`` served over HTTP/1.1 on a loopback port."""

from __future__ import annotations

import ipaddress
import json
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Optional, Union

from typing_extensions import Literal, Self

from .._config import is_loopback
from ._faults import Drop, Fault, Malformed, RecordedRequest
from ._routes import routes
from ._server import Server
from ._service import Credential, Service
from ._state import PlatformState

__all__ = ["PlatformEmulator"]


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
        self._service = Service(self.state, routes(start_stop_reply), credentials)
        self._server: Optional[Server] = None
        self._thread: Optional[threading.Thread] = None

    # Life cycle -----------------------------------------------------------------------

    def start(self) -> Self:
        """Listen and serve in a background thread; returns the emulator."""
        if self._server is not None:
            return self
        server = Server(self._address, self._service)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"abeja-emulator:{server.port}",
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

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The base URL to give a client, such as ``http://127.0.0.1:50123``."""
        host, port = self.address
        if self.listens_on_every_interface:
            host = "127.0.0.1"  # reaches a wildcard listener from this machine
        return f"http://{host}:{port}"

    @property
    def address(self) -> tuple[str, int]:
        """The address and port the emulator listens on, such as ``("0.0.0.0", 8080)``."""
        if self._server is None:
            raise RuntimeError("the emulator is not running: call start() or use `with`")
        return self._server.host, self._server.port

    @property
    def listens_on_every_interface(self) -> bool:
        """Whether the emulator listens on a wildcard address such as ``0.0.0.0``."""
        return self._server is not None and _is_unspecified(self._server.host)

    @property
    def reachable_from_other_machines(self) -> bool:
        """Whether the emulator listens on an address other than loopback.

        Then anyone who can reach this machine can use it, with any credential unless
        ``credentials`` was given: every trigger, run, notebook and uploaded file it holds
        can be read, created, changed and deleted.
        """
        return self._server is not None and not is_loopback(self._server.host)

    @property
    def accepts_any_credential(self) -> bool:
        """Whether any credential is accepted (``credentials`` was not given)."""
        return self._service.accepts_any_credential

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
        return self._service.faults.add(fault)

    def clear_faults(self) -> None:
        """Disarm every fault."""
        self._service.faults.clear()

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first."""
        return self._service.recorded()

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
        self._service.forget_requests()


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
