"""``deployment.triggers``: create, get, list and delete triggers, iterate over their runs."""

from __future__ import annotations

import builtins
from collections.abc import Collection, Iterator
from datetime import datetime
from typing import Callable, Optional

from .. import _endpoints as endpoints
from .._http import ApiRequest, Transport, unusable_answer
from ..errors import InvalidResponseError, RunsWaitTimeoutError, ValidationError
from ..models._waiting import Deadline, check_seconds, check_status, poll_until
from ..models.params import CreateTriggerParams, id_text
from ..models.trigger import (
    KNOWN_RUN_STATUSES,
    Trigger,
    TriggerList,
    TriggerRun,
    TriggerRunPage,
    TriggerRunStatusFilter,
)
from ..pagination import iter_pages, select

_UNKNOWN_STATUS_ESCAPE = "for a status the SDK does not know, filter on run.status yourself"


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

    def runs(
        self,
        trigger_id: str,
        *,
        scan_forward: Optional[bool] = None,
        limit: Optional[int] = None,
        status: Optional[TriggerRunStatusFilter] = None,
    ) -> Iterator[TriggerRun]:
        """Iterate over a trigger's runs, one page in memory at a time.

        Nothing is fetched before the first item is asked for. Arguments are checked now.

        Args:
            scan_forward: ``True`` for oldest first; the platform's default is newest first.
            limit: stop after this many runs (those that pass ``status``), at least 1; no
                page is fetched beyond the one that completes the count.
            status: only runs with this status, or with one of these
                (``TriggerRunStatuses.FAILED``, ``("SUCCEEDED", "FAILED")``). The platform
                has no such filter: every page is still read. A status the SDK does not
                know is refused: filter on ``run.status`` yourself for one.
        """
        wanted = _status_filter(status)
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or limit < 1
        ):
            raise ValidationError("limit", "a positive number of runs, or None for all", limit)
        runs = self._iter_runs(trigger_id, scan_forward, lambda: self._transport)
        keep = None if wanted is None else (lambda run: run.status in wanted)
        return select(runs, keep=keep, limit=limit)

    def wait_for_runs(
        self,
        trigger_id: str,
        *,
        since: datetime,
        count: Optional[int] = None,
        timeout: float = 600,
        poll_interval: float = 5,
    ) -> builtins.list[TriggerRun]:
        """Wait until the runs created since ``since`` have finished; return them, oldest first.

        A poll reads the runs newest first, down to the first one created before
        ``since`` (the platform's ``created_at``, so allow for a clock that differs from
        yours). The wait is over when the ``count`` oldest of them have all finished
        (``SUCCEEDED`` or ``FAILED``; ``run.succeeded`` tells which), or, without
        ``count``, when there is at least one and every one has finished.

        The first poll is at once, then one every ``poll_interval`` seconds; each poll's
        requests are bounded by the time that remains. After ``timeout`` seconds it
        raises ``RunsWaitTimeoutError`` (a ``WaitTimeoutError``) whose ``last_statuses``
        holds what the last poll saw, run id -> status. A run in a status the SDK does
        not know counts as not finished.

        Args:
            since: an aware ``datetime``, e.g. ``datetime.now(timezone.utc)`` taken before
                uploading the data that starts the runs.
            count: how many runs to wait for (at least 1), or ``None`` for every run.
            timeout: seconds to wait in all (> 0).
            poll_interval: seconds between polls (> 0).
        """
        asked = id_text("trigger_id", trigger_id)
        if not isinstance(since, datetime) or since.utcoffset() is None:
            raise ValidationError(
                "since", "an aware datetime, e.g. datetime.now(timezone.utc)", since
            )
        if count is not None and (
            isinstance(count, bool) or not isinstance(count, int) or count < 1
        ):
            raise ValidationError("count", "a positive number of runs, or None for all", count)
        seconds = check_seconds("timeout", timeout)
        interval = check_seconds("poll_interval", poll_interval)

        def poll(deadline: Deadline) -> builtins.list[TriggerRun]:
            newest_first: builtins.list[TriggerRun] = []
            bounded = lambda: self.within(deadline.remaining())._transport  # noqa: E731
            for run in self._iter_runs(asked, None, bounded):
                if run.created_at < since:
                    break
                newest_first.append(run)
            oldest_first = newest_first[::-1]
            return oldest_first if count is None else oldest_first[:count]

        def done(runs: builtins.list[TriggerRun]) -> bool:
            enough = len(runs) >= (1 if count is None else count)
            return enough and all(run.is_finished for run in runs)

        def timed_out(runs: builtins.list[TriggerRun]) -> RunsWaitTimeoutError:
            unfinished = [run for run in runs if not run.is_finished]
            wanted = "every run" if count is None else f"{count} run(s)"
            return RunsWaitTimeoutError(
                f"trigger {asked}: {wanted} since {since.isoformat()} not finished within"
                f" {seconds:g}s; the last poll saw {len(runs)} run(s),"
                f" {len(unfinished)} not finished",
                {run.run_id: run.status for run in runs},
                unfinished[0].status if unfinished else None,
            )

        none_yet: builtins.list[TriggerRun] = []
        return poll_until(
            none_yet,
            poll,
            done=done,
            timeout=seconds,
            poll_interval=interval,
            timed_out=timed_out,
            fetch_first=True,
        )

    def within(self, seconds: float) -> Triggers:
        """These triggers through a client whose every call ends within ``seconds``."""
        settings = self._transport.settings
        deadline = seconds if settings.deadline is None else min(settings.deadline, seconds)
        transport = self._transport.derive(settings.with_changes(deadline=deadline))
        return Triggers(transport, self.organization_id, self.deployment_id)

    def _iter_runs(
        self,
        trigger_id: str,
        scan_forward: Optional[bool],
        transport: Callable[[], Transport],
    ) -> Iterator[TriggerRun]:
        # ``transport()`` is asked for each page, so a wait can bound every page by the
        # time that remains.
        first = endpoints.list_trigger_runs(
            self.organization_id, self.deployment_id, trigger_id, None, scan_forward
        )

        def fetch(token: Optional[str]) -> tuple[list[TriggerRun], Optional[str]]:
            request = first
            if token is not None:
                request = endpoints.list_trigger_runs(
                    self.organization_id, self.deployment_id, trigger_id, token, scan_forward
                )
            page = transport().model(request, TriggerRunPage)
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
        return unusable_answer(why, url)

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


def _status_filter(status: object) -> Optional[frozenset[str]]:
    """The statuses ``runs(status=...)`` keeps, each checked; ``None`` keeps every run."""
    if status is None:
        return None
    if isinstance(status, str):
        return frozenset(
            {check_status("status", status, KNOWN_RUN_STATUSES, _UNKNOWN_STATUS_ESCAPE)}
        )
    if not isinstance(status, Collection) or not status:
        raise ValidationError(
            "status", "a run status or a non-empty collection of run statuses", status
        )
    return frozenset(
        check_status("status", each, KNOWN_RUN_STATUSES, _UNKNOWN_STATUS_ESCAPE) for each in status
    )
