"""Seed-compatible low-level client of the Trigger API (like ``abeja.triggers.APIClient``)."""

from ._client import APIClient

__all__ = ["APIClient"]
