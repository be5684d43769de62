"""An emulator with something in it: the data that ``abeja-models ... --emulator`` shows.

```python
from abeja_models.testing import PlatformEmulator
from abeja_models.testing.seed import NOTEBOOK, ORGANIZATION, seed

with PlatformEmulator(log_interval=1.0) as emulator:
    seed(emulator)   # a trigger with runs, a running notebook with a log, a stopped one
```

The ids are the same every time (the constants below), so a help text can name them and
a new emulator seeded the same way answers to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the ids are read without the emulator (the command line's help)
    from ._emulator import PlatformEmulator

__all__ = [
    "CHANNEL",
    "DEPLOYMENT",
    "JOB_DEFINITION",
    "NOTEBOOK",
    "ORGANIZATION",
    "STOPPED_NOTEBOOK",
    "TRIGGER",
    "seed",
]

ORGANIZATION = "1234567890123"
"""The organization that holds the seeded data."""
DEPLOYMENT = "1111111111111"
"""The deployment with the seeded trigger."""
CHANNEL = "2222222222222"
"""The DataLake channel the seeded trigger watches."""
TRIGGER = "tri-1111111111111111"
"""The seeded trigger: five finished runs, the oldest of them failed."""
JOB_DEFINITION = "demo_job_definition"
"""The job definition with the seeded notebooks."""
NOTEBOOK = "1230000000000"
"""A running JupyterLab notebook with a few log lines, and a new one every ``log_interval``."""
STOPPED_NOTEBOOK = "1230000000001"
"""A stopped notebook."""

_LOG_LINES_SHOWN = 7


def seed(emulator: PlatformEmulator) -> None:
    """Put the trigger, runs and notebooks named by this module's constants into ``emulator``.

    Call it once, on an emulator with no data in this organization.
    """
    state = emulator.state
    _draw_ids_from(emulator, int(TRIGGER[len("tri-") :]))
    created = state.create_trigger(
        ORGANIZATION,
        DEPLOYMENT,
        {
            "version_id": "ver-1111111111111111",
            "input_service_name": "datalake",
            "input_service_id": CHANNEL,
            "retry_count": 3,
            "environment": {"DEBUG": "debug"},
        },
    )
    emulator.add_runs(created["trigger_id"], 4)
    emulator.add_runs(created["trigger_id"], 1, fail=True)

    # Notebooks that have been running for a while, so that their logs already have lines:
    # made on a clock set back by their start delay and as many log intervals, then one
    # stopped now.
    clock = state.clock
    ran_for = state.notebook_start_delay + (_LOG_LINES_SHOWN - 0.5) * max(state.log_interval, 1e-3)
    state.clock = lambda: clock() - ran_for
    try:
        # Each create draws an id for the job definition (kept only the first time), then
        # one for the notebook.
        _draw_ids_from(emulator, int(NOTEBOOK) - 1)
        body = {"instance_type": "cpu-1", "image": "abeja-inc/all-cpu:19.10"}
        state.create_notebook(ORGANIZATION, JOB_DEFINITION, {**body, "notebook_type": "lab"})
        _draw_ids_from(emulator, int(STOPPED_NOTEBOOK) - 1)
        state.create_notebook(ORGANIZATION, JOB_DEFINITION, body)
    finally:
        state.clock = clock
    state.stop_notebook(ORGANIZATION, JOB_DEFINITION, STOPPED_NOTEBOOK)


def _draw_ids_from(emulator: PlatformEmulator, first: int) -> None:
    # The emulator draws ids from a counter that starts at random; fixed ids are what make
    # the seeded data the same in every emulator (each `--emulator` command runs its own).
    emulator.state.draw_ids_from(first)
