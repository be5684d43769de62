"""Shared fixtures of the unit suite: a mocked platform, clients on it, the documents' examples.

No test here touches the network: every HTTP call goes to ``responses``. The examples are
the reference documents' (``abeja_models.testing.samples``) and each fixture hands out a
fresh copy, so a test may change its own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import closing
from types import SimpleNamespace
from typing import Any, Callable, TypeVar, Union

import pytest
import responses

from abeja_models import Client, Notebook, Trigger
from abeja_models._http import _transport
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.resources import Notebooks, Triggers, _waiting
from abeja_models.testing import samples
from abeja_models.triggers import APIClient as TriggerAPIClient
from tests.ids import BASE_URL, DEP, JOB, NOTEBOOK_ID, NOTEBOOK_URL, ORG, TRIGGER_ID, TRIGGER_URL

from .fakes import FakeClock, MockedPlatform

_LowLevel = TypeVar("_LowLevel", bound=Union[TriggerAPIClient, NotebookAPIClient])
_Model = TypeVar("_Model", bound=Union[Trigger, Notebook])


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
def api() -> Iterator[MockedPlatform]:
    """The mocked platform; ``api.calls`` lists what was actually sent."""
    with MockedPlatform(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def max_retries() -> int:
    """The retries of the clients below; a module that wants none overrides this fixture."""
    return 2


@pytest.fixture
def client(max_retries: int) -> Iterator[Client]:
    with Client(base_url=BASE_URL, auth_token="t", backoff_base=0, max_retries=max_retries) as made:
        yield made


def _low_level(kind: type[_LowLevel], max_retries: int) -> Iterator[_LowLevel]:
    made = kind({"auth_token": "t"}, base_url=BASE_URL, max_retry_count=max_retries)
    with closing(made):
        yield made


@pytest.fixture
def trigger_api(max_retries: int) -> Iterator[TriggerAPIClient]:
    yield from _low_level(TriggerAPIClient, max_retries)


@pytest.fixture
def notebook_api(max_retries: int) -> Iterator[NotebookAPIClient]:
    yield from _low_level(NotebookAPIClient, max_retries)


@pytest.fixture
def triggers(client: Client) -> Triggers:
    """The triggers of the deployment of ``ids``."""
    return client.organization(ORG).deployment(DEP).triggers


@pytest.fixture
def notebooks(client: Client) -> Notebooks:
    """The notebooks of the job definition of ``ids``."""
    return client.organization(ORG).job_definition(JOB).notebooks


def _fetcher(
    api: responses.RequestsMock, url: str, doc: dict[str, Any], get: Callable[[], _Model]
) -> Callable[..., _Model]:
    """``fetch(**changes)``: ``doc`` with ``changes`` answered at ``url`` and fetched by
    ``get`` (so bound to its collection); the mock is cleared afterwards."""

    def fetch(**changes: Any) -> _Model:
        api.get(url, json={**doc, **changes})
        fetched = get()
        api.calls.reset()
        api.reset()
        return fetched

    return fetch


@pytest.fixture
def fetch_trigger(
    api: responses.RequestsMock, triggers: Triggers, trigger_doc: dict[str, Any]
) -> Callable[..., Trigger]:
    """``fetch_trigger(**changes)``: the documented trigger with ``changes``, fetched."""
    return _fetcher(api, TRIGGER_URL, trigger_doc, lambda: triggers.get(TRIGGER_ID))


@pytest.fixture
def fetch_notebook(
    api: responses.RequestsMock, notebooks: Notebooks, notebook_doc: dict[str, Any]
) -> Callable[..., Notebook]:
    """``fetch_notebook(**changes)``: the documented notebook with ``changes``, fetched."""
    return _fetcher(api, NOTEBOOK_URL, notebook_doc, lambda: notebooks.get(NOTEBOOK_ID))


@pytest.fixture
def bound_trigger(fetch_trigger: Callable[..., Trigger]) -> Trigger:
    """The documented trigger, fetched through the client."""
    return fetch_trigger()


@pytest.fixture
def bound_notebook(fetch_notebook: Callable[..., Notebook]) -> Notebook:
    """The documented notebook, fetched through the client."""
    return fetch_notebook()


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
