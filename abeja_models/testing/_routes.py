"""The emulator's route table: each (HTTP method, path pattern) and the handler answering it.

A handler is a ``PlatformState`` method (or a function taking the state first) whose
parameters are named after the ``{fields}`` of its path, followed by ``query`` or
``body`` when the route's ``reads`` says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Callable, Optional
from urllib.parse import unquote

from typing_extensions import Literal

from ._rules import ApiProblem, JsonObject
from ._state import PlatformState

Handler = Callable[..., JsonObject]
"""A route's handler: ``handler(state, **path_fields[, query= | body=])``."""

_ORGANIZATION = "/organizations/{organization_id}"
_TRIGGERS = _ORGANIZATION + "/deployments/{deployment_id}/triggers"
_TRIGGER = _TRIGGERS + "/{trigger_id}"
_NOTEBOOKS = _ORGANIZATION + "/training/definitions/{job_definition_name}/notebooks"
_NOTEBOOK = _NOTEBOOKS + "/{notebook_id}"
# Not the platform's: lets another process put a file into a DataLake channel.
_UPLOADS = "/_emulator/channels/{channel_id}/files"
_COLLECTION = "/?"  # a list or create also answers with a slash at the end
_FIELD = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Route:
    """One endpoint: the method and path it answers and the handler that does."""

    method: str
    path: re.Pattern[str]
    """The whole path, with a named group per id (still percent-encoded)."""
    handler: Handler
    reads: Optional[Literal["query", "body"]] = None
    """What the handler takes after the path's ids, if anything."""

    def call(
        self, state: PlatformState, ids: Mapping[str, str], query: Mapping[str, str], body: object
    ) -> JsonObject:
        """The handler's answer to a request on this route."""
        if self.reads == "query":
            return self.handler(state, **ids, query=query)
        if self.reads == "body":
            return self.handler(state, **ids, body=body)
        return self.handler(state, **ids)


def _route(
    method: str, template: str, handler: Handler, reads: Optional[Literal["query", "body"]] = None
) -> Route:
    pattern = _FIELD.sub(r"(?P<\1>[^/]+)", template)
    return Route(method, re.compile(pattern), handler, reads)


def start_notebook_answering_a_message(
    state: PlatformState,
    organization_id: str,
    job_definition_name: str,
    notebook_id: str,
    body: object,
) -> JsonObject:
    """Start the notebook, and answer ``{"message": "<id> started"}``."""
    state.start_notebook(organization_id, job_definition_name, notebook_id, body)
    return {"message": f"{notebook_id} started"}


def stop_notebook_answering_a_message(
    state: PlatformState, organization_id: str, job_definition_name: str, notebook_id: str
) -> JsonObject:
    """Stop the notebook, and answer ``{"message": "<id> stopped"}``."""
    state.stop_notebook(organization_id, job_definition_name, notebook_id)
    return {"message": f"{notebook_id} stopped"}


def routes(start_stop_reply: Literal["notebook", "message"]) -> tuple[Route, ...]:
    """Every endpoint, start and stop answering as ``start_stop_reply`` says."""
    message = start_stop_reply == "message"
    start = start_notebook_answering_a_message if message else PlatformState.start_notebook
    stop = stop_notebook_answering_a_message if message else PlatformState.stop_notebook
    return (
        _route("GET", _TRIGGERS + _COLLECTION, PlatformState.list_triggers),
        _route("POST", _TRIGGERS + _COLLECTION, PlatformState.create_trigger, "body"),
        _route("GET", _TRIGGER, PlatformState.get_trigger),
        _route("DELETE", _TRIGGER, PlatformState.delete_trigger),
        _route("GET", _TRIGGER + "/runs", PlatformState.list_runs, "query"),
        _route("GET", _NOTEBOOKS + _COLLECTION, PlatformState.list_notebooks),
        _route("POST", _NOTEBOOKS + _COLLECTION, PlatformState.create_notebook, "body"),
        _route("GET", _NOTEBOOK, PlatformState.get_notebook),
        _route("PUT", _NOTEBOOK, PlatformState.update_notebook, "body"),
        _route("DELETE", _NOTEBOOK, PlatformState.delete_notebook),
        _route("POST", _NOTEBOOK + "/start", start, "body"),
        _route("POST", _NOTEBOOK + "/stop", stop),
        _route("GET", _NOTEBOOK + "/recentlogs", PlatformState.recent_logs, "query"),
        _route("POST", _UPLOADS, PlatformState.upload_file, "body"),
    )


def find_route(table: Sequence[Route], method: str, path: str) -> tuple[Route, dict[str, str]]:
    """The route for a request and its decoded ids; a 405 or 404 when there is none."""
    path_known = False
    for route in table:
        match = route.path.fullmatch(path)
        if match is None:
            continue
        if route.method == method:
            return route, {name: unquote(value) for name, value in match.groupdict().items()}
        path_known = True
    if path_known:
        raise ApiProblem(405, "method_not_allowed", f"{method} is not allowed here")
    raise ApiProblem(404, "not_found", f"no endpoint at {path}")
