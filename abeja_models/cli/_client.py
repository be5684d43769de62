"""The client a resource command uses, and the collection its options point at."""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NoReturn, Optional, TypeVar

from ..errors import ValidationError
from ._report import SettingsRefused, retries_reported

if TYPE_CHECKING:
    from ..resources import Client, Notebooks, Triggers
    from ..testing import PlatformEmulator

ORGANIZATION_VARIABLE = "ABEJA_ORGANIZATION_ID"

CollectionT = TypeVar("CollectionT")


def triggers_of(arguments: argparse.Namespace) -> contextlib.AbstractContextManager[Triggers]:
    """The deployment's triggers: -o and -d are checked now, the client made on entering."""
    from ..testing import seed

    organization = _organization(arguments)
    deployment = _scope(arguments, "deployment", "-d/--deployment", seed.DEPLOYMENT)
    return _opened(
        arguments, lambda client: client.organization(organization).deployment(deployment).triggers
    )


def notebooks_of(arguments: argparse.Namespace) -> contextlib.AbstractContextManager[Notebooks]:
    """The job definition's notebooks: -o and -j are checked now, the client made on entering."""
    from ..testing import seed

    organization = _organization(arguments)
    job = _scope(arguments, "job_definition", "-j/--job-definition", seed.JOB_DEFINITION)
    return _opened(
        arguments, lambda client: client.organization(organization).job_definition(job).notebooks
    )


def usage_error(arguments: argparse.Namespace, message: str) -> NoReturn:
    """Report a usage mistake found after parsing as argparse does (exit 2)."""
    parser: argparse.ArgumentParser = arguments.parser
    parser.error(message)


@contextlib.contextmanager
def _opened(
    arguments: argparse.Namespace, collection: Callable[[Client], CollectionT]
) -> Iterator[CollectionT]:
    with retries_reported(), _client(arguments) as client:
        yield collection(client)


@contextlib.contextmanager
def _client(arguments: argparse.Namespace) -> Iterator[Client]:
    """The client a resource command uses, on the settings' command-line presets.

    A setting refused is a usage mistake when it came from an option (its parameter is
    the option), and the environment's fault otherwise (``SettingsRefused``).
    """
    from .._config import SETTINGS, credentials_from, resolve_settings
    from ..resources import Client

    options = {name: getattr(arguments, name) for name, rule in SETTINGS.items() if rule.flag}
    with contextlib.ExitStack() as stack:
        token = None
        if arguments.emulator:
            options["base_url"] = stack.enter_context(_seeded_emulator()).url
            token = "emulator-token"
        try:
            settings = resolve_settings(
                credentials=credentials_from(auth_token=token), command_line=True, **options
            )
        except ValidationError as error:
            if error.parameter.startswith("--"):
                raise
            raise SettingsRefused(error) from None
        yield stack.enter_context(Client._from_settings(settings))


@contextlib.contextmanager
def _seeded_emulator() -> Iterator[PlatformEmulator]:
    from ..testing import PlatformEmulator, seed

    with PlatformEmulator(log_interval=1.0) as emulator:
        seed.seed(emulator)
        yield emulator


def _organization(arguments: argparse.Namespace) -> str:
    """-o, else the seeded one with --emulator (whatever the environment says), else the
    variable."""
    from ..testing import seed

    organization: Optional[str] = arguments.organization
    if organization is None:
        if arguments.emulator:
            return seed.ORGANIZATION
        organization = os.environ.get(ORGANIZATION_VARIABLE)
    if organization:
        return organization
    usage_error(arguments, f"missing -o/--organization: give it, or set {ORGANIZATION_VARIABLE}")


def _scope(arguments: argparse.Namespace, name: str, flag: str, seeded: str) -> str:
    value: Optional[str] = getattr(arguments, name)
    if value is not None:
        return value
    if arguments.emulator:
        return seeded
    usage_error(arguments, f"missing {flag} (no variable stands for it)")
