"""The emulated platform's data and rules, with no HTTP: triggers, runs, notebooks, logs.

Statuses are computed from the clock when a document is read (a run is PENDING for one
step, RUNNING for the next, then finished), so nothing runs in the background and a
hundred thousand runs cost one tuple each.

The rules here are written independently of the SDK's parameter models on purpose:
the emulator plays the server, so a rule the SDK gets wrong shows up as a disagreement.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import random
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Optional

JsonObject = dict[str, Any]

_INSTANCE_TYPE = re.compile(r"(cpu|gpu)(:[a-d])?-(\d+(\.\d+)?|\.\d+)")
_NOTEBOOK_TYPES = ("notebook", "lab")
_MAX_LOG_EVENTS = 5_000
_LOG_LINES = (
    "Pulling image {image}",
    "Starting {kind} server on instance {instance_type}",
    "Serving notebooks from local directory: /mnt/notebooks",
    "Jupyter Server is running at http://0.0.0.0:8888/",
    "Kernel started: python3",
    "Saving file at /mnt/notebooks/Untitled.ipynb",
    "Kernel heartbeat ok",
)
_CREATOR: JsonObject = {
    "updated_at": "2018-01-04T03:02:12Z",
    "role": "admin",
    "is_registered": True,
    "id": "1122334455660",
    "email": "emulator@example.com",
    "display_name": None,
    "created_at": "2017-05-26T01:38:46Z",
}


class ApiProblem(Exception):
    """An error answer: the HTTP status and the platform's ``{error, error_description}``."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(f"{status} {error}: {description}")
        self.status = status
        self.body: JsonObject = {"error": error, "error_description": description}


def bad_request(description: str) -> ApiProblem:
    """A 400 answer for a body or query the platform refuses."""
    return ApiProblem(400, "bad_request", description)


def not_found(what: str, identifier: str) -> ApiProblem:
    """A 404 answer for an id the platform does not know."""
    return ApiProblem(404, "not_found", f"{what} {identifier!r} was not found")


def timestamp(moment: float) -> str:
    """The platform's timestamp form, with microseconds."""
    return datetime.fromtimestamp(moment, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _log_timestamp(moment: float) -> str:
    # Log events carry milliseconds, as in the reference document.
    return timestamp(moment)[:-4] + "Z"


class _Ids:
    """Realistic, unique ids: ``tri-`` and ``run-`` with 16 digits, 13-digit notebooks."""

    def __init__(self) -> None:
        start = random.Random().randrange(10**12, 8 * 10**12)
        self._numbers = itertools.count(start)

    def digits(self, width: int) -> str:
        return str(next(self._numbers)).rjust(width, "1")

    def continue_from(self, first: int) -> None:
        """Draw the next ids from ``first`` on (seeded data wants ids that never change)."""
        self._numbers = itertools.count(first)

    def trigger(self) -> str:
        return f"tri-{self.digits(16)}"

    def run(self) -> str:
        return f"run-{self.digits(16)}"

    def notebook(self) -> str:
        return self.digits(13)


@dataclass
class _Trigger:
    document: JsonObject
    runs: list[tuple[str, float, bool, str]] = field(default_factory=list)
    """(run_id, created, fails, input path), oldest first."""


@dataclass
class _Notebook:
    document: JsonObject
    notebook_type: str
    pending_since: Optional[float]
    running_since: Optional[float] = None
    stopped_at: Optional[float] = None
    events: list[JsonObject] = field(default_factory=list)


class PlatformState:
    """Everything the emulated platform knows, behind one lock."""

    def __init__(
        self,
        *,
        page_size: int,
        notebook_start_delay: float,
        run_step_delay: float,
        log_interval: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self.page_size = page_size
        self.notebook_start_delay = notebook_start_delay
        self.run_step_delay = run_step_delay
        self.log_interval = log_interval
        self._clock = clock
        self._lock = threading.RLock()
        self._ids = _Ids()
        self.reset()

    def draw_ids_from(self, first: int) -> None:
        """Give the next resources ids counted from ``first`` (ids start at random)."""
        self._ids.continue_from(first)

    def reset(self) -> None:
        """Forget every trigger, run, notebook and uploaded file."""
        with self._lock:
            self._triggers: dict[tuple[str, str, str], _Trigger] = {}
            self._trigger_by_id: dict[str, _Trigger] = {}
            self._notebooks: dict[tuple[str, str, str], _Notebook] = {}
            self._job_ids: dict[tuple[str, str], str] = {}
            self._files: dict[str, dict[str, bytes]] = {}

    # Triggers -------------------------------------------------------------------------

    def create_trigger(self, organization_id: str, deployment_id: str, body: object) -> JsonObject:
        fields = _object(body)
        version_id = _required_str(fields, "version_id")
        service_name = _required_str(fields, "input_service_name")
        if service_name != "datalake":
            raise bad_request("input_service_name: only 'datalake' is available")
        channel_id = _required_str(fields, "input_service_id")
        retry_count = _int_in(fields, "retry_count", 0, 9, default=5)
        distribution = _int_in(fields, "distribution", 0, None, default=0)
        output_name = _optional_str(fields, "output_service_name")
        output_id = _optional_str(fields, "output_service_id")
        if (output_name is None) != (output_id is None):
            raise bad_request("output_service_name and output_service_id go together")
        environment = _str_map(fields, "environment")
        models = _str_map(fields, "models")
        now = self._clock()
        with self._lock:
            trigger_id = self._ids.trigger()
            document = {
                "trigger_id": trigger_id,
                "organization_id": organization_id,
                "deployment_id": deployment_id,
                "input_service_name": service_name,
                "input_service_id": channel_id,
                "output_service_name": output_name,
                "output_service_id": output_id,
                "models": models,
                "model_version": "0.0.1",
                "model_version_id": version_id,
                "retry_count": retry_count,
                "distribution": distribution,
                "user_env_vars": environment,
                "created_at": timestamp(now),
                "modified_at": timestamp(now),
            }
            trigger = _Trigger(document)
            self._triggers[(organization_id, deployment_id, trigger_id)] = trigger
            self._trigger_by_id[trigger_id] = trigger
            return dict(document)

    def list_triggers(self, organization_id: str, deployment_id: str) -> JsonObject:
        with self._lock:
            entries = [
                dict(trigger.document)
                for (org, dep, _), trigger in self._triggers.items()
                if (org, dep) == (organization_id, deployment_id)
            ]
        return {"entries": entries}

    def get_trigger(self, organization_id: str, deployment_id: str, trigger_id: str) -> JsonObject:
        with self._lock:
            return dict(self._trigger(organization_id, deployment_id, trigger_id).document)

    def delete_trigger(
        self, organization_id: str, deployment_id: str, trigger_id: str
    ) -> JsonObject:
        with self._lock:
            self._trigger(organization_id, deployment_id, trigger_id)
            del self._triggers[(organization_id, deployment_id, trigger_id)]
            del self._trigger_by_id[trigger_id]
        return {"message": f"{trigger_id} deleted"}

    def list_runs(
        self,
        organization_id: str,
        deployment_id: str,
        trigger_id: str,
        query: dict[str, str],
    ) -> JsonObject:
        forward = _query_bool(query, "scan_forward")
        with self._lock:
            trigger = self._trigger(organization_id, deployment_id, trigger_id)
            runs = trigger.runs if forward else trigger.runs[::-1]
            offset = 0
            token = query.get("next_page_token")
            if token is not None:
                offset = _read_token(token, f"runs:{trigger_id}:{int(forward)}", len(runs))
            page = runs[offset : offset + self.page_size]
            end = offset + len(page)
            now = self._clock()
            entries = [self._run_document(trigger.document, run, now) for run in page]
        next_token = (
            _make_token(f"runs:{trigger_id}:{int(forward)}", end) if end < len(runs) else None
        )
        return {"entries": entries, "next_page_token": next_token}

    def upload(self, channel_id: str, content: bytes, *, fail: bool) -> list[str]:
        now = self._clock()
        stamp = datetime.fromtimestamp(now, timezone.utc).strftime("%Y%m%dT%H%M%S")
        file_id = f"{stamp}-{uuid.uuid4()}"
        with self._lock:
            self._files.setdefault(channel_id, {})[file_id] = content
            started = []
            for trigger in self._trigger_by_id.values():
                if trigger.document["input_service_id"] == channel_id:
                    run_id = self._ids.run()
                    trigger.runs.append((run_id, now, fail, f"{channel_id}/{file_id}"))
                    started.append(run_id)
        return started

    def upload_file(self, channel_id: str, body: object) -> JsonObject:
        """The emulator's own upload endpoint: ``{"content"?: str, "fail"?: bool}``."""
        fields = _object(body)
        content, fail = fields.get("content", ""), fields.get("fail", False)
        if not set(fields) <= {"content", "fail"}:
            raise bad_request('the body is {"content": str, "fail": bool}, both optional')
        if not isinstance(content, str) or not isinstance(fail, bool):
            raise bad_request('"content" is a str and "fail" a bool')
        run_ids = self.upload(channel_id, content.encode(), fail=fail)
        return {"channel_id": channel_id, "run_ids": run_ids}

    def add_runs(self, trigger_id: str, count: int, *, fail: bool) -> list[str]:
        with self._lock:
            trigger = self._trigger_by_id.get(trigger_id)
            if trigger is None:
                raise KeyError(f"no trigger {trigger_id!r}")
            channel = trigger.document["input_service_id"]
            # Finished runs, one millisecond apart, all older than the runs already there.
            finished_before = self._clock() - 3 * self.run_step_delay
            if trigger.runs:
                finished_before = min(finished_before, trigger.runs[0][1])
            first = finished_before - (count + 1) / 1000
            created = [
                (self._ids.run(), first + index / 1000, fail, f"{channel}/seeded-{index}")
                for index in range(count)
            ]
            trigger.runs[:0] = created
            return [run[0] for run in created]

    def files(self, channel_id: str) -> dict[str, bytes]:
        with self._lock:
            return dict(self._files.get(channel_id, {}))

    def _trigger(self, organization_id: str, deployment_id: str, trigger_id: str) -> _Trigger:
        trigger = self._triggers.get((organization_id, deployment_id, trigger_id))
        if trigger is None:
            raise not_found("trigger", trigger_id)
        return trigger

    def _run_document(
        self, trigger: JsonObject, run: tuple[str, float, bool, str], now: float
    ) -> JsonObject:
        run_id, created, fails, input_path = run
        steps = (now - created) / self.run_step_delay if self.run_step_delay > 0 else 2.0
        if steps < 1:
            status, modified = "PENDING", created
        elif steps < 2:
            status, modified = "RUNNING", created + self.run_step_delay
        else:
            status = "FAILED" if fails else "SUCCEEDED"
            modified = created + 2 * self.run_step_delay
        return {
            "run_id": run_id,
            "trigger_id": trigger["trigger_id"],
            "deployment_id": trigger["deployment_id"],
            "model_version_id": trigger["model_version_id"],
            "models": trigger["models"],
            "input_data": {"$datalake:1": input_path},
            "output_template": None,
            "retry_count": trigger["retry_count"],
            "user_env_vars": trigger["user_env_vars"],
            "status": status,
            "created_at": timestamp(created),
            "modified_at": timestamp(modified),
        }

    # Notebooks ------------------------------------------------------------------------

    def create_notebook(self, organization_id: str, job: str, body: object) -> JsonObject:
        fields = _object(body)
        instance_type = _instance_type(fields, default="cpu-1")
        image = _optional_str(fields, "image") or "abeja-inc/all-cpu:19.10"
        notebook_type = _notebook_type(fields, default=None) or "notebook"
        now = self._clock()
        with self._lock:
            job_id = self._job_ids.setdefault((organization_id, job), self._ids.digits(13))
            notebook_id = self._ids.notebook()
            count = 1 + sum(1 for key in self._notebooks if key[:2] == (organization_id, job))
            document: JsonObject = {
                "job_definition_id": job_id,
                "training_notebook_id": notebook_id,
                "name": f"notebook-{count}",
                "description": None,
                "status": "Pending",
                "status_message": None,
                "instance_type": instance_type,
                "image": image,
                "creator": dict(_CREATOR),
                "created_at": timestamp(now),
                "modified_at": timestamp(now),
            }
            notebook = _Notebook(document, notebook_type, pending_since=now)
            self._notebooks[(organization_id, job, notebook_id)] = notebook
            return self._notebook_document(notebook, now)

    def list_notebooks(self, organization_id: str, job: str) -> JsonObject:
        now = self._clock()
        with self._lock:
            entries = [
                self._notebook_document(notebook, now)
                for key, notebook in self._notebooks.items()
                if key[:2] == (organization_id, job)
            ]
        return {
            "total": len(entries),
            "offset": 0,
            "limit": max(10, len(entries)),
            "entries": entries,
        }

    def get_notebook(self, organization_id: str, job: str, notebook_id: str) -> JsonObject:
        with self._lock:
            notebook = self._notebook(organization_id, job, notebook_id)
            return self._notebook_document(notebook, self._clock())

    def update_notebook(
        self, organization_id: str, job: str, notebook_id: str, body: object
    ) -> JsonObject:
        fields = _object(body)
        instance_type = _instance_type(fields, default=None)
        image = _optional_str(fields, "image")
        notebook_type = _notebook_type(fields, default=None)
        now = self._clock()
        with self._lock:
            notebook = self._notebook(organization_id, job, notebook_id)
            if instance_type is not None:
                notebook.document["instance_type"] = instance_type
            if image is not None:
                notebook.document["image"] = image
            if notebook_type is not None:
                notebook.notebook_type = notebook_type
            notebook.document["modified_at"] = timestamp(now)
            return self._notebook_document(notebook, now)

    def delete_notebook(self, organization_id: str, job: str, notebook_id: str) -> JsonObject:
        with self._lock:
            self._notebook(organization_id, job, notebook_id)
            del self._notebooks[(organization_id, job, notebook_id)]
        return {"value": {"message": f"{notebook_id} deleted"}}

    def start_notebook(
        self, organization_id: str, job: str, notebook_id: str, body: object
    ) -> JsonObject:
        fields = _object(body)
        notebook_type = _notebook_type(fields, default=None)
        now = self._clock()
        with self._lock:
            notebook = self._notebook(organization_id, job, notebook_id)
            self._advance(notebook, now)
            if notebook_type is not None:
                notebook.notebook_type = notebook_type
            if notebook.document["status"] == "Stopped":
                notebook.pending_since, notebook.running_since = now, None
                notebook.stopped_at = None
                notebook.document["status"] = "Pending"
                notebook.document["modified_at"] = timestamp(now)
            return self._notebook_document(notebook, now)

    def stop_notebook(self, organization_id: str, job: str, notebook_id: str) -> JsonObject:
        now = self._clock()
        with self._lock:
            notebook = self._notebook(organization_id, job, notebook_id)
            self._advance(notebook, now)
            if notebook.document["status"] != "Stopped":
                notebook.pending_since, notebook.stopped_at = None, now
                notebook.document["status"] = "Stopped"
                notebook.document["modified_at"] = timestamp(now)
            return self._notebook_document(notebook, now)

    def recent_logs(
        self, organization_id: str, job: str, notebook_id: str, query: dict[str, str]
    ) -> JsonObject:
        with self._lock:
            notebook = self._notebook(organization_id, job, notebook_id)
            self._advance(notebook, self._clock())
            events = notebook.events
            forward = query.get("next_forward_token")
            backward = query.get("next_backward_token")
            if forward is not None:
                start = _read_token(forward, f"logs:{notebook_id}:f", len(events))
                end = min(len(events), start + self.page_size)
            elif backward is not None:
                end = _read_token(backward, f"logs:{notebook_id}:b", len(events))
                start = max(0, end - self.page_size)
            else:
                end = len(events)
                start = max(0, end - self.page_size)
            page = [dict(event) for event in events[start:end]]
        return {
            "events": page,
            "next_forward_token": _make_token(f"logs:{notebook_id}:f", end),
            "next_backward_token": _make_token(f"logs:{notebook_id}:b", start),
        }

    def _notebook(self, organization_id: str, job: str, notebook_id: str) -> _Notebook:
        notebook = self._notebooks.get((organization_id, job, notebook_id))
        if notebook is None:
            raise not_found("notebook", notebook_id)
        return notebook

    def _notebook_document(self, notebook: _Notebook, now: float) -> JsonObject:
        self._advance(notebook, now)
        return {**notebook.document, "creator": dict(notebook.document["creator"])}

    def _advance(self, notebook: _Notebook, now: float) -> None:
        """Bring a notebook's status and log up to ``now``."""
        document = notebook.document
        if notebook.pending_since is not None and document["status"] == "Pending":
            ready = notebook.pending_since + self.notebook_start_delay
            if now >= ready:
                document["status"] = "Running"
                document["modified_at"] = timestamp(ready)
                notebook.running_since = ready
        if notebook.running_since is None:
            return
        until = notebook.stopped_at if notebook.stopped_at is not None else now
        interval = max(self.log_interval, 1e-3)
        while len(notebook.events) < _MAX_LOG_EVENTS:
            index = len(notebook.events)
            moment = notebook.running_since + index * interval
            if moment > until:
                break
            line = _LOG_LINES[min(index, len(_LOG_LINES) - 1)]
            message = line.format(
                image=document["image"],
                kind="JupyterLab" if notebook.notebook_type == "lab" else "Jupyter Notebook",
                instance_type=document["instance_type"],
            )
            notebook.events.append({"message": message, "timestamp": _log_timestamp(moment)})


# Request checks -------------------------------------------------------------------------


def _object(body: object) -> JsonObject:
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise bad_request("the request body must be a JSON object")
    return body


def _required_str(fields: JsonObject, name: str) -> str:
    value = fields.get(name)
    if not isinstance(value, str) or not value:
        raise bad_request(f"{name} is required and must be a non-empty string")
    return value


def _optional_str(fields: JsonObject, name: str) -> Optional[str]:
    value = fields.get(name)
    if value is not None and (not isinstance(value, str) or not value):
        raise bad_request(f"{name} must be a non-empty string")
    return value


def _int_in(fields: JsonObject, name: str, low: int, high: Optional[int], *, default: int) -> int:
    value = fields.get(name, default)
    if value is None:
        return default
    in_range = isinstance(value, int) and not isinstance(value, bool) and value >= low
    if not in_range or (high is not None and value > high):
        allowed = f"{low}..{high}" if high is not None else f">= {low}"
        raise bad_request(f"{name} must be an integer {allowed}, got {value!r}")
    return int(value)


def _str_map(fields: JsonObject, name: str) -> dict[str, str]:
    value = fields.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise bad_request(f"{name} must be an object of string values")
    return dict(value)


def _instance_type(fields: JsonObject, *, default: Optional[str]) -> Optional[str]:
    value = fields.get("instance_type")
    if value is None:
        return default
    if not isinstance(value, str) or not _INSTANCE_TYPE.fullmatch(value):
        raise bad_request(f"instance_type {value!r} is not an instance type such as cpu-1")
    return value


def _notebook_type(fields: JsonObject, *, default: Optional[str]) -> Optional[str]:
    value = fields.get("notebook_type")
    if value is None:
        return default
    if value not in _NOTEBOOK_TYPES:
        raise bad_request(f"notebook_type must be 'notebook' or 'lab', got {value!r}")
    return str(value)


def _query_bool(query: dict[str, str], name: str) -> bool:
    value = query.get(name, "false").lower()
    if value not in ("true", "false", "1", "0"):
        raise bad_request(f"{name} must be true or false, got {query[name]!r}")
    return value in ("true", "1")


def _make_token(scope: str, position: int) -> str:
    return base64.urlsafe_b64encode(f"{scope}:{position}".encode()).decode().rstrip("=")


def _read_token(token: str, scope: str, limit: int) -> int:
    try:
        padded = token + "=" * (-len(token) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        token_scope, _, position = text.rpartition(":")
        value = int(position)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad_request(f"the page token {token!r} is not valid") from None
    if token_scope != scope or not 0 <= value <= limit:
        raise bad_request(f"the page token {token!r} is not valid here")
    return value
