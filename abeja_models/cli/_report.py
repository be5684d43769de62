"""How a command ends: its exit code, and one line on stderr that never shows a credential."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from typing import Optional

from .._config import CREDENTIAL_PAIRS, SECRET_VARIABLES
from ..errors import AbejaError, Unauthorized, ValidationError

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

class SettingsRefused(Exception):
    """A setting read from the environment was refused: the environment's fault, not the
    command's (exit 1, not 2)."""

    def __init__(self, cause: ValidationError) -> None:
        super().__init__(str(cause))
        self.cause = cause


def run_reported(arguments: argparse.Namespace) -> int:
    """Run the command's handler; whatever goes wrong becomes one line and an exit code."""
    try:
        code: int = arguments.handler(arguments)
    except ValidationError as error:
        # Every setting is read when the client is made (see _client); a ValidationError
        # after that is about an argument of the command.
        fail(f"ValidationError: {error} (see {arguments.parser.prog} --help)")
        return EXIT_USAGE
    except Unauthorized as error:
        hint = None if arguments.emulator else _credentials_hint(arguments)
        if hint is None:
            fail(f"Unauthorized: {error}")
        else:
            fail(f"Unauthorized: the platform wants credentials: {hint}")
        return EXIT_ERROR
    except AbejaError as error:
        fail(f"{type(error).__name__}: {error}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader (``| head``) left: stop quietly, as other command-line tools do.
        _discard_standard_output()
        return 0
    except SettingsRefused as refused:
        fail(f"ValidationError: {refused.cause}")
        return EXIT_ERROR
    except Exception as error:
        # Not an AbejaError: a bug here or in a library below. Its message may quote a
        # credential (http.client quotes a header it refuses), so only its type is shown.
        fail(f"internal error: {type(error).__name__} (details withheld: they may hold a secret)")
        return EXIT_ERROR
    return code


def fail(message: str) -> None:
    """Print one line on stderr, with any credential of the environment masked."""
    line = _redact(" ".join(_redact(message).split()))
    sys.stderr.write(f"abeja-models: error: {line}\n")


def _redact(text: str) -> str:
    """Mask the credentials of the environment in ``text``.

    The errors are built not to hold a credential; this holds even if one slips through.
    """
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
def retries_reported() -> Iterator[None]:
    """Report the SDK's INFO records (retries) on stderr while a command's client is open.

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


def _credentials_hint(arguments: argparse.Namespace) -> Optional[str]:
    """What to set, in the command line's terms, when no credentials were configured.

    ``None`` when the client had credentials (then the platform refused those): found as
    the client finds them, from the environment and the configuration file.
    """
    from .._config import HOW_TO_CONFIGURE, credentials_from
    from ._client import profile_of

    try:
        if credentials_from(profile=profile_of(arguments)) is not None:
            return None
    except ValidationError:
        return None

    def given(name: str) -> bool:
        return bool(os.environ.get(name, "").strip())

    for first, second in CREDENTIAL_PAIRS:
        if given(first) != given(second):
            present, missing = (first, second) if given(first) else (second, first)
            return f"{present} is set but {missing} is not: set {missing} too"
    return f"none are set: {HOW_TO_CONFIGURE}; or use --emulator to try the command locally"
