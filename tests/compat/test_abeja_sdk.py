"""The platform's own SDK (``abeja-sdk``) runs every documented call against the emulator.

``abeja-sdk`` lives in a venv of its own (it pins old dependencies); the test needs the
path of that venv's python in ``ABEJA_SDK_PYTHON`` (``.ci/run`` sets it) and is skipped,
saying so, without it.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from abeja_models import Notebook, Trigger, TriggerRun
from abeja_models.testing import PlatformEmulator

SESSION = Path(__file__).with_name("abeja_sdk_session.py")
ABEJA_SDK_PYTHON = os.environ.get("ABEJA_SDK_PYTHON")

pytestmark = pytest.mark.skipif(
    not ABEJA_SDK_PYTHON,
    reason="set ABEJA_SDK_PYTHON to the python of a venv with abeja-sdk installed",
)


def test_every_documented_call_of_abeja_sdk_works_against_the_emulator() -> None:
    assert ABEJA_SDK_PYTHON is not None
    with PlatformEmulator(page_size=2, notebook_start_delay=0.0, log_interval=0.01) as emulator:
        process = subprocess.Popen(
            [ABEJA_SDK_PYTHON, str(SESSION)],
            env={**os.environ, **emulator.env("sdk-token")},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        assert process.stdin is not None
        first_line = process.stdout.readline()
        created = json.loads(first_line)["result"] if first_line.startswith("{") else {}
        if "trigger_id" in created:
            # Three runs in pages of two: the session's second runs call uses the token.
            emulator.add_runs(created["trigger_id"], 3)
        stdout, stderr = process.communicate("go on\n", timeout=120)
        sent = emulator.requests
    stdout = first_line + stdout
    lines = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    assert process.returncode == 0, f"{lines[-1:]} {stderr[-2000:]}"
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
    # Every request the platform's SDK sent carried its bearer token and its own paths.
    assert {request.headers.get("Authorization") for request in sent} == {
        "Bearer sdk-token"
    }

