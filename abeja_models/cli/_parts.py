"""What every parser here is made of: a parser that reports a mistake on one line,
subcommands whose help shows examples, and readers of option values.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, Optional, Union, cast

from .._config import check_seconds
from ..errors import ValidationError
from ._report import EXIT_USAGE, fail


class Parser(argparse.ArgumentParser):
    """argparse, with usage mistakes reported on one line."""

    def error(self, message: str) -> NoReturn:
        """Print the mistake on one line and exit 2."""
        fail(f"{message} (see {self.prog} --help)")
        self.exit(EXIT_USAGE)


if TYPE_CHECKING:
    _SubParsers = argparse._SubParsersAction[Parser]
else:
    _SubParsers = argparse._SubParsersAction


class Commands(_SubParsers):
    """Where subcommands are added (``add_subparsers``'s answer).

    A subcommand added with ``later`` is built only when it is chosen, so that a command
    builds (and imports) only what it runs: ``--help`` and ``--version`` stay fast.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._unbuilt: dict[str, Callable[[Parser], None]] = {}

    def later(self, name: str, summary: str, build: Callable[[Parser], None]) -> None:
        """A subcommand listed as ``name`` with ``summary``, built by ``build`` when chosen."""
        self.add_parser(name, help=summary)
        self._unbuilt[name] = build

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Union[str, Sequence[Any], None],
        option_string: Optional[str] = None,
    ) -> None:
        """Build the chosen subcommand if it waits to be, then parse its arguments."""
        if values:
            build = self._unbuilt.pop(values[0], None)
            if build is not None:
                build(self.choices[values[0]])
        super().__call__(parser, namespace, values, option_string)


def subcommands(parser: Parser, dest: str, metavar: str) -> Commands:
    """The required subcommands of ``parser``: one missing or unknown is a usage mistake."""
    chosen = parser.add_subparsers(
        action=Commands, dest=dest, required=True, metavar=metavar, parser_class=Parser
    )
    return cast(Commands, chosen)


def command(
    commands: Commands,
    name: str,
    summary: str,
    description: str,
    examples: list[str],
    handler: Callable[[argparse.Namespace], int],
    parents: Sequence[Parser] = (),
) -> Parser:
    """A subcommand bound to its handler, whose --help says what it does and how to call it."""
    parser = commands.add_parser(name, help=summary, parents=list(parents))
    _describe(parser, description, examples)
    parser.set_defaults(handler=handler)
    return parser


def group(parser: Parser, description: str, examples: list[str]) -> Commands:
    """Make ``parser`` a command made of subcommands (``triggers list``): where to add them."""
    _describe(parser, description, examples)
    return subcommands(parser, "action", "ACTION")


def _describe(parser: Parser, description: str, examples: list[str]) -> None:
    lines = "\n".join(f"  {example}" for example in examples)
    parser.description = description
    parser.epilog = f"examples:\n{lines}"
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    # The parser that reports a mistake found after parsing (see _client.usage_error).
    parser.set_defaults(parser=parser)


def port(text: str) -> int:
    """A port number, 0 to 65535."""
    return _int_within(text, 0, 65535, "a port (0 to 65535)")


def page_size(text: str) -> int:
    """A page size, 1 or more."""
    return _int_within(text, 1, None, "a page size (1 or more)")


def positive_count(text: str) -> int:
    """A count, 1 or more."""
    return _int_within(text, 1, None, "a count (1 or more)")


def seconds(text: str) -> float:
    """A number of seconds, by the rule every duration of the SDK follows (``check_seconds``)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan  # refused below, in the rule's own words
    try:
        return check_seconds("seconds", value)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not {error.allowed}") from None


def _int_within(text: str, lowest: int, highest: Optional[int], what: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = None
    if number is None or number < lowest or (highest is not None and number > highest):
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
    return number

