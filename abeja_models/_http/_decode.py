"""Answers into JSON, models or errors: every error about an answer is built here.

From a bounded view of the body: its first ``ERROR_VIEW`` bytes, made text once, the
call's credentials masked. A body that fits in it is read as the platform's JSON error; a
longer one is shown by a snippet. So explaining an answer of any size costs about the view.

The transport's only knowledge of pydantic.
"""

from __future__ import annotations

import json
from contextlib import suppress
from http import HTTPStatus
from typing import Any, TypeVar

import pydantic

from .._config import HOW_TO_CONFIGURE
from ..errors import APIError, InvalidResponseError, Unauthorized, error_class_for_status
from ._request import Answer

ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)
ErrorT = TypeVar("ErrorT", bound=APIError)

ERROR_VIEW = 64 * 1024
"""The bytes of a body an error is built from; a body up to this long is read as JSON."""

_TOO_DEEP = "the body's JSON is nested too deeply"
_NO_CREDENTIALS_HINT = f" (no credentials configured: pass auth_token=, or {HOW_TO_CONFIGURE})"


def decode_json(answer: Answer) -> Any:
    """Decode a successful answer's body, or raise ``InvalidResponseError``."""
    # The error is raised outside the handler: the parser's exception, which holds the
    # whole body as text, must not stay attached to it as its context.
    try:
        return json.loads(answer.content)
    except ValueError:
        why = "the body is not JSON"
    except RecursionError:
        why = _TOO_DEEP
    raise invalid_response(answer, why) from None


def parse_model(model_type: type[ModelT], answer: Answer) -> ModelT:
    """Validate a successful answer's body as ``model_type``, or raise InvalidResponseError."""
    try:
        return model_type.model_validate_json(answer.content)
    except pydantic.ValidationError as exc:
        first = exc.errors(include_url=False, include_context=False, include_input=False)[0]
        why = f"{'.'.join(str(part) for part in first['loc']) or 'body'}: {first['msg']}"
    except RecursionError:
        why = _TOO_DEEP
    raise invalid_response(answer, why) from None


def invalid_response(answer: Answer, why: str) -> InvalidResponseError:
    """The error for a 2xx answer whose body is not what the API documents."""
    return unusable_answer(f"{why}: {_snippet(_view(answer)) or '(empty body)'}", answer)


def unusable_answer(why: str, answer: Answer) -> InvalidResponseError:
    """The error for an answer the SDK cannot use: the server's fault, never the caller's."""
    return _error(InvalidResponseError, answer, "invalid_response", why, body=_view(answer))


def error_for_answer(answer: Answer, *, after_lost_answer: bool) -> APIError:
    """The typed error for a non-2xx answer, carrying the platform's own explanation."""
    status = answer.status
    error_class = error_class_for_status(status)
    text = _view(answer)
    error = _reason(status)
    description, detail, payload = _snippet(text) or error, None, None
    if len(answer.content) <= ERROR_VIEW:
        with suppress(ValueError, RecursionError):
            payload = json.loads(text)
    if isinstance(payload, dict):
        error = str(payload.get("error") or error)
        description = str(payload.get("error_description") or payload.get("message") or description)
        detail = payload.get("error_detail")
    if 300 <= status < 400:
        location = answer.headers.get("Location", "?")
        description = f"redirect to {location} not followed; point base_url at it instead"
    if error_class is Unauthorized and answer.credentials is None:
        description += _NO_CREDENTIALS_HINT
    return _error(
        error_class,
        answer,
        error,
        description,
        body=text,
        after_lost_answer=after_lost_answer,
        error_detail=detail,
    )


def _error(cls: type[ErrorT], answer: Answer, error: str, description: str, **more: Any) -> ErrorT:
    """The one constructor of errors about answers: whatever came from the server masked."""
    mask = answer.credentials.mask if answer.credentials is not None else str
    headers = {name: mask(value) for name, value in answer.headers.items()}
    return cls(
        answer.status,
        mask(error),
        mask(description),
        method=answer.method,
        url=answer.url,
        headers=headers,
        **more,
    )


def _view(answer: Answer) -> str:
    """The start of the body as text, the call's credentials masked: all an error shows."""
    text = answer.content[:ERROR_VIEW].decode("utf-8", errors="replace")
    return text if answer.credentials is None else answer.credentials.mask(text)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


def _snippet(text: str, limit: int = 200) -> str:
    # Past ``limit`` words the flattened text is longer than ``limit`` characters: no
    # need to split the rest.
    flat = " ".join(text.split(maxsplit=limit)[:limit])
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
