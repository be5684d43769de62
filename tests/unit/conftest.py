"""Shared fixtures of the unit suite: a mocked platform, clients on it, the documents' examples.

No test here touches the network: every HTTP call goes to ``responses``. The examples are
copied from the reference documents in ``shared/seeds`` (their Python literals written as
JSON) and each fixture hands out a fresh copy, so a test may change its own.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any, Callable, NamedTuple
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

from abeja_models import Client
from abeja_models._http import _transport
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.resources import _waiting
from abeja_models.triggers import APIClient as TriggerAPIClient

from .fakes import FakeClock

BASE_URL = "https://api.test"


@pytest.fixture(autouse=True)
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The transport's pauses between attempts, recorded instead of slept."""
    slept: list[float] = []
    fake_time = SimpleNamespace(monotonic=time.monotonic, sleep=slept.append)
    monkeypatch.setattr(_transport, "time", fake_time)
    return slept


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """A fake clock for the waits, so a test of a 600 s wait takes no time."""
    fake = FakeClock()
    monkeypatch.setattr(
        _waiting, "time", SimpleNamespace(monotonic=fake.monotonic, sleep=fake.sleep)
    )
    return fake


@pytest.fixture
def api() -> Iterator[responses.RequestsMock]:
    """The mocked platform; ``api.calls`` lists what was actually sent."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


class Sent(NamedTuple):
    """What one request put on the wire: method, raw (percent-encoded) path, query, JSON body."""

    method: str
    path: str
    query: dict[str, str]
    body: Any


@pytest.fixture
def sent(api: responses.RequestsMock) -> Callable[[int], Sent]:
    """``sent(i)``: the i-th request the mocked platform received."""

    def at(index: int) -> Sent:
        request = api.calls[index].request
        parts = urlsplit(request.url)
        raw = request.body
        body = json.loads(raw) if raw else None
        return Sent(str(request.method), parts.path, dict(parse_qsl(parts.query)), body)

    return at


@pytest.fixture
def client() -> Iterator[Client]:
    with Client(base_url=BASE_URL, auth_token="t", backoff_base=0, max_retries=2) as made:
        yield made


@pytest.fixture
def trigger_api() -> Iterator[TriggerAPIClient]:
    made = TriggerAPIClient({"auth_token": "t"}, base_url=BASE_URL, max_retry_count=2)
    yield made
    made.close()


@pytest.fixture
def notebook_api() -> Iterator[NotebookAPIClient]:
    made = NotebookAPIClient({"auth_token": "t"}, base_url=BASE_URL, max_retry_count=2)
    yield made
    made.close()


# The reference documents' examples -----------------------------------------------------

_TRIGGER_CREATED: dict[str, Any] = {
    "deployment_id": "1111111111111",
    "input_service_id": "2222222222222",
    "input_service_name": "datalake",
    "models": {"alias": "3333333333333"},
    "model_version": "0.0.3",
    "model_version_id": "ver-1111111111111111",
    "organization_id": "1234567890123",
    "output_service_id": None,
    "output_service_name": None,
    "retry_count": 7,
    "distribution": 0,
    "trigger_id": "tri-3333333333333333",
    "user_env_vars": {"DEBUG": "debug"},
}

_TRIGGER: dict[str, Any] = {
    "deployment_id": "1111111111111",
    "input_service_id": "2222222222222",
    "input_service_name": "datalake",
    "models": {"alias": "3333333333333"},
    "model_version": "0.0.3",
    "model_version_id": "ver-1111111111111111",
    "organization_id": "1234567890123",
    "output_service_id": None,
    "output_service_name": None,
    "retry_count": 7,
    "trigger_id": "tri-3333333333333333",
    "user_env_vars": {"DEBUG": "debug"},
    "created_at": "2018-01-01T00:00:00.000000Z",
    "modified_at": "2018-01-01T00:00:00.000000Z",
}

_TRIGGER_RUN: dict[str, Any] = {
    "created_at": "2019-01-01T00:00:00.000000Z",
    "deployment_id": "1111111111111",
    "input_data": {
        "$datalake:1": "2222222222222/20190101T000000-e8286a2a-100a-4a40-a7de-5c9a5794b76c"
    },
    "models": {"alias": "3333333333333"},
    "model_version_id": "ver-1111111111111111",
    "modified_at": "2019-01-01T00:00:00.000000Z",
    "output_template": None,
    "retry_count": 5,
    "run_id": "run-3333333333333333",
    "status": "SUCCEEDED",
    "trigger_id": "tri-3333333333333333",
    "user_env_vars": {},
}

_NOTEBOOK: dict[str, Any] = {
    "job_definition_id": "1234567890123",
    "training_notebook_id": "1410000000000",
    "name": "notebook-3",
    "description": None,
    "status": "Pending",
    "status_message": None,
    "instance_type": "cpu-1",
    "image": "abeja-inc/all-cpu:18.10",
    "creator": {
        "updated_at": "2018-01-04T03:02:12Z",
        "role": "admin",
        "is_registered": True,
        "id": "1122334455660",
        "email": "test@abeja.asia",
        "display_name": None,
        "created_at": "2017-05-26T01:38:46Z",
    },
    "created_at": "2018-06-07T04:42:34.913644Z",
    "modified_at": "2018-06-07T04:42:34.913726Z",
}

_LOG_EVENT: dict[str, Any] = {
    "message": "start executing model with abeja-runtime-python36 (version: 0.X.X)",
    "timestamp": "2019-10-16T00:00:00.000Z",
}


@pytest.fixture
def trigger_created_doc() -> dict[str, Any]:
    """The answer of *create trigger* (no timestamps, a ``distribution``)."""
    return copy.deepcopy(_TRIGGER_CREATED)


@pytest.fixture
def trigger_doc() -> dict[str, Any]:
    """The answer of *get trigger*."""
    return copy.deepcopy(_TRIGGER)


@pytest.fixture
def trigger_list_doc() -> dict[str, Any]:
    """The answer of *get triggers*."""
    return {"entries": [copy.deepcopy(_TRIGGER)]}


@pytest.fixture
def trigger_run_doc() -> dict[str, Any]:
    """One entry of *get trigger runs*."""
    return copy.deepcopy(_TRIGGER_RUN)


@pytest.fixture
def runs_page_doc() -> dict[str, Any]:
    """The answer of *get trigger runs*."""
    return {"entries": [copy.deepcopy(_TRIGGER_RUN)], "next_page_token": "xxxxx"}


@pytest.fixture
def notebook_doc() -> dict[str, Any]:
    """The answer of *create notebook* and *get notebook*."""
    return copy.deepcopy(_NOTEBOOK)


@pytest.fixture
def notebook_zero_doc() -> dict[str, Any]:
    """The answer of *start/stop/update notebook* as documented: ``training_notebook_id: 0``."""
    return {**copy.deepcopy(_NOTEBOOK), "training_notebook_id": 0}


@pytest.fixture
def notebook_list_doc() -> dict[str, Any]:
    """The answer of *get notebooks*, the documented envelope."""
    return {"total": 1, "offset": 0, "limit": 10, "entries": [copy.deepcopy(_NOTEBOOK)]}


@pytest.fixture
def logs_page_doc() -> dict[str, Any]:
    """The answer of *get notebook recent logs*."""
    return {
        "events": [copy.deepcopy(_LOG_EVENT)],
        "next_backward_token": "...",
        "next_forward_token": "...",
    }
