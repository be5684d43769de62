"""Set up a trigger, put data into its DataLake channel, and watch the runs until they finish.

A trigger runs a deployed model version on every file that lands in a DataLake channel.
This script creates one, uploads files to the channel, polls ``trigger.runs()`` until
every run it started has ``SUCCEEDED`` or ``FAILED``, prints them, and deletes the
trigger (``--keep`` leaves it in place).

Against a local emulator (no account, no network; it starts one in this process)::

    python examples/trigger_and_runs.py --emulator

Against the platform (``ABEJA_API_URL`` and ``PLATFORM_AUTH_TOKEN``, or
``ABEJA_PLATFORM_USER_ID`` + ``ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN``, from the environment)::

    python examples/trigger_and_runs.py --organization 1234567890123 \\
        --deployment 1111111111111 --version ver-1111111111111111 \\
        --channel 2222222222222 --upload image1.jpg --upload image2.jpg

Uploading to the DataLake is not part of this SDK: on the platform, ``--upload`` uses the
platform's own SDK (``pip install abeja-sdk``). Without ``--upload`` the script waits for
``--expect`` runs started by data that arrives some other way.

Exit status: 0 when every run succeeded, 1 on a failed run, a timeout or an API error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Callable, Optional

from _common import deleted_unless_kept, example_parser, parse_example_args, run_with_client

from abeja_models import Client, Trigger, TriggerRun
from abeja_models.testing import PlatformEmulator

FINISHED = {"SUCCEEDED", "FAILED"}

# What --emulator uses: any ids do, the emulator creates what it is asked for.
# What --emulator changes, unless given: ids the emulator accepts, quicker timings.
ON_THE_EMULATOR = {
    "organization": "1234567890123",
    "deployment": "1111111111111",
    "version": "ver-1111111111111111",
    "channel": "2222222222222",
    "timeout": 30.0,
    "poll_interval": 0.1,
}

Upload = Callable[[str, Path], None]
"""Puts one file into a DataLake channel: ``upload(channel_id, path)``."""


def watch_trigger(
    client: Client,
    args: argparse.Namespace,
    files: Sequence[Path],
    upload: Optional[Upload],
) -> int:
    """Create the trigger, upload ``files``, follow the runs; returns the exit status."""
    deployment = client.organization(args.organization).deployment(args.deployment)
    trigger = deployment.triggers.create(
        version_id=args.version,
        input_service_id=args.channel,
        model_id=args.model,
        retry_count=3,
        environment={"EXAMPLE": "trigger_and_runs"},
    )
    print(f"created trigger {trigger.trigger_id} on channel {trigger.input_service_id}")
    with deleted_unless_kept(trigger, keep=args.keep):
        # Runs that exist already are not ours (there are none on a new trigger, but a
        # trigger's channel can also receive data from elsewhere).
        earlier = {run.run_id for run in trigger.runs()}
        if upload is not None:
            for path in files:
                upload(args.channel, path)
                print(f"uploaded {path.name} to channel {args.channel}")
        expected = len(files) if upload is not None else args.expect
        runs = wait_for_runs(trigger, earlier, expected, args.timeout, args.poll_interval)
        return report(runs, args.timeout)


def report(runs: Optional[list[TriggerRun]], timeout: float) -> int:
    """Print the finished runs; returns the exit status."""
    if runs is None:
        print(f"timed out after {timeout:g} s", file=sys.stderr)
        return 1
    for run in runs:
        took = (run.modified_at - run.created_at).total_seconds()
        inputs = ", ".join(run.input_data.values())
        print(f"  {run.run_id}  {run.status:<9}  {took:6.2f} s  {inputs}")
    failed = [run.run_id for run in runs if run.status != "SUCCEEDED"]
    if failed:
        print(f"{len(failed)} of {len(runs)} runs failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"all {len(runs)} runs SUCCEEDED")
    return 0


def wait_for_runs(
    trigger: Trigger,
    earlier: set[str],
    expected: int,
    timeout: float,
    poll_interval: float,
) -> Optional[list[TriggerRun]]:
    """Poll until ``expected`` new runs exist and all have finished; ``None`` on timeout.

    Status counts are printed each time they change.
    """
    give_up_at = time.monotonic() + timeout
    shown = ""
    while True:
        # Oldest first, so the runs are listed in upload order.
        runs = [run for run in trigger.runs(scan_forward=True) if run.run_id not in earlier]
        counts = Counter(run.status for run in runs)
        line = "  ".join(f"{status}={count}" for status, count in sorted(counts.items()))
        if line != shown:
            print(f"runs: {line or 'none yet'}")
            shown = line
        if len(runs) >= expected and all(run.status in FINISHED for run in runs):
            return runs
        if time.monotonic() >= give_up_at:
            return None
        time.sleep(poll_interval)


def upload_with_abeja_sdk(organization_id: str) -> Upload:
    """An uploader that uses the platform's own SDK (``abeja-sdk``) for the DataLake."""
    try:
        # Imported by name: abeja-sdk is optional here, and it ships no type hints.
        datalake_module = importlib.import_module("abeja.datalake")
    except ImportError:
        sys.exit("--upload needs the platform's SDK for the DataLake: pip install abeja-sdk")
    datalake = datalake_module.Client(organization_id)

    def upload(channel_id: str, path: Path) -> None:
        datalake.get_channel(channel_id).upload_file(str(path))

    return upload


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = example_parser(__doc__)
    parser.add_argument("--deployment", help="deployment id")
    parser.add_argument("--version", help="deployment version to run (ver-...)")
    parser.add_argument("--channel", help="DataLake channel id the trigger watches")
    parser.add_argument("--model", help="training model id to attach (optional)")
    parser.add_argument(
        "--upload",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="a file to upload to the channel (repeatable)",
    )
    parser.add_argument(
        "--expect",
        type=int,
        default=1,
        help="without --upload: how many new runs to wait for (default 1)",
    )
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds to wait for runs")
    parser.add_argument("--poll-interval", type=float, default=10.0, help="seconds between polls")
    parser.add_argument("--keep", action="store_true", help="do not delete the trigger")
    needed = ("organization", "deployment", "version", "channel")
    return parse_example_args(parser, argv, needed=needed, on_the_emulator=ON_THE_EMULATOR)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    if not args.emulator:
        upload = upload_with_abeja_sdk(args.organization) if args.upload else None
        return run_with_client(lambda client: watch_trigger(client, args, args.upload, upload))

    emulator = PlatformEmulator(run_step_delay=0.1)  # runs that move along quickly

    def upload_to_emulator(channel_id: str, path: Path) -> None:
        content = path.read_bytes() if path.is_file() else path.name.encode()
        emulator.upload(channel_id, content)

    # Without --upload, three made-up files are enough to show the runs.
    files = args.upload or [Path(f"sample-{index}.jpg") for index in range(1, 4)]
    return run_with_client(
        lambda client: watch_trigger(client, args, files, upload_to_emulator), emulator
    )


if __name__ == "__main__":
    sys.exit(main())
