"""Every signature that spells an operation's arguments agrees with the one declaration.

``abeja_models._endpoints`` declares each operation once: the names in its path, its query
and the fields of its body's parameter model. The low-level clients, the resource
collections and the models' bound methods each spell those arguments again, explicitly,
so that editors show them; this suite checks every one of those signatures against the
declaration (names, order where it matters, what is required, defaults and types), so
they cannot drift apart.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Optional

import pytest
import typing_extensions

from abeja_models import Notebook, Trigger, _endpoints as endpoints
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.resources import Notebooks, Triggers
from abeja_models.triggers import APIClient as TriggerAPIClient

_EMPTY = inspect.Parameter.empty
_TRIGGER_SCOPE = ("organization_id", "deployment_id")
_NOTEBOOK_SCOPE = ("organization_id", "job_definition_name")
_PAGE_TOKENS = {"next_page_token", "next_forward_token", "next_backward_token"}



def _client_of(endpoint: endpoints.Endpoint) -> type:
    return TriggerAPIClient if "deployment_id" in endpoint.path_parameters else NotebookAPIClient


# The low-level call of each endpoint: the method of its API's client named as it is.
# Looked up here and checked by the tests, so a missing one fails a test, saying which.
LOW_LEVEL = {
    endpoint: getattr(_client_of(endpoint), endpoint.name, None) for endpoint in endpoints.ENDPOINTS
}

# The resource method of each endpoint, and the arguments it has beyond the endpoint's:
# the iterators' own (a limit, a status filter, follow-mode) and none other.
RESOURCE: dict[endpoints.Endpoint, tuple[Callable[..., Any], frozenset[str]]] = {
    endpoints.CREATE_TRIGGER: (Triggers.create, frozenset()),
    endpoints.GET_TRIGGERS: (Triggers.list, frozenset()),
    endpoints.GET_TRIGGER: (Triggers.get, frozenset()),
    endpoints.DELETE_TRIGGER: (Triggers.delete, frozenset()),
    endpoints.GET_TRIGGER_RUNS: (Triggers.runs, frozenset({"limit", "status"})),
    endpoints.CREATE_NOTEBOOK: (Notebooks.create, frozenset()),
    endpoints.GET_NOTEBOOKS: (Notebooks.list, frozenset()),
    endpoints.GET_NOTEBOOK: (Notebooks.get, frozenset()),
    endpoints.UPDATE_NOTEBOOK: (Notebooks.update, frozenset()),
    endpoints.DELETE_NOTEBOOK: (Notebooks.delete, frozenset()),
    endpoints.START_NOTEBOOK: (Notebooks.start, frozenset()),
    endpoints.STOP_NOTEBOOK: (Notebooks.stop, frozenset()),
    endpoints.GET_NOTEBOOK_RECENT_LOGS: (Notebooks.logs, frozenset({"follow", "poll_interval"})),
}

# Where a resource method's default is not the declaration's: create's one input
# service (the platform has only DataLake) may be left out there.
RESOURCE_DEFAULTS = {(endpoints.CREATE_TRIGGER, "input_service_name"): "datalake"}

# A bound model's method and the collection method it calls with its own id.
BOUND = [
    (Trigger.runs, Triggers.runs, "trigger_id"),
    (Trigger.wait_for_runs, Triggers.wait_for_runs, "trigger_id"),
    (Trigger.refresh, Triggers.get, "trigger_id"),
    (Trigger.delete, Triggers.delete, "trigger_id"),
    (Notebook.start, Notebooks.start, "notebook_id"),
    (Notebook.stop, Notebooks.stop, "notebook_id"),
    (Notebook.update, Notebooks.update, "notebook_id"),
    (Notebook.refresh, Notebooks.get, "notebook_id"),
    (Notebook.delete, Notebooks.delete, "notebook_id"),
    (Notebook.logs, Notebooks.logs, "notebook_id"),
]


def _parameters(function: Callable[..., Any]) -> list[inspect.Parameter]:
    return list(inspect.signature(function).parameters.values())[1:]  # without self


def _body_field(endpoint: endpoints.Endpoint, name: str) -> Optional[Any]:
    return None if endpoint.params is None else endpoint.params.model_fields.get(name)


def _ids(endpoint: endpoints.Endpoint) -> str:
    return endpoint.name


@pytest.mark.parametrize("endpoint", endpoints.ENDPOINTS, ids=_ids)
def test_every_endpoint_has_a_low_level_call_and_a_resource_method(
    endpoint: endpoints.Endpoint,
) -> None:
    client = _client_of(endpoint).__module__.rsplit(".", 1)[0]
    missing = [f"{client}.APIClient has no method {endpoint.name}"] * (LOW_LEVEL[endpoint] is None)
    if endpoint not in RESOURCE:
        missing.append(f"name {endpoint.name}'s resource method in RESOURCE ({__name__})")
    assert not missing, "; ".join(missing)


def test_the_low_level_clients_have_no_call_the_table_lacks() -> None:
    for client in (TriggerAPIClient, NotebookAPIClient):
        public = {name for name in vars(client) if not name.startswith("_")}
        declared = {e.name for e in endpoints.ENDPOINTS if _client_of(e) is client}
        assert public <= declared, f"not in _endpoints.ENDPOINTS: {sorted(public - declared)}"


@pytest.mark.parametrize("endpoint", endpoints.ENDPOINTS, ids=_ids)
def test_the_low_level_call_takes_exactly_the_declared_arguments(
    endpoint: endpoints.Endpoint,
) -> None:
    call = LOW_LEVEL[endpoint]
    if call is None:
        pytest.skip("no such call (see test_every_endpoint_has_a_low_level_call_...)")
    parameters = _parameters(call)
    names = [parameter.name for parameter in parameters]

    missing = [name for name in endpoint.parameters if name not in names]
    assert not missing, f"{call.__qualname__} does not take {missing}"
    assert sorted(names) == sorted(endpoint.parameters), f"{call.__qualname__} takes more"
    # The path's ids come first, in the path's order, as in the reference documents.
    assert names[: len(endpoint.path_parameters)] == list(endpoint.path_parameters)
    for parameter in parameters:
        assert parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        declared = _body_field(endpoint, parameter.name)
        if declared is not None:
            # A body argument is optional exactly where the parameter model says so.
            assert (parameter.default is _EMPTY) == declared.is_required(), parameter.name
            if not declared.is_required():
                assert parameter.default is None, parameter.name
        elif parameter.name not in endpoint.path_parameters:
            assert parameter.default is None, parameter.name  # a query argument


@pytest.mark.parametrize("endpoint", endpoints.ENDPOINTS, ids=_ids)
def test_the_resource_method_takes_the_declared_arguments_less_its_parents_ids(
    endpoint: endpoints.Endpoint,
) -> None:
    if endpoint not in RESOURCE:
        pytest.skip("no resource method (see test_every_endpoint_has_a_low_level_call_...)")
    method, extras = RESOURCE[endpoint]
    scope = _TRIGGER_SCOPE if endpoint.path_parameters[1] == "deployment_id" else _NOTEBOOK_SCOPE
    hints = typing_extensions.get_type_hints(method)
    parameters = {parameter.name: parameter for parameter in _parameters(method)}

    expected = set(endpoint.parameters) - set(scope) - _PAGE_TOKENS
    missing = sorted(expected - set(parameters))
    assert not missing, f"{method.__qualname__} does not take {missing}"
    assert set(parameters) == expected | extras
    for name in expected:
        parameter = parameters[name]
        declared = _body_field(endpoint, name)
        if name in endpoint.path_parameters:
            assert parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD, name
            assert parameter.default is _EMPTY, name
            continue
        # Every other argument is named at the call, so none can be passed in the wrong place.
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, name
        optional = declared is None or not declared.is_required()
        expected_default = RESOURCE_DEFAULTS.get((endpoint, name), None if optional else _EMPTY)
        assert parameter.default == expected_default, name
        if declared is not None:
            assert hints[name] == declared.annotation, name


@pytest.mark.parametrize(
    ("bound", "collection", "id_name"),
    BOUND,
    ids=[f"{bound.__qualname__}" for bound, _, _ in BOUND],
)
def test_a_bound_method_takes_its_collection_methods_arguments_less_the_id(
    bound: Callable[..., Any], collection: Callable[..., Any], id_name: str
) -> None:
    own = _parameters(bound)
    called = [parameter for parameter in _parameters(collection) if parameter.name != id_name]
    if bound.__name__ == "refresh":
        called = []  # refresh fetches with the id alone

    assert [(p.name, p.default) for p in own] == [(p.name, p.default) for p in called]
    own_hints = typing_extensions.get_type_hints(bound)
    called_hints = typing_extensions.get_type_hints(collection)
    for parameter in own:
        assert own_hints[parameter.name] == called_hints[parameter.name], parameter.name


def test_the_bound_waits_take_what_the_collection_checks() -> None:
    # Notebook.wait_until / wait_for are the public signatures; the collection's private
    # halves take the same arguments after the notebook itself, with no defaults of their
    # own (wait_until hands wait_for its goal and what makes it hopeless, nothing else).
    for public, private, own_extras in (
        (Notebook.wait_until, Notebooks._wait_until, []),
        (Notebook.wait_for, Notebooks._wait_for, ["goal", "hopeless"]),
    ):
        own = [p.name for p in _parameters(public)]
        called = _parameters(private)
        assert called[0].name == "notebook"
        assert [p.name for p in called[1:]] == own + own_extras
        assert all(p.default is _EMPTY for p in called[1 : 1 + len(own)])
