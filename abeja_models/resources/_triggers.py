"""``deployment.triggers``: create, get, list and delete triggers, iterate over their runs."""

from __future__ import annotations

import builtins
from collections.abc import Collection as Several, Iterator
from datetime import datetime
from functools import partial
from typing import Any, Callable, Optional

from .. import _endpoints as endpoints
from .._config import check_limit, check_seconds
from .._http import Answer, Transport, parse_model
from ..errors import RunsWaitTimeoutError, ValidationError
from ..models._rules import id_text
from ..models._status import check_status
from ..models.trigger import (
    KNOWN_RUN_STATUSES,
    Trigger,
    TriggerRun,
    TriggerRunStatusFilter,
)
from ..pagination import iter_pages, read_page, select
from ._collection import Collection
from ._waiting import Deadline, poll_until

_UNKNOWN_STATUS_ESCAPE = "for a status the SDK does not know, filter on run.status yourself"


class Triggers(Collection[Trigger]):
    """The triggers of one deployment; every trigger it returns is bound to it."""

    _kind = "trigger"

    def __init__(self, transport: Transport, organization_id: str, deployment_id: str) -> None:
        self.organization_id = id_text("organization_id", organization_id)
        self.deployment_id = id_text("deployment_id", deployment_id)
        scope = {"organization_id": self.organization_id, "deployment_id": self.deployment_id}
        super().__init__(transport, scope)

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
        arguments = {
            "version_id": version_id,
            "input_service_id": input_service_id,
            "input_service_name": input_service_name,
            "model_id": model_id,
            "retry_count": retry_count,
            "distribution": distribution,
            "environment": environment,
            "output_service_name": output_service_name,
            "output_service_id": output_service_id,
        }
        return self._one(endpoints.CREATE_TRIGGER, arguments)

    def get(self, trigger_id: str) -> Trigger:
        """Fetch one trigger; an answer about another trigger is an ``InvalidResponseError``."""
        return self._one(endpoints.GET_TRIGGER, {"trigger_id": trigger_id})

    def list(self) -> builtins.list[Trigger]:
        """Fetch every trigger of this deployment."""
        listing = endpoints.GET_TRIGGERS
        answer = self._send(listing, {})
        return [self._adopt(each, answer) for each in parse_model(listing.result, answer).entries]

    def delete(self, trigger_id: str) -> None:
        """Delete a trigger; `NotFound` if there is no such trigger.

        When an attempt's answer was lost and the retry finds the trigger gone, that
        attempt deleted it, and the call succeeds.
        """
        self._delete(endpoints.DELETE_TRIGGER, {"trigger_id": trigger_id})

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
        if wanted is None and limit is None:
            return runs
        keep = None if wanted is None else (lambda run: run.status in wanted)
        return select(runs, keep=keep, limit=limit)

    def wait_for_runs(
        self,
        trigger_id: str,
        *,
        since: datetime,
        count: Optional[int] = None,
        timeout: Optional[float] = 600,
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
            timeout: seconds to wait in all (> 0), or ``None`` (or ``inf``) for no limit.
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
        seconds = check_limit("timeout", timeout)
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

    def _iter_runs(
        self,
        trigger_id: str,
        scan_forward: Optional[bool],
        transport: Callable[[], Transport],
    ) -> Iterator[TriggerRun]:
        # ``transport()`` is asked for each page, so a wait can bound every page by the
        # time that remains. The first request is built now, so its arguments are
        # checked before the first run is asked for.
        endpoint = endpoints.GET_TRIGGER_RUNS
        given = {"trigger_id": trigger_id, "scan_forward": scan_forward, "next_page_token": None}
        first = self._request(endpoint, given)
        owner = {
            "trigger_id": id_text("trigger_id", trigger_id),
            "deployment_id": self.deployment_id,
        }

        def fetch(token: Optional[str]) -> tuple[builtins.list[Any], Optional[str], Answer]:
            paged = {**given, "next_page_token": token}
            answer = transport().send(first if token is None else self._request(endpoint, paged))
            page = read_page(answer, whole)
            endpoint.check_answer(page, paged, answer)
            entries = page.get("entries", [])
            self._check_entries("runs", entries, owner, read, answer)
            return entries, page.get("next_page_token"), answer

        # The model's own validator, called without the frame model_validate adds to each
        # of a hundred thousand runs; the same validation.
        read = TriggerRun.__pydantic_validator__.validate_python
        whole = partial(parse_model, endpoint.result)
        return iter_pages(fetch, read, whole, what=f"runs of trigger {owner['trigger_id']}")

    def _holds(self, document: Trigger) -> bool:
        return (document.organization_id, document.deployment_id) == (
            self.organization_id,
            self.deployment_id,
        )

    def _owner_of(self, document: Trigger) -> str:
        return f"organization {document.organization_id}, deployment {document.deployment_id}"

    @property
    def _whose(self) -> str:
        return f"a trigger of organization {self.organization_id}, deployment {self.deployment_id}"


def _status_filter(status: object) -> Optional[frozenset[str]]:
    """The statuses ``runs(status=...)`` keeps, each checked; ``None`` keeps every run."""
    if status is None:
        return None
    if isinstance(status, str):
        return frozenset(
            {check_status("status", status, KNOWN_RUN_STATUSES, _UNKNOWN_STATUS_ESCAPE)}
        )
    if not isinstance(status, Several) or not status:
        raise ValidationError(
            "status", "a run status or a non-empty collection of run statuses", status
        )
    return frozenset(
        check_status("status", each, KNOWN_RUN_STATUSES, _UNKNOWN_STATUS_ESCAPE) for each in status
    )
