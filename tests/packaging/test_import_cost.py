"""What is imported stays what is needed: ``import abeja_models`` brings the errors and the
version, no pydantic, no requests; the command line's ``--version`` and ``--help`` no
pydantic and no emulator; a resource command the emulator only with ``--emulator``; the
pytest plugin the emulator only when its fixture is used.

A time would be noisy on shared machines; what is imported is not. The models and the
client come in with their first use (benchmarks/run.py measures the times).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from abeja_models.testing import PlatformEmulator

WATCHED = (
    "pydantic",
    "requests",
    "urllib3",
    "abeja_models.testing",
    "abeja_models.testing._emulator",
)
EMULATOR = "abeja_models.testing._emulator"


def loaded_after(code: str) -> set[str]:
    """Which of ``WATCHED`` a fresh interpreter holds after running ``code`` (in the
    environment of the test: none of the developer's platform variables)."""
    probe = f"""
import sys
try:
{code}
except SystemExit:
    pass
print("\\nloaded:", *(name for name in {WATCHED!r} if name in sys.modules))
"""
    finished = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert finished.returncode == 0, finished.stderr
    return set(finished.stdout.splitlines()[-1].split()[1:])


def test_importing_the_package_loads_neither_pydantic_nor_requests() -> None:
    assert loaded_after("    import abeja_models, abeja_models.errors") == set()


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_the_command_lines_version_and_help_load_neither_pydantic_nor_the_emulator(
    option: str,
) -> None:
    code = f"    from abeja_models.cli import main; main([{option!r}])"
    assert loaded_after(code) == set()


def test_a_resource_command_loads_the_emulator_only_with_the_emulator_flag(
    abeja_emulator: PlatformEmulator,
) -> None:
    command = (
        "    from abeja_models.cli import main; main(['triggers', 'list', '-o', '1', '-d', '2'{}])"
    )
    against_the_platform = loaded_after(command.format(""))  # the fixture's variables
    assert "pydantic" in against_the_platform
    assert EMULATOR not in against_the_platform
    assert EMULATOR in loaded_after(command.format(", '--emulator'"))


def test_the_pytest_plugin_loads_the_emulator_only_when_its_fixture_is_used() -> None:
    assert EMULATOR not in loaded_after("    import abeja_models.testing.pytest_plugin")
