"""An emulator bound to every interface hands out a URL a client on this machine can use."""

from __future__ import annotations

from abeja_models import Client
from abeja_models.testing import PlatformEmulator


def test_emulator_on_every_interface_gives_a_loopback_url_and_says_it_is_exposed() -> None:
    with PlatformEmulator("0.0.0.0") as emulator:
        port = emulator.url.rsplit(":", 1)[1]
        assert emulator.url == f"http://127.0.0.1:{port}"
        assert emulator.env()["ABEJA_API_URL"] == emulator.url
        assert emulator.address == ("0.0.0.0", int(port))
        assert emulator.listens_on_every_interface
        assert emulator.reachable_from_other_machines
        assert emulator.accepts_any_credential
        with Client(base_url=emulator.url, auth_token="t", timeout=5) as client:
            assert client.organization("1").deployment("2").triggers.list() == []


def test_emulator_on_loopback_is_not_exposed() -> None:
    with PlatformEmulator(credentials=["only-this"]) as emulator:
        assert emulator.url.startswith("http://127.0.0.1:")
        assert not emulator.listens_on_every_interface
        assert not emulator.reachable_from_other_machines
        assert not emulator.accepts_any_credential
