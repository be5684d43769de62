"""The command line prints one line on stderr for every failure: no traceback, no credential.

Each case runs ``python -m abeja_models`` in a subprocess (a traceback is printed by the
interpreter, so only a real process shows it) against an emulator on 127.0.0.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Optional

import pytest

from abeja_models.testing import PlatformEmulator

SECRET = "s3cret-TOKEN-value"
LIST = ["triggers", "list", "-o", "1", "-d", "2", "--timeout", "5"]


@pytest.fixture(scope="module")
def emulator() -> Iterator[PlatformEmulator]:
    with PlatformEmulator() as running:
        yield running


def run_command(
    argv: list[str], environment: dict[str, str], emulator: PlatformEmulator
) -> subprocess.CompletedProcess[str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ABEJA_", "PLATFORM_"))
    }
    env.update({"ABEJA_API_URL": emulator.url, "PLATFORM_AUTH_TOKEN": "emulator-token"})
    env.update(environment)
    for name in [name for name, value in env.items() if value == "<unset>"]:
        del env[name]
    return subprocess.run(
        [sys.executable, "-m", "abeja_models", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def assert_one_line_error(
    finished: subprocess.CompletedProcess[str], expected: Optional[str] = None
) -> str:
    assert "Traceback" not in finished.stderr, finished.stderr
    assert SECRET not in finished.stderr
    assert SECRET not in finished.stdout
    assert finished.returncode == 1, finished.stderr
    assert finished.stderr.count("\n") == 1, finished.stderr
    assert finished.stderr.startswith("abeja-models: error: ")
    if expected is not None:
        assert expected in finished.stderr
    return finished.stderr


@pytest.mark.parametrize(
    ("argv", "environment", "expected"),
    [
        pytest.param(
            LIST,
            {"ABEJA_SDK_MAX_RETRY_COUNT": "nan", "PLATFORM_AUTH_TOKEN": SECRET},
            None,
            id="max-retry-count-nan",
        ),
        pytest.param(LIST, {"ABEJA_API_URL": "http://127.0.0.1:99999"}, None, id="port-99999"),
        pytest.param(LIST, {"ABEJA_API_URL": "http://[::1"}, None, id="url-unclosed-bracket"),
        pytest.param(LIST, {"ABEJA_API_URL": "ftp://x"}, "ValidationError", id="url-ftp"),
        pytest.param(
            LIST[:-2], {"ABEJA_SDK_CONNECTION_TIMEOUT": "-3"}, None, id="timeout-negative"
        ),
        pytest.param(
            LIST, {"ABEJA_SDK_MAX_RETRY_COUNT": "1e999"}, None, id="max-retry-count-1e999"
        ),
        pytest.param(
            ["triggers", "get", "-o", "1", "-d", "2", "tri-0000000000000000"],
            {"PLATFORM_AUTH_TOKEN": SECRET},
            "NotFound",
            id="not-found",
        ),
        pytest.param(
            LIST,
            {"PLATFORM_AUTH_TOKEN": "<unset>"},
            "Unauthorized",
            id="no-credentials",
        ),
    ],
)
def test_cli_failure_is_one_line_without_a_traceback_or_a_secret(
    emulator: PlatformEmulator,
    argv: list[str],
    environment: dict[str, str],
    expected: Optional[str],
) -> None:
    assert_one_line_error(run_command(argv, environment, emulator), expected)


def test_cli_names_the_variables_when_the_settings_are_refused(
    emulator: PlatformEmulator,
) -> None:
    finished = run_command(
        LIST, {"ABEJA_SDK_MAX_RETRY_COUNT": "nan", "PLATFORM_AUTH_TOKEN": SECRET}, emulator
    )
    line = assert_one_line_error(finished)
    assert "ABEJA_SDK_MAX_RETRY_COUNT" in line or "max_retr" in line


@pytest.mark.parametrize(
    "token",
    [
        f"{SECRET}\n",
        f"{SECRET}\r\nX-Injected: 1",
        f"{SECRET}\x01",
        f" {SECRET}",
        f"{SECRET}\t",
        f"{SECRET}\x7f",
    ],
    ids=[
        "trailing-newline",
        "a-header-in-it",
        "control-character",
        "leading-space",
        "trailing-tab",
        "delete-character",
    ],
)
def test_cli_with_an_odd_token_succeeds_or_fails_in_one_line_without_it(
    emulator: PlatformEmulator, token: str
) -> None:
    # Whether such a token is refused or cleaned up is the configuration's choice; the
    # command line never shows a traceback, nor the token.
    finished = run_command(LIST, {"PLATFORM_AUTH_TOKEN": token}, emulator)
    assert "Traceback" not in finished.stderr, finished.stderr
    assert SECRET not in finished.stderr
    if finished.returncode != 0:
        assert_one_line_error(finished)
    else:
        assert finished.stderr == ""


def test_cli_unexpected_exception_is_one_line_with_its_type_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from abeja_models.cli import _output, main

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError(f"a bug that quotes Bearer {SECRET}")

    monkeypatch.setattr(_output, "print_documents", broken)
    code = main(["triggers", "list", "--emulator", "-d", "2"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert captured.err.startswith("abeja-models: error: internal error: RuntimeError")
    assert captured.err.count("\n") == 1
    assert SECRET not in captured.err


def test_cli_masks_an_environment_credential_that_an_error_quotes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from abeja_models.cli import _output, main
    from abeja_models.errors import APIConnectionError

    def leaky(*args: object, **kwargs: object) -> int:
        message = f"a careless message: {SECRET!r}"
        raise APIConnectionError(message, method="GET", url="http://127.0.0.1/")

    monkeypatch.setenv("PLATFORM_AUTH_TOKEN", SECRET + "\n")
    monkeypatch.setattr(_output, "print_documents", leaky)
    code = main(["triggers", "list", "--emulator", "-d", "2"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("abeja-models: error: APIConnectionError: a careless message: ")
    assert err.count("\n") == 1
    assert SECRET not in err
