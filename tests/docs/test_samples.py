"""``abeja_models.testing.samples``: one example answer per documented call, each a fresh copy."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.testing import samples
from abeja_models.triggers import APIClient as TriggerAPIClient


def _documented_calls() -> set[str]:
    return {
        name
        for client in (TriggerAPIClient, NotebookAPIClient)
        for name, _ in inspect.getmembers(client, inspect.isfunction)
        if not name.startswith("_") and name != "close"
    }


def test_there_is_one_sample_per_documented_call_and_each_says_what_it_is() -> None:
    assert set(samples.__all__) == _documented_calls()
    for name in samples.__all__:
        assert (getattr(samples, name).__doc__ or "").startswith("The answer of *"), name


def _containers(document: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path to every mutable container inside ``document``."""
    if isinstance(document, dict):
        items: Any = document.items()
    elif isinstance(document, list):
        items = enumerate(document)
    else:
        return []
    found = [path]
    for key, value in items:
        found += _containers(value, (*path, key))
    return found


@pytest.mark.parametrize("name", samples.__all__)
def test_each_call_hands_out_a_copy_no_caller_can_change_for_the_next(name: str) -> None:
    answer = getattr(samples, name)
    pristine = answer()
    changed = answer()
    for path in _containers(changed):
        target = changed
        for key in path:
            target = target[key]
        if isinstance(target, dict):
            target["changed"] = True
        else:
            target.append("changed")
    assert changed != pristine
    assert answer() == pristine
