"""The sdist is the source tree: its tests pass from it, and its metadata says what it is.

Built once per module from the working tree with ``python -m build --sdist
--no-isolation`` (``build`` and ``hatchling`` are in the test extra, so no network), then
unpacked into a temporary directory.
"""

from __future__ import annotations

import email.parser
import os
import re
import shutil
import subprocess
import sys
import tarfile
from email.message import Message
from pathlib import Path

import pytest

from .building import REPOSITORY, build

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sdist")
    built = build("--sdist", out, "abeja_models-*.tar.gz")
    with tarfile.open(built) as archive:
        if hasattr(tarfile, "data_filter"):  # Python 3.12, and security releases before it
            archive.extractall(out, filter="data")
        else:  # pragma: no cover - older patch releases
            archive.extractall(out)
    (root,) = out.glob("abeja_models-*/")
    return root


def _files(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def _metadata(unpacked: Path) -> Message:
    return email.parser.Parser().parsestr((unpacked / "PKG-INFO").read_text(encoding="utf-8"))


def test_the_sdist_holds_every_file_git_tracks(unpacked: Path) -> None:
    if shutil.which("git") is None or not (REPOSITORY / ".git").exists():
        pytest.skip("not a git checkout (an unpacked sdist, say): nothing to compare with")
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPOSITORY, capture_output=True, text=True, timeout=60, check=True,
    ).stdout.splitlines()  # fmt: skip
    tracked = {name for name in listed if (REPOSITORY / name).is_file()}
    shipped = _files(unpacked)
    assert tracked - shipped == set()
    assert shipped - tracked == {"PKG-INFO"}
    assert {"LICENSE", ".ci/floors.txt", "docs/index.md", "mkdocs.yml"} <= shipped


def test_the_tests_that_read_the_tree_pass_from_the_unpacked_sdist(unpacked: Path) -> None:
    # The suites that read files outside the package (the docs, README, .ci's pins, the
    # examples, the layout); the others read only the package, which the wheel test covers.
    environment = {**os.environ, "PYTHONPATH": str(unpacked)}
    command = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-m", "not slow",
        "tests/docs", "tests/examples", "tests/structure",
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=unpacked, env=environment, capture_output=True, text=True, timeout=600,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
    assert re.search(r"\b\d{3,} passed\b", done.stdout), done.stdout[-2000:]


def test_the_metadata_names_the_license_the_project_and_the_pythons(unpacked: Path) -> None:
    metadata = _metadata(unpacked)
    classifiers = metadata.get_all("Classifier") or []
    assert "License :: OSI Approved :: MIT License" in classifiers
    assert "MIT License" in (unpacked / "LICENSE").read_text(encoding="utf-8")
    assert any(name.startswith("Development Status :: ") for name in classifiers)
    assert "Operating System :: OS Independent" in classifiers
    urls = dict(url.split(", ", 1) for url in metadata.get_all("Project-URL") or [])
    assert set(urls) == {"Documentation", "Source", "Issues"}
    assert all(url.startswith("https://") for url in urls.values())


def test_the_python_classifiers_run_from_requires_python_to_3_13(unpacked: Path) -> None:
    metadata = _metadata(unpacked)
    floor = re.fullmatch(r">=3\.(\d+)", metadata["Requires-Python"])
    assert floor is not None
    listed = [
        int(match[1])
        for name in metadata.get_all("Classifier") or []
        if (match := re.fullmatch(r"Programming Language :: Python :: 3\.(\d+)", name))
    ]
    assert listed == list(range(int(floor[1]), 14))
