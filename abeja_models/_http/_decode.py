"""Answers into JSON, models or errors: every error about an answer is built here.

The transport's only knowledge of pydantic.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any, TypeVar

import pydantic

from ..errors import APIError, InvalidResponseError, Unauthorized, error_class_for_status
from ._request import Answer

ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)

_TOO_DEEP = "the body's JSON is nested too deeply"
_NO_CREDENTIALS_HINT = (
    " (no credentials configured: pass auth_token= or set PLATFORM_AUTH_TOKEN, or"
    " ABEJA_PLATFORM_USER_ID and ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN)"
)


def decode_json(answer: Answer) -> Any:
    """Decode a successful answer's body, or raise ``InvalidResponseError``."""
    try:
        return json.loads(answer.content)
    except ValueError:
        raise invalid_response(answer, "the body is not JSON") from None
    except RecursionError:
        raise invalid_response(answer, _TOO_DEEP) from None


def parse_model(model_type: type[ModelT], answer: Answer) -> ModelT:
    """Validate a successful answer's body as ``model_type``, or raise InvalidResponseError."""
    try:
        return model_type.model_validate_json(answer.content)
    except pydantic.ValidationError as exc:
        raise invalid_response(answer, _first_problem(exc)) from None
    except RecursionError:
        raise invalid_response(answer, _TOO_DEEP) from None


def invalid_response(answer: Answer, why: str) -> InvalidResponseError:
    """The error for a 2xx answer whose body is not what the API documents."""
    text = answer.content.decode("utf-8", errors="replace")
    return unusable_answer(f"{why}: {_snippet(text) or '(empty body)'}", answer)


def unusable_answer(why: str, answer: Answer) -> InvalidResponseError:
    """The error for an answer the SDK cannot use: the server's fault, never the caller's."""
    return InvalidResponseError(
        answer.status,
        "invalid_response",
        why,
        method=answer.method,
        url=answer.url,
        headers=answer.headers,
        body=answer.content.decode("utf-8", errors="replace"),
    )


def error_for_answer(
    answer: Answer, *, has_credentials: bool, after_lost_answer: bool
) -> APIError:
    """The typed error for a non-2xx answer, carrying the platform's own explanation."""
    status = answer.status
    error_class = error_class_for_status(status)
    text = answer.content.decode("utf-8", errors="replace")
    reason = _reason(status)
    error, description = reason, _snippet(text) or reason
    detail = None
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):
        payload = None
    if isinstance(payload, dict):
        error = str(payload.get("error") or reason)
        description = str(payload.get("error_description") or payload.get("message") or description)
        detail = payload.get("error_detail")
    if 300 <= status < 400:
        location = answer.headers.get("Location", "?")
        description = f"redirect to {location} not followed; point base_url at it instead"
    if error_class is Unauthorized and not has_credentials:
        description += _NO_CREDENTIALS_HINT
    return error_class(
        status,
        error,
        description,
        method=answer.method,
        url=answer.url,
        headers=answer.headers,
        body=text,
        after_lost_answer=after_lost_answer,
        error_detail=detail,
    )


def _first_problem(exc: pydantic.ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "body"
    return f"{where}: {first['msg']}"


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


def _snippet(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
