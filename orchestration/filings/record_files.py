"""Parsed records as immutable, content-addressed Parquet files: one file per parse.

Parsing is per filing and pure, so it runs on every core (and, deployed, on other machines);
the build database has one writer. Between the two, each parse writes its rows for every
raw table to one Parquet file, and one loader brings a batch of files into DuckDB in one
transaction. A file is named by a hash of everything its parse read (the parser version,
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
and types the 1,000 files in about 2 s, and a worker writes one in about 4 ms.
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

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.model import ParsedFiling

from ..names import RAW as RAW_SCHEMA
from .records import RAW_TABLES, filing_rows

if TYPE_CHECKING:
    import duckdb

RECORDS_ENV = "WAREHOUSE_RECORDS_DIR"

SCHEMA = pa.schema([pa.field(name, pa.string()) for name in RAW_TABLES])
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
    if "NaN" in text or "Infinity" in text:
        text = json.dumps(_finite(rows), default=_json_value, ensure_ascii=False)
    return text


def write_records(path: Path, rows: Mapping[str, list[dict[str, Any]]]) -> int:
    """Write one parse's rows to ``path`` (whole or not at all); returns its size in bytes.

    An existing file is left as it is: the name says what it holds.
    """
    if path.exists():
        return path.stat().st_size
    arrays = [pa.array([_table_json(list(rows.get(name, [])))]) for name in RAW_TABLES]
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        pq.write_table(pa.Table.from_arrays(arrays, schema=SCHEMA), temp)
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


def write_parsed(parsed: ParsedFiling, spec: Mapping[str, Any]) -> dict[str, int]:
    """Write a parsed filing's raw-table rows to the record file ``spec["path"]``; returns
    the rows per table. ``spec`` names the version: filing_id, file_name, filing_key,
    version, sidecar_sha256, parsed_at and parser_version."""
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
    write_records(Path(spec["path"]), rows)
    return {name: len(table_rows) for name, table_rows in rows.items()}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def load_records(
    con: duckdb.DuckDBPyConnection, filing_ids: Sequence[str], files: Sequence[Path]
) -> dict[str, int]:
    """Replace every raw-table row of ``filing_ids`` with the rows of ``files``, in one
    transaction: dbt sees each filing version complete or not at all, and loading the same
    files twice leaves the tables as they were. Returns the rows loaded per table."""
    counts: dict[str, int] = {name: 0 for name in RAW_TABLES}
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
