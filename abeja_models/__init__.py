"""abeja-models: a typed, resource-oriented SDK for the ABEJA Platform Trigger and Notebook APIs.

```python
from abeja_models import Client

client = Client()
deployment = client.organization("1234567890123").deployment("1111111111111")
trigger = deployment.triggers.create(
    version_id="ver-1111111111111111", input_service_id="2222222222222")
for run in trigger.runs():
    print(run.run_id, run.status)
```
"""

import importlib
from typing import TYPE_CHECKING

from ._version import __version__
from .errors import (
    AbejaError,
    APIConnectionError,
    APIError,
    APITimeoutError,
    BadRequest,
    Conflict,
    Forbidden,
    InternalServerError,
    InvalidResponseError,
    LocalBadRequest,
    MethodNotAllowed,
    NotFound,
    RunsWaitTimeoutError,
    StatusUnreachableError,
    TooManyRequests,
    Unauthorized,
    UnboundModelError,
    ValidationError,
    WaitTimeoutError,
)

if TYPE_CHECKING:
    from .models import (
        Creator,
        Images,
        InstanceTypes,
        LogEvent,
        Notebook,
        NotebookStatus,
        NotebookStatuses,
        NotebookType,
        Trigger,
        TriggerRun,
        TriggerRunStatus,
        TriggerRunStatuses,
        TriggerRunStatusFilter,
    )
    from .resources import Client, Deployment, JobDefinition, Notebooks, Organization, Triggers

# The models and the client load pydantic's model machinery and requests; they are
# imported on first use so that importing the package (for its errors, its version, or
# a command-line --help) stays cheap.
_LAZY = {
    **dict.fromkeys(
        ("Creator", "Images", "InstanceTypes", "LogEvent", "Notebook", "NotebookStatus",
         "NotebookStatuses", "NotebookType", "Trigger", "TriggerRun", "TriggerRunStatus",
         "TriggerRunStatusFilter", "TriggerRunStatuses"),
        "models",
    ),
    **dict.fromkeys(
        ("Client", "Deployment", "JobDefinition", "Notebooks", "Organization", "Triggers"),
        "resources",
    ),
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AbejaError",
    "BadRequest",
    "Client",
    "Conflict",
    "Creator",
    "Deployment",
    "Forbidden",
    "Images",
    "InstanceTypes",
    "InternalServerError",
    "InvalidResponseError",
    "JobDefinition",
    "LocalBadRequest",
    "LogEvent",
    "MethodNotAllowed",
    "NotFound",
    "Notebook",
    "NotebookStatus",
    "NotebookStatuses",
    "NotebookType",
    "Notebooks",
    "Organization",
    "RunsWaitTimeoutError",
    "StatusUnreachableError",
    "TooManyRequests",
    "Trigger",
    "TriggerRun",
    "TriggerRunStatus",
    "TriggerRunStatusFilter",
    "TriggerRunStatuses",
    "Triggers",
    "Unauthorized",
    "UnboundModelError",
    "ValidationError",
    "WaitTimeoutError",
    "__version__",
]
