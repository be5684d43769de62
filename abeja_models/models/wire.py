"""The platform's JSON documents as ``TypedDict``: what the low-level clients return.

They are plain dicts at run time (the low-level clients hand back the platform's JSON as
it came, like the platform's own SDK); the types give editors completion and type
checkers the keys. Keys the reference documents always show are required; the rest are
``NotRequired``. Fields the documents do not list may be present too.
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
    """A bare ``{"message": ...}`` answer, such as ``{"message": "tri-... deleted"}``."""

    message: str


class TriggerDict(TypedDict):
    """A trigger, as the Trigger API sends it."""

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
    """``get_triggers``: every trigger of a deployment."""

    entries: list[TriggerDict]


class TriggerRunDict(TypedDict):
    """One run of a trigger."""

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
    """``get_trigger_runs``: one page of runs and the token of the next (``None`` at the end)."""

    entries: list[TriggerRunDict]
    next_page_token: NotRequired[Optional[str]]


class CreatorDict(TypedDict):
    """The user who created a notebook."""

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
    """

    total: int
    offset: int
    limit: int
    entries: list[NotebookDict]


class DeletedNotebookDict(TypedDict):
    """``delete_notebook``: ``{"value": {"message": "<id> deleted"}}``."""

    value: MessageDict


class LogEventDict(TypedDict):
    """One log line of a notebook."""

    message: str
    timestamp: str


class NotebookLogPageDict(TypedDict):
    """``get_notebook_recent_logs``: events and the tokens to page forward and back."""

    events: list[LogEventDict]
    next_forward_token: NotRequired[Optional[str]]
    next_backward_token: NotRequired[Optional[str]]
