"""Tab-separated rows: what most PDF-to-text converters write for a table."""

from __future__ import annotations

from ..model import Line

NAME = "tsv"
MARK = "\t"


def cells(line: Line) -> list[str] | None:
    if not line.has_tabs:
        return None
    return [c.strip() for c in line.text.split("\t")]


def filler(line: Line) -> bool:
    return False
