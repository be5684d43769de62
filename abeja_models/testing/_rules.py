"""What the emulated platform refuses: its error answers, the checks on request bodies
and queries, and its page tokens.

The rules here are written independently of the SDK's parameter models on purpose:
the emulator plays the server, so a rule the SDK gets wrong shows up as a disagreement.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any, Optional

JsonObject = dict[str, Any]

_INSTANCE_TYPE = re.compile(r"(cpu|gpu)(:[a-d])?-(\d+(\.\d+)?|\.\d+)")
_NOTEBOOK_TYPES = ("notebook", "lab")


class ApiProblem(Exception):
    """An error answer: the HTTP status and the platform's ``{error, error_description}``."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(f"{status} {error}: {description}")
        self.status = status
        self.body: JsonObject = {"error": error, "error_description": description}


def bad_request(description: str) -> ApiProblem:
    """A 400 answer for a body or query the platform refuses."""
    return ApiProblem(400, "bad_request", description)


def not_found(what: str, identifier: str) -> ApiProblem:
    """A 404 answer for an id the platform does not know."""
    return ApiProblem(404, "not_found", f"{what} {identifier!r} was not found")


def json_object(body: object) -> JsonObject:
    """The body as a JSON object (none is an empty one), or a 400."""
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise bad_request("the request body must be a JSON object")
    return body


def required_str(fields: JsonObject, name: str) -> str:
    """A non-empty string field that must be there."""
    value = fields.get(name)
    if not isinstance(value, str) or not value:
        raise bad_request(f"{name} is required and must be a non-empty string")
    return value


def optional_str(fields: JsonObject, name: str) -> Optional[str]:
    """A non-empty string field, or ``None`` when it is absent or null."""
    value = fields.get(name)
    if value is not None and (not isinstance(value, str) or not value):
        raise bad_request(f"{name} must be a non-empty string")
    return value


def int_in(fields: JsonObject, name: str, low: int, high: Optional[int], *, default: int) -> int:
    """An integer field from ``low`` to ``high`` (no bound when ``None``); a bool is not one."""
    value = fields.get(name, default)
    if value is None:
        return default
    in_range = isinstance(value, int) and not isinstance(value, bool) and value >= low
    if not in_range or (high is not None and value > high):
        allowed = f"{low}..{high}" if high is not None else f">= {low}"
        raise bad_request(f"{name} must be an integer {allowed}, got {value!r}")
    return int(value)


def str_map(fields: JsonObject, name: str) -> dict[str, str]:
    """An object field of string values (empty when absent)."""
    value = fields.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise bad_request(f"{name} must be an object of string values")
    return dict(value)


def instance_type(fields: JsonObject) -> Optional[str]:
    """The ``instance_type`` field, such as ``cpu-1`` or ``gpu:b-4``, or ``None`` when absent."""
    value = fields.get("instance_type")
    if value is None:
        return None
    if not isinstance(value, str) or not _INSTANCE_TYPE.fullmatch(value):
        raise bad_request(f"instance_type {value!r} is not an instance type such as cpu-1")
    return value


def notebook_type(fields: JsonObject) -> Optional[str]:
    """The ``notebook_type`` field, ``notebook`` or ``lab``, or ``None`` when absent."""
    value = fields.get("notebook_type")
    if value is None:
        return None
    if value not in _NOTEBOOK_TYPES:
        raise bad_request(f"notebook_type must be 'notebook' or 'lab', got {value!r}")
    return str(value)


def query_bool(query: Mapping[str, str], name: str) -> bool:
    """A query parameter spelt ``true``/``false`` or ``1``/``0`` (false when absent)."""
    value = query.get(name, "false").lower()
    if value not in ("true", "false", "1", "0"):
        raise bad_request(f"{name} must be true or false, got {query[name]!r}")
    return value in ("true", "1")


def make_token(scope: str, position: int) -> str:
    """A page token for ``position`` in the listing named by ``scope``."""
    return base64.urlsafe_b64encode(f"{scope}:{position}".encode()).decode().rstrip("=")


def read_token(token: str, scope: str, limit: int) -> int:
    """The position a page token of ``scope`` stands for, from 0 to ``limit``, or a 400."""
    try:
        padded = token + "=" * (-len(token) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        token_scope, _, position = text.rpartition(":")
        value = int(position)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad_request(f"the page token {token!r} is not valid") from None
    if token_scope != scope or not 0 <= value <= limit:
        raise bad_request(f"the page token {token!r} is not valid here")
    return value
