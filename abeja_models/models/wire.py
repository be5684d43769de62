"""The platform's JSON documents as ``TypedDict``: what the low-level clients return.

They are plain dicts at run time (the low-level clients hand back the platform's JSON as
it came, like the platform's own SDK); the types give editors completion and type
checkers the keys. Keys the reference documents always show are required; the rest are
``NotRequired``. Fields the documents do not list may be present too. Each class's
``Attributes`` section lists its keys, in order (the API reference shows it as a table).
"""

# No ``from __future__ import annotations`` here: with string annotations, a TypedDict's
# ``__required_keys__`` counts the ``NotRequired`` keys as required. Every annotation
# below is valid at run time on Python 3.9.
from typing import Optional, Union

from pydantic import JsonValue
from typing_extensions import NotRequired, TypedDict, final

__all__ = [
    "CreatorDict",
    "DeletedNotebookDict",
    "LogEventDict",
    "MessageDict",
    "NotebookDict",
    "NotebookListDict",
    "NotebookLogPageDict",
    "TriggerDict",
    "TriggerListDict",
    "TriggerRunDict",
    "TriggerRunPageDict",
]


@final  # so that ``"training_notebook_id" in answer`` tells it from a notebook
class MessageDict(TypedDict):
    """A bare ``{"message": ...}`` answer, such as ``{"message": "tri-... deleted"}``.

    Attributes:
        message: what the platform says it did.
    """

    message: str


class TriggerDict(TypedDict):
    """A trigger, as the Trigger API sends it.

    Attributes:
        trigger_id: the trigger's id (``tri-...``).
        organization_id: the id of the organization it belongs to.
        deployment_id: the id of the deployment whose model version it runs.
        input_service_name: the service watched for data: ``datalake``.
        input_service_id: the id of the watched resource: the DataLake channel.
        output_service_name: the service the runs write to, or ``None``.
        output_service_id: the id of the output service's resource, or ``None``.
        models: the training models attached, as ``{alias: model_id}``.
        model_version: the version of the deployment version run, such as ``0.0.3``.
        model_version_id: the id of the deployment version run (``ver-...``).
        retry_count: how many times a failed run is retried (0 to 9).
        distribution: the int whose remainder picks the run queue; in the answer of
            ``create_trigger`` only.
        user_env_vars: the environment variables the runs' code can read.
        created_at: when it was created; absent from the answer of ``create_trigger``.
        modified_at: when it last changed; absent from the answer of ``create_trigger``.
    """

    trigger_id: str
    organization_id: str
    deployment_id: str
    input_service_name: str
    input_service_id: str
    output_service_name: Optional[str]
    output_service_id: Optional[str]
    models: dict[str, str]
    model_version: str
    model_version_id: str
    retry_count: int
    distribution: NotRequired[int]
    user_env_vars: dict[str, str]
    created_at: NotRequired[str]
    modified_at: NotRequired[str]


class TriggerListDict(TypedDict):
    """``get_triggers``: every trigger of a deployment.

    Attributes:
        entries: the triggers.
    """

    entries: list[TriggerDict]


class TriggerRunDict(TypedDict):
    """One run of a trigger.

    Attributes:
        run_id: the run's id (``run-...``).
        trigger_id: the id of the trigger that started it.
        deployment_id: the id of the deployment whose model version it executes.
        model_version_id: the id of the deployment version executed (``ver-...``).
        models: the training models attached, as ``{alias: model_id}``.
        input_data: the file that started it: ``{"$datalake:1": "<channel_id>/<file_id>"}``.
        output_template: where it writes its output, or ``None``.
        retry_count: how many times a failed execution is retried (0 to 9).
        status: ``SUBMITTED``, ``PENDING``, ``RUNNABLE``, ``STARTING``, ``RUNNING``,
            ``SUCCEEDED`` or ``FAILED``, or another status the platform reports.
        user_env_vars: the environment variables its code can read.
        created_at: when it was created.
        modified_at: when it last changed, its status for one.
    """

    run_id: str
    trigger_id: str
    deployment_id: str
    model_version_id: str
    models: dict[str, str]
    input_data: dict[str, str]
    output_template: NotRequired[Optional[JsonValue]]
    retry_count: int
    status: str
    user_env_vars: dict[str, str]
    created_at: str
    modified_at: str


class TriggerRunPageDict(TypedDict):
    """``get_trigger_runs``: one page of runs and the token of the next (``None`` at the end).

    Attributes:
        entries: the runs of this page.
        next_page_token: pass it back for the next page; ``None`` or absent after the last.
    """

    entries: list[TriggerRunDict]
    next_page_token: NotRequired[Optional[str]]


class CreatorDict(TypedDict):
    """The user who created a notebook.

    Attributes:
        id: the user's id.
        email: the user's e-mail address.
        display_name: the user's display name, if they set one.
        role: the user's role in the organization, such as ``admin``.
        is_registered: whether the user has completed their registration.
        created_at: when the user was created.
        updated_at: when the user last changed.
    """

    id: str
    email: NotRequired[Optional[str]]
    display_name: NotRequired[Optional[str]]
    role: NotRequired[Optional[str]]
    is_registered: NotRequired[Optional[bool]]
    created_at: NotRequired[str]
    updated_at: NotRequired[str]


class NotebookDict(TypedDict):
    """A notebook, as the Notebook API sends it.

    ``training_notebook_id`` is a string, except in the reference document's start and
    stop examples, where it is the integer ``0``. Every ``notebook_id`` parameter of the
    low-level client takes either, so the id a result holds can be passed back as is.

    Attributes:
        job_definition_id: the id of the training job definition it belongs to.
        training_notebook_id: the notebook's id, the ``notebook_id`` of every call.
        name: its name, given by the platform.
        description: a free-text description, or ``None``.
        status: ``Pending``, ``Running``, ``Stopped``, ``Failed``, or another status the
            platform reports.
        status_message: the platform's explanation of ``status``, or ``None``.
        instance_type: the machine it runs on, such as ``cpu-1``.
        image: the Docker image it runs, such as ``abeja-inc/all-cpu:19.10``.
        creator: the user who created it.
        created_at: when it was created.
        modified_at: when it last changed.
    """

    job_definition_id: str
    training_notebook_id: Union[str, int]
    name: str
    description: Optional[str]
    status: str
    status_message: Optional[str]
    instance_type: str
    image: str
    creator: NotRequired[CreatorDict]
    created_at: str
    modified_at: str


class NotebookListDict(TypedDict):
    """``get_notebooks``: a page of notebooks, as documented.

    The platform has been seen to answer with a bare list of notebooks instead; the
    low-level client returns that list as it came (see ``NotebookListResult``).

    Attributes:
        total: how many notebooks the job definition has.
        offset: the position of the first entry among them.
        limit: the most entries a page holds.
        entries: the notebooks of this page.
    """

    total: int
    offset: int
    limit: int
    entries: list[NotebookDict]


class DeletedNotebookDict(TypedDict):
    """``delete_notebook``: ``{"value": {"message": "<id> deleted"}}``.

    Attributes:
        value: the platform's message.
    """

    value: MessageDict


class LogEventDict(TypedDict):
    """One log line of a notebook.

    Attributes:
        message: the line, as the notebook wrote it.
        timestamp: when it was written, to the millisecond.
    """

    message: str
    timestamp: str


class NotebookLogPageDict(TypedDict):
    """``get_notebook_recent_logs``: events and the tokens to page forward and back.

    Attributes:
        events: the log lines, oldest first.
        next_forward_token: pass it back as ``next_forward_token`` for newer lines.
        next_backward_token: pass it back as ``next_backward_token`` for older lines.
    """

    events: list[LogEventDict]
    next_forward_token: NotRequired[Optional[str]]
    next_backward_token: NotRequired[Optional[str]]
