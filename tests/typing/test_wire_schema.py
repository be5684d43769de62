"""Each document is described twice, and the two descriptions agree field by field.

The low-level clients' ``TypedDict``s (``models/wire.py``) must stay static, for editors and
type checkers, and the pydantic models are what the resource layer parses; neither can be
generated from the other without losing that. So this test compares them, pair by pair:

- the same keys;
- the same value types, once a model's annotation is written as it travels: a
  ``Timestamp`` is a ``str``, an ``Id`` a ``str`` (or ``Union[str, int]``, for an id some
  documents show as a number), a nested model its ``TypedDict``; ``list``, ``dict``,
  ``Literal`` and ``JsonValue`` as they are;
- the model reads every document the ``TypedDict`` allows: a key the ``TypedDict`` may
  leave out has a default in the model, and a value it allows to be ``None`` may be ``None``
  in the model. A key the model cannot do without is a required key.

The model may read a little more than the documents show, in one way only: a neutral
default (``None``, an empty list) for a key the documents always show, so that a partial
answer still parses. A model field that allows ``None`` while the ``TypedDict`` does not is
such a default, or the two disagree.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from types import GenericAlias
from typing import NamedTuple, Optional, Union

import pydantic
import pytest
import typing_extensions
from pydantic import JsonValue
from typing_extensions import Annotated, Literal, NotRequired, get_args, get_origin

from abeja_models import models
from abeja_models.models import notebook, trigger, wire
from abeja_models.models._base import BoundDocument, Id, PlatformModel, Timestamp

# Each model beside the TypedDict of the same document.
PAIRS: dict[type[PlatformModel], type] = {
    trigger.Trigger: wire.TriggerDict,
    trigger.TriggerList: wire.TriggerListDict,
    trigger.TriggerRun: wire.TriggerRunDict,
    trigger.TriggerRunPage: wire.TriggerRunPageDict,
    notebook.Creator: wire.CreatorDict,
    notebook.Notebook: wire.NotebookDict,
    notebook.NotebookList: wire.NotebookListDict,
    notebook.LogEvent: wire.LogEventDict,
    notebook.NotebookLogPage: wire.NotebookLogPageDict,
}
# The documents no model reads whole, and who reads them instead.
WITHOUT_A_MODEL = {
    wire.MessageDict: "NotebookActionAnswer reads it, with NotebookDict (see below)",
    wire.DeletedNotebookDict: "delete_notebook's answer; the resource layer returns None",
}
_NONE = type(None)


class Value(NamedTuple):
    """What one side says about one key: its type without ``None``, and what may be left out."""

    type: object
    required: bool
    allows_none: bool


def _without_none(annotation: object) -> tuple[object, bool]:
    if get_origin(annotation) is not Union or _NONE not in get_args(annotation):
        return annotation, False
    rest = tuple(argument for argument in get_args(annotation) if argument is not _NONE)
    return (rest[0] if len(rest) == 1 else Union[rest]), True


def wire_keys(typed_dict: type) -> dict[str, Value]:
    """A TypedDict's keys, read from its annotations (``NotRequired[...]`` or not)."""
    keys = {}
    hints = typing_extensions.get_type_hints(typed_dict, include_extras=True)
    for key, hint in hints.items():
        required = get_origin(hint) is not NotRequired
        value, allows_none = _without_none(hint if required else get_args(hint)[0])
        keys[key] = Value(value, required, allows_none)
    return keys


def model_fields(model: type[pydantic.BaseModel]) -> dict[str, Value]:
    """A model's fields, by the key they are read from."""
    hints = typing_extensions.get_type_hints(model, include_extras=True)
    fields = {}
    for name, field in model.model_fields.items():
        value, allows_none = _without_none(hints[name])
        fields[field.alias or name] = Value(value, field.is_required(), allows_none)
    return fields


def on_the_wire(annotation: object) -> frozenset[object]:
    """The TypedDict annotations that say what a model annotation says, as JSON carries it."""
    if annotation == Id:
        return frozenset({str, Union[str, int]})
    if annotation == Timestamp:
        return frozenset({str})
    if isinstance(annotation, type) and issubclass(annotation, PlatformModel):
        return frozenset({PAIRS[annotation]})
    origin, arguments = get_origin(annotation), get_args(annotation)
    if origin is Annotated:  # a constraint on the value, not part of its JSON type
        return on_the_wire(arguments[0])
    if origin in (list, dict):
        alternatives: list[frozenset[object]] = [on_the_wire(argument) for argument in arguments]
        combinations: list[tuple[object, ...]] = [()]
        for options in alternatives:
            combinations = [(*done, option) for done in combinations for option in options]
        return frozenset(GenericAlias(origin, combination) for combination in combinations)
    return frozenset({annotation})  # str, int, bool, JsonValue, a Literal


def disagreements(model: type[PlatformModel], typed_dict: type) -> Iterator[str]:
    """Each way in which a model and its TypedDict describe one document differently."""
    fields, keys = model_fields(model), wire_keys(typed_dict)
    for name in sorted(fields.keys() - keys.keys()):
        yield f"{name}: a field of {model.__name__}, not a key of {typed_dict.__name__}"
    for name in sorted(keys.keys() - fields.keys()):
        yield f"{name}: a key of {typed_dict.__name__}, not a field of {model.__name__}"
    for name in sorted(fields.keys() & keys.keys()):
        field, key = fields[name], keys[name]
        default = model.model_fields[name].get_default(call_default_factory=True)
        if key.type not in on_the_wire(field.type):
            yield f"{name}: {field.type} in the model, {key.type} on the wire"
        if field.required and not key.required:
            yield f"{name}: required by the model, NotRequired on the wire"
        if key.allows_none and not field.allows_none:
            yield f"{name}: may be None on the wire, not in the model"
        if not field.required and key.required and default not in (None, []):
            yield f"{name}: always sent, yet defaults to {default!r} in the model"
        if field.allows_none and not key.allows_none and default is not None:
            yield f"{name}: may be None in the model, never on the wire"


@pytest.mark.parametrize(
    ("model", "typed_dict"), list(PAIRS.items()), ids=[model.__name__ for model in PAIRS]
)
def test_the_typed_dict_and_the_model_describe_the_same_document(
    model: type[PlatformModel], typed_dict: type
) -> None:
    assert list(disagreements(model, typed_dict)) == []


def test_every_document_is_compared() -> None:
    documents = {
        value
        for value in vars(models).values()
        if isinstance(value, type) and issubclass(value, PlatformModel)
    } - {PlatformModel, BoundDocument}  # the bases, no document of their own
    assert documents == set(PAIRS)
    typed_dicts = {getattr(wire, name) for name in wire.__all__}
    assert typed_dicts == set(PAIRS.values()) | set(WITHOUT_A_MODEL)


@pytest.mark.parametrize(
    "typed_dict", [getattr(wire, name) for name in wire.__all__], ids=wire.__all__
)
def test_a_typed_dict_knows_its_required_keys_at_run_time(typed_dict: type) -> None:
    # What code that inspects a TypedDict reads; string annotations would make it wrong.
    required = {key for key, value in wire_keys(typed_dict).items() if value.required}
    assert typed_dict.__required_keys__ == required  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "typed_dict", [getattr(wire, name) for name in wire.__all__], ids=wire.__all__
)
def test_a_typed_dict_s_docstring_describes_each_key_in_order(typed_dict: type) -> None:
    # The API reference shows the Attributes section as the document's table of keys,
    # with the annotations as types: a key left out of it would be missing there.
    docstring = inspect.cleandoc(typed_dict.__doc__ or "")
    assert "\nAttributes:\n" in docstring, f"{typed_dict.__name__} has no Attributes section"
    section = docstring.split("\nAttributes:\n", 1)[1]
    described = re.findall(r"^    (\w+): \S", section, re.M)
    assert described == list(typed_dict.__annotations__)


def test_the_action_answer_reads_notebook_keys_only_and_needs_none() -> None:
    # start, stop and update answer a notebook or a bare {"message": ...} (the low-level
    # client's NotebookActionResult): the answer's model reads a part of a notebook.
    answer, notebook_keys = (
        model_fields(notebook.NotebookActionAnswer),
        wire_keys(wire.NotebookDict),
    )
    assert set(answer) <= set(notebook_keys)
    for name, field in answer.items():
        assert notebook_keys[name].type in on_the_wire(field.type), name
        assert not field.required, f"{name}: a message answer has no such key"
    assert not set(answer) & set(wire_keys(wire.MessageDict))


# The comparison itself: each kind of disagreement is seen ----------------------------


class _Nested(PlatformModel):
    id: Id


class _Model(PlatformModel):
    name: str
    when: Timestamp
    nested: list[_Nested]
    kind: Literal["a", "b"]
    extra: JsonValue = None


class _Agrees(typing_extensions.TypedDict):
    name: str
    when: str
    nested: list[_NestedDict]
    kind: Literal["a", "b"]
    extra: NotRequired[JsonValue]


class _NestedDict(typing_extensions.TypedDict):
    id: Union[str, int]


@pytest.fixture
def _nested_is_paired(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(PAIRS, _Nested, _NestedDict)


@pytest.mark.usefixtures("_nested_is_paired")
def test_a_model_and_a_typed_dict_that_agree_pass() -> None:
    assert list(disagreements(_Model, _Agrees)) == []


@pytest.mark.usefixtures("_nested_is_paired")
@pytest.mark.parametrize(
    ("key", "annotation", "expected"),
    [
        ("when", NotRequired[str], "required by the model, NotRequired on the wire"),
        ("extra", NotRequired[str], "in the model, <class 'str'> on the wire"),
        ("name", Optional[str], "may be None on the wire, not in the model"),
        ("kind", Literal["a"], "in the model, typing.Literal['a'] on the wire"),
        ("nested", list[_Nested], "in the model, list[tests"),
        ("when", int, "in the model, <class 'int'> on the wire"),
        ("renamed", str, "a key of _Changed, not a field of _Model"),
    ],
)
def test_each_kind_of_disagreement_is_reported(key: str, annotation: object, expected: str) -> None:
    keys = typing_extensions.get_type_hints(_Agrees, include_extras=True)
    changed = typing_extensions.TypedDict("_Changed", {**keys, key: annotation})  # type: ignore[misc]
    found = list(disagreements(_Model, changed))
    assert [line for line in found if line.startswith(f"{key}: ") and expected in line], found
