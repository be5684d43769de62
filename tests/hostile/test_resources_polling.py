"""Cases 6 and 9: loops that poll are paced and bounded, whatever the server answers.

``logs(follow=True)`` waits ``poll_interval`` after every poll that brought nothing new
and never yields an event twice; ``wait_until`` ends within a poll of its timeout,
however slowly the server answers.
"""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any, Callable

import pytest

from abeja_models import LogEvent, Notebook
from abeja_models.errors import AbejaError, WaitTimeoutError

from .servers import Connection, Handler, HostileServer, Request
from .test_resources_identity import JOB, ORG, client_for, notebook_doc, serve

EVENTS = [
    {"message": "starting", "timestamp": "2019-01-01T00:00:00Z"},
    {"message": "ready", "timestamp": "2019-01-01T00:00:01Z"},
]


def _follow_for(server: HostileServer, seconds: float, poll_interval: float) -> list[LogEvent]:
    """Follow the log in a thread for ``seconds``; the events it yielded meanwhile."""
    notebooks = client_for(server).organization(ORG).job_definition(JOB).notebooks
    notebook = notebooks.bind(Notebook.model_validate(notebook_doc("1000000000001")))
    yielded: list[LogEvent] = []

    def follow() -> None:
        # Ends with a typed error when the server is stopped at the end of the test.
        try:
            for event in notebook.logs(follow=True, poll_interval=poll_interval):
                yielded.append(event)
        except AbejaError:
            pass

    follower = threading.Thread(target=follow, daemon=True)
    follower.start()
    time.sleep(seconds)
    seen = list(yielded)
    # Stop it here, not at teardown: a follow left polling would reach later tests' mocks.
    server.stop()
    follower.join(timeout=5)
    assert not follower.is_alive(), "the follow did not end when its server went away"
    return seen


def test_a_follow_against_a_page_repeating_its_token_and_events_is_paced_and_yields_once(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    server = serve(hostile_server, lambda request: {"events": EVENTS, "next_forward_token": "f1"})

    yielded = _follow_for(server, seconds=2.0, poll_interval=0.2)
    polls = len(server.requests)

    assert [event.message for event in yielded] == ["starting", "ready"]
    # 2 s / 0.2 s = 10 waits, so at most ~11 polls (it spun ~10,000 times before).
    assert polls <= 12, f"{polls / 2.0:.0f} requests/s"


def test_a_follow_against_rotating_tokens_replaying_old_events_yields_each_event_once(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    counter = itertools.count()

    def answer(request: Request) -> Any:
        return {"events": EVENTS, "next_forward_token": f"f{next(counter)}"}

    server = serve(hostile_server, answer)

    yielded = _follow_for(server, seconds=1.0, poll_interval=0.2)

    assert [event.message for event in yielded] == ["starting", "ready"]
    assert len(server.requests) <= 7


def test_a_follow_still_yields_new_events_after_repeats(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    later = {"message": "done", "timestamp": "2019-01-01T00:00:02Z"}
    pages = iter([EVENTS, EVENTS, [*EVENTS, later]])

    def answer(request: Request) -> Any:
        return {"events": next(pages, []), "next_forward_token": "f1"}

    server = serve(hostile_server, answer)

    yielded = _follow_for(server, seconds=0.5, poll_interval=0.05)

    assert [event.message for event in yielded] == ["starting", "ready", "done"]


def test_identical_lines_logged_at_the_same_instant_both_come_through() -> None:
    from abeja_models.models.notebook import NotebookLogPage
    from abeja_models.pagination import iter_log_events

    twice = [EVENTS[0], EVENTS[0]]
    page = NotebookLogPage.model_validate({"events": twice, "next_forward_token": "f1"})

    events = list(iter_log_events(lambda token: page, follow=False, poll_interval=0.01))

    assert [event.message for event in events] == ["starting", "starting"]


# -- wait_until (case 9) ----------------------------------------------------------------


@pytest.mark.parametrize("stall", [3.0])
def test_wait_until_ends_within_a_poll_of_its_timeout_however_slow_the_server(
    hostile_server: Callable[[Handler], HostileServer], stall: float
) -> None:
    def handler(connection: Connection) -> None:
        while connection.read_request() is not None:
            time.sleep(stall)  # each poll's answer takes longer than the whole wait
            connection.answer(notebook_doc("1000000000001", status="Pending"))

    server = hostile_server(handler)
    notebooks = client_for(server).organization(ORG).job_definition(JOB).notebooks
    notebook = notebooks.bind(
        Notebook.model_validate(notebook_doc("1000000000001", status="Pending"))
    )

    started = time.monotonic()
    with pytest.raises(WaitTimeoutError) as caught:
        notebook.wait_until("Running", timeout=1.0, poll_interval=0.2)
    elapsed = time.monotonic() - started

    assert caught.value.last_status == "Pending"
    assert elapsed < 1.0 + 0.3, f"overshoot {elapsed - 1.0:.2f}s"


def test_wait_until_against_a_quick_server_keeps_polling_until_the_timeout(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    server = serve(hostile_server, lambda request: notebook_doc("1000000000001", status="Pending"))
    notebooks = client_for(server).organization(ORG).job_definition(JOB).notebooks
    notebook = notebooks.bind(
        Notebook.model_validate(notebook_doc("1000000000001", status="Pending"))
    )

    started = time.monotonic()
    with pytest.raises(WaitTimeoutError):
        notebook.wait_until("Running", timeout=0.5, poll_interval=0.1)
    elapsed = time.monotonic() - started

    assert 0.5 <= elapsed < 0.5 + 0.2
    assert 3 <= len(server.requests) <= 6
