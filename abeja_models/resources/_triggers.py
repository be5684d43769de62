"""``deployment.triggers``: create, get, list and delete triggers, iterate over their runs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from .. import _endpoints as endpoints
from .._http import ApiRequest, Transport
from ..errors import InvalidResponseError, ValidationError
from ..models.params import CreateTriggerParams, id_text
from ..models.trigger import Trigger, TriggerList, TriggerRun, TriggerRunPage
from ..pagination import iter_pages


class Triggers:
    """The triggers of one deployment; every trigger it returns is bound to it."""

    def __init__(self, transport: Transport, organization_id: str, deployment_id: str) -> None:
        self._transport = transport
        self.organization_id = id_text("organization_id", organization_id)
        self.deployment_id = id_text("deployment_id", deployment_id)

    def __repr__(self) -> str:
        return f"<Triggers organization={self.organization_id} deployment={self.deployment_id}>"

    def create(
        self,
        *,
        version_id: str,
        input_service_id: str,
        input_service_name: str = "datalake",
        model_id: Optional[str] = None,
        retry_count: Optional[int] = None,
        distribution: Optional[int] = None,
        environment: Optional[dict[str, str]] = None,
        output_service_name: Optional[str] = None,
        output_service_id: Optional[str] = None,
    ) -> Trigger:
        """Create a trigger that runs ``version_id`` whenever data lands in a DataLake channel.

        Args:
            version_id: the deployment version to run (``ver-...``).
            input_service_id: the DataLake channel id to watch.
            input_service_name: the input service; only ``"datalake"`` exists today.
            model_id: the training model to attach under the alias the platform expects.
            retry_count: attempts per run, 0..9 (platform default 5).
            distribution: id whose remainder picks the queue (default round-robin).
            environment: variables your model code can read, ``str`` to ``str``.
            output_service_name: an output service, given together with its id.
            output_service_id: the output service's id.

        A create is never retried once the platform may have processed it.
        """
        params = CreateTriggerParams.build(
            version_id=version_id,
            input_service_id=input_service_id,
            input_service_name=input_service_name,
            model_id=model_id,
            retry_count=retry_count,
            distribution=distribution,
            environment=environment,
            output_service_name=output_service_name,
            output_service_id=output_service_id,
        )
        request = endpoints.create_trigger(self.organization_id, self.deployment_id, params)
        return self._adopt(self._transport.model(request, Trigger), request)

    def get(self, trigger_id: str) -> Trigger:
        """Fetch one trigger."""
        request = endpoints.get_trigger(self.organization_id, self.deployment_id, trigger_id)
        trigger = self._adopt(self._transport.model(request, Trigger), request)
        asked = id_text("trigger_id", trigger_id)
        if trigger.trigger_id != asked:
            raise self._invalid(
                request, f"asked for trigger {asked}, the answer holds trigger {trigger.trigger_id}"
            )
        return trigger

    def list(self) -> list[Trigger]:
        """Fetch every trigger of this deployment."""
        request = endpoints.list_triggers(self.organization_id, self.deployment_id)
        triggers = self._transport.model(request, TriggerList).entries
        return [self._adopt(trigger, request) for trigger in triggers]

    def delete(self, trigger_id: str) -> None:
        """Delete a trigger; `NotFound` if there is no such trigger.

        When an attempt's answer was lost and the retry finds the trigger gone, that
        attempt deleted it, and the call succeeds.
        """
        request = endpoints.delete_trigger(self.organization_id, self.deployment_id, trigger_id)
        self._transport.delete(request)

    def runs(self, trigger_id: str, *, scan_forward: Optional[bool] = None) -> Iterator[TriggerRun]:
        """Iterate over a trigger's runs, one page in memory at a time.

        Nothing is fetched before the first item is asked for. Arguments are checked now.

        Args:
            scan_forward: ``True`` for oldest first; the platform's default is newest first.
        """
        first = endpoints.list_trigger_runs(
            self.organization_id, self.deployment_id, trigger_id, None, scan_forward
        )

        def fetch(token: Optional[str]) -> tuple[list[TriggerRun], Optional[str]]:
            request = first
            if token is not None:
                request = endpoints.list_trigger_runs(
                    self.organization_id, self.deployment_id, trigger_id, token, scan_forward
                )
            page = self._transport.model(request, TriggerRunPage)
            return page.entries, page.next_page_token

        url = self._transport.settings.base_url + first.path
        return iter_pages(fetch, what=f"runs of trigger {trigger_id}", url=url)

    def bind(self, trigger: Trigger) -> Trigger:
        """Attach a trigger (for example one parsed from JSON) to this collection's client."""
        if not self._holds(trigger):
            raise ValidationError("trigger", self._whose, self._owner_of(trigger))
        trigger._bind_to(self)
        return trigger

    def _adopt(self, trigger: Trigger, request: ApiRequest) -> Trigger:
        # The platform answered for this deployment's path with a trigger of another one:
        # a broken answer, not a mistake of the caller's.
        if not self._holds(trigger):
            raise self._invalid(
                request,
                f"the answer holds trigger {trigger.trigger_id} of {self._owner_of(trigger)},"
                f" not {self._whose}",
            )
        trigger._bind_to(self)
        return trigger

    def _invalid(self, request: ApiRequest, why: str) -> InvalidResponseError:
        # An answer about another trigger than the one asked for is the server's fault,
        # never the caller's: nothing from it is bound or returned.
        url = self._transport.settings.base_url + request.path
        return InvalidResponseError(200, "invalid_response", why, url=url)

    def _holds(self, trigger: Trigger) -> bool:
        return (trigger.organization_id, trigger.deployment_id) == (
            self.organization_id,
            self.deployment_id,
        )

    @property
    def _whose(self) -> str:
        return f"a trigger of organization {self.organization_id}, deployment {self.deployment_id}"

    @staticmethod
    def _owner_of(trigger: Trigger) -> str:
        return f"organization {trigger.organization_id}, deployment {trigger.deployment_id}"
