"""The options of ``triggers create`` and ``notebooks create|update|start`` are the fields of
the SDK's parameter models, read from the models: none missing, none spelt twice."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, Optional

import pytest

from abeja_models.cli._options import CREATE_TRIGGER, NOTEBOOK_SETTINGS, ParamOptions
from abeja_models.models.params import (
    CreateTriggerParams,
    NotebookParams,
    StartNotebookParams,
)
from abeja_models.resources import Notebooks, Triggers
from abeja_models.testing import seed

from .commands import run


@pytest.mark.parametrize(
    ("argv", "collection", "method", "model"),
    [
        (
            ["triggers", "create", "--version-id", "v", "--input-service-id", "c"],
            Triggers,
            "create",
            CreateTriggerParams,
        ),
        (["notebooks", "create"], Notebooks, "create", NotebookParams),
        (
            ["notebooks", "update", seed.NOTEBOOK, "--image", "abeja-inc/all-cpu:20.10"],
            Notebooks,
            "update",
            NotebookParams,
        ),
        (["notebooks", "start", seed.STOPPED_NOTEBOOK], Notebooks, "start", StartNotebookParams),
    ],
    ids=["triggers-create", "notebooks-create", "notebooks-update", "notebooks-start"],
)
def test_every_field_of_the_parameter_model_reaches_the_call(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    collection: type[Any],
    method: str,
    model: type[Any],
) -> None:
    called: list[dict[str, object]] = []
    original: Callable[..., object] = getattr(collection, method)

    def spy(self: object, *args: object, **kwargs: object) -> object:
        called.append(kwargs)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(collection, method, spy)
    code, out, err = run(capsys, *argv, "--emulator")
    assert (code, err) == (0, "")
    assert len(out) == 1
    (keywords,) = called
    assert set(keywords) == set(model.model_fields)


def parse(options: ParamOptions, *argv: str) -> tuple[argparse.ArgumentParser, dict[str, Any]]:
    parser = argparse.ArgumentParser(prog="test")
    options.add_to(parser)
    return parser, options.values(parser.parse_args(argv))


def test_a_field_added_to_a_parameter_model_becomes_an_option_and_reaches_the_call() -> None:
    class Wider(NotebookParams):
        gpu_count: Optional[int] = None
        """How many GPUs."""

    wider = ParamOptions(Wider, NOTEBOOK_SETTINGS.shell, NOTEBOOK_SETTINGS.convert)
    parser, values = parse(wider, "--gpu-count", "2", "--notebook-type", "lab")
    assert values == {"instance_type": None, "image": None, "notebook_type": "lab", "gpu_count": 2}
    assert "--gpu-count GPU_COUNT" in parser.format_help()
    usage = parser.format_usage()
    flags = ["--instance-type", "--image", "--notebook-type", "--gpu-count"]
    assert sorted(flags, key=usage.index) == flags  # the options, in the model's order


def test_a_field_the_command_line_cannot_read_is_refused_when_the_parser_is_built() -> None:
    class Listed(StartNotebookParams):
        tags: Optional[list[str]] = None
        """Tags."""

    with pytest.raises(TypeError, match=r"Listed\.tags"):
        parse(ParamOptions(Listed))


def test_the_shell_spelling_and_conversion_of_a_field_are_kept() -> None:
    parser, values = parse(
        CREATE_TRIGGER, "--version-id", "v", "--input-service-id", "c", "--env", "A=b"
    )
    assert values["environment"] == {"A": "b"}
    assert values["input_service_name"] == "datalake"
    assert values["retry_count"] is None
    with pytest.raises(SystemExit):
        parser.parse_args(["--input-service-id", "c"])  # --version-id is required
