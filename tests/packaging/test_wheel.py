"""The wheel that users install carries the typing marker, the pytest plugin and the command.

The wheel is built once per session from the working tree, into a temporary directory,
with ``python -m build --wheel --no-isolation``: ``build`` and the backend, ``hatchling``,
are in the test extra, so the build needs no network.
"""

from __future__ import annotations

import configparser
import zipfile
from collections.abc import Iterator

import pytest

from .building import build

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zipfile.ZipFile]:
    built = build("--wheel", tmp_path_factory.mktemp("wheel"), "abeja_models-*.whl")
    with zipfile.ZipFile(built) as archive:
        yield archive


def test_wheel_ships_the_typing_marker_and_the_plugin(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert "abeja_models/py.typed" in names
    assert "abeja_models/testing/pytest_plugin.py" in names
    assert "abeja_models/cli/__init__.py" in names
    assert not [name for name in names if name.startswith(("tests/", "examples/"))]


def test_wheel_registers_the_pytest_plugin_and_the_command(wheel: zipfile.ZipFile) -> None:
    (entry_points_file,) = [
        name for name in wheel.namelist() if name.endswith(".dist-info/entry_points.txt")
    ]
    entry_points = configparser.ConfigParser()
    entry_points.read_string(wheel.read(entry_points_file).decode("utf-8"))
    assert dict(entry_points["pytest11"]) == {"abeja_models": "abeja_models.testing.pytest_plugin"}
    assert dict(entry_points["console_scripts"]) == {"abeja-models": "abeja_models.cli:main"}


def test_wheel_declares_itself_typed_and_carries_its_license(wheel: zipfile.ZipFile) -> None:
    (metadata_file,) = [name for name in wheel.namelist() if name.endswith(".dist-info/METADATA")]
    metadata = wheel.read(metadata_file).decode("utf-8")
    assert "Classifier: Typing :: Typed" in metadata
    assert "Classifier: License :: OSI Approved :: MIT License" in metadata
    # Where in .dist-info depends on the backend's version (licenses/, license_files/).
    (license_file,) = [name for name in wheel.namelist() if name.endswith("/LICENSE")]
    assert ".dist-info/" in license_file
    assert "MIT License" in wheel.read(license_file).decode("utf-8")
