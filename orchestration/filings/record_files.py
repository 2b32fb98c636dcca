"""Parsed records as immutable, content-addressed Parquet files: one file per parse.

Parsing is per filing and pure, so it runs on every core (and, deployed, on other machines);
the build database has one writer. Between the two, each parse writes its rows for every
raw table to one Parquet file, and one loader brings a batch of files into DuckDB (a
transaction per chunk of files). A file is named by a hash of everything its parse read (the parser version,
the filing version's bytes, its name and filing, and its sidecar), so:

- a crash mid-batch loses nothing: every file written before it is whole (written under a
  temporary name, then renamed) and is loaded by the next run without parsing again;
- a re-run parses nothing twice: a parse whose file exists is not run;
- files are never changed, only added, so a file can be copied to object storage, cached,
  or shared by several loaders without coordination.

The file holds one row with one text column per raw table: that table's rows as a JSON
array, typed on load by the raw contract (``RAW_TABLES``). Measured on 1,000 filings: a
``list<struct>`` column per table makes some 300 leaf columns a file, and reading them cost
8-10 ms a file (DuckDB and pyarrow alike) and writing 11 ms; as JSON text the loader reads
and types the 1,000 files in about 2 s, and a file costs about 4 ms to encode (in the
parsing child) and write (in the parent, so the children need no Parquet library).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.model import ParsedFiling

from ..names import RAW as RAW_SCHEMA
from .records import RAW_TABLES, filing_rows

if TYPE_CHECKING:
    import duckdb

# Each table's rows as DuckDB's from_json reads them back: the contract's column types.
_JSON_STRUCTURE = {
    name: json.dumps([{c: t for c, t in columns}]) for name, columns in RAW_TABLES.items()
}

# Bump with any change to how a file is written; the raw contract's columns count too.
_LAYOUT = "json-columns-1:" + hashlib.sha256(json.dumps(RAW_TABLES).encode()).hexdigest()[:12]


def record_key(
    parser_version: str,
    filing_id: str,
    file_name: str,
    filing_key: str | None,
    version: int | None,
    sidecar_sha256: str | None,
) -> str:
    """The name of a parse's file: a hash of every input of that parse, and of the file's
    layout (a changed raw contract or layout names new files rather than misread old ones)."""
    inputs = [_LAYOUT, parser_version, filing_id, file_name, filing_key, version, sidecar_sha256]
    return hashlib.sha256(json.dumps(inputs).encode()).hexdigest()


def record_path(root: Path, key: str) -> Path:
    """Where the file of ``key`` lives under ``root``: in one of 256 folders by its first two
    hex digits, so that 150,000 filings make some 600 files a folder, not 150,000."""
    return root / key[:2] / f"{key}.parquet"


def _json_value(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"not a raw-table value: {type(value).__name__}")


def _finite(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # A NaN or infinite number is no value, as in the raw tables (NULL).
    return [
        {k: None if isinstance(v, float) and not math.isfinite(v) else v for k, v in r.items()}
        for r in rows
    ]


def _table_json(rows: list[dict[str, Any]]) -> str:
    text = json.dumps(rows, default=_json_value, ensure_ascii=False)
    # Rare (a text may hold the word too, which costs only a second pass): no number is NaN.
    if "NaN" in text or "Infinity" in text:
        text = json.dumps(_finite(rows), default=_json_value, ensure_ascii=False)
    return text


def encode(rows: Mapping[str, list[dict[str, Any]]]) -> dict[str, str]:
    """A parse's rows as the record file holds them: per raw table, its rows as JSON text.

    Done where the parse runs (its child process, on another core); the child needs no
    Parquet library, and only these strings cross the pipe.
    """
    return {name: _table_json(list(rows.get(name, []))) for name in RAW_TABLES}


def write_records(path: Path, tables: Mapping[str, str]) -> int:
    """Write one parse's encoded rows (``encode``) to ``path``, whole or not at all; returns
    its size in bytes. An existing file is left as it is: the name says what it holds."""
    # Imported here: the parsing children, which import this module, do not need pyarrow
    # (whose libraries alone take more address space than a tight parse limit allows).
    import pyarrow as pa
    import pyarrow.parquet as pq

    if path.exists():
        return path.stat().st_size
    schema = pa.schema([pa.field(name, pa.string()) for name in RAW_TABLES])
    arrays = [pa.array([tables[name]], type=pa.string()) for name in RAW_TABLES]
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        pq.write_table(pa.Table.from_arrays(arrays, schema=schema), temp)
        # Durable before it is named: a file under its final name is always whole.
        fd = os.open(temp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    finally:
        if temp.exists():
            temp.unlink()
    return path.stat().st_size


def read_records(path: Path) -> dict[str, list[dict[str, Any]]]:
    """A record file's rows per raw table, as written (dates and times as ISO text)."""
    import pyarrow.parquet as pq

    (row,) = pq.read_table(path).to_pylist()
    return {name: json.loads(row[name]) for name in RAW_TABLES}


def encode_parsed(parsed: ParsedFiling, spec: Mapping[str, Any]) -> dict[str, str]:
    """A parsed filing's raw-table rows, encoded for its record file. ``spec`` names the
    version: filing_id, file_name, filing_key, version, sidecar_sha256, parsed_at and
    parser_version."""
    rows = filing_rows(
        parsed,
        spec["filing_id"],
        spec["file_name"],
        spec["parsed_at"],
        spec["parser_version"],
        spec["filing_key"],
        spec["version"],
    )
    rows["filings"][0]["sidecar_sha256"] = spec["sidecar_sha256"]
    return encode(rows)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# Files a transaction of the loader takes: memory holds one chunk's rows, not a backfill's.
LOAD_CHUNK = 500


def load_records(
    con: duckdb.DuckDBPyConnection, filing_ids: Sequence[str], files: Sequence[Path]
) -> dict[str, int]:
    """Replace every raw-table row of ``filing_ids`` with the rows of ``files`` (the same
    versions, in the same order): dbt sees each version complete or not at all, and loading
    the same files twice leaves the tables as they were. A transaction per ``LOAD_CHUNK``
    files. Returns the rows loaded per table."""
    ids, paths = list(filing_ids), list(files)
    if len(ids) != len(paths):
        raise ValueError("load_records: one file per filing version")
    counts: dict[str, int] = dict.fromkeys(RAW_TABLES, 0)
    for start in range(0, max(len(ids), 1), LOAD_CHUNK):
        chunk = _load_chunk(con, ids[start : start + LOAD_CHUNK], paths[start : start + LOAD_CHUNK])
        for name, rows in chunk.items():
            counts[name] += rows
    return counts


def _load_chunk(
    con: duckdb.DuckDBPyConnection, filing_ids: Sequence[str], files: Sequence[Path]
) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(RAW_TABLES, 0)
    listing = "[" + ", ".join(_literal(str(f)) for f in files) + "]"
    con.execute("BEGIN TRANSACTION")
    try:
        if files:
            # Each file read once; every table is then typed from the batch in memory.
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE record_batch AS SELECT * FROM read_parquet({listing})"
            )
        ids = list(filing_ids)
        for name, columns in RAW_TABLES.items():
            con.execute(
                f"DELETE FROM {RAW_SCHEMA}.{name} WHERE filing_id IN (SELECT unnest(?::VARCHAR[]))",
                [ids],
            )
            if not files:
                continue
            # Named columns: a build database made under an older contract has the columns
            # added since at its end, not where the contract lists them.
            target = ", ".join(f'"{c}"' for c, _ in columns)
            source = ", ".join(f'r."{c}"' for c, _ in columns)
            (loaded,) = con.execute(
                f"""
                INSERT INTO {RAW_SCHEMA}.{name} ({target})
                SELECT {source} FROM (
                    SELECT unnest(from_json("{name}", {_literal(_JSON_STRUCTURE[name])})) AS r
                    FROM record_batch
                )
                """
            ).fetchone()
            counts[name] = int(loaded)
        if files:
            con.execute("DROP TABLE record_batch")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return counts
