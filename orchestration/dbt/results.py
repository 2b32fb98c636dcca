"""dbt's run results, kept in the build database so publishing reports every check's status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb

from ..database import utc_now
from ..names import DBT_RESULTS_TABLE, ORCHESTRATION

_COLUMNS = [
    ("unique_id", "VARCHAR"),
    ("name", "VARCHAR"),
    ("resource_type", "VARCHAR"),
    ("status", "VARCHAR"),
    ("failures", "BIGINT"),
    ("model", "VARCHAR"),
    ("severity", "VARCHAR"),
    ("message", "VARCHAR"),
    ("execution_seconds", "DOUBLE"),
    ("invocation_id", "VARCHAR"),
    ("checked_at", "TIMESTAMP"),
]


def _tested_model(node: Mapping[str, Any], manifest: Mapping[str, Any]) -> str | None:
    attached = node.get("attached_node")
    if attached and attached in manifest.get("nodes", {}):
        return manifest["nodes"][attached]["name"]
    for dep in node.get("depends_on", {}).get("nodes", []):
        if dep.startswith(("model.", "source.", "seed.", "snapshot.")):
            return (
                dep.split(".")[-1]
                if not dep.startswith("source.")
                else ".".join(dep.split(".")[-2:])
            )
    return None


def result_rows(run_results: Mapping[str, Any], manifest: Mapping[str, Any]) -> list[tuple]:
    """One row per node dbt executed: tests with their failure count and the model they test."""
    invocation = run_results.get("metadata", {}).get("invocation_id")
    now = utc_now()
    rows = []
    for r in run_results.get("results", []):
        uid = r["unique_id"]
        node = manifest.get("nodes", {}).get(uid) or manifest.get("unit_tests", {}).get(uid) or {}
        rtype = node.get("resource_type") or uid.split(".")[0]
        rows.append(
            (
                uid,
                node.get("name") or uid.split(".")[-1],
                rtype,
                r.get("status"),
                r.get("failures"),
                _tested_model(node, manifest)
                if rtype in ("test", "unit_test")
                else node.get("name"),
                (node.get("config") or {}).get("severity"),
                (r.get("message") or "")[:2000] or None,
                r.get("execution_time"),
                invocation,
                now,
            )
        )
    return rows


# A node with one of these statuses was not built this run: its table is last run's, or none.
NOT_BUILT_STATUSES = {"error", "runtime error", "skipped"}
FAILED_CHECK_STATUSES = {"fail", "error", "runtime error"}


def build_problems(
    run_results: Mapping[str, Any], manifest: Mapping[str, Any]
) -> tuple[list[str], list[str]]:
    """(models dbt did not build, error-severity checks that failed) in one invocation.

    ``dbt build`` skips the models downstream of a failing error-severity test; publishing
    then would mix rebuilt tables with stale ones, so the caller withholds the publish.
    """
    not_built: list[str] = []
    failed: list[str] = []
    for row in result_rows(run_results, manifest):
        uid, name, rtype, status, failures, model, severity, message = row[:8]
        if rtype in ("test", "unit_test"):
            if status in FAILED_CHECK_STATUSES and (severity or "error").lower() != "warn":
                detail = f"{failures} failing rows" if failures else (message or status)
                failed.append(f"{name} on {model}: {status} ({detail})")
        elif status in NOT_BUILT_STATUSES:
            reason = (message or "").strip().splitlines()[0][:300] if message else status
            not_built.append(f"{name}: {status}" + (f" ({reason})" if reason != status else ""))
    return not_built, failed


def record_results(
    con: duckdb.DuckDBPyConnection, run_results: Mapping[str, Any], manifest: Mapping[str, Any]
) -> int:
    """Upsert this invocation's results; drop nodes the project no longer has.

    A run that built only some models leaves the other checks' last results in place, so a
    publish after it still reports every check.
    """
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {ORCHESTRATION}")
    ddl = ", ".join(f"{c} {t}" for c, t in _COLUMNS)
    con.execute(f"CREATE TABLE IF NOT EXISTS {DBT_RESULTS_TABLE} ({ddl})")
    rows = result_rows(run_results, manifest)
    known = list(manifest.get("nodes", {})) + list(manifest.get("unit_tests", {}))
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            f"DELETE FROM {DBT_RESULTS_TABLE} WHERE unique_id NOT IN (SELECT unnest(?::VARCHAR[]))",
            [known],
        )
        if rows:
            con.execute(
                f"DELETE FROM {DBT_RESULTS_TABLE} WHERE unique_id IN (SELECT unnest(?::VARCHAR[]))",
                [[r[0] for r in rows]],
            )
            con.executemany(
                f"INSERT INTO {DBT_RESULTS_TABLE} VALUES ({', '.join('?' * len(_COLUMNS))})", rows
            )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(rows)
