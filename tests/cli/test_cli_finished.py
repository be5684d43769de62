"""The command line as a new user meets it: exit codes, messages, timeouts, --emulator, pipes.

In-process cases call ``main`` with capsys; the cases about the process itself (time to
fail, a closed pipe) run ``python -m abeja_models`` in a subprocess. No network: every
server is on 127.0.0.1.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from abeja_models import LogEvent, Notebook, Trigger, TriggerRun
from abeja_models.cli import main
from abeja_models.testing import PlatformEmulator, seed as seeded

from .commands import (
    CREATE,
    DEPLOYMENT,
    JOB,
    ORG,
    command,
    process_environment,
    run,
    run_process,
    usage_error,
)

# Exit codes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            [*CREATE, "--retry-count", "12"],
            "ValidationError: invalid retry_count=12",
        ),
        (
            [*CREATE, "--env", "NOVALUE"],
            "ValidationError: invalid --env='NOVALUE'",
        ),
        (["triggers", "get", *DEPLOYMENT, "../x"], "ValidationError: invalid trigger_id"),
        (["notebooks", "update", *JOB, "1", "--instance-type", "cpu1"], "instance_type"),
        (["triggers", "list", *DEPLOYMENT, "--base-url", "ftp://x"], "invalid --base-url="),
        (["triggers", "list", *DEPLOYMENT, "--timeout", "1e10"], "invalid --timeout="),
    ],
)
def test_an_argument_the_sdk_refuses_is_a_usage_mistake_exit_2(
    abeja_emulator: PlatformEmulator,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    expected: str,
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == []
    assert err.count("\n") == 1
    assert err.startswith("abeja-models: error: ")
    assert expected in err
    assert abeja_emulator.requests == []


@pytest.mark.parametrize("limit", ["-1", "0", "many"])
def test_a_bad_limit_is_a_usage_mistake_exit_2(
    capsys: pytest.CaptureFixture[str], limit: str
) -> None:
    err = usage_error(capsys, "triggers", "runs", *DEPLOYMENT, "tri-1", "--limit", limit)
    assert "--limit" in err


def test_api_errors_and_refused_environment_settings_stay_exit_1(
    abeja_emulator: PlatformEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, _, err = run(capsys, "triggers", "get", *DEPLOYMENT, "tri-0000000000000000")
    assert (code, err.split()[2]) == (1, "NotFound:")
    monkeypatch.setenv("ABEJA_API_URL", "ftp://x")
    code, _, err = run(capsys, "triggers", "list", *DEPLOYMENT)
    assert code == 1
    assert "ValidationError" in err
    monkeypatch.setenv("ABEJA_API_URL", abeja_emulator.url)
    monkeypatch.setenv("ABEJA_SDK_MAX_RETRY_COUNT", "many")
    code, _, err = run(capsys, "triggers", "list", *DEPLOYMENT)
    assert code == 1
    assert "ABEJA_SDK_MAX_RETRY_COUNT" in err


def test_the_exit_codes_are_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "exit status:" in out
    assert "2  a usage mistake" in out
    assert "3.05 s to connect" in out
    assert "ABEJA_SDK_MAX_RETRY_COUNT" in out


# Missing options and credentials ----------------------------------------------------------


def test_a_missing_organization_names_the_flag_and_the_variable(
    capsys: pytest.CaptureFixture[str]
) -> None:
    err = usage_error(capsys, "triggers", "list", "-d", "1")
    assert "-o/--organization" in err
    assert "ABEJA_ORGANIZATION_ID" in err
    assert "None" not in err


@pytest.mark.parametrize(
    ("argv", "flag"),
    [
        (["triggers", "list", "-o", "1"], "-d/--deployment"),
        (["notebooks", "list", "-o", "1"], "-j/--job-definition"),
    ],
)
def test_a_missing_scope_names_the_flag(
    capsys: pytest.CaptureFixture[str], argv: list[str], flag: str
) -> None:
    assert flag in usage_error(capsys, *argv)


@pytest.mark.parametrize(
    ("environment", "wanted"),
    [
        ({}, "set PLATFORM_AUTH_TOKEN, or ABEJA_PLATFORM_USER_ID and"),
        (
            {"ABEJA_PLATFORM_USER_ID": "1234567890123"},
            "ABEJA_PLATFORM_USER_ID is set but ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN is not",
        ),
        (
            {"ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN": "a-personal-token"},
            "ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN is set but ABEJA_PLATFORM_USER_ID is not",
        ),
        (
            {"ABEJA_PLATFORM_DATASOURCE_ID": "1"},
            "ABEJA_PLATFORM_DATASOURCE_ID is set but ABEJA_PLATFORM_DATASOURCE_SECRET is not",
        ),
    ],
    ids=["none", "user-id-only", "token-only", "datasource-id-only"],
)
def test_missing_credentials_are_named_in_the_command_lines_terms(
    abeja_emulator: PlatformEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    wanted: str,
) -> None:
    monkeypatch.delenv("PLATFORM_AUTH_TOKEN")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    code, out, err = run(capsys, "triggers", "list", *DEPLOYMENT)
    assert (code, out) == (1, [])
    assert err.startswith("abeja-models: error: Unauthorized:")
    assert err.count("\n") == 1
    assert wanted in err
    assert "auth_token=" not in err
    assert "no credentials configured" not in err


# Retries and timeouts ---------------------------------------------------------------------


def test_a_retry_is_reported_on_stderr_as_one_line(
    abeja_emulator: PlatformEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    abeja_emulator.inject_fault("GET", "/triggers$", status=503, retry_after=0.05, times=1)
    code, out, err = run(capsys, "triggers", "list", *DEPLOYMENT)
    assert (code, out) == (0, [])
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("abeja-models: GET /organizations/")
    assert "status 503" in lines[0]
    assert "retry 1/" in lines[0]


LIST = ["triggers", "list", "-o", "1", "-d", "2"]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_server_fails_in_seconds_and_says_it_is_retrying() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    finished, elapsed = run_process(LIST, 30, ABEJA_API_URL=url, PLATFORM_AUTH_TOKEN="t")
    assert finished.returncode == 1
    lines = finished.stderr.splitlines()
    assert [line for line in lines if "retry" in line] == lines[:-1]
    assert len(lines) >= 2
    assert lines[-1].startswith("abeja-models: error: APIConnectionError")
    assert elapsed < 6, elapsed


@pytest.fixture
def never_accepting() -> Iterator[str]:
    """A URL whose server never completes a connection: its accept queue is full."""
    with socket.socket() as listener, socket.socket() as filler:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        filler.connect(listener.getsockname())  # takes the only place in the queue
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


@pytest.mark.parametrize(
    ("settings", "fastest", "slowest"),
    [({}, 2.5, 8), ({"ABEJA_SDK_CONNECTION_TIMEOUT": "0.5"}, 0, 2.5)],
    ids=["a-few-seconds-by-default", "the-variable-still-rules"],
)
def test_the_connect_timeout(
    never_accepting: str, settings: dict[str, str], fastest: float, slowest: float
) -> None:
    finished, elapsed = run_process(
        LIST,
        15,
        ABEJA_API_URL=never_accepting,
        PLATFORM_AUTH_TOKEN="t",
        ABEJA_SDK_MAX_RETRY_COUNT="0",
        **settings,
    )
    assert finished.returncode == 1
    assert "APITimeoutError" in finished.stderr
    assert fastest < elapsed < slowest, elapsed


# --emulator -------------------------------------------------------------------------------


def test_the_emulator_flag_serves_the_seeded_triggers_and_runs(
    capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "triggers", "list", "--emulator")
    assert code == 0
    assert [Trigger.model_validate_json(line).trigger_id for line in out] == [seeded.TRIGGER]
    code, out, _ = run(capsys, "triggers", "runs", "--emulator", seeded.TRIGGER)
    statuses = [TriggerRun.model_validate_json(line).status for line in out]
    assert sorted(statuses) == ["FAILED"] + ["SUCCEEDED"] * 4


def test_the_emulator_flag_serves_the_seeded_notebooks_and_their_logs(
    capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "notebooks", "list", "--emulator")
    assert code == 0
    notebooks = {
        notebook.notebook_id: notebook.status for notebook in map(Notebook.model_validate_json, out)
    }
    assert notebooks == {seeded.NOTEBOOK: "Running", seeded.STOPPED_NOTEBOOK: "Stopped"}
    code, out, _ = run(capsys, "notebooks", "logs", seeded.NOTEBOOK, "--emulator")
    assert code == 0
    messages = [LogEvent.model_validate_json(line).message for line in out]
    assert len(messages) >= 5
    assert messages[0].startswith("Pulling image")


def test_the_help_names_the_seeded_data(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["notebooks", "--help"])
    assert f"notebooks logs --emulator {seeded.NOTEBOOK}" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["triggers", "runs", "--help"])
    assert f"--emulator {seeded.TRIGGER}" in capsys.readouterr().out


# --table, update --------------------------------------------------------------------------


def test_table_works_on_every_command_that_changes_something(
    capsys: pytest.CaptureFixture[str]
) -> None:
    for argv, header in [
        (["triggers", "delete", seeded.TRIGGER], ["trigger_id", "deleted"]),
        (["notebooks", "delete", seeded.NOTEBOOK], ["training_notebook_id", "deleted"]),
        (["notebooks", "stop", seeded.NOTEBOOK], ["training_notebook_id", "name", "status"]),
        (
            ["notebooks", "start", seeded.STOPPED_NOTEBOOK],
            ["training_notebook_id", "name", "status"],
        ),
        (
            ["notebooks", "update", seeded.NOTEBOOK, "--instance-type", "cpu-2"],
            ["training_notebook_id", "name", "status"],
        ),
    ]:
        code, out, err = run(capsys, *argv, "--emulator", "--table")
        assert (code, err) == (0, ""), argv
        assert len(out) == 2, argv
        assert out[0].split()[: len(header)] == header, argv
        assert not out[1].startswith("{"), argv
    assert out[1].split()[0] == seeded.NOTEBOOK
    code, out, _ = run(capsys, "triggers", "delete", seeded.TRIGGER, "--emulator", "--table")
    assert out[1].split() == [seeded.TRIGGER, "true"]


def test_update_with_nothing_to_update_is_a_usage_mistake(
    abeja_emulator: PlatformEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "notebooks", "update", *JOB, "1230000000000")
    assert (code, out) == (2, [])
    assert "instance_type/image/notebook_type" in err
    assert "nothing to update" in err
    assert abeja_emulator.requests == []


# Pipes ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def running_notebook() -> Iterator[tuple[PlatformEmulator, str]]:
    with PlatformEmulator(notebook_start_delay=0, log_interval=0.01) as emulator:
        created = emulator.state.create_notebook(ORG, "job-1", {"notebook_type": "lab"})
        trigger = emulator.state.create_trigger(
            ORG,
            "1111111111111",
            {"version_id": "v", "input_service_name": "datalake", "input_service_id": "c"},
        )
        emulator.add_runs(trigger["trigger_id"], 3000)
        time.sleep(0.1)
        yield emulator, str(created["training_notebook_id"])


def read_one_line_and_hang_up(argv: list[str], emulator: PlatformEmulator) -> tuple[int, str]:
    process = subprocess.Popen(
        command(*argv),
        env=process_environment(**emulator.env()),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("{")
        process.stdout.close()  # as `| head -1` does
        code = process.wait(timeout=15)
        assert process.stderr is not None
        return code, process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def test_a_closed_pipe_ends_follow_quietly_with_exit_0(
    running_notebook: tuple[PlatformEmulator, str],
) -> None:
    emulator, notebook_id = running_notebook
    argv = ["notebooks", "logs", *JOB, notebook_id, "--follow"]
    assert read_one_line_and_hang_up(argv, emulator) == (0, "")


def test_a_closed_pipe_ends_a_long_listing_quietly_with_exit_0(
    running_notebook: tuple[PlatformEmulator, str],
) -> None:
    emulator, _ = running_notebook
    trigger_id = emulator.state.list_triggers(ORG, "1111111111111")["entries"][0]["trigger_id"]
    argv = ["triggers", "runs", *DEPLOYMENT, trigger_id]
    assert read_one_line_and_hang_up(argv, emulator) == (0, "")


# Help -------------------------------------------------------------------------------------

SUBCOMMANDS = [
    ["demo"],
    ["emulator"],
    ["triggers"],
    *(["triggers", action] for action in ("list", "get", "delete", "runs", "create")),
    ["notebooks"],
    *(
        ["notebooks", action]
        for action in ("list", "get", "create", "update", "start", "stop", "delete", "logs")
    ),
]


@pytest.mark.parametrize("argv", SUBCOMMANDS, ids=" ".join)
def test_every_subcommand_help_says_what_it_does_with_examples(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    description = out.split("\n\n")[1]
    assert description.strip(), out
    assert not description.lstrip().startswith(("options:", "positional arguments:")), out
    examples = out.split("examples:\n")[1].splitlines()
    assert examples
    assert all(line.startswith(f"  abeja-models {' '.join(argv)}") for line in examples), out


def test_credentials_of_the_configuration_file_that_are_refused_get_no_hint_to_set_some(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    (home / ".abeja").mkdir()
    (home / ".abeja" / "config").write_text(
        json.dumps(
            {"abeja-platform-user": "1", "personal-access-token": "wrong", "organization-name": "1"}
        )
    )
    with PlatformEmulator(credentials=["good-token"]) as emulator:
        monkeypatch.setenv("ABEJA_API_URL", emulator.url)
        code, out, err = run(capsys, "triggers", "list", "-d", "2")
    assert (code, out) == (1, [])
    assert err.startswith("abeja-models: error: Unauthorized:")
    assert "set PLATFORM_AUTH_TOKEN" not in err
