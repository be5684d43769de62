"""The client a resource command uses, and the collection its options point at."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NoReturn, Optional, TypeVar

from ..errors import ValidationError
from ._report import SettingsRefused, retries_reported

if TYPE_CHECKING:
    from .._config import ProfileReader
    from ..resources import Client, Notebooks, Triggers
    from ..testing import PlatformEmulator

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
    """The client a resource command uses, on the settings' command-line presets."""
    from .._config import SETTINGS, credentials_from, resolve_settings
    from ..resources import Client

    options = {name: getattr(arguments, name) for name, rule in SETTINGS.items() if rule.flag}
    with contextlib.ExitStack() as stack:
        token, profile = None, None
        if arguments.emulator:
            options["base_url"] = stack.enter_context(_seeded_emulator()).url
            token = "emulator-token"
        with _refused_as_settings():
            # The emulator stands for the file's URL and credentials: it is not read.
            profile = None if arguments.emulator else profile_of(arguments)
            settings = resolve_settings(
                credentials=credentials_from(auth_token=token, profile=profile),
                profile=profile,
                command_line=True,
                **options,
            )
        yield stack.enter_context(Client._from_settings(settings))


@contextlib.contextmanager
def _refused_as_settings() -> Iterator[None]:
    """A setting refused is a usage mistake when it came from an option (its parameter is
    the option), and the fault of the environment or ``~/.abeja/config`` otherwise
    (``SettingsRefused``)."""
    try:
        yield
    except ValidationError as error:
        if error.parameter.startswith("--"):
            raise
        raise SettingsRefused(error) from None


@contextlib.contextmanager
def _seeded_emulator() -> Iterator[PlatformEmulator]:
    from ..testing import PlatformEmulator, seed

    with PlatformEmulator(log_interval=1.0) as emulator:
        seed.seed(emulator)
        yield emulator


def _organization(arguments: argparse.Namespace) -> str:
    """-o, else with --emulator the seeded one (whatever the environment says), else the
    configured default organization."""
    from .._config import CONFIG_FILE, ORGANIZATION_VARIABLES, default_organization
    from ..models._rules import id_text
    from ..testing import seed

    organization: Optional[str] = arguments.organization
    if organization:
        return organization
    if arguments.emulator:
        return seed.ORGANIZATION
    with _refused_as_settings():
        configured = default_organization(profile_of(arguments))
        if configured is not None:
            return id_text(configured[1], configured[0])
    usage_error(
        arguments,
        f"missing -o/--organization: give it, or set {ORGANIZATION_VARIABLES[0]}"
        f" (or the organization-name of {CONFIG_FILE})",
    )


def profile_of(arguments: argparse.Namespace) -> ProfileReader:
    """How the command reads the configuration of ``~/.abeja/config`` --profile names
    (default: $ABEJA_PROFILE, else the file's active one): one reader for the command, so
    the organization, the client and a hint after a refusal read the file at most once."""
    from .._config import profile_reader

    reader: Optional[ProfileReader] = getattr(arguments, "profile_reader", None)
    if reader is None:
        reader = arguments.profile_reader = profile_reader(arguments.profile, spelt="--profile")
    return reader


def _scope(arguments: argparse.Namespace, name: str, flag: str, seeded: str) -> str:
    value: Optional[str] = getattr(arguments, name)
    if value is not None:
        return value
    if arguments.emulator:
        return seeded
    usage_error(arguments, f"missing {flag} (no variable stands for it)")
