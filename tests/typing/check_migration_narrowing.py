"""The migration page's narrowings: code written from the reference documents, moved by its
import, with the one line each typed read needs (docs/migration.md, "What changes", 6).

Type-checked by ``test_typing.py`` (``mypy --strict`` and pyright strict), never executed;
the page's own block runs against the emulator (tests/docs). Without the line before each
read, ``mypy --strict`` reports it: ``call-overload`` for a key of ``get_notebooks``'s page
(the answer may be a bare list), ``typeddict-item`` for a key of stop's or start's answer
(it may be a bare ``{"message": ...}``). ``test_typing.py`` checks that the page's block
is this file's, line for line.
"""

# pyright: strict

from __future__ import annotations

from typing_extensions import assert_type

from abeja_models.notebook import APIClient as NotebookClient, NotebookDict, NotebookListDict


def the_page_s_block(
    notebooks_api: NotebookClient,
    organization_id: str,
    job_definition_name: str,
    notebook_id: str,
) -> None:
    # From here to the end: the abeja-models column of the page's 6th change.
    page = notebooks_api.get_notebooks(
        organization_id, job_definition_name)
    assert isinstance(page, dict)        # the documented page
    print(page["total"])
    for notebook in page["entries"]:
        print(notebook["name"], notebook["status"])

    stopped = notebooks_api.stop_notebook(
        organization_id, job_definition_name, notebook_id)
    if "training_notebook_id" in stopped:  # the notebook
        print(stopped["status"])

    started = notebooks_api.start_notebook(
        organization_id, job_definition_name, notebook_id)
    if "training_notebook_id" in started:  # the notebook
        print(started["status"])

    # Either shape of get_notebooks' answer, without assuming:
    listed = notebooks_api.get_notebooks(
        organization_id, job_definition_name)
    entries = (listed if isinstance(listed, list)
               else listed["entries"])
    for notebook in entries:
        print(notebook["name"])


def what_each_line_narrows_to(notebooks_api: NotebookClient, notebook_id: str) -> None:
    page = notebooks_api.get_notebooks("1410000000000", "test_job_definition")
    assert isinstance(page, dict)
    assert_type(page, NotebookListDict)
    started = notebooks_api.start_notebook("1410000000000", "test_job_definition", notebook_id)
    if "training_notebook_id" in started:
        assert_type(started, NotebookDict)
