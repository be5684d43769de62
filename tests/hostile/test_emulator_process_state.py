"""The emulator as a library leaves the process as it found it, and speaks only through logging."""

from __future__ import annotations

import gc
import logging
import signal
import socket
import sys
import threading
import warnings

import pytest

from abeja_models.testing import PlatformEmulator

from .test_emulator_malformed_requests import TRIGGERS, exchange, port_of, request


def process_wide_state() -> dict[str, object]:
    """What a library must not change: signals, logging, warnings, hooks, gc, limits."""
    handlers = {}
    for number in signal.valid_signals():
        try:
            handlers[number] = signal.getsignal(number)
        except (OSError, ValueError):
            continue
    loggers = {
        name: (logger.level, list(logger.handlers), logger.propagate, logger.disabled)
        for name, logger in [("", logging.getLogger())]
        + [(name, logging.getLogger(name)) for name in ("abeja_models", "abeja_models.testing")]
    }
    return {
        "signals": handlers,
        "loggers": loggers,
        "logging.disable": logging.root.manager.disable,
        "warnings": list(warnings.filters),
        "gc": gc.isenabled(),
        "recursion limit": sys.getrecursionlimit(),
        "excepthook": sys.excepthook,
        "threading.excepthook": threading.excepthook,
        "socket timeout": socket.getdefaulttimeout(),
    }


def test_emulator_changes_no_process_wide_state(capfd: pytest.CaptureFixture[str]) -> None:
    before = process_wide_state()
    threads = set(threading.enumerate())
    with PlatformEmulator() as emulator:
        port = port_of(emulator)
        assert exchange(port, request("GET", TRIGGERS)).status == 200
        assert exchange(port, request("POST", TRIGGERS, length="abc")).status == 400
        assert exchange(port, request("POST", TRIGGERS, b"[" * 100_000)).status == 400
        during = process_wide_state()
    assert during == before
    assert process_wide_state() == before
    left = set(threading.enumerate()) - threads
    assert not [thread for thread in left if thread.name.startswith("abeja-emulator")]
    assert capfd.readouterr() == ("", "")


def test_emulator_access_lines_go_to_its_logger_at_debug(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG, logger="abeja_models.testing")
    with PlatformEmulator() as emulator:
        exchange(port_of(emulator), request("GET", TRIGGERS))
        exchange(port_of(emulator), b"\x00garbage\r\n\r\n")
    lines = [r for r in caplog.records if r.name == "abeja_models.testing"]
    assert {r.levelno for r in lines} == {logging.DEBUG}
    messages = [r.getMessage() for r in lines]
    assert any(f'"GET {TRIGGERS} HTTP/1.1" 200' in message for message in messages), messages
    assert any("400" in message for message in messages), messages
    assert capfd.readouterr() == ("", "")
