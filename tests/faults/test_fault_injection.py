"""Every operation class against every fault, over real HTTP to the platform emulator.

The matrix is built as data: an ``Operation`` (one SDK call, with the method and path the
emulator sees) times a ``FaultKind`` (one ``inject_fault`` recipe and what the transport's
retry table promises for it). A fault the SDK retries is tried twice, once so that it
heals on the last attempt (``recovers``) and once so that it outlasts the retries
(``persists``); a fault it does not retry is injected ``once``. Each case checks:

(a) the outcome: success, or exactly the documented ``abeja_models.errors`` class (a bare
    requests, urllib3 or json exception would escape ``except AbejaError`` and fail);
(b) how many requests the emulator saw;
(c) that the call ended within attempts x (read timeout + fault delay) + the longest pauses
    + 2 s of slack (and, for ``Retry-After``, no sooner than the pauses it asked for);
(d) what the platform holds afterwards: a creating POST never leaves two resources behind,
    and an update, stop or delete took effect exactly when the server acted on it.
"""

from __future__ import annotations

import logging
import socket
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Callable, Optional

import pytest

from abeja_models import Client, Notebook, Trigger, TriggerRun
from abeja_models.errors import (
    AbejaError,
    APIConnectionError,
    APIError,
    APITimeoutError,
    InternalServerError,
    InvalidResponseError,
    TooManyRequests,
)
from abeja_models.resources._notebooks import Notebooks
from abeja_models.resources._triggers import Triggers
from abeja_models.testing import PlatformEmulator

ORG = "1234567890123"
DEPLOYMENT = "1111111111111"
CHANNEL = "2222222222222"
JOB = "fault_job_definition"

CONNECT_TIMEOUT = 1.0
READ_TIMEOUT = 0.25
SLOW = 2 * READ_TIMEOUT  # a delay fault that outlasts the client's read timeout
MAX_RETRIES = 2
BACKOFF_BASE = 0.01
BACKOFF_MAX = 0.05
RETRY_AFTER = 0.1  # parse_retry_after reads fractional seconds
SLACK = 2.0

NEW_TRIGGER = {"version_id": "ver-1", "input_service_id": CHANNEL}
"""The arguments of every trigger the suite creates; the trigger shows ``NEW_TRIGGER_FIELDS``."""
NEW_TRIGGER_FIELDS = {"model_version_id": "ver-1", "input_service_id": CHANNEL}
NEW_NOTEBOOK = {"instance_type": "cpu-4"}
"""The arguments of every notebook the suite creates, and what the notebook shows."""


def _client_under_test(base_url: str) -> Client:
    """Short timeouts, two retries, pauses of 10 to 50 ms."""
    return Client(
        base_url=base_url,
        auth_token="fault-suite",
        timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
        max_retries=MAX_RETRIES,
        backoff_base=BACKOFF_BASE,
        backoff_max=BACKOFF_MAX,
    )


@pytest.fixture
def client(emulator: PlatformEmulator) -> Iterator[Client]:
    """The client under test, on the emulator."""
    with _client_under_test(emulator.url) as made:
        yield made


# The faults ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FaultKind:
    """One way the platform can misbehave, and what the retry table promises for it."""

    name: str
    options: Mapping[str, object]
    """The ``inject_fault`` keywords."""
    server_acts: bool
    """Whether the emulator carries out the request despite the fault."""
    retried_idempotent: bool
    """Retried for GET, PUT and DELETE."""
    retried_post: bool
    """Retried for POST: only when the server certainly did not act."""
    error: type[AbejaError]
    """Raised when this fault is the call's last word."""
    body_only: bool = False
    """A complete 200 answer whose body is broken (a call that ignores bodies succeeds)."""
    status: Optional[int] = None
    delay: float = 0.0
    retry_after: float = 0.0


FAULTS = [
    FaultKind(
        "429-retry-after",
        {"status": 429, "retry_after": RETRY_AFTER},
        server_acts=False,
        retried_idempotent=True,
        retried_post=True,
        error=TooManyRequests,
        status=429,
        retry_after=RETRY_AFTER,
    ),
    FaultKind("500", {"status": 500}, False, True, False, InternalServerError, status=500),
    FaultKind(
        "502-html",
        {"status": 502, "malformed": "html"},
        False,
        True,
        False,
        InternalServerError,
        status=502,
    ),
    FaultKind("503", {"status": 503}, False, True, True, InternalServerError, status=503),
    FaultKind("504", {"status": 504}, False, True, False, InternalServerError, status=504),
    # The request reached the server, so a POST cannot know it was not acted on.
    FaultKind("drop-before-read", {"drop": "before_read"}, False, True, False, APIConnectionError),
    FaultKind("drop-after-read", {"drop": "after_read"}, True, True, False, APIConnectionError),
    FaultKind("read-timeout", {"delay": SLOW}, True, True, False, APITimeoutError, delay=SLOW),
    FaultKind("truncated", {"malformed": "truncated"}, True, True, False, APIConnectionError),
    FaultKind(
        "empty", {"malformed": "empty"}, True, False, False, InvalidResponseError, body_only=True
    ),
    FaultKind(
        "invalid-json",
        {"malformed": "invalid_json"},
        True,
        False,
        False,
        InvalidResponseError,
        body_only=True,
    ),
]


# The operations -----------------------------------------------------------------------


@dataclass
class Target:
    """What a case acts on, made before the fault is armed."""

    trigger_id: str = ""
    notebook_id: str = ""
    run_ids: tuple[str, ...] = ()


def _triggers(client: Client) -> Triggers:
    return client.organization(ORG).deployment(DEPLOYMENT).triggers


def _notebooks(client: Client) -> Notebooks:
    return client.organization(ORG).job_definition(JOB).notebooks


def _check_trigger(result: object, target: Target) -> None:
    assert isinstance(result, Trigger)
    assert result.trigger_id == target.trigger_id


def _check_trigger_list(result: object, target: Target) -> None:
    assert isinstance(result, list)
    assert [trigger.trigger_id for trigger in result] == [target.trigger_id]


def _check_runs(result: object, target: Target) -> None:
    assert isinstance(result, list)
    assert all(isinstance(run, TriggerRun) for run in result)
    assert sorted(run.run_id for run in result) == sorted(target.run_ids)


def _check_notebook(result: object, target: Target) -> None:
    assert isinstance(result, Notebook)
    assert result.notebook_id == target.notebook_id


def _check_logs(result: object, target: Target) -> None:
    assert result == []  # a Pending notebook has written nothing yet


def _check_updated(result: object, target: Target) -> None:
    _check_notebook(result, target)
    assert isinstance(result, Notebook)
    assert result.instance_type == "cpu-2"


def _check_status(status: str) -> Callable[[object, Target], None]:
    def check(result: object, target: Target) -> None:
        _check_notebook(result, target)
        assert isinstance(result, Notebook)
        assert result.status == status

    return check


def _has_status(status: str) -> Callable[[Client, Target], bool]:
    return lambda setup, target: _notebooks(setup).get(target.notebook_id).status == status


def _check_none(result: object, target: Target) -> None:
    assert result is None


@dataclass(frozen=True)
class Operation:
    """One SDK call, and how to see it on the emulator and in the platform's data."""

    name: str
    kind: str
    """The operation class: GET, PUT, DELETE, create POST or action POST."""
    method: str
    path: str
    """A regular expression for ``inject_fault`` and ``count``."""
    needs: Optional[str]
    """``"trigger"``, ``"notebook"`` or ``"stopped notebook"``: what must exist before the call."""
    call: Callable[[Client, Target], object]
    check: Callable[[object, Target], None]
    """Asserts on a successful call's result."""
    applied: Optional[Callable[[Client, Target], bool]] = None
    """Whether the call's effect is visible on the platform (state-changing calls)."""
    reads_body: bool = True
    """False where the SDK ignores the answer's body (delete)."""
    creates: Optional[Callable[[Client], int]] = None
    """For a creating POST: how many resources of its kind exist."""

    @property
    def idempotent(self) -> bool:
        return self.method != "POST"


def _creating(
    name: str,
    collection: Callable[[Client], Any],
    path: str,
    arguments: Mapping[str, str],
    fields: Mapping[str, str],
) -> Operation:
    """A POST that creates a resource in ``collection`` from ``arguments``; the resource it
    answers with shows ``fields``."""

    def check(result: object, target: Target) -> None:
        assert {field: getattr(result, field) for field in fields} == fields

    return Operation(
        name,
        "create POST",
        "POST",
        path,
        None,
        lambda client, target: collection(client).create(**arguments),
        check,
        creates=lambda setup: len(collection(setup).list()),
    )


def _deleting(name: str, collection: Callable[[Client], Any], path: str, needs: str) -> Operation:
    """A DELETE of the target's ``needs`` (``"trigger"`` or ``"notebook"``), whose answer's
    body the SDK ignores; once applied, ``collection`` no longer lists it."""
    id_field = f"{needs}_id"  # the same name on the Target and on the model

    def gone(setup: Client, target: Target) -> bool:
        listed = {getattr(resource, id_field) for resource in collection(setup).list()}
        return getattr(target, id_field) not in listed

    return Operation(
        name,
        "DELETE",
        "DELETE",
        path,
        needs,
        lambda client, target: collection(client).delete(getattr(target, id_field)),
        _check_none,
        applied=gone,
        reads_body=False,
    )


OPERATIONS = [
    Operation(
        "triggers.get",
        "GET",
        "GET",
        r"/triggers/tri-[^/]+$",
        "trigger",
        lambda c, t: _triggers(c).get(t.trigger_id),
        _check_trigger,
    ),
    Operation(
        "triggers.list",
        "GET",
        "GET",
        r"/triggers$",
        "trigger",
        lambda c, t: _triggers(c).list(),
        _check_trigger_list,
    ),
    Operation(
        "trigger.runs",
        "GET",
        "GET",
        r"/runs$",
        "trigger",
        lambda c, t: list(_triggers(c).runs(t.trigger_id)),
        _check_runs,
    ),
    Operation(
        "notebooks.get",
        "GET",
        "GET",
        r"/notebooks/[^/]+$",
        "notebook",
        lambda c, t: _notebooks(c).get(t.notebook_id),
        _check_notebook,
    ),
    Operation(
        "notebook.logs",
        "GET",
        "GET",
        r"/recentlogs$",
        "notebook",
        lambda c, t: list(_notebooks(c).logs(t.notebook_id)),
        _check_logs,
    ),
    Operation(
        "notebooks.update",
        "PUT",
        "PUT",
        r"/notebooks/[^/]+$",
        "notebook",
        lambda c, t: _notebooks(c).update(t.notebook_id, instance_type="cpu-2"),
        _check_updated,
        applied=lambda s, t: _notebooks(s).get(t.notebook_id).instance_type == "cpu-2",
    ),
    _deleting("triggers.delete", _triggers, r"/triggers/[^/]+$", "trigger"),
    _deleting("notebooks.delete", _notebooks, r"/notebooks/[^/]+$", "notebook"),
    _creating("triggers.create", _triggers, r"/triggers$", NEW_TRIGGER, NEW_TRIGGER_FIELDS),
    _creating("notebooks.create", _notebooks, r"/notebooks$", NEW_NOTEBOOK, NEW_NOTEBOOK),
    Operation(
        "notebook.start",
        "action POST",
        "POST",
        r"/start$",
        "stopped notebook",
        lambda c, t: _notebooks(c).start(t.notebook_id, notebook_type="lab"),
        _check_status("Pending"),
        applied=_has_status("Pending"),
    ),
    Operation(
        "notebook.stop",
        "action POST",
        "POST",
        r"/stop$",
        "notebook",
        lambda c, t: _notebooks(c).stop(t.notebook_id),
        _check_status("Stopped"),
        applied=_has_status("Stopped"),
    ),
]


# The cases ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One operation under one fault, armed for ``times`` consecutive requests."""

    operation: Operation
    fault: FaultKind
    times: int

    @property
    def id(self) -> str:
        how = "once" if not self.retried else "recovers" if self.recovers else "persists"
        return f"{self.operation.name}-{self.fault.name}-{how}"

    @property
    def retried(self) -> bool:
        fault = self.fault
        return fault.retried_idempotent if self.operation.idempotent else fault.retried_post

    @property
    def recovers(self) -> bool:
        return self.retried and self.times <= MAX_RETRIES

    @property
    def expected_requests(self) -> int:
        return MAX_RETRIES + 1 if self.retried else 1

    @property
    def expected_error(self) -> Optional[type[AbejaError]]:
        """None for success, else the exact class the call raises."""
        operation, fault = self.operation, self.fault
        if self.recovers:
            return None
        if fault.body_only and not operation.reads_body:
            return None
        return fault.error

    @property
    def server_acted(self) -> bool:
        """Whether the platform carried the call out (at least once)."""
        return self.expected_error is None or self.fault.server_acts

    @property
    def duplicate_possible(self) -> bool:
        """A POST after which the client cannot know that the server did not act."""
        return not self.operation.idempotent and not self.fault.retried_post

    @property
    def expected_firings(self) -> int:
        return min(self.times, self.expected_requests)

    def time_bound(self, requests: int) -> float:
        fault = self.fault
        per_attempt = READ_TIMEOUT + fault.delay
        pauses = (requests - 1) * max(BACKOFF_MAX, fault.retry_after)
        return requests * per_attempt + pauses + SLACK


def _build_cases() -> list[Case]:
    cases = []
    for operation in OPERATIONS:
        for fault in FAULTS:
            once = Case(operation, fault, times=1)
            if once.retried:
                cases.append(Case(operation, fault, times=MAX_RETRIES))
                cases.append(Case(operation, fault, times=MAX_RETRIES + 1))
            else:
                cases.append(once)
    return cases


CASES = _build_cases()

CREATE_UNDER_A_LASTING_FAULT = {
    "429-retry-after": (3, 0),
    "500": (1, 0),
    "502-html": (1, 0),
    "503": (3, 0),
    "504": (1, 0),
    "drop-before-read": (1, 0),
    "drop-after-read": (1, 1),
    "read-timeout": (1, 1),
    "truncated": (1, 1),
    "empty": (1, 1),
    "invalid-json": (1, 1),
}
"""What the platform has received and holds after a creating POST meets a fault that
outlasts the retries: (POST requests, resources created). Written out from the table in
docs/reliability.md, not computed from ``FAULTS``: a POST is retried only when the server
certainly did not act, so no row may show two POSTs acted on."""

TALLY: Counter[str] = Counter()
"""What the matrix did, filled in as its cases run (printed at the end with ``-s``)."""


@pytest.fixture(scope="module", autouse=True)
def _print_tally() -> Iterator[None]:
    yield
    if TALLY["cases"]:
        print(
            f"\nfault matrix: {TALLY['cases']} cases, {TALLY['faults_armed']} faults armed,"
            f" {TALLY['fault_firings']} fired, {TALLY['requests']} requests;"
            f" {TALLY['duplicate_possible_cases']} POST cases where a duplicate was possible,"
            f" {TALLY['duplicate_possible_requests']} requests seen in them,"
            f" {TALLY['duplicates']} duplicate requests,"
            f" {TALLY['resources_twice']} resources created twice"
        )


def _prepare(operation: Operation, setup: Client, emulator: PlatformEmulator) -> Target:
    target = Target()
    if operation.needs == "trigger":
        target.trigger_id = _triggers(setup).create(**NEW_TRIGGER).trigger_id
        target.run_ids = tuple(emulator.add_runs(target.trigger_id, 2))
    elif operation.needs is not None:
        target.notebook_id = _notebooks(setup).create(**NEW_NOTEBOOK).notebook_id
        if operation.needs == "stopped notebook":
            _notebooks(setup).stop(target.notebook_id)
    return target


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_operation_under_fault(
    case: Case, emulator: PlatformEmulator, client: Client, setup_client: Client
) -> None:
    operation, kind = case.operation, case.fault
    target = _prepare(operation, setup_client, emulator)
    emulator.clear_requests()
    fault = emulator.inject_fault(
        operation.method,
        operation.path,
        times=case.times,
        **kind.options,  # type: ignore[arg-type]
    )

    error: Optional[AbejaError] = None
    result: object = None
    started = time.monotonic()
    try:
        result = operation.call(client, target)
    except AbejaError as raised:  # anything else (requests, urllib3, json) fails the test
        error = raised
    elapsed = time.monotonic() - started
    seen = emulator.count(operation.method, operation.path)
    emulator.clear_faults()

    resources = operation.creates(setup_client) if operation.creates is not None else 0
    # Counted before any assertion, so the printed tally shows failures too.
    TALLY["cases"] += 1
    TALLY["faults_armed"] += 1
    TALLY["fault_firings"] += fault.hits
    TALLY["requests"] += seen
    if case.duplicate_possible:
        TALLY["duplicate_possible_cases"] += 1
        TALLY["duplicate_possible_requests"] += seen
        TALLY["duplicates"] += max(0, seen - 1)
    TALLY["resources_twice"] += resources >= 2

    assert resources < 2, f"{resources} resources: a creating POST was carried out twice"

    # (a) the promised outcome
    if case.expected_error is None:
        assert error is None, f"expected success, got {error!r}"
        operation.check(result, target)
    else:
        assert type(error) is case.expected_error, f"expected {case.expected_error}, got {error!r}"
        if kind.status is not None:
            assert isinstance(error, APIError)
            assert error.status_code == kind.status
            if kind.options.get("malformed") == "html":
                assert "Bad Gateway" in error.error_description  # the page's text, kept
    # (b) the requests the server saw
    assert seen == case.expected_requests
    assert fault.hits == case.expected_firings
    # (c) the time it took
    assert elapsed <= case.time_bound(seen), f"{elapsed:.2f}s"
    if kind.retry_after and seen > 1:
        assert elapsed >= 0.9 * (seen - 1) * kind.retry_after, "Retry-After was not honoured"
    # (d) what the platform holds now
    if operation.creates is not None:
        assert resources == (1 if case.server_acted else 0)
        if not case.recovers:
            assert (seen, resources) == CREATE_UNDER_A_LASTING_FAULT[kind.name]
    if operation.applied is not None:
        assert operation.applied(setup_client, target) == case.server_acted


def test_the_case_table_covers_every_operation_class_and_fault() -> None:
    assert {operation.kind for operation in OPERATIONS} == {
        "GET",
        "PUT",
        "DELETE",
        "create POST",
        "action POST",
    }
    assert {fault.name for fault in FAULTS} == set(CREATE_UNDER_A_LASTING_FAULT)
    pairs = {(case.operation.name, case.fault.name) for case in CASES}
    assert pairs == {(operation.name, fault.name) for operation in OPERATIONS for fault in FAULTS}
    assert len({case.id for case in CASES}) == len(CASES)


# Beyond the matrix --------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_create_is_retried_when_the_connection_is_refused(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="abeja_models")
    with _client_under_test(f"http://127.0.0.1:{_closed_port()}") as refused:
        started = time.monotonic()
        with pytest.raises(APIConnectionError) as caught:
            _triggers(refused).create(**NEW_TRIGGER)
    assert type(caught.value) is APIConnectionError
    assert "could not connect" in str(caught.value)
    retries = [record for record in caplog.records if "retry" in record.getMessage()]
    assert len(retries) == MAX_RETRIES  # nothing was sent, so the POST was tried 3 times
    assert time.monotonic() - started <= 3 * CONNECT_TIMEOUT + 2 * BACKOFF_MAX + SLACK


def test_tls_to_a_server_that_does_not_speak_it_fails_at_once(
    emulator: PlatformEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="abeja_models")
    https_url = emulator.url.replace("http://", "https://")
    with (
        Client(base_url=https_url, auth_token="fault-suite", max_retries=MAX_RETRIES) as client,
        pytest.raises(APIConnectionError, match="TLS failed") as caught,
    ):
        _triggers(client).list()
    assert type(caught.value) is APIConnectionError
    assert not [record for record in caplog.records if "retry" in record.getMessage()]


def test_a_retry_after_beyond_a_minute_is_not_waited_for(
    emulator: PlatformEmulator, client: Client
) -> None:
    emulator.inject_fault("GET", r"/triggers$", status=429, retry_after=120, times=5)
    started = time.monotonic()
    with pytest.raises(TooManyRequests) as caught:
        _triggers(client).list()
    assert caught.value.status_code == 429
    assert emulator.count("GET", r"/triggers$") == 1
    assert time.monotonic() - started < SLACK


def test_a_retry_after_date_in_the_past_is_retried_at_once(
    emulator: PlatformEmulator, client: Client
) -> None:
    emulator.inject_fault(
        "GET", r"/triggers$", status=503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}
    )
    assert _triggers(client).list() == []
    assert emulator.count("GET", r"/triggers$") == 2


def test_the_emulator_stays_quiet_when_a_client_gives_up(
    emulator: PlatformEmulator, client: Client, capfd: pytest.CaptureFixture[str]
) -> None:
    emulator.inject_fault("GET", r"/triggers$", delay=SLOW, times=MAX_RETRIES + 1)
    with pytest.raises(APITimeoutError):
        _triggers(client).list()
    time.sleep(SLOW)  # the delayed handlers now write to sockets the client has closed
    assert "Traceback" not in capfd.readouterr().err


def test_users_inject_faults_through_the_abeja_emulator_fixture(
    abeja_emulator: PlatformEmulator,
) -> None:
    # The fixture comes from the package's pytest plugin and set ABEJA_API_URL and
    # PLATFORM_AUTH_TOKEN, so Client() needs no argument.
    with Client(backoff_base=BACKOFF_BASE) as client:
        triggers = _triggers(client)
        abeja_emulator.inject_fault("POST", r"/triggers$", drop="after_read")
        with pytest.raises(APIConnectionError):
            triggers.create(**NEW_TRIGGER)
        abeja_emulator.inject_fault("GET", r"/triggers$", status=503, times=2)
        assert len(triggers.list()) == 1  # created once, listed after two 503s
    assert abeja_emulator.count("POST", r"/triggers$") == 1
    assert abeja_emulator.count("GET", r"/triggers$") == 3
