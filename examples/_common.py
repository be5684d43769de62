"""What the example scripts share: their two common options, the ids they cannot do
without, the client they run with, how an API error ends them, and the clean-up.

Not an example itself: the scripts import it from their own folder (``python
examples/x.py`` puts that folder first on ``sys.path``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Callable, Optional, Union

from abeja_models import AbejaError, Client, Notebook, Trigger
from abeja_models.testing import PlatformEmulator


def example_parser(doc: Optional[str]) -> argparse.ArgumentParser:
    """A parser described by the script's first paragraph, with ``--emulator`` and
    ``--organization`` (default ``$ABEJA_ORGANIZATION_ID``)."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--emulator", action="store_true", help="use a local emulator")
    parser.add_argument(
        "--organization",
        default=os.environ.get("ABEJA_ORGANIZATION_ID"),
        help="organization id (default $ABEJA_ORGANIZATION_ID)",
    )
    return parser


def parse_example_args(
    parser: argparse.ArgumentParser,
    argv: Optional[Sequence[str]],
    *,
    needed: Sequence[str],
    on_the_emulator: Mapping[str, object],
) -> argparse.Namespace:
    """The arguments; ``on_the_emulator`` are the defaults under ``--emulator``.

    Without ``--emulator`` every option named in ``needed`` (by its destination) must be
    given, or the script stops with a usage error that lists the missing ones.
    """
    if parser.parse_args(argv).emulator:
        parser.set_defaults(**on_the_emulator)
    args = parser.parse_args(argv)
    if not args.emulator:
        missing = [f"--{name.replace('_', '-')}" for name in needed if not getattr(args, name)]
        if missing:
            parser.error(f"give {', '.join(missing)} (or run with --emulator)")
    return args


def run_with_client(
    job: Callable[[Client], int], emulator: Optional[PlatformEmulator] = None
) -> int:
    """``job``'s exit status, run with a client of the platform (its settings and
    credentials from the environment) or, when given, of ``emulator``, started for it.

    An API error is printed and ends the script with 1; the client and the emulator are
    closed on the way out.
    """
    try:
        if emulator is None:
            with Client() as client:
                return job(client)
        with emulator, Client(base_url=emulator.url, auth_token="example-token") as client:
            print(f"emulator listening on {emulator.url}")
            return job(client)
    except AbejaError as error:
        print(f"error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


@contextlib.contextmanager
def deleted_unless_kept(resource: Union[Trigger, Notebook], *, keep: bool) -> Iterator[None]:
    """Delete ``resource`` when the block ends, however it ends, unless ``keep``."""
    if isinstance(resource, Trigger):
        named = f"trigger {resource.trigger_id}"
    else:
        named = f"notebook {resource.notebook_id}"
    try:
        yield
    finally:
        if keep:
            print(f"kept {named}")
        else:
            resource.delete()
            print(f"deleted {named}")
