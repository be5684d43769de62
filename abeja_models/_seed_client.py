"""What the two seed-compatible ``APIClient`` classes share: construction, results, refusals."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Callable, Optional, TypeVar, Union, cast

import requests

from ._config import (
    Credentials,
    ProfileReader,
    QuietMapping,
    Timeout,
    credentials_from,
    credentials_from_dict,
    hide,
    profile_reader,
    resolve_settings,
)
from ._endpoints import Endpoint
from ._http import Answer, Transport, checked_session, decode_json, unusable_answer
from .errors import LocalBadRequest, ValidationError
from .models._base import PlatformModel

MethodT = TypeVar("MethodT", bound=Callable[..., Any])

# The settings the platform SDK's constructor spells otherwise.
_PLATFORM_SDK_SPELLING = {"max_retries": "max_retry_count"}


def refusals_as_bad_request(method: MethodT) -> MethodT:
    """Raise the ``ValidationError`` of a bad argument as ``LocalBadRequest``.

    The platform SDK answered bad arguments with ``BadRequest``; code written for it
    catches that. The resource layer's refusals stay plain ``ValidationError``. The
    method keeps its own type (not a ``ParamSpec`` copy), so checkers report mistakes
    with its results exactly as without the decorator.
    """

    @functools.wraps(method)
    def refusing(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except LocalBadRequest:
            raise
        except ValidationError as refused:
            raise LocalBadRequest.from_validation_error(refused) from None

    return cast("MethodT", refusing)


class SeedClient:
    """Base of the low-level clients: the platform SDK's constructor, this SDK's transport."""

    # Not @refusals_as_bad_request: the platform SDK's constructor refused nothing (so no
    # handler expects BadRequest from it), and the wrapper's frame would hold the credential.
    def __init__(
        self,
        credential: Optional[Mapping[str, str]] = None,
        timeout: Optional[Timeout] = None,
        max_retry_count: Optional[int] = None,
        *,
        base_url: Optional[str] = None,
        session: Optional[requests.Session] = None,
        deadline: Optional[float] = None,
        verify: Union[bool, str, None] = None,
        pool_size: Optional[int] = None,
        backoff_base: Optional[float] = None,
        backoff_max: Optional[float] = None,
        max_answer_bytes: Optional[int] = None,
        profile: Optional[str] = None,
        transport: Optional[Transport] = None,
    ) -> None:
        """A client with the platform SDK's constructor arguments, and this SDK's own.

        Args:
            credential: ``{"auth_token": ...}``, ``{"user_id": ...,
                "personal_access_token": ...}`` or ``{"datasource_id": ...,
                "datasource_secret": ...}``; default: the environment, else the profile.
            timeout: seconds for connect and read, or a ``(connect, read)`` pair; default
                ``ABEJA_SDK_CONNECTION_TIMEOUT`` or 30.
            max_retry_count: extra attempts, 0 to 100; default
                ``ABEJA_SDK_MAX_RETRY_COUNT`` or 5.
            base_url: the API's URL; default ``ABEJA_API_URL``, else the profile's
                ``abeja-api-url``, else ``https://api.abeja.io``.
            session: your own ``requests.Session`` to send through (betamax, requests-cache,
                mounted adapters); ``close()`` leaves it open.
            deadline: the most seconds one call may take, as for ``abeja_models.Client``.
            verify: TLS verification, as for ``abeja_models.Client``.
            pool_size: the most connections open at once, as for ``abeja_models.Client``.
            backoff_base: the first retry's pause, as for ``abeja_models.Client``.
            backoff_max: the longest pause between attempts, as for ``abeja_models.Client``.
            max_answer_bytes: the largest answer body read, as for ``abeja_models.Client``.
            profile: the configuration of ``~/.abeja/config`` to read, as for
                ``abeja_models.Client`` (default ``ABEJA_PROFILE``, else the active one).
            transport: (internal) the transport of a ``Client`` to share.
        """
        if transport is None:
            # The caller's dict is read once and dropped: a traceback rendered with its
            # locals shows no secret for this frame.
            given = QuietMapping(credential) if isinstance(credential, Mapping) else credential
            credential = None
            url, base_url = hide(base_url), None
            configured = profile_reader(profile)
            transport = Transport(
                resolve_settings(
                    credentials=_credentials(given, configured),
                    profile=configured,
                    spelling=_PLATFORM_SDK_SPELLING,
                    base_url=url,
                    timeout=timeout,
                    max_retries=max_retry_count,
                    deadline=deadline,
                    verify=verify,
                    pool_size=pool_size,
                    backoff_base=backoff_base,
                    backoff_max=backoff_max,
                    max_answer_bytes=max_answer_bytes,
                ),
                session=checked_session(session),
            )
        self._transport = transport

    def close(self) -> None:
        """Close the pooled connections (a session passed in as ``session=`` stays open)."""
        self._transport.close()

    def __repr__(self) -> str:
        transport = getattr(self, "_transport", None)  # absent while __init__ runs
        if transport is None:
            return f"<{type(self).__name__} (being constructed)>"
        settings = transport.settings
        return f"<{type(self).__name__} {settings.base_url} credentials={settings.credentials!r}>"

    def _call(self, endpoint: Endpoint[PlatformModel], /, **arguments: object) -> Any:
        """Call ``endpoint`` with every one of its arguments, by name; the answer as sent.

        That is a JSON object, or for an endpoint answering so a list of them (anything
        else, or a paging token that could not be sent back, is an
        ``InvalidResponseError``). As with the platform SDK, the ids in it are not compared
        with those asked about: the caller passed every id, and the reference documents'
        own example answers hold other ids than their requests.
        """
        answer = self._transport.send(endpoint.request(arguments))
        data = decode_json(answer)
        if endpoint.bare_list and isinstance(data, list):
            for entry in data:
                _as_dict(entry, answer)
            return data
        document = _as_dict(data, answer)
        endpoint.check_tokens(document, answer)
        return document


def _credentials(
    credential: object, profile: Optional[ProfileReader]
) -> Optional[Credentials]:
    if credential is None:
        return credentials_from(profile=profile)
    if not isinstance(credential, Mapping):
        raise ValidationError(
            "credential", "a dict such as {'auth_token': ...}, or None", type(credential)
        )
    return credentials_from_dict(credential)


def _as_dict(data: Any, answer: Answer) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise unusable_answer(f"expected a JSON object, got {type(data).__name__}", answer)
    return data
