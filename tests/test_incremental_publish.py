"""An incremental publish is the same warehouse as a full rebuild.

Adding a filing runs only what it affects: its parse (one record file), the loader, dbt's
per-company incremental models, the checks on new rows, and the workbooks of changed
companies. The published result must not depend on that: built up one filing at a time, or
from scratch in one run, every published table holds the same bytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from conftest import SAMPLES_DIR, BuiltWarehouse, new_warehouse, run_in_process

pytestmark = pytest.mark.e2e

# What says when and by which run something happened, not what the warehouse holds: the
# only columns left out of the comparison. A column of this name anywhere is left out.
RUN_IDENTITY = {
    "published_at",  # the publish
    "checked_at",  # the check run
    "run_id",  # the check run or dbt invocation
    "parsed_at",  # the parse
    "ingested_at",  # when the raw store took the file
    "built_by_invocation_id",  # the dbt invocation that wrote an incremental row
    "company_signature",  # a hash of the company's filing ids and their parse times
}


def table_bytes(published: Path) -> dict[str, tuple[int, str]]:
    """ "schema.table" -> (rows, sha256 of its rows as CSV, sorted), for every published table,
    and "schema.view" -> (0, sha256 of its SQL) for every view."""
    out: dict[str, tuple[int, str]] = {}
    with duckdb.connect(str(published), read_only=True) as con:
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database()"
            " ORDER BY 1, 2"
        ).fetchall()
        for schema, table in tables:
            columns = [
                c
                for (c,) in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database()"
                    " AND schema_name = ? AND table_name = ? ORDER BY column_index",
                    [schema, table],
                ).fetchall()
                if c not in RUN_IDENTITY
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f'SELECT {select} FROM "{schema}"."{table}" ORDER BY ALL').fetchall()
            text = "\n".join(repr(r) for r in rows)
            out[f"{schema}.{table}"] = (len(rows), hashlib.sha256(text.encode()).hexdigest())
        for schema, view, sql in con.execute(
            "SELECT schema_name, view_name, sql FROM duckdb_views()"
            " WHERE database_name = current_database() AND NOT internal ORDER BY 1, 2"
        ).fetchall():
            out[f"{schema}.{view}"] = (0, hashlib.sha256(sql.encode()).hexdigest())
    return out


def test_adding_filings_one_run_at_a_time_publishes_what_a_full_rebuild_does(
    sample_warehouse: BuiltWarehouse, dbt_target_dir: Path, tmp_path: Path
) -> None:
    samples = sorted(SAMPLES_DIR.glob("*.txt"))
    # A filing of the company with the most, added last: that company's incremental models
    # must be rebuilt with it (its filings restate each other's periods), not appended to.
    last = max(samples, key=lambda p: (sum(q.name[:8] == p.name[:8] for q in samples), p.name))
    built = new_warehouse(
        tmp_path / "incremental", dbt_target_dir, [p for p in samples if p != last]
    )
    first = run_in_process(built)
    assert not first.failed_runs and len(first.ingested_partitions) == len(samples) - 1
    (built.inbox / last.name).write_bytes(last.read_bytes())
    added = run_in_process(built)
    assert not added.failed_runs and added.ingested_partitions == [last.stem]
    assert added.refreshed and added.withheld is None

    incremental = table_bytes(built.published)
    rebuilt = table_bytes(sample_warehouse.published)  # every sample in one run, from nothing
    assert set(incremental) == set(rebuilt)
    different = {name for name in rebuilt if incremental[name] != rebuilt[name]}
    assert different == set(), {n: (incremental[n], rebuilt[n]) for n in sorted(different)}
    # Not vacuous: the marts and check results hold the samples' rows.
    assert rebuilt["marts.dim_filing"][0] == len(samples)
    assert rebuilt["marts.fct_financial_facts"][0] > 100
    assert rebuilt["audit.check_results"][0] > 100
