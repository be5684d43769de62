"""A misspelt key of a low-level client's result: the page's token is ``next_page_token``."""

from abeja_models.triggers import APIClient


def show_next_token(api: APIClient) -> None:
    page = api.get_trigger_runs("1234567890123", "1111111111111", "tri-3333333333333333")
    # The next line is the mistake: mypy [typeddict-item], pyright reportGeneralTypeIssues
    print(page["next_token"])
