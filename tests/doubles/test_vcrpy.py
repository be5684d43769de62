"""vcrpy: record a cassette against the emulator, then replay it with the emulator gone.

vcrpy swaps urllib3's connections for recording ones, so it sees the SDK's calls whatever
session they go through. The Authorization header is filtered out of the cassette.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import vcr  # type: ignore[import-untyped]

from abeja_models.testing import PlatformEmulator
from tests.doubles import conftest as doubles

pytestmark = pytest.mark.parametrize("layer", doubles.LAYERS)

CASSETTE = "platform.yaml"


def _vcr(library: Path) -> vcr.VCR:
    return vcr.VCR(cassette_library_dir=str(library), filter_headers=["authorization"])


def test_record_against_the_emulator_then_replay_without_it(
    tmp_path: Path, emulator: PlatformEmulator, seeded: doubles.Seeded, layer: str
) -> None:
    doubles.arm_503_once(emulator, seeded.trigger_id)
    base_url = seeded.url
    recorder = _vcr(tmp_path)

    with recorder.use_cassette(CASSETTE, record_mode="once") as cassette:
        recorded = doubles.run_scenario(layer, base_url, seeded)
    doubles.check_recorded(recorded, emulator, seeded)
    assert len(cassette) == doubles.SCENARIO_INTERACTIONS
    statuses = [response["status"]["code"] for response in cassette.responses]
    assert statuses == doubles.SCENARIO_STATUSES
    assert "authorization" not in doubles.cassette_text(tmp_path / CASSETTE).lower()

    # record_mode="none": a request the cassette does not hold raises instead of going out.
    with recorder.use_cassette(CASSETTE, record_mode="none") as cassette:
        assert len(cassette) == doubles.SCENARIO_INTERACTIONS
        replayed = doubles.run_scenario(layer, base_url, seeded)
        # Every interaction played once, in order: the 503 too, so the SDK retried.
        assert cassette.all_played
        assert cassette.play_count == doubles.SCENARIO_INTERACTIONS
    assert replayed == recorded


def test_a_users_session_is_recorded_and_left_open(
    tmp_path: Path, seeded: doubles.Seeded, user_session: doubles.TrackingSession, layer: str
) -> None:
    with _vcr(tmp_path).use_cassette(CASSETTE, record_mode="once") as cassette:
        # Still the user's to use after the client is closed, and still recorded.
        doubles.get_then_reuse(user_session, layer, seeded)

    assert len(cassette) == 2
    assert all("authorization" not in map(str.lower, r.headers) for r in cassette.requests)
    doubles.cassette_text(tmp_path / CASSETTE)
