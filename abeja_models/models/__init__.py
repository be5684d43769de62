"""Pydantic models of the platform's documents and of the requests' parameters (no I/O)."""

from . import notebook, trigger
from ._base import BoundDocument, Id, PlatformModel, Timestamp

# Each API's documents are re-exported whole, as its module's ``__all__`` lists them: the
# aliases say "re-exported" to type checkers, ``__all__ +=`` below to ``import *``.
from .notebook import (
    Creator as Creator,
    LogEvent as LogEvent,
    Notebook as Notebook,
    NotebookList as NotebookList,
    NotebookLogPage as NotebookLogPage,
    NotebookStatus as NotebookStatus,
    NotebookStatuses as NotebookStatuses,
)
from .params import (
    CreateTriggerParams,
    Images,
    InstanceTypes,
    NotebookParams,
    NotebookType,
    StartNotebookParams,
    UpdateNotebookParams,
)
from .trigger import (
    Trigger as Trigger,
    TriggerList as TriggerList,
    TriggerRun as TriggerRun,
    TriggerRunPage as TriggerRunPage,
    TriggerRunStatus as TriggerRunStatus,
    TriggerRunStatuses as TriggerRunStatuses,
    TriggerRunStatusFilter as TriggerRunStatusFilter,
)

__all__ = [
    "BoundDocument",
    "CreateTriggerParams",
    "Id",
    "Images",
    "InstanceTypes",
    "NotebookParams",
    "NotebookType",
    "PlatformModel",
    "StartNotebookParams",
    "Timestamp",
    "UpdateNotebookParams",
]
__all__ += notebook.__all__
__all__ += trigger.__all__
