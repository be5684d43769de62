"""``benchmarks/run.py --quick`` runs to its end and reports every contender and ratio.

Only that it runs and what it reports are checked: a time on a shared machine is noise,
so no figure is compared with anything. The platform SDK's rows are measured when
``ABEJA_SDK_PYTHON`` names a python that has it (CI makes one), and say so otherwise.
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

OURS = [
    "typed `deployment.triggers.get`",
    "bare `requests.Session().get(url).json()`, as users leave it",
    "bare requests with `session.trust_env = False`",
    "requests' ceiling: `Session.send`, settings merged once, pool remembered",
    "raw `http.client`, one keep-alive connection (the floor)",
    "typed `triggers.runs()`, 100,000 runs in pages of 1,000",
]
PLATFORM_SDK = [
    "abeja-sdk `APIClient.get_trigger`",
    "abeja-sdk `get_trigger_runs` and a loop over each page's dicts",
]
RATIOS = [
    "typed get / bare requests, as users leave it",
    "typed get / bare requests, `trust_env = False`",
    "typed get / requests' ceiling",
    "typed get / raw http.client",
    "typed get / abeja-sdk `get_trigger`",
    "requests' ceiling / bare requests, as users leave it",
    "requests' ceiling / bare requests, `trust_env = False`",
    "typed paging / abeja-sdk dict loop",
    "typed paging / abeja-sdk dict loop, whole time (collector pauses included)",
]
NUMBER = r"[0-9][0-9,]*\.[0-9]+"
MEASURED = rf"\| {NUMBER} µs a (get|run) \| {NUMBER} to {NUMBER} µs \| [0-9,]+ \|"


def test_a_quick_run_reports_every_contender_with_its_median_and_spread() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick"],
        capture_output=True, text=True, timeout=300, env=env, check=False,
    )  # fmt: skip
    # 1 is a target missed, which a quick run on a busy machine may well report.
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    report = done.stdout
    for label in OURS:
        assert re.search(rf"^\| {re.escape(label)} {MEASURED}$", report, re.M), label
    sdk = bool(os.environ.get("ABEJA_SDK_PYTHON"))
    for label in PLATFORM_SDK:
        row = MEASURED if sdk else r"\| not measured: pass --abeja-sdk-python \| \| \|"
        assert re.search(rf"^\| {re.escape(label)} {row}$", report, re.M), label
    for label in RATIOS:
        measured = sdk or "abeja-sdk" not in label
        value = rf"{NUMBER}x \| {NUMBER} to {NUMBER}x" if measured else r"not measured \|"
        assert re.search(rf"^\| {re.escape(label)} \| {value} \|", report, re.M), label
    assert re.search(r"^Peak traced memory of a typed iteration over 100,000 runs: ", report, re.M)
    assert "| `import abeja_models` |" in report
