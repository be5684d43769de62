"""A notebook status misspelt: ``"runing"`` is no status, and would have waited out the timeout."""

from abeja_models import Notebook


def wait_for_jupyter(notebook: Notebook) -> Notebook:
    # The next line is the mistake: mypy [arg-type], pyright reportArgumentType
    return notebook.wait_until("runing", timeout=300)
