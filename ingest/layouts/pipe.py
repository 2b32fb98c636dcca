"""Markdown pipe tables: "| a | b |", or "a | b | c |" as some converters write them."""

from __future__ import annotations

import re

from ..model import Line

NAME = "pipe"
MARK = "|"

_BOLD = re.compile(r"^(?:\*\*|__)(.*)(?:\*\*|__)$")
_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _is_row(text: str) -> bool:
    t = text.strip()
    if t.count("|") < 2:
        return False
    return t.startswith("|") or t.endswith("|") or t.count(" | ") >= 2


def is_row(line: Line) -> bool:
    text = line.text
    return "|" in text and _is_row(text) and not _RULE.match(text.strip())


def cells(line: Line) -> list[str] | None:
    if not is_row(line):
        return None
    t = line.text.strip()
    if not t.startswith("|"):
        # The label cell without its leading bar: keep it as the first cell.
        t = "|" + t
    parts = t.strip("|").split("|")
    # Markdown emphasis ("**Net profit**") is layout, not text.
    return [_BOLD.sub(r"\1", p.strip()) for p in parts]


def filler(line: Line) -> bool:
    """The rule under a markdown header ("|---|---:|") is inside the table, not a row."""
    text = line.text
    return "|" in text and _is_row(text) and _RULE.match(text.strip()) is not None
