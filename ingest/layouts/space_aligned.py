"""Tables whose columns are separated by spaces only ("Measured 80,000 1.0 0.1 5")."""

from __future__ import annotations

import re

from ..model import Document, Grid, Issue, Line

NAME = "space_aligned"

_NUMBER_TOKEN = re.compile(r"^\(?[-$]?\d[\d,.]*%?\)?$")
# Three digits separated by spaces: a row of three numbers has at least that, and most
# prose lines are passed over on this one search.
_THREE_NUMBERS = re.compile(r"\d\S*\s+\S*\d\S*\s+\S*\d")


def find(doc: Document, taken: set[int]) -> tuple[list[Grid], list[Issue]]:
    """Tables whose columns are separated by spaces only ("Measured 80,000 1.0 0.1 5").

    Without tabs or bars a column boundary is a guess (labels hold spaces too), so these
    are reported, not read.
    """
    out: list[Issue] = []
    run: list[Line] = []
    for ln in [*doc.lines, None]:
        numeric = False
        if (
            ln is not None
            and len(ln.stripped) < 200
            and _THREE_NUMBERS.search(ln.stripped) is not None
            and not ln.has_tabs
            and "|" not in ln.text
        ):
            tokens = ln.stripped.split()
            numbers_in = sum(1 for t in tokens if _NUMBER_TOKEN.match(t))
            numeric = numbers_in >= 3 and numbers_in * 2 >= len(tokens)
        if numeric:
            run.append(ln)
            continue
        if ln is not None and run and not ln.is_blank and len(ln.stripped) <= 40:
            run.append(ln)  # a short label line between rows ("Tailings (0.3% Cu")
            continue
        rows_in = [
            x for x in run if sum(1 for t in x.stripped.split() if _NUMBER_TOKEN.match(t)) >= 3
        ]
        if len(rows_in) >= 3:
            out.append(
                Issue(
                    line=rows_in[0].no,
                    kind="unsupported_table_layout",
                    text=rows_in[0].stripped[:200],
                    reason=f"lines {rows_in[0].no}-{rows_in[-1].no} look like a table whose "
                    "columns are separated by spaces only; it was not read",
                )
            )
        run = []
    return [], out
