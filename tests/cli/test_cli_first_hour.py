"""What a newcomer meets in the first hour: headers of empty tables, help on every option,
the pause of ``logs --follow``, one form of error line, messages in the command line's
terms, and the quickstart's words matching what the command prints."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import pytest

from abeja_models.cli._parser import build_parser
from abeja_models.resources import Notebooks
from abeja_models.testing import seed as seeded

from .commands import DEPLOYMENT, JOB, run, usage_error

QUICKSTART = Path(__file__).resolve().parents[2] / "docs" / "quickstart.md"


@pytest.mark.parametrize(
    ("argv", "header"),
    [
        (["triggers", "list", "-o", "42"], "trigger_id"),
        (["notebooks", "list", "-j", "nothing_here"], "training_notebook_id"),
    ],
)
def test_an_empty_table_still_has_its_header(
    capsys: pytest.CaptureFixture[str], argv: list[str], header: str
) -> None:
    code, out, err = run(capsys, *argv, "--emulator", "--table")
    assert (code, err) == (0, "")
    assert len(out) == 1
    assert out[0].split()[0] == header


# Every command's options and arguments parse as below; each parser is found by its
# `parser` default (what usage mistakes are reported through).
COMMANDS = [
    ["triggers", "list"],
    ["triggers", "get", "tri-1"],
    ["triggers", "delete", "tri-1"],
    ["triggers", "runs", "tri-1"],
    ["triggers", "create", "--version-id", "v", "--input-service-id", "c"],
    ["notebooks", "list"],
    ["notebooks", "create"],
    *(
        ["notebooks", action, "1"]
        for action in ("get", "update", "start", "stop", "delete", "logs")
    ),
    ["emulator"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_every_option_and_argument_has_help(argv: list[str]) -> None:
    parser: argparse.ArgumentParser = build_parser().parse_args(argv).parser
    missing = [
        action.dest
        for action in parser._actions
        if not action.help and not isinstance(action, argparse._SubParsersAction)
    ]
    assert missing == []


@pytest.mark.parametrize("interval", ["0", "-1", "abc", "nan", "inf", "1e10"])
def test_a_bad_poll_interval_is_a_usage_mistake_naming_it(
    capsys: pytest.CaptureFixture[str], interval: str
) -> None:
    argv = ["notebooks", "logs", "--emulator", seeded.NOTEBOOK, "--follow"]
    err = usage_error(capsys, *argv, "--poll-interval", interval)
    assert "--poll-interval" in err
    assert "a number of seconds > 0" in err


def test_the_poll_interval_reaches_the_call(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    called: list[dict[str, Any]] = []
    original = Notebooks.logs

    def spy(self: Notebooks, *args: Any, **kwargs: Any) -> Any:
        called.append(kwargs)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Notebooks, "logs", spy)
    argv = ["notebooks", "logs", "--emulator", seeded.NOTEBOOK, "--poll-interval", "0.5"]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert out
    assert called[0]["poll_interval"] == 0.5


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["triggers", "frobnicate"],
        ["triggers", "list", "-o", "1"],
        ["triggers", "list", "-d", "1"],
        ["triggers", "runs", *DEPLOYMENT, "tri-1", "--limit", "0"],
        ["notebooks", "update", *JOB, "1"],
        ["notebooks", "create", *JOB, "--image", "Not An Image"],
        ["emulator", "--port", "http"],
    ],
    ids=" ".join,
)
def test_every_error_line_has_one_form(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    try:
        _, _, err = run(capsys, *argv)
    except SystemExit:
        err = capsys.readouterr().err
    assert err.startswith("abeja-models: error: "), err
    assert err.count("\n") == 1
    assert re.search(r"\(see abeja-models( \w+)* --help\)$", err.strip()), err


def test_the_image_rule_speaks_the_command_lines_terms(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "notebooks", "create", "--emulator", "--image", "Not An Image")
    assert code == 2
    assert "a docker image reference such as 'abeja-inc/all-cpu:19.10'" in err
    assert "Images" not in err


def test_delete_prints_compact_json_like_every_other_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "triggers", "delete", "--emulator", seeded.TRIGGER)
    assert (code, out) == (0, [f'{{"trigger_id":"{seeded.TRIGGER}","deleted":true}}'])


def test_the_quickstart_quotes_the_missing_organization_error_as_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    said = r"exits\s+2\s+with\s+one\s+line\s+naming\s+them\s+\(`([^`]+)`\)"
    quoted = re.search(said, QUICKSTART.read_text())
    assert quoted is not None
    assert usage_error(capsys, "triggers", "list", "-d", "1111111111111").strip() == quoted[1]
