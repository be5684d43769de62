"""The platform's own SDK (``abeja-sdk``) runs every documented call against the emulator.

``abeja-sdk`` lives in a venv of its own (it pins old dependencies); the test needs the
path of that venv's python in ``ABEJA_SDK_PYTHON`` (``.ci/run`` sets it) and is skipped,
saying so, without it (under CI it fails instead: ``tests/required.py``).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Callable

import pytest
import requests

from abeja_models import Notebook, Trigger, TriggerRun
from abeja_models.testing import PlatformEmulator
from tests.required import cannot_run

SESSION = Path(__file__).with_name("abeja_sdk_session.py")
ABEJA_SDK_PYTHON = os.environ.get("ABEJA_SDK_PYTHON")



@pytest.fixture(autouse=True)
def _abeja_sdk() -> None:
    if not ABEJA_SDK_PYTHON:
        cannot_run("set ABEJA_SDK_PYTHON to the python of a venv with abeja-sdk installed")


def _run_session(url: str, give_runs: Callable[[str], None]) -> tuple[str, str, int]:
    """Run the session script against ``url``; ``give_runs(channel)`` after its first call."""
    assert ABEJA_SDK_PYTHON is not None
    process = subprocess.Popen(
        [ABEJA_SDK_PYTHON, str(SESSION)],
        env={**os.environ, "ABEJA_API_URL": url, "PLATFORM_AUTH_TOKEN": "sdk-token"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first_line = process.stdout.readline()
    created = json.loads(first_line)["result"] if first_line.startswith("{") else {}
    if "trigger_id" in created:
        # Three runs in pages of two: the session's second runs call uses the token.
        give_runs(created["input_service_id"])
    stdout, stderr = process.communicate("go on\n", timeout=120)
    return first_line + stdout, stderr, process.returncode


@contextlib.contextmanager
def _emulator_command() -> Iterator[str]:
    """``abeja-models emulator`` in a process of its own; yields its URL."""
    command = [sys.executable, "-m", "abeja_models", "emulator", "--port", "0"]
    process = subprocess.Popen([*command, "--page-size", "2"], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield process.stdout.readline().split("listening on ")[1].split()[0]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_every_documented_call_of_abeja_sdk_works_against_the_emulator() -> None:
    with PlatformEmulator(page_size=2, notebook_start_delay=0.0, log_interval=0.01) as emulator:

        def upload_three(channel: str) -> None:
            for _ in range(3):
                emulator.upload(channel)

        stdout, stderr, returncode = _run_session(emulator.url, upload_three)
        sent = emulator.requests
    _check_session(stdout, stderr, returncode)
    # Every request the platform's SDK sent carried its bearer token.
    assert {request.headers.get("Authorization") for request in sent} == {"Bearer sdk-token"}


def test_every_documented_call_of_abeja_sdk_works_against_the_emulator_command() -> None:
    with _emulator_command() as url:

        def upload_three(channel: str) -> None:
            for _ in range(3):
                answer = requests.post(
                    f"{url}/_emulator/channels/{channel}/files",
                    headers={"Authorization": "Bearer sdk-token"},
                    timeout=10,
                )
                answer.raise_for_status()

        stdout, stderr, returncode = _run_session(url, upload_three)
    _check_session(stdout, stderr, returncode)


def _check_session(stdout: str, stderr: str, returncode: int) -> None:
    lines = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    assert returncode == 0, f"{lines[-1:]} {stderr[-2000:]}"
    results = {line["operation"]: line["result"] for line in lines}
    assert list(results) == [
        "create_trigger", "get_trigger", "get_triggers", "get_trigger_runs",
        "get_trigger_runs(next_page_token)", "delete_trigger",
        "create_notebook", "get_notebook", "get_notebooks", "update_notebook",
        "stop_notebook", "start_notebook", "get_notebook_recent_logs",
        "get_notebook_recent_logs(next_forward_token)", "delete_notebook",
    ]
    # What abeja-sdk got back is what this SDK's models accept.
    trigger = Trigger.model_validate(results["get_trigger"])
    assert trigger.user_env_vars == {"EXAMPLE_ENV": "example"}
    assert trigger.retry_count == 3
    pages = [results["get_trigger_runs"], results["get_trigger_runs(next_page_token)"]]
    runs = [TriggerRun.model_validate(entry) for page in pages for entry in page["entries"]]
    assert len(runs) == 3
    assert len({run.run_id for run in runs}) == 3
    assert pages[1]["next_page_token"] is None
    assert results["delete_trigger"] == {"message": f"{trigger.trigger_id} deleted"}
    updated = Notebook.model_validate(results["update_notebook"])
    assert updated.instance_type == "cpu-2"
    assert Notebook.model_validate(results["stop_notebook"]).status == "Stopped"
    assert results["get_notebooks"]["total"] == 1
    assert results["delete_notebook"] == {
        "value": {"message": f"{updated.notebook_id} deleted"}
    }
