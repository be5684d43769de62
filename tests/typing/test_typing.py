"""The public API as a type checker sees it.

- ``check_public_api.py`` (and the examples) must pass ``mypy --strict`` with the
  pydantic plugin, and pyright in strict mode when pyright is installed: every result is
  pinned with ``assert_type``. So must ``check_low_level_flow.py``: code written for the
  platform SDK, passing what each low-level call returned (ids, tokens, lists) to the next.
  And ``check_migration_narrowing.py``: the migration page's narrowings, whose block on
  the page must be that file's, line for line.
- Each file in ``mistakes/`` holds one mistake a user could make; the checkers must
  report exactly that mistake, with the error code named on the line before it
  (``# The next line is the mistake: mypy [arg-type], pyright reportArgumentType``), and
  nothing else. A checker that stopped seeing the mistake, or a file that is wrong for
  another reason, fails.
- No public signature of the SDK mentions ``typing.Any`` (checked at run time on the
  annotations).

mypy runs twice per session (once over the files that must pass, once over all the
mistakes), with a cache in the temporary directory, so warm runs take about a second.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import inspect
import json
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable, NamedTuple, Optional

import pydantic
import pytest
import typing_extensions
from typing_extensions import Annotated, Literal, NotRequired, TypedDict, get_args, get_origin

from tests.required import cannot_run

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parents[1]
MYPY_CONFIG = HERE / "mypy.ini"
PUBLIC_API = HERE / "check_public_api.py"
LOW_LEVEL_FLOW = HERE / "check_low_level_flow.py"
MIGRATION = HERE / "check_migration_narrowing.py"
EXAMPLES = sorted((REPOSITORY / "examples").glob("*.py"))
MISTAKES = sorted((HERE / "mistakes").glob("*.py"))
MYPY_CACHE = Path(tempfile.gettempdir()) / "abeja_models-typing-mypy-cache"

pytestmark = pytest.mark.slow

_MARKER = re.compile(
    r"#\s*The next line is the mistake:"
    r"\s*mypy\s+\[(?P<mypy>[a-z-]+)\],\s*pyright\s+(?P<pyright>\w+)"
)
_MYPY_LINE = re.compile(
    r"^(?P<path>[^:\n]+\.py):(?P<line>\d+): (?P<severity>error|note): (?P<message>.*?)"
    r"(?:  \[(?P<code>[a-z-]+)\])?$"
)


class Diagnostic(NamedTuple):
    """One error of a checker: where it is and its code (mypy) or rule (pyright)."""

    path: Path
    line: int
    code: str
    message: str


class Mistake(NamedTuple):
    """The mistake a file declares: its line and the code each checker must give it."""

    line: int
    mypy: str
    pyright: str


def declared_mistakes(path: Path) -> list[Mistake]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        Mistake(number + 1, match["mypy"], match["pyright"])
        for number, text in enumerate(lines, start=1)
        if (match := _MARKER.search(text))
    ]


def run_mypy(files: list[Path]) -> tuple[int, str, list[Diagnostic]]:
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--config-file",
        str(MYPY_CONFIG),
        "--cache-dir",
        str(MYPY_CACHE),
        "--no-pretty",
        "--no-color-output",
        *map(str, files),
    ]
    done = subprocess.run(
        command, cwd=REPOSITORY, capture_output=True, text=True, timeout=300, check=False
    )
    output = done.stdout + done.stderr
    errors = []
    for text in output.splitlines():
        match = _MYPY_LINE.match(text)
        if match and match["severity"] == "error":
            path = (REPOSITORY / match["path"]).resolve()
            errors.append(
                Diagnostic(path, int(match["line"]), match["code"] or "", match["message"])
            )
    return done.returncode, output, errors


@pytest.fixture(scope="module")
def mypy_errors() -> tuple[str, list[Diagnostic]]:
    """One mypy run over every mistake file; tests pick out their file's errors."""
    code, output, errors = run_mypy(MISTAKES)
    assert code == 1, f"mypy should have failed on the mistakes:\n{output}"
    return output, errors


def test_public_api_passes_mypy_strict() -> None:
    code, output, errors = run_mypy([PUBLIC_API, LOW_LEVEL_FLOW, MIGRATION, *EXAMPLES])
    assert (code, errors) == (0, []), output
    assert "Success: no issues found" in output


def test_every_mistake_file_declares_exactly_one_mistake() -> None:
    assert len(MISTAKES) >= 5
    for path in MISTAKES:
        assert len(declared_mistakes(path)) == 1, f"{path.name} must mark one mistake"


def test_the_migration_page_shows_the_checked_narrowings() -> None:
    page = (REPOSITORY / "docs" / "migration.md").read_text(encoding="utf-8")
    blocks = re.findall(r'```python title="abeja-models"\n(.*?)```', page, re.S)
    (shown,) = [block for block in blocks if "assert isinstance(page, dict)" in block]
    checked = MIGRATION.read_text(encoding="utf-8").split("# From here to the end:", 1)[1]
    body = checked.split("\n\n\ndef ", 1)[0].split("\n", 1)[1]
    assert textwrap.dedent(body).strip() == shown.strip()


# pyright: optional (``pip install pyright`` fetches node on its first run) -------------


def _pyright_command() -> Optional[list[str]]:
    if importlib.util.find_spec("pyright") is not None:
        return [sys.executable, "-m", "pyright"]
    found = shutil.which("pyright")
    return [found] if found else None


@pytest.fixture(scope="module")
def pyright_errors() -> tuple[str, list[Diagnostic]]:
    """One pyright run over the files that must pass and the mistakes; skip without pyright."""
    command = _pyright_command()
    if command is None:
        cannot_run("pyright is not installed (pip install -e '.[typing]')")
    files = [PUBLIC_API, LOW_LEVEL_FLOW, MIGRATION, *EXAMPLES, *MISTAKES]
    try:
        done = subprocess.run(
            [*command, "--outputjson", "--pythonpath", sys.executable, *map(str, files)],
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        # The pip wrapper may print a notice (a newer version exists) before the JSON.
        report = json.loads(done.stdout[done.stdout.find("{") :])
    except (OSError, subprocess.TimeoutExpired, json.JSONDecodeError) as error:
        cannot_run(f"pyright could not run here (it needs node): {error!r}")
    errors = [
        Diagnostic(
            Path(item["file"]).resolve(),
            item["range"]["start"]["line"] + 1,
            item.get("rule", ""),
            item["message"],
        )
        for item in report["generalDiagnostics"]
        if item["severity"] == "error"
    ]
    return done.stdout, errors


def test_public_api_passes_pyright_strict(pyright_errors: tuple[str, list[Diagnostic]]) -> None:
    # The check files turn strict mode on themselves; the examples are checked as usual.
    for path in (PUBLIC_API, LOW_LEVEL_FLOW, MIGRATION):
        assert "# pyright: strict" in path.read_text(encoding="utf-8")
    output, errors = pyright_errors
    must_pass = {path.resolve() for path in (PUBLIC_API, LOW_LEVEL_FLOW, MIGRATION, *EXAMPLES)}
    assert [error for error in errors if error.path in must_pass] == [], output


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
@pytest.mark.parametrize("path", MISTAKES, ids=[path.stem for path in MISTAKES])
def test_the_checker_reports_the_mistake_and_nothing_else(
    path: Path, checker: str, request: pytest.FixtureRequest
) -> None:
    # Each checker's errors come from its fixture: one run per session, over every mistake.
    output, errors = request.getfixturevalue(f"{checker}_errors")
    reported = {(error.line, error.code) for error in errors if error.path == path.resolve()}
    expected = {(mistake.line, getattr(mistake, checker)) for mistake in declared_mistakes(path)}
    assert reported == expected, output


# No Any in a public signature ---------------------------------------------------------

PUBLIC_MODULES = (
    "abeja_models",
    "abeja_models.triggers",
    "abeja_models.notebook",
    "abeja_models.testing",
)
_PUBLIC_DUNDERS = {"__init__", "__call__", "__enter__", "__exit__", "__iter__", "__next__"}
_ANYS = {id(Any), id(typing_extensions.Any)}


def contains_any(annotation: object, seen: Optional[set[int]] = None) -> bool:
    """Whether a resolved annotation is ``Any`` or mentions it anywhere inside.

    Follows unions, generics, ``Annotated`` (not its metadata), ``Literal`` (values only),
    type aliases made with ``TypeAliasType``, TypedDict fields and TypeVar bounds.
    """
    seen = set() if seen is None else seen
    if id(annotation) in _ANYS:
        return True
    if id(annotation) in seen:
        return False
    seen.add(id(annotation))
    if isinstance(annotation, typing_extensions.TypeVar):
        bound = annotation.__bound__
        limits = [*annotation.__constraints__, *([] if bound is None else [bound])]
        return any(contains_any(limit, seen) for limit in limits)
    origin = get_origin(annotation)
    if origin is Literal:
        return False
    if origin is Annotated:
        return contains_any(get_args(annotation)[0], seen)
    aliased = getattr(annotation, "__value__", None)  # a TypeAliasType (as JsonValue is)
    if aliased is not None and not isinstance(annotation, type):
        return contains_any(aliased, seen)
    if typing_extensions.is_typeddict(annotation):
        hints = typing_extensions.get_type_hints(annotation, include_extras=True)
        return any(contains_any(hint, seen) for hint in hints.values())
    return any(contains_any(argument, seen) for argument in get_args(annotation))


def _defined_here(function: object) -> bool:
    return str(getattr(function, "__module__", "")).startswith("abeja_models")


def _function_signature(
    label: str, function: Callable[..., object], *, bound: bool
) -> Iterator[tuple[str, object]]:
    """Each parameter's and the return's annotation; a missing one counts as ``Any``."""
    hints = typing_extensions.get_type_hints(function, include_extras=True)
    parameters = list(inspect.signature(function).parameters.values())
    for parameter in parameters[1:] if bound else parameters:
        yield f"{label}({parameter.name})", hints.get(parameter.name, Any)
    yield f"{label} -> return", hints.get("return", Any)


def public_signatures(owner: str, name: str, value: object) -> Iterator[tuple[str, object]]:
    """(label, annotation) for every public annotation reachable from one public name.

    For classes: the SDK's own methods, properties and ``__init__`` (what pydantic's
    ``BaseModel`` or ``Exception`` contribute is theirs, not this SDK's), the fields of
    models and dataclasses, and the keys of TypedDicts.
    """
    label = f"{owner}.{name}"
    if not isinstance(value, type):
        if not isinstance(value, str):  # __version__ aside, a type alias
            yield label, value
        return
    if typing_extensions.is_typeddict(value):
        hints = typing_extensions.get_type_hints(value, include_extras=True)
        yield from ((f"{label}[{key!r}]", hint) for key, hint in hints.items())
        return
    if issubclass(value, pydantic.BaseModel) or dataclasses.is_dataclass(value):
        hints = typing_extensions.get_type_hints(value, include_extras=True)
        fields = (
            value.model_fields
            if issubclass(value, pydantic.BaseModel)
            else [field.name for field in dataclasses.fields(value)]
        )
        yield from ((f"{label}.{field}", hints[field]) for field in fields)
    for attribute in dir(value):
        if attribute.startswith("_") and attribute not in _PUBLIC_DUNDERS:
            continue
        raw = inspect.getattr_static(value, attribute)
        where = f"{label}.{attribute}"
        if isinstance(raw, property):
            if _defined_here(raw.fget):
                yield where, typing_extensions.get_type_hints(raw.fget).get("return", Any)
        elif isinstance(raw, (classmethod, staticmethod)):
            if _defined_here(raw.__func__):
                yield from _function_signature(
                    where, raw.__func__, bound=isinstance(raw, classmethod)
                )
        elif inspect.isfunction(raw) and _defined_here(raw):
            yield from _function_signature(where, raw, bound=True)


def all_public_signatures() -> dict[str, dict[str, object]]:
    """Public name -> {signature label -> annotation}, over every public module."""
    found: dict[str, dict[str, object]] = {}
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            label = f"{module_name}.{name}"
            found[label] = dict(public_signatures(module_name, name, getattr(module, name)))
    return found


SIGNATURES = all_public_signatures()

@pytest.mark.parametrize("name", list(SIGNATURES))
def test_no_any_in_public_signatures(name: str) -> None:
    with_any = [label for label, annotation in SIGNATURES[name].items() if contains_any(annotation)]
    assert with_any == [], "Any in a public signature"


def _documented_members(value: type) -> Iterator[tuple[str, object]]:
    for attribute, raw in vars(value).items():
        if attribute.startswith("_"):
            continue
        function = raw.fget if isinstance(raw, property) else raw
        if isinstance(function, (classmethod, staticmethod)):
            function = function.__func__
        if inspect.isfunction(function) and _defined_here(function):
            yield attribute, function


def test_every_public_name_and_method_has_a_docstring() -> None:
    undocumented = []
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            value = getattr(module, name)
            is_documentable = isinstance(value, type) or inspect.isfunction(value)
            if is_documentable and not (value.__doc__ or "").strip():
                undocumented.append(f"{module_name}.{name}")
            if isinstance(value, type):
                undocumented += [
                    f"{module_name}.{name}.{attribute}"
                    for attribute, member in _documented_members(value)
                    if not getattr(member, "__doc__", None)
                ]
    assert undocumented == []


def test_the_signature_walk_reaches_both_layers() -> None:
    # Guards the walk itself: if it found nothing, the test above would pass vacuously.
    for expected in (
        "abeja_models.Client.__init__(auth_token)",
        "abeja_models.Client.organization -> return",
        "abeja_models.Triggers.create(environment)",
        "abeja_models.Triggers.runs -> return",
        "abeja_models.Trigger.refresh -> return",
        "abeja_models.TriggerRun.output_template",
        "abeja_models.Notebook.wait_until(timeout)",
        "abeja_models.Notebook.notebook_id",
        "abeja_models.Notebooks.logs -> return",
        "abeja_models.APIError.__init__(status_code)",
        "abeja_models.NotebookType",
        "abeja_models.triggers.APIClient.get_trigger_runs -> return",
        "abeja_models.triggers.APIClient.__init__(credential)",
        "abeja_models.triggers.TriggerRunPageDict['entries']",
        "abeja_models.notebook.APIClient.start_notebook -> return",
        "abeja_models.notebook.APIClient.get_notebook_recent_logs -> return",
        "abeja_models.testing.PlatformEmulator.inject_fault(body)",
        "abeja_models.testing.PlatformEmulator.url",
        "abeja_models.testing.RecordedRequest.headers",
    ):
        assert any(expected in signatures for signatures in SIGNATURES.values()), expected


class _WithAny(TypedDict):
    plain: str
    loose: NotRequired[list[Any]]


def _unannotated(self, value):  # type: ignore[no-untyped-def]  # unannotated on purpose
    return value


@pytest.mark.parametrize(
    "annotation",
    [
        Any,
        Optional[dict[str, Any]],
        Annotated[Any, "metadata"],
        Callable[[int], Any],
        _WithAny,
        typing_extensions.TypeAliasType("Alias", list[Any]),
        typing_extensions.TypeVar("Bounded", bound=dict[str, Any]),
    ],
)
def test_contains_any_sees_any(annotation: object) -> None:
    assert contains_any(annotation)


def test_a_missing_annotation_counts_as_any() -> None:
    found = dict(_function_signature("f", _unannotated, bound=True))
    assert found == {"f(value)": Any, "f -> return": Any}


def test_contains_any_lets_precise_types_through() -> None:
    assert not contains_any(Optional[dict[str, list[int]]])
    assert not contains_any(Literal["Any", "notebook"])
    assert not contains_any(Annotated[str, Any])
