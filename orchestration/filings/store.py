"""The raw schema of the build database: the append-only raw store and the parsed tables."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from ..database import connect, table_exists
from ..names import RAW as RAW_SCHEMA
from .inbox import Change, KnownFilings, NotRegularFile, disappeared, read_regular
from .records import (
    RAW_FILES_COLUMNS,
    RAW_FILES_TABLE,
    RAW_SIDECARS_COLUMNS,
    RAW_SIDECARS_TABLE,
    RAW_TABLES,
)


def all_raw_tables() -> dict[str, list[tuple[str, str]]]:
    """Every table of the raw schema, the raw store (and its sidecars) included."""
    return {
        RAW_FILES_TABLE: RAW_FILES_COLUMNS,
        RAW_SIDECARS_TABLE: RAW_SIDECARS_COLUMNS,
        **RAW_TABLES,
    }


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw schema and every raw table; add columns a newer contract appended."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    existing: dict[str, set[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = ?",
        [RAW_SCHEMA],
    ).fetchall():
        existing.setdefault(table, set()).add(column)
    for name, columns in all_raw_tables().items():
        if name not in existing:
            ddl = ", ".join(f'"{c}" {t}' for c, t in columns)
            con.execute(f"CREATE TABLE {RAW_SCHEMA}.{name} ({ddl})")
            continue
        for c, t in columns:
            if c not in existing[name]:
                con.execute(f'ALTER TABLE {RAW_SCHEMA}.{name} ADD COLUMN "{c}" {t}')


def has_raw_store(con: duckdb.DuckDBPyConnection) -> bool:
    return table_exists(con, f"{RAW_SCHEMA}.{RAW_FILES_TABLE}")


def known_filings_if_any(build_db: Path, wait_seconds: float | None = None) -> KnownFilings:
    """What the raw store in ``build_db`` holds; nothing if the file or table is absent."""
    if not build_db.exists():
        return KnownFilings()
    with connect(build_db, read_only=True, wait_seconds=wait_seconds) as con:
        return known_filings(con) if has_raw_store(con) else KnownFilings()


def known_filings(con: duckdb.DuckDBPyConnection) -> KnownFilings:
    """The raw store's view of what has been seen, in the form the inbox planner uses."""
    known = KnownFilings()
    for sha, name, key, version in con.execute(
        f"SELECT content_sha256, file_name, filing_key, version FROM {RAW_SCHEMA}.{RAW_FILES_TABLE}"
        " ORDER BY seen_at, version"
    ).fetchall():
        known.record(sha, name, key, version)
    if table_exists(con, f"{RAW_SCHEMA}.{RAW_SIDECARS_TABLE}"):
        for name, sha in con.execute(
            f"SELECT file_name, sidecar_sha256 FROM {RAW_SCHEMA}.{RAW_SIDECARS_TABLE}"
            " ORDER BY seen_at"
        ).fetchall():
            known.record_sidecar(name, sha)
    return known


def stored_filing_keys(con: duckdb.DuckDBPyConnection, filing_keys: Iterable[str]) -> set[str]:
    """Those of ``filing_keys`` that have at least one version in the raw store."""
    return {
        key
        for (key,) in con.execute(
            f"SELECT DISTINCT filing_key FROM {RAW_SCHEMA}.{RAW_FILES_TABLE}"
            " WHERE filing_key IN (SELECT unnest(?::VARCHAR[]))",
            [sorted(filing_keys)],
        ).fetchall()
    }


_BATCH_BYTES = 64 * 2**20


def append_raw_files(
    con: duckdb.DuckDBPyConnection, changes: Sequence[Change], seen_at: datetime
) -> tuple[int, list[str]]:
    """Store the bytes of each change. Never updates or deletes: the store is append-only.

    A row is added whenever a name's bytes differ from the bytes last stored under it, even
    bytes it held before (a file put back to earlier content). A file that changed again
    since it was planned is stored only if its bytes still hash to the planned sha256;
    otherwise the next sensor tick picks the new bytes up.

    Returns the rows added and, for the user, each file not stored because it was gone or
    no longer a regular file (swapped for a link or a pipe) when its bytes were read.
    """
    added = 0
    skipped: list[str] = []
    names = sorted({ch.file.name for ch in changes})
    # What each name last held, for the whole batch in two queries, not two per file.
    latest = dict(
        con.execute(
            f"SELECT file_name, arg_max(content_sha256, (seen_at, version))"
            f" FROM {RAW_SCHEMA}.{RAW_FILES_TABLE}"
            " WHERE file_name IN (SELECT unnest(?::VARCHAR[])) GROUP BY file_name",
            [names],
        ).fetchall()
    )
    sidecars = dict(
        con.execute(
            f"SELECT file_name, arg_max(sidecar_sha256, seen_at) FROM {RAW_SCHEMA}.{RAW_SIDECARS_TABLE}"
            " WHERE file_name IN (SELECT unnest(?::VARCHAR[])) GROUP BY file_name",
            [names],
        ).fetchall()
    )
    # Transactions of many files: a commit per file cost some 2 s a thousand files. Each holds
    # at most about _BATCH_BYTES, so a backfill of large PDFs does not hold them all in memory.
    con.execute("BEGIN TRANSACTION")
    pending = 0
    try:
        for ch in changes:
            added += _append_sidecar(con, ch, seen_at, sidecars)
            if latest.get(ch.file.name) == ch.file.sha256:
                continue
            try:
                data = read_regular(ch.file.path)
            except FileNotFoundError:
                skipped.append(disappeared(ch.file.name))
                continue
            except NotRegularFile as exc:
                skipped.append(exc.refused.message)
                continue
            except OSError:
                continue  # unreadable for now (permissions, a network blip): the next tick retries
            if hashlib.sha256(data).hexdigest() != ch.file.sha256:
                continue
            con.execute(
                f"INSERT INTO {RAW_SCHEMA}.{RAW_FILES_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)",
                [ch.file.sha256, ch.file.name, len(data), data, seen_at, ch.filing_key, ch.version],
            )
            latest[ch.file.name] = ch.file.sha256
            added += 1
            pending += len(data)
            if pending > _BATCH_BYTES:
                con.execute("COMMIT")
                con.execute("BEGIN TRANSACTION")
                pending = 0
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return added, skipped


def _append_sidecar(
    con: duckdb.DuckDBPyConnection,
    ch: Change,
    seen_at: datetime,
    latest: dict[str, str | None],
) -> int:
    """Store the sidecar beside ``ch``'s file if it differs from the one last stored there
    (``latest``: name -> sidecar sha256 last stored; a removed sidecar is a row without
    content). 1 if a row was added."""
    stored = latest.get(ch.file.name)
    side = ch.file.sidecar
    if stored == (side.sha256 if side else None):
        return 0
    if side is None:
        row = [ch.file.name, None, None, None, None, seen_at]
    else:
        try:
            data = read_regular(side.path)
        except OSError:  # gone or swapped since the scan: the next tick sees what is there
            return 0
        if hashlib.sha256(data).hexdigest() != side.sha256:
            return 0  # rewritten since it was planned: the next tick takes the new bytes
        row = [ch.file.name, side.name, side.sha256, len(data), data, seen_at]
    con.execute(f"INSERT INTO {RAW_SCHEMA}.{RAW_SIDECARS_TABLE} VALUES (?, ?, ?, ?, ?, ?)", row)
    latest[ch.file.name] = row[2]
    return 1


def sidecar_of(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple[bytes, str, str] | None:
    """(bytes, name, sha256) of the sidecar a filing version is read with: the one last
    stored beside any name that has held its bytes; None if there is none (or it was removed).
    """
    return sidecars_of(con, [sha256])[sha256]


def sidecars_of(
    con: duckdb.DuckDBPyConnection, sha256s: Iterable[str]
) -> dict[str, tuple[bytes, str, str] | None]:
    """``sidecar_of`` for many versions in one query (a batch of thousands stays one scan)."""
    shas = list(sha256s)
    found: dict[str, tuple[bytes, str, str] | None] = dict.fromkeys(shas)
    if not shas or not table_exists(con, f"{RAW_SCHEMA}.{RAW_SIDECARS_TABLE}"):
        return found
    for sha, content, name, side_sha in con.execute(
        f"""
        SELECT f.content_sha256, s.content, s.sidecar_name, s.sidecar_sha256
        FROM (SELECT DISTINCT content_sha256, file_name FROM {RAW_SCHEMA}.{RAW_FILES_TABLE}
              WHERE content_sha256 IN (SELECT unnest(?::VARCHAR[]))) f
        JOIN {RAW_SCHEMA}.{RAW_SIDECARS_TABLE} s USING (file_name)
        QUALIFY row_number() OVER (PARTITION BY f.content_sha256 ORDER BY s.seen_at DESC) = 1
        """,
        [shas],
    ).fetchall():
        found[sha] = None if content is None else (bytes(content), name, side_sha)
    return found


def versions_of(
    con: duckdb.DuckDBPyConnection, filing_keys: Iterable[str] | None
) -> list[dict[str, Any]]:
    """Every stored version of the given filings (None: of every filing): sha256, key,
    version, first name seen."""
    keys = None if filing_keys is None else list(filing_keys)
    if keys == []:
        return []
    return [
        dict(zip(("content_sha256", "filing_key", "version", "file_name"), r, strict=True))
        for r in con.execute(
            f"""
            SELECT content_sha256, any_value(filing_key), min(version), arg_min(file_name, seen_at)
            FROM {RAW_SCHEMA}.{RAW_FILES_TABLE}
            WHERE ?::VARCHAR[] IS NULL OR filing_key IN (SELECT unnest(?::VARCHAR[]))
            GROUP BY content_sha256
            ORDER BY 2, 3
            """,
            [keys, keys],
        ).fetchall()
    ]


def content_of(con: duckdb.DuckDBPyConnection, sha256: str) -> bytes:
    row = con.execute(
        f"SELECT content FROM {RAW_SCHEMA}.{RAW_FILES_TABLE} WHERE content_sha256 = ? LIMIT 1",
        [sha256],
    ).fetchone()
    if row is None:
        raise KeyError(f"raw store has no content with sha256 {sha256}")
    return bytes(row[0])


def parsed_versions(
    con: duckdb.DuckDBPyConnection, filing_ids: Iterable[str]
) -> dict[str, tuple[str, str | None]]:
    """filing_id -> (parser_version, sidecar_sha256) of the versions already in ``raw.filings``:
    what they were read by and with."""
    ids = list(filing_ids)
    if not ids:
        return {}
    return {
        fid: (pv, side)
        for fid, pv, side in con.execute(
            f"SELECT filing_id, parser_version, sidecar_sha256 FROM {RAW_SCHEMA}.filings"
            " WHERE filing_id IN (SELECT unnest(?::VARCHAR[]))",
            [ids],
        ).fetchall()
    }
