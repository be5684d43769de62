"""The rules for one argument's value, and the words a refusal of it uses.

Ids and names that go into a URL path, paging tokens, flags, and a text parameter's
``Grammar``; ``field_words`` says what a parameter model's field allows from its
declaration alone, so that no message restates a constraint by hand.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from typing import Any, Callable, Optional, Union
from urllib.parse import quote

import typing_extensions
from pydantic import AfterValidator, GetCoreSchemaHandler
from pydantic.fields import FieldInfo
from typing_extensions import Final

from .._config import is_utf8
from ..errors import ValidationError

if typing.TYPE_CHECKING:
    from pydantic_core import CoreSchema

PATH_SEGMENT_RULE = (
    "a non-empty str (or an int >= 0) without '/', '?', '#', '\\', whitespace, control"
    " characters or lone surrogates, not '.' or '..'"
)
_NOT_IN_SEGMENT = re.compile(r"[/?#\\\s\x00-\x1f\x7f-\x9f]")


def id_text(parameter: str, value: object) -> str:
    """The plain ``str`` an id or name stands for, read from its value.

    An ``int`` is written in decimal, as the platform's own SDK does. A subclass of
    ``int`` or ``str`` is read through the base type, never through its own
    ``__str__``/``__format__``: an id is data, and data does not get to pick its path.
    The result is checked (see ``PATH_SEGMENT_RULE``) but not yet percent-encoded.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        try:
            return int.__repr__(value)
        except ValueError:  # more digits than Python will print: no platform id
            raise ValidationError(parameter, PATH_SEGMENT_RULE, value) from None
    if not isinstance(value, str):
        raise ValidationError(parameter, PATH_SEGMENT_RULE, value)
    text = str.__str__(value)
    if not text or text in (".", "..") or _NOT_IN_SEGMENT.search(text) or not is_utf8(text):
        raise ValidationError(parameter, PATH_SEGMENT_RULE, value)
    return text


def path_segment(parameter: str, value: object) -> str:
    """Check an id or name that goes into a URL path and percent-encode it as one segment."""
    return quote(id_text(parameter, value), safe="")


def all_utf8(value: object) -> bool:
    """Whether every str in a parameter (a dict's keys and values too) has a UTF-8 form."""
    if isinstance(value, str):
        return is_utf8(value)
    if isinstance(value, dict):
        return all(all_utf8(key) and all_utf8(item) for key, item in value.items())
    return True


MAX_TOKEN_LENGTH: Final = 8192
"""The longest paging token sent back to the platform."""

TOKEN_RULE = "a non-empty str token from a previous page, or None"


def is_token(value: object) -> bool:
    """Whether ``value`` can be sent back as a paging token (non-empty, bounded, UTF-8)."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_TOKEN_LENGTH
        and is_utf8(value)
    )


def optional_token(parameter: str, value: object) -> Optional[str]:
    """Check a paging token the caller passes: a non-empty str, or None."""
    if value is None:
        return None
    if not isinstance(value, str) or not is_token(value):
        raise ValidationError(parameter, TOKEN_RULE, value)
    return str.__str__(value)


def optional_bool(parameter: str, value: object) -> Optional[bool]:
    """Check a flag: True, False or None (no truthy stand-ins)."""
    if value is None or isinstance(value, bool):
        return value
    raise ValidationError(parameter, "True, False or None", value)


@dataclass(frozen=True)
class Grammar:
    """A rule on a text parameter that no pydantic constraint states: its check and its words.

    Placed in the parameter's ``Annotated`` metadata, it is both what pydantic runs and
    what a refusal says (``Params.rule``), so the two cannot drift apart.
    """

    words: str
    """What the rule allows, as a refusal says it."""
    matches: Callable[[str], bool]
    """Whether a str obeys the rule."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        """Run the check after pydantic's own validation of the type (``None`` passes)."""
        return AfterValidator(self._checked).__get_pydantic_core_schema__(source, handler)

    def _checked(self, value: Optional[str]) -> Optional[str]:
        if value is not None and not self.matches(value):
            raise ValueError(self.words)
        return value


_UNIONS = (Union, getattr(types, "UnionType", Union))  # Optional[X], and X | None from 3.10
_LITERALS = (typing.Literal, typing_extensions.Literal)
_WORDED = ("ge", "le", "min_length")
"""The constraints ``Params.rule`` puts in words; a parameter with another is an error."""


def literal_choices(kind: object) -> Optional[tuple[object, ...]]:
    """The values a ``Literal`` allows, ``None`` for any other type."""
    return typing.get_args(kind) if typing.get_origin(kind) in _LITERALS else None


def optional_of(annotation: object) -> object:
    """``X`` for ``Optional[X]``, else the annotation itself."""
    if typing.get_origin(annotation) in _UNIONS:
        members = [kind for kind in typing.get_args(annotation) if kind is not type(None)]
        if len(members) == 1:
            return members[0]
    return annotation


def field_words(where: str, info: FieldInfo) -> str:
    """What a parameter allows, said from its one declaration: its type and constraints."""
    kind = optional_of(info.annotation)
    limits: dict[str, object] = {}
    words = None
    for item in info.metadata:
        if isinstance(item, Grammar):
            words = item.words
            continue
        found = {name: getattr(item, name) for name in _WORDED if hasattr(item, name)}
        if not found:
            raise TypeError(f"{where}: no words for the constraint {item!r}; see field_words")
        limits.update(found)
    if words is None:
        words = _type_words(kind, limits)
    if words is None or limits:
        raise TypeError(f"{where}: no words for {kind!r} with {limits}; see field_words")
    return words if kind is info.annotation else words + ", or None"


def _type_words(kind: object, limits: dict[str, object]) -> Optional[str]:
    """The words for a value of ``kind``, taking from ``limits`` the constraints they say."""
    if kind is str and limits.get("min_length") == 1:
        del limits["min_length"]
        return "a non-empty str"
    if kind is str:
        return "a str"
    if kind is int:
        low, high = limits.pop("ge", None), limits.pop("le", None)
        span = "" if low is None else f" >= {low}"
        span = span if high is None else f" <= {high}" if low is None else f" from {low} to {high}"
        return f"an int{span} (not a bool)"
    choices = literal_choices(kind)
    if choices is not None:
        return " or ".join(repr(choice) for choice in choices)
    if kind == dict[str, str]:
        return "a dict of str to str"
    return None
