"""The emulator's documents agree with the reference documents and with themselves: only
*create trigger* carries ``distribution``, nothing is modified before it was created, a
stopped notebook's log ends with its stop, and a 401 says whether credentials came."""

from __future__ import annotations

from datetime import datetime

import requests

from abeja_models.testing import PlatformEmulator
from abeja_models.testing.seed import (
    DEPLOYMENT,
    JOB_DEFINITION,
    NOTEBOOK,
    ORGANIZATION,
    STOPPED_NOTEBOOK,
    TRIGGER,
    seed,
)


def _moment(stamp: object) -> datetime:
    assert isinstance(stamp, str)
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def test_only_the_answer_of_create_trigger_carries_distribution() -> None:
    state = PlatformEmulator().state
    body = {"version_id": "ver-1", "input_service_name": "datalake", "input_service_id": "22"}
    created = state.create_trigger(ORGANIZATION, DEPLOYMENT, {**body, "distribution": 3})
    assert created["distribution"] == 3

    fetched = state.get_trigger(ORGANIZATION, DEPLOYMENT, str(created["trigger_id"]))
    entries = state.list_triggers(ORGANIZATION, DEPLOYMENT)["entries"]
    assert isinstance(entries, list)
    (listed,) = entries
    for document in (fetched, listed):
        assert "distribution" not in document
        assert {**document, "distribution": 3} == created


def test_the_seeded_documents_change_only_after_they_were_made() -> None:
    emulator = PlatformEmulator(log_interval=1.0)
    seed(emulator)
    state = emulator.state
    for notebook_id in (NOTEBOOK, STOPPED_NOTEBOOK):
        notebook = state.get_notebook(ORGANIZATION, JOB_DEFINITION, notebook_id)
        created = _moment(notebook["created_at"])
        assert created <= _moment(notebook["modified_at"]), notebook
        events = state.recent_logs(ORGANIZATION, JOB_DEFINITION, notebook_id, {})["events"]
        assert isinstance(events, list)
        assert events, f"the seeded notebook {notebook_id} has a log"
        assert all(created <= _moment(event["timestamp"]) for event in events)
    trigger = state.get_trigger(ORGANIZATION, DEPLOYMENT, TRIGGER)
    assert _moment(trigger["created_at"]) <= _moment(trigger["modified_at"])


def test_the_seeded_stopped_notebook_s_log_ends_with_its_stop() -> None:
    emulator = PlatformEmulator(log_interval=1.0)
    seed(emulator)
    state = emulator.state
    stopped = state.get_notebook(ORGANIZATION, JOB_DEFINITION, STOPPED_NOTEBOOK)
    assert stopped["status"] == "Stopped"
    events = state.recent_logs(ORGANIZATION, JOB_DEFINITION, STOPPED_NOTEBOOK, {})["events"]
    assert isinstance(events, list)
    last = events[-1]
    assert "stopped" in str(last["message"]).lower()
    assert "heartbeat" not in str(last["message"]).lower()
    # The stop is the notebook's last change.
    assert _moment(last["timestamp"]).replace(microsecond=0) <= _moment(stopped["modified_at"])

    running = state.recent_logs(ORGANIZATION, JOB_DEFINITION, NOTEBOOK, {})["events"]
    assert isinstance(running, list)
    assert not any("stopped" in str(event["message"]).lower() for event in running)


def test_a_401_says_send_credentials_only_when_none_were_sent() -> None:
    with PlatformEmulator(credentials=["good-token"]) as emulator:
        url = f"{emulator.url}/organizations/{ORGANIZATION}/deployments/{DEPLOYMENT}/triggers"
        answers = {
            "none": requests.get(url, timeout=10),
            "a wrong token": requests.get(
                url, headers={"Authorization": "Bearer bad-token"}, timeout=10
            ),
            "a wrong pair": requests.get(url, auth=("user-1", "bad-secret"), timeout=10),
        }
        assert requests.get(url, headers={"Authorization": "Bearer good-token"}, timeout=10).ok
    described = {}
    for sent, answer in answers.items():
        assert answer.status_code == 401, sent
        assert answer.json()["error"] == "unauthorized"
        described[sent] = answer.json()["error_description"]
    assert "send credentials" in described["none"]
    for sent in ("a wrong token", "a wrong pair"):
        assert "send credentials" not in described[sent], sent
        assert "refused" in described[sent], sent
