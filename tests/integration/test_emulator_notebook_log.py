"""A notebook's log in the emulator, on a fake clock: each run writes its first event as it
starts running and one every ``log_interval`` after, a restart included, the events of
earlier runs stay as they were, and a run that is stopped ends its log with the stop."""

from __future__ import annotations

from datetime import datetime, timezone

from abeja_models.testing._state import PlatformState

ORG, JOB = "1234567890123", "job-1"
T0 = 1_000_000.0


class Clock:
    """A clock that moves only when told, in binary-exact steps (no rounding at the ends)."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


def _platform() -> tuple[Clock, PlatformState]:
    """An emulated platform on a clock of its own: notebooks start 0.5 s after being asked
    to, and log every 0.25 s."""
    clock = Clock()
    state = PlatformState(
        page_size=1000,
        notebook_start_delay=0.5,
        run_step_delay=0.25,
        log_interval=0.25,
        clock=clock,
    )
    return clock, state


def _log(state: PlatformState, notebook_id: str) -> list[tuple[float, str]]:
    """The notebook's log as (seconds after T0, message)."""
    events = state.recent_logs(ORG, JOB, notebook_id, {})["events"]
    assert isinstance(events, list)
    return [
        (
            datetime.strptime(event["timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ")
            .replace(tzinfo=timezone.utc)
            .timestamp()
            - T0,
            event["message"],
        )
        for event in events
    ]


def test_after_a_restart_the_log_goes_on_at_its_interval_from_the_new_start() -> None:
    clock, state = _platform()
    notebook_id = str(state.create_notebook(ORG, JOB, {})["training_notebook_id"])
    clock.now = T0 + 1.5
    state.stop_notebook(ORG, JOB, notebook_id)
    first_run = _log(state, notebook_id)
    assert [moment for moment, _ in first_run] == [0.5, 0.75, 1.0, 1.25, 1.5, 1.5]
    assert first_run[-1][1] == "Notebook server stopped"

    clock.now = T0 + 6.0
    state.start_notebook(ORG, JOB, notebook_id, {})
    assert _log(state, notebook_id) == first_run  # pending until T0 + 6.5
    clock.now = T0 + 7.0
    log = _log(state, notebook_id)

    assert log[:6] == first_run
    assert [moment for moment, _ in log[6:]] == [6.5, 6.75, 7.0]
    assert log[6][1] == first_run[0][1]  # a restarted notebook's log begins as a new one's


def test_a_stopped_notebook_s_log_ends_with_its_stop_and_stays_so() -> None:
    clock, state = _platform()
    ran, never_ran = (
        str(state.create_notebook(ORG, JOB, {})["training_notebook_id"]) for _ in range(2)
    )
    clock.now = T0 + 0.25
    state.stop_notebook(ORG, JOB, never_ran)
    clock.now = T0 + 1.125  # between two events
    state.stop_notebook(ORG, JOB, ran)
    clock.now = T0 + 60.0

    log = _log(state, ran)
    assert [moment for moment, _ in log] == [0.5, 0.75, 1.0, 1.125]
    assert log[-1][1] == "Notebook server stopped"
    assert _log(state, never_ran) == []  # it never ran: nothing to log, not even a stop
