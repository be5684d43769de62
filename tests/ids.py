"""The ids the tests ask about, the paths they make, and the unit suite's mocked address.

The notebook id is the one the reference documents' notebook answer carries: an answer
about another notebook than the one asked is refused, so the tests ask about that one.
"""

from __future__ import annotations

BASE_URL = "https://api.test"
ORG = "1234567890123"
DEP = "1111111111111"
TRIGGER_ID = "tri-3333333333333333"
JOB = "test_job_definition"
NOTEBOOK_ID = "1410000000000"

TRIGGERS_PATH = f"/organizations/{ORG}/deployments/{DEP}/triggers"
TRIGGER_PATH = f"{TRIGGERS_PATH}/{TRIGGER_ID}"
RUNS_PATH = f"{TRIGGER_PATH}/runs"
NOTEBOOKS_PATH = f"/organizations/{ORG}/training/definitions/{JOB}/notebooks"
NOTEBOOK_PATH = f"{NOTEBOOKS_PATH}/{NOTEBOOK_ID}"
LOGS_PATH = f"{NOTEBOOK_PATH}/recentlogs"

TRIGGERS_URL = BASE_URL + TRIGGERS_PATH
TRIGGER_URL = BASE_URL + TRIGGER_PATH
RUNS_URL = BASE_URL + RUNS_PATH
NOTEBOOKS_URL = BASE_URL + NOTEBOOKS_PATH
NOTEBOOK_URL = BASE_URL + NOTEBOOK_PATH
LOGS_URL = BASE_URL + LOGS_PATH
