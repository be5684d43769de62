"""Request parameters and the rules they obey, checked before anything is sent.

Both the resource layer and the seed-compatible ``APIClient`` classes build these
models, so each rule exists once. A broken rule raises
``abeja_models.errors.ValidationError`` naming the parameter and what it allows.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Optional, Union
from urllib.parse import quote

import pydantic
import typing_extensions
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    model_validator,
)
from pydantic.fields import FieldInfo
from typing_extensions import Annotated, Final, Literal, Self

from ..errors import ValidationError

if typing.TYPE_CHECKING:
    from pydantic_core import CoreSchema

__all__ = [
    "CreateTriggerParams",
    "Images",
    "InstanceTypes",
    "NotebookParams",
    "NotebookType",
    "Params",
    "StartNotebookParams",
    "StopNotebookParams",
    "id_text",
    "is_token",
    "path_segment",
]

NotebookType = Literal["notebook", "lab"]
"""The kinds of notebook server: classic Jupyter Notebook or JupyterLab."""


class InstanceTypes:
    """The platform's instance types, as constants for completion (any valid name works)."""

    CPU_0_25: Final = "cpu-0.25"
    CPU_1: Final = "cpu-1"
    CPU_2: Final = "cpu-2"
    CPU_4: Final = "cpu-4"
    CPU_8: Final = "cpu-8"
    CPU_16: Final = "cpu-16"
    GPU_1: Final = "gpu-1"
    GPU_A1: Final = "gpu:a-1"
    GPU_B1: Final = "gpu:b-1"
    GPU_B4: Final = "gpu:b-4"
    GPU_B8: Final = "gpu:b-8"


class Images:
    """The platform's known notebook images (custom images are accepted too)."""

    ALL_CPU_18_10: Final = "abeja-inc/all-cpu:18.10"
    ALL_CPU_19_04: Final = "abeja-inc/all-cpu:19.04"
    ALL_CPU_19_10: Final = "abeja-inc/all-cpu:19.10"
    ALL_CPU_20_10: Final = "abeja-inc/all-cpu:20.10"
    ALL_GPU_18_10: Final = "abeja-inc/all-gpu:18.10"
    ALL_GPU_19_04: Final = "abeja-inc/all-gpu:19.04"
    ALL_GPU_19_10: Final = "abeja-inc/all-gpu:19.10"
    ALL_GPU_20_10: Final = "abeja-inc/all-gpu:20.10"


PATH_SEGMENT_RULE = (
    "a non-empty str (or an int >= 0) without '/', '?', '#', whitespace, control characters"
    " or lone surrogates, not '.' or '..'"
)
_NOT_IN_SEGMENT = re.compile(r"[/?#\\\s\x00-\x1f\x7f-\x9f]")
_INSTANCE_TYPE = re.compile(r"(cpu|gpu)(:[a-d])?-(\d+(\.\d+)?|\.\d+)")
INSTANCE_TYPE_RULE = (
    "an instance type such as 'cpu-1', 'cpu-0.25' or 'gpu:b-4'"
    " (pattern (cpu|gpu)(:[a-d])?-<positive number>)"
)
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_IMAGE = re.compile(
    rf"(?:[A-Za-z0-9.-]+(?::\d+)?/)?{_COMPONENT}(?:/{_COMPONENT})*"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?"
)
IMAGE_RULE = "a docker image reference such as 'abeja-inc/all-cpu:19.10' (see Images)"


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
    if not text or text in (".", "..") or _NOT_IN_SEGMENT.search(text) or not _utf8(text):
        raise ValidationError(parameter, PATH_SEGMENT_RULE, value)
    return text


def path_segment(parameter: str, value: object) -> str:
    """Check an id or name that goes into a URL path and percent-encode it as one segment."""
    return quote(id_text(parameter, value), safe="")


def _utf8(text: str) -> bool:
    """Whether ``text`` can be sent: a lone surrogate ("\\ud800") has no UTF-8 form."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_instance_type(value: str) -> bool:
    """The platform's instance type grammar, with a positive number."""
    match = _INSTANCE_TYPE.fullmatch(value)
    try:
        return match is not None and Decimal(match.group(3)) > 0
    except InvalidOperation:
        return False


def _is_image(value: str) -> bool:
    """A docker image reference (``[host[:port]/]name[:tag][@digest]``)."""
    return len(value) <= 255 and _IMAGE.fullmatch(value) is not None


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


def optional_of(annotation: object) -> object:
    """``X`` for ``Optional[X]``, else the annotation itself."""
    if typing.get_origin(annotation) in _UNIONS:
        members = [kind for kind in typing.get_args(annotation) if kind is not type(None)]
        if len(members) == 1:
            return members[0]
    return annotation


def _words(where: str, info: FieldInfo) -> str:
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
            raise TypeError(f"{where}: no words for the constraint {item!r}; see Params.rule")
        limits.update(found)
    if words is None:
        words = _type_words(kind, limits)
    if words is None or limits:
        raise TypeError(f"{where}: no words for {kind!r} with {limits}; see Params.rule")
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
    if typing.get_origin(kind) in _LITERALS:
        return " or ".join(repr(choice) for choice in typing.get_args(kind))
    if kind == dict[str, str]:
        return "a dict of str to str"
    return None


class Params(BaseModel):
    """Strict parameter model: no coercion ("3" is not 3, True is not 1), no unknown keys."""

    # protected_namespaces=(): a field may be named model_id; pydantic before 2.10 would
    # warn about it when the class is made (2.10 narrowed the reserved names).
    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        defer_build=True,
        protected_namespaces=(),
        use_attribute_docstrings=True,  # the string under each field is its description
    )

    @classmethod
    def rule(cls, parameter: str) -> str:
        """What ``parameter`` allows, in the words every refusal of it uses.

        Said from the field's declaration alone (its type, ``ge``/``le``/``min_length``,
        the choices of a ``Literal``, a ``Grammar``), so changing a constraint changes
        the message with it; a constraint it cannot say is a ``TypeError``.
        """
        return _words(f"{cls.__name__}.{parameter}", cls.model_fields[parameter])

    @classmethod
    def build(cls, **values: object) -> Self:
        """Validate keyword arguments, turning pydantic's error into a ``ValidationError``."""
        try:
            return cls.model_validate(values)
        except pydantic.ValidationError as exc:
            error = exc.errors()[0]
            cause = error.get("ctx", {}).get("error")
            if isinstance(cause, ValidationError):
                raise cause from None
            parameter = str(error["loc"][0]) if error["loc"] else "arguments"
            allowed = cls.rule(parameter) if parameter in cls.model_fields else error["msg"]
            # The whole argument, not the inner value at fault ({"A": 1}, not 1).
            value = values.get(parameter, error.get("input"))
            raise ValidationError(parameter, allowed, value) from None

    @model_validator(mode="after")
    def _sendable(self) -> Self:
        # A str that UTF-8 cannot encode (a lone surrogate) passes every type check and
        # would fail only while the body is written, after the call began.
        for name in type(self).model_fields:
            value = getattr(self, name)
            if not _all_utf8(value):
                allowed = type(self).rule(name) + " (valid Unicode: no lone surrogates)"
                raise ValidationError(name, allowed, value)
        return self

    def body(self) -> dict[str, object]:
        """The JSON body to send: only the parameters that were given."""
        return self.model_dump(exclude_none=True)


def _all_utf8(value: object) -> bool:
    """Whether every str in a parameter (a dict's keys and values too) has a UTF-8 form."""
    if isinstance(value, str):
        return _utf8(value)
    if isinstance(value, dict):
        return all(_all_utf8(key) and _all_utf8(item) for key, item in value.items())
    return True


MAX_DISTRIBUTION: Final = 2**63 - 1
"""The largest ``distribution`` accepted: a signed 64-bit int."""


class CreateTriggerParams(Params):
    """The body of *create trigger*: what runs, on which data, and how."""

    version_id: str = Field(min_length=1)
    """The id of the deployment version to run (``ver-...``)."""
    input_service_name: str = Field(min_length=1)
    """The service to watch: ``datalake``, the only one for now."""
    input_service_id: str = Field(min_length=1)
    """The id of the watched resource: for ``datalake``, the channel id."""
    model_id: Optional[str] = Field(default=None, min_length=1)
    """A training model to attach; sent as ``{"models": {"alias": model_id}}``."""
    output_service_name: Optional[str] = Field(default=None, min_length=1)
    """The service the runs write to; given together with ``output_service_id``."""
    output_service_id: Optional[str] = Field(default=None, min_length=1)
    """The id of the output service's resource; given with ``output_service_name``."""
    retry_count: Optional[int] = Field(default=None, ge=0, le=9)
    """How many times a failed run is retried, 0 to 9; ``None`` for the platform's default 5."""
    # The platform takes the remainder of a 64-bit number; beyond it, JSON writers differ.
    distribution: Optional[int] = Field(default=None, ge=0, le=MAX_DISTRIBUTION)
    """An int >= 0 whose remainder picks the run queue; ``None`` for round-robin."""
    environment: Optional[dict[str, str]] = None
    """Environment variables readable by the runs' code, ``str`` to ``str``."""

    @model_validator(mode="after")
    def _output_service_pairs(self) -> CreateTriggerParams:
        name, service_id = self.output_service_name, self.output_service_id
        if (name is None) != (service_id is None):
            missing = "output_service_id" if service_id is None else "output_service_name"
            both = "both or neither of output_service_name and output_service_id"
            raise ValidationError(missing, both, None)
        return self

    def body(self) -> dict[str, object]:
        """The JSON body, with ``model_id`` sent as ``{"models": {"alias": ...}}``."""
        body = self.model_dump(exclude_none=True, exclude={"model_id"})
        if self.model_id is not None:
            body["models"] = {"alias": self.model_id}
        return body


class NotebookParams(Params):
    """The body of *create notebook* and *update notebook*: every field optional."""

    instance_type: Annotated[Optional[str], Grammar(INSTANCE_TYPE_RULE, _is_instance_type)] = None
    """The machine, in the grammar ``(cpu|gpu)(:[a-d])?-<positive number>``."""
    image: Annotated[Optional[str], Grammar(IMAGE_RULE, _is_image)] = None
    """A Docker image reference, such as ``abeja-inc/all-cpu:19.10``."""
    notebook_type: Optional[NotebookType] = None
    """``"notebook"`` (Jupyter Notebook) or ``"lab"`` (JupyterLab)."""


class StartNotebookParams(Params):
    """The body of *start notebook*."""

    notebook_type: Optional[NotebookType] = None
    """Switch to ``"notebook"`` or ``"lab"`` while starting; ``None`` keeps it."""


class StopNotebookParams(Params):
    """The body of *stop notebook*: an empty object, as the platform's own SDK sends."""


MAX_TOKEN_LENGTH: Final = 8192
"""The longest paging token sent back to the platform."""

TOKEN_RULE = "a non-empty str token from a previous page, or None"


def is_token(value: object) -> bool:
    """Whether ``value`` can be sent back as a paging token (non-empty, bounded, UTF-8)."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_TOKEN_LENGTH
        and _utf8(value)
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
