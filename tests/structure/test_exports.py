"""What the packages export: each ``__all__`` is built from its modules' lists, so these
check that the result is whole, resolvable and free of repeats."""

from __future__ import annotations

import importlib
import inspect

import pytest

import abeja_models
from abeja_models import errors, models
from abeja_models.models import notebook, trigger

# The platform SDK's spellings stay in abeja_models.errors only.
KEPT_IN_ERRORS = {"Error", "HttpError", "error_class_for_status"}


@pytest.mark.parametrize("package", [abeja_models, models], ids=lambda package: package.__name__)
def test_every_exported_name_is_there_once_and_star_import_gives_them_all(package: object) -> None:
    exported = package.__all__  # type: ignore[attr-defined]
    assert len(exported) == len(set(exported))
    star: dict[str, object] = {}
    exec(f"from {package.__name__} import *", star)  # type: ignore[attr-defined]
    assert {name: star[name] for name in exported} == {
        name: getattr(package, name) for name in exported
    }
    assert set(exported) <= set(dir(package))
    # And nothing it imports to re-export is missing from the list.
    imported = {
        name
        for name, value in vars(package).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name != "TYPE_CHECKING"
    }
    assert imported == set(exported) - {"__version__"}


def test_the_package_exports_every_error_but_the_platform_sdks_spellings() -> None:
    from_errors = set(abeja_models.__all__) & set(errors.__all__)
    assert from_errors == set(errors.__all__) - KEPT_IN_ERRORS
    for name in from_errors:
        assert getattr(abeja_models, name) is getattr(errors, name)
    assert not KEPT_IN_ERRORS & set(abeja_models.__all__)


def test_the_lazily_loaded_names_are_the_models_and_resources_own() -> None:
    lazy = set(abeja_models.__all__) - set(errors.__all__) - {"__version__"}
    for name in lazy:
        home = "models" if hasattr(models, name) else "resources"
        assert getattr(abeja_models, name) is getattr(
            importlib.import_module(f"abeja_models.{home}"), name
        )


def test_models_exports_each_api_module_whole() -> None:
    for module in (notebook, trigger):
        assert set(module.__all__) <= set(models.__all__)
        for name in module.__all__:
            assert getattr(models, name) is getattr(module, name)
