"""The commands that run a platform here, with no account: ``demo`` and ``emulator``."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from .._config import ORGANIZATION_VARIABLES, TOKEN_VARIABLE
from ._report import EXIT_ERROR, fail

if TYPE_CHECKING:
    from ..testing import PlatformEmulator


def run_demo(arguments: argparse.Namespace) -> int:
    """``demo``: the scripted walk through the SDK."""
    from .._demo import run_demo as demo

    return demo(sys.stdout)


def serve_emulator(arguments: argparse.Namespace) -> int:
    """``emulator``: serve one until interrupted, after printing how to reach it."""
    from ..testing import PlatformEmulator, seed

    emulator = PlatformEmulator(arguments.host, arguments.port, page_size=arguments.page_size)
    if arguments.seed:
        seed.seed(emulator)
    try:
        emulator.start()
    except OSError as error:  # the port is taken, or the address is not this machine's
        where = f"{arguments.host}:{arguments.port}"
        fail(f"cannot listen on {where}: {error.strerror}")
        return EXIT_ERROR
    environment = emulator.env()
    if arguments.seed:
        environment[ORGANIZATION_VARIABLES[0]] = seed.ORGANIZATION
    bound = "{}:{}".format(*emulator.address)
    if emulator.reachable_from_other_machines:
        _warn_reachable(emulator, bound)
    where = f"on every interface, {bound}; " if emulator.listens_on_every_interface else ""
    print(f"ABEJA Platform emulator listening on {emulator.url} ({where}Ctrl-C to stop)")
    print("Point a client at it with:")
    for name, value in environment.items():
        print(f"  export {name}={value}")
    if arguments.seed:
        print(
            f"Seeded: deployment {seed.DEPLOYMENT} (trigger {seed.TRIGGER}), job definition"
            f" {seed.JOB_DEFINITION} (notebooks {seed.NOTEBOOK}, {seed.STOPPED_NOTEBOOK})"
        )
    print("Start a run on every trigger watching a DataLake channel with:")
    print(
        f'  curl -X POST -H "Authorization: Bearer {environment[TOKEN_VARIABLE]}"'
        f" {emulator.url}/_emulator/channels/CHANNEL_ID/files"
    )
    sys.stdout.flush()
    emulator.serve_forever()
    return 0


def _warn_reachable(emulator: PlatformEmulator, bound: str) -> None:
    who = "accepts any credential" if emulator.accepts_any_credential else "accepts its credentials"
    sys.stderr.write(
        f"abeja-models: warning: the emulator listens on {bound}, reachable from other"
        f" machines over plain HTTP, and {who}: whoever reaches it can read, create, change"
        " and delete its triggers, runs, notebooks, logs and uploaded files, and start runs."
        " Use --host 127.0.0.1 unless you mean to share it.\n"
    )
    if not emulator.listens_on_every_interface:
        sys.stderr.write(
            "abeja-models: warning: abeja_models.Client sends plain http only to a loopback"
            f" address, so it will refuse {emulator.url}; listen on 127.0.0.1 (or 0.0.0.0)"
            " for clients of this SDK.\n"
        )
    sys.stderr.flush()
