"""Notebook API documents: ``Notebook``, ``Creator``, ``LogEvent`` and pages."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any, Optional

from pydantic import Field, PrivateAttr, model_validator
from typing_extensions import Protocol

from ..errors import UnboundModelError, ValidationError, WaitTimeoutError
from ._base import Id, PlatformModel, Timestamp
from .params import NotebookType

__all__ = [
    "Creator",
    "LogEvent",
    "Notebook",
    "NotebookActions",
    "NotebookList",
    "NotebookLogPage",
    "normalize_notebook_list",
]


class Creator(PlatformModel):
    """The platform user who created a notebook."""

    id: Id
    email: Optional[str] = None
    display_name: Optional[str] = None
    role: Optional[str] = None
    is_registered: Optional[bool] = None
    created_at: Optional[Timestamp] = None
    updated_at: Optional[Timestamp] = None


class LogEvent(PlatformModel):
    """One line of a notebook's log."""

    message: str
    timestamp: Timestamp


class NotebookActions(Protocol):
    """What a bound ``Notebook`` calls back into (``job.notebooks`` provides it)."""

    def get(self, notebook_id: str) -> Notebook:
        """Fetch a notebook."""
        ...

    def update(
        self,
        notebook_id: str,
        *,
        instance_type: Optional[str] = None,
        image: Optional[str] = None,
        notebook_type: Optional[NotebookType] = None,
    ) -> Notebook:
        """Change a notebook's instance type, image or type."""
        ...

    def delete(self, notebook_id: str) -> None:
        """Delete a notebook."""
        ...

    def start(self, notebook_id: str, *, notebook_type: Optional[NotebookType] = None) -> Notebook:
        """Start a notebook."""
        ...

    def stop(self, notebook_id: str) -> Notebook:
        """Stop a notebook."""
        ...

    def logs(
        self, notebook_id: str, *, follow: bool = False, poll_interval: float = 2.0
    ) -> Iterator[LogEvent]:
        """Iterate over a notebook's recent log events, then newer ones."""
        ...


class Notebook(PlatformModel):
    """A Jupyter Notebook or JupyterLab server on the platform's training infrastructure.

    Obtained from ``job.notebooks.create(...)``, ``.get(...)`` or ``.list()``, a notebook
    is bound to its client: ``start()``, ``stop()``, ``update()`` and ``refresh()`` keep
    this object current, ``logs()`` streams its log and ``wait_until()`` polls its status.
    """

    training_notebook_id: Id
    job_definition_id: Id
    name: str
    status: str
    """``Pending``, ``Running``, ``Stopped``, ... as the platform reports it."""
    instance_type: str
    image: str
    description: Optional[str] = None
    status_message: Optional[str] = None
    creator: Optional[Creator] = None
    created_at: Optional[Timestamp] = None
    modified_at: Optional[Timestamp] = None

    _actions: Optional[NotebookActions] = PrivateAttr(default=None)

    @property
    def notebook_id(self) -> str:
        """The notebook's id (the platform calls it ``training_notebook_id``)."""
        return self.training_notebook_id

    def start(self, notebook_type: Optional[NotebookType] = None) -> Notebook:
        """Start this notebook (optionally switching its type); updates it in place."""
        return self._take(self._bound().start(self.notebook_id, notebook_type=notebook_type))

    def stop(self) -> Notebook:
        """Stop this notebook; updates it in place."""
        return self._take(self._bound().stop(self.notebook_id))

    def update(
        self,
        *,
        instance_type: Optional[str] = None,
        image: Optional[str] = None,
        notebook_type: Optional[NotebookType] = None,
    ) -> Notebook:
        """Change the instance type, image or notebook type; updates this object in place."""
        updated = self._bound().update(
            self.notebook_id,
            instance_type=instance_type,
            image=image,
            notebook_type=notebook_type,
        )
        return self._take(updated)

    def refresh(self) -> Notebook:
        """Re-fetch this notebook in place and return it."""
        return self._take(self._bound().get(self.notebook_id))

    def delete(self) -> None:
        """Delete this notebook on the platform."""
        self._bound().delete(self.notebook_id)

    def logs(self, *, follow: bool = False, poll_interval: float = 2.0) -> Iterator[LogEvent]:
        """Iterate over the recent log events, then the newer ones.

        Without ``follow`` the iterator ends at the first page with no new events; with
        it, it keeps polling every ``poll_interval`` seconds until you stop iterating.
        """
        return self._bound().logs(self.notebook_id, follow=follow, poll_interval=poll_interval)

    def wait_until(
        self, status: str, *, timeout: float = 600, poll_interval: float = 5
    ) -> Notebook:
        """Poll until the notebook reports ``status``; raise ``WaitTimeoutError`` if not.

        The object is refreshed at every poll, so it is current when this returns.
        """
        if not isinstance(status, str) or not status.strip():
            raise ValidationError("status", "a notebook status such as 'Running'", status)
        for name, value in (("timeout", timeout), ("poll_interval", poll_interval)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ValidationError(name, "a number of seconds > 0", value)
        actions = self._bound()
        give_up_at = time.monotonic() + timeout
        while True:
            if self.status == status:
                return self
            remaining = give_up_at - time.monotonic()
            if remaining <= 0:
                raise WaitTimeoutError(
                    f"notebook {self.notebook_id} did not become {status!r} within {timeout:g}s"
                    f" (last status {self.status!r})",
                    last_status=self.status,
                )
            time.sleep(min(poll_interval, remaining))
            self._take(actions.get(self.notebook_id))

    def _take(self, other: Notebook) -> Notebook:
        self._replace_with(other)
        return self

    def _bound(self) -> NotebookActions:
        if self._actions is None:
            raise UnboundModelError(
                f"this Notebook ({self.training_notebook_id}) was built from plain data and has"
                " no client; bind it first: client.organization(ORGANIZATION_ID)"
                ".job_definition(JOB_DEFINITION_NAME).notebooks.bind(notebook)"
            )
        return self._actions


def normalize_notebook_list(data: object) -> object:
    """Give a bare list of notebooks the documented ``{total, offset, limit, entries}`` shape."""
    if isinstance(data, list):
        return {"total": len(data), "offset": 0, "limit": len(data), "entries": data}
    return data


class NotebookList(PlatformModel):
    """The answer of *get notebooks* (documented paged; seen as a bare list too)."""

    entries: list[Notebook] = Field(default_factory=list)
    total: Optional[int] = None
    offset: Optional[int] = None
    limit: Optional[int] = None

    @model_validator(mode="before")
    @classmethod
    def _accept_bare_list(cls, data: Any) -> Any:
        return normalize_notebook_list(data)


class NotebookLogPage(PlatformModel):
    """One page of *get notebook recent logs*."""

    events: list[LogEvent] = Field(default_factory=list)
    next_forward_token: Optional[str] = None
    next_backward_token: Optional[str] = None
