"""Tables an HTML converter wrote one cell per line ("|265.5", "Ore mined |")."""

from __future__ import annotations

import re

from ..model import Document, Grid, Issue, Line

NAME = "cell_per_line"

_CELL_LINE = re.compile(r"^\|[^|]{0,60}$|^[^|]{1,60}\|$")


def find(doc: Document, taken: set[int]) -> tuple[list[Grid], list[Issue]]:
    """Tables an HTML converter wrote one cell per line ("|265.5", "Ore mined |").

    Their rows cannot be rebuilt reliably, so they are reported, not guessed at.
    """
    out: list[Issue] = []
    if "|" not in doc.text:
        return [], out
    run: list[Line] = []
    for ln in [*doc.lines, None]:
        t = ln.text.strip() if ln is not None else ""
        if ln is not None and _CELL_LINE.match(t) and t.count("|") == 1:
            run.append(ln)
            continue
        if ln is not None and run and (ln.is_blank or len(t) <= 40):
            # Short label lines sit between the cells of such a table.
            run.append(ln)
            continue
        cells = [x for x in run if "|" in x.text]
        if len(cells) >= 6:
            out.append(
                Issue(
                    line=run[0].no,
                    kind="unsupported_table_layout",
                    text=" ".join(x.text.strip() for x in run[:6])[:200],
                    reason=f"lines {run[0].no}-{run[-1].no} hold a table written one cell per "
                    "line; its rows cannot be rebuilt reliably, so it was not read",
                )
            )
        run = []
    return [], out
