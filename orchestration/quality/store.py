"""Where verdicts live between runs: tables in the build database's orchestration schema.

A verdict is kept with a hash of the audit row it judged, so the next run validates only
rows that are new or changed (a new filing, a re-parse, a company's restatements moving)
and keeps the rest.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import duckdb
import pandas as pd

from ..database import table_exists, utc_now
from ..dbt.results import RESULTS_SCHEMA, RESULTS_TABLE

VERDICTS_TABLE = f"{RESULTS_SCHEMA}.check_verdicts"
VALIDATED_TABLE = f"{RESULTS_SCHEMA}.validated_filings"
GATE_TABLE = f"{RESULTS_SCHEMA}.quality_gate"

VERDICT_DDL = [
    ("check_id", "VARCHAR"),
    ("model", "VARCHAR"),
    ("row_hash", "VARCHAR"),
    ("run_id", "VARCHAR"),
    ("check_name", "VARCHAR"),
    ("check_family", "VARCHAR"),
    ("severity", "VARCHAR"),
    ("status", "VARCHAR"),
    ("filing_id", "VARCHAR"),
    ("company_id", "VARCHAR"),
    ("source_file", "VARCHAR"),
    ("subject", "VARCHAR"),
    ("table_index", "INTEGER"),
    ("source_line", "INTEGER"),
    ("expected", "DOUBLE"),
    ("observed", "DOUBLE"),
    ("tolerance", "DOUBLE"),
    ("lower_bound", "DOUBLE"),
    ("upper_bound", "DOUBLE"),
    ("unit", "VARCHAR"),
    ("message", "VARCHAR"),
    ("checked_at", "TIMESTAMP"),
]


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {RESULTS_SCHEMA}")
    ddl = ", ".join(f"{c} {t}" for c, t in VERDICT_DDL)
    con.execute(f"CREATE TABLE IF NOT EXISTS {VERDICTS_TABLE} ({ddl})")
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {VALIDATED_TABLE}"
        " (filing_id VARCHAR, signature VARCHAR, run_id VARCHAR)"
    )
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {GATE_TABLE} (run_id VARCHAR, checked_at TIMESTAMP,"
        " passed BOOLEAN, blocking VARCHAR, validated_rows BIGINT, seconds DOUBLE)"
    )


def pending_audit_rows(con: duckdb.DuckDBPyConnection, schema: str, model: str) -> pd.DataFrame:
    """Rows of ``schema.model`` never validated in their present form."""
    return con.execute(
        f"""
        SELECT t.*, md5(CAST(t AS VARCHAR)) AS row_hash
        FROM {schema}.{model} AS t
        WHERE NOT EXISTS (
            SELECT 1 FROM {VERDICTS_TABLE} v
            WHERE v.check_id = t.check_id AND v.row_hash = md5(CAST(t AS VARCHAR))
        )
        ORDER BY t.filing_id, t.check_name, t.check_id
        """
    ).df()


def save_verdicts(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    model: str,
    rows: Sequence[Mapping[str, Any]],
    run_id: str,
) -> None:
    """Replace the verdicts of the rows judged now; drop those whose audit row is gone."""
    now = utc_now()
    columns = [c for c, _ in VERDICT_DDL]
    records = [
        tuple({**r, "model": model, "run_id": run_id, "checked_at": now}.get(c) for c in columns)
        for r in rows
    ]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            f"DELETE FROM {VERDICTS_TABLE} v WHERE v.model = ? AND NOT EXISTS ("
            f" SELECT 1 FROM {schema}.{model} t WHERE t.check_id = v.check_id)",
            [model],
        )
        if records:
            con.execute(
                f"DELETE FROM {VERDICTS_TABLE} WHERE check_id IN (SELECT unnest(?::VARCHAR[]))",
                [[r[0] for r in records]],
            )
            con.executemany(
                f"INSERT INTO {VERDICTS_TABLE} ({', '.join(columns)})"
                f" VALUES ({', '.join('?' * len(columns))})",
                records,
            )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def drop_verdicts_of_missing_models(con: duckdb.DuckDBPyConnection, models: Iterable[str]) -> None:
    con.execute(
        f"DELETE FROM {VERDICTS_TABLE} WHERE model NOT IN (SELECT unnest(?::VARCHAR[]))",
        [list(models)],
    )


def changed_filings(con: duckdb.DuckDBPyConnection, signatures: pd.DataFrame) -> list[str]:
    """Filings whose mart rows were not validated under their present signature."""
    if signatures.empty:
        return []
    con.register("current_signatures", signatures)
    try:
        return [
            r[0]
            for r in con.execute(
                f"""
                SELECT s.filing_id FROM current_signatures s
                WHERE NOT EXISTS (
                    SELECT 1 FROM {VALIDATED_TABLE} v
                    WHERE v.filing_id = s.filing_id AND v.signature = s.signature
                )
                ORDER BY 1
                """
            ).fetchall()
        ]
    finally:
        con.unregister("current_signatures")


def mark_validated(
    con: duckdb.DuckDBPyConnection, signatures: pd.DataFrame, filing_ids: Sequence[str], run_id: str
) -> None:
    """Remember the signatures the marts were validated under (all filings, not just these)."""
    done = signatures[signatures["filing_id"].isin(list(filing_ids))]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            f"DELETE FROM {VALIDATED_TABLE} WHERE filing_id IN (SELECT unnest(?::VARCHAR[]))"
            " OR filing_id NOT IN (SELECT unnest(?::VARCHAR[]))",
            [list(done["filing_id"]), list(signatures["filing_id"])],
        )
        rows = [(f, s, run_id) for f, s in zip(done["filing_id"], done["signature"], strict=True)]
        if rows:
            con.executemany(f"INSERT INTO {VALIDATED_TABLE} VALUES (?, ?, ?)", rows)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def record_gate(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    blocking: Sequence[str],
    validated_rows: int = 0,
    seconds: float = 0.0,
) -> None:
    """The latest gate decision, which the publish step obeys (and what it cost)."""
    con.execute(f"DELETE FROM {GATE_TABLE}")
    con.execute(
        f"INSERT INTO {GATE_TABLE} VALUES (?, ?, ?, ?, ?, ?)",
        [run_id, utc_now(), not blocking, json.dumps(list(blocking)), validated_rows, seconds],
    )


def gate(con: duckdb.DuckDBPyConnection) -> tuple[bool, list[str]] | None:
    """(passed, blocking reasons) of the last validation; None if nothing was validated."""
    if not table_exists(con, GATE_TABLE):
        return None
    row = con.execute(f"SELECT passed, blocking FROM {GATE_TABLE}").fetchone()
    if row is None:
        return None
    return bool(row[0]), json.loads(row[1] or "[]")


def publish_blocker(con: duckdb.DuckDBPyConnection) -> str | None:
    """Why the build must not be published now, or None.

    The checks must have run after dbt last built, and passed; Dagster's blocking checks
    stop the publish in the same run, and this covers a publish materialized on its own.
    """
    decision = gate(con)
    if decision is None:
        return "the consistency checks have not run on this build"
    passed, blocking = decision
    if not passed:
        shown = "; ".join(blocking[:3]) + (
            f" (and {len(blocking) - 3} more)" if len(blocking) > 3 else ""
        )
        return f"blocking consistency checks failed: {shown}"
    if table_exists(con, RESULTS_TABLE):
        stale = con.execute(
            f"SELECT (SELECT max(checked_at) FROM {RESULTS_TABLE})"
            f" > (SELECT max(checked_at) FROM {GATE_TABLE})"
        ).fetchone()[0]
        if stale:
            return "dbt rebuilt the models after the consistency checks last ran"
    return None
