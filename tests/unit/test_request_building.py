"""An id is checked where it enters: a collection's parent ids once, when it first sends,
the caller's id of each call once; the requests are the ones built from every argument."""

from __future__ import annotations

from typing import Any

import pytest

from abeja_models import _endpoints as endpoints
from abeja_models.resources import Notebooks, Triggers
from tests.ids import NOTEBOOK_ID, NOTEBOOK_URL, TRIGGER_ID, TRIGGER_URL

from .fakes import MockedPlatform


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The path arguments checked and encoded, by name, in order."""
    names: list[str] = []
    check = endpoints.path_segment

    def counted(parameter: str, value: object) -> str:
        names.append(parameter)
        return check(parameter, value)

    monkeypatch.setattr(endpoints, "path_segment", counted)
    return names


def test_a_collections_parent_ids_are_checked_once_for_all_its_calls(
    api: MockedPlatform,
    triggers: Triggers,
    notebooks: Notebooks,
    trigger_doc: dict[str, Any],
    notebook_doc: dict[str, Any],
    checked: list[str],
) -> None:
    api.get(TRIGGER_URL, json=trigger_doc)
    api.get(NOTEBOOK_URL, json=notebook_doc)
    for _ in range(3):
        triggers.get(TRIGGER_ID)
        notebooks.get(NOTEBOOK_ID)
    first = ["organization_id", "deployment_id", "trigger_id"]
    first += ["organization_id", "job_definition_name", "notebook_id"]
    assert checked == first + ["trigger_id", "notebook_id"] * 2
    assert [call.request.url for call in api.calls] == [TRIGGER_URL, NOTEBOOK_URL] * 3


def test_a_bound_endpoint_sends_what_the_endpoint_would() -> None:
    arguments = {
        "organization_id": "org:ü~",
        "deployment_id": 7,
        "trigger_id": "tri-{x}%",
        "next_page_token": "t/ok",
        "scan_forward": True,
    }
    runs = endpoints.GET_TRIGGER_RUNS
    scope = {"organization_id": "org:ü~", "deployment_id": 7}
    within = runs.within(scope)
    given = {name: arguments[name] for name in arguments if name not in scope}
    assert within.parameters == ("trigger_id", "next_page_token", "scan_forward")
    assert within.request(given) == runs.request(arguments)
