"""The emulator answers every malformed request with a JSON error, quietly, and keeps serving.

Each request is written byte for byte over a raw socket on 127.0.0.1; the answer must
have a status line, a JSON ``{"error", "error_description"}`` body, nothing may appear
on the process's stdout or stderr (no traceback), and a normal request is served after.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import NamedTuple, Optional

import pytest

from abeja_models.testing import MAX_REQUEST_BODY, PlatformEmulator
from abeja_models.testing._routes import Route
from abeja_models.testing._server import Handler

TIMEOUT = 3.0
TRIGGERS = "/organizations/1/deployments/2/triggers"
UPLOAD = "/_emulator/channels/2222222222222/files"
CHUNKED = {"Transfer-Encoding": "chunked"}
CREATE = b'{"version_id": "ver-1", "input_service_id": "2", "input_service_name": "datalake"}'


class Answer(NamedTuple):
    status: int
    status_line: bytes
    headers: dict[str, str]
    body: bytes


def request(
    method: str,
    target: str,
    body: bytes = b"",
    *,
    headers: Optional[dict[str, str]] = None,
    length: Optional[str] = None,
) -> bytes:
    """A request's bytes: credentials included, ``length`` as the Content-Length text."""
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", "Authorization: Bearer t"]
    if length is None and body:
        length = str(len(body))
    if length is not None:
        lines.append(f"Content-Length: {length}")
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def exchange(port: int, data: bytes, *, close_writing: bool = False) -> Answer:
    """Send ``data`` on a new connection and read one answer (bounded by TIMEOUT)."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
        try:
            sock.sendall(data)
            if close_writing:
                sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the emulator may refuse before it has read all of a large request
        return read_answer(sock)


def read_answer(sock: socket.socket) -> Answer:
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"the connection closed without an answer: {received[:200]!r}")
        received += chunk
    head, body = received.split(b"\r\n\r\n", 1)
    status_line, *header_lines = head.split(b"\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "-1"))
    assert length >= 0, f"no Content-Length in {head!r}"
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    assert status_line.startswith(b"HTTP/1.1 "), status_line
    return Answer(int(status_line.split()[1]), status_line, headers, body[:length])


@pytest.fixture
def emulator() -> Iterator[PlatformEmulator]:
    with PlatformEmulator() as running:
        yield running


def port_of(emulator: PlatformEmulator) -> int:
    return int(emulator.url.rsplit(":", 1)[1])


def assert_json_error(answer: Answer, status: int, error: str) -> dict[str, str]:
    assert answer.status == status, answer
    assert answer.headers["content-type"] == "application/json"
    document = json.loads(answer.body)
    assert set(document) == {"error", "error_description"}
    assert document["error"] == error
    assert isinstance(document["error_description"], str)
    assert document["error_description"]
    return dict(document)


def assert_still_serving(emulator: PlatformEmulator) -> None:
    answer = exchange(port_of(emulator), request("GET", TRIGGERS))
    assert (answer.status, json.loads(answer.body)) == (200, {"entries": []})


MALFORMED = [
    pytest.param(
        request("POST", TRIGGERS, b"[" * 100_000), 400, "bad_request", id="deeply-nested-json"
    ),
    pytest.param(request("POST", TRIGGERS, length="abc"), 400, "bad_request", id="length-abc"),
    pytest.param(
        request("POST", TRIGGERS, length=str(10**15)), 413, "payload_too_large", id="length-10e15"
    ),
    pytest.param(request("POST", TRIGGERS, length="-1"), 400, "bad_request", id="length-minus-1"),
    pytest.param(request("POST", TRIGGERS, length="1_0"), 400, "bad_request", id="length-1_0"),
    pytest.param(
        request("POST", TRIGGERS, length="9" * 5000), 413, "payload_too_large", id="length-5000-9s"
    ),
    pytest.param(
        request("POST", TRIGGERS, CREATE, headers={"Content-Length": str(len(CREATE) + 1)}),
        400,
        "bad_request",
        id="two-different-lengths",
    ),
    pytest.param(
        request("POST", TRIGGERS, b"2\r\n{}\r\n0\r\n\r\n", headers=CHUNKED),
        411,
        "length_required",
        id="chunked-body",
    ),
    pytest.param(request("POST", TRIGGERS, b'"\xff\xfe"'), 400, "bad_request", id="invalid-utf8"),
    pytest.param(request("POST", TRIGGERS, b"[1, 2]"), 400, "bad_request", id="json-not-object"),
    pytest.param(
        request("POST", UPLOAD, b'{"content": "\\ud800"}'), 400, "bad_request", id="lone-surrogate"
    ),
    pytest.param(b"\x00\x01garbage\r\n\r\n", 400, "bad_request", id="garbage-request-line"),
    pytest.param(b"GET / HTTP/1.1 extra words\r\n\r\n", 400, "bad_request", id="four-words"),
    pytest.param(b"GET /\r\n\r\n", 400, "bad_request", id="http-0.9-request-line"),
    pytest.param(
        b"GET / HTTP/2.0\r\n\r\n", 505, "http_version_not_supported", id="http-2-request-line"
    ),
    pytest.param(request("FROB", TRIGGERS), 501, "not_implemented", id="unknown-method"),
    pytest.param(
        request("GET", TRIGGERS, headers={"X-Long": "a" * 70_000}),
        431,
        "request_header_fields_too_large",
        id="header-line-over-64KiB",
    ),
    pytest.param(
        request("GET", TRIGGERS, headers={f"X-{n}": "y" for n in range(150)}),
        431,
        "request_header_fields_too_large",
        id="150-headers",
    ),
    pytest.param(request("GET", "/" + "a" * 70_000), 414, "uri_too_long", id="path-over-64KiB"),
    pytest.param(
        request("GET", f"{TRIGGERS}/tri-1/runs?next_page_token=%zz"),
        400,
        "bad_request",
        id="query-bad-escape",
    ),
    pytest.param(
        request("GET", f"{TRIGGERS}/tri-1/runs?next_page_token=%ff%fe"),
        400,
        "bad_request",
        id="query-escapes-not-utf8",
    ),
    pytest.param(
        request("GET", "/organizations/%ff/deployments/2/triggers"),
        400,
        "bad_request",
        id="path-escapes-not-utf8",
    ),
    pytest.param(
        request("GET", "/organizations/\xe9/deployments/2/triggers"),
        400,
        "bad_request",
        id="path-not-ascii",
    ),
    pytest.param(request("GET", "*"), 400, "bad_request", id="asterisk-form-target"),
]


@pytest.mark.parametrize(("data", "status", "error"), MALFORMED)
def test_emulator_answers_a_malformed_request_with_a_json_error_and_no_traceback(
    emulator: PlatformEmulator,
    capfd: pytest.CaptureFixture[str],
    data: bytes,
    status: int,
    error: str,
) -> None:
    answer = exchange(port_of(emulator), data)
    assert_json_error(answer, status, error)
    assert_still_serving(emulator)
    assert capfd.readouterr() == ("", "")


def test_emulator_serves_an_absolute_form_target(
    emulator: PlatformEmulator, capfd: pytest.CaptureFixture[str]
) -> None:
    answer = exchange(port_of(emulator), request("GET", f"http://127.0.0.1{TRIGGERS}?a=%20"))
    assert (answer.status, json.loads(answer.body)) == (200, {"entries": []})
    assert emulator.requests[-1].path == TRIGGERS
    assert emulator.requests[-1].query == {"a": " "}
    assert capfd.readouterr() == ("", "")


def test_emulator_refuses_a_body_shorter_than_its_content_length(
    emulator: PlatformEmulator, capfd: pytest.CaptureFixture[str]
) -> None:
    data = request("POST", TRIGGERS, b"{}", length="100")
    answer = exchange(port_of(emulator), data, close_writing=True)
    document = assert_json_error(answer, 400, "bad_request")
    assert "Content-Length" in document["error_description"]
    assert emulator.count("POST") == 0  # not processed, not recorded
    assert_still_serving(emulator)
    assert capfd.readouterr() == ("", "")


def test_emulator_answers_408_to_a_body_that_stops_arriving(
    emulator: PlatformEmulator,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Handler, "timeout", 0.3)  # 60 seconds by default
    with socket.create_connection(("127.0.0.1", port_of(emulator)), timeout=TIMEOUT) as sock:
        sock.sendall(request("POST", TRIGGERS, b"{}", length="100"))  # and keep it open
        assert_json_error(read_answer(sock), 408, "request_timeout")
    assert_still_serving(emulator)
    assert capfd.readouterr() == ("", "")


def test_emulator_refuses_a_body_over_the_limit_while_the_client_still_sends_it(
    emulator: PlatformEmulator, capfd: pytest.CaptureFixture[str]
) -> None:
    body = b"x" * (2 * MAX_REQUEST_BODY)
    answer = exchange(port_of(emulator), request("POST", UPLOAD, body))
    document = assert_json_error(answer, 413, "payload_too_large")
    assert str(MAX_REQUEST_BODY) in document["error_description"]
    assert answer.headers["connection"] == "close"
    assert_still_serving(emulator)
    assert capfd.readouterr() == ("", "")


def test_emulator_reads_a_body_of_exactly_the_limit(
    emulator: PlatformEmulator, capfd: pytest.CaptureFixture[str]
) -> None:
    prefix, suffix = b'{"content": "', b'"}'
    body = prefix + b"a" * (MAX_REQUEST_BODY - len(prefix) - len(suffix)) + suffix
    answer = exchange(port_of(emulator), request("POST", UPLOAD, body))
    assert answer.status == 200, answer
    one_more = exchange(port_of(emulator), request("POST", UPLOAD, body + b" "))
    assert_json_error(one_more, 413, "payload_too_large")
    assert capfd.readouterr() == ("", "")


def test_emulator_keeps_a_connection_after_a_json_level_refusal(
    emulator: PlatformEmulator, capfd: pytest.CaptureFixture[str]
) -> None:
    with socket.create_connection(("127.0.0.1", port_of(emulator)), timeout=TIMEOUT) as sock:
        sock.sendall(request("POST", TRIGGERS, b"[" * 5000))
        assert_json_error(read_answer(sock), 400, "bad_request")
        sock.sendall(request("GET", TRIGGERS))
        assert read_answer(sock).status == 200
    assert capfd.readouterr() == ("", "")


def test_emulator_failure_is_a_500_and_a_log_record_not_a_traceback_on_stderr(
    emulator: PlatformEmulator,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object) -> object:
        raise RuntimeError("a bug in the emulator")

    monkeypatch.setattr(Route, "call", broken)  # every endpoint's handler is called there
    answer = exchange(port_of(emulator), request("GET", TRIGGERS))
    assert_json_error(answer, 500, "internal_server_error")
    monkeypatch.undo()
    assert_still_serving(emulator)
    failures = [r for r in caplog.records if r.name == "abeja_models.testing"]
    assert len(failures) == 1
    assert failures[0].exc_info is not None
    assert failures[0].exc_info[0] is RuntimeError
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("body", "refused_for_nesting"),
    [
        pytest.param(b"[" * 256 + b"]" * 256, False, id="at-the-limit"),
        pytest.param(b"[" * 257 + b"]" * 257, True, id="one-beyond"),
        pytest.param(b'{"a": "' + b"[" * 1000 + b'"}', False, id="brackets-in-a-string"),
        pytest.param(b'{"a": "\\"' + b"[" * 1000 + b'"}', False, id="after-an-escaped-quote"),
    ],
)
def test_emulator_refuses_a_body_nested_beyond_its_limit_before_parsing_it(
    emulator: PlatformEmulator, body: bytes, refused_for_nesting: bool
) -> None:
    # Every one of these bodies is refused (none is a trigger); what differs is why.
    problem = assert_json_error(
        exchange(port_of(emulator), request("POST", TRIGGERS, body)), 400, "bad_request"
    )
    assert ("nests too deeply" in problem["error_description"]) is refused_for_nesting
