"""What the command-line tests share: the ids they use and ways of running the command."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from abeja_models.cli import main

ORG = "1234567890123"
DEPLOYMENT = ["-o", ORG, "-d", "1111111111111"]
JOB = ["-o", ORG, "-j", "job-1"]
CREATE = ["triggers", "create", *DEPLOYMENT, "--version-id", "v", "--input-service-id", "c"]
"""A ``triggers create`` that the SDK accepts, to add one mistake to."""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    """``main(argv)`` in this process: its exit code, its output lines and its stderr."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The one line argparse (or the command, the same way) printed for a usage mistake."""
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1, captured.err
    return captured.err


def process_environment(**settings: str) -> dict[str, str]:
    """This process's environment without the platform's variables, plus ``settings``."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ABEJA_", "PLATFORM_"))
    }
    env.update(settings)
    return env


def command(*argv: str) -> list[str]:
    """``python -m abeja_models`` with ``argv``."""
    return [sys.executable, "-m", "abeja_models", *argv]


def run_process(
    argv: list[str], timeout: float, **settings: str
) -> tuple[subprocess.CompletedProcess[str], float]:
    """The command in a subprocess with only ``settings`` set, and the seconds it took."""
    began = time.monotonic()
    finished = subprocess.run(
        command(*argv),
        env=process_environment(**settings),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return finished, time.monotonic() - began
