"""Lazy paging: trigger runs by ``next_page_token``, notebook logs by ``next_forward_token``."""

from __future__ import annotations

import copy
from typing import Any, Optional

import pytest
import responses
from responses import matchers

from abeja_models import InvalidResponseError, Notebook, NotFound, Trigger, pagination
from tests.ids import (
    LOGS_URL,
    RUNS_URL,
)

from .fakes import MockedPlatform


def _page(run: dict[str, Any], ids: list[str], token: Optional[str]) -> dict[str, Any]:
    entries = [{**copy.deepcopy(run), "run_id": run_id} for run_id in ids]
    return {"entries": entries, "next_page_token": token}


def _runs_page(api: responses.RequestsMock, query: dict[str, str], page: dict[str, Any]) -> None:
    api.get(RUNS_URL, json=page, match=[matchers.query_param_matcher(query)])


def test_runs_sends_nothing_until_the_first_item_is_asked_for(
    api: responses.RequestsMock, bound_trigger: Trigger, trigger_run_doc: dict[str, Any]
) -> None:

    _runs_page(api, {}, _page(trigger_run_doc, ["run-1", "run-2"], "t1"))
    _runs_page(api, {"next_page_token": "t1"}, _page(trigger_run_doc, ["run-3"], None))

    runs = bound_trigger.runs()
    assert len(api.calls) == 0

    first = next(runs)
    assert first.run_id == "run-1"
    assert len(api.calls) == 1

    assert next(runs).run_id == "run-2"
    assert len(api.calls) == 1  # the second item comes from the page already fetched

    assert next(runs).run_id == "run-3"
    assert len(api.calls) == 2
    with pytest.raises(StopIteration):
        next(runs)
    assert len(api.calls) == 2


def test_runs_follow_next_page_token_with_scan_forward_kept(
    api: MockedPlatform, bound_trigger: Trigger, trigger_run_doc: dict[str, Any]
) -> None:
    _runs_page(api, {"scan_forward": "True"}, _page(trigger_run_doc, ["run-1"], "t1"))
    _runs_page(
        api,
        {"scan_forward": "True", "next_page_token": "t1"},
        _page(trigger_run_doc, [], "t2"),  # an empty page in the middle is not the end
    )
    _runs_page(
        api,
        {"scan_forward": "True", "next_page_token": "t2"},
        _page(trigger_run_doc, ["run-2", "run-3"], ""),
    )

    run_ids = [run.run_id for run in bound_trigger.runs(scan_forward=True)]

    assert run_ids == ["run-1", "run-2", "run-3"]
    assert [api.sent(i).query for i in range(len(api.calls))] == [
        {"scan_forward": "True"},
        {"scan_forward": "True", "next_page_token": "t1"},
        {"scan_forward": "True", "next_page_token": "t2"},
    ]


def test_runs_end_when_the_token_is_absent(
    api: responses.RequestsMock, bound_trigger: Trigger, trigger_run_doc: dict[str, Any]
) -> None:
    api.get(RUNS_URL, json={"entries": [trigger_run_doc]})

    assert [run.run_id for run in bound_trigger.runs()] == ["run-3333333333333333"]
    assert len(api.calls) == 1


REPEATED_TOKENS = {
    "by-the-next-page": [(["run-1"], "again"), (["run-2"], "again")],
    "after-several-pages": [(["run-1"], "a"), (["run-2"], "b"), (["run-3"], "a")],
}


@pytest.mark.parametrize("pages", REPEATED_TOKENS.values(), ids=REPEATED_TOKENS.keys())
def test_a_repeated_page_token_is_an_invalid_response_not_a_loop(
    api: responses.RequestsMock,
    bound_trigger: Trigger,
    trigger_run_doc: dict[str, Any],
    pages: list[tuple[list[str], str]],
) -> None:
    asked_with: dict[str, str] = {}
    for run_ids, token in pages:
        _runs_page(api, asked_with, _page(trigger_run_doc, run_ids, token))
        asked_with = {"next_page_token": token}

    runs = bound_trigger.runs()
    seen = [next(runs).run_id for _ in pages]
    with pytest.raises(InvalidResponseError) as caught:
        next(runs)

    assert seen == [run_id for run_ids, _ in pages for run_id in run_ids]
    assert pages[-1][1] in str(caught.value)
    assert len(api.calls) == len(pages)


def test_a_page_error_surfaces_at_the_item_that_needs_it(
    api: responses.RequestsMock, bound_trigger: Trigger, trigger_run_doc: dict[str, Any]
) -> None:
    _runs_page(api, {}, _page(trigger_run_doc, ["run-1"], "t1"))
    api.get(
        RUNS_URL,
        status=404,
        json={"error": "not_found"},
        match=[matchers.query_param_matcher({"next_page_token": "t1"})],
    )

    runs = bound_trigger.runs()
    assert next(runs).run_id == "run-1"
    with pytest.raises(NotFound) as caught:
        next(runs)
    assert caught.value.status_code == 404


def test_a_run_that_cannot_be_read_raises_the_pages_error_after_the_runs_before_it(
    api: responses.RequestsMock, bound_trigger: Trigger, trigger_run_doc: dict[str, Any]
) -> None:
    page = _page(trigger_run_doc, ["run-1", "run-2", "run-3", "run-4"], "t1")
    page["entries"][2]["created_at"] = "yesterday"
    _runs_page(api, {}, page)

    runs = bound_trigger.runs()
    assert [next(runs).run_id, next(runs).run_id] == ["run-1", "run-2"]
    with pytest.raises(InvalidResponseError) as caught:
        next(runs)

    # What reading the whole page said, as before: where, why, and the body's start.
    assert caught.value.status_code == 200
    assert str(caught.value).startswith(
        "200 invalid_response: entries.2.created_at: Input should be a valid datetime"
    )
    assert '{"entries": [{' in str(caught.value)
    assert len(api.calls) == 1  # nothing past the page that failed


def test_a_run_past_the_ones_asked_for_is_never_read(
    api: responses.RequestsMock, bound_trigger: Trigger, trigger_run_doc: dict[str, Any]
) -> None:
    page = _page(trigger_run_doc, ["run-1", "run-2", "run-3"], None)
    del page["entries"][2]["status"]
    _runs_page(api, {}, page)

    assert [run.run_id for run in bound_trigger.runs(limit=2)] == ["run-1", "run-2"]


NOT_A_PAGE = {
    "not-json": (b"<html>busy</html>", "body: Invalid JSON"),
    "not-an-object": (b"[1, 2]", "body: Input should be an object"),
    "entries-not-a-list": (b'{"entries": {"a": 1}}', "entries: Input should be a valid array"),
    "entries-null": (b'{"entries": null}', "entries: Input should be a valid array"),
    "token-a-number": (b'{"entries": [], "next_page_token": 5}', "next_page_token: Input"),
}


@pytest.mark.parametrize(("body", "why"), NOT_A_PAGE.values(), ids=NOT_A_PAGE.keys())
def test_a_body_that_is_not_a_page_of_runs_is_refused_as_the_page_model_refuses_it(
    api: responses.RequestsMock, bound_trigger: Trigger, body: bytes, why: str
) -> None:
    api.get(RUNS_URL, body=body)

    with pytest.raises(InvalidResponseError) as caught:
        next(bound_trigger.runs())

    assert str(caught.value).startswith(f"200 invalid_response: {why}")


def test_a_run_whose_ids_come_as_numbers_is_read_as_its_model_reads_them(
    api: responses.RequestsMock, bound_trigger: Trigger, trigger_run_doc: dict[str, Any]
) -> None:
    ours = _page(trigger_run_doc, ["run-1", "run-2"], "t1")
    ours["entries"][1]["deployment_id"] = int(ours["entries"][1]["deployment_id"])
    _runs_page(api, {}, ours)
    other = _page(trigger_run_doc, ["run-3", "run-4"], None)
    other["entries"][1]["deployment_id"] = 42
    _runs_page(api, {"next_page_token": "t1"}, other)

    runs = bound_trigger.runs()
    assert [next(runs).run_id, next(runs).run_id] == ["run-1", "run-2"]
    with pytest.raises(InvalidResponseError, match="deployment_id '42'"):
        next(runs)  # a run of another deployment: nothing of its page, not even run-3


# -- notebook logs ---------------------------------------------------------------------------


def _events(*messages: str) -> list[dict[str, str]]:
    return [{"message": m, "timestamp": "2019-10-16T00:00:00.000Z"} for m in messages]


def _logs_page(
    api: responses.RequestsMock,
    query: dict[str, str],
    events: list[dict[str, str]],
    forward: Optional[str],
) -> None:
    page = {"events": events, "next_forward_token": forward, "next_backward_token": "back"}
    api.get(LOGS_URL, json=page, match=[matchers.query_param_matcher(query)])


def test_logs_send_nothing_until_iterated(
    api: responses.RequestsMock, bound_notebook: Notebook
) -> None:
    _logs_page(api, {}, _events("one"), None)

    events = bound_notebook.logs()
    assert len(api.calls) == 0

    assert next(events).message == "one"
    assert len(api.calls) == 1


def test_logs_follow_the_forward_token_and_stop_at_the_first_empty_page(
    api: MockedPlatform, bound_notebook: Notebook
) -> None:
    _logs_page(api, {}, _events("one", "two"), "f1")
    _logs_page(api, {"next_forward_token": "f1"}, _events("three"), "f2")
    _logs_page(api, {"next_forward_token": "f2"}, [], "f3")
    _logs_page(api, {"next_forward_token": "f3"}, _events("never asked for"), "f4")

    messages = [event.message for event in bound_notebook.logs()]

    assert messages == ["one", "two", "three"]
    assert [api.sent(i).query for i in range(len(api.calls))] == [
        {},
        {"next_forward_token": "f1"},
        {"next_forward_token": "f2"},
    ]


def test_logs_stop_when_the_forward_token_does_not_advance(
    api: responses.RequestsMock, bound_notebook: Notebook
) -> None:
    _logs_page(api, {}, _events("one"), "f1")
    _logs_page(api, {"next_forward_token": "f1"}, _events("two"), "f1")

    assert [event.message for event in bound_notebook.logs()] == ["one", "two"]
    assert len(api.calls) == 2


def test_logs_of_a_first_page_without_token_end_there(
    api: responses.RequestsMock, bound_notebook: Notebook
) -> None:
    _logs_page(api, {}, [], None)

    assert list(bound_notebook.logs()) == []
    assert len(api.calls) == 1


def test_logs_with_follow_poll_again_after_an_empty_page(
    api: responses.RequestsMock, bound_notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []
    monkeypatch.setattr(pagination.time, "sleep", slept.append)
    _logs_page(api, {}, _events("one"), "f1")
    api.get(
        LOGS_URL,
        json={"events": [], "next_forward_token": "f1"},
        match=[matchers.query_param_matcher({"next_forward_token": "f1"})],
    )
    api.get(
        LOGS_URL,
        json={"events": _events("two"), "next_forward_token": "f2"},
        match=[matchers.query_param_matcher({"next_forward_token": "f1"})],
    )

    events = bound_notebook.logs(follow=True, poll_interval=0.25)
    assert [next(events).message, next(events).message] == ["one", "two"]
    events.close()

    assert slept == [0.25]
    assert len(api.calls) == 3
