"""The parser: the commands, their options and help, each bound to its handler."""

from __future__ import annotations

import argparse
import functools

from .._config import (
    BASE_URL_VARIABLE,
    CONFIG_FILE,
    CREDENTIAL_PAIRS,
    MAX_RETRIES_VARIABLE,
    ORGANIZATION_VARIABLES,
    PROFILE_VARIABLE,
    SETTINGS,
    TIMEOUT_VARIABLE,
    TOKEN_VARIABLE,
    Settings,
)
from .._version import __version__
from . import _local
from ._parts import Commands, Parser, command, page_size, port, subcommands

_USER, _PERSONAL_ACCESS_TOKEN = CREDENTIAL_PAIRS[0]
_ORGANIZATION = ORGANIZATION_VARIABLES[0]
_CONNECT, _READ = SETTINGS["timeout"].command_line
_RETRIES = SETTINGS["max_retries"].command_line
_EPILOG = f"""\
environment:
  {BASE_URL_VARIABLE:<30}the API (default {Settings.base_url}); or --base-url
  {TOKEN_VARIABLE:<30}a platform auth token, or both of:
  {_USER:<32}a user id and
  {_PERSONAL_ACCESS_TOKEN}  its personal access token
  {_ORGANIZATION:<30}the organization; or -o/--organization
  {PROFILE_VARIABLE:<30}the configuration of {CONFIG_FILE}; or --profile
  {TIMEOUT_VARIABLE:<30}seconds per connect and read; or --timeout (default:
                                {_CONNECT:g} s to connect, {_READ:g} s per read)
  {MAX_RETRIES_VARIABLE:<30}retries of a passing failure (default here: {_RETRIES});
                                each retry is reported on stderr

  Without them, the URL, the credentials and the organization come from the
  active configuration of {CONFIG_FILE} (the platform CLI's `abeja config init`).

exit status:
  0  done (also when the reader of the output went away, as with `| head`)
  1  the platform, the network or the settings in the environment refused
  2  a usage mistake: a missing or invalid option or argument
  130 interrupted
"""


_SETTING_HELP = {
    "base_url": f"API URL (default ${BASE_URL_VARIABLE}, else the profile's abeja-api-url,"
    f" else {Settings.base_url})",
    "timeout": f"seconds per connect and read (default ${TIMEOUT_VARIABLE},"
    f" else {_CONNECT:g} to connect and {_READ:g} per read)",
}
"""The help of each setting's option: the settings that have a flag (``Rule.flag``)."""


def build_parser() -> Parser:
    """The whole command line: ``demo``, ``emulator``, ``triggers ...``, ``notebooks ...``."""
    parser = Parser(
        prog="abeja-models",
        description="The ABEJA Platform Trigger and Notebook APIs, typed, from a shell.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"abeja-models {__version__}")
    commands = subcommands(parser, "command", "COMMAND")
    command(
        commands,
        "demo",
        "walk through the SDK against a local emulator",
        "Create a trigger and watch its runs, page through their history, start a notebook\n"
        "and tail its log, then see mistakes caught and failures retried: the whole SDK\n"
        "against an in-process emulator on 127.0.0.1 (no account, no network).",
        ["abeja-models demo"],
        _local.run_demo,
    )
    _add_emulator_command(commands)
    for name, summary in (
        ("triggers", "the triggers of a deployment"),
        ("notebooks", "the notebooks of a job definition"),
    ):
        commands.later(name, summary, functools.partial(_add_resource_commands, name))
    return parser


def _add_resource_commands(name: str, parser: Parser) -> None:
    """Build a resource group once it is chosen: its options read the parameter models."""
    from ._resource_parsers import add_resource_commands

    add_resource_commands(name, parser, _connection_options())


def _add_emulator_command(commands: Commands) -> None:
    emulator = command(
        commands,
        "emulator",
        "serve a local platform until interrupted",
        "Serve an emulated ABEJA Platform (Trigger and Notebook APIs) over HTTP until\n"
        "Ctrl-C, and print the variables that point a client at it.",
        [
            "abeja-models emulator --port 8080",
            "abeja-models emulator --port 0 --page-size 10",
            "abeja-models emulator --seed",
        ],
        _local.serve_emulator,
    )
    emulator.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    emulator.add_argument(
        "--port", type=port, default=8080, help="port (default 8080; 0: any free one)"
    )
    emulator.add_argument(
        "--page-size", type=page_size, default=50, help="trigger runs and log events per page"
    )
    emulator.add_argument(
        "--seed",
        action="store_true",
        help="start with the data --emulator shows (abeja_models.testing.seed), not empty",
    )


def _connection_options() -> Parser:
    """The options every resource command shares: where the platform is, how to print."""
    from ..testing import seed

    connection = Parser(add_help=False)
    connection.add_argument(
        "-o",
        "--organization",
        help=f"organization id (default ${_ORGANIZATION}, else the profile's organization;"
        f" with --emulator, {seed.ORGANIZATION})",
    )
    connection.add_argument(
        "--profile",
        metavar="NAME",
        help=f"the configuration of {CONFIG_FILE} to use (default ${PROFILE_VARIABLE},"
        " else the file's active one)",
    )
    # The emulator has its own URL: a --base-url beside it would be silently ignored.
    platform = connection.add_mutually_exclusive_group()
    platform.add_argument(
        "--emulator",
        action="store_true",
        help="use an in-process emulator seeded with data, not the platform; what a command"
        " changes there is forgotten when it ends",
    )
    connection.add_argument("--table", action="store_true", help="aligned columns, not JSON")
    for name, help in _SETTING_HELP.items():
        rule = SETTINGS[name]
        assert rule.flag is not None, f"the setting {name} has no flag"
        container = platform if name == "base_url" else connection
        container.add_argument(rule.flag, dest=name, type=rule.from_text, help=help)
    return connection
