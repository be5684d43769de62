"""The hostile servers themselves answer as told (so a failing case is the SDK's, not theirs)."""

from __future__ import annotations

from typing import Callable

import requests

from .servers import Connection, Handler, HostileServer


def test_a_hostile_server_answers_what_its_handler_writes(
    hostile_server: Callable[[Handler], HostileServer],
) -> None:
    def handler(connection: Connection) -> None:
        while (request := connection.read_request()) is not None:
            auth = request.headers.get("authorization")
            connection.answer({"path": request.target, "auth": auth})

    server = hostile_server(handler)
    with requests.Session() as session:
        answer = session.get(server.url + "/a?b=1", headers={"Authorization": "Bearer x"})
    assert answer.json() == {"path": "/a?b=1", "auth": "Bearer x"}
    assert [request.method for request in server.requests] == ["GET"]
