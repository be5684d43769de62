"""betamax: wrap your own session, give it to the SDK, record against the emulator, replay.

betamax mounts its adapter on the session it wraps, so the SDK must send through that
session: ``Client(session=...)`` and ``APIClient(session=...)``. The token is replaced by
a placeholder in the cassette.
"""

from __future__ import annotations

from pathlib import Path

import betamax  # type: ignore[import-untyped]
import pytest
from betamax.cassette import Cassette  # type: ignore[import-untyped]
from betamax.configure import Configuration  # type: ignore[import-untyped]

from abeja_models.testing import PlatformEmulator
from tests.doubles import conftest as doubles

pytestmark = pytest.mark.parametrize("layer", doubles.LAYERS)

CASSETTE = "platform"
PLACEHOLDER = "<PLATFORM_AUTH_TOKEN>"


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cassette directory, with the token's placeholder defined.

    betamax keeps its configuration (placeholders, the cassette directory) at class
    level: both are put back when the test ends.
    """
    monkeypatch.setattr(Configuration, "CASSETTE_LIBRARY_DIR", Configuration.CASSETTE_LIBRARY_DIR)
    monkeypatch.setitem(Cassette.default_cassette_options, "placeholders", [])
    with betamax.Betamax.configure() as config:
        config.define_cassette_placeholder(PLACEHOLDER, doubles.TOKEN)
    return tmp_path


def test_record_against_the_emulator_then_replay_without_it(
    library: Path, emulator: PlatformEmulator, seeded: doubles.Seeded, layer: str
) -> None:
    doubles.arm_503_once(emulator, seeded.trigger_id)
    base_url = seeded.url

    session = doubles.TrackingSession()
    recorder = betamax.Betamax(session, cassette_library_dir=str(library))
    with recorder.use_cassette(CASSETTE, record="once"):
        recorded = doubles.run_scenario(layer, base_url, seeded, session=session)
        assert len(recorder.current_cassette.interactions) == doubles.SCENARIO_INTERACTIONS
    doubles.check_recorded(recorded, emulator, seeded)
    assert session.statuses == doubles.SCENARIO_STATUSES  # every call went through the session
    assert session.close_calls == 0
    assert f"Bearer {PLACEHOLDER}" in doubles.cassette_text(library / f"{CASSETTE}.json")

    # record="none": a request the cassette does not hold raises instead of going out.
    replay_session = doubles.TrackingSession()
    replayer = betamax.Betamax(replay_session, cassette_library_dir=str(library))
    with replayer.use_cassette(CASSETTE, record="none"):
        replayed = doubles.run_scenario(layer, base_url, seeded, session=replay_session)
        interactions = replayer.current_cassette.interactions
        assert len(interactions) == doubles.SCENARIO_INTERACTIONS
        assert all(interaction.used for interaction in interactions)
    assert replay_session.statuses == doubles.SCENARIO_STATUSES  # the 503, then the retry's 200
    assert replayed == recorded


def test_a_users_session_is_left_open(
    library: Path, seeded: doubles.Seeded, user_session: doubles.TrackingSession, layer: str
) -> None:
    recorder = betamax.Betamax(user_session, cassette_library_dir=str(library))

    with recorder.use_cassette("left-open", record="once"):
        # The session, and betamax's adapter on it, still work after the client is closed.
        doubles.get_then_reuse(user_session, layer, seeded)
        assert len(recorder.current_cassette.interactions) == 2

    doubles.cassette_text(library / "left-open.json")
