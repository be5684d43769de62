"""The benchmark's contenders, each run by a worker process of its own.

    python benchmarks/contenders.py NAME URL GETS_PER_TURN

A worker builds its contender, warms it up, says ``ready`` on stdout, then waits for
commands on stdin, one a line: ``turn`` does one turn (``GETS_PER_TURN`` gets, or one page
of runs) and answers its duration, ``memory`` answers the peak traced memory of a whole
typed iteration, and anything else or the end of stdin ends the worker. Each answer is one
JSON line. Only the standard library is imported up front, so that the platform's SDK can
run this file from its own virtual environment, where abeja-models is not installed.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from itertools import islice
from typing import Any, Callable, TextIO

ORG, DEPLOYMENT, TRIGGER = "1234567890123", "1111111111111", "tri-3333333333333333"
TRIGGER_PATH = f"/organizations/{ORG}/deployments/{DEPLOYMENT}/triggers/{TRIGGER}"
RUNS_PATH = TRIGGER_PATH + "/runs"
TOTAL_RUNS, PAGE_SIZE = 100_000, 1_000
TOKEN = "benchmark-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
WARM_UP_TURNS = 5

Turn = Callable[[], int]  # does one turn, returns how many operations it did


def _versions(*distributions: str) -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name) for name in distributions}


def _gets(call: Callable[[], object], per_turn: int) -> Turn:
    def turn() -> int:
        for _ in range(per_turn):
            call()
        return per_turn

    return turn


def typed_triggers(url: str) -> Any:
    """The benchmark deployment's ``triggers`` through abeja-models' client on ``url``."""
    from abeja_models import Client

    return Client(base_url=url, auth_token=TOKEN).organization(ORG).deployment(DEPLOYMENT).triggers


def typed_get(url: str, per_turn: int) -> Turn:
    """``deployment.triggers.get``: a validated ``Trigger`` through abeja-models' client."""
    triggers = typed_triggers(url)
    return _gets(lambda: triggers.get(TRIGGER), per_turn)


def _bare(url: str, per_turn: int, trust_env: bool) -> Turn:
    import requests

    session = requests.Session()
    session.trust_env = trust_env
    target = url + TRIGGER_PATH
    return _gets(lambda: session.get(target, headers=AUTH).json(), per_turn)


def bare_requests(url: str, per_turn: int) -> Turn:
    """``requests.Session().get(url).json()`` on one session, as users leave it."""
    return _bare(url, per_turn, trust_env=True)


def bare_requests_no_env(url: str, per_turn: int) -> Turn:
    """The same with ``session.trust_env = False``: no proxy or netrc lookup per call."""
    return _bare(url, per_turn, trust_env=False)


def ceiling(url: str, per_turn: int) -> Turn:
    """The ceiling of requests' public path: ``Session.send`` and no work of an SDK.

    One request prepared once, the environment's settings merged once, and an adapter
    that remembers its pool per host and TLS options through the hook requests provides
    for it (``get_connection_with_tls_context``, requests 2.32 and later).
    """
    import requests
    from requests.adapters import HTTPAdapter

    class RememberingAdapter(HTTPAdapter):
        def __init__(self) -> None:
            super().__init__()
            self.pools: dict[Any, Any] = {}

        def get_connection_with_tls_context(
            self, request: Any, verify: Any, proxies: Any = None, cert: Any = None
        ) -> Any:
            origin = tuple(request.url.split("/", 3)[:3])
            key = (origin, verify, cert, frozenset(proxies.items()) if proxies else None)
            pool = self.pools.get(key)
            if pool is None or pool.pool is None:  # a closed pool is looked up again
                pool = super().get_connection_with_tls_context(request, verify, proxies, cert)
                self.pools[key] = pool
            return pool

    session = requests.Session()
    session.mount("http://", RememberingAdapter())
    prepared = session.prepare_request(requests.Request("GET", url + TRIGGER_PATH, headers=AUTH))
    settings = session.merge_environment_settings(prepared.url, {}, None, None, None)
    return _gets(lambda: json.loads(session.send(prepared, **settings).content), per_turn)


def http_client(url: str, per_turn: int) -> Turn:
    """Raw ``http.client`` on one keep-alive connection: the floor of Python clients."""
    import http.client

    host, port = url.rsplit("/", 1)[1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)

    def call() -> object:
        connection.request("GET", TRIGGER_PATH, headers=AUTH)
        return json.loads(connection.getresponse().read())

    return _gets(call, per_turn)


def abeja_sdk_get(url: str, per_turn: int) -> Turn:
    """The platform SDK's ``APIClient.get_trigger`` (a dict)."""
    from abeja.triggers import APIClient

    client = APIClient()
    return _gets(lambda: client.get_trigger(ORG, DEPLOYMENT, TRIGGER), per_turn)


def typed_runs(url: str, per_turn: int) -> Turn:
    """``deployment.triggers.runs``: validated runs, one page a turn, round the 100k again."""
    triggers = typed_triggers(url)
    runs: Iterator[Any] = iter(())

    def turn() -> int:
        nonlocal runs
        count = 0
        for _ in islice(runs, PAGE_SIZE):
            count += 1
        if count == 0:  # the last page was handed over in the turn before: start again
            runs = triggers.runs(TRIGGER)
            for _ in islice(runs, PAGE_SIZE):
                count += 1
        assert count == PAGE_SIZE, count
        return count

    return turn


def abeja_sdk_runs(url: str, per_turn: int) -> Turn:
    """The platform SDK's ``get_trigger_runs`` and a loop over each page's dicts."""
    from abeja.triggers import APIClient

    client = APIClient()
    token = None

    def turn() -> int:
        nonlocal token
        page = client.get_trigger_runs(ORG, DEPLOYMENT, TRIGGER, next_page_token=token)
        count = 0
        for _ in page["entries"]:
            count += 1
        token = page.get("next_page_token")  # none after the last page: start again
        assert count == PAGE_SIZE, count
        return count

    return turn


def peak_memory(url: str) -> int:
    """Peak traced memory, in bytes, of one typed iteration over all the runs."""
    import tracemalloc

    triggers = typed_triggers(url)
    tracemalloc.start()
    try:
        seen = 0
        for _ in triggers.runs(TRIGGER):
            seen += 1
        assert seen == TOTAL_RUNS, seen
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# name: (make the contender, what it is measured in, the distributions whose versions count)
CONTENDERS: dict[str, tuple[Callable[[str, int], Turn], str, tuple[str, ...]]] = {
    "typed-get": (typed_get, "get", ("requests", "urllib3", "pydantic")),
    "requests": (bare_requests, "get", ()),
    "requests-no-env": (bare_requests_no_env, "get", ()),
    "ceiling": (ceiling, "get", ()),
    "http.client": (http_client, "get", ()),
    "abeja-sdk-get": (abeja_sdk_get, "get", ("abeja-sdk",)),
    "typed-runs": (typed_runs, "run", ()),
    "abeja-sdk-runs": (abeja_sdk_runs, "run", ()),
}


def _reply(out: TextIO, answer: dict[str, Any]) -> None:
    out.write(json.dumps(answer) + "\n")
    out.flush()


def work(name: str, url: str, per_turn: int) -> None:
    """Serve the coordinator's commands for contender ``name`` until told to stop."""
    out, sys.stdout = sys.stdout, sys.stderr  # a library's print cannot garble the answers
    make, _, distributions = CONTENDERS[name]
    turn = make(url, per_turn)
    for _ in range(WARM_UP_TURNS):  # connections opened, schemas built, code paths warm
        turn()
    _reply(out, {"ready": _versions(*distributions)})
    for line in sys.stdin:
        command = line.strip()
        if command == "turn":
            started = time.perf_counter()
            operations = turn()
            _reply(out, {"seconds": time.perf_counter() - started, "operations": operations})
        elif command == "memory":
            _reply(out, {"peak": peak_memory(url)})
        else:
            return


if __name__ == "__main__":
    work(sys.argv[1], sys.argv[2], int(sys.argv[3]))
