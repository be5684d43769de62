"""Cases 5, 7 and 8: only typed errors, and each named for whose fault it is.

A caller's value that cannot be sent (a lone surrogate, a distribution of 5,000
digits) is a ``ValidationError`` naming the parameter, with nothing sent. What the
server sends that cannot be used (a hostile nesting depth, a token that cannot be sent
back) is an ``InvalidResponseError``; every timestamp accepted can be written back.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable

import pytest
from hypothesis import given, strategies as st

from abeja_models import Client, Notebook, Trigger
from abeja_models.errors import InvalidResponseError, ValidationError

from .servers import Connection, Handler, HostileServer
from .test_resources_identity import (
    DEP,
    JOB,
    ORG,
    client_for,
    notebook_doc,
    serve,
    trigger_doc,
)

LONE = "\ud800"
CREATE = {"version_id": "ver-1", "input_service_id": "2222222222222"}


def _refused(server: HostileServer, call: Callable[[], object], parameter: str) -> None:
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.parameter == parameter
    assert server.requests == []


@pytest.fixture
def silent(hostile_server: Callable[[Handler], HostileServer]) -> HostileServer:
    """A server that must not be reached."""
    return serve(hostile_server, lambda request: {})


@pytest.mark.parametrize(
    ("parameter", "call"),
    [
        ("trigger_id", lambda c: c.organization(ORG).deployment(DEP).triggers.get("tri-" + LONE)),
        ("organization_id", lambda c: c.organization(LONE)),
        ("job_definition_name", lambda c: c.organization(ORG).job_definition("job" + LONE)),
        ("image", lambda c: c.organization(ORG).job_definition(JOB).notebooks.create(image=LONE)),
        (
            "version_id",
            lambda c: (
                c.organization(ORG)
                .deployment(DEP)
                .triggers.create(version_id=LONE, input_service_id="2")
            ),
        ),
        (
            "environment",
            lambda c: (
                c.organization(ORG)
                .deployment(DEP)
                .triggers.create(**CREATE, environment={LONE: "x"})
            ),
        ),
        (
            "environment",
            lambda c: (
                c.organization(ORG)
                .deployment(DEP)
                .triggers.create(**CREATE, environment={"DEBUG": "x" + LONE})
            ),
        ),
        (
            "distribution",
            lambda c: (
                c.organization(ORG).deployment(DEP).triggers.create(**CREATE, distribution=10**5000)
            ),
        ),
        (
            "distribution",
            lambda c: (
                c.organization(ORG).deployment(DEP).triggers.create(**CREATE, distribution=2**63)
            ),
        ),
        ("notebook_id", lambda c: c.notebooks_api().get_notebook(ORG, JOB, LONE)),
        ("image", lambda c: c.notebooks_api().create_notebook(ORG, JOB, "cpu-1", LONE)),
        (
            "environment",
            lambda c: c.triggers_api().create_trigger(
                ORG, DEP, "ver-1", "datalake", "2", environment={LONE: "x"}
            ),
        ),
        (
            "distribution",
            lambda c: c.triggers_api().create_trigger(
                ORG, DEP, "ver-1", "datalake", "2", distribution=10**5000
            ),
        ),
        (
            "next_page_token",
            lambda c: c.triggers_api().get_trigger_runs(
                ORG, DEP, "tri-A", next_page_token="t" + LONE
            ),
        ),
        (
            "next_forward_token",
            lambda c: c.notebooks_api().get_notebook_recent_logs(
                ORG, JOB, "1", next_forward_token="t" + LONE
            ),
        ),
    ],
)
def test_unsendable_arguments_are_validation_errors_naming_the_parameter_with_nothing_sent(
    silent: HostileServer, parameter: str, call: Callable[[Client], object]
) -> None:
    _refused(silent, lambda: call(client_for(silent)), parameter)


def _deep(depth: int = 100_000) -> bytes:
    inner = b"[" * depth + b"]" * depth
    document = notebook_doc("1000000000001")
    document["extra"] = "PLACEHOLDER"
    import json

    return json.dumps(document).encode().replace(b'"PLACEHOLDER"', inner)


@pytest.mark.parametrize("action", ["start", "stop", "update"])
def test_a_deeply_nested_start_stop_update_answer_is_an_invalid_response(
    hostile_server: Callable[[Handler], HostileServer], action: str
) -> None:
    def handler(connection: Connection) -> None:
        while connection.read_request() is not None:
            connection.answer(raw_body=_deep())

    server = hostile_server(handler)
    notebooks = client_for(server).organization(ORG).job_definition(JOB).notebooks
    notebook = notebooks.bind(Notebook.model_validate(notebook_doc("1000000000001")))
    calls: dict[str, Callable[[], object]] = {
        "start": notebook.start,
        "stop": notebook.stop,
        "update": lambda: notebook.update(instance_type="cpu-2"),
    }

    with pytest.raises(InvalidResponseError):
        calls[action]()


def test_a_deeply_nested_document_is_an_invalid_response(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    def handler(connection: Connection) -> None:
        while connection.read_request() is not None:
            connection.answer(raw_body=_deep())

    server = hostile_server(handler)
    with pytest.raises(InvalidResponseError):
        client_for(server).organization(ORG).job_definition(JOB).notebooks.get("1000000000001")


# -- timestamps (case 7) ----------------------------------------------------------------


@pytest.mark.parametrize("timestamp", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+01:00"])
def test_a_timestamp_whose_utc_form_overflows_still_dumps_and_reads_back(
    hostile_server: Callable[[Handler], HostileServer], timestamp: str
) -> None:
    # Chosen: dump it (with its own offset), rather than refuse it on load.
    server = serve(hostile_server, lambda request: trigger_doc("tri-A", created_at=timestamp))
    trigger = client_for(server).organization(ORG).deployment(DEP).triggers.get("tri-A")

    written = trigger.model_dump_json()

    assert Trigger.model_validate_json(written) == trigger
    date, offset = timestamp[:19], timestamp[19:]
    assert trigger.to_dict()["created_at"] == f"{date}.000000{offset}"


def test_the_extreme_timestamps_that_can_be_written_back_are_kept() -> None:
    for timestamp in (
        "9999-12-31T23:59:59.999999Z",
        "9999-12-31T18:00:00-05:00",
        "0001-01-01T00:00:00Z",
        "0001-01-01T05:00:00+05:00",
    ):
        trigger = Trigger.model_validate(trigger_doc(created_at=timestamp))
        assert Trigger.model_validate_json(trigger.model_dump_json()) == trigger


_ZONES = st.timedeltas(
    min_value=-timedelta(hours=23, minutes=59), max_value=timedelta(hours=23, minutes=59)
)


# The edges of the calendar weigh as much as the rest: that is where the UTC form overflows.
_MOMENTS = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(1, 1, 2)),
    st.datetimes(min_value=datetime(9999, 12, 30), max_value=datetime(9999, 12, 31, 23, 59, 59)),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)),
)


@given(
    moment=_MOMENTS,
    offset=_ZONES.map(lambda delta: timedelta(minutes=int(delta.total_seconds() // 60))),
)
def test_any_timestamp_accepted_on_load_dumps_to_json_and_reads_back_equal(
    moment: datetime, offset: timedelta
) -> None:
    text = moment.replace(tzinfo=timezone(offset)).isoformat()
    trigger = Trigger.model_validate(trigger_doc(created_at=text))
    assert Trigger.model_validate_json(trigger.model_dump_json()) == trigger


# -- tokens from the server (case 8) ----------------------------------------------------


def _bound_trigger(client: Client) -> Trigger:
    triggers = client.organization(ORG).deployment(DEP).triggers
    return triggers.bind(Trigger.model_validate(trigger_doc("tri-A")))


def _bound_notebook(client: Client) -> Notebook:
    notebooks = client.organization(ORG).job_definition(JOB).notebooks
    return notebooks.bind(Notebook.model_validate(notebook_doc("1000000000001")))


_EVENTS = [{"message": "one", "timestamp": "2019-01-01T00:00:00Z"}]
_TOKEN_READERS = {
    # token name: (the page that sends it, the call through each layer)
    "next_page_token": (
        lambda token: {"entries": [], "next_page_token": token},
        lambda client: list(_bound_trigger(client).runs()),
        lambda client: client.triggers_api().get_trigger_runs(ORG, DEP, "tri-A"),
    ),
    "next_forward_token": (
        lambda token: {"events": _EVENTS, "next_forward_token": token},
        lambda client: list(_bound_notebook(client).logs()),
        lambda client: client.notebooks_api().get_notebook_recent_logs(ORG, JOB, "1000000000001"),
    ),
}


@pytest.mark.parametrize(
    ("name", "token"),
    [
        ("next_page_token", "t" * 8193),
        ("next_page_token", "t" + LONE),
        ("next_forward_token", "f" * 8193),
        ("next_forward_token", "f" + LONE),
    ],
)
def test_a_token_the_server_sends_that_cannot_go_back_is_an_invalid_response(
    hostile_server: Callable[[Handler], HostileServer], name: str, token: str
) -> None:
    page, resource_call, low_level_call = _TOKEN_READERS[name]
    server = serve(hostile_server, lambda request: page(token))
    client = client_for(server)

    with pytest.raises(InvalidResponseError, match=name):
        resource_call(client)
    with pytest.raises(InvalidResponseError, match=name):
        low_level_call(client)
    assert len(server.requests) == 2


def test_a_caller_passing_an_overlong_token_still_gets_a_validation_error(
    silent: HostileServer,
) -> None:
    api = client_for(silent).triggers_api()
    _refused(silent, lambda: api.get_trigger_runs(ORG, DEP, "t", "t" * 8193), "next_page_token")
