"""Seed-compatible low-level client of the Notebook API (like ``abeja.notebook.APIClient``)."""

from ._client import APIClient

__all__ = ["APIClient"]
