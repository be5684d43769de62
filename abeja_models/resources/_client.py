"""``Client``: credentials and connections, and the way into organizations."""

from __future__ import annotations

from typing import Optional, Union

import requests

from .._config import (
    CONFIG_FILE,
    KEEP,
    ORGANIZATION_VARIABLES,
    Keep,
    ProfileReader,
    Settings,
    Timeout,
    credentials_from,
    default_organization,
    hide,
    profile_reader,
    resolve_settings,
)
from .._http import Transport, checked_session
from ..errors import ValidationError
from ..models._rules import id_text
from ..notebook import APIClient as NotebookAPIClient
from ..triggers import APIClient as TriggerAPIClient
from ._organization import Organization


class Client:
    """The entry point: one client holds the credentials and a pool of connections.

    ```python
    from abeja_models import Client

    client = Client()  # from the environment, else from ~/.abeja/config
    org = client.organization("1234567890123")  # or organization(): the configured one
    for trigger in org.deployment("1111111111111").triggers.list():
        print(trigger.trigger_id)
    ```

    Every setting left out (or ``None``) is read from its environment variable, where it
    has one, else from the platform CLI's configuration file ``~/.abeja/config`` (see
    ``profile``), else takes its default.

    Args:
        base_url: the API's URL; default ``ABEJA_API_URL``, else the profile's
            ``abeja-api-url``, else ``https://api.abeja.io``. Plain ``http://`` is
            accepted only for loopback hosts.
        auth_token: a platform token, sent as ``Authorization: Bearer``.
        user_id: a user id (``user-`` is prefixed when missing), given with
            ``personal_access_token``.
        personal_access_token: that user's personal access token (HTTP basic).
        timeout: seconds for connect and for each read, or a ``(connect, read)`` pair;
            default ``ABEJA_SDK_CONNECTION_TIMEOUT`` or 30.
        max_retries: extra attempts after a retriable failure, 0 to 100; default
            ``ABEJA_SDK_MAX_RETRY_COUNT`` or 5.
        deadline: the most seconds one call may take across all its attempts; default
            none (``None`` or ``inf``).
        verify: TLS verification: ``True`` (the default), ``False``, or the path of an
            existing CA bundle file or directory.
        pool_size: the most connections kept open at once, 1 to 1000 (default 10);
            threads beyond it wait.
        backoff_base: the first retry's pause in seconds (default 0.5); it doubles per
            attempt, with jitter.
        backoff_max: the longest pause between attempts, ``Retry-After`` aside (default 8).
        max_answer_bytes: the largest answer body read, counted after decompression
            (default 32 MiB, at most 1 GiB); a longer one raises ``InvalidResponseError``
            having read no more than that.
        session: your own ``requests.Session`` to send through (its adapters, proxies,
            certificates, hooks; betamax or requests-cache wrapping it). Without one the
            client makes a pooled session of its own. ``close()`` closes only a session
            the client made; redirects are never followed, whatever the session.
        profile: the configuration of ``~/.abeja/config`` (written by the platform CLI's
            ``abeja config init``) to read the credentials, ``abeja-api-url`` and default
            organization from, when the arguments and variables leave them out; default
            ``ABEJA_PROFILE``, else the file's active configuration. No file: nothing is
            read from it.

    Every duration is at most 1e9 seconds. Without credential arguments, the platform
    SDK's variables are read: ``PLATFORM_AUTH_TOKEN``, or ``ABEJA_PLATFORM_USER_ID`` with
    ``ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN``, or ``ABEJA_PLATFORM_DATASOURCE_ID`` with
    ``ABEJA_PLATFORM_DATASOURCE_SECRET``; then the platform CLI's: ``ABEJA_CLI_USER`` (or
    ``ABEJA_PLATFORM_USER``) with ``ABEJA_CLI_TOKEN`` (or ``PERSONAL_ACCESS_TOKEN``), each
    else the profile's. No credential ever appears in a repr or message.
    """

    def __init__(
        self,
        base_url: Optional[str] = None,
        auth_token: Optional[str] = None,
        user_id: Optional[str] = None,
        personal_access_token: Optional[str] = None,
        timeout: Optional[Timeout] = None,
        max_retries: Optional[int] = None,
        *,
        deadline: Optional[float] = None,
        verify: Union[bool, str, None] = None,
        pool_size: Optional[int] = None,
        backoff_base: Optional[float] = None,
        backoff_max: Optional[float] = None,
        max_answer_bytes: Optional[int] = None,
        session: Optional[requests.Session] = None,
        profile: Optional[str] = None,
    ) -> None:
        # Boxed before anything can raise, and the plain arguments dropped: a traceback
        # rendered with its locals shows "<secret hidden>" for this frame.
        token, access_token, url = hide(auth_token), hide(personal_access_token), hide(base_url)
        auth_token = personal_access_token = base_url = None
        configured = profile_reader(profile)
        settings = resolve_settings(
            credentials=credentials_from(
                auth_token=token,
                user_id=user_id,
                personal_access_token=access_token,
                profile=configured,
            ),
            profile=configured,
            base_url=url,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
            verify=verify,
            pool_size=pool_size,
            backoff_base=backoff_base,
            backoff_max=backoff_max,
            max_answer_bytes=max_answer_bytes,
        )
        self._transport = Transport(settings, session=checked_session(session))
        self._profile: Optional[ProfileReader] = configured

    @classmethod
    def _from_settings(cls, settings: Settings) -> Client:
        """A client on ``settings`` already resolved (as the command line resolves them)."""
        return cls._from_transport(Transport(settings), None)

    @classmethod
    def _from_transport(cls, transport: Transport, profile: Optional[ProfileReader]) -> Client:
        client = cls.__new__(cls)
        client._transport = transport
        client._profile = profile
        return client

    @property
    def base_url(self) -> str:
        """The API's URL this client talks to."""
        return self._transport.settings.base_url

    def organization(self, organization_id: Optional[str] = None) -> Organization:
        """The organization with this id (no request is sent until you use it).

        Without an id: the default organization, the first of ``ABEJA_ORGANIZATION_ID``,
        ``ABEJA_CLI_ORGANIZATION`` and ``ORGANIZATION_NAME`` set, else the profile's
        ``organization-name``; ``ValidationError`` when there is none, or when it is not an
        id (naming the variable or the file's key).
        """
        if organization_id is None:
            configured = default_organization(self._profile)
            if configured is None:
                raise ValidationError(
                    "organization_id",
                    f"an organization id, or one configured: {', '.join(ORGANIZATION_VARIABLES)}"
                    f" or the organization-name of {CONFIG_FILE} (abeja config init)",
                )
            organization_id = id_text(configured[1], configured[0])
        return Organization(self._transport, organization_id)

    def with_options(
        self,
        *,
        timeout: Union[Timeout, Keep, None] = KEEP,
        max_retries: Union[int, Keep, None] = KEEP,
        deadline: Union[float, Keep, None] = KEEP,
        backoff_base: Union[float, Keep, None] = KEEP,
        backoff_max: Union[float, Keep, None] = KEEP,
        max_answer_bytes: Union[int, Keep, None] = KEEP,
    ) -> Client:
        """A client with other limits that shares this one's credentials and connections.

        Use it for one call or a group of calls:

        ```python
        client.with_options(deadline=10).organization(org_id).deployment(dep_id) \\
            .triggers.get(trigger_id)
        ```

        An argument left out (its default, ``KEEP``) keeps its value. One given is
        checked and means what it means to ``Client(...)``: ``None`` goes back to the
        environment variable or the default (for ``deadline``, none).
        """
        settings = self._transport.settings.with_changes(
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
            backoff_base=backoff_base,
            backoff_max=backoff_max,
            max_answer_bytes=max_answer_bytes,
        )
        return Client._from_transport(self._transport.derive(settings), self._profile)

    def triggers_api(self) -> TriggerAPIClient:
        """The seed-compatible Trigger ``APIClient``, sharing this client's connections."""
        return TriggerAPIClient(transport=self._transport)

    def notebooks_api(self) -> NotebookAPIClient:
        """The seed-compatible Notebook ``APIClient``, sharing this client's connections."""
        return NotebookAPIClient(transport=self._transport)

    def close(self) -> None:
        """Close the pooled connections (clients made by ``with_options`` share them).

        A session passed in as ``session=`` is left open: it is yours to close.
        """
        self._transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        transport = getattr(self, "_transport", None)  # absent while __init__ runs
        if transport is None:
            return "<Client (being constructed)>"
        settings = transport.settings
        return f"<Client {settings.base_url} credentials={settings.credentials!r}>"
