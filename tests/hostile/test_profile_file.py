"""A hostile or broken ``~/.abeja/config``: refused with a typed error that never shows a
secret of it, with no SDK frame holding one in a local, never read without bound and never
blocking on something that is not a regular file."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Callable

import pytest

from abeja_models import Client, ValidationError
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.triggers import APIClient as TriggerAPIClient

from .test_transport_config import SECRET, sdk_frames_holding

WAYS_IN: list[Callable[[], object]] = [Client, TriggerAPIClient, NotebookAPIClient]


def _write(home: Path, content: str) -> Path:
    path = home / ".abeja" / "config"
    path.parent.mkdir(exist_ok=True)
    path.write_text(content)
    return path


def _configuration(**changes: Any) -> dict[str, Any]:
    return {
        "abeja-platform-user": "1111",
        "personal-access-token": SECRET,
        "organization-name": "1234567890123",
        **changes,
    }


BROKEN = [
    pytest.param("{" + json.dumps(_configuration())[1:-1], id="cut short"),
    pytest.param(json.dumps(_configuration()).replace("{", "[", 1), id="not json"),
    pytest.param(json.dumps(_configuration(**{"abeja-api-url": 7})), id="url of a wrong type"),
    pytest.param(
        json.dumps(_configuration(**{"abeja-api-url": f"https://u:{SECRET}@api.test"})),
        id="url holding the secret",
    ),
    pytest.param(
        json.dumps(_configuration(**{"personal-access-token": SECRET + "\r\nX: 1"})),
        id="token with a header injection",
    ),
    pytest.param(
        json.dumps({"configurations": [_configuration()], "active-configuration-name": "x"}),
        id="unnamed configuration in the list",
    ),
    pytest.param(
        json.dumps({**_configuration(), "active-configuration-name": ["dev"]}),
        id="active name of a wrong type",
    ),
    pytest.param("[" * 100_000 + "]" * 100_000, id="nested beyond the recursion limit"),
    pytest.param(json.dumps(_configuration())[:-1] + ', "x": ' + "9" * 5000 + "}", id="huge int"),
]


@pytest.mark.parametrize("content", BROKEN)
@pytest.mark.parametrize("make", WAYS_IN, ids=lambda make: make.__module__)
def test_a_broken_file_is_refused_and_no_sdk_frame_holds_its_secret(
    home: Path, content: str, make: Callable[[], object]
) -> None:
    _write(home, content)
    with pytest.raises(ValidationError) as refused:
        make()
    assert "~/.abeja/config" in refused.value.parameter
    assert SECRET not in str(refused.value)
    assert sdk_frames_holding(refused.value, SECRET) == []


def test_a_file_larger_than_the_bound_is_refused_before_it_is_read(home: Path) -> None:
    path = _write(home, json.dumps(_configuration()))
    with path.open("r+b") as sparse:
        sparse.truncate(1 << 34)  # 16 GiB, sparse: reading it whole would not end
    with pytest.raises(ValidationError, match="at most 1048576 bytes"):
        Client()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(home: Path) -> None:
    (home / ".abeja").mkdir()
    os.mkfifo(home / ".abeja" / "config")
    with pytest.raises(ValidationError, match="regular file"):
        Client()


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads anything")
def test_an_unreadable_file_is_refused_by_name(home: Path) -> None:
    path = _write(home, json.dumps(_configuration()))
    path.chmod(0)
    with pytest.raises(ValidationError, match="readable"):
        Client()
