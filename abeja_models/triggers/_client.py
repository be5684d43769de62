"""``APIClient`` for the Trigger API: the reference document's calls, dict in and dict out."""

from __future__ import annotations

from typing import Optional

from .. import _endpoints as endpoints
from .._seed_client import SeedClient, refusals_as_bad_request
from ..models.wire import MessageDict, TriggerDict, TriggerListDict, TriggerRunPageDict


class APIClient(SeedClient):
    """A low-level client for the Trigger API, call for call like ``abeja.triggers.APIClient``.

    Arguments are validated before anything is sent (a bad one raises
    ``LocalBadRequest``: a ``ValidationError`` and a ``BadRequest``, as the platform SDK
    raised), answers are the platform's JSON as it came, and failures raise
    ``abeja_models.errors`` exceptions:

    ```python
    from abeja_models.triggers import APIClient

    api_client = APIClient()  # credentials from the environment
    trigger = api_client.create_trigger(
        "1234567890123", "1111111111111", "ver-1111111111111111", "datalake",
        "2222222222222", model_id="3333333333333", retry_count=3)
    ```

    The constructor takes the platform SDK's arguments (see ``SeedClient``).
    """

    @refusals_as_bad_request
    def create_trigger(
        self,
        organization_id: str,
        deployment_id: str,
        version_id: str,
        input_service_name: str,
        input_service_id: str,
        output_service_name: Optional[str] = None,
        output_service_id: Optional[str] = None,
        distribution: Optional[int] = None,
        retry_count: Optional[int] = None,
        environment: Optional[dict[str, str]] = None,
        model_id: Optional[str] = None,
    ) -> TriggerDict:
        """Create a trigger that runs ``version_id`` on data arriving in a DataLake channel.

        ``retry_count`` is 0..9 (platform default 5); ``output_service_name`` and
        ``output_service_id`` go together. Returns the new trigger as a dict.
        """
        answer: TriggerDict = self._call(
            endpoints.CREATE_TRIGGER,
            organization_id=organization_id,
            deployment_id=deployment_id,
            version_id=version_id,
            input_service_name=input_service_name,
            input_service_id=input_service_id,
            output_service_name=output_service_name,
            output_service_id=output_service_id,
            distribution=distribution,
            retry_count=retry_count,
            environment=environment,
            model_id=model_id,
        )
        return answer

    @refusals_as_bad_request
    def get_trigger(self, organization_id: str, deployment_id: str, trigger_id: str) -> TriggerDict:
        """Get one trigger as a dict."""
        answer: TriggerDict = self._call(
            endpoints.GET_TRIGGER,
            organization_id=organization_id,
            deployment_id=deployment_id,
            trigger_id=trigger_id,
        )
        return answer

    @refusals_as_bad_request
    def get_triggers(self, organization_id: str, deployment_id: str) -> TriggerListDict:
        """Get a deployment's triggers: ``{"entries": [...]}``."""
        answer: TriggerListDict = self._call(
            endpoints.GET_TRIGGERS, organization_id=organization_id, deployment_id=deployment_id
        )
        return answer

    @refusals_as_bad_request
    def delete_trigger(
        self, organization_id: str, deployment_id: str, trigger_id: str
    ) -> MessageDict:
        """Delete a trigger: ``{"message": "<trigger_id> deleted"}``."""
        answer: MessageDict = self._call(
            endpoints.DELETE_TRIGGER,
            organization_id=organization_id,
            deployment_id=deployment_id,
            trigger_id=trigger_id,
        )
        return answer

    @refusals_as_bad_request
    def get_trigger_runs(
        self,
        organization_id: str,
        deployment_id: str,
        trigger_id: str,
        next_page_token: Optional[str] = None,
        scan_forward: Optional[bool] = None,
    ) -> TriggerRunPageDict:
        """Get one page of a trigger's runs: ``{"entries": [...], "next_page_token": ...}``.

        Newest first unless ``scan_forward=True``. Pass the page's ``next_page_token``
        to get the next one; it is ``None`` on the last page.
        """
        answer: TriggerRunPageDict = self._call(
            endpoints.GET_TRIGGER_RUNS,
            organization_id=organization_id,
            deployment_id=deployment_id,
            trigger_id=trigger_id,
            next_page_token=next_page_token,
            scan_forward=scan_forward,
        )
        return answer
