"""Every documented Trigger and Notebook API call of the platform's own SDK, in order.

Run by ``test_abeja_sdk.py`` with the python of a venv that has ``abeja-sdk`` installed and
``ABEJA_API_URL``/``PLATFORM_AUTH_TOKEN`` pointing at an emulator; it prints one JSON line
per call (the operation and what it returned) and exits non-zero on the first failure.
This file runs under that other interpreter, so it imports nothing from abeja_models.
"""

import json
import sys

from abeja.notebook import APIClient as NotebookClient
from abeja.triggers import APIClient as TriggerClient

ORG, DEPLOYMENT, CHANNEL, JOB = "1234567890123", "1111111111111", "2222222222222", "job-1"


def report(operation, result):
    print(json.dumps({"operation": operation, "result": result}), flush=True)
    return result


def main():
    triggers = TriggerClient()
    created = report("create_trigger", triggers.create_trigger(
        ORG, DEPLOYMENT, "ver-1111111111111111", "datalake", CHANNEL,
        model_id="3333333333333", distribution=0, retry_count=3,
        environment={"EXAMPLE_ENV": "example"}))
    trigger_id = created["trigger_id"]
    sys.stdin.readline()  # the test gives the trigger its runs, then says go on
    report("get_trigger", triggers.get_trigger(ORG, DEPLOYMENT, trigger_id))
    report("get_triggers", triggers.get_triggers(ORG, DEPLOYMENT))
    first = report("get_trigger_runs", triggers.get_trigger_runs(
        ORG, DEPLOYMENT, trigger_id, scan_forward=True))
    report("get_trigger_runs(next_page_token)", triggers.get_trigger_runs(
        ORG, DEPLOYMENT, trigger_id, next_page_token=first["next_page_token"],
        scan_forward=True))
    report("delete_trigger", triggers.delete_trigger(ORG, DEPLOYMENT, trigger_id))

    notebooks = NotebookClient()
    notebook = report("create_notebook", notebooks.create_notebook(
        ORG, JOB, "cpu-1", "abeja-inc/all-cpu:19.10", "lab"))
    notebook_id = notebook["training_notebook_id"]
    report("get_notebook", notebooks.get_notebook(ORG, JOB, notebook_id))
    report("get_notebooks", notebooks.get_notebooks(ORG, JOB))
    report("update_notebook", notebooks.update_notebook(
        ORG, JOB, notebook_id, instance_type="cpu-2", image="abeja-inc/all-cpu:19.10"))
    report("stop_notebook", notebooks.stop_notebook(ORG, JOB, notebook_id))
    report("start_notebook", notebooks.start_notebook(ORG, JOB, notebook_id, "notebook"))
    logs = report("get_notebook_recent_logs", notebooks.get_notebook_recent_logs(
        ORG, JOB, notebook_id))
    report("get_notebook_recent_logs(next_forward_token)", notebooks.get_notebook_recent_logs(
        ORG, JOB, notebook_id, next_forward_token=logs["next_forward_token"]))
    report("delete_notebook", notebooks.delete_notebook(ORG, JOB, notebook_id))


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # the test prints this line to say what broke
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}), flush=True)
        sys.exit(1)
