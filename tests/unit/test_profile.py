"""``~/.abeja/config``, the platform CLI's configuration, as a source of settings: each
way in (``Client``, both low-level clients, the command line) reads it the same way, below
arguments and variables, in a home of the test's own."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

from abeja_models import Client, ValidationError
from abeja_models.cli import main
from abeja_models.notebook import APIClient as NotebookAPIClient
from abeja_models.testing import PlatformEmulator, seed
from abeja_models.triggers import APIClient as TriggerAPIClient
from tests.ids import BASE_URL, DEP, JOB, ORG, TRIGGERS_URL

from .fakes import MockedPlatform

SECRET = "s3cr3t-personal-access-token"
OTHER_ORG = "9999999999999"
NOTEBOOKS_URL = f"{BASE_URL}/organizations/{ORG}/training/definitions/{JOB}/notebooks"


def configuration(user: str = "1111", token: str = SECRET, **more: str) -> dict[str, str]:
    """One configuration as ``abeja config init`` writes it (``more``: ``name=``, ``url=``)."""
    written = {
        "abeja-platform-user": user,
        "personal-access-token": token,
        "organization-name": more.pop("organization", ORG),
        "abeja-api-url": more.pop("url", BASE_URL),
    }
    if "name" in more:
        written["configuration-name"] = more.pop("name")
    assert not more, more
    return written


def write_config(home: Path, document: object) -> Path:
    """``document`` as the test home's ``~/.abeja/config``."""
    path = home / ".abeja" / "config"
    path.parent.mkdir(exist_ok=True)
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def basic(user: str, token: str = SECRET) -> str:
    return "Basic " + base64.b64encode(f"{user}:{token}".encode()).decode()


def sent_authorization(api: MockedPlatform) -> Optional[str]:
    return api.calls[-1].request.headers.get("Authorization")


@pytest.fixture
def listed(api: MockedPlatform) -> Callable[[Client], Optional[str]]:
    """Lists the triggers with a client, in its default organization; the header sent."""
    api.get(TRIGGERS_URL, json={"entries": []})

    def list_with(client: Client) -> Optional[str]:
        client.organization().deployment(DEP).triggers.list()
        return sent_authorization(api)

    return list_with


# -- every way in reads the file's active configuration --------------------------------------


def test_client_reads_credentials_url_and_organization_from_the_file_alone(
    home: Path, listed: Callable[[Client], Optional[str]]
) -> None:
    write_config(home, configuration())
    client = Client()
    assert client.base_url == BASE_URL
    assert listed(client) == basic("user-1111")


def test_both_low_level_clients_read_the_file(home: Path, api: MockedPlatform) -> None:
    write_config(home, configuration(user="user-2222"))
    api.get(TRIGGERS_URL, json={"entries": []})
    api.get(NOTEBOOKS_URL, json={"entries": []})
    TriggerAPIClient().get_triggers(ORG, DEP)
    assert sent_authorization(api) == basic("user-2222")
    NotebookAPIClient().get_notebooks(ORG, JOB)
    assert sent_authorization(api) == basic("user-2222")


def test_the_active_named_configuration_is_used(
    home: Path, listed: Callable[[Client], Optional[str]]
) -> None:
    write_config(
        home,
        {
            **configuration(user="1000"),
            "active-configuration-name": "dev",
            "configurations": [configuration(user="2000", name="dev")],
        },
    )
    assert listed(Client()) == basic("user-2000")


@pytest.mark.parametrize("way", ["argument", "variable"])
def test_a_named_configuration_is_chosen_by_argument_or_variable(
    home: Path,
    listed: Callable[[Client], Optional[str]],
    monkeypatch: pytest.MonkeyPatch,
    way: str,
) -> None:
    write_config(
        home,
        {
            **configuration(user="1000"),
            "configurations": [
                configuration(user="2000", name="dev"),
                configuration(user="3000", name="prod"),
            ],
        },
    )
    if way == "argument":
        monkeypatch.setenv("ABEJA_PROFILE", "dev")  # the argument wins over the variable
        client = Client(profile="prod")
    else:
        monkeypatch.setenv("ABEJA_PROFILE", "prod")
        client = Client()
    assert listed(client) == basic("user-3000")
    api = TriggerAPIClient(profile="prod") if way == "argument" else TriggerAPIClient()
    api.get_triggers(ORG, DEP)


def test_the_profile_argument_keeps_the_platform_sdks_positional_signature() -> None:
    with pytest.raises(TypeError):
        TriggerAPIClient(None, None, None, "dev")  # type: ignore[misc]


# -- precedence: arguments, then variables (the platform SDK's, the platform CLI's), the file --


def test_arguments_win_over_variables_which_win_over_the_file(
    home: Path, listed: Callable[[Client], Optional[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(home, configuration(user="1000"))
    monkeypatch.setenv("ABEJA_PLATFORM_USER_ID", "2000")
    monkeypatch.setenv("ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN", "from-the-environment")
    assert listed(Client()) == basic("user-2000", "from-the-environment")
    assert listed(Client(auth_token="from-an-argument")) == "Bearer from-an-argument"
    monkeypatch.setenv("PLATFORM_AUTH_TOKEN", "bearer-from-the-environment")
    assert listed(Client()) == "Bearer bearer-from-the-environment"


def test_the_platform_clis_variables_stand_over_the_file_field_by_field(
    home: Path, listed: Callable[[Client], Optional[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(home, configuration(user="1000"))
    monkeypatch.setenv("PERSONAL_ACCESS_TOKEN", "older-token")
    assert listed(Client()) == basic("user-1000", "older-token")
    monkeypatch.setenv("ABEJA_CLI_TOKEN", "cli-token")
    monkeypatch.setenv("ABEJA_PLATFORM_USER", "3000")
    assert listed(Client()) == basic("user-3000", "cli-token")
    monkeypatch.setenv("ABEJA_CLI_USER", "user-4000")
    assert listed(Client()) == basic("user-4000", "cli-token")
    # The platform SDK's own pair comes first, as it always has in this SDK.
    monkeypatch.setenv("ABEJA_PLATFORM_USER_ID", "5000")
    monkeypatch.setenv("ABEJA_PLATFORM_PERSONAL_ACCESS_TOKEN", "sdk-token")
    assert listed(Client()) == basic("user-5000", "sdk-token")


def test_the_platform_clis_variables_work_without_a_file(
    listed: Callable[[Client], Optional[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ABEJA_CLI_USER", "1000")
    monkeypatch.setenv("ABEJA_CLI_TOKEN", SECRET)
    monkeypatch.setenv("ABEJA_CLI_ORGANIZATION", ORG)
    assert listed(Client(base_url=BASE_URL)) == basic("user-1000")


def test_the_files_url_stands_below_the_variable_and_the_argument(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(home, configuration(url="https://from-the-file.test/"))
    assert Client().base_url == "https://from-the-file.test"
    assert TriggerAPIClient()._transport.settings.base_url == "https://from-the-file.test"
    monkeypatch.setenv("ABEJA_API_URL", "https://from-the-variable.test")
    assert Client().base_url == "https://from-the-variable.test"
    assert Client(base_url="https://from-the-argument.test").base_url == (
        "https://from-the-argument.test"
    )


def test_the_files_url_is_checked_by_the_one_url_rule_naming_its_key(home: Path) -> None:
    write_config(
        home,
        {
            "active-configuration-name": "dev",
            "configurations": [configuration(name="dev", url="http://api.example.com")],
        },
    )
    with pytest.raises(ValidationError) as refused:
        Client()
    assert refused.value.parameter == "~/.abeja/config[dev].abeja-api-url"
    assert "https://" in str(refused.value)


# -- the default organization ---------------------------------------------------------------


def test_the_default_organization_is_the_variables_then_the_files(
    home: Path, api: MockedPlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(home, configuration(organization=OTHER_ORG))
    assert Client().organization().organization_id == OTHER_ORG
    monkeypatch.setenv("ORGANIZATION_NAME", "2")
    assert Client().organization().organization_id == "2"
    monkeypatch.setenv("ABEJA_CLI_ORGANIZATION", "3")
    assert Client().organization().organization_id == "3"
    monkeypatch.setenv("ABEJA_ORGANIZATION_ID", "4")
    client = Client()
    assert client.organization().organization_id == "4"
    assert client.with_options(deadline=5).organization().organization_id == "4"
    assert client.organization(ORG).organization_id == ORG


def test_no_organization_configured_is_a_validation_error_saying_how_to_configure_one() -> None:
    with pytest.raises(ValidationError) as refused:
        Client(base_url=BASE_URL).organization()
    assert refused.value.parameter == "organization_id"
    assert "ABEJA_ORGANIZATION_ID" in str(refused.value)
    assert "~/.abeja/config" in str(refused.value)


# -- a missing file is no error; a malformed one is, naming the file and the profile ----------


def test_a_missing_file_is_no_error(
    listed: Callable[[Client], Optional[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ABEJA_ORGANIZATION_ID", ORG)
    client = Client(base_url=BASE_URL, auth_token="t")
    assert listed(Client(base_url=BASE_URL, auth_token="t")) == "Bearer t"
    assert client.base_url == BASE_URL
    assert repr(Client()).startswith("<Client https://api.abeja.io credentials=None")


MALFORMED: list[tuple[Any, str]] = [
    ('{"abeja-platform-user": "1", "personal-access-token": "' + SECRET, "~/.abeja/config"),
    (b"\xff\xfe{}".decode("latin-1"), "~/.abeja/config"),
    ([configuration()], "~/.abeja/config"),
    ({"configurations": {"dev": configuration()}}, "~/.abeja/config.configurations"),
    ({"configurations": [configuration()]}, "~/.abeja/config.configurations[].configuration-name"),
    (
        {"configurations": [configuration(name="dev")]},
        "~/.abeja/config.active-configuration-name",
    ),
    (
        {"active-configuration-name": "prod", "configurations": [configuration(name="dev")]},
        "~/.abeja/config.active-configuration-name",
    ),
    (
        {**configuration(), "personal-access-token": 12345},
        "~/.abeja/config[(default)].personal-access-token",
    ),
    (
        {
            "configurations": [{**configuration(name="dev"), "personal-access-token": ""}],
            "active-configuration-name": "dev",
        },
        "~/.abeja/config[dev].personal-access-token",
    ),
    (
        {"abeja-platform-user": "1", "organization-name": ORG},
        "~/.abeja/config[(default)].personal-access-token",
    ),
]


@pytest.mark.parametrize(("document", "parameter"), MALFORMED)
def test_a_malformed_file_is_a_validation_error_naming_file_and_profile_not_a_secret(
    home: Path, document: Any, parameter: str
) -> None:
    write_config(home, document)
    for make in (Client, TriggerAPIClient, NotebookAPIClient):
        with pytest.raises(ValidationError) as refused:
            make()
        assert refused.value.parameter == parameter
        assert SECRET not in str(refused.value)
        assert SECRET not in repr(refused.value)


@pytest.mark.parametrize("given", ["argument", "variable"])
def test_an_unknown_profile_is_a_validation_error_naming_it_and_the_file(
    home: Path, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    write_config(home, {"configurations": [configuration(name="dev")]})
    if given == "variable":
        monkeypatch.setenv("ABEJA_PROFILE", "staging")
    with pytest.raises(ValidationError) as refused:
        Client(profile="staging") if given == "argument" else Client()
    assert refused.value.parameter == ("profile" if given == "argument" else "ABEJA_PROFILE")
    assert "'staging'" in str(refused.value)
    assert "~/.abeja/config" in str(refused.value)
    assert "'dev'" in str(refused.value)
    assert SECRET not in str(refused.value)


def test_a_profile_asked_for_without_a_file_is_an_error() -> None:
    with pytest.raises(ValidationError, match="no file"):
        TriggerAPIClient(profile="dev")


def test_a_huge_file_is_refused_unread(home: Path) -> None:
    path = write_config(home, configuration())
    with path.open("a") as grown:
        grown.write(" " * (1024 * 1024))
    with pytest.raises(ValidationError, match="at most 1048576 bytes"):
        Client()


def test_a_file_that_is_not_a_regular_file_is_refused_without_blocking(home: Path) -> None:
    (home / ".abeja" / "config").mkdir(parents=True)
    with pytest.raises(ValidationError, match=r"~/\.abeja/config"):
        Client()


def test_the_files_secrets_show_nowhere(home: Path) -> None:
    write_config(home, configuration())
    client = Client()
    assert SECRET not in repr(client)
    assert SECRET not in repr(TriggerAPIClient())


# -- the command line: the file, --profile, and -o's default ---------------------------------


@pytest.fixture
def emulator() -> Any:
    with PlatformEmulator(credentials=[("user-7777", SECRET)]) as running:
        seed.seed(running)
        yield running


@pytest.mark.parametrize("chosen", ["--profile", "ABEJA_PROFILE"])
def test_the_command_line_reads_credentials_url_and_organization_from_the_file(
    home: Path,
    emulator: PlatformEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    chosen: str,
) -> None:
    write_config(
        home,
        {
            **configuration(user="1", url=emulator.url, organization="1"),
            "configurations": [
                configuration(
                    user="7777", name="local", url=emulator.url, organization=seed.ORGANIZATION
                )
            ],
        },
    )
    argv = ["triggers", "list", "-d", seed.DEPLOYMENT]
    if chosen == "--profile":
        argv += ["--profile", "local"]
    else:
        monkeypatch.setenv("ABEJA_PROFILE", "local")
    code = main(argv)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert seed.TRIGGER in out


def test_the_command_line_refuses_an_unknown_profile_as_a_usage_mistake(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(home, configuration())
    assert main(["triggers", "list", "--profile", "nope", "-d", DEP]) == 2
    err = capsys.readouterr().err
    assert "--profile='nope'" in err
    assert SECRET not in err


def test_the_command_line_blames_a_malformed_file_on_the_file(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(home, "{not json " + SECRET)
    assert main(["triggers", "list", "-d", DEP]) == 1
    err = capsys.readouterr().err
    assert "~/.abeja/config" in err
    assert SECRET not in err


def test_the_organization_variable_stands_over_the_files(
    home: Path,
    emulator: PlatformEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_config(home, configuration(user="7777", url=emulator.url, organization=OTHER_ORG))
    monkeypatch.setenv("ABEJA_ORGANIZATION_ID", seed.ORGANIZATION)
    assert main(["triggers", "list", "-d", seed.DEPLOYMENT]) == 0
    assert seed.TRIGGER in capsys.readouterr().out


# -- the file read only when a value is looked for in it ------------------------------------


@pytest.mark.parametrize(
    "broken",
    [{"active-configuration-name": "gone", "configurations": []}, "not json"],
    ids=["active-one-gone", "not-json"],
)
def test_a_client_given_everything_never_reads_the_file(
    home: Path, api: MockedPlatform, broken: object
) -> None:
    write_config(home, broken)
    api.get(TRIGGERS_URL, json={"entries": []})
    Client(base_url=BASE_URL, auth_token="t").organization(ORG).deployment(DEP).triggers.list()
    TriggerAPIClient({"auth_token": "t"}, base_url=BASE_URL).get_triggers(ORG, DEP)
    with pytest.raises(ValidationError, match="config"):
        Client(base_url=BASE_URL)  # the credentials are looked for in it: it is read


def test_the_default_organization_is_checked_by_where_it_came_from(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ABEJA_ORGANIZATION_ID", "a/b")
    with pytest.raises(ValidationError) as caught:
        Client(base_url=BASE_URL, auth_token="t").organization()
    assert caught.value.parameter == "ABEJA_ORGANIZATION_ID"
    monkeypatch.setenv("PLATFORM_AUTH_TOKEN", "t")
    assert main(["triggers", "list", "-d", DEP, "--base-url", BASE_URL]) == 1  # not usage
    assert "invalid ABEJA_ORGANIZATION_ID" in capsys.readouterr().err
    monkeypatch.delenv("ABEJA_ORGANIZATION_ID")
    write_config(home, configuration(organization=".."))
    with pytest.raises(ValidationError) as caught:
        Client(base_url=BASE_URL).organization()
    assert caught.value.parameter == "~/.abeja/config[(default)].organization-name"
