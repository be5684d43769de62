"""Shared fixtures of the unit suite: a mocked platform, clients on it, the documents' examples.

No test here touches the network: every HTTP call goes to ``responses``. The examples are
the reference documents' (``abeja_models.testing.samples``) and each fixture hands out a
fresh copy, so a test may change its own.
"""

from __future__ import annotations

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
from abeja_models.models import _waiting
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.testing import samples
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


# The reference documents' examples (abeja_models.testing.samples) ------------------------


def _documented(answer: Callable[[], dict[str, Any]], doc: str) -> Any:
    """A fixture that hands each test a fresh ``answer()``; ``doc`` is what it shows."""

    def fixture() -> dict[str, Any]:
        return answer()

    fixture.__doc__ = doc
    return pytest.fixture(fixture)


trigger_created_doc = _documented(
    samples.create_trigger, "The answer of *create trigger* (no timestamps, a ``distribution``)."
)
trigger_doc = _documented(samples.get_trigger, "The answer of *get trigger*.")
trigger_list_doc = _documented(samples.get_triggers, "The answer of *get triggers*.")
trigger_run_doc = _documented(
    lambda: samples.get_trigger_runs()["entries"][0], "One entry of *get trigger runs*."
)
runs_page_doc = _documented(samples.get_trigger_runs, "The answer of *get trigger runs*.")
notebook_doc = _documented(
    samples.get_notebook, "The answer of *create notebook* and *get notebook*."
)
notebook_zero_doc = _documented(
    samples.start_notebook,
    "The answer of *start/stop/update notebook* as documented: ``training_notebook_id: 0``.",
)
notebook_list_doc = _documented(
    samples.get_notebooks, "The answer of *get notebooks*, the documented envelope."
)
logs_page_doc = _documented(
    samples.get_notebook_recent_logs, "The answer of *get notebook recent logs*."
)
