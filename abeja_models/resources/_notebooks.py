"""``job.notebooks``: the notebook lifecycle (create, start, stop, update, delete), logs, waits."""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Mapping
from typing import Callable, Optional

from .. import _endpoints as endpoints
from .._config import check_limit, check_seconds
from .._http import Transport, parse_model
from ..errors import StatusUnreachableError, ValidationError, WaitTimeoutError
from ..models._rules import id_text
from ..models._status import check_status
from ..models.notebook import (
    KNOWN_NOTEBOOK_STATUSES,
    LogEvent,
    Notebook,
    NotebookActionAnswer,
    NotebookLogPage,
    NotebookStatus,
)
from ..models.params import NotebookType
from ..pagination import iter_log_events
from ._collection import Collection
from ._waiting import poll_until


class _JobDefinitionId:
    """The id of the job definition a collection stands for, once the platform has told it.

    Collections are addressed by job definition *name*, and notebooks carry the job
    definition's *id*: the first notebook the platform returns tells which id the name
    has, and every later notebook (answered or bound) must carry the same one.
    """

    def __init__(self) -> None:
        self.value: Optional[str] = None

    def admits(self, notebook: Notebook) -> bool:
        """Whether ``notebook`` can belong here; learns the id from the first one."""
        if self.value is None:
            self.value = notebook.job_definition_id
        return notebook.job_definition_id == self.value


class Notebooks(Collection[Notebook]):
    """The notebooks of one training job definition; every notebook it returns is bound to it."""

    _kind = "notebook"

    def __init__(
        self, transport: Transport, organization_id: str, job_definition_name: str
    ) -> None:
        self.organization_id = id_text("organization_id", organization_id)
        self.job_definition_name = id_text("job_definition_name", job_definition_name)
        scope = {
            "organization_id": self.organization_id,
            "job_definition_name": self.job_definition_name,
        }
        super().__init__(transport, scope)
        # Shared with the copies ``within`` makes: what one learns, all know.
        self._job_definition_id = _JobDefinitionId()

    def __repr__(self) -> str:
        return (
            f"<Notebooks organization={self.organization_id}"
            f" job_definition={self.job_definition_name}>"
        )

    def create(
        self,
        *,
        instance_type: Optional[str] = None,
        image: Optional[str] = None,
        notebook_type: Optional[NotebookType] = None,
    ) -> Notebook:
        """Create a notebook; it starts ``Pending`` and becomes ``Running`` on its own.

        Args:
            instance_type: e.g. ``"cpu-1"``, ``"gpu:b-4"`` (see ``InstanceTypes``).
            image: e.g. ``"abeja-inc/all-cpu:19.10"`` (see ``Images``).
            notebook_type: ``"notebook"`` or ``"lab"``.
        """
        settings = {"instance_type": instance_type, "image": image, "notebook_type": notebook_type}
        return self._one(endpoints.CREATE_NOTEBOOK, settings)

    def get(self, notebook_id: str) -> Notebook:
        """Fetch one notebook; an answer about another notebook is an ``InvalidResponseError``."""
        return self._one(endpoints.GET_NOTEBOOK, {"notebook_id": notebook_id})

    def list(self) -> builtins.list[Notebook]:
        """Fetch the notebooks of this job definition."""
        listing = endpoints.GET_NOTEBOOKS
        answer = self._send(listing, {})
        return [self._adopt(each, answer) for each in parse_model(listing.result, answer).entries]

    def update(
        self,
        notebook_id: str,
        *,
        instance_type: Optional[str] = None,
        image: Optional[str] = None,
        notebook_type: Optional[NotebookType] = None,
    ) -> Notebook:
        """Change a notebook's instance type, image or notebook type."""
        changes = {"instance_type": instance_type, "image": image, "notebook_type": notebook_type}
        return self._acted_on(endpoints.UPDATE_NOTEBOOK, {"notebook_id": notebook_id, **changes})

    def delete(self, notebook_id: str) -> None:
        """Delete a notebook; `NotFound` if there is no such notebook.

        When an attempt's answer was lost and the retry finds the notebook gone, that
        attempt deleted it, and the call succeeds.
        """
        self._delete(endpoints.DELETE_NOTEBOOK, {"notebook_id": notebook_id})

    def start(self, notebook_id: str, *, notebook_type: Optional[NotebookType] = None) -> Notebook:
        """Start a notebook and return it as it is now (``Pending`` until it runs)."""
        given = {"notebook_id": notebook_id, "notebook_type": notebook_type}
        return self._acted_on(endpoints.START_NOTEBOOK, given)

    def stop(self, notebook_id: str) -> Notebook:
        """Stop a notebook and return it as it is now."""
        return self._acted_on(endpoints.STOP_NOTEBOOK, {"notebook_id": notebook_id})

    def logs(
        self, notebook_id: str, *, follow: bool = False, poll_interval: float = 2.0
    ) -> Iterator[LogEvent]:
        """Iterate over a notebook's recent log events, then newer ones.

        Without ``follow`` it ends at the first page with nothing new; with it, it polls
        until you stop iterating, waiting ``poll_interval`` seconds after every poll
        that brought nothing new. No event is yielded twice: an event is its
        ``(timestamp, message)``, and events older than the newest one yielded are
        not new. Arguments are checked now.
        """
        if not isinstance(follow, bool):
            raise ValidationError("follow", "True or False", follow)
        interval = check_seconds("poll_interval", poll_interval)
        endpoint = endpoints.GET_NOTEBOOK_RECENT_LOGS
        tokens = {"next_forward_token": None, "next_backward_token": None}
        given = {"notebook_id": notebook_id, **tokens}
        first = self._request(endpoint, given)

        def fetch(token: Optional[str]) -> NotebookLogPage:
            paged = {**given, "next_forward_token": token}
            request = first if token is None else self._request(endpoint, paged)
            answer = self._transport.send(request)
            page = parse_model(endpoint.result, answer)
            endpoint.check_answer(vars(page), paged, answer)
            return page

        return iter_log_events(fetch, follow=follow, poll_interval=interval)

    def _wait_until(
        self,
        notebook: Notebook,
        status: NotebookStatus,
        *,
        timeout: Optional[float],
        poll_interval: float,
    ) -> Notebook:
        """Poll ``notebook`` (refreshed in place) until it reports ``status``.

        See ``Notebook.wait_until``, which calls this: a status the SDK does not know is
        refused, a notebook at rest in another status ends the wait at once.
        """
        wanted = check_status(
            "status",
            status,
            KNOWN_NOTEBOOK_STATUSES,
            "for another status use wait_for(lambda nb: nb.status == ...)",
        )

        def unreachable(current: Notebook) -> Optional[WaitTimeoutError]:
            if not current.is_at_rest:
                return None
            return StatusUnreachableError(
                f"notebook {current.notebook_id} is {current.status!r} and stays so until"
                f" it is started: it cannot become {wanted!r}",
                last_status=current.status,
                wanted=wanted,
            )

        return self._wait_for(
            notebook,
            lambda current: current.status == wanted,
            timeout=timeout,
            poll_interval=poll_interval,
            goal=f"become {wanted!r}",
            hopeless=unreachable,
        )

    def _wait_for(
        self,
        notebook: Notebook,
        condition: Callable[[Notebook], bool],
        *,
        timeout: Optional[float],
        poll_interval: float,
        goal: str = "meet the condition",
        hopeless: Callable[[Notebook], Optional[WaitTimeoutError]] = lambda notebook: None,
    ) -> Notebook:
        """Poll ``notebook`` (refreshed in place) until ``condition(notebook)`` is true.

        See ``Notebook.wait_for``, which calls this (and ``wait_until``, with its goal and
        what makes it hopeless).
        """
        if not callable(condition):
            raise ValidationError("condition", "a function of the notebook", condition)
        seconds = check_limit("timeout", timeout)
        interval = check_seconds("poll_interval", poll_interval)
        _, notebook_id = notebook._bound()

        def timed_out(current: Notebook) -> WaitTimeoutError:
            return WaitTimeoutError(
                f"notebook {current.notebook_id} did not {goal} within {seconds:g}s"
                f" (last status {current.status!r})",
                last_status=current.status,
            )

        return poll_until(
            notebook,
            lambda deadline: notebook._take(self.within(deadline.remaining()).get(notebook_id)),
            done=condition,
            timeout=seconds,
            poll_interval=interval,
            timed_out=timed_out,
            hopeless=hopeless,
        )

    def _acted_on(
        self, endpoint: endpoints.Endpoint[Notebook], given: Mapping[str, object]
    ) -> Notebook:
        # start/stop/update answer with the notebook, or with the placeholder id 0 (as
        # the documents show), or (seen in practice) only a message: then the notebook
        # is fetched, so callers always get its current state. An answer naming another
        # notebook is refused. The body is parsed by pydantic from bytes, which bounds
        # nesting: a hostile depth is an InvalidResponseError, not a RecursionError.
        answer = self._send(endpoint, given)
        if endpoint.names_none(vars(parse_model(NotebookActionAnswer, answer))):
            return self.get(id_text("notebook_id", given["notebook_id"]))
        return self._one(endpoint, given, answer)

    def _holds(self, document: Notebook) -> bool:
        return self._job_definition_id.admits(document)

    def _owner_of(self, document: Notebook) -> str:
        return f"job definition {document.job_definition_id}"

    @property
    def _whose(self) -> str:
        return (
            f"a notebook of job definition {self.job_definition_name}"
            f" (id {self._job_definition_id.value})"
        )
