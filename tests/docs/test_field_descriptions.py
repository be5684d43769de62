"""Every field of every model says what it holds, where people look: the model, an IDE hover.

The descriptions are attribute docstrings (the string on the line after a field), which
pydantic reads into ``FieldInfo.description`` (``use_attribute_docstrings``), mkdocstrings
shows in the API reference, and editors (jedi, pyright) show on hover.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pydantic
import pytest
from typing_extensions import get_args

import abeja_models.models

ROOT = Path(__file__).resolve().parents[2]


def _models() -> list[type[pydantic.BaseModel]]:
    found: dict[str, type[pydantic.BaseModel]] = {}
    package = abeja_models.models
    for module_info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, pydantic.BaseModel)
                and value.__module__.startswith(package.__name__)
                and value.model_fields
            ):
                found[value.__qualname__] = value
    return [found[name] for name in sorted(found)]


MODELS = _models()
FIELDS = [(model, name) for model in MODELS for name in model.model_fields]


def test_the_walk_finds_the_documents_pages_and_parameters() -> None:
    names = {model.__name__ for model in MODELS}
    assert {
        "Trigger", "TriggerRun", "TriggerList", "TriggerRunPage",
        "Notebook", "Creator", "LogEvent", "NotebookList", "NotebookLogPage",
        "CreateTriggerParams", "NotebookParams", "StartNotebookParams",
    } <= names  # fmt: skip


@pytest.mark.parametrize(
    ("model", "field"), FIELDS, ids=[f"{model.__name__}.{name}" for model, name in FIELDS]
)
def test_every_field_has_a_description(model: type[pydantic.BaseModel], field: str) -> None:
    description = model.model_fields[field].description
    assert description, f"{model.__name__}.{field}: put a docstring on the line after it"
    assert description.strip() == description, "no blank description, no stray spaces"
    # The JSON schema (and so any generated client or form) carries it too.
    schema = model.model_json_schema()["properties"][field]
    assert schema.get("description") == description


jedi = pytest.importorskip("jedi")

_HOVER_SOURCE = """\
from abeja_models import Client, Notebook, Trigger, TriggerRun

trigger: Trigger = Client().organization("1").deployment("2").triggers.get("tri-1")
for run in trigger.runs():
    run.status
    run.input_data
notebook: Notebook
notebook.instance_type
notebook.creator.email
for event in notebook.logs():
    event.timestamp
"""

# (line, the attribute on it, the model that declares it)
_HOVERS = [
    (5, "status", "TriggerRun"),
    (6, "input_data", "TriggerRun"),
    (8, "instance_type", "Notebook"),
    (9, "email", "Creator"),
    (11, "timestamp", "LogEvent"),
]


@pytest.mark.parametrize(("line", "attribute", "model"), _HOVERS)
def test_an_editor_hover_shows_the_description(line: int, attribute: str, model: str) -> None:
    text = _HOVER_SOURCE.splitlines()[line - 1]
    column = text.index("." + attribute) + 2
    script = jedi.Script(_HOVER_SOURCE, path=ROOT / "hover.py", project=jedi.Project(ROOT))
    hover = "\n".join(name.docstring() for name in script.help(line, column))
    description = getattr(abeja_models.models, model).model_fields[attribute].description
    assert description
    assert description in hover, hover


@pytest.mark.parametrize(
    ("model", "statuses"),
    [("TriggerRun", "TriggerRunStatus"), ("Notebook", "NotebookStatus")],
)
def test_a_status_s_hover_names_every_known_status(model: str, statuses: str) -> None:
    description = getattr(abeja_models.models, model).model_fields["status"].description
    known = get_args(getattr(abeja_models.models, statuses))
    assert [status for status in known if f"``{status}``" not in description] == []
