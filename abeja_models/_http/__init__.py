"""The one place that talks HTTP, one job a module.

- ``_session``: the ``requests.Session`` sent through, its pool and per-send options;
- ``_retry``: the retry policy as small decisions;
- ``_request``: what a call sends and what came back;
- ``_decode``: answers into JSON, models or typed errors (every such error built there);
- ``_transport``: the send loop that puts them together.

Nothing here imports ``models/``: the endpoint builders hand over ``ApiRequest`` objects.
"""

from ._decode import decode_json, parse_model, unusable_answer
from ._request import Answer, ApiRequest
from ._retry import parse_retry_after
from ._session import checked_session
from ._transport import Transport

__all__ = [
    "Answer",
    "ApiRequest",
    "Transport",
    "checked_session",
    "decode_json",
    "parse_model",
    "parse_retry_after",
    "unusable_answer",
]
