"""Request parameters and the rules they obey, checked before anything is sent.

Both the resource layer and the seed-compatible ``APIClient`` classes build these
models, so each rule exists once. A broken rule raises
``abeja_models.errors.ValidationError`` naming the parameter and what it allows.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import ClassVar, Optional
from urllib.parse import quote

import pydantic
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from typing_extensions import Final, Literal, Self

from ..errors import ValidationError

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
IMAGE_RULE = "a docker image reference such as 'abeja-inc/all-cpu:19.10'"


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


def check_instance_type(value: str, parameter: str = "instance_type") -> str:
    """Check the platform's instance type grammar; the number must be positive."""
    match = _INSTANCE_TYPE.fullmatch(value)
    try:
        positive = match is not None and Decimal(match.group(3)) > 0
    except InvalidOperation:
        positive = False
    if not positive:
        raise ValidationError(parameter, INSTANCE_TYPE_RULE, value)
    return value


def check_image(value: str, parameter: str = "image") -> str:
    """Check a docker image reference (``[host[:port]/]name[:tag][@digest]``)."""
    if len(value) > 255 or not _IMAGE.fullmatch(value):
        raise ValidationError(parameter, IMAGE_RULE, value)
    return value


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
    allowed: ClassVar[dict[str, str]] = {}

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
            allowed = cls.allowed.get(parameter) or error["msg"]
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
                allowed = self.allowed.get(name, "text") + " (valid Unicode: no lone surrogates)"
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


_NON_EMPTY = "a non-empty str"
MAX_DISTRIBUTION: Final = 2**63 - 1
"""The largest ``distribution`` accepted: a signed 64-bit int."""


class CreateTriggerParams(Params):
    """The body of *create trigger*: what runs, on which data, and how."""

    allowed: ClassVar[dict[str, str]] = {
        "version_id": _NON_EMPTY,
        "input_service_name": _NON_EMPTY + " (only 'datalake' for now)",
        "input_service_id": _NON_EMPTY + " (the DataLake channel id)",
        "model_id": _NON_EMPTY + " or None",
        "output_service_name": "a str given together with output_service_id, or None",
        "output_service_id": "a str given together with output_service_name, or None",
        "retry_count": "an int from 0 to 9 (not a bool), or None for the default 5",
        "distribution": "an int from 0 to 2**63 - 1 (not a bool), or None",
        "environment": "a dict of str to str, or None",
    }

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
            raise ValidationError(missing, self.allowed[missing], None)
        return self

    def body(self) -> dict[str, object]:
        """The JSON body, with ``model_id`` sent as ``{"models": {"alias": ...}}``."""
        body = self.model_dump(exclude_none=True, exclude={"model_id"})
        if self.model_id is not None:
            body["models"] = {"alias": self.model_id}
        return body


class NotebookParams(Params):
    """The body of *create notebook* and *update notebook*: every field optional."""

    allowed: ClassVar[dict[str, str]] = {
        "instance_type": INSTANCE_TYPE_RULE + ", or None",
        "image": IMAGE_RULE + ", or None",
        "notebook_type": "'notebook' or 'lab', or None",
    }

    instance_type: Optional[str] = None
    """The machine, in the grammar ``(cpu|gpu)(:[a-d])?-<positive number>``."""
    image: Optional[str] = None
    """A Docker image reference, such as ``abeja-inc/all-cpu:19.10``."""
    notebook_type: Optional[NotebookType] = None
    """``"notebook"`` (Jupyter Notebook) or ``"lab"`` (JupyterLab)."""

    @field_validator("instance_type")
    @classmethod
    def _instance_type(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else check_instance_type(value)

    @field_validator("image")
    @classmethod
    def _image(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else check_image(value)


class StartNotebookParams(Params):
    """The body of *start notebook*."""

    allowed: ClassVar[dict[str, str]] = {"notebook_type": "'notebook' or 'lab', or None"}

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
