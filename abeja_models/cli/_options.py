"""A command's options read from the endpoint table: one option for each body parameter.

The fields of each endpoint's parameter model (``CreateTriggerParams``, ``NotebookParams``,
``StartNotebookParams``) are the one list of what the call takes; a field added there
becomes an option here, and its value reaches the call under the field's name.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Optional

from .. import _endpoints as endpoints
from ..errors import ValidationError
from ..models._base import PlatformModel
from ..models._rules import literal_choices, optional_of
from ..models.params import Params


@dataclass(frozen=True)
class ParamOptions:
    """The options that stand for the fields of ``model``, and the values read back from them.

    ``shell`` holds what the command line adds to a field, as ``add_argument`` keywords
    (``default``, ``help`` when the field's description does not suit, ...), and
    ``flag``, the option's spelling when it is not the field's name in dashes.
    ``convert`` turns an option's value into the field's.
    """

    model: type[Params]
    shell: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    convert: Mapping[str, Callable[[Any], object]] = field(default_factory=dict)

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        """Add an option for every field; a field the shell must fill is a required option."""
        for name, info in self.model.model_fields.items():
            extra = dict(self.shell.get(name, {}))
            extra.pop("flag", None)
            typed = _typed(info.annotation)
            if typed is None and not {"type", "action"} & extra.keys():
                raise TypeError(f"{self.model.__name__}.{name}: say in `shell` how to read it")
            keywords = {**(typed or {}), "help": _help(info.description), **extra}
            keywords.setdefault("required", info.is_required() and "default" not in keywords)
            parser.add_argument(self._flag(name), dest=name, **keywords)

    def values(self, arguments: argparse.Namespace) -> dict[str, Any]:
        """The keyword arguments of the call: every field, read from its option."""
        return {
            name: self.convert.get(name, _unchanged)(getattr(arguments, name))
            for name in self.model.model_fields
        }

    def _flag(self, name: str) -> str:
        spelt: str = self.shell.get(name, {}).get("flag", "--" + name.replace("_", "-"))
        return spelt


def _typed(annotation: object) -> Optional[dict[str, Any]]:
    """What a field's type says about its option (``type=int``, the choices); ``None``: unknown."""
    kind = optional_of(annotation)
    if kind is str:
        return {}
    if kind is int:
        return {"type": int}
    choices = literal_choices(kind)
    return None if choices is None else {"choices": choices}


def _body(endpoint: endpoints.Endpoint[PlatformModel]) -> type[Params]:
    """The parameter model of ``endpoint``'s body."""
    if endpoint.params is None:
        raise TypeError(f"{endpoint.name} takes no body: it has no options to read")
    return endpoint.params


def _help(description: Optional[str]) -> Optional[str]:
    """A field's description as its option's help: plain text, in the style of the others."""
    if not description:
        return None
    text = description.replace("``", "").rstrip(".").replace("%", "%%")
    return text[:1].lower() + text[1:]


def _unchanged(value: object) -> object:
    return value


def _environment(pairs: list[str]) -> Optional[dict[str, str]]:
    environment: dict[str, str] = {}
    for pair in pairs:
        name, separator, value = pair.partition("=")
        if not separator or not name:
            raise ValidationError("--env", "NAME=VALUE", pair)
        if name in environment:  # keeping either value would hide the other from the user
            raise ValidationError("--env", f"each NAME once, but {name!r} is given again", pair)
        environment[name] = value
    return environment or None


CREATE_TRIGGER = ParamOptions(
    _body(endpoints.CREATE_TRIGGER),
    shell={
        "input_service_name": {"default": "datalake"},
        "environment": {
            "flag": "--env",
            "action": "append",
            "default": [],
            "metavar": "NAME=VALUE",
            "help": "an environment variable for the model's code (repeatable)",
        },
    },
    convert={"environment": _environment},
)
"""``triggers create``."""

NOTEBOOK_SETTINGS = ParamOptions(
    _body(endpoints.CREATE_NOTEBOOK),
    shell={
        "instance_type": {"help": "e.g. cpu-1, gpu:b-4"},
    },
)
"""``notebooks create`` and ``notebooks update``."""

START_NOTEBOOK = ParamOptions(_body(endpoints.START_NOTEBOOK))
"""``notebooks start``."""
