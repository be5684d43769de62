"""Test against a local ABEJA Platform: ``PlatformEmulator`` and a pytest fixture.

The emulator needs only the standard library; the ``abeja_emulator`` fixture is
registered with pytest when this package is installed.
"""

from typing import TYPE_CHECKING

from .. import _lazy

if TYPE_CHECKING:
    from ._emulator import PlatformEmulator
    from ._faults import Drop, Fault, Malformed, RecordedRequest
    from ._server import MAX_REQUEST_BODY
    from ._service import Credential

# Loaded on first use: pytest loads the plugin of every test run, and the command line
# reads the seeded ids, neither of which needs the emulator's server.
_LAZY = {
    "MAX_REQUEST_BODY": "_server",
    "Credential": "_service",
    "Drop": "_faults",
    "Fault": "_faults",
    "Malformed": "_faults",
    "PlatformEmulator": "_emulator",
    "RecordedRequest": "_faults",
}


__getattr__, __dir__ = _lazy.lazy_names(__name__, globals(), _LAZY)

__all__ = [
    "MAX_REQUEST_BODY",
    "Credential",
    "Drop",
    "Fault",
    "Malformed",
    "PlatformEmulator",
    "RecordedRequest",
]
