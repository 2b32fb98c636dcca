"""A signature of what the build database would publish now.

"Up to date" is a statement about content: the published file holds what the build database
would publish if asked now. File times cannot say that (a build killed before its publish, a
copied folder, a clock that moved), so each publish records this signature of its inputs,
and ``make run`` compares it with the build database's present one.

The inputs are the relations of the published schemas and the pipeline's own records that
the published audit tables are made from (check verdicts, dbt results). Each table counts by
its rows and an order-free sum of their hashes; each view by its SQL.
"""

from __future__ import annotations

import hashlib

import duckdb

from ..names import ORCHESTRATION, PUBLICATIONS_TABLE, PUBLISHED_SCHEMAS

# The pipeline's records that are not publish inputs: the publications themselves, which
# each publish appends to after taking the signature.
_NOT_INPUTS = {PUBLICATIONS_TABLE}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def build_signature(con: duckdb.DuckDBPyConnection, database: str | None = None) -> str:
    """The signature of the publish inputs in ``database`` (the connection's current one by
    default): equal signatures, equal published content."""
    db = database or con.execute("SELECT current_database()").fetchone()[0]
    schemas = [*PUBLISHED_SCHEMAS, ORCHESTRATION]
    marks = ", ".join("?" for _ in schemas)
    tables = con.execute(
        f"SELECT schema_name, table_name FROM duckdb_tables()"
        f" WHERE database_name = ? AND schema_name IN ({marks}) ORDER BY 1, 2",
        [db, *schemas],
    ).fetchall()
    views = con.execute(
        f"SELECT schema_name, view_name, sql FROM duckdb_views()"
        f" WHERE database_name = ? AND NOT internal AND schema_name IN ({marks}) ORDER BY 1, 2",
        [db, *schemas],
    ).fetchall()
    digest = hashlib.sha256()
    for schema, table in tables:
        if f"{schema}.{table}" in _NOT_INPUTS:
            continue
        relation = f"{_quote(db)}.{_quote(schema)}.{_quote(table)}"
        rows, total = con.execute(
            f"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM {relation} t"
        ).fetchone()
        digest.update(f"table {schema}.{table} {rows} {total}\n".encode())
    for schema, view, sql in views:
        digest.update(f"view {schema}.{view} {sql}\n".encode())
    return digest.hexdigest()
