"""What a published warehouse holds, in a few lines a person can read after ``make run``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .database import connect
from .names import DIM_FILING, MARTS, QUARANTINED_FILINGS
from .publish.check_results import CheckSummary, summarize_checks


@dataclass
class WarehouseSummary:
    """What ``make run`` prints about the published file."""

    path: Path
    filings_published: int = 0
    filings_quarantined: int = 0
    older_versions: int = 0
    mart_rows: dict[str, int] = field(default_factory=dict)
    checks: CheckSummary = field(default_factory=CheckSummary)
    quarantined: list[str] = field(default_factory=list)
    withheld: str | None = None  # why the last build was not published, if it was not
    publish_failed: str | None = None  # how the last publish failed, if it did


def summarize(published: Path) -> WarehouseSummary:
    """Count filings, mart rows and failed checks in the published file (opened read-only).

    It reads the contract's columns (marts.dim_filing, audit.quarantined_filings,
    audit.check_results) directly: a file without them is not a warehouse we published.
    """
    summary = WarehouseSummary(path=published)
    with connect(published, read_only=True) as con:
        summary.filings_published, summary.older_versions = con.execute(
            "SELECT count(*) FILTER (WHERE status = 'parsed' AND is_current_version),"
            f" count(*) FILTER (WHERE NOT is_newest_version) FROM {DIM_FILING}"
        ).fetchone()
        rows = con.execute(
            f"SELECT source_file, error FROM {QUARANTINED_FILINGS} WHERE is_newest_version"
            " ORDER BY 1"
        ).fetchall()
        summary.filings_quarantined = len(rows)
        summary.quarantined = [f"{name}: {err}" for name, err in rows]
        for (table,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = ? ORDER BY 1", [MARTS]
        ).fetchall():
            summary.mart_rows[table] = con.execute(
                f'SELECT count(*) FROM {MARTS}."{table}"'
            ).fetchone()[0]
        summary.checks = summarize_checks(con)
    return summary


def format_summary(s: WarehouseSummary) -> str:
    """The text ``make run`` prints."""
    lines = []
    if s.withheld:
        lines += [f"PUBLISH WITHHELD: {s.withheld}", "The published file is the previous one:"]
    elif s.publish_failed:
        # Why is the run's error line (stderr); here, only what readers are left with.
        lines += ["PUBLISH FAILED: the published file is the previous one:"]
    lines += [
        f"Published warehouse: {s.path}",
        f"Filings: {s.filings_published} published, {s.filings_quarantined} quarantined"
        + (f", {s.older_versions} older version(s) kept" if s.older_versions else ""),
    ]
    lines += [f"  quarantined  {q}" for q in s.quarantined]
    lines.append("Rows per mart:")
    width = max((len(t) for t in s.mart_rows), default=0)
    lines += [f"  {t.ljust(width)}  {n:>9,}" for t, n in s.mart_rows.items()]
    c = s.checks
    lines.append(
        f"Checks: {c.total} run, {c.failed_count} error(s) or failure(s), {c.warned_count}"
        " warning(s)"
    )
    for (severity, status), n in sorted(c.counts.items()):
        lines.append(f"  {severity:<5} {status:<8} {n:>7,}")
    lines += [f"  ERROR  {text}" for text in c.failed]
    lines += [f"  WARN   {text}" for text in c.warned]
    for shown, count in ((c.failed, c.failed_count), (c.warned, c.warned_count)):
        if count > len(shown):
            lines.append(f"  ... {count - len(shown)} more in audit.check_results")
    return "\n".join(lines)
