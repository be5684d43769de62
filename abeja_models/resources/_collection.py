"""What ``Triggers`` and ``Notebooks`` share: a parent's ids, one transport, bound documents."""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Mapping
from contextlib import suppress
from operator import itemgetter
from typing import Any, Callable, ClassVar, Generic, Optional, TypeVar

from typing_extensions import Self

from .._config import check_limit
from .._endpoints import Endpoint
from .._http import Answer, ApiRequest, Transport, parse_model, unusable_answer
from ..errors import ValidationError
from ..models._base import PlatformModel
from ..models.notebook import Notebook
from ..models.trigger import Trigger

DocumentT = TypeVar("DocumentT", Trigger, Notebook)


class Collection(ABC, Generic[DocumentT]):
    """The documents of one parent (a deployment, a job definition), each returned bound.

    Every document that comes back is checked before anything of it is returned: it must
    belong to this parent (else the answer is the server's fault: ``InvalidResponseError``)
    and, for an operation on one document, be the one asked for; an entry of a page about
    one document (a trigger's runs) must name that document.
    """

    _kind: ClassVar[str]
    """What the documents are called in messages: ``trigger``, ``notebook``."""

    def __init__(self, transport: Transport, scope: Mapping[str, str]) -> None:
        self._transport = transport
        self._scope = dict(scope)
        # Each endpoint with this parent's ids already in its path, made at first use.
        self._endpoints: dict[str, Endpoint[PlatformModel]] = {}

    def bind(self, document: DocumentT) -> DocumentT:
        """Attach a document (for example one parsed from JSON) to this collection's client.

        One that belongs to another parent than this collection's (another deployment;
        another job definition than the one its notebooks showed) is refused with
        ``ValidationError``; a bound document acts through this collection's client.
        """
        if not self._holds(document):
            raise ValidationError(self._kind, self._whose, self._owner_of(document))
        document._bind_to(self)  # type: ignore[arg-type]  # DocumentT's own collection
        return document

    def __deepcopy__(self, memo: dict[int, object]) -> Self:
        # A collection is a handle on a client (its pool, its credential), not data: a
        # deep copy of a document bound to it stays bound to the same client.
        return self

    def within(self, seconds: Optional[float]) -> Self:
        """This collection through a client whose every call ends within ``seconds``
        (``None`` or ``inf``: the client's own deadline), or sooner if the client's
        deadline is shorter."""
        limit = check_limit("seconds", seconds)
        settings = self._transport.settings
        deadline = min(
            (each for each in (limit, settings.deadline) if each is not None), default=None
        )
        bounded = copy.copy(self)
        bounded._transport = self._transport.derive(settings.with_changes(deadline=deadline))
        return bounded

    def _request(
        self, endpoint: Endpoint[PlatformModel], given: Mapping[str, object]
    ) -> ApiRequest:
        """The request for the caller's arguments ``given`` (this collection's parent ids
        are in the path already)."""
        within = self._endpoints.get(endpoint.name)
        if within is None:
            within = self._endpoints[endpoint.name] = endpoint.within(self._scope)
        return within.request(given)

    def _send(self, endpoint: Endpoint[PlatformModel], given: Mapping[str, object]) -> Answer:
        return self._transport.send(self._request(endpoint, given))

    def _delete(self, endpoint: Endpoint[PlatformModel], given: Mapping[str, object]) -> None:
        self._transport.delete(self._request(endpoint, given))

    def _one(
        self,
        endpoint: Endpoint[DocumentT],
        given: Mapping[str, object],
        answer: Optional[Answer] = None,
    ) -> DocumentT:
        """The document an operation answers with (``answer``, or the answer now fetched)."""
        if answer is None:
            answer = self._transport.send(self._request(endpoint, given))
        document = self._adopt(parse_model(endpoint.result, answer), answer)
        endpoint.check_answer(vars(document), given, answer)
        return document

    def _adopt(self, document: DocumentT, answer: Answer) -> DocumentT:
        # An answer about another parent's document is the server's fault, never the
        # caller's: nothing from it is bound or returned.
        if not self._holds(document):
            raise unusable_answer(
                f"the answer holds {self._kind} {document._own_id} of"
                f" {self._owner_of(document)}, not {self._whose}",
                answer,
            )
        document._bind_to(self)  # type: ignore[arg-type]  # DocumentT's own collection
        return document

    def _check_entries(
        self,
        what: str,
        entries: list[Any],
        ids: Mapping[str, str],
        read: Callable[[object], PlatformModel],
        answer: Answer,
    ) -> None:
        """Refuse a page holding an entry whose ``ids`` (field -> id) are not the ones asked.

        The entries are the page's parsed JSON, each made a document by ``read`` as it is
        handed over. A page of a trigger's runs holding a run of another trigger is the
        server's fault, and no entry of the page is handed over: ``InvalidResponseError``.
        An entry ``read`` refuses is left for its turn, where its own error is raised.
        """
        # The usual page: every entry an object holding the very texts asked for. Looked
        # up without a Python step per entry, as this runs over every page of runs.
        with suppress(KeyError, TypeError):
            if all(list(map(itemgetter(key), entries)).count(value) == len(entries)
                   for key, value in ids.items()):  # fmt: skip
                return
        # On any other page each entry is compared as its document reads it (an id sent
        # as a number is held as text).
        for entry in entries:
            try:
                document = read(entry)
            except ValueError:
                continue
            found = {key: getattr(document, key) for key in ids}
            if found != ids:
                asked = ", ".join(f"{key} {value}" for key, value in ids.items())
                held = ", ".join(f"{key} {value!r}" for key, value in found.items())
                raise unusable_answer(f"asked for the {what} of {asked}, got one of {held}", answer)

    @abstractmethod
    def _holds(self, document: DocumentT) -> bool:
        """Whether ``document`` belongs to this collection's parent."""

    @abstractmethod
    def _owner_of(self, document: DocumentT) -> str:
        """The parent ``document`` names, for messages."""

    @property
    @abstractmethod
    def _whose(self) -> str:
        """What a document of this collection is, for messages."""
