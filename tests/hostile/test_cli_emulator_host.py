"""``abeja-models emulator --host 0.0.0.0`` prints a URL this SDK accepts, and warns on stderr."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import IO

import pytest

from abeja_models import Client

TIMEOUT = 10.0


class Running:
    """The command in a subprocess; its output lines arrive on queues as they are written."""

    def __init__(self, *argv: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "abeja_models", *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stderr is not None
        self._readers: list[threading.Thread] = []
        self.stdout = self._reader(self.process.stdout)
        self.stderr = self._reader(self.process.stderr)

    def _reader(self, stream: IO[str]) -> queue.Queue[str]:
        lines: queue.Queue[str] = queue.Queue()

        def read() -> None:
            for line in stream:
                lines.put(line.rstrip("\n"))

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        self._readers.append(reader)
        return lines

    def lines(self, stream: queue.Queue[str], count: int) -> list[str]:
        return [stream.get(timeout=TIMEOUT) for _ in range(count)]

    def stop(self) -> None:
        """Stop the command; every line it wrote is on the queues afterwards."""
        self.process.terminate()
        try:
            self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=TIMEOUT)
        for reader in self._readers:
            reader.join(timeout=TIMEOUT)


@pytest.fixture
def command() -> Iterator[type[Running]]:
    started: list[Running] = []

    class Started(Running):
        def __init__(self, *argv: str) -> None:
            super().__init__(*argv)
            started.append(self)

    yield Started
    for running in started:
        running.stop()


def test_cli_emulator_on_every_interface_prints_a_loopback_url_and_warns(
    command: type[Running],
) -> None:
    running = command("emulator", "--host", "0.0.0.0", "--port", "0")
    first, _, api_url, token = running.lines(running.stdout, 4)
    url = first.split("listening on ")[1].split()[0]
    assert url.startswith("http://127.0.0.1:")
    port = url.rsplit(":", 1)[1]
    assert "0.0.0.0" not in url
    assert api_url.strip() == f"export ABEJA_API_URL={url}"
    assert token.strip() == "export PLATFORM_AUTH_TOKEN=emulator-token"

    (warning,) = running.lines(running.stderr, 1)
    assert warning.startswith("abeja-models: warning: ")
    assert f"0.0.0.0:{port}" in warning
    assert "other machines" in warning
    assert "any credential" in warning
    for exposed in ("triggers", "runs", "notebooks", "uploaded files"):
        assert exposed in warning

    # What it printed is what this SDK accepts.
    with Client(base_url=url, auth_token="emulator-token", timeout=5) as client:
        assert client.organization("1").deployment("2").triggers.list() == []


def test_cli_emulator_on_loopback_warns_about_nothing(command: type[Running]) -> None:
    running = command("emulator", "--port", "0")
    first = running.lines(running.stdout, 1)[0]
    assert first.split("listening on ")[1].split()[0].startswith("http://127.0.0.1:")
    running.stop()
    assert running.stderr.empty()
