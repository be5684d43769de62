"""Shared pieces of the test-double suite: ids, documents, a user's session, both SDK layers.

The suite shows four tools that fake or replay HTTP for code built on ``requests``
(requests-mock, responses, vcrpy, betamax) working with this SDK's two layers: the
resource objects of ``Client`` and the low-level ``APIClient`` classes. ``Sdk`` puts the
few calls the tests make through either layer behind one interface; the resource
implementation checks that what comes back is typed, and both hand back the same plain
views, so one assertion covers both layers.

Nothing here reaches the network: the mocked platform lives at ``base_url``, a loopback
port that refuses connections, and the recordings are made against a ``PlatformEmulator``
on 127.0.0.1.
"""

from __future__ import annotations

import copy
import socket
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple, Optional

import pytest
import requests

from abeja_models import Client, Notebook, Trigger, TriggerRun
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.testing import PlatformEmulator, samples
from abeja_models.triggers import APIClient as TriggerAPIClient
from tests.ids import (
    DEP,
    JOB,
    ORG,
    TRIGGERS_PATH,
)

TOKEN = "dbl-secret-5f0c2a9e7b"
"""The platform token: sent as ``Authorization: Bearer``, and never written to a cassette."""

CHANNEL = "2222222222222"

LAYERS = ("resources", "api")
"""The two layers: ``Client`` and its resource objects, and the low-level ``APIClient``s."""

TRIGGER_FIELDS = ("trigger_id", "deployment_id", "model_version_id", "retry_count", "user_env_vars")
NOTEBOOK_FIELDS = ("training_notebook_id", "name", "status", "instance_type", "image")


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """Where the mocked platform lives: a loopback port bound but never listening.

    A call that a double fails to intercept is refused there, instead of leaving the machine.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as reserved:
        reserved.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{reserved.getsockname()[1]}"


@pytest.fixture
def emulator() -> Iterator[PlatformEmulator]:
    """A platform to record against; it accepts only ``TOKEN``, and a test may stop it early."""
    with PlatformEmulator(
        credentials=[TOKEN], page_size=2, notebook_start_delay=600.0, run_step_delay=0.01
    ) as running:
        yield running


# The reference documents' examples (abeja_models.testing.samples) hold these ids ---------


def runs_page_doc(*run_ids: str, next_page_token: Optional[str] = None) -> dict[str, Any]:
    """A page of *get trigger runs* holding the documented run under each of these ids."""
    run = samples.get_trigger_runs()["entries"][0]
    entries = [{**copy.deepcopy(run), "run_id": run_id} for run_id in run_ids]
    return {"entries": entries, "next_page_token": next_page_token}


def trigger_view(document: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a trigger document the tests compare: what ``Sdk.get_trigger`` answers."""
    return {name: document[name] for name in TRIGGER_FIELDS}


def notebook_view(document: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a notebook document the tests compare: what ``Sdk.get_notebook`` answers."""
    return {name: document[name] for name in NOTEBOOK_FIELDS}


# A user's own session ---------------------------------------------------------------------


class TrackingSession(requests.Session):
    """A session a user made: it remembers what it sent, what came back, and any close()."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[requests.PreparedRequest] = []
        self.statuses: list[int] = []
        self.close_calls = 0

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.sent.append(request)
        response = super().send(request, **kwargs)
        self.statuses.append(response.status_code)
        return response

    def close(self) -> None:
        self.close_calls += 1
        super().close()


@pytest.fixture
def user_session() -> Iterator[TrackingSession]:
    """A session of the user's own, closed by the user (here: when the test ends)."""
    with TrackingSession() as session:
        yield session


# Both layers behind one interface -------------------------------------------------------


class Sdk:
    """The calls the suite makes through one layer, answered as plain, comparable views."""

    def get_trigger(self, trigger_id: str) -> dict[str, Any]:
        raise NotImplementedError

    def trigger_ids(self) -> list[str]:
        raise NotImplementedError

    def run_ids(self, trigger_id: str) -> list[str]:
        """Every run of the trigger, all pages."""
        raise NotImplementedError

    def create_trigger(self) -> dict[str, Any]:
        """Create the trigger described by ``CREATE_TRIGGER``."""
        raise NotImplementedError

    def get_notebook(self, notebook_id: str) -> dict[str, Any]:
        raise NotImplementedError

    def notebook_ids(self) -> list[str]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


CREATE_TRIGGER: dict[str, Any] = {
    "version_id": "ver-1111111111111111",
    "input_service_id": CHANNEL,
    "model_id": "3333333333333",
    "retry_count": 3,
    "environment": {"DEBUG": "debug"},
}
"""The trigger ``Sdk.create_trigger`` creates; the body the platform receives is
``CREATE_TRIGGER_BODY``."""

CREATE_TRIGGER_BODY: dict[str, Any] = {
    "version_id": "ver-1111111111111111",
    "input_service_name": "datalake",
    "input_service_id": CHANNEL,
    "retry_count": 3,
    "environment": {"DEBUG": "debug"},
    "models": {"alias": "3333333333333"},
}


class ResourceSdk(Sdk):
    """``Client(...).organization(ORG)``: deployment ``DEP``'s triggers, job ``JOB``'s notebooks."""

    def __init__(
        self, base_url: str, session: Optional[requests.Session], max_retries: int
    ) -> None:
        self.client = Client(
            base_url=base_url,
            auth_token=TOKEN,
            max_retries=max_retries,
            backoff_base=0,
            session=session,
        )
        organization = self.client.organization(ORG)
        self.triggers = organization.deployment(DEP).triggers
        self.notebooks = organization.job_definition(JOB).notebooks

    @staticmethod
    def _trigger_view(trigger: Trigger) -> dict[str, Any]:
        assert isinstance(trigger, Trigger)
        return {
            "trigger_id": trigger.trigger_id,
            "deployment_id": trigger.deployment_id,
            "model_version_id": trigger.model_version_id,
            "retry_count": trigger.retry_count,
            "user_env_vars": trigger.user_env_vars,
        }

    def get_trigger(self, trigger_id: str) -> dict[str, Any]:
        return self._trigger_view(self.triggers.get(trigger_id))

    def trigger_ids(self) -> list[str]:
        return [trigger.trigger_id for trigger in self.triggers.list()]

    def run_ids(self, trigger_id: str) -> list[str]:
        runs = list(self.triggers.runs(trigger_id))
        assert all(isinstance(run, TriggerRun) and run.trigger_id == trigger_id for run in runs)
        return [run.run_id for run in runs]

    def create_trigger(self) -> dict[str, Any]:
        return self._trigger_view(self.triggers.create(**CREATE_TRIGGER))

    def get_notebook(self, notebook_id: str) -> dict[str, Any]:
        notebook = self.notebooks.get(notebook_id)
        assert isinstance(notebook, Notebook)
        assert notebook.notebook_id == notebook_id
        return {
            "training_notebook_id": notebook.training_notebook_id,
            "name": notebook.name,
            "status": notebook.status,
            "instance_type": notebook.instance_type,
            "image": notebook.image,
        }

    def notebook_ids(self) -> list[str]:
        return [notebook.notebook_id for notebook in self.notebooks.list()]

    def close(self) -> None:
        self.client.close()


class ApiSdk(Sdk):
    """The low-level ``triggers.APIClient`` and ``notebook.APIClient``, on one session if given.

    Their retries pause 0.25 to 0.5 s (they have no backoff setting): keep retried calls few.
    """

    def __init__(
        self, base_url: str, session: Optional[requests.Session], max_retries: int
    ) -> None:
        credential = {"auth_token": TOKEN}
        self.trigger_api = TriggerAPIClient(
            credential, max_retry_count=max_retries, base_url=base_url, session=session
        )
        self.notebook_api = NotebookAPIClient(
            credential, max_retry_count=max_retries, base_url=base_url, session=session
        )

    def get_trigger(self, trigger_id: str) -> dict[str, Any]:
        return trigger_view(self.trigger_api.get_trigger(ORG, DEP, trigger_id))

    def trigger_ids(self) -> list[str]:
        return [entry["trigger_id"] for entry in self.trigger_api.get_triggers(ORG, DEP)["entries"]]

    def run_ids(self, trigger_id: str) -> list[str]:
        ids: list[str] = []
        token: Optional[str] = None
        while True:
            page = self.trigger_api.get_trigger_runs(ORG, DEP, trigger_id, token)
            ids += [run["run_id"] for run in page["entries"]]
            token = page["next_page_token"]
            if not token:
                return ids

    def create_trigger(self) -> dict[str, Any]:
        created = self.trigger_api.create_trigger(
            ORG,
            DEP,
            CREATE_TRIGGER["version_id"],
            "datalake",
            CREATE_TRIGGER["input_service_id"],
            retry_count=CREATE_TRIGGER["retry_count"],
            environment=CREATE_TRIGGER["environment"],
            model_id=CREATE_TRIGGER["model_id"],
        )
        return trigger_view(created)

    def get_notebook(self, notebook_id: str) -> dict[str, Any]:
        return notebook_view(self.notebook_api.get_notebook(ORG, JOB, notebook_id))

    def notebook_ids(self) -> list[str]:
        page = self.notebook_api.get_notebooks(ORG, JOB)
        return [str(entry["training_notebook_id"]) for entry in page["entries"]]

    def close(self) -> None:
        self.trigger_api.close()
        self.notebook_api.close()


def make_sdk(
    layer: str,
    base_url: str,
    *,
    session: Optional[requests.Session] = None,
    max_retries: int = 1,
) -> Sdk:
    """One layer of the SDK on ``base_url`` with ``TOKEN``; ``session`` is the user's, if any."""
    if layer == "resources":
        return ResourceSdk(base_url, session, max_retries)
    if layer == "api":
        return ApiSdk(base_url, session, max_retries)
    raise ValueError(f"unknown layer {layer!r}")


# Recording against the emulator ------------------------------------------------------------


class Seeded(NamedTuple):
    """What a recording scenario finds on the emulator (at ``url``): a trigger with runs, a
    notebook."""

    url: str
    trigger_id: str
    run_ids: list[str]
    notebook_id: str


def seed(emulator: PlatformEmulator) -> Seeded:
    """Create a trigger with 3 runs (2 pages) and a notebook, then forget those requests.

    Call it outside any cassette: it is the platform's state, not part of the recording.
    """
    with Client(base_url=emulator.url, auth_token=TOKEN) as setup:
        organization = setup.organization(ORG)
        trigger = organization.deployment(DEP).triggers.create(
            version_id="ver-2222222222222222", input_service_id=CHANNEL
        )
        notebook = organization.job_definition(JOB).notebooks.create(
            instance_type="cpu-1", image="abeja-inc/all-cpu:19.10"
        )
    run_ids = emulator.add_runs(trigger.trigger_id, 3)
    emulator.clear_requests()
    return Seeded(emulator.url, trigger.trigger_id, run_ids, notebook.notebook_id)


@pytest.fixture
def seeded(emulator: PlatformEmulator) -> Seeded:
    """The emulator with a trigger with 3 runs (2 pages) and a notebook, as ``seed`` leaves it."""
    return seed(emulator)


def arm_503_once(emulator: PlatformEmulator, trigger_id: str) -> None:
    """The next GET of this trigger is answered 503 (not processed); the retry gets a 200."""
    emulator.inject_fault("GET", rf"/triggers/{trigger_id}$", status=503)


def scenario(sdk: Sdk, seeded: Seeded) -> dict[str, Any]:
    """The calls a recording holds, in order: ``SCENARIO_INTERACTIONS`` with the 503."""
    created = sdk.create_trigger()
    return {
        "created": created,
        "trigger": sdk.get_trigger(seeded.trigger_id),  # 503, then 200
        "trigger_ids": sorted(sdk.trigger_ids()),
        "run_ids": sorted(sdk.run_ids(seeded.trigger_id)),  # two pages
        "notebook": sdk.get_notebook(seeded.notebook_id),
        "notebook_ids": sdk.notebook_ids(),
    }


def run_scenario(
    layer: str, base_url: str, seeded: Seeded, *, session: Optional[requests.Session] = None
) -> dict[str, Any]:
    """``scenario`` through a new SDK of this layer, closed after; it retries the 503."""
    sdk = make_sdk(layer, base_url, session=session, max_retries=2)
    try:
        return scenario(sdk, seeded)
    finally:
        sdk.close()


SCENARIO_INTERACTIONS = 8
"""create 1 + get 2 (503, 200) + list 1 + runs 2 pages + notebook 1 + notebooks 1."""

SCENARIO_STATUSES = [200, 503, 200, 200, 200, 200, 200, 200]


def check_recorded(recorded: Mapping[str, Any], emulator: PlatformEmulator, seeded: Seeded) -> None:
    """What the scenario got from the live emulator and what the emulator saw; then the
    emulator stops, so that a replay has nothing to reach."""
    created_id = recorded["created"]["trigger_id"]
    assert created_id.startswith("tri-")
    assert recorded["created"] == {
        "trigger_id": created_id,
        "deployment_id": DEP,
        "model_version_id": CREATE_TRIGGER["version_id"],
        "retry_count": 3,
        "user_env_vars": {"DEBUG": "debug"},
    }
    assert recorded["trigger"]["trigger_id"] == seeded.trigger_id
    assert recorded["trigger"]["model_version_id"] == "ver-2222222222222222"
    assert recorded["trigger_ids"] == sorted([seeded.trigger_id, created_id])
    assert recorded["run_ids"] == sorted(seeded.run_ids)
    assert recorded["notebook"]["training_notebook_id"] == seeded.notebook_id
    assert recorded["notebook"]["status"] == "Pending"
    assert recorded["notebook_ids"] == [seeded.notebook_id]
    # The recording went to the platform: the retry included, each call with the token.
    assert len(emulator.requests) == SCENARIO_INTERACTIONS
    assert emulator.count("GET", rf"/triggers/{seeded.trigger_id}$") == 2
    assert emulator.count("POST", r"/triggers$") == 1
    assert all(
        request.headers.get("Authorization") == f"Bearer {TOKEN}" for request in emulator.requests
    )
    emulator.stop()


def cassette_text(path: Path) -> str:
    """A cassette as it was written, which must not hold the token."""
    text = path.read_text()
    assert TOKEN not in text
    return text


def get_then_reuse(session: TrackingSession, layer: str, seeded: Seeded) -> None:
    """The SDK gets the seeded trigger through the user's ``session`` and is closed; the
    session is left open, and gets the same trigger itself."""
    url = f"{seeded.url}{TRIGGERS_PATH}/{seeded.trigger_id}"
    sdk = make_sdk(layer, seeded.url, session=session)
    got = sdk.get_trigger(seeded.trigger_id)
    sdk.close()
    assert session.close_calls == 0
    again = session.get(url, headers={"Authorization": f"Bearer {TOKEN}"})
    assert got["trigger_id"] == seeded.trigger_id
    assert trigger_view(again.json()) == got
    assert [request.url for request in session.sent] == [url, url]
