"""Each script in examples/ runs to completion against its own in-process emulator.

The scripts run as a user would run them (``python examples/x.py --emulator``), in a
subprocess with the platform's variables removed from the environment, so they cannot
reach anything but the emulator they start.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from abeja_models import TriggerRun

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run_example(name: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ABEJA_", "PLATFORM_"))
    }
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        check=False,
    )


def finished_output(name: str, created: str) -> tuple[str, str]:
    """Run an example with ``--emulator``; its output and the id it says it ``created``."""
    done = run_example(name, "--emulator")
    assert done.returncode == 0, done.stdout + done.stderr
    made = re.search(created, done.stdout)
    assert made is not None, done.stdout
    return done.stdout, made[1]


def test_every_example_is_tested_and_documented() -> None:
    scripts = sorted(path.name for path in EXAMPLES.glob("[!_]*.py"))
    assert scripts == ["export_runs_jsonl.py", "notebook_session.py", "trigger_and_runs.py"]
    for script in scripts:
        source = (EXAMPLES / script).read_text(encoding="utf-8")
        assert source.startswith('"""'), f"{script} needs a docstring"
        assert f"python examples/{script} --emulator" in source, f"{script}: how to run it"


def test_trigger_and_runs() -> None:
    out, trigger_id = finished_output("trigger_and_runs.py", r"created trigger (tri-\d+)")
    assert out.count("uploaded sample-") == 3
    # The runs were watched through their states, in that order, to the end.
    states = [out.index(f"runs: {state}=3") for state in ("PENDING", "RUNNING", "SUCCEEDED")]
    assert states == sorted(states), out
    assert len(re.findall(r"run-\d+\s+SUCCEEDED", out)) == 3
    assert "all 3 runs SUCCEEDED" in out
    assert f"deleted trigger {trigger_id}" in out


def test_notebook_session() -> None:
    pattern = r"created notebook (\d+) \(notebook-1\): Pending"
    out, notebook_id = finished_output("notebook_session.py", pattern)
    assert re.search(r"notebook is Running after \d+\.\d s", out), out
    assert "Pulling image abeja-inc/all-cpu:19.10" in out
    assert "Starting JupyterLab server on instance cpu-1" in out  # from following the log
    assert "notebook is Stopped" in out
    assert f"deleted notebook {notebook_id}" in out
    steps = ["Running after", "recent log", "following the log", "Stopped", "deleted"]
    assert [out.index(step) for step in steps] == sorted(out.index(step) for step in steps)


def test_export_runs_jsonl(tmp_path: Path) -> None:
    output = tmp_path / "runs.jsonl"
    done = run_example("export_runs_jsonl.py", "--emulator", "--output", str(output))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "exported 125 runs of tri-" in done.stdout
    assert "round trip OK: all 125 runs equal (statuses: FAILED, SUCCEEDED)" in done.stdout
    # The file is what the script said: one JSON run per line, oldest first.
    runs = [TriggerRun.model_validate_json(line) for line in output.read_text().splitlines()]
    assert len(runs) == 125
    assert [run.created_at for run in runs] == sorted(run.created_at for run in runs)


@pytest.mark.parametrize(
    ("script", "named"),
    [
        ("trigger_and_runs.py", "--organization, --deployment, --version, --channel"),
        ("notebook_session.py", "--organization, --job-definition"),
        ("export_runs_jsonl.py", "--organization, --deployment, --trigger"),
    ],
)
def test_without_ids_an_example_says_what_it_needs(script: str, named: str) -> None:
    done = run_example(script)
    assert done.returncode == 2
    assert f"give {named} (or run with --emulator)" in done.stderr
