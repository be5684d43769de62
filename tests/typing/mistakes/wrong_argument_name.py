"""A keyword argument that does not exist: ``wait_until`` takes ``poll_interval``."""

from abeja_models import Notebook


def wait_for(notebook: Notebook) -> Notebook:
    # The next line is the mistake: mypy [call-arg], pyright reportCallIssue
    return notebook.wait_until("Running", timeout=600, interval=5)
