"""``audit.check_results``: every check instance's latest verdict, and one reading of it.

Rows come from two sources: the expectation suites' verdicts (one row per check instance,
with the filing, the subject and the numbers) and dbt's tests (one row per test).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import duckdb

from ..names import CHECK_RESULTS_TABLE

PASSING_STATUSES = ("pass", "skipped")
WARNING_STATUS = "warn"
# A failing error-severity instance quarantines its filing; a dbt test that fails or errors
# is a failure of ours.
FAILED_STATUSES = ("error", "fail", "runtime error")
_SHOWN = 40

CHECK_RESULTS_COLUMNS = [
    ("run_id", "VARCHAR", "The run that produced this verdict (Dagster run id or dbt invocation)."),
    ("check_id", "VARCHAR", "The check instance (audit row) this verdict is about."),
    ("check_name", "VARCHAR", "The check: a catalogue name (expectations) or a dbt test name."),
    ("check_family", "VARCHAR", "structural, footing, within_filing, mining_physics, ... or dbt."),
    ("severity", "VARCHAR", "error (quarantines the filing) or warn (flag, publishes)."),
    ("status", "VARCHAR", "pass, warn or error (a failing instance of that severity); dbt: fail."),
    ("filing_id", "VARCHAR", "The filing version the instance is about (dim_filing)."),
    ("company_id", "VARCHAR", "The company of the filing."),
    ("source_file", "VARCHAR", "File name of the filing."),
    ("subject", "VARCHAR", "What was checked: the table, row, column, concept or deposit."),
    ("table_index", "INTEGER", "Table of the filing, when the instance is about one."),
    ("source_line", "INTEGER", "Line of the filing the instance points at."),
    ("expected", "DOUBLE", "The value the check expected."),
    ("observed", "DOUBLE", "The value found (dbt tests: the number of failing rows)."),
    ("tolerance", "DOUBLE", "Allowed difference, from the printed precision."),
    ("lower_bound", "DOUBLE", "The instance passes when observed >= lower_bound (NULL: none)."),
    ("upper_bound", "DOUBLE", "The instance passes when observed <= upper_bound (NULL: none)."),
    ("unit", "VARCHAR", "Unit of expected, observed and tolerance."),
    ("message", "VARCHAR", "The finding in words: filing, table or line, and the numbers."),
    ("check_source", "VARCHAR", "expectations (Great Expectations suites) or dbt."),
    ("model", "VARCHAR", "The audit model or mart the instance was read from."),
    ("checked_at", "TIMESTAMP", "When the verdict was reached (UTC)."),
]


@dataclass
class CheckSummary:
    """Counts by severity and status, and the findings that did not pass."""

    total: int = 0
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)  # errors and failures, in words
    warned: list[str] = field(default_factory=list)
    failed_count: int = 0
    warned_count: int = 0


def summarize_checks(con: duckdb.DuckDBPyConnection, limit: int = _SHOWN) -> CheckSummary:
    """Read ``audit.check_results`` of the connection's database."""
    summary = CheckSummary()
    counts: Counter[tuple[str, str]] = Counter()
    for severity, status, n in con.execute(
        f"SELECT coalesce(severity, 'error'), status, count(*) FROM {CHECK_RESULTS_TABLE}"
        " GROUP BY ALL ORDER BY ALL"
    ).fetchall():
        counts[(severity, status)] += n
    summary.counts = dict(counts)
    summary.total = sum(counts.values())
    summary.failed_count = sum(n for (_, st), n in counts.items() if st in FAILED_STATUSES)
    summary.warned_count = sum(n for (_, st), n in counts.items() if st == WARNING_STATUS)
    for status, text in con.execute(
        f"""
        SELECT status, coalesce(message, check_name || ' on ' || coalesce(model, '?') || ': '
                                         || status)
        FROM {CHECK_RESULTS_TABLE}
        WHERE status NOT IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY status = 'warn', check_source, source_file, source_line NULLS LAST, check_name
        """,
        [list(PASSING_STATUSES)],
    ).fetchall():
        bucket = summary.warned if status == WARNING_STATUS else summary.failed
        if len(bucket) < limit:
            bucket.append(text)
    return summary
