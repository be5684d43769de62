"""A run status in the platform's notebook spelling: trigger runs are upper case."""

from collections.abc import Iterator

from abeja_models import Trigger, TriggerRun


def failed_runs(trigger: Trigger) -> Iterator[TriggerRun]:
    # The next line is the mistake: mypy [arg-type], pyright reportArgumentType
    return trigger.runs(status="Failed", limit=10)
