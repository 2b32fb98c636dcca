"""Tab-separated rows: what most PDF-to-text converters write for a table."""

from __future__ import annotations

from ..model import Line

NAME = "tsv"
MARK = "\t"


def is_row(line: Line) -> bool:
    return line.has_tabs


def cells(line: Line) -> list[str] | None:
    if not is_row(line):
        return None
    return [c.strip() for c in line.text.split("\t")]


def filler(line: Line) -> bool:
    return False
