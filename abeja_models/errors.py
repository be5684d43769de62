"""The exceptions raised by abeja-models.

Every exception derives from ``AbejaError``, so ``except AbejaError`` catches
everything this SDK raises on purpose:

```text
AbejaError
├── ValidationError            bad argument, raised before anything is sent (also a ValueError)
│   └── LocalBadRequest        ... by a low-level APIClient: also a BadRequest, as abeja-sdk raised
├── UnboundModelError          an action was called on a model that has no client
├── WaitTimeoutError           a wait ran out of time (also a TimeoutError)
│   ├── StatusUnreachableError wait_until() ended early: the wanted status cannot come
│   └── RunsWaitTimeoutError   wait_for_runs() ran out of time (with what it saw)
├── APIConnectionError         no usable answer: refused, reset, dropped
│   └── APITimeoutError        connect/read timeout or the call's deadline ran out
└── APIError                   the server answered with an error (status_code, error, ...)
    ├── BadRequest 400, Unauthorized 401, Forbidden 403, NotFound 404,
    │   MethodNotAllowed 405, Conflict 409, TooManyRequests 429, InternalServerError 5xx
    └── InvalidResponseError   a 2xx answer whose body is not the JSON documented
```

No exception message contains a credential: URLs never carry one, and the request's
headers are never copied into an exception (an ``APIError`` keeps the answer's headers).

Code written for the platform SDK (``abeja.exceptions``) keeps its names: ``Error`` and
``HttpError`` are aliases of ``AbejaError`` and ``APIError``, and the status classes are
spelt as there, so ``from abeja.exceptions import HttpError, NotFound`` becomes
``from abeja_models.errors import HttpError, NotFound``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from pydantic import JsonValue
else:
    # Type checkers see pydantic's JsonValue; at run time the annotations only need the
    # name, and importing pydantic here would cost every ``import abeja_models`` 50 ms.
    JsonValue = object

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AbejaError",
    "BadRequest",
    "Conflict",
    "Error",
    "Forbidden",
    "HttpError",
    "InternalServerError",
    "InvalidResponseError",
    "LocalBadRequest",
    "MethodNotAllowed",
    "NotFound",
    "RunsWaitTimeoutError",
    "StatusUnreachableError",
    "TooManyRequests",
    "Unauthorized",
    "UnboundModelError",
    "ValidationError",
    "WaitTimeoutError",
    "error_class_for_status",
]


class AbejaError(Exception):
    """Root of every exception raised by abeja-models.

    Every one pickles with its message and attributes, so it crosses process
    boundaries (``ProcessPoolExecutor``, ``multiprocessing.Pool``) unchanged.
    """

    def __reduce__(self) -> tuple[object, ...]:
        # Exception's own reduce calls ``cls(*args)``, which the subclasses' signatures
        # (keyword-only url, method, ...) refuse: unpickling would raise in the parent,
        # breaking a process pool. Rebuild without __init__ from args and attributes.
        return _rebuild, (type(self), self.args, dict(self.__dict__))


def _rebuild(
    cls: type[AbejaError], args: tuple[object, ...], attributes: dict[str, object]
) -> AbejaError:
    """Unpickle an ``AbejaError``: its class, its ``args`` and its attributes, no ``__init__``."""
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(attributes)
    return error


class ValidationError(AbejaError, ValueError):
    """An argument was rejected before any request was sent.

    Attributes:
        parameter: the name of the offending parameter, as the caller spelt it.
        allowed: a short description of what the parameter accepts.
    """

    def __init__(self, parameter: str, allowed: str, value: object = None) -> None:
        self.parameter = parameter
        self.allowed = allowed
        shown = _short_repr(value)
        # Not super(): in LocalBadRequest the next class is BadRequest, whose
        # __init__ takes a status; the message is this class's own.
        AbejaError.__init__(self, f"invalid {parameter}={shown}: expected {allowed}")


class UnboundModelError(AbejaError):
    """An action (refresh, delete, start, ...) was called on a model built from plain data.

    Models returned by a ``Client`` know how to reach the platform;
    models made with ``Trigger.model_validate(...)`` do not until they are bound.
    """


class WaitTimeoutError(AbejaError, TimeoutError):
    """``Notebook.wait_until`` did not see the wanted status in time.

    Attributes:
        last_status: the status seen at the last poll.
    """

    def __init__(self, message: str, last_status: Optional[str]) -> None:
        self.last_status = last_status
        super().__init__(message)


class StatusUnreachableError(WaitTimeoutError):
    """``Notebook.wait_until`` ended early: the notebook came to rest in another status.

    A ``Stopped`` or ``Failed`` notebook stays so until someone starts it, so a wait for
    any other status cannot succeed: it ends at once instead of at its timeout. It is a
    ``WaitTimeoutError`` too, so code written for the timeout handles it.

    Attributes:
        last_status: the status the notebook rests in.
        wanted: the status the wait was for.
    """

    def __init__(self, message: str, last_status: Optional[str], wanted: str) -> None:
        self.wanted = wanted
        super().__init__(message, last_status)


class RunsWaitTimeoutError(WaitTimeoutError):
    """``wait_for_runs`` ran out of time before the runs it waits for had finished.

    Attributes:
        last_statuses: what the last poll saw: run id -> status, oldest run first.
        last_status: the status of the oldest run not finished, ``None`` when every run
            seen had finished (fewer runs than asked for had started).
    """

    def __init__(
        self, message: str, last_statuses: dict[str, str], last_status: Optional[str]
    ) -> None:
        self.last_statuses = dict(last_statuses)
        super().__init__(message, last_status)


class APIConnectionError(AbejaError):
    """No usable answer came back: the connection was refused, reset or dropped.

    Attributes:
        method: the HTTP method of the failed call.
        url: the URL of the failed call (it never carries credentials).
    """

    def __init__(self, message: str, *, method: str, url: str) -> None:
        self.method = method
        self.url = url
        super().__init__(f"{message} ({method} {url})")


class APITimeoutError(APIConnectionError):
    """A connect or read timeout expired, or the call's total deadline ran out."""


class APIError(AbejaError):
    """The platform answered with an error status.

    Whatever the server sent is shown with the call's own credentials masked (``***``),
    should the server quote them, and is built from the body's first 64 KiB only.

    Attributes:
        status_code: the HTTP status.
        error: the platform's short error code (``"bad_request"``), or the status' reason.
        error_description: the platform's explanation, as sent.
        method: the HTTP method of the failed call (``""`` when nothing was sent).
        url: the URL of the failed call (it never carries credentials).
        headers: the answer's headers (``Retry-After``, a request id), as sent.
        error_detail: the platform's ``error_detail`` as sent (``{"source_data":
            ["unknown field"]}``), or ``None`` when the answer had none.
        body: the response body as text, cut to 2,000 characters.
        after_lost_answer: this answer came to a retry, after an earlier attempt whose
            answer was lost and which the platform may have carried out. A `NotFound`
            with this set, from a DELETE, means the earlier attempt did the deleting.
    """

    def __init__(
        self,
        status_code: int,
        error: str,
        error_description: str,
        *,
        url: str,
        method: str = "",
        headers: Optional[Mapping[str, str]] = None,
        body: str = "",
        after_lost_answer: bool = False,
        error_detail: JsonValue = None,
    ) -> None:
        self.status_code = status_code
        self.error = error
        self.error_description = error_description
        self.error_detail = error_detail
        self.method = method
        self.url = url
        self.headers: dict[str, str] = dict(headers or {})
        self.body = body[:2000]
        self.after_lost_answer = after_lost_answer
        message = f"{status_code} {error}: {error_description} ({url})"
        if error_detail:
            message += f", {_short_repr(error_detail, limit=500)}"
        super().__init__(message)

    def _asdict(self) -> dict[str, JsonValue]:
        """The error as the platform SDK's ``HttpError._asdict()`` gives it.

        ``error`` and ``error_description``, then ``error_detail``, ``status_code`` and
        ``url`` when they are set.
        """
        data: dict[str, JsonValue] = {
            "error": self.error,
            "error_description": self.error_description,
        }
        if self.error_detail:
            data["error_detail"] = self.error_detail
        if self.status_code:
            data["status_code"] = self.status_code
        if self.url:
            data["url"] = self.url
        return data


class BadRequest(APIError):
    """400: the platform rejected the request's parameters."""


class Unauthorized(APIError):
    """401: the credentials are missing or wrong."""


class Forbidden(APIError):
    """403: the credentials do not allow this operation."""


class NotFound(APIError):
    """404: the organization, deployment, trigger or notebook does not exist."""


class MethodNotAllowed(APIError):
    """405: the endpoint does not take this HTTP method."""


class Conflict(APIError):
    """409: the resource is not in a state that allows the operation."""


class TooManyRequests(APIError):
    """429: rate limited, and the retries did not get through."""


class InternalServerError(APIError):
    """5xx: the platform (or a gateway in front of it) failed."""


class InvalidResponseError(APIError):
    """A successful status came with a body that is not the JSON the API documents."""


class LocalBadRequest(ValidationError, BadRequest):
    """A bad argument to a low-level ``APIClient``: a ``ValidationError`` and a ``BadRequest``.

    The platform SDK answered the same mistakes with ``BadRequest`` (raised by the
    platform's 400, or locally for an unknown instance type), so ``except BadRequest``
    written for it still catches this; ``except ValidationError`` (or ``ValueError``)
    catches it too. Nothing was sent. The resource layer raises plain
    ``ValidationError``: there, ``APIError`` always means the platform answered.

    Attributes:
        parameter, allowed: as for ``ValidationError``.
        status_code: ``400``.
        error: ``"bad_request"``.
        error_description: the message, naming the parameter and what it accepts.
        error_detail: ``{parameter: [allowed]}``, shaped like the platform's.
        url: ``""``: no request was made.
    """

    def __init__(self, parameter: str, allowed: str, value: object = None) -> None:
        ValidationError.__init__(self, parameter, allowed, value)
        message = str(self)
        BadRequest.__init__(
            self, 400, "bad_request", message, url="", error_detail={parameter: [allowed]}
        )
        self.args = (message,)

    @classmethod
    def from_validation_error(cls, refused: ValidationError) -> LocalBadRequest:
        """The same refusal (parameter, allowed values, message), catchable as ``BadRequest``."""
        error = cls(refused.parameter, refused.allowed)
        error.args = refused.args
        error.error_description = str(refused)
        return error


Error = AbejaError
"""The platform SDK's name (``abeja.exceptions.Error``) for the root exception."""

HttpError = APIError
"""The platform SDK's name (``abeja.exceptions.HttpError``) for an error answer."""


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    405: MethodNotAllowed,
    409: Conflict,
    429: TooManyRequests,
}


def error_class_for_status(status_code: int) -> type[APIError]:
    """Return the exception class that stands for an HTTP error status."""
    if status_code >= 500:
        return InternalServerError
    return _BY_STATUS.get(status_code, APIError)


def _short_repr(value: object, limit: int = 80) -> str:
    # The value is the caller's, so its repr may fail: an int of more digits than
    # Python will print, a subclass whose __repr__ raises. The message must not.
    try:
        text = repr(value)
    except Exception:
        bits = f" of {value.bit_length()} bits" if isinstance(value, int) else ""
        text = f"<{type(value).__name__}{bits}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."
