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
from tests.doubles.conftest import (
    LAYERS,
    SCENARIO_INTERACTIONS,
    SCENARIO_STATUSES,
    TOKEN,
    TRIGGERS_PATH,
    TrackingSession,
    arm_503_once,
    check_emulator_saw_the_scenario,
    check_recorded,
    make_sdk,
    scenario,
    seed,
)

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
        config.define_cassette_placeholder(PLACEHOLDER, TOKEN)
    return tmp_path


@pytest.mark.parametrize("layer", LAYERS)
def test_record_against_the_emulator_then_replay_without_it(
    library: Path, emulator: PlatformEmulator, layer: str
) -> None:
    seeded = seed(emulator)
    arm_503_once(emulator, seeded.trigger_id)
    base_url = emulator.url

    session = TrackingSession()
    recorder = betamax.Betamax(session, cassette_library_dir=str(library))
    with recorder.use_cassette(CASSETTE, record="once"):
        sdk = make_sdk(layer, base_url, session=session, max_retries=2)
        try:
            recorded = scenario(sdk, seeded)
        finally:
            sdk.close()
        assert len(recorder.current_cassette.interactions) == SCENARIO_INTERACTIONS
    check_recorded(recorded, seeded)
    check_emulator_saw_the_scenario(emulator, seeded)
    assert session.statuses == SCENARIO_STATUSES  # every call went through the session
    assert session.close_calls == 0
    emulator.stop()

    text = (library / f"{CASSETTE}.json").read_text()
    assert TOKEN not in text
    assert f"Bearer {PLACEHOLDER}" in text

    # record="none": a request the cassette does not hold raises instead of going out.
    replay_session = TrackingSession()
    replayer = betamax.Betamax(replay_session, cassette_library_dir=str(library))
    with replayer.use_cassette(CASSETTE, record="none"):
        sdk = make_sdk(layer, base_url, session=replay_session, max_retries=2)
        try:
            replayed = scenario(sdk, seeded)
        finally:
            sdk.close()
        interactions = replayer.current_cassette.interactions
        assert len(interactions) == SCENARIO_INTERACTIONS
        assert all(interaction.used for interaction in interactions)
    assert replay_session.statuses == SCENARIO_STATUSES  # the 503, then the retry's 200
    assert replayed == recorded


@pytest.mark.parametrize("layer", LAYERS)
def test_a_users_session_is_left_open(
    library: Path, emulator: PlatformEmulator, layer: str
) -> None:
    seeded = seed(emulator)
    url = f"{emulator.url}{TRIGGERS_PATH}/{seeded.trigger_id}"
    session = TrackingSession()
    recorder = betamax.Betamax(session, cassette_library_dir=str(library))

    with recorder.use_cassette("left-open", record="once"):
        sdk = make_sdk(layer, emulator.url, session=session)
        got = sdk.get_trigger(seeded.trigger_id)
        sdk.close()
        assert session.close_calls == 0
        # The session, and betamax's adapter on it, still work after the client is closed.
        again = session.get(url, headers={"Authorization": f"Bearer {TOKEN}"})
        assert len(recorder.current_cassette.interactions) == 2

    assert got["trigger_id"] == seeded.trigger_id
    assert again.json()["trigger_id"] == seeded.trigger_id
    assert [request.url for request in session.sent] == [url, url]
    assert TOKEN not in (library / "left-open.json").read_text()
    session.close()
