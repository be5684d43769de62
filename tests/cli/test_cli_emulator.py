"""``--emulator`` and ``abeja-models emulator --seed``: the seeded data, whatever the
environment says, at the ids the README and the help name."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from abeja_models import Notebook, Trigger, TriggerRun
from abeja_models.testing import seed as seeded

from .commands import command, process_environment, run, usage_error

USER_ENVIRONMENT = {
    "ABEJA_ORGANIZATION_ID": "999",
    "ABEJA_API_URL": "https://x.invalid",
    "PLATFORM_AUTH_TOKEN": "x",
}
"""What a user of the real platform has set, as the quickstart tells them to."""


@pytest.fixture
def user_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in USER_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)


def test_the_emulator_flag_shows_the_seeded_data_whatever_the_environment_says(
    capsys: pytest.CaptureFixture[str], user_environment: None
) -> None:
    code, out, err = run(capsys, "triggers", "list", "--emulator", "--table")
    assert (code, err) == (0, "")
    assert out[1].split()[0] == seeded.TRIGGER
    code, out, err = run(capsys, "notebooks", "get", "--emulator", seeded.NOTEBOOK)
    assert (code, err) == (0, "")
    assert Notebook.model_validate_json(out[0]).notebook_id == seeded.NOTEBOOK


def test_with_the_emulator_flag_an_explicit_organization_still_wins(
    capsys: pytest.CaptureFixture[str], user_environment: None
) -> None:
    code, out, err = run(capsys, "triggers", "list", "--emulator", "-o", "42")
    assert (code, out, err) == (0, [], "")


def test_the_emulator_flag_with_a_base_url_is_a_usage_mistake(
    capsys: pytest.CaptureFixture[str],
) -> None:
    err = usage_error(capsys, "triggers", "list", "--emulator", "--base-url", "http://127.0.0.1:1")
    assert "--emulator" in err
    assert "--base-url" in err


@pytest.fixture(scope="module")
def seeded_server() -> Iterator[dict[str, str]]:
    """``abeja-models emulator --seed`` in a subprocess: the variables it says to export."""
    process = subprocess.Popen(
        command("emulator", "--seed", "--port", "0"),
        env=process_environment(),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(5)]
        yield dict(line.split()[1].split("=", 1) for line in lines if line.startswith("  export "))
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_emulator_command_serves_the_same_seeded_data_as_the_flag(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    seeded_server: dict[str, str],
) -> None:
    def both(*argv: str) -> tuple[list[str], list[str]]:
        code, flagged, err = run(capsys, *argv, "--emulator")
        assert (code, err) == (0, "")
        with monkeypatch.context() as served:
            for name, value in seeded_server.items():
                served.setenv(name, value)
            code, out, err = run(capsys, *argv)
        assert (code, err) == (0, "")
        return flagged, out

    flagged, served = both("triggers", "list", "-d", seeded.DEPLOYMENT)
    assert [Trigger.model_validate_json(line).trigger_id for line in served] == [seeded.TRIGGER]
    assert len(flagged) == len(served)
    flagged, served = both("triggers", "runs", "-d", seeded.DEPLOYMENT, seeded.TRIGGER)
    assert [TriggerRun.model_validate_json(line).status for line in served] == [
        TriggerRun.model_validate_json(line).status for line in flagged
    ]
    flagged, served = both("notebooks", "list", "-j", seeded.JOB_DEFINITION)
    assert [
        (notebook.notebook_id, notebook.status)
        for notebook in map(Notebook.model_validate_json, served)
    ] == [
        (notebook.notebook_id, notebook.status)
        for notebook in map(Notebook.model_validate_json, flagged)
    ]
