"""``get_notebooks`` returns what the platform sent: the documented page or a bare list.

Reading the page's keys without telling the two apart fails on the list; narrow first
(``entries = listed if isinstance(listed, list) else listed["entries"]``).
"""

from abeja_models.notebook import APIClient, NotebookDict


def notebooks_of(api: APIClient) -> list[NotebookDict]:
    listed = api.get_notebooks("1410000000000", "test_job_definition")
    # The next line is the mistake: mypy [union-attr], pyright reportAttributeAccessIssue
    return listed.get("entries", [])
