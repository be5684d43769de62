"""Request parameters and the rules they obey, checked before anything is sent.

Both the resource layer and the seed-compatible ``APIClient`` classes build these
models, so each rule exists once. A broken rule raises
``abeja_models.errors.ValidationError`` naming the parameter and what it allows.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Optional

import pydantic
from pydantic import BaseModel, ConfigDict, Field, model_validator
from typing_extensions import Annotated, Final, Literal, Self

from ..errors import ValidationError
from ._rules import Grammar, all_utf8, field_words

__all__ = [
    "CreateTriggerParams",
    "Images",
    "InstanceTypes",
    "NotebookParams",
    "NotebookType",
    "Params",
    "StartNotebookParams",
    "StopNotebookParams",
    "UpdateNotebookParams",
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


def _is_instance_type(value: str) -> bool:
    """The platform's instance type grammar, with a positive number."""
    match = _INSTANCE_TYPE.fullmatch(value)
    try:
        return match is not None and Decimal(match.group(3)) > 0
    except InvalidOperation:
        return False


def _is_datalake(value: str) -> bool:
    return value == "datalake"


def _is_image(value: str) -> bool:
    """A docker image reference (``[host[:port]/]name[:tag][@digest]``)."""
    return len(value) <= 255 and _IMAGE.fullmatch(value) is not None


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
        return field_words(f"{cls.__name__}.{parameter}", cls.model_fields[parameter])

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
            if not all_utf8(value):
                allowed = type(self).rule(name) + " (valid Unicode: no lone surrogates)"
                raise ValidationError(name, allowed, value)
        return self

    def body(self) -> dict[str, object]:
        """The JSON body to send: only the parameters that were given."""
        return self.model_dump(exclude_none=True)


MAX_DISTRIBUTION: Final = 2**63 - 1
"""The largest ``distribution`` accepted: a signed 64-bit int."""


class CreateTriggerParams(Params):
    """The body of *create trigger*: what runs, on which data, and how."""

    version_id: str = Field(min_length=1)
    """The id of the deployment version to run (``ver-...``)."""
    input_service_name: Annotated[str, Grammar("'datalake' (the only input service)", _is_datalake)]
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
    """The body of *create notebook*: every field optional."""

    instance_type: Annotated[Optional[str], Grammar(INSTANCE_TYPE_RULE, _is_instance_type)] = None
    """The machine, in the grammar ``(cpu|gpu)(:[a-d])?-<positive number>``."""
    image: Annotated[Optional[str], Grammar(IMAGE_RULE, _is_image)] = None
    """A Docker image reference, such as ``abeja-inc/all-cpu:19.10``."""
    notebook_type: Optional[NotebookType] = None
    """``"notebook"`` (Jupyter Notebook) or ``"lab"`` (JupyterLab)."""


class UpdateNotebookParams(NotebookParams):
    """The body of *update notebook*: the fields of ``NotebookParams``, at least one given."""

    @model_validator(mode="after")
    def _changes_something(self) -> Self:
        if not self.body():
            names = "/".join(type(self).model_fields)
            raise ValidationError(names, "at least one of them: there is nothing to update")
        return self


class StartNotebookParams(Params):
    """The body of *start notebook*."""

    notebook_type: Optional[NotebookType] = None
    """Switch to ``"notebook"`` or ``"lab"`` while starting; ``None`` keeps it."""


class StopNotebookParams(Params):
    """The body of *stop notebook*: an empty object, as the platform's own SDK sends."""


