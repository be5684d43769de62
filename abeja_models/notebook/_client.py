"""``APIClient`` for the Notebook API: the reference document's calls, dict in and dict out."""

from __future__ import annotations

from typing import Optional, Union

from .. import _endpoints as endpoints
from .._seed_client import SeedClient, refusals_as_bad_request
from ..models.params import NotebookType
from ..models.wire import (
    DeletedNotebookDict,
    MessageDict,
    NotebookDict,
    NotebookListDict,
    NotebookLogPageDict,
)

NotebookActionResult = Union[NotebookDict, MessageDict]
"""What start and stop answer: the notebook, or (as the platform has been seen to) a
bare ``{"message": ...}``."""

NotebookListResult = Union[NotebookListDict, list[NotebookDict]]
"""What ``get_notebooks`` answers: the documented page ``{"total", "offset", "limit",
"entries"}``, or (as the platform has been seen to) a bare list of notebooks."""


class APIClient(SeedClient):
    """A low-level client for the Notebook API, call for call like ``abeja.notebook.APIClient``.

    Arguments are validated before anything is sent (a bad one raises
    ``LocalBadRequest``: a ``ValidationError`` and a ``BadRequest``, as the platform SDK
    raised), answers are the platform's JSON as it came, and failures raise
    ``abeja_models.errors`` exceptions. A notebook id is a ``str`` or an ``int``, as
    ``training_notebook_id`` comes:

    ```python
    from abeja_models.notebook import APIClient

    api_client = APIClient()  # credentials from the environment
    notebook = api_client.create_notebook(
        "1410000000000", "test_job_definition", "cpu-1", "abeja-inc/all-cpu:19.10", "lab")
    ```

    The constructor takes the platform SDK's arguments (see ``SeedClient``).
    """

    @refusals_as_bad_request
    def create_notebook(
        self,
        organization_id: str,
        job_definition_name: str,
        instance_type: Optional[str] = None,
        image: Optional[str] = None,
        notebook_type: Optional[NotebookType] = None,
    ) -> NotebookDict:
        """Create a notebook (``instance_type`` like ``cpu-1``, ``notebook_type`` notebook/lab)."""
        answer: NotebookDict = self._call(
            endpoints.CREATE_NOTEBOOK,
            organization_id=organization_id,
            job_definition_name=job_definition_name,
            instance_type=instance_type,
            image=image,
            notebook_type=notebook_type,
        )
        return answer

    @refusals_as_bad_request
    def get_notebooks(self, organization_id: str, job_definition_name: str) -> NotebookListResult:
        """Get a job definition's notebooks: ``{"total", "offset", "limit", "entries"}``.

        Returned as the platform sent it: where it answers with a bare list of
        notebooks, that list (``isinstance(result, list)`` tells the two apart).
        """
        answer: NotebookListResult = self._call(
            endpoints.GET_NOTEBOOKS,
            organization_id=organization_id,
            job_definition_name=job_definition_name,
        )
        return answer

    @refusals_as_bad_request
    def get_notebook(
        self,
        organization_id: str,
        job_definition_name: str,
        notebook_id: Optional[Union[str, int]] = None,
    ) -> NotebookDict:
        """Get one notebook as a dict (``notebook_id`` is required despite its default)."""
        answer: NotebookDict = self._call(
            endpoints.GET_NOTEBOOK,
            organization_id=organization_id,
            job_definition_name=job_definition_name,
            notebook_id=notebook_id,
        )
        return answer

    @refusals_as_bad_request
    def update_notebook(
        self,
        organization_id: str,
        job_definition_name: str,
        notebook_id: Union[str, int],
        instance_type: Optional[str] = None,
        image: Optional[str] = None,
        notebook_type: Optional[NotebookType] = None,
    ) -> NotebookDict:
        """Change a notebook's instance type, image or notebook type."""
        answer: NotebookDict = self._call(
            endpoints.UPDATE_NOTEBOOK,
            organization_id=organization_id,
            job_definition_name=job_definition_name,
            notebook_id=notebook_id,
            instance_type=instance_type,
            image=image,
            notebook_type=notebook_type,
        )
        return answer

    @refusals_as_bad_request
    def delete_notebook(
        self, organization_id: str, job_definition_name: str, notebook_id: Union[str, int]
    ) -> DeletedNotebookDict:
        """Delete a notebook: ``{"value": {"message": "<id> deleted"}}``."""
        answer: DeletedNotebookDict = self._call(
            endpoints.DELETE_NOTEBOOK,
            organization_id=organization_id,
            job_definition_name=job_definition_name,
            notebook_id=notebook_id,
        )
        return answer

    @refusals_as_bad_request
    def start_notebook(
        self,
        organization_id: str,
        job_definition_name: str,
        notebook_id: Union[str, int],
        notebook_type: Optional[NotebookType] = None,
    ) -> NotebookActionResult:
        """Start a notebook; the platform answers with the notebook or a ``message``."""
        answer: NotebookActionResult = self._call(
            endpoints.START_NOTEBOOK,
            organization_id=organization_id,
            job_definition_name=job_definition_name,
            notebook_id=notebook_id,
            notebook_type=notebook_type,
        )
        return answer

    @refusals_as_bad_request
    def stop_notebook(
        self, organization_id: str, job_definition_name: str, notebook_id: Union[str, int]
    ) -> NotebookActionResult:
        """Stop a notebook; the platform answers with the notebook or a ``message``."""
        answer: NotebookActionResult = self._call(
            endpoints.STOP_NOTEBOOK,
            organization_id=organization_id,
            job_definition_name=job_definition_name,
            notebook_id=notebook_id,
        )
        return answer

    @refusals_as_bad_request
    def get_notebook_recent_logs(
        self,
        organization_id: str,
        job_definition_name: str,
        notebook_id: Union[str, int],
        next_forward_token: Optional[str] = None,
        next_backward_token: Optional[str] = None,
    ) -> NotebookLogPageDict:
        """Get a page of a notebook's log: ``{"events", "next_forward_token", ...}``."""
        answer: NotebookLogPageDict = self._call(
            endpoints.GET_NOTEBOOK_RECENT_LOGS,
            organization_id=organization_id,
            job_definition_name=job_definition_name,
            notebook_id=notebook_id,
            next_forward_token=next_forward_token,
            next_backward_token=next_backward_token,
        )
        return answer
