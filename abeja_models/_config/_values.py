"""The rules for numbers and paths that settings and waits take: each once.

Every duration is checked against what the clock, socket and thread calls underneath can
honour (``MAX_SECONDS``), every size and count against what memory and urllib3's pool can
(``MAX_ANSWER_BYTES``, ``MAX_POOL_SIZE``), so a value accepted here cannot fail a call
later. A check raises ``ValidationError`` naming ``parameter``: the argument, variable or
option as the caller spelt it.
"""

from __future__ import annotations

import math
import os
from typing import Optional, Union

from typing_extensions import Final, TypeGuard

from ..errors import ValidationError

MAX_SECONDS: Final = 1e9
"""The longest duration taken, about 31 years: sockets and thread waits refuse ten times
that (``OverflowError``), so longer waits are spelt "no limit" (``None``, or ``inf`` where a
limit may be absent)."""

MAX_ANSWER_BYTES: Final = 2**30
"""The largest ``max_answer_bytes``: 1 GiB."""

MAX_POOL_SIZE: Final = 1000
"""The largest ``pool_size``: urllib3 fills a pool's queue with one entry per slot at once."""

MAX_RETRIES: Final = 100
"""The largest ``max_retries``."""

_SECONDS = f"a number of seconds > 0 and at most {MAX_SECONDS:,.0f}"


def check_seconds(parameter: str, value: object) -> float:
    """A finite number of seconds > 0 and at most ``MAX_SECONDS`` (not a bool), as a float."""
    if not (_number(value) and 0 < value <= MAX_SECONDS):
        raise ValidationError(parameter, _SECONDS, value)
    return float(value)


def check_limit(parameter: str, value: object) -> Optional[float]:
    """A time limit: seconds as ``check_seconds`` takes them, or ``None`` or ``inf`` for
    no limit (returned as ``None``)."""
    if value is None or (_number(value) and value == math.inf):
        return None
    if not (_number(value) and 0 < value <= MAX_SECONDS):
        raise ValidationError(parameter, _SECONDS + ", or None (or inf) for no limit", value)
    return float(value)


def check_pause(parameter: str, value: object) -> float:
    """A pause: seconds >= 0 and at most ``MAX_SECONDS``."""
    if not (_number(value) and 0 <= value <= MAX_SECONDS):
        raise ValidationError(
            parameter, f"a number of seconds >= 0 and at most {MAX_SECONDS:,.0f}", value
        )
    return float(value)


def check_timeout(parameter: str, value: object) -> tuple[float, float]:
    """Seconds for connect and read alike, or a ``(connect, read)`` pair of them."""
    pair = value if isinstance(value, tuple) else (value, value)
    if len(pair) == 2 and all(_number(part) and 0 < part <= MAX_SECONDS for part in pair):
        return float(pair[0]), float(pair[1])
    raise ValidationError(parameter, _SECONDS + ", or a (connect, read) pair of them", value)


def check_count(parameter: str, value: object, least: int, most: int) -> int:
    """A whole number (not a bool) from ``least`` to ``most``."""
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
        raise ValidationError(parameter, f"an int from {least} to {most}", value)
    return value


def check_verify(parameter: str, value: object) -> Union[bool, str]:
    """TLS verification: ``True``, ``False``, or the path of a CA bundle file or directory
    that exists. Nothing else: an empty string or a ``0`` must not turn verification off."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        if isinstance(path, str) and path.strip() and os.path.exists(path):
            return path
    raise ValidationError(
        parameter, "True, False, or the path of an existing CA bundle file or directory", value
    )


def is_utf8(text: str) -> bool:
    """Whether ``text`` can be sent: a lone surrogate (``"\\ud800"``, or an undecodable
    byte of an environment variable) has no UTF-8 form."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _number(value: object) -> TypeGuard[float]:
    """An int or float (not a bool) that is not NaN; ints beyond a float's range are not."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return not math.isnan(value)
    except OverflowError:
        return False
