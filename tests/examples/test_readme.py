"""The README's tour is code users paste: it runs, unchanged but for its poll interval."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from abeja_models import Client
from abeja_models.testing import PlatformEmulator

README = Path(__file__).resolve().parents[2] / "README.md"


def _python_block_after(heading: str) -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match is not None, f"no python block under {heading!r}"
    return match.group(1)


def test_the_readme_tour_runs_against_the_emulator(
    abeja_emulator: PlatformEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    tour = _python_block_after("## A tour of the resource layer")
    # Against the platform a notebook takes minutes to start, so the tour polls every 5 s;
    # the emulator's takes 0.1 s.
    assert "poll_interval=5)" in tour
    tour = tour.replace("poll_interval=5)", "poll_interval=0.02)")

    exec(compile(tour, str(README), "exec"), {"__name__": "readme_tour"})

    printed = capsys.readouterr().out.splitlines()
    assert printed, "the tour prints the notebook's log lines"
    with Client() as client:
        org = client.organization("1234567890123")
        assert org.deployment("1111111111111").triggers.list() == []
        assert org.job_definition("test_job_definition").notebooks.list() == []
    assert abeja_emulator.count("POST", r"/triggers$") == 1
    assert abeja_emulator.count("POST", r"/notebooks/\d+/stop$") == 1

