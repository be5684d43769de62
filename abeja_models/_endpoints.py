"""One builder per endpoint: validated arguments in, the request to send out, no I/O.

The resource layer and the seed-compatible clients both call these, so paths, query
parameters and bodies are written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Optional

from ._http import ApiRequest, unusable_answer
from .errors import ValidationError
from .models.params import (
    CreateTriggerParams,
    NotebookParams,
    StartNotebookParams,
    id_text,
    is_token,
    optional_bool,
    optional_token,
    path_segment,
)


def check_answer(
    document: Mapping[str, object],
    url: str,
    *,
    about: Optional[tuple[str, str, object]] = None,
    tokens: tuple[str, ...] = (),
) -> None:
    """Refuse an answer about another resource than asked, or with tokens that cannot go back.

    ``about`` is ``(key, parameter, asked)``: the document's ``key`` must hold the id
    asked for (compared as text, ints as decimal). Each key in ``tokens``, when set,
    must be a token this SDK can send back. Either failure is the server's:
    ``InvalidResponseError``, never the caller's ``ValidationError``.
    """
    if about is not None:
        key, parameter, asked = about
        wanted = id_text(parameter, asked)
        found = document.get(key)
        if not _is_id(found, wanted):
            why = f"asked about {parameter} {wanted}, the answer holds {key} {found!r}"
            raise unusable_answer(why, url)
    for key in tokens:
        token = document.get(key)
        if token and not is_token(token):
            why = f"the server sent a {key} that cannot be sent back"
            raise unusable_answer(why, url)


def _is_id(found: object, wanted: str) -> bool:
    try:
        return id_text("id", found) == wanted
    except ValidationError:  # not an id at all: not the one asked about either
        return False


def _triggers(organization_id: object, deployment_id: object) -> str:
    return (
        f"/organizations/{path_segment('organization_id', organization_id)}"
        f"/deployments/{path_segment('deployment_id', deployment_id)}/triggers"
    )


def _trigger(organization_id: object, deployment_id: object, trigger_id: object) -> str:
    trigger = path_segment("trigger_id", trigger_id)
    return f"{_triggers(organization_id, deployment_id)}/{trigger}"


def _notebooks(organization_id: object, job_definition_name: object) -> str:
    return (
        f"/organizations/{path_segment('organization_id', organization_id)}"
        f"/training/definitions/{path_segment('job_definition_name', job_definition_name)}"
        "/notebooks"
    )


def _notebook(organization_id: object, job_definition_name: object, notebook_id: object) -> str:
    notebook = path_segment("notebook_id", notebook_id)
    return f"{_notebooks(organization_id, job_definition_name)}/{notebook}"


def create_trigger(
    organization_id: object, deployment_id: object, params: CreateTriggerParams
) -> ApiRequest:
    """POST .../deployments/{deployment_id}/triggers"""
    return ApiRequest("POST", _triggers(organization_id, deployment_id), None, params.body())


def list_triggers(organization_id: object, deployment_id: object) -> ApiRequest:
    """GET .../deployments/{deployment_id}/triggers"""
    return ApiRequest("GET", _triggers(organization_id, deployment_id), None, None)


def get_trigger(organization_id: object, deployment_id: object, trigger_id: object) -> ApiRequest:
    """GET .../triggers/{trigger_id}"""
    return ApiRequest("GET", _trigger(organization_id, deployment_id, trigger_id), None, None)


def delete_trigger(
    organization_id: object, deployment_id: object, trigger_id: object
) -> ApiRequest:
    """DELETE .../triggers/{trigger_id}"""
    return ApiRequest("DELETE", _trigger(organization_id, deployment_id, trigger_id), None, None)


def list_trigger_runs(
    organization_id: object,
    deployment_id: object,
    trigger_id: object,
    next_page_token: object = None,
    scan_forward: object = None,
) -> ApiRequest:
    """GET .../triggers/{trigger_id}/runs, one page."""
    path = _trigger(organization_id, deployment_id, trigger_id) + "/runs"
    query: dict[str, str] = {}
    forward = optional_bool("scan_forward", scan_forward)
    if forward is not None:
        # Spelt as the platform's own SDK sends it (requests writes a bool as True/False).
        query["scan_forward"] = str(forward)
    token = optional_token("next_page_token", next_page_token)
    if token is not None:
        query["next_page_token"] = token
    return ApiRequest("GET", path, query or None, None)


def create_notebook(
    organization_id: object, job_definition_name: object, params: NotebookParams
) -> ApiRequest:
    """POST .../definitions/{job_definition_name}/notebooks"""
    path = _notebooks(organization_id, job_definition_name)
    return ApiRequest("POST", path, None, params.body())


def list_notebooks(organization_id: object, job_definition_name: object) -> ApiRequest:
    """GET .../definitions/{job_definition_name}/notebooks"""
    return ApiRequest("GET", _notebooks(organization_id, job_definition_name), None, None)


def get_notebook(
    organization_id: object, job_definition_name: object, notebook_id: object
) -> ApiRequest:
    """GET .../notebooks/{notebook_id}"""
    path = _notebook(organization_id, job_definition_name, notebook_id)
    return ApiRequest("GET", path, None, None)


def update_notebook(
    organization_id: object,
    job_definition_name: object,
    notebook_id: object,
    params: NotebookParams,
) -> ApiRequest:
    """PUT .../notebooks/{notebook_id}"""
    path = _notebook(organization_id, job_definition_name, notebook_id)
    return ApiRequest("PUT", path, None, params.body())


def delete_notebook(
    organization_id: object, job_definition_name: object, notebook_id: object
) -> ApiRequest:
    """DELETE .../notebooks/{notebook_id}"""
    path = _notebook(organization_id, job_definition_name, notebook_id)
    return ApiRequest("DELETE", path, None, None)


def start_notebook(
    organization_id: object,
    job_definition_name: object,
    notebook_id: object,
    params: StartNotebookParams,
) -> ApiRequest:
    """POST .../notebooks/{notebook_id}/start"""
    path = _notebook(organization_id, job_definition_name, notebook_id) + "/start"
    return ApiRequest("POST", path, None, params.body())


def stop_notebook(
    organization_id: object, job_definition_name: object, notebook_id: object
) -> ApiRequest:
    """POST .../notebooks/{notebook_id}/stop"""
    path = _notebook(organization_id, job_definition_name, notebook_id) + "/stop"
    return ApiRequest("POST", path, None, {})


def notebook_recent_logs(
    organization_id: object,
    job_definition_name: object,
    notebook_id: object,
    next_forward_token: object = None,
    next_backward_token: object = None,
) -> ApiRequest:
    """GET .../notebooks/{notebook_id}/recentlogs, one page."""
    path = _notebook(organization_id, job_definition_name, notebook_id) + "/recentlogs"
    query: dict[str, str] = {}
    forward = optional_token("next_forward_token", next_forward_token)
    if forward is not None:
        query["next_forward_token"] = forward
    backward = optional_token("next_backward_token", next_backward_token)
    if backward is not None:
        query["next_backward_token"] = backward
    return ApiRequest("GET", path, query or None, None)
