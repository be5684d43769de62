"""The ``abeja-models`` command: a demo, a local emulator, and the resources from a shell.

```bash
abeja-models demo                                 # the whole SDK against a local emulator
abeja-models emulator --port 8080                 # serve one until Ctrl-C
abeja-models triggers list -o ORG -d DEPLOYMENT   # JSON lines; --table for people
abeja-models notebooks logs -o ORG -j JOB NOTEBOOK_ID --follow
```

Resource commands read ``ABEJA_API_URL`` and the platform SDK's credential variables, as
``abeja_models.Client`` does; ``--emulator`` runs them against an in-process
emulator instead. Mistakes, refused settings, API errors and failures of our own print
one line to stderr (never a traceback, never a credential) and exit non-zero.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NoReturn, Optional, cast

from ._version import __version__
from .errors import AbejaError, ValidationError

if TYPE_CHECKING:
    from .models import NotebookType, TriggerRun
    from .resources import Client
    from .testing import PlatformEmulator

__all__ = ["main"]

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
NOTEBOOK_TYPES = ("notebook", "lab")
# The variables the client reads, as the platform's own SDK names them.
_SETTING_VARIABLES = (
    "ABEJA_API_URL",
    "PLATFORM_AUTH_TOKEN",
    "ABEJA_PLATFORM_USER_ID",
    "ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN",
    "ABEJA_PLATFORM_DATASOURCE_ID",
    "ABEJA_PLATFORM_DATASOURCE_SECRET",
    "ABEJA_SDK_CONNECTION_TIMEOUT",
    "ABEJA_SDK_MAX_RETRY_COUNT",
)
_SECRET_VARIABLES = (
    "PLATFORM_AUTH_TOKEN",
    "ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN",
    "ABEJA_PLATFORM_DATASOURCE_SECRET",
)
_URL_USERINFO = re.compile(r"(?<=//)[^/\s@]+@")


class _SettingsRefused(Exception):
    """Reading the settings failed with something other than an AbejaError."""

    def __init__(self, cause: Exception, names: list[str]) -> None:
        super().__init__(type(cause).__name__)
        self.cause_type = type(cause).__name__
        self.names = names


class _Parser(argparse.ArgumentParser):
    """argparse, with usage mistakes reported on one line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command with ``argv`` (default: the process arguments); returns the exit code."""
    arguments = _parser().parse_args(argv)
    try:
        code: int = arguments.run(arguments)
    except AbejaError as error:
        _fail(f"{type(error).__name__}: {error}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader (``| head``) left; stop quietly, as other command-line tools do.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces a closed stream
        return EXIT_ERROR
    except _SettingsRefused as refused:
        checked = ", ".join(refused.names) or "the ABEJA_* and PLATFORM_* variables"
        _fail(f"the settings were refused ({refused.cause_type}): check {checked}")
        return EXIT_ERROR
    except Exception as error:
        # Not an AbejaError: a bug here or in a library below. Its message may quote a
        # credential (http.client quotes a header it refuses), so only its type is shown.
        _fail(f"internal error: {type(error).__name__} (details withheld: they may hold a secret)")
        return EXIT_ERROR
    return code


def _fail(message: str) -> None:
    """Print one line on stderr, with any credential of the environment masked."""
    line = _redact(" ".join(_redact(message).split()))
    sys.stderr.write(f"abeja-models: error: {line}\n")


def _redact(text: str) -> str:
    """Mask the credentials of the environment and the user part of URLs in ``text``.

    The errors are built not to hold a credential; this holds even if one slips through.
    """
    text = _URL_USERINFO.sub("***@", text)
    for name in _SECRET_VARIABLES:
        secret = os.environ.get(name, "")
        stripped = secret.strip()
        forms = {secret, stripped, " ".join(secret.split())}
        forms |= {repr(form)[1:-1] for form in forms}
        for form in forms:
            if len(form) >= 4:
                text = text.replace(form, "***")
    return text


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="abeja-models",
        description="The ABEJA Platform Trigger and Notebook APIs, typed.",
    )
    parser.add_argument("--version", action="version", version=f"abeja-models {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    demo = commands.add_parser("demo", help="walk through the SDK against a local emulator")
    demo.set_defaults(run=_run_demo)

    emulator = commands.add_parser("emulator", help="serve a local platform until interrupted")
    emulator.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    emulator.add_argument(
        "--port", type=_port, default=8080, help="port (default 8080; 0: any free one)"
    )
    emulator.add_argument(
        "--page-size", type=_page_size, default=50, help="trigger runs and log events per page"
    )
    emulator.set_defaults(run=_run_emulator)

    connection = _Parser(add_help=False)
    connection.add_argument(
        "-o",
        "--organization",
        default=os.environ.get("ABEJA_ORGANIZATION_ID"),
        help="organization id (default $ABEJA_ORGANIZATION_ID)",
    )
    connection.add_argument("--base-url", help="API URL (default $ABEJA_API_URL)")
    connection.add_argument(
        "--emulator", action="store_true", help="use an in-process emulator, not the platform"
    )
    connection.add_argument("--table", action="store_true", help="aligned columns, not JSON")
    connection.add_argument("--timeout", type=float, help="seconds per connect and read")

    _add_trigger_commands(commands, connection)
    _add_notebook_commands(commands, connection)
    return parser


def _add_trigger_commands(
    commands: argparse._SubParsersAction[_Parser], connection: _Parser
) -> None:
    triggers = commands.add_parser("triggers", help="the triggers of a deployment")
    actions = triggers.add_subparsers(
        dest="action", required=True, metavar="ACTION", parser_class=_Parser
    )
    scope = _Parser(add_help=False, parents=[connection])
    scope.add_argument("-d", "--deployment", required=True, help="deployment id")

    actions.add_parser("list", parents=[scope], help="list the triggers")
    for action, text in (("get", "show a trigger"), ("delete", "delete a trigger")):
        actions.add_parser(action, parents=[scope], help=text).add_argument("trigger_id")
    runs = actions.add_parser("runs", parents=[scope], help="the runs of a trigger, newest first")
    runs.add_argument("trigger_id")
    runs.add_argument("--scan-forward", action="store_true", help="oldest first")
    runs.add_argument("--limit", type=int, help="stop after this many runs")

    create = actions.add_parser("create", parents=[scope], help="create a trigger")
    create.add_argument("--version-id", required=True, help="the version to run (ver-...)")
    create.add_argument("--input-service-id", required=True, help="the DataLake channel id")
    create.add_argument("--input-service-name", default="datalake")
    create.add_argument("--model-id")
    create.add_argument("--retry-count", type=int, help="0..9 (platform default 5)")
    create.add_argument("--distribution", type=int)
    create.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for the model's code (repeatable)",
    )
    create.add_argument("--output-service-name")
    create.add_argument("--output-service-id")
    triggers.set_defaults(run=_run_triggers)


def _add_notebook_commands(
    commands: argparse._SubParsersAction[_Parser], connection: _Parser
) -> None:
    notebooks = commands.add_parser("notebooks", help="the notebooks of a job definition")
    actions = notebooks.add_subparsers(
        dest="action", required=True, metavar="ACTION", parser_class=_Parser
    )
    scope = _Parser(add_help=False, parents=[connection])
    scope.add_argument("-j", "--job-definition", required=True, help="job definition name")
    settings = _Parser(add_help=False)
    settings.add_argument("--instance-type", help="e.g. cpu-1, gpu:b-4")
    settings.add_argument("--image", help="e.g. abeja-inc/all-cpu:19.10")
    settings.add_argument("--notebook-type", choices=NOTEBOOK_TYPES)

    actions.add_parser("list", parents=[scope], help="list the notebooks")
    actions.add_parser("create", parents=[scope, settings], help="create a notebook")
    for action, text in (
        ("get", "show a notebook"),
        ("stop", "stop a notebook"),
        ("delete", "delete a notebook"),
    ):
        actions.add_parser(action, parents=[scope], help=text).add_argument("notebook_id")
    update = actions.add_parser("update", parents=[scope, settings], help="change a notebook")
    update.add_argument("notebook_id")
    start = actions.add_parser("start", parents=[scope], help="start a notebook")
    start.add_argument("notebook_id")
    start.add_argument("--notebook-type", choices=NOTEBOOK_TYPES)
    logs = actions.add_parser("logs", parents=[scope], help="a notebook's recent log events")
    logs.add_argument("notebook_id")
    logs.add_argument("--follow", action="store_true", help="keep printing new events")
    notebooks.set_defaults(run=_run_notebooks)


# Commands ---------------------------------------------------------------------------------


def _run_demo(arguments: argparse.Namespace) -> int:
    from ._demo import run_demo

    return run_demo(sys.stdout)


def _port(text: str) -> int:
    return _int_within(text, 0, 65535, "a port (0 to 65535)")


def _page_size(text: str) -> int:
    return _int_within(text, 1, None, "a page size (1 or more)")


def _int_within(text: str, lowest: int, highest: Optional[int], what: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = None
    if number is None or number < lowest or (highest is not None and number > highest):
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
    return number


def _run_emulator(arguments: argparse.Namespace) -> int:
    from .testing import PlatformEmulator

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


def _run_triggers(arguments: argparse.Namespace) -> int:
    from ._cli_output import print_documents

    with _client(arguments) as client:
        triggers = (
            client.organization(_organization(arguments)).deployment(arguments.deployment).triggers
        )
        action = arguments.action
        if action == "list":
            print_documents(triggers.list(), table=arguments.table)
        elif action == "get":
            print_documents([triggers.get(arguments.trigger_id)], table=arguments.table)
        elif action == "delete":
            triggers.delete(arguments.trigger_id)
            print(json.dumps({"trigger_id": arguments.trigger_id, "deleted": True}))
        elif action == "runs":
            runs = triggers.runs(arguments.trigger_id, scan_forward=arguments.scan_forward)
            print_documents(_limited(runs, arguments.limit), table=arguments.table)
        else:
            created = triggers.create(
                version_id=arguments.version_id,
                input_service_id=arguments.input_service_id,
                input_service_name=arguments.input_service_name,
                model_id=arguments.model_id,
                retry_count=arguments.retry_count,
                distribution=arguments.distribution,
                environment=_environment(arguments.env),
                output_service_name=arguments.output_service_name,
                output_service_id=arguments.output_service_id,
            )
            print_documents([created], table=arguments.table)
    return 0


def _run_notebooks(arguments: argparse.Namespace) -> int:
    from ._cli_output import print_documents

    with _client(arguments) as client:
        notebooks = (
            client.organization(_organization(arguments))
            .job_definition(arguments.job_definition)
            .notebooks
        )
        action, table = arguments.action, arguments.table
        if action == "list":
            print_documents(notebooks.list(), table=table)
        elif action == "get":
            print_documents([notebooks.get(arguments.notebook_id)], table=table)
        elif action == "create":
            created = notebooks.create(
                instance_type=arguments.instance_type,
                image=arguments.image,
                notebook_type=_notebook_type(arguments),
            )
            print_documents([created], table=table)
        elif action == "update":
            updated = notebooks.update(
                arguments.notebook_id,
                instance_type=arguments.instance_type,
                image=arguments.image,
                notebook_type=_notebook_type(arguments),
            )
            print_documents([updated], table=table)
        elif action == "start":
            notebook_type = _notebook_type(arguments)
            started = notebooks.start(arguments.notebook_id, notebook_type=notebook_type)
            print_documents([started], table=table)
        elif action == "stop":
            print_documents([notebooks.stop(arguments.notebook_id)], table=table)
        elif action == "delete":
            notebooks.delete(arguments.notebook_id)
            print(json.dumps({"training_notebook_id": arguments.notebook_id, "deleted": True}))
        else:
            events = notebooks.logs(arguments.notebook_id, follow=arguments.follow)
            print_documents(events, table=table)
    return 0


# Helpers ----------------------------------------------------------------------------------


@contextlib.contextmanager
def _client(arguments: argparse.Namespace) -> Iterator[Client]:
    from .resources import Client

    if not arguments.emulator:
        try:
            client = Client(base_url=arguments.base_url, timeout=arguments.timeout)
        except AbejaError:
            raise
        except Exception as error:  # its message may quote a credential
            names = [name for name in _SETTING_VARIABLES if name in os.environ]
            if arguments.base_url:
                names.insert(0, "--base-url")
            raise _SettingsRefused(error, names) from None
        with client:
            yield client
        return
    from .testing import PlatformEmulator

    with (
        PlatformEmulator() as emulator,
        Client(
            base_url=emulator.url, auth_token="emulator-token", timeout=arguments.timeout
        ) as client,
    ):
        yield client


def _organization(arguments: argparse.Namespace) -> str:
    organization: Optional[str] = arguments.organization
    if organization:
        return organization
    if arguments.emulator:
        return "1234567890123"
    raise ValidationError(
        "--organization", "an organization id, or ABEJA_ORGANIZATION_ID set", organization
    )


def _environment(pairs: list[str]) -> Optional[dict[str, str]]:
    environment: dict[str, str] = {}
    for pair in pairs:
        name, separator, value = pair.partition("=")
        if not separator or not name:
            raise ValidationError("--env", "NAME=VALUE", pair)
        environment[name] = value
    return environment or None


def _notebook_type(arguments: argparse.Namespace) -> Optional[NotebookType]:
    # argparse's choices= has already limited it to the two names.
    return cast("Optional[NotebookType]", arguments.notebook_type)


def _limited(items: Iterator[TriggerRun], limit: Optional[int]) -> Iterator[TriggerRun]:
    if limit is None:
        yield from items
        return
    if limit < 1:
        raise ValidationError("--limit", "a positive number of runs", limit)
    for count, item in enumerate(items, start=1):
        yield item
        if count >= limit:
            return


if __name__ == "__main__":
    sys.exit(main())
