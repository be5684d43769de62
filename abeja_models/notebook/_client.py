"""``APIClient`` for the Notebook API: the reference document's calls, dict in and dict out."""

from __future__ import annotations

from typing import Any, Optional, Union, cast

from .. import _endpoints as endpoints
from .._http import ApiRequest
from .._seed_client import SeedClient, refusals_as_bad_request
from ..models.params import NotebookParams, NotebookType, StartNotebookParams
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

    Args:
        credential: ``{"auth_token": ...}``, ``{"user_id": ..., "personal_access_token": ...}``
            or ``{"datasource_id": ..., "datasource_secret": ...}``; default: environment.
        timeout: seconds for connect and read; default ``ABEJA_SDK_CONNECTION_TIMEOUT`` or 30.
        max_retry_count: extra attempts; default ``ABEJA_SDK_MAX_RETRY_COUNT`` or 5.
        base_url: the API's URL; default ``ABEJA_API_URL`` or ``https://api.abeja.io``.
        session: your own ``requests.Session`` to send through (betamax, requests-cache,
            mounted adapters); ``close()`` leaves it open.
        max_answer_bytes: the largest answer body read, counted after decompression
            (default 32 MiB); a larger one raises ``InvalidResponseError``.
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
        params = NotebookParams.build(
            instance_type=instance_type, image=image, notebook_type=notebook_type
        )
        return cast(
            "NotebookDict",
            self._call(endpoints.create_notebook(organization_id, job_definition_name, params)),
        )

    @refusals_as_bad_request
    def get_notebooks(self, organization_id: str, job_definition_name: str) -> NotebookListResult:
        """Get a job definition's notebooks: ``{"total", "offset", "limit", "entries"}``.

        Returned as the platform sent it: where it answers with a bare list of
        notebooks, that list (``isinstance(result, list)`` tells the two apart).
        """
        request = endpoints.list_notebooks(organization_id, job_definition_name)
        return cast("NotebookListResult", self._call_for_object_or_list(request))

    @refusals_as_bad_request
    def get_notebook(
        self,
        organization_id: str,
        job_definition_name: str,
        notebook_id: Optional[Union[str, int]] = None,
    ) -> NotebookDict:
        """Get one notebook as a dict (``notebook_id`` is required despite its default)."""
        request = endpoints.get_notebook(organization_id, job_definition_name, notebook_id)
        return cast("NotebookDict", self._about(request, notebook_id, placeholder_allowed=False))

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
        params = NotebookParams.build(
            instance_type=instance_type, image=image, notebook_type=notebook_type
        )
        request = endpoints.update_notebook(
            organization_id, job_definition_name, notebook_id, params
        )
        return cast("NotebookDict", self._about(request, notebook_id))

    @refusals_as_bad_request
    def delete_notebook(
        self, organization_id: str, job_definition_name: str, notebook_id: Union[str, int]
    ) -> DeletedNotebookDict:
        """Delete a notebook: ``{"value": {"message": "<id> deleted"}}``."""
        request = endpoints.delete_notebook(organization_id, job_definition_name, notebook_id)
        return cast("DeletedNotebookDict", self._call(request))

    @refusals_as_bad_request
    def start_notebook(
        self,
        organization_id: str,
        job_definition_name: str,
        notebook_id: Union[str, int],
        notebook_type: Optional[NotebookType] = None,
    ) -> NotebookActionResult:
        """Start a notebook; the platform answers with the notebook or a ``message``."""
        params = StartNotebookParams.build(notebook_type=notebook_type)
        request = endpoints.start_notebook(
            organization_id, job_definition_name, notebook_id, params
        )
        return cast("NotebookActionResult", self._about(request, notebook_id))

    @refusals_as_bad_request
    def stop_notebook(
        self, organization_id: str, job_definition_name: str, notebook_id: Union[str, int]
    ) -> NotebookActionResult:
        """Stop a notebook; the platform answers with the notebook or a ``message``."""
        request = endpoints.stop_notebook(organization_id, job_definition_name, notebook_id)
        return cast("NotebookActionResult", self._about(request, notebook_id))

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
        request = endpoints.notebook_recent_logs(
            organization_id,
            job_definition_name,
            notebook_id,
            next_forward_token,
            next_backward_token,
        )
        page = self._call(request)
        url = self._transport.settings.base_url + request.path
        endpoints.check_answer(page, url, tokens=("next_forward_token", "next_backward_token"))
        return cast("NotebookLogPageDict", page)

    def _about(
        self, request: ApiRequest, notebook_id: object, *, placeholder_allowed: bool = True
    ) -> dict[str, Any]:
        """The answer, refused if it is about another notebook than ``notebook_id``.

        Start, stop and update may answer with a message only, or with the documents'
        placeholder id ``0``: those name no notebook and are returned as they came.
        """
        answer = self._call(request)
        found = answer.get("training_notebook_id")
        if placeholder_allowed and found in (None, 0, "0"):
            return answer
        url = self._transport.settings.base_url + request.path
        about = ("training_notebook_id", "notebook_id", notebook_id)
        endpoints.check_answer(answer, url, about=about)
        return answer
