"""Lazy iterators over the platform's token-paged answers.

Nothing is fetched until the first item is asked for, one page is held at a time, and a
server that hands back a token it already gave ends with an error instead of looping.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Callable, Optional, TypeVar

from .errors import InvalidResponseError
from .models.notebook import LogEvent, NotebookLogPage

__all__ = ["iter_log_events", "iter_pages"]

ItemT = TypeVar("ItemT")


def iter_pages(
    fetch_page: Callable[[Optional[str]], tuple[Sequence[ItemT], Optional[str]]],
    *,
    what: str,
) -> Iterator[ItemT]:
    """Yield the items of every page, following ``next_page_token`` until it is empty.

    ``fetch_page(token)`` returns the page's items and the next token (``None`` at the end).
    """
    token: Optional[str] = None
    seen: set[str] = set()
    while True:
        items, token = fetch_page(token)
        # Each item is handed over and forgotten, so the ones the caller has done with
        # are freed at once instead of ageing, a page at a time, into the garbage
        # collector's older generations (which would then be scanned again and again).
        pending = list(reversed(items))
        del items
        while pending:
            yield pending.pop()
        if not token:
            return
        if token in seen:
            raise InvalidResponseError(
                200,
                "invalid_response",
                f"{what}: the server repeated page token {token!r}",
                url="",
            )
        seen.add(token)


def iter_log_events(
    fetch_page: Callable[[Optional[str]], NotebookLogPage],
    *,
    follow: bool,
    poll_interval: float,
) -> Iterator[LogEvent]:
    """Yield the recent log events, then newer ones by ``next_forward_token``.

    Without ``follow`` it ends at the first page that brings nothing new; with it, it
    waits ``poll_interval`` seconds after such a page and asks again.
    """
    page = fetch_page(None)
    yield from page.events
    if not page.events and not follow:
        return
    token = page.next_forward_token
    while token:
        page = fetch_page(token)
        yield from page.events
        advanced = bool(page.next_forward_token) and page.next_forward_token != token
        if not page.events or not advanced:
            if not follow:
                return
            if not page.events:
                time.sleep(poll_interval)
        token = page.next_forward_token or token
