"""What every platform document shares: unknown fields kept, timestamps and ids normalised."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer
from typing_extensions import Annotated

_ZONE = re.compile(r"([Zz]|[+-]\d\d(:?\d\d)?)$")


def _as_utc(value: Any) -> Any:
    """Parse platform timestamps; a timestamp without zone is taken as UTC."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    if isinstance(value, str) and "T" in value and not _ZONE.search(value):
        return value + "Z"
    return value


def _format_timestamp(value: datetime) -> str:
    """Write timestamps the way the platform does: UTC, microseconds, ``Z``."""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


Timestamp = Annotated[
    datetime,
    BeforeValidator(_as_utc),
    PlainSerializer(_format_timestamp, return_type=str, when_used="json"),
]
"""An aware ``datetime``; read from ``...Z`` with any fraction, written back as ``.ffffffZ``."""


def _id_to_str(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Id = Annotated[str, BeforeValidator(_id_to_str)]
"""A platform id; some documents show ids as integers, they are held as ``str``."""


class PlatformModel(BaseModel):
    """Base of every document the platform returns.

    Fields the reference documents do not list are kept (``model_extra``) and written
    back by ``model_dump``/``model_dump_json``, so a JSON round trip loses nothing.
    """

    # Schemas are built on first use, not at import.
    model_config = ConfigDict(
        extra="allow", populate_by_name=True, protected_namespaces=(), defer_build=True
    )

    def __eq__(self, other: object) -> bool:
        # Equality is about the data: a model bound to a client equals the same
        # document parsed from JSON.
        if not isinstance(other, PlatformModel):
            return NotImplemented
        return (
            type(self) is type(other)
            and self.__dict__ == other.__dict__
            and self.__pydantic_extra__ == other.__pydantic_extra__
        )

    __hash__ = None  # type: ignore[assignment]

    def to_json(self) -> str:
        """This document as the platform's JSON (unknown fields included)."""
        return self.model_dump_json()

    def to_dict(self) -> dict[str, object]:
        """This document as a JSON-compatible dict (timestamps as strings)."""
        return self.model_dump(mode="json")

    def _replace_with(self, other: PlatformModel) -> None:
        """Take over another instance's data, keeping this object's identity and binding."""
        object.__setattr__(self, "__dict__", dict(other.__dict__))
        object.__setattr__(self, "__pydantic_extra__", dict(other.__pydantic_extra__ or {}))
        object.__setattr__(self, "__pydantic_fields_set__", set(other.__pydantic_fields_set__))
