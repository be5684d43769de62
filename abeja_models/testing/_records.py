"""What the emulated platform stores: triggers, runs, notebooks and log events, each a
record with named fields that renders the document the platform sends for it.

Statuses are computed from the clock when a document is read (a run is PENDING for one
step, RUNNING for the next, then finished), so nothing runs in the background and a
hundred thousand runs cost one small tuple each.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import NamedTuple, Optional

from ._rules import JsonObject

MAX_LOG_EVENTS = 5_000
"""A notebook's log stops growing at this many events."""

_LOG_LINES = (
    "Pulling image {image}",
    "Starting {kind} server on instance {instance_type}",
    "Serving notebooks from local directory: /mnt/notebooks",
    "Jupyter Server is running at http://0.0.0.0:8888/",
    "Kernel started: python3",
    "Saving file at /mnt/notebooks/Untitled.ipynb",
    "Kernel heartbeat ok",
)
_STOPPED_LINE = "Notebook server stopped"
_CREATOR: JsonObject = {
    "updated_at": "2018-01-04T03:02:12Z",
    "role": "admin",
    "is_registered": True,
    "id": "1122334455660",
    "email": "emulator@example.com",
    "display_name": None,
    "created_at": "2017-05-26T01:38:46Z",
}


def timestamp(moment: float) -> str:
    """The platform's timestamp form, with microseconds."""
    return datetime.fromtimestamp(moment, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Ids:
    """Realistic, unique ids: ``tri-`` and ``run-`` with 16 digits, 13-digit notebooks."""

    def __init__(self) -> None:
        start = random.Random().randrange(10**12, 8 * 10**12)
        self._numbers = itertools.count(start)

    def digits(self, width: int) -> str:
        """The next number, padded with 1s on the left to ``width`` digits."""
        return str(next(self._numbers)).rjust(width, "1")

    def continue_from(self, first: int) -> None:
        """Draw the next ids from ``first`` on (seeded data wants ids that never change)."""
        self._numbers = itertools.count(first)

    def trigger(self) -> str:
        """A new trigger id."""
        return f"tri-{self.digits(16)}"

    def run(self) -> str:
        """A new run id."""
        return f"run-{self.digits(16)}"

    def notebook(self) -> str:
        """A new notebook id."""
        return self.digits(13)


class Run(NamedTuple):
    """One run of a trigger; its status follows from ``created`` and the clock."""

    run_id: str
    created: float
    fails: bool
    """Whether it ends ``FAILED`` rather than ``SUCCEEDED``."""
    input_path: str
    """``{channel_id}/{file_id}``: the file that started it."""


@dataclass
class Trigger:
    """A trigger and its runs, oldest first."""

    trigger_id: str
    organization_id: str
    deployment_id: str
    channel_id: str
    output_service_name: Optional[str]
    output_service_id: Optional[str]
    version_id: str
    models: dict[str, str]
    retry_count: int
    environment: dict[str, str]
    created: float
    runs: list[Run] = field(default_factory=list)

    def document(self) -> JsonObject:
        """The trigger as *get trigger* and *get triggers* send it (no ``distribution``)."""
        return {
            "trigger_id": self.trigger_id,
            "organization_id": self.organization_id,
            "deployment_id": self.deployment_id,
            "input_service_name": "datalake",
            "input_service_id": self.channel_id,
            "output_service_name": self.output_service_name,
            "output_service_id": self.output_service_id,
            "models": dict(self.models),
            "model_version": "0.0.1",
            "model_version_id": self.version_id,
            "retry_count": self.retry_count,
            "user_env_vars": dict(self.environment),
            "created_at": timestamp(self.created),
            "modified_at": timestamp(self.created),
        }

    def run_document(self, run: Run, now: float, step_delay: float) -> JsonObject:
        """One of its runs as the platform sends it at ``now``, a status per ``step_delay``."""
        steps = (now - run.created) / step_delay if step_delay > 0 else 2.0
        if steps < 1:
            status, modified = "PENDING", run.created
        elif steps < 2:
            status, modified = "RUNNING", run.created + step_delay
        else:
            status = "FAILED" if run.fails else "SUCCEEDED"
            modified = run.created + 2 * step_delay
        return {
            "run_id": run.run_id,
            "trigger_id": self.trigger_id,
            "deployment_id": self.deployment_id,
            "model_version_id": self.version_id,
            "models": dict(self.models),
            "input_data": {"$datalake:1": run.input_path},
            "output_template": None,
            "retry_count": self.retry_count,
            "user_env_vars": dict(self.environment),
            "status": status,
            "created_at": timestamp(run.created),
            "modified_at": timestamp(modified),
        }


class LogEvent(NamedTuple):
    """One line of a notebook's log."""

    message: str
    moment: float

    def document(self) -> JsonObject:
        """The event as the platform sends it, its timestamp in milliseconds."""
        return {"message": self.message, "timestamp": timestamp(self.moment)[:-4] + "Z"}


@dataclass
class Notebook:
    """A notebook: its settings, where it is in its life, and the log it has written."""

    organization_id: str
    job_definition_name: str
    """The name in its URL path."""
    job_definition_id: str
    """The id the platform gave that job definition."""
    notebook_id: str
    name: str
    instance_type: str
    image: str
    notebook_type: str
    created: float
    modified: float
    pending_since: Optional[float] = None
    running_since: Optional[float] = None
    stopped_at: Optional[float] = None
    events: list[LogEvent] = field(default_factory=list)
    run_first_event: int = 0
    """How many events earlier runs wrote: the current run's log counts from there."""

    @property
    def status(self) -> str:
        """Where it is in its life, as its moments say (bring them up to date with ``advance``)."""
        if self.stopped_at is not None:
            return "Stopped"
        return "Pending" if self.running_since is None else "Running"

    def document(self) -> JsonObject:
        """The notebook as the platform sends it (bring it up to date with ``advance``)."""
        return {
            "job_definition_id": self.job_definition_id,
            "training_notebook_id": self.notebook_id,
            "name": self.name,
            "description": None,
            "status": self.status,
            "status_message": None,
            "instance_type": self.instance_type,
            "image": self.image,
            "creator": dict(_CREATOR),
            "created_at": timestamp(self.created),
            "modified_at": timestamp(self.modified),
        }

    def start(self, now: float) -> None:
        """Start it again if stopped (its log advanced to ``now``): ``Pending`` from ``now``."""
        if self.status == "Stopped":
            self.pending_since, self.running_since, self.stopped_at = now, None, None
            self.modified = now
            self.run_first_event = len(self.events)

    def stop(self, now: float) -> None:
        """Stop it (its log advanced to ``now``), unless it is stopped already.

        If it was running, its log ends with the stop: the next event of this run would
        come after ``now``, so none follows it.
        """
        if self.status != "Stopped":
            if self.running_since is not None and len(self.events) < MAX_LOG_EVENTS:
                self.events.append(LogEvent(_STOPPED_LINE, now))
            self.pending_since, self.stopped_at = None, now
            self.modified = now

    def advance(self, now: float, start_delay: float, log_interval: float) -> None:
        """Bring its status and log up to ``now``.

        It runs ``start_delay`` seconds after it was made pending, and writes a log event
        every ``log_interval`` seconds while it runs, the first one as it starts running;
        the events of earlier runs stay as they were.
        """
        if self.pending_since is not None and self.status == "Pending":
            ready = self.pending_since + start_delay
            if now >= ready:
                self.running_since = self.modified = ready
        if self.running_since is None:
            return
        until = self.stopped_at if self.stopped_at is not None else now
        interval = max(log_interval, 1e-3)
        while len(self.events) < MAX_LOG_EVENTS:
            index = len(self.events) - self.run_first_event
            moment = self.running_since + index * interval
            if moment > until:
                break
            line = _LOG_LINES[min(index, len(_LOG_LINES) - 1)]
            message = line.format(
                image=self.image,
                kind="JupyterLab" if self.notebook_type == "lab" else "Jupyter Notebook",
                instance_type=self.instance_type,
            )
            self.events.append(LogEvent(message, moment))
