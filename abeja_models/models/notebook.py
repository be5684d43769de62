"""Notebook API documents: ``Notebook``, ``Creator``, ``LogEvent`` and pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Optional

from pydantic import Field, model_validator
from typing_extensions import Final, Literal, get_args

from ._base import BoundDocument, Id, PlatformModel, Timestamp
from ._status import known_status
from .params import NotebookType

if TYPE_CHECKING:
    from ..resources._notebooks import Notebooks
else:
    # The collection a bound notebook calls back into, named in annotations only: models
    # import nothing of resources/ at run time, and get_type_hints still resolves it.
    Notebooks = object

__all__ = [
    "Creator",
    "LogEvent",
    "Notebook",
    "NotebookList",
    "NotebookLogPage",
    "NotebookStatus",
    "NotebookStatuses",
]

NotebookStatus = Literal["Pending", "Running", "Stopped", "Failed"]
"""The notebook statuses the SDK knows, spelt as the platform reports them.

``Pending`` (being prepared, after a create or a start), ``Running``, ``Stopped`` (after
a stop) and ``Failed``. The platform may report others: ``Notebook.status`` holds any
string, ``Notebook.known_status`` is ``None`` for a status not listed here.
"""

KNOWN_NOTEBOOK_STATUSES: Final[tuple[NotebookStatus, ...]] = get_args(NotebookStatus)
"""Every status of ``NotebookStatus``, in order."""

# A notebook in one of these stays there until someone starts it.
_AT_REST: Final = frozenset({"Stopped", "Failed"})


class NotebookStatuses:
    """The known notebook statuses as constants, for completion (see ``NotebookStatus``)."""

    PENDING: Final = "Pending"
    RUNNING: Final = "Running"
    STOPPED: Final = "Stopped"
    FAILED: Final = "Failed"


class Creator(PlatformModel):
    """The platform user who created a notebook."""

    id: Id
    """The user's id."""
    email: Optional[str] = None
    """The user's e-mail address."""
    display_name: Optional[str] = None
    """The user's display name, if they set one."""
    role: Optional[str] = None
    """The user's role in the organization, such as ``admin``."""
    is_registered: Optional[bool] = None
    """Whether the user has completed their registration."""
    created_at: Optional[Timestamp] = None
    """When the user was created (an aware ``datetime``)."""
    updated_at: Optional[Timestamp] = None
    """When the user last changed (an aware ``datetime``)."""


class LogEvent(PlatformModel):
    """One line of a notebook's log."""

    message: str
    """The log line, as the notebook wrote it."""
    timestamp: Timestamp
    """When the line was written (an aware ``datetime``)."""


class Notebook(BoundDocument[Notebooks]):
    """A Jupyter Notebook or JupyterLab server on the platform's training infrastructure.

    Obtained from ``job.notebooks.create(...)``, ``.get(...)`` or ``.list()``, a notebook
    is bound to its client: ``start()``, ``stop()``, ``update()`` and ``refresh()`` keep
    this object current, ``logs()`` streams its log and ``wait_until()`` polls its status.
    """

    training_notebook_id: Id
    """The notebook's id; also readable as ``notebook_id``."""
    job_definition_id: Id
    """The id of the training job definition the notebook belongs to."""
    name: str
    """The notebook's name, given by the platform."""
    status: str
    """``Pending``, ``Running``, ``Stopped``, ``Failed``, ... as the platform reports it
    (any string: see ``known_status`` to compare with the statuses the SDK knows)."""
    instance_type: str
    """The machine it runs on, such as ``cpu-1`` or ``gpu:b-4`` (see ``InstanceTypes``)."""
    image: str
    """The Docker image it runs, such as ``abeja-inc/all-cpu:19.10`` (see ``Images``)."""
    description: Optional[str] = None
    """A free-text description, or ``None``."""
    status_message: Optional[str] = None
    """The platform's human-readable explanation of ``status``, or ``None``."""
    creator: Optional[Creator] = None
    """The user who created the notebook."""
    created_at: Optional[Timestamp] = None
    """When the notebook was created (an aware ``datetime``)."""
    modified_at: Optional[Timestamp] = None
    """When the notebook last changed (an aware ``datetime``)."""

    _id_field: ClassVar[str] = "training_notebook_id"
    _how_to_bind: ClassVar[str] = (
        "client.organization(ORGANIZATION_ID).job_definition(JOB_DEFINITION_NAME)"
        ".notebooks.bind(notebook)"
    )

    @property
    def notebook_id(self) -> str:
        """The notebook's id (the platform calls it ``training_notebook_id``)."""
        return self.training_notebook_id

    @property
    def known_status(self) -> Optional[NotebookStatus]:
        """``status`` if it is one the SDK knows (``NotebookStatus``), else ``None``.

        Typed as the ``Literal``, so a type checker flags a misspelt comparison such as
        ``nb.known_status == "Runing"``; ``status`` keeps whatever the platform sent.
        """
        return known_status(self.status, KNOWN_NOTEBOOK_STATUSES)

    @property
    def is_at_rest(self) -> bool:
        """Whether the notebook stays as it is until someone starts it (``Stopped``, ``Failed``)."""
        return self.status in _AT_REST

    def start(self, notebook_type: Optional[NotebookType] = None) -> Notebook:
        """Start this notebook (optionally switching its type); updates it in place."""
        notebooks, notebook_id = self._bound()
        return self._take(notebooks.start(notebook_id, notebook_type=notebook_type))

    def stop(self) -> Notebook:
        """Stop this notebook; updates it in place."""
        notebooks, notebook_id = self._bound()
        return self._take(notebooks.stop(notebook_id))

    def update(
        self,
        *,
        instance_type: Optional[str] = None,
        image: Optional[str] = None,
        notebook_type: Optional[NotebookType] = None,
    ) -> Notebook:
        """Change the instance type, image or notebook type; updates this object in place."""
        notebooks, notebook_id = self._bound()
        updated = notebooks.update(
            notebook_id, instance_type=instance_type, image=image, notebook_type=notebook_type
        )
        return self._take(updated)

    def refresh(self) -> Notebook:
        """Re-fetch this notebook in place and return it."""
        notebooks, notebook_id = self._bound()
        return self._take(notebooks.get(notebook_id))

    def delete(self) -> None:
        """Delete this notebook on the platform."""
        notebooks, notebook_id = self._bound()
        notebooks.delete(notebook_id)

    def logs(self, *, follow: bool = False, poll_interval: float = 2.0) -> Iterator[LogEvent]:
        """Iterate over the recent log events, then the newer ones.

        Without ``follow`` the iterator ends at the first page with no new events; with
        it, it keeps polling, waiting ``poll_interval`` seconds after every poll that
        brought nothing new, until you stop iterating. No event is yielded twice.
        """
        notebooks, notebook_id = self._bound()
        return notebooks.logs(notebook_id, follow=follow, poll_interval=poll_interval)

    def wait_until(
        self, status: NotebookStatus, *, timeout: Optional[float] = 600, poll_interval: float = 5
    ) -> Notebook:
        """Poll until the notebook reports ``status``; raise ``WaitTimeoutError`` if not.

        ``status`` is one of ``NotebookStatus`` (``NotebookStatuses.RUNNING``, ...): any
        other string, a wrong case included, is refused at once with ``ValidationError``
        naming the right spelling. For a status the SDK does not know, use ``wait_for``.

        A notebook at rest in another status (``Stopped`` or ``Failed``: it stays so
        until someone starts it) cannot get there: the wait then ends at once with
        ``StatusUnreachableError`` (a ``WaitTimeoutError``), carrying that status.

        The object is refreshed at every poll, so it is current when this returns. The
        call ends within ``timeout`` seconds plus a poll's bookkeeping: each poll's request
        is bounded by the time that remains, and so is each pause. ``timeout=None`` (or
        ``inf``) waits without end; the client's own ``deadline`` still bounds each poll.
        """
        notebooks, _ = self._bound()
        return notebooks._wait_until(self, status, timeout=timeout, poll_interval=poll_interval)

    def wait_for(
        self,
        condition: Callable[[Notebook], bool],
        *,
        timeout: Optional[float] = 600,
        poll_interval: float = 5,
    ) -> Notebook:
        """Poll until ``condition(notebook)`` is true; raise ``WaitTimeoutError`` if not.

        The way to wait for what ``wait_until`` cannot name, such as a status the
        platform added after this SDK (``nb.wait_for(lambda nb: nb.status == "Migrating")``)
        or any of several (``lambda nb: nb.known_status in ("Stopped", "Failed")``).
        ``condition`` is called with this notebook, refreshed, before every pause; an
        exception it raises ends the wait. The timing is that of ``wait_until``.
        """
        notebooks, _ = self._bound()
        return notebooks._wait_for(self, condition, timeout=timeout, poll_interval=poll_interval)


class NotebookList(PlatformModel):
    """The answer of *get notebooks* (documented paged; seen as a bare list too)."""

    entries: list[Notebook] = Field(default_factory=list)
    """The job definition's notebooks."""
    total: Optional[int] = None
    """How many notebooks the job definition has (a bare-list answer's length)."""
    offset: Optional[int] = None
    """The position of the first entry among all notebooks."""
    limit: Optional[int] = None
    """The most entries one answer holds."""

    @model_validator(mode="before")
    @classmethod
    def _accept_bare_list(cls, data: Any) -> Any:
        # A bare list of notebooks takes the documented {total, offset, limit, entries} shape.
        if isinstance(data, list):
            return {"total": len(data), "offset": 0, "limit": len(data), "entries": data}
        return data


class NotebookActionAnswer(PlatformModel):
    """What *start*, *stop* and *update* answer, read only as far as it names a notebook.

    The documents show the notebook with the placeholder id ``0``; the platform has been
    seen to answer ``{"message": ...}`` only. Anything that is not a JSON object names
    no notebook.
    """

    training_notebook_id: Optional[Id] = None
    """The id of the notebook acted on, when the answer names one."""
    job_definition_id: Optional[Id] = None
    """The id of its job definition, when the answer names one."""

    @model_validator(mode="before")
    @classmethod
    def _names_no_notebook_unless_an_object(cls, data: Any) -> Any:
        return data if isinstance(data, dict) else {}


class NotebookLogPage(PlatformModel):
    """One page of *get notebook recent logs*."""

    events: list[LogEvent] = Field(default_factory=list)
    """The log events on this page, oldest first."""
    next_forward_token: Optional[str] = None
    """The token that asks for newer events."""
    next_backward_token: Optional[str] = None
    """The token that asks for older events."""
