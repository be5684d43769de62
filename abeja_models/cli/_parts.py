"""What every parser here is made of: a parser that reports a mistake on one line,
subcommands whose help shows examples, and readers of option values.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import NoReturn, Optional

from ._report import EXIT_USAGE


class Parser(argparse.ArgumentParser):
    """argparse, with usage mistakes reported on one line."""

    def error(self, message: str) -> NoReturn:
        """Print the mistake on one line and exit 2."""
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


Commands = argparse._SubParsersAction
"""Where subcommands are added (``add_subparsers``'s answer)."""


def subcommands(parser: Parser, dest: str, metavar: str) -> Commands[Parser]:
    """The required subcommands of ``parser``: one missing or unknown is a usage mistake."""
    return parser.add_subparsers(dest=dest, required=True, metavar=metavar, parser_class=Parser)


def command(
    commands: Commands[Parser],
    name: str,
    summary: str,
    description: str,
    examples: list[str],
    handler: Callable[[argparse.Namespace], int],
    parents: Sequence[Parser] = (),
) -> Parser:
    """A subcommand bound to its handler, whose --help says what it does and how to call it."""
    parser = _described(commands, name, summary, description, examples, parents)
    parser.set_defaults(handler=handler)
    return parser


def group(
    commands: Commands[Parser], name: str, summary: str, description: str, examples: list[str]
) -> Commands[Parser]:
    """A subcommand made of subcommands (``triggers list``): where to add them."""
    parser = _described(commands, name, summary, description, examples, ())
    return subcommands(parser, "action", "ACTION")


def _described(
    commands: Commands[Parser],
    name: str,
    summary: str,
    description: str,
    examples: list[str],
    parents: Sequence[Parser],
) -> Parser:
    lines = "\n".join(f"  {example}" for example in examples)
    parser = commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=f"examples:\n{lines}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=list(parents),
    )
    # The parser that reports a mistake found after parsing (see _client.usage_error).
    parser.set_defaults(parser=parser)
    return parser


def port(text: str) -> int:
    """A port number, 0 to 65535."""
    return _int_within(text, 0, 65535, "a port (0 to 65535)")


def page_size(text: str) -> int:
    """A page size, 1 or more."""
    return _int_within(text, 1, None, "a page size (1 or more)")


def positive_count(text: str) -> int:
    """A count, 1 or more."""
    return _int_within(text, 1, None, "a count (1 or more)")


def _int_within(text: str, lowest: int, highest: Optional[int], what: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = None
    if number is None or number < lowest or (highest is not None and number > highest):
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
    return number

