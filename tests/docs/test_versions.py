"""The versions the prose promises are the ones pyproject.toml declares (and CI pins)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the floor's interpreter
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROSE = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
# The pages that state the requirements in full.
STATEMENTS = [ROOT / "README.md", ROOT / "docs" / "index.md", ROOT / "docs" / "contributing.md"]


def _floors() -> dict[str, str]:
    floors = {}
    for requirement in PYPROJECT["project"]["dependencies"]:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9.]+)", requirement)
        assert match, f"an unexpected requirement form: {requirement!r}"
        floors[match[1].lower()] = match[2]
    return floors


FLOORS = _floors()
PYTHON = re.fullmatch(r">=\s*(3\.\d+)", PYPROJECT["project"]["requires-python"])[1]  # type: ignore[index]


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", PROSE, ids=_relative)
def test_every_floor_in_the_prose_is_pyprojects(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for name, version in re.findall(r"`([A-Za-z0-9_.-]+)>=([0-9.]+)`", text):
        if name.lower() in FLOORS:
            assert version == FLOORS[name.lower()], (
                f"{_relative(path)} says {name}>={version}; pyproject.toml says"
                f" {name}>={FLOORS[name.lower()]}"
            )
    for version in re.findall(r"Python (3\.\d+) or newer", text):
        assert version == PYTHON, f"{_relative(path)} says Python {version} or newer"


@pytest.mark.parametrize("path", STATEMENTS, ids=_relative)
def test_the_requirements_are_stated_in_full(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert set(FLOORS) == {"pydantic", "requests", "typing-extensions", "urllib3"}
    for name, version in FLOORS.items():
        assert f"`{name}>={version}`" in text, f"{_relative(path)} does not name {name}>={version}"
    assert f"Python {PYTHON}" in text


def test_ci_pins_the_floors_themselves() -> None:
    pins = dict(
        re.findall(
            r"^([A-Za-z0-9_.-]+)==([0-9.]+)", (ROOT / ".ci" / "floors.txt").read_text(), re.M
        )
    )
    for name, version in FLOORS.items():
        pinned = pins.get(name)
        assert pinned is not None, f".ci/floors.txt does not pin {name}"
        assert pinned.split(".")[: len(version.split("."))] == version.split("."), (
            f".ci/floors.txt pins {name}=={pinned}, pyproject.toml's floor is {version}"
        )
        assert re.fullmatch(re.escape(version) + r"(\.0)*", pinned), (name, pinned, version)
