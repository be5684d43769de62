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
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Optional

from abeja_models import AbejaError, Client, Trigger, TriggerRun
from abeja_models.testing import PlatformEmulator

EMULATOR_ORGANIZATION = "1234567890123"
EMULATOR_DEPLOYMENT = "1111111111111"


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
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--emulator", action="store_true", help="use a local emulator")
    parser.add_argument(
        "--organization",
        default=os.environ.get("ABEJA_ORGANIZATION_ID"),
        help="organization id (default $ABEJA_ORGANIZATION_ID)",
    )
    parser.add_argument("--deployment", help="deployment id")
    parser.add_argument("--trigger", help="trigger id (tri-...)")
    parser.add_argument(
        "--output",
        type=Path,
        help="the JSON-lines file (default runs-<trigger>.jsonl; a temporary file with --emulator)",
    )
    args = parser.parse_args(argv)
    if not args.emulator:
        missing = [
            f"--{name}"
            for name in ("organization", "deployment", "trigger")
            if not getattr(args, name)
        ]
        if missing:
            parser.error(f"give {', '.join(missing)} (or run with --emulator)")
    return args


def run_on_emulator(output: Optional[Path]) -> int:
    """Make a trigger with finished runs on a local emulator and export them."""
    emulator = PlatformEmulator()  # its runs are added finished: no delay matters
    with emulator, Client(base_url=emulator.url, auth_token="example-token") as client:
        print(f"emulator listening on {emulator.url}")
        deployment = client.organization(EMULATOR_ORGANIZATION).deployment(EMULATOR_DEPLOYMENT)
        trigger = deployment.triggers.create(
            version_id="ver-1111111111111111",
            input_service_id="2222222222222",
            environment={"EXAMPLE": "export_runs_jsonl"},
        )
        # A history of finished runs, some of them failed, as a real trigger would have.
        emulator.add_runs(trigger.trigger_id, 120)
        emulator.add_runs(trigger.trigger_id, 5, fail=True)
        if output is not None:
            return export_and_check(trigger, output)
        with tempfile.TemporaryDirectory() as directory:
            return export_and_check(trigger, Path(directory) / "runs.jsonl")


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    try:
        if args.emulator:
            return run_on_emulator(args.output)
        with Client() as client:
            deployment = client.organization(args.organization).deployment(args.deployment)
            trigger = deployment.triggers.get(args.trigger)
            return export_and_check(trigger, args.output or Path(f"runs-{args.trigger}.jsonl"))
    except AbejaError as error:
        print(f"error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
