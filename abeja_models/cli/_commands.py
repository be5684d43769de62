"""One handler for each resource command: it reads the parsed arguments and returns the
exit code.

The parser binds each subcommand to its handler (``set_defaults(handler=...)``). A
resource command's action gets the collection its options point at and returns what to
print: documents (printed as they come), or one record of what it did.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar, Union

from ..models import LogEvent, Notebook, Trigger, TriggerRun
from . import _output
from ._client import notebooks_of, triggers_of
from ._options import CREATE_TRIGGER, NOTEBOOK_SETTINGS, START_NOTEBOOK

if TYPE_CHECKING:
    from ..models._base import PlatformModel
    from ..resources import Notebooks, Triggers

Handler = Callable[[argparse.Namespace], int]
Printed = Union[Iterable["PlatformModel"], Mapping[str, object]]


def _print(printed: Printed, shows: type[PlatformModel], table: bool) -> None:
    if isinstance(printed, Mapping):
        _output.print_record(printed, table=table)
    else:
        _output.print_documents(printed, shows, table=table)


class _Resources(Protocol):
    """What a collection of the resource layer offers every command (Triggers, Notebooks)."""

    def list(self) -> Sequence[PlatformModel]: ...

    def get(self, resource_id: str, /) -> PlatformModel: ...

    def delete(self, resource_id: str, /) -> None: ...


ResourcesT = TypeVar("ResourcesT", bound=_Resources)


@dataclass(frozen=True)
class _Collection(Generic[ResourcesT]):
    """How the commands of one collection reach it, and name one of its members."""

    opened: Callable[[argparse.Namespace], AbstractContextManager[ResourcesT]]
    model: type[PlatformModel]
    """What its members are (``Trigger``)."""
    id_argument: str
    """The positional argument that names a member (``trigger_id``)."""
    id_key: str
    """The key under which a delete's record names what it deleted."""

    def acting(
        self, shows: type[PlatformModel]
    ) -> Callable[[Callable[[ResourcesT, argparse.Namespace], Printed]], Handler]:
        """A decorator: the handler that opens the collection, runs the action and prints
        what it returns, documents of the kind ``shows`` (a table's header even when none)."""

        def acting(action: Callable[[ResourcesT, argparse.Namespace], Printed]) -> Handler:
            @functools.wraps(action)
            def handler(arguments: argparse.Namespace) -> int:
                with self.opened(arguments) as collection:
                    _print(action(collection, arguments), shows, arguments.table)
                return 0

            return handler

        return acting

    def listing(self) -> Handler:
        """``... list``: every member."""
        return self.acting(self.model)(lambda collection, arguments: collection.list())

    def showing(self) -> Handler:
        """``... get``: one member."""
        return self.acting(self.model)(
            lambda collection, arguments: [collection.get(getattr(arguments, self.id_argument))]
        )

    def deleting(self) -> Handler:
        """``... delete``: prints what was deleted."""

        def delete(collection: ResourcesT, arguments: argparse.Namespace) -> Printed:
            resource_id: str = getattr(arguments, self.id_argument)
            collection.delete(resource_id)
            return {self.id_key: resource_id, "deleted": True}

        return self.acting(self.model)(delete)


_TRIGGERS: _Collection[Triggers] = _Collection(triggers_of, Trigger, "trigger_id", "trigger_id")
_NOTEBOOKS: _Collection[Notebooks] = _Collection(
    notebooks_of, Notebook, "notebook_id", "training_notebook_id"
)

# Triggers ---------------------------------------------------------------------------------

list_triggers = _TRIGGERS.listing()
get_trigger = _TRIGGERS.showing()
delete_trigger = _TRIGGERS.deleting()


@_TRIGGERS.acting(TriggerRun)
def trigger_runs(triggers: Triggers, arguments: argparse.Namespace) -> Printed:
    """``triggers runs``: page after page, as they arrive."""
    return triggers.runs(
        arguments.trigger_id, scan_forward=arguments.scan_forward, limit=arguments.limit
    )


@_TRIGGERS.acting(Trigger)
def create_trigger(triggers: Triggers, arguments: argparse.Namespace) -> Printed:
    """``triggers create``: every field of ``CreateTriggerParams`` from its option."""
    return [triggers.create(**CREATE_TRIGGER.values(arguments))]


# Notebooks --------------------------------------------------------------------------------

list_notebooks = _NOTEBOOKS.listing()
get_notebook = _NOTEBOOKS.showing()
delete_notebook = _NOTEBOOKS.deleting()


@_NOTEBOOKS.acting(Notebook)
def create_notebook(notebooks: Notebooks, arguments: argparse.Namespace) -> Printed:
    """``notebooks create``: every field of ``NotebookParams`` from its option."""
    return [notebooks.create(**NOTEBOOK_SETTINGS.values(arguments))]


@_NOTEBOOKS.acting(Notebook)
def update_notebook(notebooks: Notebooks, arguments: argparse.Namespace) -> Printed:
    """``notebooks update``: the fields of ``UpdateNotebookParams``, at least one given
    (its rule, checked before anything is sent)."""
    changes = NOTEBOOK_SETTINGS.values(arguments)
    return [notebooks.update(arguments.notebook_id, **changes)]


@_NOTEBOOKS.acting(Notebook)
def start_notebook(notebooks: Notebooks, arguments: argparse.Namespace) -> Printed:
    """``notebooks start``: every field of ``StartNotebookParams`` from its option."""
    return [notebooks.start(arguments.notebook_id, **START_NOTEBOOK.values(arguments))]


@_NOTEBOOKS.acting(Notebook)
def stop_notebook(notebooks: Notebooks, arguments: argparse.Namespace) -> Printed:
    """``notebooks stop``."""
    return [notebooks.stop(arguments.notebook_id)]


@_NOTEBOOKS.acting(LogEvent)
def notebook_logs(notebooks: Notebooks, arguments: argparse.Namespace) -> Printed:
    """``notebooks logs``: with --follow, until interrupted."""
    return notebooks.logs(
        arguments.notebook_id, follow=arguments.follow, poll_interval=arguments.poll_interval
    )
