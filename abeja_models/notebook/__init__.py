"""Seed-compatible low-level client of the Notebook API (like ``abeja.notebook.APIClient``)."""

from ..models.wire import (
    CreatorDict,
    DeletedNotebookDict,
    LogEventDict,
    MessageDict,
    NotebookDict,
    NotebookListDict,
    NotebookLogPageDict,
)
from ._client import APIClient, NotebookActionResult, NotebookListResult

__all__ = [
    "APIClient",
    "CreatorDict",
    "DeletedNotebookDict",
    "LogEventDict",
    "MessageDict",
    "NotebookActionResult",
    "NotebookDict",
    "NotebookListDict",
    "NotebookListResult",
    "NotebookLogPageDict",
]
