"""``job.notebooks``: the notebook lifecycle (create, start, stop, update, delete) and logs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from .. import _endpoints as endpoints
from .._http import ApiRequest, Transport, parse_model, unusable_answer
from ..errors import InvalidResponseError, ValidationError
from ..models._waiting import check_seconds
from ..models.notebook import (
    LogEvent,
    Notebook,
    NotebookActionAnswer,
    NotebookList,
    NotebookLogPage,
)
from ..models.params import NotebookParams, NotebookType, StartNotebookParams, id_text
from ..pagination import iter_log_events


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


class Notebooks:
    """The notebooks of one training job definition; every notebook it returns is bound to it."""

    def __init__(
        self,
        transport: Transport,
        organization_id: str,
        job_definition_name: str,
        *,
        _job_definition_id: Optional[_JobDefinitionId] = None,
    ) -> None:
        self._transport = transport
        self.organization_id = id_text("organization_id", organization_id)
        self.job_definition_name = id_text("job_definition_name", job_definition_name)
        self._job_definition_id = _job_definition_id or _JobDefinitionId()

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
        params = NotebookParams.build(
            instance_type=instance_type, image=image, notebook_type=notebook_type
        )
        request = endpoints.create_notebook(self.organization_id, self.job_definition_name, params)
        return self._adopt(self._transport.model(request, Notebook), request)

    def get(self, notebook_id: str) -> Notebook:
        """Fetch one notebook; an answer about another notebook is an ``InvalidResponseError``."""
        request = endpoints.get_notebook(
            self.organization_id, self.job_definition_name, notebook_id
        )
        notebook = self._adopt(self._transport.model(request, Notebook), request)
        self._check_is(notebook, id_text("notebook_id", notebook_id), request)
        return notebook

    def list(self) -> list[Notebook]:
        """Fetch the notebooks of this job definition."""
        request = endpoints.list_notebooks(self.organization_id, self.job_definition_name)
        page = self._transport.model(request, NotebookList)
        return [self._adopt(notebook, request) for notebook in page.entries]

    def update(
        self,
        notebook_id: str,
        *,
        instance_type: Optional[str] = None,
        image: Optional[str] = None,
        notebook_type: Optional[NotebookType] = None,
    ) -> Notebook:
        """Change a notebook's instance type, image or notebook type."""
        params = NotebookParams.build(
            instance_type=instance_type, image=image, notebook_type=notebook_type
        )
        request = endpoints.update_notebook(
            self.organization_id, self.job_definition_name, notebook_id, params
        )
        return self._notebook_after(request, notebook_id)

    def delete(self, notebook_id: str) -> None:
        """Delete a notebook; `NotFound` if there is no such notebook.

        When an attempt's answer was lost and the retry finds the notebook gone, that
        attempt deleted it, and the call succeeds.
        """
        request = endpoints.delete_notebook(
            self.organization_id, self.job_definition_name, notebook_id
        )
        self._transport.delete(request)

    def start(self, notebook_id: str, *, notebook_type: Optional[NotebookType] = None) -> Notebook:
        """Start a notebook and return it as it is now (``Pending`` until it runs)."""
        params = StartNotebookParams.build(notebook_type=notebook_type)
        request = endpoints.start_notebook(
            self.organization_id, self.job_definition_name, notebook_id, params
        )
        return self._notebook_after(request, notebook_id)

    def stop(self, notebook_id: str) -> Notebook:
        """Stop a notebook and return it as it is now."""
        request = endpoints.stop_notebook(
            self.organization_id, self.job_definition_name, notebook_id
        )
        return self._notebook_after(request, notebook_id)

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
        first = endpoints.notebook_recent_logs(
            self.organization_id, self.job_definition_name, notebook_id
        )

        def fetch(token: Optional[str]) -> NotebookLogPage:
            request = first
            if token is not None:
                request = endpoints.notebook_recent_logs(
                    self.organization_id, self.job_definition_name, notebook_id, token
                )
            return self._transport.model(request, NotebookLogPage)

        url = self._transport.settings.base_url + first.path
        return iter_log_events(fetch, follow=follow, poll_interval=interval, url=url)

    def bind(self, notebook: Notebook) -> Notebook:
        """Attach a notebook (for example one parsed from JSON) to this collection's client.

        A notebook of another job definition than the one this collection has seen
        (its ``job_definition_id``) is refused with ``ValidationError``.
        """
        if not self._job_definition_id.admits(notebook):
            owner = f"a notebook of job definition {notebook.job_definition_id}"
            raise ValidationError("notebook", self._whose, owner)
        notebook._bind_to(self)
        return notebook

    def within(self, seconds: float) -> Notebooks:
        """These notebooks through a client whose every call ends within ``seconds``."""
        settings = self._transport.settings
        deadline = seconds if settings.deadline is None else min(settings.deadline, seconds)
        transport = self._transport.derive(settings.with_changes(deadline=deadline))
        return Notebooks(
            transport,
            self.organization_id,
            self.job_definition_name,
            _job_definition_id=self._job_definition_id,
        )

    @property
    def _whose(self) -> str:
        return (
            f"a notebook of job definition {self.job_definition_name}"
            f" (id {self._job_definition_id.value})"
        )

    def _adopt(self, notebook: Notebook, request: ApiRequest) -> Notebook:
        # An answer about another job definition's notebook is the server's fault, never
        # the caller's: nothing from it is bound or returned.
        if not self._job_definition_id.admits(notebook):
            raise self._invalid(
                request,
                f"the answer holds notebook {notebook.notebook_id} of job definition"
                f" {notebook.job_definition_id}, not {self._whose}",
            )
        notebook._bind_to(self)
        return notebook

    def _check_is(self, notebook: Notebook, notebook_id: str, request: ApiRequest) -> None:
        if notebook.notebook_id != notebook_id:
            raise self._invalid(
                request,
                f"asked about notebook {notebook_id}, the answer holds notebook"
                f" {notebook.notebook_id}",
            )

    def _invalid(self, request: ApiRequest, why: str) -> InvalidResponseError:
        url = self._transport.settings.base_url + request.path
        return unusable_answer(why, url)

    def _notebook_after(self, request: ApiRequest, notebook_id: str) -> Notebook:
        # start/stop/update answer with the notebook, or with the placeholder id 0 (as
        # the documents show), or (seen in practice) only a message: then the notebook
        # is fetched, so callers always get its current state. An answer naming another
        # notebook is refused. The body is parsed by pydantic from bytes, which bounds
        # nesting: a hostile depth is an InvalidResponseError, not a RecursionError.
        url, content = self._transport.send(request)
        asked = id_text("notebook_id", notebook_id)
        answer = parse_model(NotebookActionAnswer, content, url)
        if not answer.names_a_notebook:
            return self.get(asked)
        notebook = self._adopt(parse_model(Notebook, content, url), request)
        self._check_is(notebook, asked, request)
        return notebook
