"""The emulator's options do what they say: its credential allow-list refuses the others,
and its "message" start/stop mode still starts and stops the notebook."""

from __future__ import annotations

import pytest

from abeja_models import Client, Unauthorized
from abeja_models.testing import PlatformEmulator

ORG, DEPLOYMENT, JOB = "1234567890123", "1111111111111", "job-1"


def _list_triggers(emulator: PlatformEmulator, **credentials: str) -> object:
    with Client(base_url=emulator.url, max_retries=0, **credentials) as client:
        return client.organization(ORG).deployment(DEPLOYMENT).triggers.list()


def test_an_allow_list_accepts_its_credentials_and_refuses_every_other() -> None:
    with PlatformEmulator(credentials=["good-token", ("user-1", "good-secret")]) as emulator:
        assert _list_triggers(emulator, auth_token="good-token") == []
        assert _list_triggers(emulator, user_id="user-1", personal_access_token="good-secret") == []
        for refused in (
            {"auth_token": "other-token"},
            {"user_id": "user-1", "personal_access_token": "other-secret"},
            {"user_id": "user-2", "personal_access_token": "good-secret"},
        ):
            with pytest.raises(Unauthorized):
                _list_triggers(emulator, **refused)


def test_without_an_allow_list_any_credential_is_accepted() -> None:
    with PlatformEmulator() as emulator:
        assert _list_triggers(emulator, auth_token="anything") == []


def test_the_message_mode_answers_with_a_message_and_still_stops_and_starts() -> None:
    with (
        PlatformEmulator(start_stop_reply="message", notebook_start_delay=0.0) as emulator,
        Client(base_url=emulator.url, auth_token="t", max_retries=0) as client,
    ):
        api = client.notebooks_api()
        notebooks = client.organization(ORG).job_definition(JOB).notebooks
        created = notebooks.create(instance_type="cpu-1", image="abeja-inc/all-cpu:19.10")
        notebook_id = created.notebook_id

        stopped = api.stop_notebook(ORG, JOB, notebook_id)
        assert set(stopped) == {"message"}
        assert notebooks.get(notebook_id).status == "Stopped"

        started = api.start_notebook(ORG, JOB, notebook_id)
        assert set(started) == {"message"}
        assert notebooks.get(notebook_id).status in ("Pending", "Running")
