"""``import abeja_models`` stays light: the errors and the version, no pydantic, no requests.

A time would be noisy on shared machines; what is imported is not. The models and the
client come in with their first use (benchmarks/run.py measures the times).
"""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_package_loads_neither_pydantic_nor_requests() -> None:
    probe = (
        "import sys, abeja_models, abeja_models.errors; "
        "print(sorted(name for name in ('pydantic', 'requests', 'urllib3') if name in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert loaded == "[]"
