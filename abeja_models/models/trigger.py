"""Trigger API documents: ``Trigger``, ``TriggerRun`` and their list pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from pydantic import Field, JsonValue, PrivateAttr
from typing_extensions import Protocol

from ..errors import UnboundModelError
from ._base import Id, PlatformModel, Timestamp

__all__ = ["Trigger", "TriggerActions", "TriggerList", "TriggerRun", "TriggerRunPage"]


class TriggerRun(PlatformModel):
    """One execution of a trigger's model on one piece of DataLake data.

    ``status`` moves ``PENDING`` -> ``RUNNING`` -> ``SUCCEEDED`` (or ``FAILED``).
    """

    run_id: Id
    trigger_id: Id
    deployment_id: Id
    status: str
    model_version_id: str
    input_data: dict[str, str]
    models: dict[str, str]
    output_template: Optional[JsonValue] = None
    retry_count: int
    user_env_vars: dict[str, str]
    created_at: Timestamp
    modified_at: Timestamp


class TriggerActions(Protocol):
    """What a bound ``Trigger`` calls back into (``deployment.triggers`` provides it)."""

    def get(self, trigger_id: str) -> Trigger:
        """Fetch a trigger."""
        ...

    def delete(self, trigger_id: str) -> None:
        """Delete a trigger."""
        ...

    def runs(self, trigger_id: str, *, scan_forward: Optional[bool] = None) -> Iterator[TriggerRun]:
        """Iterate over a trigger's runs, page after page."""
        ...


class Trigger(PlatformModel):
    """Runs a deployed model version whenever data lands in a DataLake channel.

    Obtained from ``deployment.triggers.create(...)``, ``.get(...)`` or ``.list()``, a
    trigger is bound to its client, so ``trigger.runs()``, ``trigger.refresh()`` and
    ``trigger.delete()`` work directly.
    """

    trigger_id: Id
    organization_id: Id
    deployment_id: Id
    model_version_id: str
    model_version: str
    input_service_name: str
    input_service_id: Id
    output_service_name: Optional[str] = None
    output_service_id: Optional[Id] = None
    retry_count: int
    models: dict[str, str]
    user_env_vars: dict[str, str]
    distribution: Optional[int] = None
    """Present in the answer of *create trigger* only."""
    created_at: Optional[Timestamp] = None
    """Absent from the answer of *create trigger*."""
    modified_at: Optional[Timestamp] = None

    _actions: Optional[TriggerActions] = PrivateAttr(default=None)
    # The id this object was bound with: every action targets it, whatever the data
    # says later (a refresh, an assignment), so an object never acts on another trigger.
    _bound_id: Optional[str] = PrivateAttr(default=None)

    def runs(self, *, scan_forward: Optional[bool] = None) -> Iterator[TriggerRun]:
        """Iterate over this trigger's runs, fetching pages lazily as you go.

        Args:
            scan_forward: ``True`` for oldest first; the platform's default is newest first.
        """
        actions, trigger_id = self._bound()
        return actions.runs(trigger_id, scan_forward=scan_forward)

    def refresh(self) -> Trigger:
        """Re-fetch this trigger in place and return it."""
        actions, trigger_id = self._bound()
        self._replace_with(actions.get(trigger_id))
        return self

    def delete(self) -> None:
        """Delete this trigger on the platform."""
        actions, trigger_id = self._bound()
        actions.delete(trigger_id)

    def _bind_to(self, actions: TriggerActions) -> None:
        self._actions = actions
        self._bound_id = self.trigger_id

    def _bound(self) -> tuple[TriggerActions, str]:
        if self._actions is None or self._bound_id is None:
            raise UnboundModelError(
                f"this Trigger ({self.trigger_id}) was built from plain data and has no client;"
                " bind it first: client.organization(trigger.organization_id)"
                ".deployment(trigger.deployment_id).triggers.bind(trigger)"
            )
        return self._actions, self._bound_id


class TriggerList(PlatformModel):
    """The answer of *get triggers*."""

    entries: list[Trigger] = Field(default_factory=list)


class TriggerRunPage(PlatformModel):
    """One page of *get trigger runs*; ``next_page_token`` is ``None`` on the last page."""

    entries: list[TriggerRun] = Field(default_factory=list)
    next_page_token: Optional[str] = None
