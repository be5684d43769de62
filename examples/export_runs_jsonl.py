"""Export a trigger's runs to a JSON-lines file, load them back, and check nothing was lost.

``trigger.runs()`` pages through the whole history lazily (following
``next_page_token``), ``run.to_json()`` writes each run as the platform's JSON (fields the
SDK does not know included), and ``TriggerRun.model_validate_json`` reads a line back
into an equal ``TriggerRun``. The script compares every loaded run with the one exported.

Against a local emulator (no account, no network; it starts one in this process, with a
trigger that has 125 runs, three pages of them)::

    python examples/export_runs_jsonl.py --emulator

Against the platform (``ABEJA_API_URL`` and ``PLATFORM_AUTH_TOKEN``, or
``ABEJA_PLATFORM_USER_ID`` + ``ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN``, from the environment)::

    python examples/export_runs_jsonl.py --organization 1234567890123 \\
        --deployment 1111111111111 --trigger tri-3333333333333333 --output runs.jsonl

Exit status: 0 when the file loads back equal, 1 if not or on an API error.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Optional

from _common import example_parser, parse_example_args, run_with_client

from abeja_models import Client, Trigger, TriggerRun
from abeja_models.testing import PlatformEmulator

# What --emulator changes, unless given: ids the emulator accepts (it makes the trigger).
ON_THE_EMULATOR = {"organization": "1234567890123", "deployment": "1111111111111"}


def export_runs(runs: Iterable[TriggerRun], path: Path) -> list[TriggerRun]:
    """Write one run per line as JSON; returns the runs written."""
    written = []
    with path.open("w", encoding="utf-8") as out:
        for run in runs:
            out.write(run.to_json() + "\n")
            written.append(run)
    return written


def load_runs(path: Path) -> list[TriggerRun]:
    """Read the runs back from a JSON-lines file."""
    with path.open(encoding="utf-8") as lines:
        return [TriggerRun.model_validate_json(line) for line in lines if line.strip()]


def export_and_check(trigger: Trigger, path: Path) -> int:
    """Export the trigger's runs, oldest first, then load and compare; returns the status."""
    exported = export_runs(trigger.runs(scan_forward=True), path)
    print(f"exported {len(exported)} runs of {trigger.trigger_id} to {path}")
    if exported:
        print(f"first line: {exported[0].to_json()}")

    loaded = load_runs(path)
    print(f"loaded {len(loaded)} runs back from {path.name}")
    differences = [
        index for index, (before, after) in enumerate(zip(exported, loaded)) if before != after
    ]
    if len(loaded) != len(exported) or differences:
        print(f"round trip FAILED: {len(differences)} runs differ", file=sys.stderr)
        return 1
    statuses = sorted({run.status for run in loaded})
    print(f"round trip OK: all {len(loaded)} runs equal (statuses: {', '.join(statuses)})")
    return 0


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = example_parser(__doc__)
    parser.add_argument("--deployment", help="deployment id")
    parser.add_argument("--trigger", help="trigger id (tri-...)")
    parser.add_argument(
        "--output",
        type=Path,
        help="the JSON-lines file (default runs-<trigger>.jsonl; a temporary file with --emulator)",
    )
    needed = ("organization", "deployment", "trigger")
    return parse_example_args(parser, argv, needed=needed, on_the_emulator=ON_THE_EMULATOR)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    if not args.emulator:
        return run_with_client(lambda client: export(client, args))
    emulator = PlatformEmulator()  # its runs are added finished: no delay matters
    return run_with_client(lambda client: export_from_emulator(client, emulator, args), emulator)


def export(client: Client, args: argparse.Namespace) -> int:
    """Export the runs of the trigger ``--trigger`` names."""
    deployment = client.organization(args.organization).deployment(args.deployment)
    trigger = deployment.triggers.get(args.trigger)
    return export_and_check(trigger, args.output or Path(f"runs-{args.trigger}.jsonl"))


def export_from_emulator(
    client: Client, emulator: PlatformEmulator, args: argparse.Namespace
) -> int:
    """Make a trigger with a history of finished runs on the emulator, and export them."""
    deployment = client.organization(args.organization).deployment(args.deployment)
    trigger = deployment.triggers.create(
        version_id="ver-1111111111111111",
        input_service_id="2222222222222",
        environment={"EXAMPLE": "export_runs_jsonl"},
    )
    # Some of them failed, as on a real trigger.
    emulator.add_runs(trigger.trigger_id, 120)
    emulator.add_runs(trigger.trigger_id, 5, fail=True)
    if args.output is not None:
        return export_and_check(trigger, args.output)
    with tempfile.TemporaryDirectory() as directory:
        return export_and_check(trigger, Path(directory) / "runs.jsonl")


if __name__ == "__main__":
    sys.exit(main())
