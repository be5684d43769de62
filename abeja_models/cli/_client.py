"""The client a resource command uses, and the collection its options point at."""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NoReturn, Optional, TypeVar, cast

from .._config import MAX_RETRIES_VARIABLE, SETTING_VARIABLES, TIMEOUT_VARIABLE
from ..errors import AbejaError, ValidationError
from ._report import SettingsRefused, retries_reported

if TYPE_CHECKING:
    from .._config import Timeout
    from ..resources import Client, Notebooks, Triggers
    from ..testing import PlatformEmulator

CONNECT_TIMEOUT = 3.05
"""Seconds to wait for a connection, unless --timeout or ABEJA_SDK_CONNECTION_TIMEOUT says."""
READ_TIMEOUT = 30.0
"""Seconds to wait for each read of an answer, unless --timeout or the variable says."""
MAX_RETRIES = 2
"""Retries of a passing failure, unless ABEJA_SDK_MAX_RETRY_COUNT says."""
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
    """The client a resource command uses: every setting is read (and checked) here."""
    from ..resources import Client

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
            max_retries=None if os.environ.get(MAX_RETRIES_VARIABLE) else MAX_RETRIES,
        )
    except ValidationError as error:
        if arguments.base_url is not None and error.parameter == "base_url":
            raise  # a mistake in --base-url: a usage mistake
        raise SettingsRefused(error, []) from None
    except AbejaError as error:
        raise SettingsRefused(error, []) from None
    except Exception as error:  # its message may quote a credential
        names = [name for name in SETTING_VARIABLES if name in os.environ]
        if arguments.base_url:
            names.insert(0, "--base-url")
        raise SettingsRefused(error, names) from None
    with client:
        yield client


@contextlib.contextmanager
def _seeded_emulator() -> Iterator[PlatformEmulator]:
    from ..testing import PlatformEmulator, seed

    with PlatformEmulator(log_interval=1.0) as emulator:
        seed.seed(emulator)
        yield emulator


def _timeout(arguments: argparse.Namespace) -> Optional[Timeout]:
    """--timeout, else the variable (``None``: the client reads it), else the CLI's pair."""
    if arguments.timeout is not None:
        return cast(float, arguments.timeout)
    if os.environ.get(TIMEOUT_VARIABLE):
        return None
    return (CONNECT_TIMEOUT, READ_TIMEOUT)


def _organization(arguments: argparse.Namespace) -> str:
    from ..testing import seed

    organization: Optional[str] = arguments.organization
    if organization:
        return organization
    if arguments.emulator:
        return seed.ORGANIZATION
    usage_error(arguments, f"missing -o/--organization: give it, or set {ORGANIZATION_VARIABLE}")


def _scope(arguments: argparse.Namespace, name: str, flag: str, seeded: str) -> str:
    value: Optional[str] = getattr(arguments, name)
    if value is not None:
        return value
    if arguments.emulator:
        return seeded
    usage_error(arguments, f"missing {flag} (no variable stands for it)")
