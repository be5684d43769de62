"""The ``abeja-models`` command: a demo, a local emulator, and the resources from a shell.

```bash
abeja-models demo                                 # the whole SDK against a local emulator
abeja-models emulator --seed --port 8080          # serve one until Ctrl-C
abeja-models triggers list -o ORG -d DEPLOYMENT   # JSON lines; --table for people
abeja-models notebooks logs -o ORG -j JOB NOTEBOOK_ID --follow
abeja-models triggers list --emulator             # seeded data, no account needed
```

Resource commands read ``ABEJA_API_URL`` and the platform SDK's credential variables, as
``abeja_models.Client`` does; ``--emulator`` runs them against an in-process emulator
seeded with data (``abeja_models.testing.seed``). Mistakes, refused settings, API errors
and failures of our own print one line to stderr (never a traceback, never a credential):
usage mistakes exit 2, everything else 1.

Inside: ``_parser`` and ``_resource_parsers`` (the commands, each bound to its handler; a
resource group is built only when chosen, so ``--help`` stays fast), ``_local`` (``demo``
and ``emulator``), ``_commands`` (the resource commands' handlers), ``_options`` (options
read from the parameter models), ``_client`` (the client and the collection a command
acts on), ``_output`` (how documents are printed) and ``_report`` (exit codes and the one
line on stderr).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

__all__ = ["main"]


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command with ``argv`` (default: the process arguments); returns the exit code.

    A usage mistake found by argparse raises ``SystemExit(2)``, as argparse does; one found
    later (an argument the SDK refuses) returns 2.
    """
    from ._parser import build_parser
    from ._report import run_reported

    return run_reported(build_parser().parse_args(argv))
