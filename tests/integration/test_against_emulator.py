"""Both layers of the SDK against the platform emulator, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from abeja_models import (
    BadRequest,
    Client,
    Notebook,
    NotFound,
    Trigger,
    TriggerRun,
    Unauthorized,
    ValidationError,
)
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.testing import PlatformEmulator
from abeja_models.triggers import APIClient as TriggerAPIClient

ORG = "1234567890123"
DEPLOYMENT = "1111111111111"
CHANNEL = "2222222222222"
JOB = "test_job_definition"

# The trigger the reference document's create example makes, its environment made a dict.
NEW_TRIGGER = {
    "version_id": "ver-1111111111111111",
    "input_service_id": CHANNEL,
    "model_id": "3333333333333",
    "distribution": 0,
    "retry_count": 0,
    "environment": {"EXAMPLE_ENV": "exmaple"},
}


@pytest.fixture
def emulator() -> Iterator[PlatformEmulator]:
    with PlatformEmulator(
        page_size=3, notebook_start_delay=0.05, run_step_delay=0.01, log_interval=0.01
    ) as running:
        yield running


@pytest.fixture
def client(emulator: PlatformEmulator) -> Iterator[Client]:
    with Client(base_url=emulator.url, auth_token="integration", backoff_base=0.0) as made:
        yield made


def test_trigger_lifecycle_through_the_resource_layer(
    client: Client, emulator: PlatformEmulator
) -> None:
    triggers = client.organization(ORG).deployment(DEPLOYMENT).triggers
    trigger = triggers.create(**NEW_TRIGGER)
    assert isinstance(trigger, Trigger)
    assert trigger.trigger_id.startswith("tri-")
    assert (trigger.model_version_id, trigger.input_service_id) == ("ver-1111111111111111", CHANNEL)
    assert (trigger.retry_count, trigger.distribution) == (0, 0)
    assert trigger.user_env_vars == {"EXAMPLE_ENV": "exmaple"}
    assert trigger.models == {"alias": "3333333333333"}

    assert [t.trigger_id for t in triggers.list()] == [trigger.trigger_id]
    fetched = triggers.get(trigger.trigger_id)
    # As in the reference documents, only the answer of create holds the distribution.
    assert fetched == trigger.model_copy(update={"distribution": None})
    assert fetched.created_at is not None
    assert fetched.created_at.tzinfo is not None

    run_ids = [run_id for _ in range(7) for run_id in emulator.upload(CHANNEL, b"data")]
    assert len(run_ids) == 7
    time.sleep(0.05)  # three run steps of 0.01 s each: every run has finished
    runs = list(trigger.runs(scan_forward=True))
    assert all(isinstance(run, TriggerRun) for run in runs)
    assert sorted(run.run_id for run in runs) == sorted(run_ids)
    assert {run.status for run in runs} == {"SUCCEEDED"}
    assert [run.created_at for run in runs] == sorted(run.created_at for run in runs)
    assert emulator.count("GET", r"/runs$") == 3  # 7 runs in pages of 3

    trigger.delete()
    with pytest.raises(NotFound) as caught:
        trigger.refresh()
    assert caught.value.status_code == 404
    assert triggers.list() == []


def test_trigger_runs_are_fetched_lazily(client: Client, emulator: PlatformEmulator) -> None:
    triggers = client.organization(ORG).deployment(DEPLOYMENT).triggers
    trigger = triggers.create(version_id="ver-1", input_service_id=CHANNEL)
    emulator.add_runs(trigger.trigger_id, 10)
    emulator.clear_requests()

    runs = trigger.runs()
    assert emulator.count("GET", r"/runs$") == 0
    first = next(runs)
    assert isinstance(first, TriggerRun)
    assert emulator.count("GET", r"/runs$") == 1
    assert len([first, *runs]) == 10
    assert emulator.count("GET", r"/runs$") == 4


def test_notebook_lifecycle_through_the_resource_layer(client: Client) -> None:
    notebooks = client.organization(ORG).job_definition(JOB).notebooks
    notebook = notebooks.create(
        instance_type="cpu-1", image="abeja-inc/all-cpu:19.10", notebook_type="lab"
    )
    assert isinstance(notebook, Notebook)
    assert notebook.status == "Pending"
    assert notebook.wait_until("Running", timeout=5, poll_interval=0.02) is notebook
    assert notebook.status == "Running"

    time.sleep(0.05)
    events = list(notebook.logs())
    assert events, "a running notebook has log events"
    assert all(event.timestamp.tzinfo is not None for event in events)

    notebook.stop()
    assert notebook.status == "Stopped"
    notebook.update(instance_type="cpu-2")
    assert notebook.instance_type == "cpu-2"
    assert notebooks.get(notebook.notebook_id).instance_type == "cpu-2"
    notebook.start(notebook_type="notebook")
    assert notebook.status in ("Pending", "Running")
    assert [nb.notebook_id for nb in notebooks.list()] == [notebook.notebook_id]

    notebook.delete()
    assert notebooks.list() == []


def test_low_level_clients_speak_the_seed_calls(emulator: PlatformEmulator) -> None:
    credential = {"auth_token": "integration"}
    triggers = TriggerAPIClient(credential, base_url=emulator.url)
    created = triggers.create_trigger(
        ORG, DEPLOYMENT, NEW_TRIGGER["version_id"], "datalake", CHANNEL,
        model_id=NEW_TRIGGER["model_id"], distribution=0, retry_count=0, environment={"A": "b"},
    )
    trigger_id = created["trigger_id"]
    assert {**triggers.get_trigger(ORG, DEPLOYMENT, trigger_id), "distribution": 0} == created
    assert created["user_env_vars"] == {"A": "b"}
    assert [t["trigger_id"] for t in triggers.get_triggers(ORG, DEPLOYMENT)["entries"]] == [
        trigger_id
    ]
    emulator.add_runs(trigger_id, 4)
    page = triggers.get_trigger_runs(ORG, DEPLOYMENT, trigger_id, scan_forward=True)
    assert len(page["entries"]) == 3
    assert page["next_page_token"]
    rest = triggers.get_trigger_runs(
        ORG, DEPLOYMENT, trigger_id, next_page_token=page["next_page_token"], scan_forward=True
    )
    assert len(rest["entries"]) == 1
    assert rest["next_page_token"] is None
    assert triggers.delete_trigger(ORG, DEPLOYMENT, trigger_id) == {
        "message": f"{trigger_id} deleted"
    }

    notebooks = NotebookAPIClient(credential, base_url=emulator.url)
    created = notebooks.create_notebook(ORG, JOB, "cpu-1", "abeja-inc/all-cpu:19.10", "lab")
    notebook_id = created["training_notebook_id"]
    assert notebooks.get_notebook(ORG, JOB, notebook_id)["training_notebook_id"] == notebook_id
    assert notebooks.get_notebooks(ORG, JOB)["total"] == 1
    updated = notebooks.update_notebook(ORG, JOB, notebook_id, instance_type="cpu-2")
    assert updated["instance_type"] == "cpu-2"
    stopped = notebooks.stop_notebook(ORG, JOB, notebook_id)
    assert (stopped["training_notebook_id"], stopped["status"]) == (notebook_id, "Stopped")
    started = notebooks.start_notebook(ORG, JOB, notebook_id, "notebook")
    assert started["training_notebook_id"] == notebook_id
    assert started["status"] in ("Pending", "Running")
    assert notebooks.get_notebook(ORG, JOB, notebook_id)["status"] in ("Pending", "Running")
    logs = notebooks.get_notebook_recent_logs(ORG, JOB, notebook_id)
    assert set(logs) >= {"events", "next_forward_token", "next_backward_token"}
    deleted = notebooks.delete_notebook(ORG, JOB, notebook_id)
    assert deleted == {"value": {"message": f"{notebook_id} deleted"}}


def test_server_side_rules_and_sdk_side_rules_agree(
    client: Client, emulator: PlatformEmulator
) -> None:
    triggers = client.organization(ORG).deployment(DEPLOYMENT).triggers
    emulator.clear_requests()
    with pytest.raises(ValidationError, match="retry_count"):
        triggers.create(version_id="ver-1", input_service_id=CHANNEL, retry_count=10)
    assert emulator.requests == []

    raw = TriggerAPIClient({"auth_token": "x"}, base_url=emulator.url)
    # The same rule, enforced by the emulator when a request gets past the SDK.
    with pytest.raises(BadRequest) as caught:
        raw._transport.send(  # a hand-made request, as another client could send it
            _unchecked_create(retry_count=10)
        )
    assert "retry_count" in caught.value.error_description


def test_missing_credentials_give_unauthorized_with_a_hint(
    emulator: PlatformEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("PLATFORM_AUTH_TOKEN", "ABEJA_PLATFORM_USER_ID", "ABEJA_PLATFORM_DATASOURCE_ID"):
        monkeypatch.delenv(name, raising=False)
    with Client(base_url=emulator.url) as anonymous, pytest.raises(Unauthorized) as caught:
        anonymous.organization(ORG).deployment(DEPLOYMENT).triggers.list()
    assert caught.value.status_code == 401
    assert "PLATFORM_AUTH_TOKEN" in str(caught.value)


def _unchecked_create(retry_count: int):  # type: ignore[no-untyped-def]
    from abeja_models._http import ApiRequest

    body = {
        "version_id": "ver-1",
        "input_service_name": "datalake",
        "input_service_id": CHANNEL,
        "retry_count": retry_count,
    }
    path = f"/organizations/{ORG}/deployments/{DEPLOYMENT}/triggers"
    return ApiRequest("POST", path, None, body)
