"""Seed-compatible low-level client of the Trigger API (like ``abeja.triggers.APIClient``)."""

from ..models.wire import (
    MessageDict,
    TriggerDict,
    TriggerListDict,
    TriggerRunDict,
    TriggerRunPageDict,
)
from ._client import APIClient

__all__ = [
    "APIClient",
    "MessageDict",
    "TriggerDict",
    "TriggerListDict",
    "TriggerRunDict",
    "TriggerRunPageDict",
]
