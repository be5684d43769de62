"""The emulator finds a trigger or notebook only under its own scope: a right id asked for
under another organization, deployment or job definition gets a 404 and changes nothing.

Every endpoint that takes an id is tried with every wrong part of its scope, the wrong
scope holding a resource of its own (so a lookup by id alone would find something), and the
resource is then read under its right scope and compared with what it was before.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Optional

import pytest
import requests

from abeja_models.testing import PlatformEmulator

ORG, OTHER_ORG = "1234567890123", "9876543210987"
DEPLOYMENT, OTHER_DEPLOYMENT = "1111111111111", "2222222222222"
JOB, OTHER_JOB = "job-1", "job-2"
CHANNEL = "3333333333333"


@dataclass(frozen=True)
class Call:
    """One request on a resource: its method, what follows the resource's path, a body."""

    method: str
    tail: str = ""
    body: Optional[dict[str, str]] = None


TRIGGER_CALLS = {
    "get": Call("GET"),
    "delete": Call("DELETE"),
    "runs": Call("GET", "/runs"),
}
NOTEBOOK_CALLS = {
    "get": Call("GET"),
    "update": Call("PUT", body={"instance_type": "gpu:b-4", "image": "other:1"}),
    "delete": Call("DELETE"),
    "start": Call("POST", "/start", body={"notebook_type": "lab"}),
    "stop": Call("POST", "/stop"),
    "recentlogs": Call("GET", "/recentlogs"),
}
TRIGGER_SCOPES = {
    "organization": (OTHER_ORG, DEPLOYMENT),
    "deployment": (ORG, OTHER_DEPLOYMENT),
    "both": (OTHER_ORG, OTHER_DEPLOYMENT),
}
NOTEBOOK_SCOPES = {
    "organization": (OTHER_ORG, JOB),
    "job definition": (ORG, OTHER_JOB),
    "both": (OTHER_ORG, OTHER_JOB),
}


def _trigger_path(organization: str, deployment: str, trigger_id: str = "") -> str:
    path = f"/organizations/{organization}/deployments/{deployment}/triggers"
    return f"{path}/{trigger_id}" if trigger_id else path


def _notebook_path(organization: str, job: str, notebook_id: str = "") -> str:
    path = f"/organizations/{organization}/training/definitions/{job}/notebooks"
    return f"{path}/{notebook_id}" if notebook_id else path


class Platform:
    """Raw HTTP to one emulator, so nothing of the SDK stands between the test and it."""

    def __init__(self, emulator: PlatformEmulator) -> None:
        self.emulator = emulator
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer token"

    def send(
        self, method: str, path: str, body: Optional[dict[str, str]] = None
    ) -> tuple[int, Any]:
        """The answer's status and JSON body."""
        answer = self.session.request(method, self.emulator.url + path, json=body, timeout=10)
        return answer.status_code, answer.json()

    def ok(self, method: str, path: str, body: Optional[dict[str, str]] = None) -> Any:
        """The JSON body of an answer that must be a 200."""
        status, document = self.send(method, path, body)
        assert status == 200, document
        return document

    def create_trigger(self, organization: str, deployment: str) -> str:
        """A new trigger watching CHANNEL."""
        body = {
            "version_id": "ver-1",
            "input_service_name": "datalake",
            "input_service_id": CHANNEL,
        }
        document = self.ok("POST", _trigger_path(organization, deployment), body)
        return str(document["trigger_id"])

    def create_notebook(self, organization: str, job: str) -> str:
        """A new notebook, running at once (the emulator starts them with no delay)."""
        document = self.ok("POST", _notebook_path(organization, job), {})
        return str(document["training_notebook_id"])


@pytest.fixture
def platform() -> Iterator[Platform]:
    # Runs stay PENDING and a notebook writes one log line, so a resource that nothing
    # touched reads the same twice.
    quiet = PlatformEmulator(notebook_start_delay=0, run_step_delay=3600, log_interval=3600)
    with quiet as emulator:
        platform = Platform(emulator)
        yield platform
        platform.session.close()


def _refused(platform: Platform, call: Call, path: str, resource_id: str) -> None:
    status, document = platform.send(call.method, path + call.tail, call.body)
    assert status == 404, (call, document)
    assert document["error"] == "not_found", document
    assert resource_id in document["error_description"], document


@pytest.mark.parametrize("scope", TRIGGER_SCOPES, ids=str)
@pytest.mark.parametrize("endpoint", TRIGGER_CALLS, ids=str)
def test_a_trigger_under_another_scope_is_not_found_and_stays(
    platform: Platform, endpoint: str, scope: str
) -> None:
    trigger_id = platform.create_trigger(ORG, DEPLOYMENT)
    platform.create_trigger(*TRIGGER_SCOPES[scope])  # the wrong scope is not empty
    platform.emulator.upload(CHANNEL, b"one run each")
    path = _trigger_path(ORG, DEPLOYMENT, trigger_id)
    before = platform.ok("GET", path), platform.ok("GET", path + "/runs")

    wrong = _trigger_path(*TRIGGER_SCOPES[scope], trigger_id)
    _refused(platform, TRIGGER_CALLS[endpoint], wrong, trigger_id)

    assert (platform.ok("GET", path), platform.ok("GET", path + "/runs")) == before


@pytest.mark.parametrize("scope", NOTEBOOK_SCOPES, ids=str)
@pytest.mark.parametrize("endpoint", NOTEBOOK_CALLS, ids=str)
def test_a_notebook_under_another_scope_is_not_found_and_stays(
    platform: Platform, endpoint: str, scope: str
) -> None:
    notebook_id = platform.create_notebook(ORG, JOB)
    platform.create_notebook(*NOTEBOOK_SCOPES[scope])
    path = _notebook_path(ORG, JOB, notebook_id)
    if endpoint == "start":  # a start could only show on a stopped notebook
        platform.ok("POST", path + "/stop")
    before = platform.ok("GET", path), platform.ok("GET", path + "/recentlogs")

    wrong = _notebook_path(*NOTEBOOK_SCOPES[scope], notebook_id)
    _refused(platform, NOTEBOOK_CALLS[endpoint], wrong, notebook_id)

    assert (platform.ok("GET", path), platform.ok("GET", path + "/recentlogs")) == before
