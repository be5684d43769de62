"""Code written for the platform SDK, moved by its import: ids and results go back in as they came.

Type-checked by ``test_typing.py`` (``mypy --strict`` and pyright strict), never executed.
Each value passed to a call is one a previous call returned, with no cast, ``str()`` or
``# type: ignore``: a parameter narrower than the result that feeds it fails the check.
"""

# pyright: strict

from __future__ import annotations

from typing import Optional, Union

from typing_extensions import assert_type

from abeja_models.errors import BadRequest, HttpError, NotFound, ValidationError
from abeja_models.notebook import APIClient as NotebookClient, NotebookDict
from abeja_models.triggers import APIClient as TriggerClient

ORG = "1234567890123"
DEPLOYMENT = "1111111111111"
JOB = "test_job_definition"


def notebook_flow(api: NotebookClient) -> None:
    created = api.create_notebook(ORG, JOB, "cpu-1", "abeja-inc/all-cpu:19.10", "lab")
    notebook_id = created["training_notebook_id"]
    assert_type(notebook_id, Union[str, int])
    fetched = api.get_notebook(ORG, JOB, notebook_id)
    api.get_notebook(ORG, created["job_definition_id"], fetched["training_notebook_id"])
    api.update_notebook(
        ORG, JOB, fetched["training_notebook_id"], created["instance_type"], created["image"]
    )
    started = api.start_notebook(ORG, JOB, notebook_id, notebook_type="notebook")
    if "training_notebook_id" in started:  # the notebook, not a bare {"message": ...}
        api.get_notebook(ORG, JOB, started["training_notebook_id"])
    page = api.get_notebook_recent_logs(ORG, JOB, notebook_id)
    api.get_notebook_recent_logs(
        ORG,
        JOB,
        notebook_id,
        next_forward_token=page.get("next_forward_token"),
        next_backward_token=page.get("next_backward_token"),
    )
    api.stop_notebook(ORG, JOB, notebook_id)
    api.delete_notebook(ORG, JOB, notebook_id)


def every_listed_notebook(api: NotebookClient) -> None:
    listed = api.get_notebooks(ORG, JOB)
    # The page as documented, or the bare list the platform has been seen to send.
    entries = listed if isinstance(listed, list) else listed["entries"]
    assert_type(entries, list[NotebookDict])
    for notebook in entries:
        api.stop_notebook(ORG, JOB, notebook["training_notebook_id"])
        api.delete_notebook(ORG, JOB, notebook["training_notebook_id"])


def trigger_flow(api: TriggerClient) -> None:
    created = api.create_trigger(
        ORG,
        DEPLOYMENT,
        "ver-1111111111111111",
        "datalake",
        "2222222222222",
        model_id="3333333333333",
        retry_count=3,
    )
    trigger_id = created["trigger_id"]
    fetched = api.get_trigger(created["organization_id"], created["deployment_id"], trigger_id)
    # A copy of a trigger, built from what the platform returned for it.
    api.create_trigger(
        fetched["organization_id"],
        fetched["deployment_id"],
        fetched["model_version_id"],
        fetched["input_service_name"],
        fetched["input_service_id"],
        output_service_name=fetched["output_service_name"],
        output_service_id=fetched["output_service_id"],
        distribution=fetched.get("distribution"),
        retry_count=fetched["retry_count"],
        environment=fetched["user_env_vars"],
        model_id=fetched["models"].get("alias"),
    )
    token: Optional[str] = None
    while True:
        page = api.get_trigger_runs(ORG, DEPLOYMENT, trigger_id, next_page_token=token)
        for run in page["entries"]:
            api.get_trigger(ORG, run["deployment_id"], run["trigger_id"])
        token = page.get("next_page_token")
        if not token:
            break
    for trigger in api.get_triggers(ORG, DEPLOYMENT)["entries"]:
        api.delete_trigger(
            trigger["organization_id"], trigger["deployment_id"], trigger["trigger_id"]
        )


def handlers_written_for_the_platform_sdk(api: TriggerClient) -> None:
    try:
        api.create_trigger(ORG, DEPLOYMENT, "ver-1", "datalake", "2222222222222", retry_count=12)
    except BadRequest as error:  # refused before sending, as the platform answered it
        assert_type(error.status_code, int)
        assert_type(error.error_description, str)
        print(error.error_detail)
    except NotFound as error:
        print(error.url)
    except HttpError as error:
        print(error.status_code, error.error, error.error_detail)
    except ValidationError as error:
        assert_type(error.parameter, str)
