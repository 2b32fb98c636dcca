"""From a suite's outcome to one verdict per check instance, with a message a person reads.

Plain data in, plain data out: the audit rows (a DataFrame) and what GX said about them
become rows of ``audit.check_results``.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from .catalogue import VERDICT_COLUMNS, severity_of
from .runner import SuiteOutcome

PASS = "pass"


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def number(value: Any) -> str:
    """A figure as a reader would print it: thousands separated, no float noise."""
    if _missing(value):
        return "?"
    x = float(value)
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    digits = max(0, 6 - len(str(int(abs(x)))))
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".")


def message(row: dict[str, Any]) -> str:
    """Names the filing, the table or line, and the numbers involved."""
    where = [str(row.get("source_file") or row.get("filing_id"))]
    if not _missing(row.get("table_index")):
        # Counted from 1, as a reader counts a filing's tables (table_index is 0-based).
        where.append(f"table {int(row['table_index']) + 1}")
    if not _missing(row.get("source_line")):
        where.append(f"line {int(row['source_line'])}")
    unit = f" {row['unit']}" if not _missing(row.get("unit")) and row.get("unit") else ""
    observed = f"observed {number(row.get('observed'))}{unit}"
    if not _missing(row.get("expected")):
        tolerance = row.get("tolerance")
        within = f" ± {number(tolerance)}" if not _missing(tolerance) and tolerance else ""
        numbers = f"expected {number(row['expected'])}{within}{unit}, {observed}"
    else:
        low, high = row.get("lower_bound"), row.get("upper_bound")
        allowed = f"[{number(low) if not _missing(low) else '-inf'}, "
        allowed += f"{number(high) if not _missing(high) else 'inf'}]"
        numbers = f"{observed}, allowed {allowed}{unit}"
    detail = row.get("detail")
    text = f"{', '.join(where)}: {row.get('check_name')}: {row.get('subject')}: {numbers}"
    return text + (f" ({detail})" if not _missing(detail) and detail else "")


def verdicts(frame: pd.DataFrame, outcome: SuiteOutcome) -> list[dict[str, Any]]:
    """One verdict per row of ``frame``: pass, or the check's severity when it failed.

    The row's own severity column is not trusted for the status: the catalogue decides, and
    the suite's integrity expectations report any disagreement.
    """
    failed = outcome.failed_rows()
    out: list[dict[str, Any]] = []
    for position, row in enumerate(frame.reset_index(drop=True).to_dict("records")):
        severity = severity_of(row.get("check_name"))
        verdict = {c: row.get(c) for c, _ in VERDICT_COLUMNS if c in row}
        verdict["severity"] = severity
        verdict["status"] = severity if position in failed else PASS
        verdict["message"] = message(row)
        for c, _ in VERDICT_COLUMNS:
            value = verdict.get(c)
            verdict[c] = None if _missing(value) else value
        out.append(verdict)
    return out
