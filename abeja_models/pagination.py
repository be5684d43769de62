"""Lazy iterators over the platform's token-paged answers.

Nothing is fetched until the first item is asked for, one page is held at a time, and a
server that hands back a token it already gave ends with an error instead of looping.
(Whether each token can be sent back at all is checked as each page comes, by its
endpoint: see ``_endpoints.Endpoint.check_answer``.) A page is parsed once, and each item
is made from it as it is handed over; the page's answer is kept until its last item, so
that the error about an item that cannot be made is the one the whole page gives.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import datetime
from itertools import repeat
from typing import Any, Callable, Optional, TypeVar

from pydantic_core import from_json
from typing_extensions import Protocol

from ._http import Answer, unusable_answer
from .models.notebook import LogEvent, NotebookLogPage

__all__ = ["Page", "iter_log_events", "iter_pages", "read_page", "select"]

ItemT = TypeVar("ItemT")
ItemT_co = TypeVar("ItemT_co", covariant=True)


class Page(Protocol[ItemT_co]):
    """A page read whole, as a model: its items under ``entries``."""

    @property
    def entries(self) -> Sequence[ItemT_co]:
        """The page's items."""

    def model_dump(self) -> dict[str, Any]:
        """The page as plain data."""


def read_page(answer: Answer, whole: Callable[[Answer], Page[Any]]) -> dict[str, Any]:
    """A page's JSON, parsed once: an object with an ``entries`` list, its entries as parsed.

    Its ``next_page_token``, if any, is a ``str``. A body of any other shape is read
    ``whole``, which refuses it with the error the page's model always gave.
    """
    try:
        page = from_json(answer.content, cache_strings="keys")
    except ValueError:  # not JSON: the whole reading below says where
        page = None
    if (
        isinstance(page, dict)
        and type(page.get("entries", [])) is list
        and type(page.get("next_page_token")) in (str, type(None))
    ):
        return page
    return whole(answer).model_dump()


def iter_pages(
    fetch_page: Callable[[Optional[str]], tuple[list[Any], Optional[str], Answer]],
    read: Callable[[Any], ItemT],
    whole: Callable[[Answer], Page[ItemT]],
    *,
    what: str,
) -> Iterator[ItemT]:
    """Yield the items of every page, following ``next_page_token`` until it is empty.

    ``fetch_page(token)`` returns the page's entries as parsed (see ``read_page``), the
    next token (``None`` at the end) and the answer they came in, which an error about
    the page carries. ``read`` makes each entry an item as it is handed over; an entry it
    refuses (a ``ValueError``, as pydantic's is) is explained by reading the answer
    ``whole``: the error is the one the whole page always gave, raised after the items
    before it were yielded.
    """
    token: Optional[str] = None
    seen: set[str] = set()
    while True:
        entries, token, answer = fetch_page(token)
        count = len(entries)
        # Each entry is taken off the page as it is read (the list reversed, so popping
        # from its end keeps the order), so the parsed JSON of the items handed over is
        # freed at once instead of ageing, a page at a time, into the garbage collector's
        # older generations, which would then be scanned again and again. The loop runs
        # in C, through the iterators, with no Python step per item.
        entries.reverse()
        try:
            yield from map(read, map(entries.pop, repeat(-1, count)))
        except ValueError:
            # The page read whole raises the error it always gave for that entry (and
            # should it take the entry after all, its items from there on are handed over).
            yield from whole(answer).entries[count - len(entries) - 1 :]
        if not token:
            return
        if token in seen:
            raise unusable_answer(f"{what}: the server repeated page token {token!r}", answer)
        seen.add(token)


def select(
    items: Iterator[ItemT],
    *,
    keep: Optional[Callable[[ItemT], bool]] = None,
    limit: Optional[int] = None,
) -> Iterator[ItemT]:
    """Yield the items that ``keep`` accepts (all without it), at most ``limit`` of them.

    Stops asking ``items`` for more as soon as ``limit`` items were yielded, so a lazy
    source fetches no page beyond the one that completed the count.
    """
    if limit is not None and limit <= 0:
        return
    yielded = 0
    for item in items:
        if keep is not None and not keep(item):
            continue
        yield item
        yielded += 1
        if limit is not None and yielded >= limit:
            return


def iter_log_events(
    fetch_page: Callable[[Optional[str]], NotebookLogPage],
    *,
    follow: bool,
    poll_interval: float,
) -> Iterator[LogEvent]:
    """Yield the recent log events, then newer ones by ``next_forward_token``.

    Without ``follow`` it ends at the first page that brings nothing new (or whose
    forward token does not move on); with it, it waits ``poll_interval`` seconds after
    every such page and asks again, so a server that repeats itself is polled at that
    pace, never faster. No event is yielded twice (see ``_SeenEvents``).
    """
    seen = _SeenEvents()
    page = fetch_page(None)
    token = page.next_forward_token or None
    fresh = seen.fresh(page.events)
    yield from fresh
    if not token or (not fresh and not follow):
        return
    while True:
        page = fetch_page(token)
        next_token = page.next_forward_token or None
        fresh = seen.fresh(page.events)
        yield from fresh
        advanced = next_token is not None and next_token != token
        if not follow and (not fresh or not advanced):
            return
        if not fresh:
            time.sleep(poll_interval)
        token = next_token or token


class _SeenEvents:
    """What "the same event" means while following a log, in bounded memory.

    An event is its ``(timestamp, message)``. The log is read as a timeline: once an
    event at time T was yielded, events before T are old news, and at T itself only
    occurrences beyond those already yielded are new (two identical lines logged at
    the same instant both come through, within one page). A page that repeats earlier
    events, under the same token or a new one, therefore brings nothing new.
    """

    def __init__(self) -> None:
        self._newest: Optional[datetime] = None
        self._yielded_at_newest: Counter[str] = Counter()

    def fresh(self, events: Sequence[LogEvent]) -> list[LogEvent]:
        """The events of a page not yielded before, in the page's order; remembers them."""
        newest, already = self._newest, self._yielded_at_newest
        in_page: Counter[str] = Counter()
        fresh: list[LogEvent] = []
        for event in events:
            if newest is not None and event.timestamp <= newest:
                if event.timestamp < newest:
                    continue
                in_page[event.message] += 1
                if in_page[event.message] <= already[event.message]:
                    continue
            fresh.append(event)
        for event in fresh:
            self._remember(event)
        return fresh

    def _remember(self, event: LogEvent) -> None:
        if self._newest is None or event.timestamp > self._newest:
            self._newest = event.timestamp
            self._yielded_at_newest = Counter()
        if event.timestamp == self._newest:
            self._yielded_at_newest[event.message] += 1
