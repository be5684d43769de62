"""Every Python block of README.md and docs/*.md runs, against the emulator over real HTTP.

The blocks of one file run in order, in one namespace per ``title="..."`` (the two columns
of the migration guide are two programs), as a reader who pastes them one after the other
would. What the prose takes as already there (a ``deployment``, a ``trigger_id``) is
*given*: the harness puts it in the namespace before the block runs. Ids, tokens and URLs
the emulator cannot share with the platform are *replaced*, and every replacement must
have happened, so an edit to the page cannot silently turn one off. A block that defines
``test_*`` functions (the testing guide's) has them called, with the ``abeja_emulator`` and
``requests_mock`` fixtures they name.

A block that cannot run says so in the Markdown, on the line before its fence:
``<!-- not run: the reason -->``; ``NOT_RUN`` below lists them, and the two must agree.
"""

from __future__ import annotations

import builtins
import contextlib
import copy
import importlib
import inspect
import json
import logging
import re
import signal
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pytest

from abeja_models import Client, Notebook, NotFound, Trigger
from abeja_models.testing import PlatformEmulator

from .markdown_blocks import Block, all_blocks

ORG = "1234567890123"
DEPLOYMENT = "1111111111111"
CHANNEL = "2222222222222"
JOB = "test_job_definition"

BLOCKS = all_blocks()

# Blocks marked `<!-- not run: ... -->` in the Markdown: (file, a line of the block).
NOT_RUN: dict[tuple[str, str], str] = {}


class World:
    """The objects the documentation's prose takes for granted, made on the emulator.

    A trigger or notebook a block deleted is made again for the next block that names it.
    """

    def __init__(self, emulator: PlatformEmulator, tmp_path: Path) -> None:
        self.emulator = emulator
        self.client = Client()
        self.org = self.client.organization(ORG)
        self.deployment = self.org.deployment(DEPLOYMENT)
        self.job = self.org.job_definition(JOB)
        self.tmp_path = tmp_path
        self._trigger: Trigger | None = None
        self._notebook: Notebook | None = None
        self._values: dict[str, Callable[[], Any]] = {
            "client": lambda: self.client,
            "org": lambda: self.org,
            "deployment": lambda: self.deployment,
            "job": lambda: self.job,
            "trigger": self.trigger,
            "nb": self.notebook,
            "organization_id": lambda: ORG,
            "org_id": lambda: ORG,
            "deployment_id": lambda: DEPLOYMENT,
            "dep_id": lambda: DEPLOYMENT,
            "trigger_id": lambda: self.trigger().trigger_id,
            "notebook_id": lambda: self.notebook().notebook_id,
            "job_definition_name": lambda: JOB,
            "saved": lambda: self.trigger().model_dump_json(),
            "trigger_json": lambda: self.trigger().model_dump_json(),
            "notebook_json": lambda: self.notebook().model_dump_json(),
            "document": lambda: self.trigger().to_dict(),
            "emulator": lambda: self.emulator,
            "my_pipeline": _Pipeline,
            "emulator_url": lambda: self.emulator.url,
            "cassettes": lambda: str(self.tmp_path),
            "abeja_config": self.abeja_config,
        }

    def __getitem__(self, name: str) -> Any:
        return self._values[name]()

    def abeja_config(self) -> Path:
        """The platform CLI's ``~/.abeja/config`` (in the test's own home), on the emulator."""
        profile = {
            "abeja-platform-user": "user-1234567890123",
            "personal-access-token": "emulator-token",
            "organization-name": ORG,
            "abeja-api-url": self.emulator.url,
        }
        path = Path.home() / ".abeja" / "config"
        path.parent.mkdir(exist_ok=True)
        document = {**profile, "configurations": [{**profile, "configuration-name": "staging"}]}
        path.write_text(json.dumps(document))
        return path

    def trigger(self) -> Trigger:
        if self._trigger is not None:
            with contextlib.suppress(NotFound):
                return self._trigger.refresh()
        self._trigger = self.deployment.triggers.create(
            version_id="ver-1111111111111111", input_service_id=CHANNEL
        )
        self.emulator.add_runs(self._trigger.trigger_id, 3)
        return self._trigger

    def notebook(self) -> Notebook:
        if self._notebook is not None:
            with contextlib.suppress(NotFound):
                return self._notebook.refresh()
        self._notebook = self.job.notebooks.create(instance_type="cpu-1")
        self._notebook.wait_until("Running", timeout=10, poll_interval=0.02)
        return self._notebook


class _Pipeline:
    """Stands in for the reader's own code in the testing guide's first example."""

    def deploy(self, client: Client) -> None:
        client.organization(ORG).deployment(DEPLOYMENT).triggers.create(
            version_id="ver-1111111111111111", input_service_id=CHANNEL
        )


@dataclass(frozen=True)
class Spec:
    """How one block runs: the names it is given and the text the harness replaces."""

    given: tuple[str, ...] = ()
    replace: dict[str, str] = field(default_factory=dict)
    """``old -> new``; ``new`` is formatted with the world's values (``{trigger_id}``)."""


FAST_POLL = {"poll_interval=5)": "poll_interval=0.02)"}
# The migration guide's claim: a program for the platform SDK runs with only its imports
# changed. Its abeja-sdk column runs so.
SDK_IMPORTS = {
    "from abeja.triggers import": "from abeja_models.triggers import",
    "from abeja.notebook import": "from abeja_models.notebook import",
}
# The ids the migration guide's "What changes" examples say are the reader's own.
READERS_IDS = (
    "organization_id",
    "deployment_id",
    "job_definition_name",
    "trigger_id",
    "notebook_id",
)
# Keyed by (file, a line of the block), so that moving a block does not detach its spec;
# a spec that matches no block, or several, fails `test_every_spec_matches_one_block`.
SPECS: dict[tuple[str, str], Spec] = {
    ("README.md", "client = Client()   # the env"): Spec(replace=FAST_POLL),
    ("docs/concepts.md", "quick = client.with_options(deadline=5)"): Spec(
        given=("client", "org_id", "dep_id", "trigger_id")
    ),
    ("docs/concepts.md", 'session.cert = ("/etc/abeja/client.pem"'): Spec(),
    ("docs/concepts.md", 'org = client.organization("1234567890123")'): Spec(given=("client",)),
    ("docs/concepts.md", "trigger.refresh()                 # re-fetches"): Spec(
        replace={'"tri-3333333333333333"': '"{trigger_id}"', '"1230000000000"': '"{notebook_id}"'}
    ),
    ("docs/concepts.md", "trigger = deployment.triggers.bind("): Spec(given=("saved",)),
    ("docs/concepts.md", 'api_client.get_trigger_runs("1234567890123"'): Spec(
        replace={'"tri-3333333333333333"': '"{trigger_id}"'}
    ),
    ("docs/settings.md", 'staging = Client(profile="staging")'): Spec(given=("abeja_config",)),
    ("docs/errors.md", "except NotFound:"): Spec(given=("deployment", "trigger_id")),
    ("docs/migration.md", "raw = triggers_api.get_trigger(org_id"): Spec(
        given=("org_id", "dep_id", "trigger_id")
    ),
    ("docs/json.md", "text = trigger.model_dump_json()"): Spec(given=("trigger",)),
    ("docs/json.md", "trigger = Trigger.model_validate({**document"): Spec(given=("document",)),
    ("docs/json.md", "notebook = job.notebooks.bind("): Spec(
        given=("deployment", "job", "trigger_json", "notebook_json")
    ),
    ("docs/reliability.md", "except NotFound as error:"): Spec(
        given=("client", "organization_id", "deployment_id", "trigger_id")
    ),
    ("docs/reliability.md", "client = Client(deadline=20)"): Spec(
        given=("org_id", "dep_id", "trigger_id")
    ),
    ("docs/testing.md", 'emulator.upload("2222222222222", b"an image")'): Spec(
        given=("emulator", "trigger")
    ),
    ("docs/testing.md", "my_pipeline.deploy(client)"): Spec(given=("my_pipeline",)),
    ("docs/testing.md", 'fault = emulator.inject_fault("GET"'): Spec(given=("emulator",)),
    ("docs/testing.md", "emulator.requests            #"): Spec(given=("emulator",)),
    ("docs/testing.md", "my_vcr = vcr.VCR("): Spec(
        replace={
            '"tests/cassettes"': "{cassettes!r}",
            'record_mode="none"': 'record_mode="once"',
            '"http://127.0.0.1:8080"': "{emulator_url!r}",
        }
    ),
    ("docs/testing.md", "recorder = betamax.Betamax(session)"): Spec(
        replace={
            '"tests/cassettes"': "{cassettes!r}",
            "base_url=BASE_URL": "base_url={emulator_url!r}",
        }
    ),
    ("docs/triggers.md", 'deployment.triggers.get("tri-3333333333333333")'): Spec(
        replace={'"tri-3333333333333333"': '"{trigger_id}"'}
    ),
    # The block before deleted its trigger; the page goes on with one that exists.
    ("docs/triggers.md", "for run in trigger.runs():                       # newest"): Spec(
        given=("trigger",)
    ),
    # The reader uploads with their own DataLake client; the emulator takes the file itself.
    ("docs/triggers.md", "runs = trigger.wait_for_runs(since=since"): Spec(
        given=("emulator",),
        replace={
            "# upload one file to the channel": (
                f'# upload one file to the channel\nemulator.upload("{CHANNEL}", b"a file")'
            ),
            **FAST_POLL,
        },
    ),
    ("docs/notebooks.md", 'nb.wait_until("Running", timeout=600, poll_interval=5)'): Spec(
        replace=FAST_POLL
    ),
    # The page's first example deleted its notebook; these act on one that exists.
    ("docs/notebooks.md", 'nb.wait_until("Running", timeout=300, poll_interval=5)'): Spec(
        given=("nb",), replace=FAST_POLL
    ),
    # The emulator's notebooks have only the four statuses this SDK knows.
    ("docs/notebooks.md", 'nb.wait_for(lambda nb: nb.status == "Migrating"'): Spec(
        replace={'"Migrating"': '"Running"'}
    ),
    ("docs/notebooks.md", "print(event.timestamp.isoformat(), event.message)"): Spec(given=("nb",)),
    ("docs/notebooks.md", "for event in nb.logs(follow=True, poll_interval=1):"): Spec(
        given=("nb",), replace={"poll_interval=1)": "poll_interval=0.02)"}
    ),
    ("docs/migration.md", "from abeja.exceptions import BadRequest, HttpError"): Spec(
        given=READERS_IDS,
        replace={"from abeja.exceptions import": "from abeja_models.errors import", **SDK_IMPORTS},
    ),
    ("docs/migration.md", "from abeja_models.notebook import APIClient as NotebookClient"): Spec(
        given=READERS_IDS
    ),
    ("docs/migration.md", 'organization_id = "1234567890123"'): Spec(replace=SDK_IMPORTS),
    ("docs/migration.md", 'nb.wait_until("Running", timeout=600, poll_interval=5)'): Spec(
        replace=FAST_POLL
    ),
    # Following needs a notebook that is running, so that new lines keep coming.
    ("docs/migration.md", "enumerate(nb.logs(follow=True, poll_interval=1), start=1)"): Spec(
        given=("nb",), replace={"poll_interval=1)": "poll_interval=0.02)"}
    ),
}


def _key_of(block: Block, keys: Any) -> Any:
    found = [key for key in keys if key[0] == block.path and key[1] in block.code]
    assert len(found) <= 1, f"{block.id}: several specs match: {found}"
    return found[0] if found else None


def _spec(block: Block) -> Spec:
    key = _key_of(block, SPECS)
    return SPECS[key] if key else Spec()


class _FileRun:
    """The namespaces of one file's blocks, filled in order as the tests ask for blocks."""

    def __init__(self, blocks: list[Block], world: World) -> None:
        self.blocks = blocks
        self.world = world
        self.namespaces: dict[str, dict[str, Any]] = {}
        self.done = -1
        self.tests_called: list[str] = []
        self.failures: dict[int, Exception] = {}
        """What a block raised when it ran before its own test: that test raises it."""

    def run_through(self, index: int, fixtures: _Fixtures) -> None:
        while self.done < index:
            self.done += 1
            block = self.blocks[self.done]
            if block.not_run is not None:
                continue
            try:
                self._run(block, fixtures)
            except Exception as error:
                self.failures[self.done] = error
        if index in self.failures:
            raise self.failures[index]

    def _run(self, block: Block, fixtures: _Fixtures) -> None:
        spec = _spec(block)
        code = block.code
        for old, new in spec.replace.items():
            assert old in code, f"{block.id}: the placeholder {old!r} is gone from the block"
            code = code.replace(old, new.format_map(self.world))
        namespace = self.namespaces.setdefault(
            block.track, {"__name__": f"docs_{re.sub(r'W', '_', block.path)}"}
        )
        namespace.update({name: self.world[name] for name in spec.given})
        before = dict(namespace)
        # Offset the code so that a traceback names the Markdown's own line.
        source = "\n" * block.line + code
        compiled = compile(source, str(Path(block.path)), "exec")
        if block.raises is None:
            exec(compiled, namespace)
        else:
            with pytest.raises(_exception(block.raises)):
                exec(compiled, namespace)
        for name, function in namespace.items():
            if (
                name.startswith("test_")
                and inspect.isfunction(function)
                and before.get(name) is not function
            ):
                fixtures.call(function)
                self.tests_called.append(f"{block.id}:{name}")


def _exception(name: str) -> type[BaseException]:
    """``pydantic.ValidationError``, or a bare name from ``abeja_models`` or the builtins."""
    module, _, attribute = name.rpartition(".")
    found = getattr(importlib.import_module(module or "abeja_models"), attribute, None)
    found = found or getattr(builtins, attribute, None)
    assert isinstance(found, type), name
    assert issubclass(found, BaseException), name
    return found


class _Fixtures:
    """Calls a documented ``test_*`` function with the fixtures it names, each fresh."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch

    def call(self, function: Callable[..., Any]) -> None:
        with contextlib.ExitStack() as stack:
            arguments = {
                name: stack.enter_context(self._fixture(name))
                for name in inspect.signature(function).parameters
            }
            function(**arguments)

    @contextlib.contextmanager
    def _fixture(self, name: str) -> Iterator[Any]:
        if name == "abeja_emulator":
            with _fast_emulator() as emulator, pytest.MonkeyPatch.context() as patch:
                for variable, value in emulator.env().items():
                    patch.setenv(variable, value)
                yield emulator
        elif name == "requests_mock":
            requests_mock = pytest.importorskip("requests_mock")
            with requests_mock.Mocker() as mocker:
                yield mocker
        else:
            raise AssertionError(f"a documented test asks for an unknown fixture {name!r}")


def _fast_emulator() -> PlatformEmulator:
    # A log line every 20 ms, and 1,000 of them in the recent logs: a block that looks for
    # the start-up lines finds them for 20 s, however many other tests ran in between.
    return PlatformEmulator(
        notebook_start_delay=0.05, run_step_delay=0.02, log_interval=0.02, page_size=1000
    )


@pytest.fixture(scope="module")
def runs() -> Iterator[dict[str, _FileRun]]:
    """Each file's run so far, on an emulator of its own: the blocks of one file share
    their data, and what one file does (``emulator.reset()``) cannot reach another's."""
    files: dict[str, _FileRun] = {}
    yield files
    for run in files.values():
        run.world.client.close()
        run.world.emulator.stop()


@pytest.mark.parametrize("block", BLOCKS, ids=[block.id for block in BLOCKS])
def test_the_block_runs(
    block: Block,
    runs: dict[str, _FileRun],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if block.not_run is not None:
        pytest.skip(f"marked not run: {block.not_run}")
    _run_through(block, runs, monkeypatch, tmp_path_factory)


def _run_through(
    block: Block,
    runs: dict[str, _FileRun],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Run ``block``'s file up to it, from where an earlier test left that file, with the
    environment pointing at that file's emulator."""
    run = runs.get(block.path)
    emulator = run.world.emulator if run is not None else _fast_emulator().start()
    for name, value in emulator.env().items():
        monkeypatch.setenv(name, value)
    if run is None:  # the world's client reads that environment
        world = World(emulator, tmp_path_factory.mktemp("cassettes"))
        run = runs[block.path] = _FileRun([b for b in BLOCKS if b.path == block.path], world)
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
    with _time_limit(BLOCK_TIME_LIMIT, block), _process_state_restored():
        run.run_through(block.index, _Fixtures(monkeypatch))


@contextlib.contextmanager
def _process_state_restored() -> Iterator[None]:
    """Undo what the pages show a program doing to the process: logging, betamax's defaults.

    A reader's program may configure logging (the errors and testing guides show how); the
    test suite's later modules must not inherit it.
    """
    root = logging.getLogger()
    handlers, root_level = list(root.handlers), root.level
    levels = {
        name: logger.level
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    betamax_defaults = _betamax_defaults()
    try:
        yield
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(root_level)
        for name, logger in logging.Logger.manager.loggerDict.items():
            if isinstance(logger, logging.Logger):
                logger.setLevel(levels.get(name, logging.NOTSET))
        if betamax_defaults is not None:
            configuration, cassette, library, options = betamax_defaults
            configuration.CASSETTE_LIBRARY_DIR = library
            cassette.default_cassette_options.clear()
            cassette.default_cassette_options.update(options)


def _betamax_defaults() -> tuple[Any, Any, str, dict[str, Any]] | None:
    try:
        from betamax.cassette import Cassette
        from betamax.configure import Configuration
    except ImportError:
        return None
    options = copy.deepcopy(Cassette.default_cassette_options)
    return Configuration, Cassette, Configuration.CASSETTE_LIBRARY_DIR, options


BLOCK_TIME_LIMIT = 10
"""Seconds a block (and the blocks before it, on a first run) may take: none loops forever."""


@contextlib.contextmanager
def _time_limit(seconds: int, block: Block) -> Iterator[None]:
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"{block.id} still runs after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_the_blocks_not_run_are_the_listed_ones() -> None:
    marked = {(block.path, block) for block in BLOCKS if block.not_run is not None}
    listed = {_key_of(block, NOT_RUN) for _, block in marked}
    assert None not in listed, [b.id for _, b in marked if _key_of(b, NOT_RUN) is None]
    assert listed == set(NOT_RUN), "NOT_RUN lists a block that is no longer marked"
    for _, block in marked:
        assert block.not_run, f"{block.id}: say why it does not run"


def test_every_spec_matches_one_block() -> None:
    for key in SPECS:
        matching = [b.id for b in BLOCKS if b.path == key[0] and key[1] in b.code]
        assert len(matching) == 1, f"{key} matches {matching}"


def test_the_harness_sees_every_documentation_file() -> None:
    files = {block.path for block in BLOCKS}
    assert {"README.md", "docs/index.md", "docs/migration.md", "docs/testing.md"} <= files


def test_the_documented_tests_were_called(
    runs: dict[str, _FileRun],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # The whole testing guide, if the blocks' own tests have not run it yet.
    last = [block for block in BLOCKS if block.path == "docs/testing.md"][-1]
    with contextlib.suppress(Exception):  # a block that fails is its own test's to report
        _run_through(last, runs, monkeypatch, tmp_path_factory)
    called = [name for run in runs.values() for name in run.tests_called]
    # The testing guide's examples of requests-mock, responses, vcrpy and betamax are tests.
    for expected in ("test_get_trigger", "test_a_503_is_retried", "test_list_triggers"):
        assert any(name.endswith(":" + expected) for name in called), called
    assert sum(name.endswith(":test_list_triggers") for name in called) == 2, called
