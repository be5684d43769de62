"""abeja-models: a typed, resource-oriented SDK for the ABEJA Platform Trigger and Notebook APIs.

::

    from abeja_models import Client

    client = Client()
    deployment = client.organization("1234567890123").deployment("1111111111111")
    trigger = deployment.triggers.create(
        version_id="ver-1111111111111111", input_service_id="2222222222222")
    for run in trigger.runs():
        print(run.run_id, run.status)
"""

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
    NotFound,
    TooManyRequests,
    Unauthorized,
    UnboundModelError,
    ValidationError,
    WaitTimeoutError,
)
from .models import (
    Creator,
    Images,
    InstanceTypes,
    LogEvent,
    Notebook,
    NotebookType,
    Trigger,
    TriggerRun,
)
from .resources import Client, Deployment, JobDefinition, Notebooks, Organization, Triggers

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
    "LogEvent",
    "NotFound",
    "Notebook",
    "NotebookType",
    "Notebooks",
    "Organization",
    "TooManyRequests",
    "Trigger",
    "TriggerRun",
    "Triggers",
    "Unauthorized",
    "UnboundModelError",
    "ValidationError",
    "WaitTimeoutError",
    "__version__",
]
