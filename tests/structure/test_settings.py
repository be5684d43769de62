"""Every setting is declared once, as a field of ``Settings`` with its ``Rule``; every way
in spells it as that declaration says. A setting added there and missing from a way in
fails here, in one line naming both."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Callable

import pytest

from abeja_models import Client
from abeja_models._config import KEEP, SETTING_VARIABLES, SETTINGS, Settings
from abeja_models.cli._parser import build_parser
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.triggers import APIClient as TriggerAPIClient

# The platform SDK's constructors spell one setting otherwise.
PLATFORM_SDK_SPELLING = {"max_retries": "max_retry_count"}
DEFAULTS = {field.name: field.default for field in dataclasses.fields(Settings)}


def _parameters(function: Callable[..., object]) -> dict[str, inspect.Parameter]:
    return dict(inspect.signature(function).parameters)


@pytest.mark.parametrize("name", list(SETTINGS))
def test_client_takes_the_setting_with_none_for_not_given(name: str) -> None:
    parameters = _parameters(Client)
    assert name in parameters, f"Client(...) lacks the setting {name}"
    assert parameters[name].default is None, f"Client({name}=...) must default to None"


@pytest.mark.parametrize("owner", [TriggerAPIClient, NotebookAPIClient])
@pytest.mark.parametrize("name", list(SETTINGS))
def test_the_low_level_clients_take_the_setting(owner: type, name: str) -> None:
    spelt = PLATFORM_SDK_SPELLING.get(name, name)
    parameters = _parameters(owner)
    assert spelt in parameters, f"{owner.__module__}.APIClient(...) lacks the setting {spelt}"
    assert parameters[spelt].default is None, f"APIClient({spelt}=...) must default to None"


def test_with_options_takes_every_setting_not_fixed_with_the_connection() -> None:
    parameters = _parameters(Client.with_options)
    parameters.pop("self")
    per_call = [name for name, rule in SETTINGS.items() if not rule.per_connection]
    assert list(parameters) == per_call
    assert all(parameter.default is KEEP for parameter in parameters.values())


def test_the_command_line_has_an_option_for_every_setting_with_a_flag() -> None:
    resource = build_parser().parse_args(["triggers", "list", "-o", "1", "-d", "2"])
    flags = {name: rule.flag for name, rule in SETTINGS.items() if rule.flag}
    assert flags, "no setting has a command-line flag"
    for name in flags:
        assert hasattr(resource, name), f"the option {flags[name]} does not fill {name}"


@pytest.mark.parametrize("name", list(SETTINGS))
def test_the_default_passes_its_own_rule(name: str) -> None:
    default = DEFAULTS[name]
    if default is not None:
        assert SETTINGS[name].check(name, default) == default
    preset = SETTINGS[name].command_line
    if preset is not None:
        assert SETTINGS[name].check(name, preset) == preset


@pytest.mark.parametrize("name", list(SETTINGS))
def test_the_client_documents_the_setting(name: str) -> None:
    assert f"        {name}: " in (Client.__doc__ or ""), f"Client's Args do not describe {name}"


def test_every_variable_of_a_setting_is_one_a_client_reads() -> None:
    variables = [rule.variable for rule in SETTINGS.values() if rule.variable]
    assert set(variables) <= set(SETTING_VARIABLES)
    assert len(variables) == len(set(variables))
