"""One ``Client`` shared by 16 threads: 2,000 mixed calls, every answer matching its call."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from abeja_models import Client
from abeja_models.testing import PlatformEmulator

THREADS = 16
CALLS = 2_000
POOL_SIZE = 4
ORG = "1234567890123"


@pytest.fixture
def emulator() -> Iterator[PlatformEmulator]:
    with PlatformEmulator(page_size=5, notebook_start_delay=0.0) as running:
        yield running


def test_sixteen_threads_share_one_client_and_its_bounded_pool(
    emulator: PlatformEmulator,
) -> None:
    client = Client(base_url=emulator.url, auth_token="t", pool_size=POOL_SIZE)
    start = threading.Barrier(THREADS)

    def worker(index: int) -> int:
        organization = client.organization(ORG)
        triggers = organization.deployment(f"dep-{index}").triggers
        notebooks = organization.job_definition(f"job-{index}").notebooks
        start.wait()
        trigger = triggers.create(
            version_id=f"ver-{index}",
            input_service_id=f"channel-{index}",
            environment={"THREAD": str(index)},
        )
        notebook = notebooks.create(instance_type="cpu-1")
        emulator.add_runs(trigger.trigger_id, 7)
        calls = 2
        while calls < CALLS // THREADS:
            step = calls % 5
            if step == 0:
                fetched = triggers.get(trigger.trigger_id)
                assert fetched.trigger_id == trigger.trigger_id
                assert fetched.user_env_vars == {"THREAD": str(index)}
                calls += 1
            elif step == 1:
                run = next(trigger.runs())
                assert run.trigger_id == trigger.trigger_id
                assert run.input_data["$datalake:1"].startswith(f"channel-{index}/")
                calls += 1
            elif step == 2:
                size = f"cpu-{calls}"
                assert (
                    notebooks.update(notebook.notebook_id, instance_type=size).instance_type == size
                )
                assert notebooks.get(notebook.notebook_id).instance_type == size
                calls += 2
            elif step == 3:
                assert [t.trigger_id for t in triggers.list()] == [trigger.trigger_id]
                calls += 1
            else:
                listed = notebooks.list()
                assert [nb.notebook_id for nb in listed] == [notebook.notebook_id]
                calls += 1
        return calls

    emulator.clear_requests()
    with client, ThreadPoolExecutor(THREADS) as pool:
        done = list(pool.map(worker, range(THREADS)))

    assert sum(done) == CALLS
    sent = emulator.requests
    assert len(sent) == CALLS  # nothing retried, nothing lost
    # Each connection has its own client port: at most POOL_SIZE of them served 2,000
    # calls, so connections were kept alive, shared, and never more than the pool allows.
    assert len({request.client_port for request in sent}) <= POOL_SIZE
