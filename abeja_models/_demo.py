"""``abeja-models demo``: the whole SDK, start to finish, against an in-process emulator."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from typing import TextIO

from .errors import ValidationError
from .models import Images, InstanceTypes, Notebook, Trigger
from .resources import Client, Notebooks, Triggers
from .testing import PlatformEmulator

ORGANIZATION = "1234567890123"
DEPLOYMENT = "1111111111111"
CHANNEL = "2222222222222"
JOB_DEFINITION = "demo_job_definition"
UPLOADS = 5
SEEDED_RUNS = 120
PAGE_SIZE = 50


class _Story:
    """Numbered steps and indented results, flushed as they happen."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._steps = itertools.count(1)
        self.live = out.isatty()
        """Whether the output is a terminal, where progress is redrawn in place."""

    def step(self, text: str) -> None:
        self._write(f"\n{next(self._steps)}. {text}\n")

    def say(self, text: str) -> None:
        self._write(f"   {text}\n")

    def progress(self, text: str) -> None:
        """A line redrawn in place on a terminal; elsewhere, printed once per change."""
        self._write(f"\r   {text}" if self.live else f"   {text}\n")

    def end_progress(self, text: str) -> None:
        self._write(f"\r   {text}\033[K\n" if self.live else f"   {text}\n")

    def _write(self, text: str) -> None:
        self._out.write(text)
        self._out.flush()


def run_demo(out: TextIO) -> int:
    """Tell the story of a trigger and a notebook; returns the exit code."""
    story = _Story(out)
    began = time.monotonic()
    story.say("abeja-models demo: the SDK against a local platform emulator")
    story.say("(no account, no network: everything runs on 127.0.0.1)")
    emulator = PlatformEmulator(
        page_size=PAGE_SIZE, notebook_start_delay=1.5, run_step_delay=0.4, log_interval=0.15
    )
    with emulator, Client(base_url=emulator.url, auth_token="demo-token") as client:
        story.step(f"Emulator listening on {emulator.url}")
        organization = client.organization(ORGANIZATION)
        trigger = _trigger_story(story, emulator, organization.deployment(DEPLOYMENT).triggers)
        notebook = _notebook_story(story, organization.job_definition(JOB_DEFINITION).notebooks)
        _safety_story(story, emulator, client)
        story.step("Cleaning up")
        trigger.delete()
        notebook.delete()
        story.say(f"deleted trigger {trigger.trigger_id} and notebook {notebook.notebook_id}")
        left = len(organization.deployment(DEPLOYMENT).triggers.list())
        story.say(f"triggers left on the deployment: {left}")
    story.step(f"Done in {time.monotonic() - began:.1f} s.")
    return 0


def _trigger_story(story: _Story, emulator: PlatformEmulator, triggers: Triggers) -> Trigger:
    story.step(f"Create a trigger: run a model whenever data lands in channel {CHANNEL}")
    trigger = triggers.create(
        version_id="ver-1111111111111111",
        input_service_id=CHANNEL,
        model_id="3333333333333",
        retry_count=3,
        environment={"DEBUG": "debug"},
    )
    story.say(
        f"{trigger.trigger_id}  retry_count={trigger.retry_count}  env={trigger.user_env_vars}"
    )

    story.step(f"Upload {UPLOADS} files to the channel: each one starts a run")
    run_ids = [
        run_id for index in range(UPLOADS) for run_id in emulator.upload(CHANNEL, b"%d" % index)
    ]
    story.say(f"runs started: {', '.join(run_ids[:2])}, ... ({len(run_ids)} in all)")

    story.step("Watch the runs move PENDING -> RUNNING -> SUCCEEDED")
    last = ""
    while True:
        statuses = Counter(run.status for run in trigger.runs())
        line = "  ".join(f"{status}={count}" for status, count in sorted(statuses.items()))
        if line != last:
            story.say(line)
            last = line
        if set(statuses) == {"SUCCEEDED"}:
            break
        time.sleep(0.1)

    story.step(f"Page through the history: {SEEDED_RUNS} older runs, {PAGE_SIZE} a page")
    emulator.add_runs(trigger.trigger_id, SEEDED_RUNS)
    emulator.clear_requests()
    runs = trigger.runs(scan_forward=True)
    first = next(runs)
    story.say(f"first run {first.run_id} arrived after {emulator.count('GET', '/runs$')} request")
    total = 1 + sum(1 for _ in runs)
    story.say(f"{total} runs in {emulator.count('GET', '/runs$')} requests (next_page_token)")
    story.say(f"as JSON: {first.to_json()[:96]}...")
    return trigger


def _notebook_story(story: _Story, notebooks: Notebooks) -> Notebook:
    story.step("Create a JupyterLab notebook")
    notebook = notebooks.create(
        instance_type=InstanceTypes.CPU_1, image=Images.ALL_CPU_19_10, notebook_type="lab"
    )
    story.say(f"notebook {notebook.notebook_id} ({notebook.name}) is {notebook.status}")

    story.step("Wait for it to be Running")
    spinner = itertools.cycle("|/-\\")
    began = time.monotonic()
    shown = ""
    while notebook.status != "Running":
        if notebook.status != shown or story.live:
            story.progress(f"{next(spinner)} {notebook.status} {time.monotonic() - began:4.1f} s")
            shown = notebook.status
        time.sleep(0.1)
        notebook.refresh()
    story.end_progress(f"Running after {time.monotonic() - began:.1f} s")

    story.step("Tail its log")
    time.sleep(0.6)
    for event in notebook.logs():
        story.say(f"{event.timestamp:%H:%M:%S.%f}"[:-3] + f"  {event.message}")

    story.step("Stop it, move it to a bigger instance, read it back")
    notebook.stop()
    story.say(f"status {notebook.status}")
    notebook.update(instance_type=InstanceTypes.CPU_2)
    story.say(f"instance_type {notebook.instance_type}")
    return notebook


def _safety_story(story: _Story, emulator: PlatformEmulator, client: Client) -> None:
    story.step("Mistakes are caught before anything is sent")
    triggers = client.organization(ORGANIZATION).deployment(DEPLOYMENT).triggers
    emulator.clear_requests()
    try:
        triggers.create(version_id="ver-1", input_service_id=CHANNEL, retry_count=12)
    except ValidationError as error:
        story.say(f"ValidationError: {error}")
    try:
        triggers.get("../../admin")
    except ValidationError as error:
        story.say(f"ValidationError: {error}")
    story.say(f"requests sent: {len(emulator.requests)}")

    story.step("Passing failures are retried, with backoff, where that is safe")
    emulator.inject_fault("GET", "/triggers$", status=503, retry_after=0.2, times=2)
    fast = client.with_options(max_retries=3)
    listed = fast.organization(ORGANIZATION).deployment(DEPLOYMENT).triggers.list()
    story.say(
        f"two 503s with Retry-After, then {len(listed)} trigger listed"
        f" after {emulator.count('GET', '/triggers$')} attempts"
    )
