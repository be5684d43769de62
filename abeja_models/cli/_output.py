"""How the ``abeja-models`` command prints documents: JSON lines, or a table for people."""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterable, Mapping
from datetime import datetime

from ..models import LogEvent, Notebook, Trigger, TriggerRun
from ..models._base import PlatformModel

_COLUMNS: dict[type[PlatformModel], tuple[tuple[str, int], ...]] = {
    Trigger: (
        ("trigger_id", 22),
        ("input_service_id", 16),
        ("model_version_id", 22),
        ("retry_count", 11),
        ("created_at", 20),
    ),
    TriggerRun: (("run_id", 22), ("status", 10), ("created_at", 20), ("modified_at", 20)),
    Notebook: (
        ("training_notebook_id", 20),
        ("name", 14),
        ("status", 8),
        ("instance_type", 13),
        ("image", 26),
        ("modified_at", 20),
    ),
    LogEvent: (("timestamp", 20), ("message", 0)),
}


def print_documents(
    documents: Iterable[PlatformModel], kind: type[PlatformModel], *, table: bool
) -> None:
    """Print each document (a ``kind``) as it comes (streams stay streams); a table has
    its header even when none comes."""
    out = sys.stdout
    columns = _COLUMNS[kind]
    remaining = iter(documents)
    first = next(remaining, None)  # a call that fails does so before the header is out
    if table:
        out.write(_row([name for name, _ in columns], columns))
    for document in itertools.chain([] if first is None else [first], remaining):
        if table:
            out.write(_row([_cell(getattr(document, name)) for name, _ in columns], columns))
        else:
            out.write(document.to_json() + "\n")
        out.flush()
    out.flush()


def _row(cells: list[str], columns: tuple[tuple[str, int], ...]) -> str:
    parts = [cell.ljust(width) if width else cell for cell, (_, width) in zip(cells, columns)]
    return "  ".join(parts).rstrip() + "\n"


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def print_record(record: Mapping[str, object], *, table: bool) -> None:
    """Print one plain record (what a delete did): a JSON line, or a header and a row."""
    out = sys.stdout
    if table:
        cells = [
            json.dumps(value) if isinstance(value, bool) else _cell(value)
            for value in record.values()
        ]
        widths = [max(len(name), len(cell)) for name, cell in zip(record, cells)]
        for row in (list(record), cells):
            out.write(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() + "\n"
            )
    else:
        out.write(json.dumps(record, separators=(",", ":")) + "\n")
    out.flush()
