"""Every endpoint once: its method, path, parameters and what it answers; no I/O.

The table below is the one declaration of each operation's arguments: the names in the
path, the query parameters and the fields of the body's parameter model. The low-level
clients, the resource layer and the command line build their requests from it, and
``tests/structure/test_signatures.py`` checks each of their signatures against it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from string import Formatter
from typing import Callable, Generic, Optional, TypeVar

from ._http import Answer, ApiRequest, unusable_answer
from .errors import ValidationError
from .models._base import PlatformModel
from .models._rules import id_text, is_token, optional_bool, optional_token, path_segment
from .models.notebook import Notebook, NotebookList, NotebookLogPage
from .models.params import (
    CreateTriggerParams,
    NotebookParams,
    Params,
    StartNotebookParams,
    StopNotebookParams,
    UpdateNotebookParams,
)
from .models.trigger import Trigger, TriggerList, TriggerRunPage

__all__ = ["About", "Endpoint"]

ResultT = TypeVar("ResultT", bound=PlatformModel, covariant=True)

QueryRule = Callable[[str, object], Optional[str]]
"""Checks one query argument (parameter name, value); its text, or ``None`` to leave it out."""


def _flag(parameter: str, value: object) -> Optional[str]:
    checked = optional_bool(parameter, value)
    # Spelt as the platform's own SDK sends it (requests writes a bool as True/False).
    return None if checked is None else str(checked)


@dataclass(frozen=True)
class About:
    """The id in an answer that must be the one asked for in the path."""

    key: str
    """The answer's field holding the id (``trigger_id``, ``training_notebook_id``)."""
    parameter: str
    """The path parameter it must equal (``trigger_id``, ``notebook_id``)."""
    may_name_none: bool = False
    """Whether the answer may name no resource at all: a bare message, or the reference
    documents' placeholder id ``0`` (start, stop, update)."""


@dataclass(frozen=True)
class Endpoint(Generic[ResultT]):
    """One operation of the platform's API, as both layers call it."""

    name: str
    """The reference documents' name, which is the low-level client's method."""
    method: str
    """The HTTP method."""
    path: str
    """The path template; each ``{name}`` is an argument, checked and percent-encoded."""
    result: type[ResultT]
    """What the resource layer reads a successful answer as (a delete's: any JSON object)."""
    params: Optional[type[Params]] = None
    """The body's parameter model, whose fields are the body's arguments."""
    query: tuple[tuple[str, QueryRule], ...] = ()
    """The query's arguments, each with its rule."""
    about: Optional[About] = None
    """The id the answer must hold, for an operation on one resource."""
    tokens: tuple[str, ...] = ()
    """The answer's fields holding paging tokens, which must be sendable back."""
    bare_list: bool = False
    """Whether the platform may answer with a bare JSON list instead of an object."""
    path_parameters: tuple[str, ...] = field(init=False)
    """The arguments named in ``path``, in order."""
    parameters: tuple[str, ...] = field(init=False)
    """Every argument of the operation: the path's, the query's, then the body's."""
    _names: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = tuple(name for _, name, _, _ in Formatter().parse(self.path) if name)
        object.__setattr__(self, "path_parameters", names)
        body = tuple(self.params.model_fields) if self.params is not None else ()
        query = tuple(name for name, _ in self.query)
        object.__setattr__(self, "parameters", names + query + body)
        object.__setattr__(self, "_names", frozenset(self.parameters))

    def within(self, scope: Mapping[str, object]) -> Endpoint[ResultT]:
        """This endpoint with the path arguments ``scope`` names filled in: checked and
        encoded now, for every call to come (a collection's parent ids)."""
        fixed = {
            name: path_segment(name, scope[name]) for name in self.path_parameters if name in scope
        }
        # An encoded segment holds no braces: what is left of the path is still a template.
        path = self.path.format_map(_Unfilled(fixed))
        return dataclasses.replace(self, path=path)

    def request(self, arguments: Mapping[str, object]) -> ApiRequest:
        """The request for ``arguments`` (by name), each checked; ``ValidationError`` if not.

        Every argument of ``parameters`` must be passed, and no other (a ``TypeError``
        naming them is the caller's slip, never the user's); ``None`` for a query or
        body argument leaves it out. The body is checked first, then the path, then the
        query.
        """
        if arguments.keys() != self._names:
            missing = [name for name in self.parameters if name not in arguments]
            unknown = sorted(set(arguments) - set(self.parameters))
            raise TypeError(f"{self.name}: arguments not passed {missing}, not its own {unknown}")
        body = None
        if self.params is not None:
            given = {name: arguments[name] for name in self.params.model_fields}
            body = self.params.build(**given).body()
        segments = {name: path_segment(name, arguments[name]) for name in self.path_parameters}
        query: dict[str, str] = {}
        for name, rule in self.query:
            text = rule(name, arguments[name])
            if text is not None:
                query[name] = text
        return ApiRequest(self.method, self.path.format_map(segments), query or None, body)

    def names_none(self, document: Mapping[str, object]) -> bool:
        """Whether an answer that may name no resource (``About.may_name_none``) names none."""
        if self.about is None or not self.about.may_name_none:
            return False
        return document.get(self.about.key) in (None, 0, "0")

    def check_answer(
        self, document: Mapping[str, object], arguments: Mapping[str, object], answer: Answer
    ) -> None:
        """Refuse an answer about another resource than asked, or with tokens that cannot go back.

        What the resource layer asks of every answer (its bound objects must act on the id
        they were bound with). The id is compared as text (ints as decimal). Either failure
        is the server's: ``InvalidResponseError``, never the caller's ``ValidationError``.
        """
        about = self.about
        if about is not None and not self.names_none(document):
            wanted = id_text(about.parameter, arguments[about.parameter])
            found = document.get(about.key)
            if not _is_id(found, wanted):
                why = f"asked about {about.parameter} {wanted}, the answer holds {found!r}"
                raise unusable_answer(f"{why} in {about.key}", answer)
        self.check_tokens(document, answer)

    def check_tokens(self, document: Mapping[str, object], answer: Answer) -> None:
        """Refuse an answer whose paging tokens could not be sent back (both layers)."""
        for key in self.tokens:
            token = document.get(key)
            if token and not is_token(token):
                raise unusable_answer(f"the server sent a {key} that cannot be sent back", answer)


class _Unfilled(dict[str, str]):
    """Path arguments to fill in, leaving the others as they stand: ``{name}``."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


def _is_id(found: object, wanted: str) -> bool:
    if found == wanted:  # the usual answer: the very text asked for, nothing to convert
        return True
    try:
        return id_text("id", found) == wanted
    except ValidationError:  # not an id at all: not the one asked about either
        return False


_TRIGGERS = "/organizations/{organization_id}/deployments/{deployment_id}/triggers"
_TRIGGER = _TRIGGERS + "/{trigger_id}"
_NOTEBOOKS = "/organizations/{organization_id}/training/definitions/{job_definition_name}/notebooks"
_NOTEBOOK = _NOTEBOOKS + "/{notebook_id}"
_ABOUT_TRIGGER = About("trigger_id", "trigger_id")
_ABOUT_NOTEBOOK = About("training_notebook_id", "notebook_id")
_ACTED_ON = About("training_notebook_id", "notebook_id", may_name_none=True)
_RUN_PAGES = (("next_page_token", optional_token), ("scan_forward", _flag))
_LOG_PAGES = (("next_forward_token", optional_token), ("next_backward_token", optional_token))

CREATE_TRIGGER = Endpoint("create_trigger", "POST", _TRIGGERS, Trigger, CreateTriggerParams)
GET_TRIGGERS = Endpoint("get_triggers", "GET", _TRIGGERS, TriggerList)
GET_TRIGGER = Endpoint("get_trigger", "GET", _TRIGGER, Trigger, about=_ABOUT_TRIGGER)
DELETE_TRIGGER = Endpoint("delete_trigger", "DELETE", _TRIGGER, PlatformModel)
GET_TRIGGER_RUNS = Endpoint(
    "get_trigger_runs", "GET", _TRIGGER + "/runs", TriggerRunPage, query=_RUN_PAGES,
    tokens=("next_page_token",),
)  # fmt: skip

CREATE_NOTEBOOK = Endpoint("create_notebook", "POST", _NOTEBOOKS, Notebook, NotebookParams)
GET_NOTEBOOKS = Endpoint("get_notebooks", "GET", _NOTEBOOKS, NotebookList, bare_list=True)
GET_NOTEBOOK = Endpoint("get_notebook", "GET", _NOTEBOOK, Notebook, about=_ABOUT_NOTEBOOK)
UPDATE_NOTEBOOK = Endpoint(
    "update_notebook", "PUT", _NOTEBOOK, Notebook, UpdateNotebookParams, about=_ACTED_ON
)
DELETE_NOTEBOOK = Endpoint("delete_notebook", "DELETE", _NOTEBOOK, PlatformModel)
START_NOTEBOOK = Endpoint(
    "start_notebook", "POST", _NOTEBOOK + "/start", Notebook, StartNotebookParams, about=_ACTED_ON
)
STOP_NOTEBOOK = Endpoint(
    "stop_notebook", "POST", _NOTEBOOK + "/stop", Notebook, StopNotebookParams, about=_ACTED_ON
)
GET_NOTEBOOK_RECENT_LOGS = Endpoint(
    "get_notebook_recent_logs", "GET", _NOTEBOOK + "/recentlogs", NotebookLogPage,
    query=_LOG_PAGES, tokens=("next_forward_token", "next_backward_token"),
)  # fmt: skip

ENDPOINTS: tuple[Endpoint[PlatformModel], ...] = (
    CREATE_TRIGGER,
    GET_TRIGGERS,
    GET_TRIGGER,
    DELETE_TRIGGER,
    GET_TRIGGER_RUNS,
    CREATE_NOTEBOOK,
    GET_NOTEBOOKS,
    GET_NOTEBOOK,
    UPDATE_NOTEBOOK,
    DELETE_NOTEBOOK,
    START_NOTEBOOK,
    STOP_NOTEBOOK,
    GET_NOTEBOOK_RECENT_LOGS,
)
"""The whole API, in the reference documents' order."""
