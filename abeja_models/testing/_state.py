"""The emulated platform's data and its endpoints, with no HTTP: one method per endpoint.

Each method takes the ids of its URL path, then the decoded query or JSON body when the
endpoint reads one, and returns the answer's JSON document or raises ``ApiProblem``.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Callable

from ._records import Ids, Notebook, Run, Trigger
from ._rules import (
    JsonObject,
    bad_request,
    instance_type,
    int_in,
    json_object,
    make_token,
    not_found,
    notebook_type,
    optional_str,
    query_bool,
    read_token,
    required_str,
    str_map,
)


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
        self.clock = clock
        """The time now, in seconds since the epoch (the seed sets it back a while)."""
        self._lock = threading.RLock()
        self._ids = Ids()
        self.reset()

    def draw_ids_from(self, first: int) -> None:
        """Give the next resources ids counted from ``first`` (ids start at random)."""
        self._ids.continue_from(first)

    def reset(self) -> None:
        """Forget every trigger, run, notebook and uploaded file."""
        with self._lock:
            self._triggers: dict[str, Trigger] = {}
            self._notebooks: dict[tuple[str, str, str], Notebook] = {}
            self._job_ids: dict[tuple[str, str], str] = {}
            self._files: dict[str, dict[str, bytes]] = {}

    # Triggers -------------------------------------------------------------------------

    def create_trigger(self, organization_id: str, deployment_id: str, body: object) -> JsonObject:
        """``POST .../deployments/{deployment_id}/triggers``."""
        fields = json_object(body)
        version_id = required_str(fields, "version_id")
        if required_str(fields, "input_service_name") != "datalake":
            raise bad_request("input_service_name: only 'datalake' is available")
        channel_id = required_str(fields, "input_service_id")
        retry_count = int_in(fields, "retry_count", 0, 9, default=5)
        distribution = int_in(fields, "distribution", 0, None, default=0)
        output_name = optional_str(fields, "output_service_name")
        output_id = optional_str(fields, "output_service_id")
        if (output_name is None) != (output_id is None):
            raise bad_request("output_service_name and output_service_id go together")
        environment = str_map(fields, "environment")
        models = str_map(fields, "models")
        now = self.clock()
        with self._lock:
            trigger = Trigger(
                trigger_id=self._ids.trigger(),
                organization_id=organization_id,
                deployment_id=deployment_id,
                channel_id=channel_id,
                output_service_name=output_name,
                output_service_id=output_id,
                version_id=version_id,
                models=models,
                retry_count=retry_count,
                environment=environment,
                created=now,
            )
            self._triggers[trigger.trigger_id] = trigger
            # Of the reference documents' answers, only this one shows the distribution.
            return {**trigger.document(), "distribution": distribution}

    def list_triggers(self, organization_id: str, deployment_id: str) -> JsonObject:
        """``GET .../deployments/{deployment_id}/triggers``."""
        with self._lock:
            entries = [
                trigger.document()
                for trigger in self._triggers.values()
                if (trigger.organization_id, trigger.deployment_id)
                == (organization_id, deployment_id)
            ]
        return {"entries": entries}

    def get_trigger(self, organization_id: str, deployment_id: str, trigger_id: str) -> JsonObject:
        """``GET .../triggers/{trigger_id}``."""
        with self._lock:
            return self._trigger(organization_id, deployment_id, trigger_id).document()

    def delete_trigger(
        self, organization_id: str, deployment_id: str, trigger_id: str
    ) -> JsonObject:
        """``DELETE .../triggers/{trigger_id}``."""
        with self._lock:
            self._trigger(organization_id, deployment_id, trigger_id)
            del self._triggers[trigger_id]
        return {"message": f"{trigger_id} deleted"}

    def list_runs(
        self,
        organization_id: str,
        deployment_id: str,
        trigger_id: str,
        query: Mapping[str, str],
    ) -> JsonObject:
        """``GET .../triggers/{trigger_id}/runs``: a page, newest first unless scan_forward."""
        forward = query_bool(query, "scan_forward")
        scope = f"runs:{trigger_id}:{int(forward)}"
        with self._lock:
            trigger = self._trigger(organization_id, deployment_id, trigger_id)
            runs, total = trigger.runs, len(trigger.runs)
            offset = 0
            token = query.get("next_page_token")
            if token is not None:
                offset = read_token(token, scope, total)
            if forward:
                page = runs[offset : offset + self.page_size]
            else:  # newest first: the page is cut from the end, never the whole list copied
                page = runs[max(0, total - offset - self.page_size) : total - offset][::-1]
            end = offset + len(page)
            now = self.clock()
            entries = [trigger.run_document(run, now, self.run_step_delay) for run in page]
        next_token = make_token(scope, end) if end < len(runs) else None
        return {"entries": entries, "next_page_token": next_token}

    def upload(self, channel_id: str, content: bytes, *, fail: bool) -> list[str]:
        """Put a file into a channel and start a run on every trigger watching it."""
        now = self.clock()
        stamp = datetime.fromtimestamp(now, timezone.utc).strftime("%Y%m%dT%H%M%S")
        file_id = f"{stamp}-{uuid.uuid4()}"
        with self._lock:
            self._files.setdefault(channel_id, {})[file_id] = content
            started = []
            for trigger in self._triggers.values():
                if trigger.channel_id == channel_id:
                    run = Run(self._ids.run(), now, fail, f"{channel_id}/{file_id}")
                    trigger.runs.append(run)
                    started.append(run.run_id)
        return started

    def upload_file(self, channel_id: str, body: object) -> JsonObject:
        """The emulator's own upload endpoint: ``{"content"?: str, "fail"?: bool}``."""
        fields = json_object(body)
        content, fail = fields.get("content", ""), fields.get("fail", False)
        if not set(fields) <= {"content", "fail"}:
            raise bad_request('the body is {"content": str, "fail": bool}, both optional')
        if not isinstance(content, str) or not isinstance(fail, bool):
            raise bad_request('"content" is a str and "fail" a bool')
        run_ids = self.upload(channel_id, content.encode(), fail=fail)
        return {"channel_id": channel_id, "run_ids": run_ids}

    def add_runs(self, trigger_id: str, count: int, *, fail: bool) -> list[str]:
        """Give a trigger ``count`` finished runs, older than the runs it has."""
        with self._lock:
            trigger = self._triggers.get(trigger_id)
            if trigger is None:
                raise KeyError(f"no trigger {trigger_id!r}")
            # Finished runs, one millisecond apart, all older than the runs already there.
            finished_before = self.clock() - 3 * self.run_step_delay
            if trigger.runs:
                finished_before = min(finished_before, trigger.runs[0].created)
            first = finished_before - (count + 1) / 1000
            path = f"{trigger.channel_id}/seeded-"
            created = [
                Run(self._ids.run(), first + index / 1000, fail, f"{path}{index}")
                for index in range(count)
            ]
            trigger.runs[:0] = created
            return [run.run_id for run in created]

    def files(self, channel_id: str) -> dict[str, bytes]:
        """The files uploaded to a channel, by file id."""
        with self._lock:
            return dict(self._files.get(channel_id, {}))

    def _trigger(self, organization_id: str, deployment_id: str, trigger_id: str) -> Trigger:
        trigger = self._triggers.get(trigger_id)
        if trigger is None or (trigger.organization_id, trigger.deployment_id) != (
            organization_id,
            deployment_id,
        ):
            raise not_found("trigger", trigger_id)
        return trigger

    # Notebooks ------------------------------------------------------------------------

    def create_notebook(
        self, organization_id: str, job_definition_name: str, body: object
    ) -> JsonObject:
        """``POST .../training/definitions/{job_definition_name}/notebooks``."""
        fields = json_object(body)
        instance = instance_type(fields) or "cpu-1"
        image = optional_str(fields, "image") or "abeja-inc/all-cpu:19.10"
        kind = notebook_type(fields) or "notebook"
        now = self.clock()
        with self._lock:
            # A job id is drawn on every create, kept only the first time: the seed's
            # fixed ids count on it.
            job = self._job_ids.setdefault(
                (organization_id, job_definition_name), self._ids.digits(13)
            )
            siblings = self._notebooks_of(organization_id, job_definition_name)
            notebook = Notebook(
                organization_id=organization_id,
                job_definition_name=job_definition_name,
                job_definition_id=job,
                notebook_id=self._ids.notebook(),
                name=f"notebook-{1 + len(siblings)}",
                instance_type=instance,
                image=image,
                notebook_type=kind,
                created=now,
                modified=now,
                pending_since=now,
            )
            key = (organization_id, job_definition_name, notebook.notebook_id)
            self._notebooks[key] = notebook
            return self._notebook_document(notebook, now)

    def list_notebooks(self, organization_id: str, job_definition_name: str) -> JsonObject:
        """``GET .../training/definitions/{job_definition_name}/notebooks``."""
        now = self.clock()
        with self._lock:
            entries = [
                self._notebook_document(notebook, now)
                for notebook in self._notebooks_of(organization_id, job_definition_name)
            ]
        return {
            "total": len(entries),
            "offset": 0,
            "limit": max(10, len(entries)),
            "entries": entries,
        }

    def get_notebook(
        self, organization_id: str, job_definition_name: str, notebook_id: str
    ) -> JsonObject:
        """``GET .../notebooks/{notebook_id}``."""
        with self._lock:
            notebook = self._notebook(organization_id, job_definition_name, notebook_id)
            return self._notebook_document(notebook, self.clock())

    def update_notebook(
        self, organization_id: str, job_definition_name: str, notebook_id: str, body: object
    ) -> JsonObject:
        """``PUT .../notebooks/{notebook_id}``: instance type, image, notebook type."""
        fields = json_object(body)
        instance = instance_type(fields)
        image = optional_str(fields, "image")
        kind = notebook_type(fields)
        now = self.clock()
        with self._lock:
            notebook = self._notebook(organization_id, job_definition_name, notebook_id)
            if instance is not None:
                notebook.instance_type = instance
            if image is not None:
                notebook.image = image
            if kind is not None:
                notebook.notebook_type = kind
            notebook.modified = now
            return self._notebook_document(notebook, now)

    def delete_notebook(
        self, organization_id: str, job_definition_name: str, notebook_id: str
    ) -> JsonObject:
        """``DELETE .../notebooks/{notebook_id}``."""
        with self._lock:
            self._notebook(organization_id, job_definition_name, notebook_id)
            del self._notebooks[(organization_id, job_definition_name, notebook_id)]
        return {"value": {"message": f"{notebook_id} deleted"}}

    def start_notebook(
        self, organization_id: str, job_definition_name: str, notebook_id: str, body: object
    ) -> JsonObject:
        """``POST .../notebooks/{notebook_id}/start``, optionally as another notebook type."""
        kind = notebook_type(json_object(body))
        now = self.clock()
        with self._lock:
            notebook = self._notebook(organization_id, job_definition_name, notebook_id)
            self._advance(notebook, now)
            if kind is not None:
                notebook.notebook_type = kind
            notebook.start(now)
            return self._notebook_document(notebook, now)

    def stop_notebook(
        self, organization_id: str, job_definition_name: str, notebook_id: str
    ) -> JsonObject:
        """``POST .../notebooks/{notebook_id}/stop``."""
        now = self.clock()
        with self._lock:
            notebook = self._notebook(organization_id, job_definition_name, notebook_id)
            self._advance(notebook, now)
            notebook.stop(now)
            return self._notebook_document(notebook, now)

    def recent_logs(
        self,
        organization_id: str,
        job_definition_name: str,
        notebook_id: str,
        query: Mapping[str, str],
    ) -> JsonObject:
        """``GET .../notebooks/{notebook_id}/recentlogs``: the latest page, or one by token."""
        forward_scope, backward_scope = f"logs:{notebook_id}:f", f"logs:{notebook_id}:b"
        with self._lock:
            notebook = self._notebook(organization_id, job_definition_name, notebook_id)
            self._advance(notebook, self.clock())
            events = notebook.events
            forward = query.get("next_forward_token")
            backward = query.get("next_backward_token")
            if forward is not None:
                start = read_token(forward, forward_scope, len(events))
                end = min(len(events), start + self.page_size)
            elif backward is not None:
                end = read_token(backward, backward_scope, len(events))
                start = max(0, end - self.page_size)
            else:
                end = len(events)
                start = max(0, end - self.page_size)
            page = [event.document() for event in events[start:end]]
        return {
            "events": page,
            "next_forward_token": make_token(forward_scope, end),
            "next_backward_token": make_token(backward_scope, start),
        }

    def _notebooks_of(self, organization_id: str, job_definition_name: str) -> list[Notebook]:
        return [
            notebook
            for notebook in self._notebooks.values()
            if (notebook.organization_id, notebook.job_definition_name)
            == (organization_id, job_definition_name)
        ]

    def _notebook(
        self, organization_id: str, job_definition_name: str, notebook_id: str
    ) -> Notebook:
        notebook = self._notebooks.get((organization_id, job_definition_name, notebook_id))
        if notebook is None:
            raise not_found("notebook", notebook_id)
        return notebook

    def _notebook_document(self, notebook: Notebook, now: float) -> JsonObject:
        self._advance(notebook, now)
        return notebook.document()

    def _advance(self, notebook: Notebook, now: float) -> None:
        notebook.advance(now, self.notebook_start_delay, self.log_interval)
