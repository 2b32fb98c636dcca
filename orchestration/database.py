"""Opening DuckDB files: one writer per file, so wait for the lock instead of failing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from . import paths
from .read_only import READ_ONLY_SETTINGS

BUILD_DB_MODE = 0o600


def utc_now() -> datetime:
    """Now in UTC without a zone: what the TIMESTAMP columns of our databases hold."""
    return datetime.now(UTC).replace(tzinfo=None)


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflict" in text or "could not set" in text)


def _retry_on_lock(action, wait_seconds: float | None):
    if wait_seconds is None:
        wait_seconds = paths.lock_wait_seconds()
    deadline = time.monotonic() + wait_seconds
    delay = 0.05
    while True:
        try:
            return action()
        except (duckdb.IOException, duckdb.BinderException) as exc:
            if not _is_lock_error(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


def table_exists(
    con: duckdb.DuckDBPyConnection, qualified: str, database: str | None = None
) -> bool:
    """Whether ``schema.table`` exists in ``database`` (default: the connection's current)."""
    schema, name = qualified.split(".")
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?"
            " AND database_name = coalesce(?, current_database())",
            [schema, name, database],
        ).fetchone()[0]
    )


def attach_read_only(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    alias: str,
    wait_seconds: float | None = None,
) -> None:
    """ATTACH ``path`` read-only as ``alias``, waiting while another process writes it."""
    literal = "'" + str(path).replace("'", "''") + "'"
    _retry_on_lock(lambda: con.execute(f"ATTACH {literal} AS {alias} (READ_ONLY)"), wait_seconds)


@contextmanager
def connect(
    path: Path, read_only: bool = False, wait_seconds: float | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to ``path`` that is always closed, so the file lock is released.

    Another process (dbt, a second run) may hold the file for a moment; DuckDB then refuses
    at once, so retry until ``wait_seconds`` (default ``WAREHOUSE_LOCK_WAIT_SECONDS``) have
    passed. A read-only connection is confined to ``path`` (``read_only.READ_ONLY_SETTINGS``):
    whatever it runs cannot read, write or attach another file.
    """
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    config = dict(READ_ONLY_SETTINGS) if read_only else {}
    config["memory_limit"] = paths.duckdb_memory_limit()
    con = _retry_on_lock(
        lambda: duckdb.connect(str(path), read_only=read_only, config=config), wait_seconds
    )
    if not read_only:
        # The build database holds every filing's bytes and is no reader's business: only its
        # owner may read it (BI tools read the published file). DuckDB creates it per umask.
        path.chmod(BUILD_DB_MODE)
    try:
        yield con
    finally:
        con.close()
