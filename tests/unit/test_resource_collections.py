"""What triggers and notebooks do alike through the resource layer, tested once over both kinds.

Create, get, list, delete, refresh, and the refusals of a model that no client fetched: the
same behaviour on ``deployment.triggers`` and ``job_definition.notebooks``. What only one
kind does is in ``test_trigger_resources.py`` and ``test_notebook_resources.py``.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from operator import attrgetter
from typing import Any, Callable, NamedTuple, Union

import pytest

from abeja_models import Creator, Notebook, Trigger, UnboundModelError
from tests.ids import (
    BASE_URL,
    DEP,
    NOTEBOOK_ID,
    NOTEBOOK_PATH,
    NOTEBOOKS_PATH,
    ORG,
    TRIGGER_ID,
    TRIGGER_PATH,
    TRIGGERS_PATH,
)

from .fakes import MockedPlatform

Model = Union[Trigger, Notebook]
UTC = timezone.utc


class Kind(NamedTuple):
    """One kind of resource: its model, the conftest fixtures that hold it, where it lives."""

    model: type[Model]
    collection: str  # the fixture of its collection
    doc: str  # the fixture of its documented answer
    bound: str  # the fixture of a fetched one
    path: str
    list_path: str
    item_id: str
    deleted: dict[str, Any]  # the documented answer of a delete
    change: dict[str, Any]  # a field a refresh may find changed

    def id_of(self, model: Model) -> str:
        return model.trigger_id if isinstance(model, Trigger) else model.notebook_id


TRIGGERS = Kind(
    Trigger,
    "triggers",
    "trigger_doc",
    "bound_trigger",
    TRIGGER_PATH,
    TRIGGERS_PATH,
    TRIGGER_ID,
    {"message": f"{TRIGGER_ID} deleted"},
    {"retry_count": 2},
)
NOTEBOOKS = Kind(
    Notebook,
    "notebooks",
    "notebook_doc",
    "bound_notebook",
    NOTEBOOK_PATH,
    NOTEBOOKS_PATH,
    NOTEBOOK_ID,
    {"value": {"message": f"{NOTEBOOK_ID} deleted"}},
    {"status": "Running"},
)
KINDS = [pytest.param(TRIGGERS, id="trigger"), pytest.param(NOTEBOOKS, id="notebook")]

# What the documents' answers say, read back typed (dotted names reach into the creator).
TRIGGER_FIELDS = {
    "trigger_id": TRIGGER_ID,
    "organization_id": ORG,
    "deployment_id": DEP,
    "model_version": "0.0.3",
    "model_version_id": "ver-1111111111111111",
    "input_service_id": "2222222222222",
    "created_at": datetime(2018, 1, 1, tzinfo=UTC),
    "modified_at": datetime(2018, 1, 1, tzinfo=UTC),
    "distribution": None,
}
CREATED_TRIGGER_FIELDS = {
    "trigger_id": TRIGGER_ID,
    "distribution": 0,
    "retry_count": 7,
    "models": {"alias": "3333333333333"},
    "user_env_vars": {"DEBUG": "debug"},
    "output_service_name": None,
    "created_at": None,
}
NOTEBOOK_FIELDS = {
    "notebook_id": NOTEBOOK_ID,
    "training_notebook_id": NOTEBOOK_ID,
    "job_definition_id": "1234567890123",
    "status": "Pending",
    "description": None,
    "image": "abeja-inc/all-cpu:18.10",
    "instance_type": "cpu-1",
    "creator.email": "test@abeja.asia",
    "creator.is_registered": True,
    "creator.updated_at": datetime(2018, 1, 4, 3, 2, 12, tzinfo=UTC),
    "created_at": datetime(2018, 6, 7, 4, 42, 34, 913644, tzinfo=UTC),
}


class Platform(NamedTuple):
    """The mocked platform of one test, and the conftest fixtures by name."""

    api: MockedPlatform
    fixture: Callable[[str], Any]


@pytest.fixture
def on(request: pytest.FixtureRequest, api: MockedPlatform) -> Platform:
    return Platform(api, request.getfixturevalue)


def assert_fields(model: Model, fields: dict[str, Any]) -> None:
    read = {name: attrgetter(name)(model) for name in fields}
    assert read == fields
    if isinstance(model, Notebook):
        assert isinstance(model.creator, Creator)


def assert_bound(on: Platform, kind: Kind, model: Model, doc: dict[str, Any]) -> None:
    """``model`` talks to its own place through the client: its refresh sends a GET there."""
    before = len(on.api.calls)
    on.api.get(BASE_URL + kind.path, json=doc)
    assert model.refresh() is model
    assert on.api.all_sent()[before:] == [("GET", kind.path, {}, None)]


# -- create ----------------------------------------------------------------------------------


class Create(NamedTuple):
    kind: Kind
    create: Callable[[Any], Model]
    body: dict[str, Any]
    answer: str  # the fixture of the answer
    fields: dict[str, Any]


# The design's create example: these arguments go on the wire by their names, the model
# as {"alias": model_id}, the absent output service not at all.
SENT_AS_NAMED = {
    "version_id": "ver-1111111111111111",
    "input_service_id": "2222222222222",
    "input_service_name": "datalake",
    "retry_count": 3,
    "distribution": 0,
    "environment": {"DEBUG": "debug"},
}
CREATES = {
    "trigger-as-documented": Create(
        TRIGGERS,
        lambda triggers: triggers.create(
            **SENT_AS_NAMED,
            model_id="3333333333333",
            output_service_name=None,
            output_service_id=None,
        ),
        {**SENT_AS_NAMED, "models": {"alias": "3333333333333"}},
        "trigger_created_doc",
        CREATED_TRIGGER_FIELDS,
    ),
    # Only what is given is sent; the output service goes as a pair.
    "trigger-only-the-given-parameters": Create(
        TRIGGERS,
        lambda triggers: triggers.create(
            version_id="ver-1",
            input_service_id="2222222222222",
            output_service_name="datalake",
            output_service_id="4444444444444",
        ),
        {
            "version_id": "ver-1",
            "input_service_name": "datalake",
            "input_service_id": "2222222222222",
            "output_service_name": "datalake",
            "output_service_id": "4444444444444",
        },
        "trigger_created_doc",
        CREATED_TRIGGER_FIELDS,
    ),
    "notebook-as-documented": Create(
        NOTEBOOKS,
        lambda notebooks: notebooks.create(
            instance_type="cpu-1", image="abeja-inc/all-cpu:19.10", notebook_type="lab"
        ),
        {"instance_type": "cpu-1", "image": "abeja-inc/all-cpu:19.10", "notebook_type": "lab"},
        "notebook_doc",
        NOTEBOOK_FIELDS,
    ),
    "notebook-without-arguments-an-empty-object": Create(
        NOTEBOOKS, lambda notebooks: notebooks.create(), {}, "notebook_doc", NOTEBOOK_FIELDS
    ),
}


@pytest.mark.parametrize("case", CREATES.values(), ids=CREATES.keys())
def test_create_sends_the_body_as_json_and_returns_the_answer_bound(
    on: Platform,
    case: Create,
) -> None:
    answer = on.fixture(case.answer)
    on.api.post(BASE_URL + case.kind.list_path, json=answer)

    created = case.create(on.fixture(case.kind.collection))

    assert on.api.all_sent() == [("POST", case.kind.list_path, {}, case.body)]
    assert on.api.calls[0].request.headers["Content-Type"] == "application/json"
    assert type(created) is case.kind.model
    assert created == case.kind.model.model_validate(answer)
    assert_fields(created, case.fields)
    assert_bound(on, case.kind, created, on.fixture(case.kind.doc))


# -- get, list, delete -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "fields"),
    [(TRIGGERS, TRIGGER_FIELDS), (NOTEBOOKS, NOTEBOOK_FIELDS)],
    ids=["trigger", "notebook"],
)
def test_get_sends_a_get_and_returns_the_typed_model_bound(
    on: Platform,
    kind: Kind,
    fields: dict[str, Any],
) -> None:
    doc = on.fixture(kind.doc)
    on.api.get(BASE_URL + kind.path, json=doc)

    got = on.fixture(kind.collection).get(kind.item_id)

    assert on.api.all_sent() == [("GET", kind.path, {}, None)]
    assert type(got) is kind.model
    assert_fields(got, fields)
    assert_bound(on, kind, got, doc)


@pytest.mark.parametrize(
    ("kind", "answer", "second"),
    [
        pytest.param(
            TRIGGERS, "trigger_list_doc", {"trigger_id": "tri-4444444444444444"}, id="trigger"
        ),
        pytest.param(
            NOTEBOOKS,
            "notebook_list_doc",
            {"training_notebook_id": "1410000000001", "status": "Running"},
            id="notebook-documented-envelope",
        ),
    ],
)
def test_list_returns_every_entry_typed_and_bound(
    on: Platform,
    kind: Kind,
    answer: str,
    second: dict[str, Any],
) -> None:
    page = on.fixture(answer)
    first = page["entries"][0]
    page["entries"].append({**first, **second})
    on.api.get(BASE_URL + kind.list_path, json=page)

    listed = on.fixture(kind.collection).list()

    assert on.api.all_sent() == [("GET", kind.list_path, {}, None)]
    assert [kind.id_of(model) for model in listed] == [kind.item_id, next(iter(second.values()))]
    assert [type(model) for model in listed] == [kind.model, kind.model]
    assert_bound(on, kind, listed[0], first)


@pytest.mark.parametrize(
    ("kind", "answer"),
    [
        pytest.param(TRIGGERS, {"entries": []}, id="trigger"),
        pytest.param(NOTEBOOKS, [], id="notebook-bare-list"),
        pytest.param(
            NOTEBOOKS, {"total": 0, "offset": 0, "limit": 10, "entries": []}, id="notebook-envelope"
        ),
    ],
)
def test_a_list_of_none_is_empty(on: Platform, kind: Kind, answer: Any) -> None:
    on.api.get(BASE_URL + kind.list_path, json=answer)

    assert on.fixture(kind.collection).list() == []


@pytest.mark.parametrize("through", ["collection", "bound"])
@pytest.mark.parametrize("kind", KINDS)
def test_delete_accepts_the_documented_answer_and_returns_none(
    on: Platform,
    kind: Kind,
    through: str,
) -> None:
    if through == "bound":
        delete = on.fixture(kind.bound).delete
    else:
        delete = lambda: on.fixture(kind.collection).delete(kind.item_id)  # noqa: E731
    on.api.delete(BASE_URL + kind.path, json=kind.deleted)

    assert delete() is None
    assert on.api.all_sent() == [("DELETE", kind.path, {}, None)]


# -- a bound model ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_refresh_takes_the_current_state_in_place_keeps_unknown_fields_and_stays_bound(
    on: Platform,
    kind: Kind,
) -> None:
    bound = on.fixture(kind.bound)
    changed = {**kind.change, "modified_at": "2020-02-02T02:02:02Z", "gpu": 1}
    on.api.get(BASE_URL + kind.path, json={**on.fixture(kind.doc), **changed})
    on.api.delete(BASE_URL + kind.path, json=kind.deleted)

    assert bound.refresh() is bound
    bound.delete()

    assert on.api.all_sent() == [("GET", kind.path, {}, None), ("DELETE", kind.path, {}, None)]
    assert {name: getattr(bound, name) for name in kind.change} == kind.change
    assert bound.modified_at == datetime(2020, 2, 2, 2, 2, 2, tzinfo=UTC)
    assert bound.model_extra == {"gpu": 1}


UNBOUND_ACTIONS: list[Any] = [
    pytest.param(TRIGGERS, lambda trigger: trigger.refresh(), id="trigger-refresh"),
    pytest.param(TRIGGERS, lambda trigger: trigger.delete(), id="trigger-delete"),
    pytest.param(TRIGGERS, lambda trigger: trigger.runs(), id="trigger-runs"),
    pytest.param(NOTEBOOKS, lambda notebook: notebook.start(), id="notebook-start"),
    pytest.param(NOTEBOOKS, lambda notebook: notebook.stop(), id="notebook-stop"),
    pytest.param(NOTEBOOKS, lambda notebook: notebook.refresh(), id="notebook-refresh"),
    pytest.param(NOTEBOOKS, lambda notebook: notebook.delete(), id="notebook-delete"),
    pytest.param(NOTEBOOKS, lambda notebook: notebook.logs(), id="notebook-logs"),
    pytest.param(NOTEBOOKS, lambda notebook: notebook.update(), id="notebook-update"),
    pytest.param(
        NOTEBOOKS,
        lambda notebook: notebook.wait_until("Running", timeout=0.01, poll_interval=0.01),
        id="notebook-wait_until",
    ),
]


@pytest.mark.parametrize(("kind", "action"), UNBOUND_ACTIONS)
def test_a_model_no_client_fetched_refuses_its_actions_without_sending(
    on: Platform,
    kind: Kind,
    action: Callable[[Model], object],
) -> None:
    model = kind.model.model_validate_json(json.dumps(on.fixture(kind.doc)))

    with pytest.raises(UnboundModelError):
        action(model)
    assert len(on.api.calls) == 0
