"""The package's layers: imports point only downwards, and no module outgrows one job.

The order, top to bottom (``docs/contributing.md`` draws it): the command line, the
resource layer, the low-level clients, the endpoint table and paging, the models, the
transport, the settings, the errors. A module may import its own layer or any below it,
at run time; an import that only a type checker runs (under ``if TYPE_CHECKING:``) may
name a layer above, as the models name the collections that bound documents call.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "abeja_models"

# Each top-level module or subpackage of abeja_models, with its layer: higher imports lower.
LAYERS = {
    "__init__": 10,  # the public surface re-exports every layer
    "__main__": 9,
    "cli": 9,
    "_demo": 8,
    "testing": 8,  # the emulator: a platform of its own beside the SDK
    "resources": 7,
    "triggers": 6,
    "notebook": 6,
    "_seed_client": 6,
    "_endpoints": 5,
    "pagination": 5,
    "models": 4,
    "_http": 3,
    "_config": 2,
    "errors": 1,
    "_version": 0,
    "_lazy": 0,
}

MAX_LINES = 400


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _top(module: Path) -> str:
    return module.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _absolute(module: Path, node: ast.ImportFrom) -> str:
    """The dotted name, inside abeja_models, that a ``from ... import`` names."""
    if node.level == 0:
        return node.module or ""
    package = list(module.relative_to(PACKAGE).with_suffix("").parts)
    # A package's __init__ stands for the package: one level up is still inside it.
    base = ["abeja_models", *package[: len(package) - node.level]]
    return ".".join(base + ([node.module] if node.module else []))


def _type_checking_only(tree: ast.Module) -> set[int]:
    """The ids of import nodes that sit under ``if TYPE_CHECKING:``."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in (
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        ):
            for statement in node.body:
                hidden.update(id(inner) for inner in ast.walk(statement))
    return hidden


def _runtime_imports(module: Path) -> list[tuple[int, str]]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    hidden = _type_checking_only(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.ImportFrom):
            name = _absolute(module, node)
            targets = [name] if node.module else [f"{name}.{alias.name}" for alias in node.names]
            found.extend((node.lineno, target) for target in targets)
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return [(line, name) for line, name in found if name.startswith("abeja_models.")]


def test_every_part_of_the_package_has_a_layer() -> None:
    assert {_top(module) for module in _modules()} == set(LAYERS)


@pytest.mark.parametrize("module", _modules(), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_imports_point_only_downwards(module: Path) -> None:
    own = LAYERS[_top(module)]
    upwards = [
        f"line {line}: {name}"
        for line, name in _runtime_imports(module)
        if LAYERS[name.split(".")[1]] > own
    ]
    assert upwards == []


def test_the_check_sees_an_upward_import() -> None:
    # The models name the collections only for type checkers: were that import done at
    # run time, it would point upwards, and the test above would say so.
    notebook = PACKAGE / "models" / "notebook.py"
    tree = ast.parse(notebook.read_text(encoding="utf-8"))
    hidden = [
        _absolute(notebook, node)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and id(node) in _type_checking_only(tree)
    ]
    assert hidden == ["abeja_models.resources._notebooks"]
    assert LAYERS["resources"] > LAYERS["models"]


@pytest.mark.parametrize("module", _modules(), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_module_is_over_400_lines(module: Path) -> None:
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module.name} has {lines} lines: split it by job"
