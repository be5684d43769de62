"""Pydantic models of the platform's documents and of the requests' parameters (no I/O)."""

from ._base import Id, PlatformModel, Timestamp
from .notebook import (
    Creator,
    LogEvent,
    Notebook,
    NotebookList,
    NotebookLogPage,
    NotebookStatus,
    NotebookStatuses,
)
from .params import (
    CreateTriggerParams,
    Images,
    InstanceTypes,
    NotebookParams,
    NotebookType,
    StartNotebookParams,
)
from .trigger import (
    Trigger,
    TriggerList,
    TriggerRun,
    TriggerRunPage,
    TriggerRunStatus,
    TriggerRunStatuses,
    TriggerRunStatusFilter,
)

__all__ = [
    "CreateTriggerParams",
    "Creator",
    "Id",
    "Images",
    "InstanceTypes",
    "LogEvent",
    "Notebook",
    "NotebookList",
    "NotebookLogPage",
    "NotebookParams",
    "NotebookStatus",
    "NotebookStatuses",
    "NotebookType",
    "PlatformModel",
    "StartNotebookParams",
    "Timestamp",
    "Trigger",
    "TriggerList",
    "TriggerRun",
    "TriggerRunPage",
    "TriggerRunStatus",
    "TriggerRunStatusFilter",
    "TriggerRunStatuses",
]
