"""The two profiling scripts run to their end and print every row they promise.

As for ``run.py``, no time is compared with anything: only that the scripts still work
with the code as it stands (they reach into the same calls the SDK makes).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _run(script: str, *arguments: str) -> str:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *arguments],
        capture_output=True, text=True, timeout=300, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_profile_get_gives_each_layer_its_share() -> None:
    report = _run("profile_get.py", "--calls", "50")
    assert re.search(r"^50 typed gets under cProfile: [0-9]+ us per call$", report, re.M)
    for layer in ("abeja_models", "pydantic", "requests", "urllib3"):
        assert re.search(rf"^  {re.escape(layer)} +[0-9.]+ us +[0-9.]+%$", report, re.M), layer


def test_profile_page_times_each_part_and_counts_the_collections() -> None:
    report = _run("profile_page.py", "--pages", "3")
    rows = [
        "typed page through triggers.runs()",
        "its parse (pydantic_core.from_json)",
        "its parse, then each run validated",
        "not kept: the whole page validated at once",
    ]
    for row in rows:
        timing = r"median +[0-9.]+ ms  mean +[0-9.]+ ms  collections [0-9]+/[0-9]+/[0-9]+"
        assert re.search(rf"^ +{re.escape(row)} +{timing}$", report, re.M), row
