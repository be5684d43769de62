"""Trigger API documents: ``Trigger``, ``TriggerRun`` and their list pages."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Optional, Union

from pydantic import Field, JsonValue
from typing_extensions import Final, Literal, get_args

from ._base import BoundDocument, Id, PlatformModel, Timestamp
from ._status import known_status

if TYPE_CHECKING:
    from ..resources._triggers import Triggers
else:
    # The collection a bound trigger calls back into, named in annotations only: models
    # import nothing of resources/ at run time, and get_type_hints still resolves it.
    Triggers = object

__all__ = [
    "Trigger",
    "TriggerList",
    "TriggerRun",
    "TriggerRunPage",
    "TriggerRunStatus",
    "TriggerRunStatusFilter",
    "TriggerRunStatuses",
]

TriggerRunStatus = Literal[
    "SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED"
]
"""The trigger-run statuses the SDK knows, in the order a run goes through them.

``SUCCEEDED`` and ``FAILED`` are final. The platform may report others:
``TriggerRun.status`` holds any string, ``TriggerRun.known_status`` is ``None`` for a
status not listed here.
"""

KNOWN_RUN_STATUSES: Final[tuple[TriggerRunStatus, ...]] = get_args(TriggerRunStatus)
FINAL_RUN_STATUSES: Final[tuple[TriggerRunStatus, ...]] = ("SUCCEEDED", "FAILED")

TriggerRunStatusFilter = Union[TriggerRunStatus, Collection[TriggerRunStatus]]
"""What ``runs(status=...)`` takes: one known status, or a collection of them."""


class TriggerRunStatuses:
    """The known trigger-run statuses as constants, for completion (see ``TriggerRunStatus``)."""

    SUBMITTED: Final = "SUBMITTED"
    PENDING: Final = "PENDING"
    RUNNABLE: Final = "RUNNABLE"
    STARTING: Final = "STARTING"
    RUNNING: Final = "RUNNING"
    SUCCEEDED: Final = "SUCCEEDED"
    FAILED: Final = "FAILED"


class TriggerRun(PlatformModel):
    """One execution of a trigger's model on one piece of DataLake data.

    ``status`` moves ``SUBMITTED``, ``PENDING``, ``RUNNABLE``, ``STARTING``, ``RUNNING``
    to ``SUCCEEDED`` or ``FAILED`` (the platform may skip steps). Compare with
    ``known_status``, ``is_finished``, ``succeeded`` and ``failed`` rather than strings.
    """

    run_id: Id
    """The run's id (``run-...``)."""
    trigger_id: Id
    """The id of the trigger that started this run (``tri-...``)."""
    deployment_id: Id
    """The id of the deployment whose model version this run executes."""
    status: str
    """``SUBMITTED``, ``PENDING``, ``RUNNABLE``, ``STARTING``, ``RUNNING``, ``SUCCEEDED`` or
    ``FAILED``, as the platform reports it (any string: see ``known_status`` to compare
    with the statuses the SDK knows)."""
    model_version_id: str
    """The id of the deployment version executed (``ver-...``)."""
    input_data: dict[str, str]
    """The file that started the run: ``{"$datalake:1": "<channel_id>/<file_id>"}``."""
    models: dict[str, str]
    """The training models attached to the run, as ``{alias: model_id}``."""
    output_template: Optional[JsonValue] = None
    """Where the run writes its output, as the platform sends it; ``None`` without one."""
    retry_count: int
    """How many times a failed execution is retried (0 to 9)."""
    user_env_vars: dict[str, str]
    """The environment variables the run's code can read (the trigger's ``environment``)."""
    created_at: Timestamp
    """When the run was created (an aware ``datetime``)."""
    modified_at: Timestamp
    """When the run last changed, its status for one (an aware ``datetime``)."""

    @property
    def known_status(self) -> Optional[TriggerRunStatus]:
        """``status`` if it is one the SDK knows (``TriggerRunStatus``), else ``None``.

        Typed as the ``Literal``, so a type checker flags a misspelt comparison such as
        ``run.known_status == "SUCEEDED"``; ``status`` keeps whatever the platform sent.
        """
        return known_status(self.status, KNOWN_RUN_STATUSES)

    @property
    def is_finished(self) -> bool:
        """Whether the run has ended: ``SUCCEEDED`` or ``FAILED`` (an unknown status is not)."""
        return self.status in FINAL_RUN_STATUSES

    @property
    def succeeded(self) -> bool:
        """Whether the run ended with ``SUCCEEDED``."""
        return self.status == "SUCCEEDED"

    @property
    def failed(self) -> bool:
        """Whether the run ended with ``FAILED``."""
        return self.status == "FAILED"


class Trigger(BoundDocument[Triggers]):
    """Runs a deployed model version whenever data lands in a DataLake channel.

    Obtained from ``deployment.triggers.create(...)``, ``.get(...)`` or ``.list()``, a
    trigger is bound to its client, so ``trigger.runs()``, ``trigger.refresh()`` and
    ``trigger.delete()`` work directly.
    """

    trigger_id: Id
    """The trigger's id (``tri-...``)."""
    organization_id: Id
    """The id of the organization the trigger belongs to."""
    deployment_id: Id
    """The id of the deployment whose model version the trigger runs."""
    model_version_id: str
    """The id of the deployment version run on each file (``ver-...``)."""
    model_version: str
    """The version of that deployment version, such as ``0.0.3``."""
    input_service_name: str
    """The service watched for data: ``datalake``, the only one for now."""
    input_service_id: Id
    """The id of the watched service's resource: for ``datalake``, the channel id."""
    output_service_name: Optional[str] = None
    """The service the runs write to, or ``None``; set together with ``output_service_id``."""
    output_service_id: Optional[Id] = None
    """The id of the output service's resource (a DataLake channel id), or ``None``."""
    retry_count: int
    """How many times a failed run is retried (0 to 9; the platform's default is 5)."""
    models: dict[str, str]
    """The training models attached to the trigger, as ``{alias: model_id}``."""
    user_env_vars: dict[str, str]
    """Environment variables readable by the runs' code (``environment`` at create)."""
    distribution: Optional[int] = None
    """The int whose remainder picks the run queue; in the answer of *create trigger* only."""
    created_at: Optional[Timestamp] = None
    """When the trigger was created; absent from the answer of *create trigger*."""
    modified_at: Optional[Timestamp] = None
    """When the trigger last changed; absent from the answer of *create trigger*."""

    _id_field: ClassVar[str] = "trigger_id"
    _how_to_bind: ClassVar[str] = (
        "client.organization(trigger.organization_id).deployment(trigger.deployment_id)"
        ".triggers.bind(trigger)"
    )

    def runs(
        self,
        *,
        scan_forward: Optional[bool] = None,
        limit: Optional[int] = None,
        status: Optional[TriggerRunStatusFilter] = None,
    ) -> Iterator[TriggerRun]:
        """Iterate over this trigger's runs, fetching pages lazily as you go.

        Args:
            scan_forward: ``True`` for oldest first; the platform's default is newest first.
            limit: stop after this many runs (those that pass ``status``), at least 1.
            status: only runs with this status, or with one of these
                (``TriggerRunStatuses.FAILED``, ``("SUCCEEDED", "FAILED")``). A status the
                SDK does not know is refused: filter on ``run.status`` yourself for one.
        """
        triggers, trigger_id = self._bound()
        return triggers.runs(trigger_id, scan_forward=scan_forward, limit=limit, status=status)

    def wait_for_runs(
        self,
        *,
        since: datetime,
        count: Optional[int] = None,
        timeout: Optional[float] = 600,
        poll_interval: float = 5,
    ) -> list[TriggerRun]:
        """Wait until the runs created since ``since`` have finished; return them, oldest first.

        See ``Triggers.wait_for_runs``: ``count`` runs (at least one when ``None``), a
        poll every ``poll_interval`` seconds, ``RunsWaitTimeoutError`` after ``timeout``.
        """
        triggers, trigger_id = self._bound()
        return triggers.wait_for_runs(
            trigger_id, since=since, count=count, timeout=timeout, poll_interval=poll_interval
        )

    def refresh(self) -> Trigger:
        """Re-fetch this trigger in place and return it."""
        triggers, trigger_id = self._bound()
        return self._take(triggers.get(trigger_id))

    def delete(self) -> None:
        """Delete this trigger on the platform."""
        triggers, trigger_id = self._bound()
        triggers.delete(trigger_id)


class TriggerList(PlatformModel):
    """The answer of *get triggers*."""

    entries: list[Trigger] = Field(default_factory=list)
    """The deployment's triggers."""


class TriggerRunPage(PlatformModel):
    """One page of *get trigger runs*; ``next_page_token`` is ``None`` on the last page."""

    entries: list[TriggerRun] = Field(default_factory=list)
    """The runs on this page."""
    next_page_token: Optional[str] = None
    """The token that asks for the next page; ``None`` on the last page."""
