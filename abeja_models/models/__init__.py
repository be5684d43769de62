"""Pydantic models of the platform's documents and of the requests' parameters (no I/O)."""

from .notebook import Creator, LogEvent, Notebook, NotebookList, NotebookLogPage
from .params import (
    CreateTriggerParams,
    Images,
    InstanceTypes,
    NotebookParams,
    NotebookType,
    StartNotebookParams,
)
from .trigger import Trigger, TriggerList, TriggerRun, TriggerRunPage

__all__ = [
    "CreateTriggerParams",
    "Creator",
    "Images",
    "InstanceTypes",
    "LogEvent",
    "Notebook",
    "NotebookList",
    "NotebookLogPage",
    "NotebookParams",
    "NotebookType",
    "StartNotebookParams",
    "Trigger",
    "TriggerList",
    "TriggerRun",
    "TriggerRunPage",
]
