"""Treating ``trigger.runs()`` as a list: it is an iterator that fetches pages lazily."""

from abeja_models import Trigger


def count_runs(trigger: Trigger) -> int:
    # The next line is the mistake: mypy [arg-type], pyright reportArgumentType
    return len(trigger.runs())
