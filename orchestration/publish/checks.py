"""Which checks failed: one reading of ``audit.check_results`` for the publisher and summary."""

from __future__ import annotations

import duckdb

CHECK_RESULTS_TABLE = "audit.check_results"
# A failing check whose dbt severity is warn has status 'warn': reported, never a failure.
PASSING_STATUSES = ("pass", "skipped")
WARNING_STATUS = "warn"


def check_problems(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str]]:
    """(failed checks, warnings) in ``audit.check_results`` of the connection's database."""
    failed: list[str] = []
    warned: list[str] = []
    for name, model, status, failures in con.execute(
        f"SELECT name, model, status, failures FROM {CHECK_RESULTS_TABLE}"
        " WHERE status NOT IN (SELECT unnest(?::VARCHAR[])) ORDER BY model, name",
        [list(PASSING_STATUSES)],
    ).fetchall():
        line = f"{name} on {model}: {status} ({failures} failing rows)"
        (warned if status == WARNING_STATUS else failed).append(line)
    return failed, warned
