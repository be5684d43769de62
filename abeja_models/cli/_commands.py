"""One handler for each command: it reads the parsed arguments and returns the exit code.

The parser binds each subcommand to its handler (``set_defaults(handler=...)``). A
resource command's action gets the collection its options point at and returns what to
print: documents (printed as they come), or one record of what it did.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, TypeVar, Union

from . import _output
from ._client import notebooks_of, triggers_of, usage_error
from ._options import CREATE_TRIGGER, NOTEBOOK_SETTINGS, START_NOTEBOOK
from ._report import EXIT_ERROR

if TYPE_CHECKING:
    from ..models._base import PlatformModel
    from ..resources import Notebooks, Triggers
    from ..testing import PlatformEmulator

Handler = Callable[[argparse.Namespace], int]
Printed = Union[Iterable["PlatformModel"], Mapping[str, object]]
CollectionT = TypeVar("CollectionT")


def run_demo(arguments: argparse.Namespace) -> int:
    """``demo``: the scripted walk through the SDK."""
    from .._demo import run_demo

    return run_demo(sys.stdout)


def serve_emulator(arguments: argparse.Namespace) -> int:
    """``emulator``: serve one until interrupted, after printing how to reach it."""
    from ..testing import PlatformEmulator

    emulator = PlatformEmulator(arguments.host, arguments.port, page_size=arguments.page_size)
    try:
        emulator.start()
    except OSError as error:  # the port is taken, or the address is not this machine's
        where = f"{arguments.host}:{arguments.port}"
        sys.stderr.write(f"abeja-models: error: cannot listen on {where}: {error.strerror}\n")
        return EXIT_ERROR
    environment = emulator.env()
    bound = "{}:{}".format(*emulator.address)
    if emulator.reachable_from_other_machines:
        _warn_reachable(emulator, bound)
    where = f"on every interface, {bound}; " if emulator.listens_on_every_interface else ""
    print(f"ABEJA Platform emulator listening on {emulator.url} ({where}Ctrl-C to stop)")
    print("Point a client at it with:")
    for name, value in environment.items():
        print(f"  export {name}={value}")
    print("Start a run on every trigger watching a DataLake channel with:")
    print(
        f'  curl -X POST -H "Authorization: Bearer {environment["PLATFORM_AUTH_TOKEN"]}"'
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


def _print(printed: Printed, table: bool) -> None:
    if isinstance(printed, Mapping):
        _output.print_record(printed, table=table)
    else:
        _output.print_documents(printed, table=table)


def _acting_on(
    collection_of: Callable[[argparse.Namespace], AbstractContextManager[CollectionT]],
) -> Callable[[Callable[[CollectionT, argparse.Namespace], Printed]], Handler]:
    """Make an action on a collection a handler: open the collection, act, print the result."""

    def bind(action: Callable[[CollectionT, argparse.Namespace], Printed]) -> Handler:
        @functools.wraps(action)
        def handler(arguments: argparse.Namespace) -> int:
            with collection_of(arguments) as collection:
                _print(action(collection, arguments), arguments.table)
            return 0

        return handler

    return bind


_on_triggers = _acting_on(triggers_of)
_on_notebooks = _acting_on(notebooks_of)


# Triggers ---------------------------------------------------------------------------------


@_on_triggers
def list_triggers(triggers: Triggers, arguments: argparse.Namespace) -> Printed:
    """``triggers list``."""
    return triggers.list()


@_on_triggers
def get_trigger(triggers: Triggers, arguments: argparse.Namespace) -> Printed:
    """``triggers get``."""
    return [triggers.get(arguments.trigger_id)]


@_on_triggers
def delete_trigger(triggers: Triggers, arguments: argparse.Namespace) -> Printed:
    """``triggers delete``: prints what was deleted."""
    triggers.delete(arguments.trigger_id)
    return {"trigger_id": arguments.trigger_id, "deleted": True}


@_on_triggers
def trigger_runs(triggers: Triggers, arguments: argparse.Namespace) -> Printed:
    """``triggers runs``: page after page, as they arrive."""
    return triggers.runs(
        arguments.trigger_id, scan_forward=arguments.scan_forward, limit=arguments.limit
    )


@_on_triggers
def create_trigger(triggers: Triggers, arguments: argparse.Namespace) -> Printed:
    """``triggers create``: every field of ``CreateTriggerParams`` from its option."""
    return [triggers.create(**CREATE_TRIGGER.values(arguments))]


# Notebooks --------------------------------------------------------------------------------


@_on_notebooks
def list_notebooks(notebooks: Notebooks, arguments: argparse.Namespace) -> Printed:
    """``notebooks list``."""
    return notebooks.list()


@_on_notebooks
def get_notebook(notebooks: Notebooks, arguments: argparse.Namespace) -> Printed:
    """``notebooks get``."""
    return [notebooks.get(arguments.notebook_id)]


@_on_notebooks
def create_notebook(notebooks: Notebooks, arguments: argparse.Namespace) -> Printed:
    """``notebooks create``: every field of ``NotebookParams`` from its option."""
    return [notebooks.create(**NOTEBOOK_SETTINGS.values(arguments))]


def update_notebook(arguments: argparse.Namespace) -> int:
    """``notebooks update``: at least one field of ``NotebookParams``, checked before connecting."""
    opened = notebooks_of(arguments)
    changes = NOTEBOOK_SETTINGS.values(arguments)
    if all(value is None for value in changes.values()):
        *others, last = NOTEBOOK_SETTINGS.flags()
        usage_error(arguments, f"nothing to update: give {', '.join(others)} or {last}")
    with opened as notebooks:
        _print([notebooks.update(arguments.notebook_id, **changes)], arguments.table)
    return 0


@_on_notebooks
def start_notebook(notebooks: Notebooks, arguments: argparse.Namespace) -> Printed:
    """``notebooks start``: every field of ``StartNotebookParams`` from its option."""
    return [notebooks.start(arguments.notebook_id, **START_NOTEBOOK.values(arguments))]


@_on_notebooks
def stop_notebook(notebooks: Notebooks, arguments: argparse.Namespace) -> Printed:
    """``notebooks stop``."""
    return [notebooks.stop(arguments.notebook_id)]


@_on_notebooks
def delete_notebook(notebooks: Notebooks, arguments: argparse.Namespace) -> Printed:
    """``notebooks delete``: prints what was deleted."""
    notebooks.delete(arguments.notebook_id)
    return {"training_notebook_id": arguments.notebook_id, "deleted": True}


@_on_notebooks
def notebook_logs(notebooks: Notebooks, arguments: argparse.Namespace) -> Printed:
    """``notebooks logs``: with --follow, until interrupted."""
    return notebooks.logs(arguments.notebook_id, follow=arguments.follow)
