"""Where verdicts live between runs: tables in the build database's orchestration schema.

A verdict is kept with a hash of the audit row it judged, so the next run validates only
rows that are new or changed (a new filing, a re-parse, a company's restatements moving)
and keeps the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import duckdb
import pandas as pd

from expectations.catalogue import VERDICT_COLUMNS

from ..database import utc_now
from ..gate import ensure_gate_table
from ..names import ORCHESTRATION, VALIDATED_TABLE, VERDICTS_TABLE

VERDICT_DDL = [
    *VERDICT_COLUMNS,
    ("model", "VARCHAR"),  # the audit model the instance was read from
    ("row_hash", "VARCHAR"),  # md5 of the audit row judged: an unchanged row is not judged again
    ("run_id", "VARCHAR"),
    ("checked_at", "TIMESTAMP"),
]


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the verdict, validated-filings and gate tables if they are missing."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {ORCHESTRATION}")
    ddl = ", ".join(f"{c} {t}" for c, t in VERDICT_DDL)
    con.execute(f"CREATE TABLE IF NOT EXISTS {VERDICTS_TABLE} ({ddl})")
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {VALIDATED_TABLE}"
        " (filing_id VARCHAR, signature VARCHAR, run_id VARCHAR)"
    )
    ensure_gate_table(con)


# Filings whose rows one validation pass holds in memory at a time: a backfill of 10,000
# filings has millions of audit rows, and a frame of all of them took gigabytes.
FILINGS_PER_BATCH = 1000


def pending_audit_batches(
    con: duckdb.DuckDBPyConnection, schema: str, model: str, per_batch: int | None = None
) -> Iterator[pd.DataFrame]:
    """Rows of ``schema.model`` never validated in their present form, a batch of filings at
    a time (rows without a filing in the last batch). A filing's rows are never split
    between batches, so a duplicate check id of one filing is seen in one frame."""
    per_batch = per_batch or FILINGS_PER_BATCH
    ids = [r[0] for r in con.execute(f"SELECT DISTINCT filing_id FROM {schema}.{model}").fetchall()]
    named = sorted(i for i in ids if i is not None)
    batches: list[tuple[list[str], bool]] = [
        (named[i : i + per_batch], False) for i in range(0, len(named), per_batch)
    ]
    if None in ids:
        batches.append(([], True))
    for filing_ids, unfiled in batches:
        frame = con.execute(
            f"""
            SELECT t.*, md5(CAST(t AS VARCHAR)) AS row_hash
            FROM {schema}.{model} AS t
            WHERE (t.filing_id IN (SELECT unnest(?::VARCHAR[])) OR (? AND t.filing_id IS NULL))
              AND NOT EXISTS (
                SELECT 1 FROM {VERDICTS_TABLE} v
                WHERE v.check_id = t.check_id AND v.row_hash = md5(CAST(t AS VARCHAR))
            )
            ORDER BY t.filing_id, t.check_name, t.check_id
            """,
            [filing_ids, unfiled],
        ).df()
        if not frame.empty:
            yield frame


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
                [[r["check_id"] for r in rows]],
            )
            # One insert from a frame: executemany costs about half a millisecond a row, which
            # a backfill's hundred thousand verdicts turned into over a minute.
            frame = pd.DataFrame.from_records(records, columns=columns).astype(object)
            frame = frame.where(frame.notna(), None)
            select = ", ".join(f'CAST(verdict_rows."{c}" AS {t})' for c, t in VERDICT_DDL)
            con.register("verdict_rows", frame)
            try:
                con.execute(
                    f"INSERT INTO {VERDICTS_TABLE} ({', '.join(columns)}) SELECT {select}"
                    " FROM verdict_rows"
                )
            finally:
                con.unregister("verdict_rows")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def drop_verdicts_of_missing_models(con: duckdb.DuckDBPyConnection, models: Iterable[str]) -> None:
    """Forget the verdicts of audit models the catalogue no longer has."""
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
