"""The reference documents' own examples: each documented call, made with the request of its
example and mocked with the answer of its example, returns that answer unchanged, as the
platform SDK does (the examples' answers hold other ids than their requests)."""

from __future__ import annotations

from typing import Any, Callable

import pytest
import responses

from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.testing import samples
from abeja_models.triggers import APIClient as TriggerAPIClient

BASE = "https://api.test"
# The ids of the documents' requests.
ORG, DEP, TRI = "1234567890123", "1111111111111", "tri-3333333333333333"
NB_ORG, JOB, NB = "1410000000000", "test_job_definition", "1230000000000"
TRIGGERS = f"{BASE}/organizations/{ORG}/deployments/{DEP}/triggers"
NOTEBOOKS = f"{BASE}/organizations/{NB_ORG}/training/definitions/{JOB}/notebooks"

Call = Callable[[TriggerAPIClient, NotebookAPIClient], Any]

EXAMPLES: list[tuple[str, str, str, Call]] = [
    (
        "create_trigger",
        "POST",
        TRIGGERS,
        lambda triggers, _: triggers.create_trigger(
            ORG,
            DEP,
            "ver-1111111111111111",
            "datalake",
            "2222222222222",
            model_id="3333333333333",
            distribution=0,
            retry_count=0,
            environment={"EXAMPLE_ENV": "exmaple"},
        ),
    ),
    ("delete_trigger", "DELETE", f"{TRIGGERS}/{TRI}", lambda t, _: t.delete_trigger(ORG, DEP, TRI)),
    ("get_trigger", "GET", f"{TRIGGERS}/{TRI}", lambda t, _: t.get_trigger(ORG, DEP, TRI)),
    (
        "get_trigger_runs",
        "GET",
        f"{TRIGGERS}/{TRI}/runs",
        lambda t, _: t.get_trigger_runs(ORG, DEP, TRI),
    ),
    ("get_triggers", "GET", TRIGGERS, lambda t, _: t.get_triggers(ORG, DEP)),
    (
        "create_notebook",
        "POST",
        NOTEBOOKS,
        lambda _, n: n.create_notebook(NB_ORG, JOB, "cpu-1", "abeja-inc/all-cpu:19.10", "lab"),
    ),
    (
        "delete_notebook",
        "DELETE",
        f"{NOTEBOOKS}/{NB}",
        lambda _, n: n.delete_notebook(NB_ORG, JOB, NB),
    ),
    ("get_notebook", "GET", f"{NOTEBOOKS}/{NB}", lambda _, n: n.get_notebook(NB_ORG, JOB, NB)),
    (
        "get_notebook_recent_logs",
        "GET",
        f"{NOTEBOOKS}/{NB}/recentlogs",
        lambda _, n: n.get_notebook_recent_logs(NB_ORG, JOB, NB),
    ),
    ("get_notebooks", "GET", NOTEBOOKS, lambda _, n: n.get_notebooks(NB_ORG, JOB)),
    (
        "start_notebook",
        "POST",
        f"{NOTEBOOKS}/{NB}/start",
        lambda _, n: n.start_notebook(NB_ORG, JOB, NB),
    ),
    (
        "stop_notebook",
        "POST",
        f"{NOTEBOOKS}/{NB}/stop",
        lambda _, n: n.stop_notebook(NB_ORG, JOB, NB),
    ),
    (
        "update_notebook",
        "PUT",
        f"{NOTEBOOKS}/{NB}",
        lambda _, n: n.update_notebook(
            NB_ORG, JOB, NB, instance_type="cpu-1", image="abeja-inc/all-cpu:19.10"
        ),
    ),
]


def test_every_documented_call_has_an_example() -> None:
    assert sorted(name for name, *_ in EXAMPLES) == sorted(samples.__all__)


@pytest.mark.parametrize(("name", "method", "url", "call"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_the_documented_answer_comes_back_as_it_came(
    name: str, method: str, url: str, call: Call
) -> None:
    answer = getattr(samples, name)()
    credential = {"auth_token": "t"}
    triggers = TriggerAPIClient(credential, base_url=BASE, max_retry_count=0)
    notebooks = NotebookAPIClient(credential, base_url=BASE, max_retry_count=0)
    with responses.RequestsMock() as mocked:
        mocked.add(method, url, json=answer)
        assert call(triggers, notebooks) == answer
