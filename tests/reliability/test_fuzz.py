"""Fuzzing every public call of both layers: refused before sending, or a well-formed request.

The values are generated: unicode, ``/``, ``..``, ``%2F``, control characters, very long
strings, ints, bools, None, bytes, lists and dicts, in every argument. Each example's
arguments are all plausible, all hostile, or plausible with one in ten hostile, so that
about half the calls get through and the sending side is tested too. A call may only
raise :class:`ValidationError` with nothing sent, or send requests whose path has exactly
the segments of its endpoint, each id percent-encoded as one segment, and whose body
keeps the documented rules.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Callable, Optional
from urllib.parse import unquote, urlsplit

import pytest
import requests
import responses
from hypothesis import HealthCheck, given, settings, strategies as st

from abeja_models import Client, Notebooks, Triggers, ValidationError
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.triggers import APIClient as TriggerAPIClient

BASE = "https://api.test"
NASTY = [
    "",
    " ",
    ".",
    "..",
    "../x",
    "a/b",
    "%2F",
    "%2e%2e",
    "x?y",
    "x#y",
    "a\\b",
    "tab\tx",
    "nl\nx",
    "\x00",
    "\x7f",
    "\u0085",
    "\u2028",
    "é",
    "日本",
    "🙂",
    "a" * 5000,
    "tri-1",
    "0",
]
STRUCTURAL_TRIGGER = ("organizations", 1, "deployments", 3, "triggers")
STRUCTURAL_NOTEBOOK = ("organizations", 1, "training", "definitions", 4, "notebooks")

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(NASTY),
    st.binary(max_size=6),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=4), st.one_of(st.text(max_size=4), st.integers()), max_size=2),
)
ids = st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=20), anything)

plausible_id = st.text(
    st.characters(categories=("L", "N"), include_characters="-_~%:@"), min_size=1, max_size=24
)
# What each kind of argument accepts, so that whole calls get through and are sent.
PLAUSIBLE = {
    "id": plausible_id,
    "optional_id": st.one_of(st.none(), plausible_id),
    "service_name": st.just("datalake"),
    "output_service": st.one_of(
        st.just((None, None)), st.tuples(st.just("datalake"), plausible_id)
    ),
    "retry_count": st.one_of(st.none(), st.integers(0, 9)),
    "distribution": st.one_of(st.none(), st.integers(0, 10**6)),
    "environment": st.one_of(
        st.none(), st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3)
    ),
    "instance_type": st.sampled_from([None, "cpu-1", "cpu-0.25", "gpu:b-4"]),
    "image": st.sampled_from([None, "abeja-inc/all-cpu:19.10", "abeja-inc/all-gpu:20.10"]),
    "notebook_type": st.sampled_from([None, "notebook", "lab"]),
    "token": st.one_of(st.none(), st.text(min_size=1, max_size=40)),
    "flag": st.one_of(st.none(), st.booleans()),
}
HOSTILE = {"id": ids, "output_service": st.tuples(anything, anything)}


class Pick:
    """The arguments of one example: all plausible, all hostile, or one in ten hostile.

    Hostile values alone would almost never let a call through (it takes several
    arguments, each usually wrong), and the sending side would go untested.
    """

    def __init__(self, draw: Callable[[Any], Any]) -> None:
        self._draw = draw
        self._mode = draw(st.sampled_from(["plausible", "mixed", "hostile"]))

    def __call__(self, kind: str) -> Any:
        hostile = self._mode == "hostile" or (
            self._mode == "mixed" and self._draw(st.integers(0, 9)) == 0
        )
        return self._draw(HOSTILE.get(kind, anything) if hostile else PLAUSIBLE[kind])


@dataclass
class Call:
    """A call to make, and the path it may send to (ids in order; None for literal parts)."""

    run: Callable[[], object]
    segments: list[object]
    refetch: Optional[list[object]] = None
    """Where a GET may follow: start, stop and update re-read a notebook when the answer
    names another (the platform's ``training_notebook_id: 0`` quirk)."""


def _trigger_doc(organization_id: str, deployment_id: str) -> dict[str, Any]:
    return {
        "trigger_id": "tri-1",
        "organization_id": organization_id,
        "deployment_id": deployment_id,
        "input_service_name": "datalake",
        "input_service_id": "3",
        "output_service_name": None,
        "output_service_id": None,
        "models": {},
        "model_version": "0.0.1",
        "model_version_id": "ver-1",
        "retry_count": 5,
        "user_env_vars": {},
    }


def _notebook_doc() -> dict[str, Any]:
    return {
        "job_definition_id": "1",
        "training_notebook_id": "2",
        "name": "n",
        "description": None,
        "status": "Stopped",
        "status_message": None,
        "instance_type": "cpu-1",
        "image": "abeja-inc/all-cpu:19.10",
        "created_at": "2019-01-01T00:00:00Z",
        "modified_at": "2019-01-01T00:00:00Z",
    }


def _answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    segments = urlsplit(request.url or "").path.split("/")[1:]
    method = request.method
    document: object
    if segments[4:5] == ["triggers"]:
        # The platform answers with triggers of the deployment in the path.
        trigger = _trigger_doc(unquote(segments[1]), unquote(segments[3]))
        if len(segments) > 5:  # and about the trigger asked for
            trigger["trigger_id"] = unquote(segments[5])
        if len(segments) == 5:
            document = trigger if method == "POST" else {"entries": [trigger]}
        elif len(segments) == 6:
            document = {"message": "deleted"} if method == "DELETE" else trigger
        else:
            document = {"entries": [], "next_page_token": None}
    elif len(segments) == 6:
        document = _notebook_doc() if method == "POST" else {"entries": []}
    elif len(segments) == 7:
        notebook = {**_notebook_doc(), "training_notebook_id": unquote(segments[6])}
        document = {"value": {"message": "deleted"}} if method == "DELETE" else notebook
    elif segments[7] == "recentlogs":
        document = {"events": [], "next_forward_token": None, "next_backward_token": None}
    else:
        document = {**_notebook_doc(), "training_notebook_id": unquote(segments[6])}
    return 200, {"Content-Type": "application/json"}, json.dumps(document)


@contextlib.contextmanager
def _mocked_platform() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as running:
        for method in ("GET", "POST", "PUT", "DELETE"):
            running.add_callback(method, re.compile(re.escape(BASE) + r"/.*"), _answer)
        yield running


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with _mocked_platform() as running:
        yield running


def _drain(iterator: Iterator[object]) -> list[object]:
    return list(itertools.islice(iterator, 3))


def _resource_calls(client: Client, draw: Callable[[Any], Any]) -> list[Call]:
    pick = Pick(draw)
    org, dep, job, item = pick("id"), pick("id"), pick("id"), pick("id")

    # The collections check their ids when made (before anything is sent), so each call
    # makes them afresh.
    def triggers() -> Triggers:
        return client.organization(org).deployment(dep).triggers

    def notebooks() -> Notebooks:
        return client.organization(org).job_definition(job).notebooks

    trigger_path = ["organizations", org, "deployments", dep, "triggers"]
    notebook_path = ["organizations", org, "training", "definitions", job, "notebooks"]
    settings_ = {name: pick(name) for name in ("instance_type", "image", "notebook_type")}
    output_service_name, output_service_id = pick("output_service")
    return [
        Call(
            lambda: triggers().create(
                version_id=pick("id"),
                input_service_id=pick("id"),
                input_service_name=pick("service_name"),
                model_id=pick("optional_id"),
                retry_count=pick("retry_count"),
                distribution=pick("distribution"),
                environment=pick("environment"),
                output_service_name=output_service_name,
                output_service_id=output_service_id,
            ),
            trigger_path,
        ),
        Call(lambda: triggers().get(item), [*trigger_path, item]),
        Call(lambda: triggers().list(), trigger_path),
        Call(lambda: triggers().delete(item), [*trigger_path, item]),
        Call(
            lambda: _drain(triggers().runs(item, scan_forward=pick("flag"))),
            [*trigger_path, item, "runs"],
        ),
        Call(lambda: notebooks().create(**settings_), notebook_path),
        Call(lambda: notebooks().get(item), [*notebook_path, item]),
        Call(lambda: notebooks().list(), notebook_path),
        Call(
            lambda: notebooks().update(item, **settings_),
            [*notebook_path, item],
            refetch=[*notebook_path, item],
        ),
        Call(lambda: notebooks().delete(item), [*notebook_path, item]),
        Call(
            lambda: notebooks().start(item, notebook_type=pick("notebook_type")),
            [*notebook_path, item, "start"],
            refetch=[*notebook_path, item],
        ),
        Call(
            lambda: notebooks().stop(item),
            [*notebook_path, item, "stop"],
            refetch=[*notebook_path, item],
        ),
        Call(
            lambda: _drain(notebooks().logs(item, follow=False)),
            [*notebook_path, item, "recentlogs"],
        ),
    ]


def _low_level_calls(client: Client, draw: Callable[[Any], Any]) -> list[Call]:
    pick = Pick(draw)
    org, dep, job, item = pick("id"), pick("id"), pick("id"), pick("id")
    triggers: TriggerAPIClient = client.triggers_api()
    notebooks: NotebookAPIClient = client.notebooks_api()
    trigger_path = ["organizations", org, "deployments", dep, "triggers"]
    notebook_path = ["organizations", org, "training", "definitions", job, "notebooks"]
    output_service_name, output_service_id = pick("output_service")

    def settings_() -> list[Any]:  # instance_type, image, notebook_type: in this order
        return [pick("instance_type"), pick("image"), pick("notebook_type")]

    return [
        Call(
            lambda: triggers.create_trigger(
                org,
                dep,
                pick("id"),
                pick("service_name"),
                pick("id"),
                output_service_name,
                output_service_id,
                pick("distribution"),
                pick("retry_count"),
                pick("environment"),
                pick("optional_id"),
            ),
            trigger_path,
        ),
        Call(lambda: triggers.get_trigger(org, dep, item), [*trigger_path, item]),
        Call(lambda: triggers.get_triggers(org, dep), trigger_path),
        Call(lambda: triggers.delete_trigger(org, dep, item), [*trigger_path, item]),
        Call(
            lambda: triggers.get_trigger_runs(org, dep, item, pick("token"), pick("flag")),
            [*trigger_path, item, "runs"],
        ),
        Call(lambda: notebooks.create_notebook(org, job, *settings_()), notebook_path),
        Call(lambda: notebooks.get_notebook(org, job, item), [*notebook_path, item]),
        Call(lambda: notebooks.get_notebooks(org, job), notebook_path),
        Call(
            lambda: notebooks.update_notebook(org, job, item, *settings_()),
            [*notebook_path, item],
        ),
        Call(lambda: notebooks.delete_notebook(org, job, item), [*notebook_path, item]),
        Call(
            lambda: notebooks.start_notebook(org, job, item, pick("notebook_type")),
            [*notebook_path, item, "start"],
        ),
        Call(lambda: notebooks.stop_notebook(org, job, item), [*notebook_path, item, "stop"]),
        Call(
            lambda: notebooks.get_notebook_recent_logs(
                org, job, item, pick("token"), pick("token")
            ),
            [*notebook_path, item, "recentlogs"],
        ),
    ]


def _check(call: Call, mock: responses.RequestsMock) -> str:
    """Make the call; return "refused" or "sent" after checking what was sent."""
    mock.calls.reset()
    try:
        call.run()
    except ValidationError:
        assert len(mock.calls) == 0, "a refused call sent something"
        return "refused"
    assert len(mock.calls) >= 1
    for number, sent in enumerate(mock.calls):
        parts = urlsplit(sent.request.url or "")
        assert f"{parts.scheme}://{parts.netloc}" == BASE
        segments = parts.path.split("/")[1:]
        expected = call.segments
        if number > 0 and call.refetch is not None and sent.request.method == "GET":
            expected = call.refetch
        assert len(segments) == len(expected), (parts.path, expected)
        for segment, part in zip(segments, expected):
            assert unquote(segment) == str(part)
            assert "/" not in unquote(segment)
        _check_body(sent.request)
    return "sent"


def _check_body(request: requests.PreparedRequest) -> None:
    if not request.body:
        return
    body = json.loads(request.body)
    assert isinstance(body, dict)
    retry_count = body.get("retry_count")
    if retry_count is not None:
        assert type(retry_count) is int
        assert 0 <= retry_count <= 9
    distribution = body.get("distribution")
    if distribution is not None:
        assert type(distribution) is int
        assert distribution >= 0
    for value in body.get("environment", {}).values():
        assert isinstance(value, str)
    if body.get("notebook_type") is not None:
        assert body["notebook_type"] in ("notebook", "lab")


OUTCOMES: dict[str, int] = {"refused": 0, "sent": 0}


@pytest.mark.parametrize("layer", [_resource_calls, _low_level_calls], ids=["resources", "low"])
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_public_call_refuses_or_sends_a_well_formed_request(
    layer: Callable[[Client, Callable[[Any], Any]], list[Call]],
    mock: responses.RequestsMock,
    data: st.DataObject,
) -> None:
    with Client(base_url=BASE, auth_token="t", max_retries=0) as client:
        calls = layer(client, data.draw)
        for call in calls:
            OUTCOMES[_check(call, mock)] += 1


def test_the_fuzzing_reached_both_outcomes() -> None:
    """A generator that never sends proves little: fuzz both layers again and count."""
    OUTCOMES.update(refused=0, sent=0)
    with _mocked_platform() as running:
        for layer in (_resource_calls, _low_level_calls):
            test_every_public_call_refuses_or_sends_a_well_formed_request(layer=layer, mock=running)
    print(  # seen with pytest -s
        f"\nfuzzing: {sum(OUTCOMES.values())} calls, {OUTCOMES['refused']} refused before"
        f" sending, {OUTCOMES['sent']} sent well-formed"
    )
    # A third of the examples are wholly plausible: well over a tenth of the calls are sent.
    assert OUTCOMES["refused"] > 0
    assert OUTCOMES["sent"] > sum(OUTCOMES.values()) / 10
