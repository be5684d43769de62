"""Every layer hands each argument to the endpoint by name, and each reaches the request.

``Endpoint.request`` takes every argument the endpoint declares and no other: a caller
that forgets one, or passes one it does not take (``self``, a local), is a ``TypeError``
naming it. Here each low-level call and each resource method is called with a distinct
value for every argument, and must send exactly the request the endpoint builds from
those values, so an argument dropped, swapped or renamed on the way fails in one line.
"""

from __future__ import annotations

import contextlib
import typing
from typing import Any, Callable, NoReturn

import pytest
import typing_extensions

from abeja_models import _endpoints as endpoints
from abeja_models._http import ApiRequest
from abeja_models.models._rules import Grammar, optional_of
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.resources import Notebooks, Triggers
from abeja_models.triggers import APIClient as TriggerAPIClient

from .test_signatures import LOW_LEVEL, RESOURCE

# The arguments whose values cannot be read from their declaration.
SAMPLES: dict[str, object] = {
    "input_service_name": "datalake",
    "instance_type": "gpu:b-4",
    "image": "abeja-inc/all-gpu:19.10",
    "scan_forward": True,
}


class _Sent(Exception):
    """Stops a call once its request is made: what came back is not this suite's concern."""


class _Recorder:
    """A transport that keeps the request it is handed, and sends nothing."""

    def __init__(self) -> None:
        self.sent: list[ApiRequest] = []

    def send(self, request: ApiRequest) -> NoReturn:
        self.sent.append(request)
        raise _Sent

    delete = send


def _sample(endpoint: endpoints.Endpoint, name: str) -> object:
    """A value for argument ``name`` that it accepts, and no other argument is given."""
    if name in SAMPLES:
        return SAMPLES[name]
    field = None if endpoint.params is None else endpoint.params.model_fields.get(name)
    if field is None:  # an id in the path, or a page token
        return f"{name}-1"
    kind = optional_of(field.annotation)
    bounds = {key: getattr(item, key) for item in field.metadata for key in ("ge", "le")
              if getattr(item, key, None) is not None}  # fmt: skip
    if any(isinstance(item, Grammar) for item in field.metadata):
        pytest.fail(f"{endpoint.name}: give {name} a valid value in SAMPLES ({__name__})")
    if kind is str:
        return f"{name}-1"
    if kind is int:
        return bounds.get("le", bounds.get("ge", 0) + 7)
    if typing.get_origin(kind) in (typing.Literal, typing_extensions.Literal):
        return typing.get_args(kind)[-1]
    if kind == dict[str, str]:
        return {name: "1"}
    pytest.fail(f"{endpoint.name}: give {name} a valid value in SAMPLES ({__name__})")


def _sent_by(call: Callable[..., Any], arguments: dict[str, object]) -> ApiRequest:
    recorder = _Recorder()
    with contextlib.suppress(_Sent):  # an iterator fetches when its first item is asked for
        next(iter(call(recorder, **arguments)))
    assert len(recorder.sent) == 1
    return recorder.sent[0]


@pytest.mark.parametrize("endpoint", endpoints.ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_the_low_level_call_sends_every_argument_where_the_endpoint_puts_it(
    endpoint: endpoints.Endpoint,
) -> None:
    method = LOW_LEVEL[endpoint]
    if method is None:
        pytest.skip("no such call (see test_signatures.py)")
    arguments = {name: _sample(endpoint, name) for name in endpoint.parameters}
    client = TriggerAPIClient if "deployment_id" in endpoint.path_parameters else NotebookAPIClient

    def call(recorder: _Recorder, **given: object) -> object:
        return method(client(transport=recorder), **given)

    assert _sent_by(call, arguments) == endpoint.request(arguments)


@pytest.mark.parametrize("endpoint", endpoints.ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_the_resource_method_sends_every_argument_where_the_endpoint_puts_it(
    endpoint: endpoints.Endpoint,
) -> None:
    if endpoint not in RESOURCE:
        pytest.skip("no resource method (see test_signatures.py)")
    arguments = {name: _sample(endpoint, name) for name in endpoint.parameters}
    collection = Triggers if "deployment_id" in endpoint.path_parameters else Notebooks
    scope = endpoint.path_parameters[:2]
    method, _ = RESOURCE[endpoint]
    taken = {name: value for name, value in arguments.items() if name not in scope}
    for token in ("next_page_token", "next_forward_token", "next_backward_token"):
        if token in taken:  # a first page is asked for without one
            taken.pop(token)
            arguments[token] = None

    def call(recorder: _Recorder, **given: object) -> object:
        return method(collection(recorder, *(arguments[name] for name in scope)), **given)

    assert _sent_by(call, taken) == endpoint.request(arguments)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda arguments: arguments.update(self=object()), r"not its own \['self'\]"),
        (lambda arguments: arguments.pop("retry_count"), r"not passed \['retry_count'\]"),
    ],
    ids=["self-passed", "one-left-out"],
)
def test_a_caller_that_passes_other_arguments_than_declared_is_named_at_once(
    change: Callable[[dict[str, object]], object], named: str
) -> None:
    endpoint = endpoints.CREATE_TRIGGER
    arguments = {name: _sample(endpoint, name) for name in endpoint.parameters}
    change(arguments)
    with pytest.raises(TypeError, match=rf"^create_trigger: .*{named}"):
        endpoint.request(arguments)
