"""A notebook's life: create it, wait until it is Running, read its log, stop it, delete it.

Shows the notebook's active-record methods: ``job.notebooks.create(...)`` returns a
``Notebook`` bound to the client, ``wait_until("Running")`` polls (refreshing the object)
and raises ``WaitTimeoutError`` when time runs out, ``logs()`` iterates over the log
events page by page (``follow=True`` keeps polling for newer ones), and ``stop()`` and
``delete()`` act on it. The notebook is deleted even when a step fails, unless ``--keep``
is given.

Against a local emulator (no account, no network; it starts one in this process)::

    python examples/notebook_session.py --emulator

Against the platform (``ABEJA_API_URL`` and ``PLATFORM_AUTH_TOKEN``, or
``ABEJA_PLATFORM_USER_ID`` + ``ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN``, from the environment)::

    python examples/notebook_session.py --organization 1234567890123 \\
        --job-definition my_job_definition --instance-type cpu-1 --notebook-type lab

Exit status: 0 when the session went through, 1 on a timeout or an API error.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from itertools import islice
from typing import Optional

from _common import deleted_unless_kept, example_parser, parse_example_args, run_with_client

from abeja_models import (
    Client,
    Images,
    InstanceTypes,
    LogEvent,
    Notebook,
    NotebookType,
    WaitTimeoutError,
)
from abeja_models.testing import PlatformEmulator

# What --emulator changes, unless given: ids the emulator accepts, quicker timings, and a
# few log events followed (its notebooks keep writing them).
ON_THE_EMULATOR = {
    "organization": "1234567890123",
    "job_definition": "example_job_definition",
    "timeout": 30.0,
    "poll_interval": 0.05,
    "follow": 3,
}


def notebook_session(client: Client, args: argparse.Namespace) -> int:
    """Run the whole session; returns the exit status."""
    job = client.organization(args.organization).job_definition(args.job_definition)
    # argparse gives a str; the SDK's parameter is Literal["notebook", "lab"].
    notebook_type: NotebookType = "notebook" if args.notebook_type == "notebook" else "lab"
    notebook = job.notebooks.create(
        instance_type=args.instance_type, image=args.image, notebook_type=notebook_type
    )
    print(f"created notebook {notebook.notebook_id} ({notebook.name}): {notebook.status}")
    with deleted_unless_kept(notebook, keep=args.keep):
        try:
            run_and_stop(notebook, args)
        except WaitTimeoutError as error:
            print(f"gave up: {error}", file=sys.stderr)
            return 1
    return 0


def run_and_stop(notebook: Notebook, args: argparse.Namespace) -> None:
    """Wait until the notebook runs, print its log, stop it and wait until it has stopped."""
    began = time.monotonic()
    notebook.wait_until("Running", timeout=args.timeout, poll_interval=args.poll_interval)
    print(f"notebook is {notebook.status} after {time.monotonic() - began:.1f} s")

    events = first_log_events(notebook, args.timeout, args.poll_interval)
    print(f"recent log, {len(events)} event(s):")
    for event in events:
        print_event(event)
    if args.follow:
        # follow=True polls for newer events until the loop is left, so take a few;
        # it starts with the recent events again: skip those already printed.
        print(f"following the log for {args.follow} newer events:")
        following = notebook.logs(follow=True, poll_interval=args.poll_interval)
        seen_until = events[-1].timestamp if events else None
        newer = (e for e in following if seen_until is None or e.timestamp > seen_until)
        for event in islice(newer, args.follow):
            print_event(event)

    notebook.stop()
    notebook.wait_until("Stopped", timeout=args.timeout, poll_interval=args.poll_interval)
    print(f"notebook is {notebook.status}")


def first_log_events(notebook: Notebook, timeout: float, poll_interval: float) -> list[LogEvent]:
    """The notebook's recent log events, waiting for its first line if there is none yet.

    ``logs()`` ends at the first page with nothing new; ``logs(follow=True)`` would keep
    polling for newer lines until the loop is left.
    """
    give_up_at = time.monotonic() + timeout
    while True:
        events = list(notebook.logs())
        if events or time.monotonic() >= give_up_at:
            return events
        time.sleep(poll_interval)


def print_event(event: LogEvent) -> None:
    """One log line: the time (UTC, to the millisecond) and the message."""
    print(f"  {event.timestamp:%H:%M:%S.%f}"[:-3], event.message)


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = example_parser(__doc__)
    parser.add_argument("--job-definition", help="training job definition name")
    parser.add_argument("--instance-type", default=InstanceTypes.CPU_1, help="e.g. cpu-1")
    parser.add_argument("--image", default=Images.ALL_CPU_19_10, help="notebook image")
    parser.add_argument("--notebook-type", choices=("notebook", "lab"), default="lab")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds for each status")
    parser.add_argument("--poll-interval", type=float, default=5.0, help="seconds between polls")
    parser.add_argument(
        "--follow",
        type=int,
        default=0,
        metavar="EVENTS",
        help="then follow the log for this many newer events (default 0; 3 with --emulator)",
    )
    parser.add_argument("--keep", action="store_true", help="do not delete the notebook")
    needed = ("organization", "job_definition")
    return parse_example_args(parser, argv, needed=needed, on_the_emulator=ON_THE_EMULATOR)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    emulator = None
    if args.emulator:
        # Notebooks that start, and write their log, quickly.
        emulator = PlatformEmulator(notebook_start_delay=0.2, log_interval=0.05)
    return run_with_client(lambda client: notebook_session(client, args), emulator)


if __name__ == "__main__":
    sys.exit(main())
