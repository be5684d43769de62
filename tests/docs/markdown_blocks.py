"""The fenced code blocks of the documentation's Markdown, as the harness runs them."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[2]

_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_TITLE = re.compile(r'title="(?P<title>[^"]*)"')
NOT_RUN = re.compile(r"^\s*<!--\s*not run:\s*(?P<reason>.*?)\s*-->\s*$")
RAISES = re.compile(r"^\s*<!--\s*raises:\s*(?P<exception>[\w.]+)\s*-->\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced Python block of a Markdown file."""

    path: str
    """The file, relative to the repository root."""
    index: int
    """Its position among the file's Python blocks, from 0."""
    line: int
    """The line of its opening fence, from 1."""
    code: str
    track: str
    """The ``title="..."`` of the fence: blocks of one title share a namespace."""
    not_run: Optional[str]
    """The reason given by a ``<!-- not run: reason -->`` line just before the fence."""
    raises: Optional[str]
    """The exception a ``<!-- raises: ValidationError -->`` line says the block ends with."""

    @property
    def id(self) -> str:
        return f"{self.path}#{self.index}"


def documentation_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def python_blocks(path: Path) -> list[Block]:
    lines = path.read_text(encoding="utf-8").splitlines()
    relative = path.relative_to(ROOT).as_posix()
    blocks: list[Block] = []
    previous = ""
    number = 0
    while number < len(lines):
        opening = _OPEN.match(lines[number])
        if opening is None:
            if lines[number].strip():
                previous = lines[number]
            number += 1
            continue
        fence, indent = opening["fence"], opening["indent"]
        body: list[str] = []
        end = number + 1
        while end < len(lines) and not (
            lines[end].strip().startswith(fence) and not lines[end].strip().strip(fence[0])
        ):
            body.append(lines[end][len(indent) :] if lines[end].startswith(indent) else lines[end])
            end += 1
        info = opening["info"].strip()
        if info.split(" ", 1)[0:1] == ["python"]:
            title = _TITLE.search(info)
            marker = NOT_RUN.match(previous)
            raises = RAISES.match(previous)
            blocks.append(
                Block(
                    path=relative,
                    index=len(blocks),
                    line=number + 1,
                    code=textwrap.dedent("\n".join(body)) + "\n",
                    track=title["title"] if title else "",
                    not_run=marker["reason"] if marker else None,
                    raises=raises["exception"] if raises else None,
                )
            )
        previous = lines[number]
        number = end + 1
    return blocks


def all_blocks() -> list[Block]:
    return [block for path in documentation_files() for block in python_blocks(path)]
