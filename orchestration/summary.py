"""What a published warehouse holds, in a few lines a person can read after ``make run``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .database import connect


@dataclass
class WarehouseSummary:
    path: Path
    filings_published: int = 0
    filings_quarantined: int = 0
    older_versions: int = 0
    mart_rows: dict[str, int] = field(default_factory=dict)
    failed_checks: list[str] = field(default_factory=list)
    warned_checks: list[str] = field(default_factory=list)
    checks_run: int = 0
    quarantined: list[str] = field(default_factory=list)


def _columns(con, schema: str, table: str) -> set[str]:
    return {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ?",
            [schema, table],
        ).fetchall()
    }


def summarize(published: Path) -> WarehouseSummary:
    """Count filings, mart rows and failed checks in the published file (opened read-only)."""
    summary = WarehouseSummary(path=published)
    with connect(published, read_only=True) as con:
        filing_cols = _columns(con, "marts", "dim_filing")
        if filing_cols:
            current = "is_current_version" if "is_current_version" in filing_cols else "true"
            newest = "is_newest_version" if "is_newest_version" in filing_cols else "true"
            status = "status = 'parsed'" if "status" in filing_cols else "true"
            summary.filings_published = con.execute(
                f"SELECT count(*) FROM marts.dim_filing WHERE {status} AND {current}"
            ).fetchone()[0]
            summary.older_versions = con.execute(
                f"SELECT count(*) FROM marts.dim_filing WHERE NOT {newest}"
            ).fetchone()[0]
        q_cols = _columns(con, "audit", "quarantined_filings")
        if q_cols:
            newest = "is_newest_version" if "is_newest_version" in q_cols else "true"
            label = "source_file" if "source_file" in q_cols else "filing_id"
            error = "error" if "error" in q_cols else "''"
            rows = con.execute(
                f"SELECT {label}, {error} FROM audit.quarantined_filings WHERE {newest} ORDER BY 1"
            ).fetchall()
            summary.filings_quarantined = len(rows)
            summary.quarantined = [f"{name}: {err}" for name, err in rows]
        for (table,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY 1"
        ).fetchall():
            summary.mart_rows[table] = con.execute(
                f'SELECT count(*) FROM marts."{table}"'
            ).fetchone()[0]
        if _columns(con, "audit", "check_results"):
            summary.checks_run = con.execute("SELECT count(*) FROM audit.check_results").fetchone()[
                0
            ]
            for name, model, status, failures in con.execute(
                "SELECT name, model, status, failures FROM audit.check_results"
                " WHERE status NOT IN ('pass', 'skipped') ORDER BY model, name"
            ).fetchall():
                line = f"{name} on {model}: {status} ({failures} rows)"
                # A failing test configured with severity warn is reported, not an error.
                (summary.warned_checks if status == "warn" else summary.failed_checks).append(line)
    return summary


def format_summary(s: WarehouseSummary) -> str:
    """The text ``make run`` prints."""
    lines = [
        f"Published warehouse: {s.path}",
        f"Filings: {s.filings_published} published, {s.filings_quarantined} quarantined"
        + (f", {s.older_versions} older version(s) kept" if s.older_versions else ""),
    ]
    lines += [f"  quarantined  {q}" for q in s.quarantined]
    lines.append("Rows per mart:")
    width = max((len(t) for t in s.mart_rows), default=0)
    lines += [f"  {t.ljust(width)}  {n:>9,}" for t, n in s.mart_rows.items()]
    lines.append(
        f"Checks: {s.checks_run} run, {len(s.failed_checks)} failed,"
        f" {len(s.warned_checks)} warning(s)"
    )
    lines += [f"  FAILED  {c}" for c in s.failed_checks]
    lines += [f"  WARN    {c}" for c in s.warned_checks]
    return "\n".join(lines)
