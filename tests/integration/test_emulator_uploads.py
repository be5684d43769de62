"""The emulator's own endpoint for uploads from another process, over real HTTP."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Optional

import pytest
import requests

from abeja_models import Client
from abeja_models.testing import PlatformEmulator

ORG = "1234567890123"
DEPLOYMENT = "1111111111111"
CHANNEL = "2222222222222"
TOKEN = {"Authorization": "Bearer uploads"}


@pytest.fixture
def emulator() -> Iterator[PlatformEmulator]:
    with PlatformEmulator(run_step_delay=0.01) as running:
        yield running


@pytest.fixture
def client(emulator: PlatformEmulator) -> Iterator[Client]:
    with Client(base_url=emulator.url, auth_token="uploads") as made:
        yield made


def _post(
    emulator: PlatformEmulator,
    channel: str,
    *,
    headers: Optional[dict[str, str]] = None,
    json: object = None,
    data: Optional[str] = None,
) -> requests.Response:
    return requests.post(
        f"{emulator.url}/_emulator/channels/{channel}/files",
        headers=TOKEN if headers is None else headers,
        json=json,
        data=data,
        timeout=10,
    )


def test_an_upload_starts_a_run_on_every_trigger_watching_the_channel(
    client: Client, emulator: PlatformEmulator
) -> None:
    triggers = client.organization(ORG).deployment(DEPLOYMENT).triggers
    watching = [triggers.create(version_id="ver-1", input_service_id=CHANNEL) for _ in range(2)]
    elsewhere = triggers.create(version_id="ver-1", input_service_id="9999999999999")

    answer = _post(emulator, CHANNEL, json={"content": "an image"})

    assert answer.status_code == 200
    document = answer.json()
    assert document["channel_id"] == CHANNEL
    assert len(document["run_ids"]) == 2
    started = {run.run_id for trigger in watching for run in trigger.runs()}
    assert started == set(document["run_ids"])
    assert list(elsewhere.runs()) == []
    assert list(emulator.files(CHANNEL).values()) == [b"an image"]


def test_an_upload_asked_to_fail_ends_its_runs_failed(
    client: Client, emulator: PlatformEmulator
) -> None:
    trigger = client.organization(ORG).deployment(DEPLOYMENT).triggers.create(
        version_id="ver-1", input_service_id=CHANNEL
    )

    assert _post(emulator, CHANNEL, json={"fail": True}).status_code == 200  # no content: b""

    deadline = time.monotonic() + 5
    while (status := next(trigger.runs()).status) != "FAILED" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert status == "FAILED"


@pytest.mark.parametrize(
    "body",
    ['["a list"]', '{"contents": "typo"}', '{"content": 3}', '{"fail": "yes"}', "not json"],
)
def test_a_bad_upload_body_is_refused_with_400(emulator: PlatformEmulator, body: str) -> None:
    answer = _post(emulator, CHANNEL, data=body, headers={**TOKEN, "Content-Type": "text/plain"})

    assert answer.status_code == 400
    assert set(answer.json()) == {"error", "error_description"}
    assert emulator.files(CHANNEL) == {}


def test_an_upload_without_credentials_is_refused_with_401(emulator: PlatformEmulator) -> None:
    assert _post(emulator, CHANNEL, headers={}).status_code == 401
    assert emulator.files(CHANNEL) == {}
