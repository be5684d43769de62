"""A misspelt attribute of a Trigger: there is ``trigger_id``, no ``trigger_idd``."""

from abeja_models import Trigger


def show(trigger: Trigger) -> None:
    # The next line is the mistake: mypy [attr-defined], pyright reportAttributeAccessIssue
    print(trigger.trigger_idd)
