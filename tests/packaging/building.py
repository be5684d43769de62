"""What the packaging tests share: a distribution of the working tree, built offline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def build(kind: str, out: Path, pattern: str) -> Path:
    """The ``--sdist`` or ``--wheel`` of the working tree, built into ``out``.

    No isolation: ``build`` and the backend, ``hatchling``, come from the test extra, not
    from the index, so the build needs no network.
    """
    command = [sys.executable, "-m", "build", kind, "--no-isolation", "--outdir", str(out)]
    done = subprocess.run(
        [*command, str(REPOSITORY)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = out.glob(pattern)
    return built
