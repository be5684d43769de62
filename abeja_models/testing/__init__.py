"""Test against a local ABEJA Platform: ``PlatformEmulator`` and a pytest fixture.

The emulator needs only the standard library; the ``abeja_emulator`` fixture is
registered with pytest when this package is installed.
"""

from ._emulator import PlatformEmulator
from ._faults import Drop, Fault, Malformed, RecordedRequest
from ._server import MAX_REQUEST_BODY
from ._service import Credential

__all__ = [
    "MAX_REQUEST_BODY",
    "Credential",
    "Drop",
    "Fault",
    "Malformed",
    "PlatformEmulator",
    "RecordedRequest",
]
