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

from typing import TYPE_CHECKING

from . import _lazy, errors
from ._version import __version__

# Re-exported as abeja_models.errors lists them (see __all__ below).
from .errors import (
    AbejaError as AbejaError,
    APIConnectionError as APIConnectionError,
    APIError as APIError,
    APITimeoutError as APITimeoutError,
    BadRequest as BadRequest,
    Conflict as Conflict,
    Forbidden as Forbidden,
    InternalServerError as InternalServerError,
    InvalidResponseError as InvalidResponseError,
    LocalBadRequest as LocalBadRequest,
    MethodNotAllowed as MethodNotAllowed,
    NotFound as NotFound,
    RunsWaitTimeoutError as RunsWaitTimeoutError,
    StatusUnreachableError as StatusUnreachableError,
    TooManyRequests as TooManyRequests,
    Unauthorized as Unauthorized,
    UnboundModelError as UnboundModelError,
    ValidationError as ValidationError,
    WaitTimeoutError as WaitTimeoutError,
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


__getattr__, __dir__ = _lazy.lazy_names(__name__, globals(), _LAZY)

__all__ = [
    "Client",
    "Creator",
    "Deployment",
    "Images",
    "InstanceTypes",
    "JobDefinition",
    "LogEvent",
    "Notebook",
    "NotebookStatus",
    "NotebookStatuses",
    "NotebookType",
    "Notebooks",
    "Organization",
    "Trigger",
    "TriggerRun",
    "TriggerRunStatus",
    "TriggerRunStatusFilter",
    "TriggerRunStatuses",
    "Triggers",
    "__version__",
]
# Every exception of abeja_models.errors, but for the platform SDK's spellings of two of
# them and its status lookup, which stay there for code moved over from it.
__all__ += errors.__all__
__all__.remove("Error")
__all__.remove("HttpError")
__all__.remove("error_class_for_status")
