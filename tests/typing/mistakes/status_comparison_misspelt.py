"""A run status misspelt in a comparison: ``"SUCEEDED"`` never equals a known status.

``run.status`` holds any string the platform sends, so only ``run.known_status`` (typed
as the ``Literal`` of the known statuses) lets a checker see the typo. pyright reports
such a comparison in strict mode.
"""

# pyright: strict

from abeja_models import TriggerRun


def went_well(run: TriggerRun) -> bool:
    # The next line is the mistake: mypy [comparison-overlap], pyright reportUnnecessaryComparison
    return run.known_status == "SUCEEDED"
