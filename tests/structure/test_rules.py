"""Each body rule is declared once: its constraint, and the message that refuses a value.

A parameter model's field declares what it allows (its type, ``ge``/``le``/``min_length``,
a ``Literal``'s choices, a ``Grammar``); ``Params.rule`` says it in words from that alone,
and every refusal of the field uses those words. Here each field is refused at each of its
bounds and the message must name that bound, and a changed bound changes the message.
"""

from __future__ import annotations

import typing
from typing import Any, Optional

import pytest
import typing_extensions
from pydantic import Field
from pydantic.fields import FieldInfo

from abeja_models import ValidationError, _endpoints as endpoints
from abeja_models.models._rules import Grammar, optional_of
from abeja_models.models.params import CreateTriggerParams, Params

CREATE_TRIGGER = {"version_id": "ver-1", "input_service_name": "datalake", "input_service_id": "2"}

MODELS = sorted(
    {endpoint.params for endpoint in endpoints.ENDPOINTS if endpoint.params is not None},
    key=lambda model: model.__name__,
)
FIELDS = [(model, name) for model in MODELS for name in model.model_fields]


def _refusals(info: FieldInfo) -> list[tuple[object, str]]:
    """Values the field's declaration refuses, each with what its message must say."""
    kind = optional_of(info.annotation)
    found: list[tuple[object, str]] = [(1.5, "")]  # no field here takes a float
    for item in info.metadata:
        if isinstance(item, Grammar):
            found.append(("not a valid value!", item.words))
        if getattr(item, "ge", None) is not None:
            found.append((item.ge - 1, str(item.ge)))
        if getattr(item, "le", None) is not None:
            found.append((item.le + 1, str(item.le)))
        if getattr(item, "min_length", None) == 1:
            found.append(("", "non-empty"))
    literal = typing.get_origin(kind) in (typing.Literal, typing_extensions.Literal)
    for choice in typing.get_args(kind) if literal else ():
        found.append(("no such choice", repr(choice)))
    return found


def _refuse(model: type[Params], name: str, value: object) -> ValidationError:
    given = CREATE_TRIGGER if "version_id" in model.model_fields else {}
    with pytest.raises(ValidationError) as refused:
        model.build(**{**given, name: value})
    return refused.value


@pytest.mark.parametrize(("model", "name"), FIELDS, ids=[f"{m.__name__}.{n}" for m, n in FIELDS])
def test_every_field_is_refused_in_the_words_of_its_own_declaration(
    model: type[Params], name: str
) -> None:
    rule = model.rule(name)  # a constraint it cannot put in words is a TypeError naming it
    for value, said in _refusals(model.model_fields[name]):
        error = _refuse(model, name, value)
        assert (error.parameter, error.allowed) == (name, rule), value
        assert said in rule, f"{model.__name__}.{name}: {rule!r} does not say {said!r}"


def test_changing_a_bound_changes_the_message_with_it() -> None:
    # retry_count declared again with le=8: a hand-written message would still say 9.
    class Narrowed(CreateTriggerParams):
        retry_count: Optional[int] = Field(default=None, ge=0, le=8)
        """Retries."""

    error = _refuse(Narrowed, "retry_count", 9)
    assert error.allowed == "an int from 0 to 8 (not a bool), or None"


@pytest.mark.parametrize("declared", [Field(max_length=3), Field(min_length=5)])
def test_a_constraint_the_messages_cannot_say_is_named_at_once(declared: Any) -> None:
    class Unsaid(Params):
        code: str = declared
        """A short code."""

    with pytest.raises(TypeError, match=r"Unsaid\.code: no words for"):
        Unsaid.rule("code")


def test_the_pair_rule_names_the_missing_one() -> None:
    arguments: dict[str, Any] = {**CREATE_TRIGGER, "output_service_name": "datalake"}
    with pytest.raises(ValidationError) as refused:
        CreateTriggerParams.build(**arguments)
    assert refused.value.parameter == "output_service_id"
    assert "both or neither" in refused.value.allowed
