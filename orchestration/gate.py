"""The publish gate: the quality stage records its decision, the publish stage obeys it.

Both stages, and the CLI, read the decision from the build database through this module,
so none of them imports another stage.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import duckdb

from .database import table_exists, utc_now
from .names import DBT_RESULTS_TABLE, GATE_TABLE, ORCHESTRATION

# A step failure whose description starts with this did not publish on purpose; the CLI
# prints what follows it as the reason.
PUBLISH_WITHHELD = "publish withheld"


def ensure_gate_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create the gate table if it is missing."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {ORCHESTRATION}")
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {GATE_TABLE} (run_id VARCHAR, checked_at TIMESTAMP,"
        " passed BOOLEAN, blocking VARCHAR, validated_rows BIGINT, seconds DOUBLE)"
    )


def record_gate(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    blocking: Sequence[str],
    validated_rows: int = 0,
    seconds: float = 0.0,
) -> None:
    """The latest gate decision, which the publish step obeys (and what it cost)."""
    ensure_gate_table(con)
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
    if table_exists(con, DBT_RESULTS_TABLE):
        stale = con.execute(
            f"SELECT (SELECT max(checked_at) FROM {DBT_RESULTS_TABLE})"
            f" > (SELECT max(checked_at) FROM {GATE_TABLE})"
        ).fetchone()[0]
        if stale:
            return "dbt rebuilt the models after the consistency checks last ran"
    return None
