"""Statuses: the known ones typed as their ``Literal``, and status arguments checked.

A status argument is refused unless it is one the SDK knows (with the right spelling
suggested), so a typo fails at once instead of waiting out its timeout.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Optional, TypeVar

from ..errors import ValidationError

__all__ = ["check_status", "known_status"]

StatusT = TypeVar("StatusT", bound=str)


def known_status(status: str, known: Sequence[StatusT]) -> Optional[StatusT]:
    """``status`` as the known status it equals (typed as its ``Literal``), else ``None``."""
    for each in known:
        if status == each:
            return each
    return None


def check_status(parameter: str, value: object, known: Sequence[str], escape: str) -> str:
    """``value`` if it is one of the ``known`` statuses; else ``ValidationError``.

    The error lists the known statuses, suggests the closest one (a wrong case or a
    typo) and says how to deal with a status the SDK does not know (``escape``).
    """
    if isinstance(value, str) and value in known:
        return value
    allowed = "one of " + ", ".join(map(repr, known))
    if isinstance(value, str):
        by_folded = {status.casefold(): status for status in known}
        close = difflib.get_close_matches(value.strip().casefold(), list(by_folded), n=1)
        if close:
            allowed += f" (did you mean {by_folded[close[0]]!r}?)"
    raise ValidationError(parameter, f"{allowed}; {escape}", value)
