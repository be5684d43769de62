"""``job.notebooks``: the notebook lifecycle (create, start, stop, update, delete) and logs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from .. import _endpoints as endpoints
from .._http import ApiRequest, Transport, decode_json, validate_model
from ..errors import ValidationError
from ..models.notebook import LogEvent, Notebook, NotebookList, NotebookLogPage
from ..models.params import NotebookParams, NotebookType, StartNotebookParams
from ..pagination import iter_log_events


class Notebooks:
    """The notebooks of one training job definition; every notebook it returns is bound to it."""

    def __init__(
        self, transport: Transport, organization_id: str, job_definition_name: str
    ) -> None:
        self._transport = transport
        self.organization_id = organization_id
        self.job_definition_name = job_definition_name

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
        return self.bind(self._transport.model(request, Notebook))

    def get(self, notebook_id: str) -> Notebook:
        """Fetch one notebook."""
        request = endpoints.get_notebook(
            self.organization_id, self.job_definition_name, notebook_id
        )
        return self.bind(self._transport.model(request, Notebook))

    def list(self) -> list[Notebook]:
        """Fetch the notebooks of this job definition."""
        request = endpoints.list_notebooks(self.organization_id, self.job_definition_name)
        page = self._transport.model(request, NotebookList)
        return [self.bind(notebook) for notebook in page.entries]

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
        every ``poll_interval`` seconds until you stop iterating. Arguments are checked now.
        """
        if not isinstance(follow, bool):
            raise ValidationError("follow", "True or False", follow)
        if (
            isinstance(poll_interval, bool)
            or not isinstance(poll_interval, (int, float))
            or (poll_interval <= 0)
        ):
            raise ValidationError("poll_interval", "a number of seconds > 0", poll_interval)
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

        return iter_log_events(fetch, follow=follow, poll_interval=float(poll_interval))

    def bind(self, notebook: Notebook) -> Notebook:
        """Attach a notebook (for example one parsed from JSON) to this collection's client."""
        notebook._actions = self
        return notebook

    def _notebook_after(self, request: ApiRequest, notebook_id: str) -> Notebook:
        # start/stop/update answer with the notebook, or with a placeholder id (the
        # documents show "training_notebook_id": 0), or (seen in practice) only a message:
        # unless the answer is this very notebook, it is fetched, so callers always get
        # its current state and a bound notebook never takes another notebook's id.
        url, content = self._transport.send(request)
        data = decode_json(content, url)
        if isinstance(data, dict) and str(data.get("training_notebook_id")) == str(notebook_id):
            return self.bind(validate_model(Notebook, data, url))
        return self.get(notebook_id)
