"""The reference documents' example answers, one function per documented call.

The platform SDK's documents for ``abeja.triggers.APIClient`` and ``abeja.notebook.APIClient``
define the wire format and show, for every call, an example of what the platform answers.
Here are those examples, their Python literals written as JSON, for a test to hand to a
mocked platform or to compare with:

```python
import responses
from abeja_models.testing import samples

responses.get(trigger_url, json=samples.get_trigger())
```

Each function is named after the documented call and returns a new dict, so a test may
change its copy. The examples keep the documents' own quirks: *create trigger* answers with
a ``distribution`` and no timestamps, *start*, *stop* and *update notebook* with
``"training_notebook_id": 0``, and the timestamps come with microseconds, milliseconds
or no fraction at all.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = [
    "create_notebook",
    "create_trigger",
    "delete_notebook",
    "delete_trigger",
    "get_notebook",
    "get_notebook_recent_logs",
    "get_notebooks",
    "get_trigger",
    "get_trigger_runs",
    "get_triggers",
    "start_notebook",
    "stop_notebook",
    "update_notebook",
]

# A trigger as the documents write it: its fields up to ``retry_count``, where *create
# trigger* inserts ``distribution``, then the rest, then the timestamps *get* adds.
_TRIGGER_HEAD: dict[str, Any] = {
    "deployment_id": "1111111111111",
    "input_service_id": "2222222222222",
    "input_service_name": "datalake",
    "models": {"alias": "3333333333333"},
    "model_version": "0.0.3",
    "model_version_id": "ver-1111111111111111",
    "organization_id": "1234567890123",
    "output_service_id": None,
    "output_service_name": None,
    "retry_count": 7,
}
_TRIGGER_TAIL: dict[str, Any] = {
    "trigger_id": "tri-3333333333333333",
    "user_env_vars": {"DEBUG": "debug"},
}
_TRIGGER_TIMESTAMPS: dict[str, Any] = {
    "created_at": "2018-01-01T00:00:00.000000Z",
    "modified_at": "2018-01-01T00:00:00.000000Z",
}

_TRIGGER_RUN: dict[str, Any] = {
    "created_at": "2019-01-01T00:00:00.000000Z",
    "deployment_id": "1111111111111",
    "input_data": {
        "$datalake:1": "2222222222222/20190101T000000-e8286a2a-100a-4a40-a7de-5c9a5794b76c"
    },
    "models": {"alias": "3333333333333"},
    "model_version_id": "ver-1111111111111111",
    "modified_at": "2019-01-01T00:00:00.000000Z",
    "output_template": None,
    "retry_count": 5,
    "run_id": "run-3333333333333333",
    "status": "SUCCEEDED",
    "trigger_id": "tri-3333333333333333",
    "user_env_vars": {},
}

_NOTEBOOK: dict[str, Any] = {
    "job_definition_id": "1234567890123",
    "training_notebook_id": "1410000000000",
    "name": "notebook-3",
    "description": None,
    "status": "Pending",
    "status_message": None,
    "instance_type": "cpu-1",
    "image": "abeja-inc/all-cpu:18.10",
    "creator": {
        "updated_at": "2018-01-04T03:02:12Z",
        "role": "admin",
        "is_registered": True,
        "id": "1122334455660",
        "email": "test@abeja.asia",
        "display_name": None,
        "created_at": "2017-05-26T01:38:46Z",
    },
    "created_at": "2018-06-07T04:42:34.913644Z",
    "modified_at": "2018-06-07T04:42:34.913726Z",
}


# The Trigger API -------------------------------------------------------------------------


def create_trigger() -> dict[str, Any]:
    """The answer of *create trigger*: a trigger with a ``distribution`` and no timestamps."""
    return copy.deepcopy({**_TRIGGER_HEAD, "distribution": 0, **_TRIGGER_TAIL})


def get_trigger() -> dict[str, Any]:
    """The answer of *get trigger*: trigger ``tri-3333333333333333`` of deployment
    ``1111111111111`` in organization ``1234567890123``."""
    return copy.deepcopy({**_TRIGGER_HEAD, **_TRIGGER_TAIL, **_TRIGGER_TIMESTAMPS})


def get_triggers() -> dict[str, Any]:
    """The answer of *get triggers*: ``{"entries": [...]}`` holding the trigger of
    ``get_trigger()``."""
    return {"entries": [get_trigger()]}


def get_trigger_runs() -> dict[str, Any]:
    """The answer of *get trigger runs*: one succeeded run and ``"next_page_token": "xxxxx"``."""
    return {"entries": [copy.deepcopy(_TRIGGER_RUN)], "next_page_token": "xxxxx"}


def delete_trigger() -> dict[str, Any]:
    """The answer of *delete trigger*: ``{"message": "tri-3333333333333333 deleted"}``."""
    return {"message": "tri-3333333333333333 deleted"}


# The Notebook API ------------------------------------------------------------------------


def create_notebook() -> dict[str, Any]:
    """The answer of *create notebook*: the same notebook as ``get_notebook()``."""
    return copy.deepcopy(_NOTEBOOK)


def get_notebook() -> dict[str, Any]:
    """The answer of *get notebook*: notebook ``1410000000000``, ``Pending``, with its creator."""
    return copy.deepcopy(_NOTEBOOK)


def get_notebooks() -> dict[str, Any]:
    """The answer of *get notebooks*, the documented envelope ``{"total", "offset", "limit",
    "entries"}`` holding the notebook of ``get_notebook()``."""
    return {"total": 1, "offset": 0, "limit": 10, "entries": [get_notebook()]}


def update_notebook() -> dict[str, Any]:
    """The answer of *update notebook*: the notebook, with ``"training_notebook_id": 0``."""
    return {**get_notebook(), "training_notebook_id": 0}


def start_notebook() -> dict[str, Any]:
    """The answer of *start notebook*: the notebook, with ``"training_notebook_id": 0``."""
    return {**get_notebook(), "training_notebook_id": 0}


def stop_notebook() -> dict[str, Any]:
    """The answer of *stop notebook*: the notebook, with ``"training_notebook_id": 0``."""
    return {**get_notebook(), "training_notebook_id": 0}


def delete_notebook() -> dict[str, Any]:
    """The answer of *delete notebook*: ``{"value": {"message": "1111111111111 deleted"}}``."""
    return {"value": {"message": "1111111111111 deleted"}}


def get_notebook_recent_logs() -> dict[str, Any]:
    """The answer of *get notebook recent logs*: one event, timestamped in milliseconds, and
    both tokens (``"..."``)."""
    return {
        "events": [
            {
                "message": "start executing model with abeja-runtime-python36 (version: 0.X.X)",
                "timestamp": "2019-10-16T00:00:00.000Z",
            }
        ],
        "next_backward_token": "...",
        "next_forward_token": "...",
    }
