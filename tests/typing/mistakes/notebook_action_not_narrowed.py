"""Start and stop return what the platform sent: the notebook, or a bare ``{"message": ...}``.

Reading a notebook's key without telling the two apart fails on the message; narrow first
(``if "training_notebook_id" in started:``), as docs/migration.md shows.
"""

from abeja_models.notebook import APIClient


def print_status_after_start(api: APIClient) -> None:
    started = api.start_notebook("1410000000000", "test_job_definition", "1230000000000")
    # The next line is the mistake: mypy [typeddict-item], pyright reportGeneralTypeIssues
    print(started["status"])
