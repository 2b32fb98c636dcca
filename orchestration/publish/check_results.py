"""``audit.check_results``: every check instance's latest verdict, and one reading of it.

Rows come from two sources: the expectation suites' verdicts (one row per check instance,
with the filing, the subject and the numbers) and dbt's tests (one row per test).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb

from expectations.catalogue import AUDIT_MODELS, VERDICT_COLUMNS

from ..names import CHECK_RESULTS_TABLE

PASSING_STATUSES = ("pass", "skipped")
WARNING_STATUS = "warn"
# A failing error-severity instance quarantines its filing; a dbt test that fails or errors
# is a failure of ours.
FAILED_STATUSES = ("error", "fail", "runtime error")
_SHOWN = 40

# The verdicts' columns (the check-instance contract, status and message) between who
# judged and where the row came from.
CHECK_RESULTS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("run_id", "VARCHAR"),
    *VERDICT_COLUMNS,
    ("check_source", "VARCHAR"),
    ("model", "VARCHAR"),
    ("checked_at", "TIMESTAMP"),
)
CHECK_RESULTS_DESCRIPTION = (
    "The latest verdict of every check instance (expectation suites) and dbt test. A dbt"
    " test's row names the test in check_name and the model tested in subject and model;"
    " its observed value is the number of failing rows."
)
# The columns an audit model does not have; the others are described by the check-instance
# contract (dbt's manifest).
_OWN_DESCRIPTIONS = {
    "run_id": "The run that produced this verdict (Dagster run id or dbt invocation).",
    "status": "pass, or the severity of a failing instance (warn, error); dbt tests: pass,"
    " warn, fail or error.",
    "message": "The finding in words: filing, table or line, and the numbers.",
    "check_source": "expectations (Great Expectations suites) or dbt.",
    "model": "The audit model the instance was read from, or the model a dbt test tests.",
    "checked_at": "When the verdict was reached (UTC).",
}


def column_descriptions(manifest: Mapping[str, Any] | None) -> dict[str, str]:
    """A description for each column of ``audit.check_results`` that has one.

    The instance columns take the audit models' own descriptions from the manifest, so the
    contract's words are not written twice.
    """
    contract: dict[str, str] = {}
    for node in (manifest or {}).get("nodes", {}).values():
        if node.get("resource_type") == "model" and node.get("name") in AUDIT_MODELS:
            contract = {c: v.get("description") or "" for c, v in node["columns"].items()}
            break
    described = {**contract, **_OWN_DESCRIPTIONS}
    return {c: described[c] for c, _ in CHECK_RESULTS_COLUMNS if described.get(c)}


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
