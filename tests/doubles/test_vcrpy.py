"""vcrpy: record a cassette against the emulator, then replay it with the emulator gone.

vcrpy swaps urllib3's connections for recording ones, so it sees the SDK's calls whatever
session they go through. The Authorization header is filtered out of the cassette.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import vcr  # type: ignore[import-untyped]

from abeja_models.testing import PlatformEmulator
from tests.doubles.conftest import (
    LAYERS,
    SCENARIO_INTERACTIONS,
    SCENARIO_STATUSES,
    TOKEN,
    TRIGGER_FIELDS,
    TRIGGERS_PATH,
    TrackingSession,
    arm_503_once,
    check_emulator_saw_the_scenario,
    check_recorded,
    make_sdk,
    scenario,
    seed,
)

CASSETTE = "platform.yaml"


def _vcr(library: Path) -> vcr.VCR:
    return vcr.VCR(cassette_library_dir=str(library), filter_headers=["authorization"])


@pytest.mark.parametrize("layer", LAYERS)
def test_record_against_the_emulator_then_replay_without_it(
    tmp_path: Path, emulator: PlatformEmulator, layer: str
) -> None:
    seeded = seed(emulator)
    arm_503_once(emulator, seeded.trigger_id)
    base_url = emulator.url
    recorder = _vcr(tmp_path)

    with recorder.use_cassette(CASSETTE, record_mode="once") as cassette:
        sdk = make_sdk(layer, base_url, max_retries=2)
        try:
            recorded = scenario(sdk, seeded)
        finally:
            sdk.close()
    check_recorded(recorded, seeded)
    check_emulator_saw_the_scenario(emulator, seeded)
    assert len(cassette) == SCENARIO_INTERACTIONS
    assert [response["status"]["code"] for response in cassette.responses] == SCENARIO_STATUSES
    emulator.stop()

    text = (tmp_path / CASSETTE).read_text()
    assert TOKEN not in text
    assert "authorization" not in text.lower()

    # record_mode="none": a request the cassette does not hold raises instead of going out.
    with recorder.use_cassette(CASSETTE, record_mode="none") as cassette:
        assert len(cassette) == SCENARIO_INTERACTIONS
        sdk = make_sdk(layer, base_url, max_retries=2)
        try:
            replayed = scenario(sdk, seeded)
        finally:
            sdk.close()
        # Every interaction played once, in order: the 503 too, so the SDK retried.
        assert cassette.all_played
        assert cassette.play_count == SCENARIO_INTERACTIONS
    assert replayed == recorded


@pytest.mark.parametrize("layer", LAYERS)
def test_a_users_session_is_recorded_and_left_open(
    tmp_path: Path, emulator: PlatformEmulator, layer: str
) -> None:
    seeded = seed(emulator)
    url = f"{emulator.url}{TRIGGERS_PATH}/{seeded.trigger_id}"
    session = TrackingSession()

    with _vcr(tmp_path).use_cassette(CASSETTE, record_mode="once") as cassette:
        sdk = make_sdk(layer, emulator.url, session=session)
        got = sdk.get_trigger(seeded.trigger_id)
        sdk.close()
        assert session.close_calls == 0
        # Still the user's to use after the client is closed, and still recorded.
        again = session.get(url, headers={"Authorization": f"Bearer {TOKEN}"})

    assert got["trigger_id"] == seeded.trigger_id
    assert again.json()["trigger_id"] == seeded.trigger_id
    assert {name: again.json()[name] for name in TRIGGER_FIELDS} == got
    assert [request.url for request in session.sent] == [url, url]
    assert len(cassette) == 2
    assert all("authorization" not in map(str.lower, r.headers) for r in cassette.requests)
    assert TOKEN not in (tmp_path / CASSETTE).read_text()
    session.close()
