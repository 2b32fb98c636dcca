"""Write the published warehouse: a new DuckDB file, renamed atomically over the old one.

Readers that hold the old file open keep reading it (the rename only changes what the name
points to); readers that open the name afterwards see the new file, complete. Nobody ever
sees a half-written warehouse, and the build database is never opened by BI users.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from .. import paths
from ..database import attach_read_only, connect, table_exists, utc_now
from ..names import (
    AUDIT,
    CHECK_RESULTS_TABLE,
    DBT_RESULTS_TABLE,
    ORCHESTRATION,
    PUBLICATION_TABLE,
    PUBLICATIONS_TABLE,
    PUBLISHED_SCHEMAS,
    VERDICTS_TABLE,
)
from ..recovery import pid_is_gone, process_id
from ..storage import NoSpaceLeft, is_no_space, no_space_message, path_in
from .check_results import (
    CHECK_RESULTS_COLUMNS,
    CHECK_RESULTS_DESCRIPTION,
    CheckSummary,
    column_descriptions,
    summarize_checks,
)
from .signature import build_signature

# BI drivers (JDBC, Metabase, the duckdb CLI) often embed an older DuckDB than this venv's;
# DuckDB 2 writes a storage format 1.x readers refuse, so publish in the 1.0 format.
PUBLISHED_STORAGE_VERSION = "v1.0.0"
STALE_TEMP_SECONDS = 3600
PUBLISHED_FILE_MODE = 0o444
PUBLISHED_FILE_CHANGED = "the published file was changed since it was published"
UNPUBLISHED_BUILD = (
    "the build database holds a build that was not published (a run stopped before its publish)"
)


@dataclass
class PublishResult:
    """What was published, for the asset's metadata and the CLI summary."""

    path: Path
    tables: dict[str, int] = field(default_factory=dict)  # "schema.name" -> rows
    views: list[str] = field(default_factory=list)
    failed_checks: list[str] = field(default_factory=list)
    warned_checks: list[str] = field(default_factory=list)
    checks: CheckSummary = field(default_factory=CheckSummary)
    sha256: str = ""  # of the published file, as written; recorded in the build database
    signature: str = ""  # of the build's publish inputs (``signature.build_signature``)
    seconds: float = 0.0


def _short_schema(schema: str) -> str | None:
    for s in PUBLISHED_SCHEMAS:
        if schema == s or schema.endswith(f"_{s}"):
            return s
    return None


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _manifest_docs(manifest: Mapping[str, Any] | None) -> dict[tuple[str, str], dict[str, Any]]:
    """(short schema, relation) -> {"description", "columns": {name: description}}."""
    docs: dict[tuple[str, str], dict[str, Any]] = {}
    for node in (manifest or {}).get("nodes", {}).values():
        if node.get("resource_type") != "model":
            continue
        schema = _short_schema(node.get("schema", ""))
        if schema is None:
            continue
        name = node.get("alias") or node["name"]
        docs[(schema, name)] = {
            "description": node.get("description") or "",
            "columns": {
                c: (v.get("description") or "") for c, v in (node.get("columns") or {}).items()
            },
        }
    return docs


# A temp file's name says which process writes it: its pid and start time (``recovery``).
_TEMP_NAME = re.compile(r"\.warehouse-(\d+)-(\d+)-[0-9a-f]{12}\.publishing")


def _temp_name() -> str:
    pid, started = process_id()
    return f".warehouse-{pid}-{started or 0}-{uuid.uuid4().hex[:12]}.publishing"


def _remove_stale_temp_files(directory: Path) -> None:
    """Remove what a dead publish left: temp files whose writing process is gone.

    A publish still being written by a live process (another ``make run``) is left alone;
    a temp file that names no process (an older version's) goes once it is an hour old.
    """
    for p in directory.glob(".warehouse-*.publishing*"):
        named = _TEMP_NAME.match(p.name)
        try:
            gone = None
            if named:
                pid, started = named.groups()
                gone = pid_is_gone(int(pid), started)
            if gone or (gone is None and time.time() - p.stat().st_mtime > STALE_TEMP_SECONDS):
                p.unlink()
        except OSError:
            pass


def _copy_relations(
    con: duckdb.DuckDBPyConnection, manifest: Mapping[str, Any] | None
) -> tuple[dict[str, int], list[tuple[str, str, str]]]:
    """Tables copied as tables; views returned (schema, name, sql) to re-create afterwards."""
    wanted = set(_manifest_docs(manifest)) if manifest else None
    relations = con.execute(
        """
        SELECT schema_name, table_name, NULL AS sql FROM duckdb_tables()
        WHERE database_name = 'build'
        UNION ALL
        SELECT schema_name, view_name, sql FROM duckdb_views()
        WHERE database_name = 'build' AND NOT internal
        ORDER BY 1, 2
        """
    ).fetchall()
    tables: dict[str, int] = {}
    views: list[tuple[str, str, str]] = []
    for schema, name, sql in relations:
        short = _short_schema(schema)
        if short is None or (wanted is not None and (short, name) not in wanted):
            continue
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {short}")
        if sql is None:
            con.execute(
                f"CREATE TABLE {short}.{_quote(name)} AS "
                f"SELECT * FROM build.{_quote(schema)}.{_quote(name)}"
            )
            tables[f"{short}.{name}"] = con.execute(
                f"SELECT count(*) FROM {short}.{_quote(name)}"
            ).fetchone()[0]
        else:
            if short != schema:
                sql = sql.replace(f"{schema}.", f"{short}.")
            views.append((short, name, sql))
    return tables, views


def _create_views(con: duckdb.DuckDBPyConnection, views: list[tuple[str, str, str]]) -> list[str]:
    """Re-create the BI views from their SQL; a view over another view waits for it."""
    pending = list(views)
    created: list[str] = []
    while pending:
        failed: list[tuple[str, str, str, str]] = []
        for schema, name, sql in pending:
            try:
                con.execute(sql)
                created.append(f"{schema}.{name}")
            except duckdb.CatalogException as exc:
                failed.append((schema, name, sql, str(exc)))
        if len(failed) == len(pending):
            names = ", ".join(f"{s}.{n}: {e}" for s, n, _, e in failed)
            raise RuntimeError(f"cannot re-create views in the published file: {names}")
        pending = [(s, n, q) for s, n, q, _ in failed]
    return created


def _build_comments(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, str | None], str]:
    """Comments dbt's persist_docs left in the build database: (schema, relation, column)."""
    comments: dict[tuple[str, str, str | None], str] = {}
    for schema, name, comment in con.execute(
        "SELECT schema_name, table_name, comment FROM duckdb_tables() WHERE database_name = 'build'"
        " AND comment IS NOT NULL UNION ALL SELECT schema_name, view_name, comment FROM"
        " duckdb_views() WHERE database_name = 'build' AND comment IS NOT NULL"
    ).fetchall():
        if _short_schema(schema):
            comments[(_short_schema(schema), name, None)] = comment
    for schema, name, column, comment in con.execute(
        "SELECT schema_name, table_name, column_name, comment FROM duckdb_columns()"
        " WHERE database_name = 'build' AND comment IS NOT NULL"
    ).fetchall():
        if _short_schema(schema):
            comments[(_short_schema(schema), name, column)] = comment
    return comments


def _apply_comments(
    con: duckdb.DuckDBPyConnection,
    manifest: Mapping[str, Any] | None,
    build_comments: Mapping[tuple[str, str, str | None], str],
) -> int:
    """COMMENT ON every published relation and column that has a description."""
    comments = dict(build_comments)
    for (schema, name), doc in _manifest_docs(manifest).items():
        if doc["description"]:
            comments[(schema, name, None)] = doc["description"]
        for column, text in doc["columns"].items():
            if text:
                comments[(schema, name, column)] = text
    kinds = {
        (s, n): k
        for s, n, k in con.execute(
            "SELECT schema_name, table_name, 'TABLE' FROM duckdb_tables()"
            " WHERE database_name = 'pub' UNION ALL SELECT schema_name, view_name, 'VIEW'"
            " FROM duckdb_views() WHERE database_name = 'pub' AND NOT internal"
        ).fetchall()
    }
    columns = {
        (s, t, c)
        for s, t, c in con.execute(
            "SELECT schema_name, table_name, column_name FROM duckdb_columns()"
            " WHERE database_name = 'pub'"
        ).fetchall()
    }
    applied = 0
    for (schema, name, column), text in sorted(comments.items(), key=lambda kv: str(kv[0])):
        kind = kinds.get((schema, name))
        if kind is None or not text.strip():
            continue
        target = f"{schema}.{_quote(name)}"
        if column is None:
            con.execute(f"COMMENT ON {kind} {target} IS {_literal(text.strip())}")
        elif (schema, name, column) in columns:
            con.execute(f"COMMENT ON COLUMN {target}.{_quote(column)} IS {_literal(text.strip())}")
        else:
            continue
        applied += 1
    return applied


def _write_check_results(
    con: duckdb.DuckDBPyConnection, manifest: Mapping[str, Any] | None
) -> CheckSummary:
    """``audit.check_results``: the suites' verdicts, then dbt's test results."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {AUDIT}")
    ddl = ", ".join(f"{c} {t}" for c, t in CHECK_RESULTS_COLUMNS)
    con.execute(f"CREATE TABLE {CHECK_RESULTS_TABLE} ({ddl})")
    if table_exists(con, VERDICTS_TABLE, "build"):
        con.execute(
            f"""
            INSERT INTO {CHECK_RESULTS_TABLE} BY NAME
            SELECT * EXCLUDE (row_hash), 'expectations' AS check_source
            FROM build.{VERDICTS_TABLE}
            ORDER BY source_file, check_name, source_line, check_id
            """
        )
    if table_exists(con, DBT_RESULTS_TABLE, "build"):
        con.execute(
            f"""
            INSERT INTO {CHECK_RESULTS_TABLE} BY NAME
            SELECT invocation_id AS run_id, unique_id AS check_id, name AS check_name,
                   'dbt' AS check_family, severity,
                   CASE status WHEN 'success' THEN 'pass' ELSE status END AS status,
                   model AS subject, 0 AS expected, failures AS observed, 0 AS lower_bound,
                   0 AS upper_bound, 'failing rows' AS unit,
                   CASE WHEN status <> 'success' THEN name || ' on ' || model || ': ' || status
                        || ' (' || coalesce(failures, 0) || ' failing rows)'
                        || coalesce(': ' || message, '') END AS message,
                   'dbt' AS check_source, model, checked_at
            FROM build.{DBT_RESULTS_TABLE}
            WHERE resource_type IN ('test', 'unit_test')
            ORDER BY model, name
            """
        )
    con.execute(f"COMMENT ON TABLE {CHECK_RESULTS_TABLE} IS {_literal(CHECK_RESULTS_DESCRIPTION)}")
    for c, text in column_descriptions(manifest).items():
        con.execute(f"COMMENT ON COLUMN {CHECK_RESULTS_TABLE}.{c} IS {_literal(text.strip())}")
    return summarize_checks(con)


def _write_publication(con: duckdb.DuckDBPyConnection, failed_checks: int) -> None:
    con.execute(
        f"CREATE TABLE {PUBLICATION_TABLE} AS SELECT ?::TIMESTAMP AS published_at,"
        " ?::INTEGER AS failed_checks",  # errors and dbt failures
        [utc_now(), failed_checks],
    )
    con.execute(
        f"COMMENT ON TABLE {PUBLICATION_TABLE} IS "
        + _literal("When this file was published (UTC) and how many checks failed then.")
    )
    for column, text in (
        ("published_at", "When this file was published (UTC)."),
        ("failed_checks", "Checks that failed at that publish: errors and failing dbt tests."),
    ):
        con.execute(f"COMMENT ON COLUMN {PUBLICATION_TABLE}.{column} IS {_literal(text)}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _record_publication(build_db: Path, result: PublishResult) -> None:
    """The published file's hash, in the build database.

    Not in the published file, which cannot hold its own hash; and not in a file beside it,
    which whoever can edit the published file could edit too. The build database is the
    pipeline's own (mode 0600, another folder).
    """
    with connect(build_db) as con:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {ORCHESTRATION}")
        con.execute(
            f"CREATE TABLE IF NOT EXISTS {PUBLICATIONS_TABLE} (published_at TIMESTAMP,"
            " path VARCHAR, sha256 VARCHAR, size_bytes BIGINT, failed_checks INTEGER,"
            " signature VARCHAR)"
        )
        con.execute(f"ALTER TABLE {PUBLICATIONS_TABLE} ADD COLUMN IF NOT EXISTS signature VARCHAR")
        con.execute(
            f"INSERT INTO {PUBLICATIONS_TABLE}"
            " (published_at, path, sha256, size_bytes, failed_checks, signature)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                utc_now(),
                str(result.path.resolve()),
                result.sha256,
                result.path.stat().st_size,
                result.checks.failed_count,
                result.signature,
            ],
        )


def published_file_changes(build_db: Path, published: Path) -> str | None:
    """Why ``published`` is not what the build database would publish now, or None if it is.

    Two comparisons with the record of the last publish: the file's sha256 (a file opened
    without read-only and edited, or made writable and changed, differs), and the signature
    of the build's publish inputs (a build that a killed or stopped run never published
    differs).
    """
    if not build_db.exists():
        return "there is no build database to hold a record of the published file"
    with connect(build_db, read_only=True) as con:
        row = None
        if table_exists(con, PUBLICATIONS_TABLE):
            # The latest, wherever it was written: a copied warehouse (build database and
            # published file together) is still intact.
            columns = {r[0] for r in con.execute(f"DESCRIBE {PUBLICATIONS_TABLE}").fetchall()}
            signature = "signature" if "signature" in columns else "NULL"
            row = con.execute(
                f"SELECT sha256, {signature} FROM {PUBLICATIONS_TABLE}"
                " ORDER BY published_at DESC LIMIT 1"
            ).fetchone()
        now = build_signature(con) if row is not None else None
    if row is None:
        return "the build database has no record of the published file's hash"
    if _sha256(published) != row[0]:
        return PUBLISHED_FILE_CHANGED
    return None if row[1] == now else UNPUBLISHED_BUILD


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(
    build_db: Path, warehouse_dir: Path, manifest: Mapping[str, Any] | None = None
) -> PublishResult:
    """Publish the build database's marts, audit and BI relations to ``warehouse.duckdb``.

    The new file is complete, checkpointed and synced before the rename, so the name always
    points at a whole warehouse. A full disk raises ``NoSpaceLeft``, whose message names the
    filesystem and about how much the file needs; the previous file is left as it was.
    """
    start = time.monotonic()
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_temp_files(warehouse_dir)
    final = paths.published_file(warehouse_dir)
    temp = warehouse_dir / _temp_name()
    result = PublishResult(path=final)
    try:
        with duckdb.connect(config={"memory_limit": paths.duckdb_memory_limit()}) as con:
            con.execute(
                f"ATTACH {_literal(str(temp))} AS pub"
                f" (STORAGE_VERSION {_literal(PUBLISHED_STORAGE_VERSION)})"
            )
            con.execute("USE pub")
            attach_read_only(con, build_db, "build")
            result.signature = build_signature(con, "build")
            result.tables, views = _copy_relations(con, manifest)
            comments = _build_comments(con)
            result.checks = _write_check_results(con, manifest)
            result.failed_checks, result.warned_checks = result.checks.failed, result.checks.warned
            con.execute("DETACH build")
            result.views = _create_views(con, views)
            _apply_comments(con, manifest, comments)
            _write_publication(con, result.checks.failed_count)
            con.execute("USE memory")
            con.execute("DETACH pub")  # checkpoints and closes the file
        # Nobody writes the published file in place: publishing replaces it, which needs
        # only the folder to be writable, whatever the old file's mode.
        temp.chmod(PUBLISHED_FILE_MODE)
        _fsync(temp)
        result.sha256 = _sha256(temp)  # written and closed: these are the bytes readers get
        os.replace(temp, final)
        _fsync(warehouse_dir)
        _record_publication(build_db, result)
    except Exception as exc:
        if not is_no_space(exc):
            raise
        # The new file is about as large as the last one; without one, as far as it got.
        sizes = [p.stat().st_size for p in (final, temp, Path(f"{temp}.wal")) if p.exists()]
        # Named by DuckDB: the new file, or the build database the publication is recorded in.
        named = path_in(str(exc))
        failed_on = named if named is not None and named.is_absolute() else warehouse_dir
        raise NoSpaceLeft(no_space_message("publish", failed_on, max(sizes, default=0))) from exc
    finally:
        for leftover in (temp, Path(f"{temp}.wal")):
            if leftover.exists():
                leftover.unlink()
    result.seconds = time.monotonic() - start
    return result
