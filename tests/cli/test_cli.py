"""The ``abeja-models`` command: the demo, the emulator server, and the resource commands."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request

import pytest

from abeja_models import Notebook, Trigger, TriggerRun
from abeja_models.testing import PlatformEmulator

from .commands import CREATE, DEPLOYMENT, JOB, ORG, run, usage_error


def test_demo_runs_start_to_finish_as_a_module() -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "abeja_models", "demo"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert "SUCCEEDED=5" in finished.stdout
    assert "125 runs in 3 requests" in finished.stdout
    assert "Running after" in finished.stdout
    assert "requests sent: 0" in finished.stdout
    assert "triggers left on the deployment: 0" in finished.stdout
    assert finished.stderr == ""


def test_trigger_commands_print_json_lines_that_load_into_the_models(
    abeja_emulator: PlatformEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "triggers",
        "create",
        *DEPLOYMENT,
        "--version-id",
        "ver-1",
        "--input-service-id",
        "2222222222222",
        "--retry-count",
        "2",
        "--env",
        "A=b",
        "--env",
        "EMPTY=",
    )
    assert code == 0
    trigger = Trigger.model_validate_json(out[0])
    assert (trigger.retry_count, trigger.user_env_vars) == (2, {"A": "b", "EMPTY": ""})

    abeja_emulator.add_runs(trigger.trigger_id, 7)
    code, out, _ = run(capsys, "triggers", "runs", *DEPLOYMENT, trigger.trigger_id)
    assert code == 0
    runs = [TriggerRun.model_validate_json(line) for line in out]
    assert len(runs) == 7
    assert [run.created_at for run in runs] == sorted((r.created_at for r in runs), reverse=True)
    code, out, _ = run(
        capsys,
        "triggers",
        "runs",
        *DEPLOYMENT,
        trigger.trigger_id,
        "--scan-forward",
        "--limit",
        "3",
    )
    assert [TriggerRun.model_validate_json(line).run_id for line in out] == [
        run.run_id for run in reversed(runs[-3:])
    ]

    code, out, _ = run(capsys, "triggers", "get", *DEPLOYMENT, trigger.trigger_id)
    assert Trigger.model_validate_json(out[0]) == trigger.model_copy(update={"distribution": None})
    code, out, _ = run(capsys, "triggers", "list", *DEPLOYMENT, "--table")
    assert out[0].split() == [
        "trigger_id",
        "input_service_id",
        "model_version_id",
        "retry_count",
        "created_at",
    ]
    assert out[1].split()[:4] == [trigger.trigger_id, "2222222222222", "ver-1", "2"]
    code, out, _ = run(capsys, "triggers", "delete", *DEPLOYMENT, trigger.trigger_id)
    assert json.loads(out[0]) == {"trigger_id": trigger.trigger_id, "deleted": True}
    code, out, _ = run(capsys, "triggers", "list", *DEPLOYMENT)
    assert (code, out) == (0, [])


def test_notebook_commands_walk_the_lifecycle(
    abeja_emulator: PlatformEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "notebooks", "create", *JOB, "--instance-type", "cpu-1", "--notebook-type", "lab"
    )
    assert code == 0
    notebook = Notebook.model_validate_json(out[0])
    notebook_id = notebook.notebook_id
    assert notebook.status == "Pending"

    code, out, _ = run(
        capsys, "notebooks", "update", *JOB, notebook_id, "--image", "abeja-inc/all-cpu:20.10"
    )
    assert Notebook.model_validate_json(out[0]).image == "abeja-inc/all-cpu:20.10"
    code, out, _ = run(capsys, "notebooks", "list", *JOB)
    assert [Notebook.model_validate_json(line).notebook_id for line in out] == [notebook_id]
    abeja_emulator.state.get_notebook(ORG, "job-1", notebook_id)  # still there
    code, out, _ = run(capsys, "notebooks", "stop", *JOB, notebook_id)
    assert Notebook.model_validate_json(out[0]).status == "Stopped"
    code, out, _ = run(
        capsys, "notebooks", "start", *JOB, notebook_id, "--notebook-type", "notebook"
    )
    assert Notebook.model_validate_json(out[0]).status == "Pending"
    code, out, _ = run(capsys, "notebooks", "get", *JOB, notebook_id, "--table")
    assert out[0].split()[:3] == ["training_notebook_id", "name", "status"]
    assert out[1].split()[0] == notebook_id
    _wait_for_log_lines(abeja_emulator, notebook_id)
    code, out, _ = run(capsys, "notebooks", "logs", *JOB, notebook_id)
    assert code == 0
    assert out, "the running notebook has written log lines"
    for line in out:
        assert set(json.loads(line)) == {"message", "timestamp"}
    code, out, _ = run(capsys, "notebooks", "delete", *JOB, notebook_id)
    assert json.loads(out[0]) == {"training_notebook_id": notebook_id, "deleted": True}


def _wait_for_log_lines(emulator: PlatformEmulator, notebook_id: str) -> None:
    """Until the started notebook runs and has written a log line (at most 5 s)."""
    give_up_at = time.monotonic() + 5
    while time.monotonic() < give_up_at:
        notebook = emulator.state.get_notebook(ORG, "job-1", notebook_id)
        if notebook["status"] == "Running" and emulator.state.recent_logs(
            ORG, "job-1", notebook_id, {}
        )["events"]:
            return
        time.sleep(0.05)
    raise AssertionError(f"notebook {notebook_id} wrote no log line within 5 s")


@pytest.mark.parametrize(
    ("argv", "expected", "exit_code"),
    [
        ([*CREATE, "--retry-count", "12"], "ValidationError: invalid retry_count=12", 2),
        ([*CREATE, "--env", "NOVALUE"], "ValidationError: invalid --env='NOVALUE'", 2),
        (["triggers", "get", *DEPLOYMENT, "tri-0000000000000000"], "NotFound", 1),
        (["triggers", "get", *DEPLOYMENT, "../x"], "ValidationError: invalid trigger_id", 2),
        (["notebooks", "update", *JOB, "1", "--instance-type", "cpu1"], "instance_type", 2),
    ],
)
def test_mistakes_and_api_errors_are_one_line_usage_2_api_1(
    abeja_emulator: PlatformEmulator,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    expected: str,
    exit_code: int,
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == exit_code
    assert out == []
    assert err.count("\n") == 1
    assert err.startswith("abeja-models: error: ")
    assert expected in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        [*CREATE, "--retry-count", "many"],
        ["notebooks", "create", *JOB, "--notebook-type", "Lab"],
        ["triggers", "frobnicate"],
        ["triggers", "list"],
        ["emulator", "--port", "65536"],
        ["emulator", "--port", "http"],
        ["emulator", "--page-size", "0"],
        ["triggers", "list", "-d", "1", "-o", ""],
        ["triggers", "runs", *DEPLOYMENT, "tri-1", "--limit", "0"],
    ],
)
def test_usage_mistakes_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert "error:" in usage_error(capsys, *argv)


def test_unauthorized_without_credentials_names_the_variables(
    abeja_emulator: PlatformEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PLATFORM_AUTH_TOKEN")
    code, _, err = run(capsys, "triggers", "list", *DEPLOYMENT)
    assert code == 1
    assert err.startswith("abeja-models: error: Unauthorized:")
    assert "PLATFORM_AUTH_TOKEN" in err


def test_the_emulator_flag_runs_a_command_against_an_in_process_emulator(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "notebooks", "create", "--emulator", "-j", "job")
    assert code == 0
    assert Notebook.model_validate_json(out[0]).status == "Pending"


def test_emulator_command_serves_until_stopped() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "abeja_models", "emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        url = first.split("listening on ")[1].split()[0]
        exports = [process.stdout.readline().strip() for _ in range(3)][1:]
        assert exports == [
            f"export ABEJA_API_URL={url}",
            "export PLATFORM_AUTH_TOKEN=emulator-token",
        ]
        request = urllib.request.Request(
            f"{url}/organizations/1/deployments/2/triggers",
            headers={"Authorization": "Bearer emulator-token"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert json.load(answer) == {"entries": []}
        # The printed curl line puts a file into a channel from this other process.
        assert process.stdout.readline().startswith("Start a run")
        curl = process.stdout.readline().split()
        assert curl[:5] == ["curl", "-X", "POST", "-H", '"Authorization:']
        upload = urllib.request.Request(
            curl[-1].replace("CHANNEL_ID", "2222222222222"),
            method="POST",
            headers={"Authorization": "Bearer emulator-token"},
        )
        with urllib.request.urlopen(upload, timeout=10) as answer:
            assert json.load(answer) == {"channel_id": "2222222222222", "run_ids": []}
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_emulator_command_on_a_port_in_use_is_one_line_and_exit_1(
    abeja_emulator: PlatformEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = abeja_emulator.url.rsplit(":", 1)[1]
    code, out, err = run(capsys, "emulator", "--port", taken)
    assert code == 1
    assert out == []
    where = f"127.0.0.1:{taken}"
    assert err == f"abeja-models: error: cannot listen on {where}: Address already in use\n"
