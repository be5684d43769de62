"""The ``abeja-models`` command: a demo, a local emulator, and the resources from a shell.

```bash
abeja-models demo                                 # the whole SDK against a local emulator
abeja-models emulator --port 8080                 # serve one until Ctrl-C
abeja-models triggers list -o ORG -d DEPLOYMENT   # JSON lines; --table for people
abeja-models notebooks logs -o ORG -j JOB NOTEBOOK_ID --follow
abeja-models triggers list --emulator             # seeded data, no account needed
```

Resource commands read ``ABEJA_API_URL`` and the platform SDK's credential variables, as
``abeja_models.Client`` does; ``--emulator`` runs them against an in-process emulator
seeded with data (``abeja_models.testing.seed``). Mistakes, refused settings, API errors
and failures of our own print one line to stderr (never a traceback, never a credential):
usage mistakes exit 2, everything else 1.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import math
import os
import re
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NoReturn, Optional, cast

from ._config import SECRET_VARIABLES, SETTING_VARIABLES
from ._version import __version__
from .errors import AbejaError, Unauthorized, ValidationError

if TYPE_CHECKING:
    from ._config import Timeout
    from .models import NotebookType
    from .resources import Client
    from .testing import PlatformEmulator

__all__ = ["main"]

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
NOTEBOOK_TYPES = ("notebook", "lab")
CONNECT_TIMEOUT = 3.05
"""Seconds to wait for a connection, unless --timeout or ABEJA_SDK_CONNECTION_TIMEOUT says."""
READ_TIMEOUT = 30.0
"""Seconds to wait for each read of an answer, unless --timeout or the variable says."""
MAX_RETRIES = 2
"""Retries of a passing failure, unless ABEJA_SDK_MAX_RETRY_COUNT says."""
ORGANIZATION_VARIABLE = "ABEJA_ORGANIZATION_ID"
# The variables the client reads, as the platform's own SDK names them.
_CREDENTIAL_PAIRS = (
    ("ABEJA_PLATFORM_USER_ID", "ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN"),
    ("ABEJA_PLATFORM_DATASOURCE_ID", "ABEJA_PLATFORM_DATASOURCE_SECRET"),
)
_URL_USERINFO = re.compile(r"(?<=//)[^/\s@]+@")

_EPILOG = f"""\
environment:
  ABEJA_API_URL                 the API (default https://api.abeja.io); or --base-url
  PLATFORM_AUTH_TOKEN           a platform auth token, or both of:
  ABEJA_PLATFORM_USER_ID          a user id and
  ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN  its personal access token
  ABEJA_ORGANIZATION_ID         the organization; or -o/--organization
  ABEJA_SDK_CONNECTION_TIMEOUT  seconds per connect and read; or --timeout (default:
                                {CONNECT_TIMEOUT:g} s to connect, {READ_TIMEOUT:g} s per read)
  ABEJA_SDK_MAX_RETRY_COUNT     retries of a passing failure (default here: {MAX_RETRIES});
                                each retry is reported on stderr

exit status:
  0  done (also when the reader of the output went away, as with `| head`)
  1  the platform, the network or the settings in the environment refused
  2  a usage mistake: a missing or invalid option or argument
  130 interrupted
"""


class _SettingsRefused(Exception):
    """The settings from the environment (or an argument standing for one) were refused."""

    def __init__(self, cause: Exception, names: list[str]) -> None:
        super().__init__(type(cause).__name__)
        self.cause = cause
        self.names = names

    def message(self) -> str:
        """One line: the SDK's own message, or (for any other error) the variables to check."""
        if isinstance(self.cause, AbejaError):
            return f"{type(self.cause).__name__}: {self.cause}"
        checked = ", ".join(self.names) or "the ABEJA_* and PLATFORM_* variables"
        return f"the settings were refused ({type(self.cause).__name__}): check {checked}"


class _Parser(argparse.ArgumentParser):
    """argparse, with usage mistakes reported on one line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command with ``argv`` (default: the process arguments); returns the exit code.

    A usage mistake found by argparse raises ``SystemExit(2)``, as argparse does; one found
    later (an argument the SDK refuses) returns 2.
    """
    arguments = _parser().parse_args(argv)
    if arguments.command in ("demo", "emulator"):
        return _run(arguments)
    with _retries_reported():
        return _run(arguments)


def _run(arguments: argparse.Namespace) -> int:
    try:
        code: int = arguments.run(arguments)
    except ValidationError as error:
        # Every setting is read when the client is made (see _client); a ValidationError
        # after that is about an argument of the command.
        _fail(f"ValidationError: {error} (see --help)")
        return EXIT_USAGE
    except Unauthorized as error:
        hint = None if arguments.emulator else _credentials_hint()
        if hint is None:
            _fail(f"Unauthorized: {error}")
        else:
            _fail(f"Unauthorized: the platform wants credentials: {hint}")
        return EXIT_ERROR
    except AbejaError as error:
        _fail(f"{type(error).__name__}: {error}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader (``| head``) left: stop quietly, as other command-line tools do.
        _discard_standard_output()
        return 0
    except _SettingsRefused as refused:
        _fail(refused.message())
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
    for name in SECRET_VARIABLES:
        secret = os.environ.get(name, "")
        stripped = secret.strip()
        forms = {secret, stripped, " ".join(secret.split())}
        forms |= {repr(form)[1:-1] for form in forms}
        for form in forms:
            if len(form) >= 4:
                text = text.replace(form, "***")
    return text


def _discard_standard_output() -> None:
    """Point the process's stdout at devnull, so that flushing it at exit cannot fail.

    What the Python documentation recommends for SIGPIPE; only for the real stdout, not
    for a stream a caller of ``main`` put in its place.
    """
    if sys.__stdout__ is None or sys.stdout is not sys.__stdout__:
        return
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


class _RetryReport(logging.Handler):
    """The SDK's retry records as one line each on (the current) stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = _redact(" ".join(record.getMessage().split()))
            sys.stderr.write(f"abeja-models: {line}\n")
            sys.stderr.flush()
        except Exception:
            self.handleError(record)


@contextlib.contextmanager
def _retries_reported() -> Iterator[None]:
    """Report the SDK's INFO records (retries) on stderr while a command runs.

    The command is the application, so it may configure logging; it puts back what it
    changed, for a caller of ``main`` in the same process.
    """
    logger = logging.getLogger("abeja_models")
    handler = _RetryReport(logging.INFO)
    level = logger.level
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > logging.INFO:
        logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _credentials_hint() -> Optional[str]:
    """What to set, in the command line's terms, when the environment holds no credentials.

    ``None`` when it holds a complete credential (then the platform refused that one).
    """

    def given(name: str) -> bool:
        return bool(os.environ.get(name, "").strip())

    if given("PLATFORM_AUTH_TOKEN") or any(all(map(given, pair)) for pair in _CREDENTIAL_PAIRS):
        return None
    for first, second in _CREDENTIAL_PAIRS:
        if given(first) != given(second):
            present, missing = (first, second) if given(first) else (second, first)
            return f"{present} is set but {missing} is not: set {missing} too"
    return (
        "none are set: set PLATFORM_AUTH_TOKEN, or ABEJA_PLATFORM_USER_ID and"
        " ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN (or use --emulator to try the command locally)"
    )


# The parser -------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="abeja-models",
        description="The ABEJA Platform Trigger and Notebook APIs, typed, from a shell.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"abeja-models {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    _command(
        commands,
        "demo",
        "walk through the SDK against a local emulator",
        "Create a trigger and watch its runs, page through their history, start a notebook\n"
        "and tail its log, then see mistakes caught and failures retried: the whole SDK\n"
        "against an in-process emulator on 127.0.0.1 (no account, no network).",
        ["abeja-models demo"],
    ).set_defaults(run=_run_demo)

    emulator = _command(
        commands,
        "emulator",
        "serve a local platform until interrupted",
        "Serve an emulated ABEJA Platform (Trigger and Notebook APIs) over HTTP until\n"
        "Ctrl-C, and print the variables that point a client at it.",
        [
            "abeja-models emulator --port 8080",
            "abeja-models emulator --port 0 --page-size 10",
        ],
    )
    emulator.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    emulator.add_argument(
        "--port", type=_port, default=8080, help="port (default 8080; 0: any free one)"
    )
    emulator.add_argument(
        "--page-size", type=_page_size, default=50, help="trigger runs and log events per page"
    )
    emulator.set_defaults(run=_run_emulator)

    from .testing import seed

    connection = _Parser(add_help=False)
    connection.add_argument(
        "-o",
        "--organization",
        default=os.environ.get(ORGANIZATION_VARIABLE) or None,
        help=f"organization id (default ${ORGANIZATION_VARIABLE};"
        f" with --emulator, {seed.ORGANIZATION})",
    )
    connection.add_argument("--base-url", help="API URL (default $ABEJA_API_URL)")
    connection.add_argument(
        "--emulator",
        action="store_true",
        help="use an in-process emulator seeded with data, not the platform; what a command"
        " changes there is forgotten when it ends",
    )
    connection.add_argument("--table", action="store_true", help="aligned columns, not JSON")
    connection.add_argument(
        "--timeout",
        type=_seconds,
        help="seconds per connect and read (default $ABEJA_SDK_CONNECTION_TIMEOUT,"
        f" else {CONNECT_TIMEOUT:g} to connect and {READ_TIMEOUT:g} per read)",
    )

    _add_trigger_commands(commands, connection)
    _add_notebook_commands(commands, connection)
    return parser


def _command(
    commands: argparse._SubParsersAction[_Parser],
    name: str,
    summary: str,
    description: str,
    examples: list[str],
    parents: Sequence[_Parser] = (),
) -> _Parser:
    """A subcommand whose --help says what it does and shows how to call it."""
    lines = "\n".join(f"  {example}" for example in examples)
    command = commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=f"examples:\n{lines}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=list(parents),
    )
    command.set_defaults(parser=command)
    return command


def _add_trigger_commands(
    commands: argparse._SubParsersAction[_Parser], connection: _Parser
) -> None:
    from .testing import seed

    triggers = _command(
        commands,
        "triggers",
        "the triggers of a deployment",
        "List, show, create and delete the triggers of a deployment (a trigger runs a model\n"
        "version on every file put into a DataLake channel), and list their runs.",
        [
            "abeja-models triggers list -o ORG -d DEPLOYMENT",
            f"abeja-models triggers runs --emulator {seed.TRIGGER} --table",
        ],
    )
    actions = triggers.add_subparsers(
        dest="action", required=True, metavar="ACTION", parser_class=_Parser
    )
    scope = _Parser(add_help=False, parents=[connection])
    scope.add_argument(
        "-d",
        "--deployment",
        help=f"deployment id (required; with --emulator, default {seed.DEPLOYMENT})",
    )
    where = "-o ORG -d DEPLOYMENT"

    _command(
        actions,
        "list",
        "list the triggers",
        "Print the triggers of a deployment, one JSON document a line (or a table).",
        [f"abeja-models triggers list {where}", "abeja-models triggers list --emulator --table"],
        [scope],
    )
    _command(
        actions,
        "get",
        "show a trigger",
        "Print one trigger.",
        [
            f"abeja-models triggers get {where} tri-...",
            f"abeja-models triggers get --emulator {seed.TRIGGER}",
        ],
        [scope],
    ).add_argument("trigger_id")
    _command(
        actions,
        "delete",
        "delete a trigger",
        'Delete a trigger; prints {"trigger_id": ..., "deleted": true}.',
        [
            f"abeja-models triggers delete {where} tri-...",
            f"abeja-models triggers delete --emulator {seed.TRIGGER} --table",
        ],
        [scope],
    ).add_argument("trigger_id")
    runs = _command(
        actions,
        "runs",
        "the runs of a trigger, newest first",
        "Print the runs of a trigger, newest first (--scan-forward: oldest first), page\n"
        "after page as they arrive.",
        [
            f"abeja-models triggers runs {where} tri-... --limit 10",
            f"abeja-models triggers runs --emulator {seed.TRIGGER} --table",
        ],
        [scope],
    )
    runs.add_argument("trigger_id")
    runs.add_argument("--scan-forward", action="store_true", help="oldest first")
    runs.add_argument("--limit", type=_positive_count, help="stop after this many runs")

    create = _command(
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
        [scope],
    )
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
    from .testing import seed

    notebooks = _command(
        commands,
        "notebooks",
        "the notebooks of a job definition",
        "List, create, change, start, stop and delete the Jupyter notebooks of a job\n"
        "definition, and print their logs.",
        [
            "abeja-models notebooks list -o ORG -j JOB",
            f"abeja-models notebooks logs --emulator {seed.NOTEBOOK} --follow",
        ],
    )
    actions = notebooks.add_subparsers(
        dest="action", required=True, metavar="ACTION", parser_class=_Parser
    )
    scope = _Parser(add_help=False, parents=[connection])
    scope.add_argument(
        "-j",
        "--job-definition",
        help=f"job definition name (required; with --emulator, default {seed.JOB_DEFINITION})",
    )
    settings = _Parser(add_help=False)
    settings.add_argument("--instance-type", help="e.g. cpu-1, gpu:b-4")
    settings.add_argument("--image", help="e.g. abeja-inc/all-cpu:19.10")
    settings.add_argument("--notebook-type", choices=NOTEBOOK_TYPES)
    where = "-o ORG -j JOB"
    seeded = seed.NOTEBOOK

    _command(
        actions,
        "list",
        "list the notebooks",
        "Print the notebooks of a job definition, one JSON document a line (or a table).",
        [f"abeja-models notebooks list {where}", "abeja-models notebooks list --emulator --table"],
        [scope],
    )
    _command(
        actions,
        "create",
        "create a notebook",
        "Create a notebook; it is Pending, then Running.",
        [
            f"abeja-models notebooks create {where} --instance-type cpu-1 --notebook-type lab",
            "abeja-models notebooks create --emulator --image abeja-inc/all-cpu:19.10",
        ],
        [scope, settings],
    )
    for action, summary, description in (
        ("get", "show a notebook", "Print one notebook."),
        ("stop", "stop a notebook", "Stop a notebook and print it."),
        (
            "delete",
            "delete a notebook",
            'Delete a notebook; prints {"training_notebook_id": ..., "deleted": true}.',
        ),
    ):
        _command(
            actions,
            action,
            summary,
            description,
            [
                f"abeja-models notebooks {action} {where} NOTEBOOK_ID",
                f"abeja-models notebooks {action} --emulator {seeded} --table",
            ],
            [scope],
        ).add_argument("notebook_id")
    update = _command(
        actions,
        "update",
        "change a notebook",
        "Change a notebook's instance type, image or type (at least one of them).",
        [
            f"abeja-models notebooks update {where} NOTEBOOK_ID --instance-type cpu-2",
            f"abeja-models notebooks update --emulator {seeded} --notebook-type notebook",
        ],
        [scope, settings],
    )
    update.add_argument("notebook_id")
    start = _command(
        actions,
        "start",
        "start a notebook",
        "Start a stopped notebook (as a Jupyter Notebook or JupyterLab) and print it.",
        [
            f"abeja-models notebooks start {where} NOTEBOOK_ID --notebook-type lab",
            f"abeja-models notebooks start --emulator {seed.STOPPED_NOTEBOOK} --table",
        ],
        [scope],
    )
    start.add_argument("notebook_id")
    start.add_argument("--notebook-type", choices=NOTEBOOK_TYPES)
    logs = _command(
        actions,
        "logs",
        "a notebook's recent log events",
        "Print a notebook's recent log events; with --follow, keep printing new ones until\n"
        "interrupted (or until the reader of the output goes away).",
        [
            f"abeja-models notebooks logs {where} NOTEBOOK_ID --follow",
            f"abeja-models notebooks logs --emulator {seeded} --table",
        ],
        [scope],
    )
    logs.add_argument("notebook_id")
    logs.add_argument("--follow", action="store_true", help="keep printing new events")
    notebooks.set_defaults(run=_run_notebooks)


def _port(text: str) -> int:
    return _int_within(text, 0, 65535, "a port (0 to 65535)")


def _page_size(text: str) -> int:
    return _int_within(text, 1, None, "a page size (1 or more)")


def _positive_count(text: str) -> int:
    return _int_within(text, 1, None, "a count (1 or more)")


def _int_within(text: str, lowest: int, highest: Optional[int], what: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = None
    if number is None or number < lowest or (highest is not None and number > highest):
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
    return number


def _seconds(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not (math.isfinite(number) and number > 0):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds > 0")
    return number


# Commands ---------------------------------------------------------------------------------


def _run_demo(arguments: argparse.Namespace) -> int:
    from ._demo import run_demo

    return run_demo(sys.stdout)


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
    from ._cli_output import print_documents, print_record
    from .testing import seed

    organization = _organization(arguments)
    deployment = _scope(arguments, "deployment", "-d/--deployment", seed.DEPLOYMENT)
    with _client(arguments) as client:
        triggers = client.organization(organization).deployment(deployment).triggers
        action, table = arguments.action, arguments.table
        if action == "list":
            print_documents(triggers.list(), table=table)
        elif action == "get":
            print_documents([triggers.get(arguments.trigger_id)], table=table)
        elif action == "delete":
            triggers.delete(arguments.trigger_id)
            print_record({"trigger_id": arguments.trigger_id, "deleted": True}, table=table)
        elif action == "runs":
            runs = triggers.runs(
                arguments.trigger_id, scan_forward=arguments.scan_forward, limit=arguments.limit
            )
            print_documents(runs, table=table)
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
            print_documents([created], table=table)
    return 0


def _run_notebooks(arguments: argparse.Namespace) -> int:
    from ._cli_output import print_documents, print_record
    from .testing import seed

    organization = _organization(arguments)
    job = _scope(arguments, "job_definition", "-j/--job-definition", seed.JOB_DEFINITION)
    action, table = arguments.action, arguments.table
    if action == "update" and not (
        arguments.instance_type or arguments.image or arguments.notebook_type
    ):
        _usage_error(
            arguments, "nothing to update: give --instance-type, --image or --notebook-type"
        )
    with _client(arguments) as client:
        notebooks = client.organization(organization).job_definition(job).notebooks
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
            record = {"training_notebook_id": arguments.notebook_id, "deleted": True}
            print_record(record, table=table)
        else:
            events = notebooks.logs(arguments.notebook_id, follow=arguments.follow)
            print_documents(events, table=table)
    return 0


# Helpers ----------------------------------------------------------------------------------


@contextlib.contextmanager
def _client(arguments: argparse.Namespace) -> Iterator[Client]:
    """The client a resource command uses: every setting is read (and checked) here."""
    from .resources import Client

    if arguments.emulator:
        with (
            _seeded_emulator() as emulator,
            Client(
                base_url=emulator.url, auth_token="emulator-token", timeout=arguments.timeout
            ) as client,
        ):
            yield client
        return
    try:
        client = Client(
            base_url=arguments.base_url,
            timeout=_timeout(arguments),
            max_retries=None if os.environ.get("ABEJA_SDK_MAX_RETRY_COUNT") else MAX_RETRIES,
        )
    except ValidationError as error:
        if arguments.base_url is not None and error.parameter == "base_url":
            raise  # a mistake in --base-url: a usage mistake
        raise _SettingsRefused(error, []) from None
    except AbejaError as error:
        raise _SettingsRefused(error, []) from None
    except Exception as error:  # its message may quote a credential
        names = [name for name in SETTING_VARIABLES if name in os.environ]
        if arguments.base_url:
            names.insert(0, "--base-url")
        raise _SettingsRefused(error, names) from None
    with client:
        yield client


@contextlib.contextmanager
def _seeded_emulator() -> Iterator[PlatformEmulator]:
    from .testing import PlatformEmulator, seed

    with PlatformEmulator(log_interval=1.0) as emulator:
        seed.seed(emulator)
        yield emulator


def _timeout(arguments: argparse.Namespace) -> Optional[Timeout]:
    """--timeout, else the variable (``None``: the client reads it), else the CLI's pair."""
    if arguments.timeout is not None:
        return cast(float, arguments.timeout)
    if os.environ.get("ABEJA_SDK_CONNECTION_TIMEOUT"):
        return None
    return (CONNECT_TIMEOUT, READ_TIMEOUT)


def _organization(arguments: argparse.Namespace) -> str:
    from .testing import seed

    organization: Optional[str] = arguments.organization
    if organization:
        return organization
    if arguments.emulator:
        return seed.ORGANIZATION
    _usage_error(arguments, f"missing -o/--organization: give it, or set {ORGANIZATION_VARIABLE}")


def _scope(arguments: argparse.Namespace, name: str, flag: str, seeded: str) -> str:
    value: Optional[str] = getattr(arguments, name)
    if value is not None:
        return value
    if arguments.emulator:
        return seeded
    _usage_error(arguments, f"missing {flag} (no variable stands for it)")


def _usage_error(arguments: argparse.Namespace, message: str) -> NoReturn:
    """Report a usage mistake found after parsing as argparse does (exit 2)."""
    parser: _Parser = arguments.parser
    parser.error(message)


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


if __name__ == "__main__":
    sys.exit(main())
