"""design.md's validation table: a bad argument names itself and nothing is sent.

Every case runs inside the ``api`` mock with no route registered, and asserts that the
mock saw zero requests, so "nothing is sent" is checked, not assumed.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Callable
from urllib.parse import quote, unquote

import pytest
import responses
from hypothesis import given, strategies as st

from abeja_models import Client, ValidationError
from abeja_models.models._rules import path_segment
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.triggers import APIClient as TriggerAPIClient

from .fakes import MockedPlatform

BASE_URL = "https://api.test"
ORG = "1234567890123"
DEP = "1111111111111"
TID = "tri-3333333333333333"
JOB = "test_job_definition"
NID = "1230000000000"

TRIGGER_ARGS: dict[str, Any] = {
    "version_id": "ver-1111111111111111",
    "input_service_id": "2222222222222",
}

Context = SimpleNamespace
Operation = Callable[[Context, Any], object]


@pytest.fixture
def ctx(
    api: responses.RequestsMock,
    client: Client,
    trigger_api: TriggerAPIClient,
    notebook_api: NotebookAPIClient,
) -> Context:
    return SimpleNamespace(client=client, triggers=trigger_api, notebooks=notebook_api)


def assert_refused(
    api: responses.RequestsMock, call: Callable[[], object], parameter: str
) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.parameter == parameter
    assert parameter in str(error)
    assert error.allowed
    assert len(api.calls) == 0
    return error


def _triggers(c: Context, org: Any = ORG, dep: Any = DEP) -> Any:
    return c.client.organization(org).deployment(dep).triggers


def _notebooks(c: Context, org: Any = ORG, job: Any = JOB) -> Any:
    return c.client.organization(org).job_definition(job).notebooks


# -- ids and names in URL paths -------------------------------------------------------------

BAD_SEGMENTS = [
    "../x",
    "a/b",
    "x?y",
    "x#y",
    "",
    " ",
    "a b",
    "\t",
    " x",
    "x\n",
    ".",
    "..",
    "\x00",
    "a\x1fb",
    "a\x7fb",
    "a\x85b",
    "a\u2028b",
    "a\\b",
    None,
    True,
    -1,
    1.5,
    ["x"],
]

PATH_OPERATIONS: list[tuple[str, str, Operation]] = [
    # resource layer, Trigger API
    ("Client.organization", "organization_id", lambda c, v: c.client.organization(v)),
    ("org.deployment", "deployment_id", lambda c, v: _triggers(c, dep=v)),
    ("triggers.get", "trigger_id", lambda c, v: _triggers(c).get(v)),
    ("triggers.delete", "trigger_id", lambda c, v: _triggers(c).delete(v)),
    ("triggers.runs", "trigger_id", lambda c, v: _triggers(c).runs(v)),
    # resource layer, Notebook API
    ("org.job_definition", "job_definition_name", lambda c, v: _notebooks(c, job=v)),
    ("notebooks.get", "notebook_id", lambda c, v: _notebooks(c).get(v)),
    ("notebooks.update", "notebook_id", lambda c, v: _notebooks(c).update(v, image="a/b")),
    ("notebooks.delete", "notebook_id", lambda c, v: _notebooks(c).delete(v)),
    ("notebooks.start", "notebook_id", lambda c, v: _notebooks(c).start(v)),
    ("notebooks.stop", "notebook_id", lambda c, v: _notebooks(c).stop(v)),
    ("notebooks.logs", "notebook_id", lambda c, v: _notebooks(c).logs(v)),
    # seed Trigger APIClient
    (
        "create_trigger/org",
        "organization_id",
        lambda c, v: c.triggers.create_trigger(v, DEP, "ver-1", "datalake", "2"),
    ),
    (
        "create_trigger/dep",
        "deployment_id",
        lambda c, v: c.triggers.create_trigger(ORG, v, "ver-1", "datalake", "2"),
    ),
    ("get_trigger/org", "organization_id", lambda c, v: c.triggers.get_trigger(v, DEP, TID)),
    ("get_trigger/dep", "deployment_id", lambda c, v: c.triggers.get_trigger(ORG, v, TID)),
    ("get_trigger/id", "trigger_id", lambda c, v: c.triggers.get_trigger(ORG, DEP, v)),
    ("get_triggers/org", "organization_id", lambda c, v: c.triggers.get_triggers(v, DEP)),
    ("get_triggers/dep", "deployment_id", lambda c, v: c.triggers.get_triggers(ORG, v)),
    ("delete_trigger/id", "trigger_id", lambda c, v: c.triggers.delete_trigger(ORG, DEP, v)),
    ("get_trigger_runs/id", "trigger_id", lambda c, v: c.triggers.get_trigger_runs(ORG, DEP, v)),
    # seed Notebook APIClient
    ("create_notebook/org", "organization_id", lambda c, v: c.notebooks.create_notebook(v, JOB)),
    (
        "create_notebook/job",
        "job_definition_name",
        lambda c, v: c.notebooks.create_notebook(ORG, v),
    ),
    ("get_notebooks/job", "job_definition_name", lambda c, v: c.notebooks.get_notebooks(ORG, v)),
    ("get_notebook/id", "notebook_id", lambda c, v: c.notebooks.get_notebook(ORG, JOB, v)),
    (
        "update_notebook/id",
        "notebook_id",
        lambda c, v: c.notebooks.update_notebook(ORG, JOB, v, "cpu-1"),
    ),
    ("delete_notebook/id", "notebook_id", lambda c, v: c.notebooks.delete_notebook(ORG, JOB, v)),
    ("start_notebook/id", "notebook_id", lambda c, v: c.notebooks.start_notebook(ORG, JOB, v)),
    ("stop_notebook/id", "notebook_id", lambda c, v: c.notebooks.stop_notebook(ORG, JOB, v)),
    (
        "get_notebook_recent_logs/id",
        "notebook_id",
        lambda c, v: c.notebooks.get_notebook_recent_logs(ORG, JOB, v),
    ),
]


@pytest.mark.parametrize("value", BAD_SEGMENTS, ids=repr)
@pytest.mark.parametrize(
    ("operation", "parameter"),
    [(op, parameter) for _, parameter, op in PATH_OPERATIONS],
    ids=[name for name, _, _ in PATH_OPERATIONS],
)
def test_a_bad_path_segment_is_refused_before_sending(
    api: responses.RequestsMock, ctx: Context, operation: Operation, parameter: str, value: Any
) -> None:
    assert_refused(api, lambda: operation(ctx, value), parameter)


def test_get_notebook_without_a_notebook_id_is_refused(
    api: responses.RequestsMock, notebook_api: NotebookAPIClient
) -> None:
    assert_refused(api, lambda: notebook_api.get_notebook(ORG, JOB), "notebook_id")


UNICODE_IDS = ["ノートブック", "café", "50%", "a+b", "a&b=c", "x;y", "\u200bzero-width", "💡"]


@pytest.mark.parametrize("name", UNICODE_IDS)
def test_other_characters_are_percent_encoded_as_one_segment_in_both_layers(
    api: MockedPlatform,
    client: Client,
    notebook_api: NotebookAPIClient,
    notebook_doc: dict[str, Any],
    name: str,
) -> None:
    encoded = quote(name, safe="")
    path = f"/organizations/{ORG}/training/definitions/{encoded}/notebooks/{encoded}"
    # The notebook asked for, or the answer is refused as about another one.
    api.get(BASE_URL + path, json={**notebook_doc, "training_notebook_id": name})

    client.organization(ORG).job_definition(name).notebooks.get(name)
    notebook_api.get_notebook(ORG, name, name)

    assert api.sent(0).path == api.sent(1).path == path
    assert "/" not in encoded
    assert len(api.sent(0).path.split("/")) == 8


_FORBIDDEN = set("/?#\\") | {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]}


@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1))
def test_any_accepted_id_is_one_segment_that_decodes_back(value: str) -> None:
    refused = value in (".", "..") or any(char in _FORBIDDEN or char.isspace() for char in value)
    if refused:
        with pytest.raises(ValidationError):
            path_segment("notebook_id", value)
    else:
        encoded = path_segment("notebook_id", value)
        assert unquote(encoded) == value
        assert not set(encoded) & set("/?# ")
        assert encoded.isascii()


# -- create trigger --------------------------------------------------------------------------


def _create_both_ways(ctx: Context, **arguments: Any) -> list[Callable[[], object]]:
    """The same arguments through ``triggers.create`` and ``APIClient.create_trigger``."""
    keyword = {"input_service_name": "datalake", **TRIGGER_ARGS, **arguments}
    return [
        lambda: _triggers(ctx).create(**keyword),
        lambda: ctx.triggers.create_trigger(ORG, DEP, **keyword),
    ]


def _bad_values(table: dict[str, list[Any]]) -> list[Any]:
    """``{parameter: [bad values]}`` as (arguments, the parameter refused) cases."""
    return [
        pytest.param({name: value}, name, id=f"{name}={value!r}")
        for name, values in table.items()
        for value in values
    ]


@pytest.mark.parametrize(
    ("arguments", "parameter"),
    [
        *_bad_values(
            {
                "retry_count": [True, False, 10, -1, "3", 3.0],
                "distribution": [-1, True, "0"],
                "environment": [{"A": 1}, {1: "a"}, {"A": None}, ["A=b"], "A=b"],
                "version_id": ["", 1],
                "input_service_id": [""],
                "input_service_name": [""],
                "model_id": [""],
            }
        ),
        # Both or neither: the one missing is named.
        pytest.param({"output_service_name": "datalake"}, "output_service_id", id="name-alone"),
        pytest.param({"output_service_id": "4444444444444"}, "output_service_name", id="id-alone"),
    ],
)
def test_create_trigger_arguments_are_checked_in_both_layers(
    api: responses.RequestsMock, ctx: Context, arguments: dict[str, Any], parameter: str
) -> None:
    for call in _create_both_ways(ctx, **arguments):
        assert_refused(api, call, parameter)


def test_retry_count_message_names_the_allowed_range(
    api: responses.RequestsMock, ctx: Context
) -> None:
    error = assert_refused(api, _create_both_ways(ctx, retry_count=12)[0], "retry_count")
    assert "0 to 9" in error.allowed
    assert "12" in str(error)


def test_a_bad_environment_value_is_shown_with_its_whole_argument(
    api: responses.RequestsMock, ctx: Context
) -> None:
    calls = _create_both_ways(ctx, environment={"GOOD": "1", "BAD": 2})
    for call in calls:
        error = assert_refused(api, call, "environment")
        assert "{'GOOD': '1', 'BAD': 2}" in str(error)


# -- notebooks -------------------------------------------------------------------------------


def _notebook_params_both_ways(ctx: Context, **arguments: Any) -> list[Callable[[], object]]:
    """The same notebook parameters through every call that takes them, in both layers."""
    calls: list[Callable[[], object]] = [
        lambda: _notebooks(ctx).create(**arguments),
        lambda: _notebooks(ctx).update(NID, **arguments),
        lambda: ctx.notebooks.create_notebook(ORG, JOB, **arguments),
        lambda: ctx.notebooks.update_notebook(ORG, JOB, NID, **arguments),
    ]
    if set(arguments) == {"notebook_type"}:
        calls += [
            lambda: _notebooks(ctx).start(NID, **arguments),
            lambda: ctx.notebooks.start_notebook(ORG, JOB, NID, **arguments),
        ]
    return calls


@pytest.mark.parametrize(
    ("arguments", "parameter"),
    _bad_values(
        {
            "notebook_type": ["Lab", "jupyter", "", 1],
            "instance_type": [
                *("cpu1", "cpu", "cpu-", "cpu-0", "cpu-0.0", "cpu--1", "CPU-1", "tpu-1"),
                *("gpu:e-1", "gpu:b4", " cpu-1", 1),
            ],
            "image": [
                *("", "Not An Image", "abeja-inc/ALL-cpu:19.10", "abeja-inc/all-cpu:"),
                *("abeja-inc//all-cpu", "a" * 300),
            ],
        }
    ),
)
def test_notebook_arguments_are_checked_in_both_layers(
    api: responses.RequestsMock, ctx: Context, arguments: dict[str, Any], parameter: str
) -> None:
    for call in _notebook_params_both_ways(ctx, **arguments):
        assert_refused(api, call, parameter)


ACCEPTED = [
    *(
        pytest.param(
            lambda c, v: _triggers(c).create(**TRIGGER_ARGS, retry_count=v, distribution=0),
            value,
            {
                **TRIGGER_ARGS,
                "input_service_name": "datalake",
                "retry_count": value,
                "distribution": 0,
            },
            id=f"retry_count={value}",
        )
        for value in (0, 9)
    ),
    *(
        pytest.param(
            lambda c, v: c.notebooks.create_notebook(ORG, JOB, v),
            value,
            {"instance_type": value},
            id=f"instance_type={value}",
        )
        for value in ("cpu-1", "cpu-0.25", "cpu-16", "gpu-1", "gpu:a-1", "gpu:b-4", "gpu:d-8")
    ),
    *(
        pytest.param(
            lambda c, v: c.notebooks.update_notebook(ORG, JOB, NID, image=v),
            value,
            {"image": value},
            id=f"image={value}",
        )
        for value in (
            "abeja-inc/all-cpu:19.10",
            "abeja-inc/all-gpu:20.10",
            "python",
            "registry.example.com:5000/team/my_image:1.0-rc",
            "ubuntu@sha256:" + "a" * 64,
        )
    ),
]


@pytest.mark.parametrize(("call", "value", "body"), ACCEPTED)
def test_an_accepted_value_is_sent_as_given(
    api: MockedPlatform,
    ctx: Context,
    trigger_created_doc: dict[str, Any],
    call: Callable[[Context, Any], object],
    value: Any,
    body: dict[str, Any],
) -> None:
    api.post(f"{BASE_URL}/organizations/{ORG}/deployments/{DEP}/triggers", json=trigger_created_doc)
    api.post(f"{BASE_URL}/organizations/{ORG}/training/definitions/{JOB}/notebooks", json={})
    api.put(f"{BASE_URL}/organizations/{ORG}/training/definitions/{JOB}/notebooks/{NID}", json={})

    call(ctx, value)

    assert len(api.calls) == 1
    assert api.sent(0).body == body


# -- paging arguments ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "parameter"),
    [
        (lambda c: c.triggers.get_trigger_runs(ORG, DEP, TID, ""), "next_page_token"),
        (lambda c: c.triggers.get_trigger_runs(ORG, DEP, TID, 5), "next_page_token"),
        (lambda c: c.triggers.get_trigger_runs(ORG, DEP, TID, None, "true"), "scan_forward"),
        (lambda c: c.triggers.get_trigger_runs(ORG, DEP, TID, None, 1), "scan_forward"),
        (lambda c: _triggers(c).runs(TID, scan_forward="yes"), "scan_forward"),
        (
            lambda c: c.notebooks.get_notebook_recent_logs(ORG, JOB, NID, ""),
            "next_forward_token",
        ),
        (
            lambda c: c.notebooks.get_notebook_recent_logs(ORG, JOB, NID, None, 7),
            "next_backward_token",
        ),
    ],
)
def test_paging_arguments_are_checked(
    api: responses.RequestsMock, ctx: Context, call: Callable[[Context], object], parameter: str
) -> None:
    assert_refused(api, lambda: call(ctx), parameter)


# -- the rules a newcomer met only at the server ----------------------------------------------


def test_an_input_service_other_than_datalake_is_refused_before_sending() -> None:
    with responses.RequestsMock() as mocked:
        client = Client(base_url=BASE_URL, auth_token="t")
        calls: list[Callable[[], object]] = [
            lambda: client.organization(ORG).deployment(DEP).triggers.create(
                version_id="ver-1", input_service_id="2", input_service_name="s3"
            ),
            lambda: client.triggers_api().create_trigger(ORG, DEP, "ver-1", "s3", "2"),
        ]
        for call in calls:
            with pytest.raises(ValidationError, match="datalake") as caught:
                call()
            assert caught.value.parameter == "input_service_name"
        assert len(mocked.calls) == 0


def test_an_update_with_nothing_to_change_is_refused_before_sending() -> None:
    with responses.RequestsMock() as mocked:
        client = Client(base_url=BASE_URL, auth_token="t")
        notebooks = client.organization(ORG).job_definition(JOB).notebooks
        for call in (
            lambda: notebooks.update(NID),
            lambda: client.notebooks_api().update_notebook(ORG, JOB, NID),
        ):
            with pytest.raises(ValidationError, match="nothing to update"):
                call()
        assert len(mocked.calls) == 0
