"""The ``triggers`` and ``notebooks`` commands: their options, help and handlers."""

from __future__ import annotations

from collections.abc import Callable

from ..testing import seed
from . import _commands
from ._options import CREATE_TRIGGER, NOTEBOOK_SETTINGS, START_NOTEBOOK
from ._parts import Commands, Parser, command, group, positive_count, seconds

_AddActions = Callable[[Commands, Parser, str], None]
_TRIGGER_ID = "the trigger's id (tri-...)"
_NOTEBOOK_ID = "the notebook's id (its training_notebook_id)"


def add_resource_commands(name: str, parser: Parser, connection: Parser) -> None:
    """Make ``parser`` the group ``name`` (``triggers``, ``notebooks``): the commands on one
    collection, each taking the ``connection`` options."""
    description, example, scope, add_actions = _GROUPS[name]
    short, flag, placeholder, what, seeded = scope
    where = f"-o ORG {short} {placeholder}"
    actions = group(parser, description, [f"abeja-models {name} list {where}", example])
    add_actions(actions, _scope(connection, short, flag, what, seeded), where)


def _add_trigger_actions(actions: Commands, scope: Parser, where: str) -> None:
    command(
        actions,
        "list",
        "list the triggers",
        "Print the triggers of a deployment, one JSON document a line (or a table).",
        [f"abeja-models triggers list {where}", "abeja-models triggers list --emulator --table"],
        _commands.list_triggers,
        [scope],
    )
    command(
        actions,
        "get",
        "show a trigger",
        "Print one trigger.",
        [
            f"abeja-models triggers get {where} tri-...",
            f"abeja-models triggers get --emulator {seed.TRIGGER}",
        ],
        _commands.get_trigger,
        [scope],
    ).add_argument("trigger_id", help=_TRIGGER_ID)
    command(
        actions,
        "delete",
        "delete a trigger",
        'Delete a trigger; prints {"trigger_id": ..., "deleted": true}.',
        [
            f"abeja-models triggers delete {where} tri-...",
            f"abeja-models triggers delete --emulator {seed.TRIGGER} --table",
        ],
        _commands.delete_trigger,
        [scope],
    ).add_argument("trigger_id", help=_TRIGGER_ID)
    runs = command(
        actions,
        "runs",
        "the runs of a trigger, newest first",
        "Print the runs of a trigger, newest first (--scan-forward: oldest first), page\n"
        "after page as they arrive.",
        [
            f"abeja-models triggers runs {where} tri-... --limit 10",
            f"abeja-models triggers runs --emulator {seed.TRIGGER} --table",
        ],
        _commands.trigger_runs,
        [scope],
    )
    runs.add_argument("trigger_id", help=_TRIGGER_ID)
    runs.add_argument("--scan-forward", action="store_true", help="oldest first")
    runs.add_argument("--limit", type=positive_count, help="stop after this many runs")
    CREATE_TRIGGER.add_to(
        command(
            actions,
            "create",
            "create a trigger",
            "Create a trigger: run a model version on every file put into a DataLake channel.",
            [
                f"abeja-models triggers create {where} --version-id ver-... --input-service-id"
                " CHANNEL --env DEBUG=1",
                "abeja-models triggers create --emulator --version-id ver-1 --input-service-id"
                f" {seed.CHANNEL} --table",
            ],
            _commands.create_trigger,
            [scope],
        )
    )


def _add_notebook_actions(actions: Commands, scope: Parser, where: str) -> None:
    seeded = seed.NOTEBOOK

    command(
        actions,
        "list",
        "list the notebooks",
        "Print the notebooks of a job definition, one JSON document a line (or a table).",
        [f"abeja-models notebooks list {where}", "abeja-models notebooks list --emulator --table"],
        _commands.list_notebooks,
        [scope],
    )
    NOTEBOOK_SETTINGS.add_to(
        command(
            actions,
            "create",
            "create a notebook",
            "Create a notebook; it is Pending, then Running.",
            [
                f"abeja-models notebooks create {where} --instance-type cpu-1 --notebook-type lab",
                "abeja-models notebooks create --emulator --image abeja-inc/all-cpu:19.10",
            ],
            _commands.create_notebook,
            [scope],
        )
    )
    for action, summary, description, handler in (
        ("get", "show a notebook", "Print one notebook.", _commands.get_notebook),
        ("stop", "stop a notebook", "Stop a notebook and print it.", _commands.stop_notebook),
        (
            "delete",
            "delete a notebook",
            'Delete a notebook; prints {"training_notebook_id": ..., "deleted": true}.',
            _commands.delete_notebook,
        ),
    ):
        command(
            actions,
            action,
            summary,
            description,
            [
                f"abeja-models notebooks {action} {where} NOTEBOOK_ID",
                f"abeja-models notebooks {action} --emulator {seeded} --table",
            ],
            handler,
            [scope],
        ).add_argument("notebook_id", help=_NOTEBOOK_ID)
    update = command(
        actions,
        "update",
        "change a notebook",
        "Change a notebook's instance type, image or type (at least one of them).",
        [
            f"abeja-models notebooks update {where} NOTEBOOK_ID --instance-type cpu-2",
            f"abeja-models notebooks update --emulator {seeded} --notebook-type notebook",
        ],
        _commands.update_notebook,
        [scope],
    )
    NOTEBOOK_SETTINGS.add_to(update)
    update.add_argument("notebook_id", help=_NOTEBOOK_ID)
    start = command(
        actions,
        "start",
        "start a notebook",
        "Start a stopped notebook (as a Jupyter Notebook or JupyterLab) and print it.",
        [
            f"abeja-models notebooks start {where} NOTEBOOK_ID --notebook-type lab",
            f"abeja-models notebooks start --emulator {seed.STOPPED_NOTEBOOK} --table",
        ],
        _commands.start_notebook,
        [scope],
    )
    start.add_argument("notebook_id", help=_NOTEBOOK_ID)
    START_NOTEBOOK.add_to(start)
    logs = command(
        actions,
        "logs",
        "a notebook's recent log events",
        "Print a notebook's recent log events; with --follow, keep printing new ones until\n"
        "interrupted (or until the reader of the output goes away).",
        [
            f"abeja-models notebooks logs {where} NOTEBOOK_ID --follow --poll-interval 10",
            f"abeja-models notebooks logs --emulator {seeded} --table",
        ],
        _commands.notebook_logs,
        [scope],
    )
    logs.add_argument("notebook_id", help=_NOTEBOOK_ID)
    logs.add_argument("--follow", action="store_true", help="keep printing new events")
    logs.add_argument(
        "--poll-interval",
        type=seconds,
        default=2.0,
        metavar="SECONDS",
        help="with --follow, the pause after a poll that brought nothing new (default %(default)g)",
    )


def _scope(connection: Parser, short: str, flag: str, what: str, seeded: str) -> Parser:
    """The connection options and the one naming the collection's parent."""
    scope = Parser(add_help=False, parents=[connection])
    scope.add_argument(short, flag, help=f"{what} (required; with --emulator, default {seeded})")
    return scope


_GROUPS: dict[str, tuple[str, str, tuple[str, str, str, str, str], _AddActions]] = {
    "triggers": (
        "List, show, create and delete the triggers of a deployment (a trigger runs a model\n"
        "version on every file put into a DataLake channel), and list their runs.",
        f"abeja-models triggers runs --emulator {seed.TRIGGER} --table",
        ("-d", "--deployment", "DEPLOYMENT", "deployment id", seed.DEPLOYMENT),
        _add_trigger_actions,
    ),
    "notebooks": (
        "List, create, change, start, stop and delete the Jupyter notebooks of a job\n"
        "definition, and print their logs.",
        f"abeja-models notebooks logs --emulator {seed.NOTEBOOK} --follow",
        ("-j", "--job-definition", "JOB", "job definition name", seed.JOB_DEFINITION),
        _add_notebook_actions,
    ),
}
"""Each group: its description, an example on the seeded data, the option naming the
collection's parent, and what adds its commands."""
