"""Filing assets: the raw store of original bytes and the parsed raw tables dbt reads."""

from typing import Any

import dagster as dg

from ..database import utc_now
from ..partitions import filings_partitions
from ..resources import BUILD_DB_POOL, WarehouseConfig
from . import inbox, store
from .parse_process import ParseProcess
from .parsing import parse_version, parser_version
from .records import RAW_FILES_TABLE, RAW_TABLES

GROUP = "filings"
RAW_FILES_KEY = dg.AssetKey([store.RAW_SCHEMA, RAW_FILES_TABLE])

RAW_TABLE_DESCRIPTIONS = {
    "filings": "One row per filing version: metadata, status (parsed or failed) and error.",
    "tables": "Every table found in a filing, with its resolved columns.",
    "table_cells": "Every cell of every table, as printed and as a number.",
    "facts": "Financial line items per period, in the documented sign convention.",
    "properties": "Mineral properties and projects named in a filing.",
    "property_royalties": "Royalties on each property.",
    "property_expenditures": "Expenditures reported per property.",
    "estimates": "Reserve and resource estimate lines.",
    "estimate_grades": "Grades and contained metal of each estimate line.",
    "economics": "Study economics: NPV, IRR, capex, prices, per scenario.",
    "narrative_facts": "Numbers stated in prose, with the sentence they come from.",
    "operating_results": "A producer's operating figures (ore, grade, recovery, metal, unit costs), "
    "from tables and prose.",
    "issues": "What the parser saw but could not interpret, with its line.",
    "equivalence_terms": "Stated equivalent-grade formulas (CuEq...), one row per term.",
    "footings": "Every printed total with the sum of its components and the tolerance.",
}


def raw_table_key(name: str) -> dg.AssetKey:
    """The asset key of a raw table: ``["raw", name]``, as the dbt sources reference it."""
    return dg.AssetKey([store.RAW_SCHEMA, name])


@dg.asset(
    key=RAW_FILES_KEY,
    partitions_def=filings_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=BUILD_DB_POOL,
    group_name=GROUP,
    kinds={"duckdb"},
)
def raw_files(
    context: dg.AssetExecutionContext, warehouse: WarehouseConfig
) -> dg.MaterializeResult:
    """The original bytes of every filing version seen in the inbox, with sha256, name and time.

    Append-only: nothing dropped into the inbox is ever lost, re-ingesting an unchanged file
    adds nothing, and a copy under another name is recorded as another name of the same
    version. The sidecars written beside filings are kept the same way, in raw_sidecars.
    Only regular files are read; a file gone before it could be read is named in ``skipped``.
    A file modified within the settle time (``INBOX_SETTLE_SECONDS``) is left for a later run.
    """
    keys = set(context.partition_keys)
    # With the settle time, as the sensor scans: a file written again since the sensor
    # looked (or one the sensor did not ask for, of a filing in this run) may be half copied.
    files = inbox.scan(
        warehouse.inbox_path(), settle_seconds=warehouse.inbox_settle_seconds()
    ).files
    with warehouse.build_connection() as con:
        store.ensure_raw_schema(con)
        changes, _ = inbox.plan(files, store.known_filings(con))
        mine = [c for c in changes if c.filing_key in keys]
        added, skipped = store.append_raw_files(con, mine, utc_now())
        stored = store.stored_filing_keys(con, keys)
        total_rows, total_bytes = con.execute(
            f"SELECT count(*), coalesce(sum(size_bytes), 0) FROM {store.RAW_SCHEMA}.{RAW_FILES_TABLE}"
        ).fetchone()
    # A filing the sensor saw whose file was gone before this run's scan: the name it had is
    # the sensor's to tell (``make run`` does); only its key is known here.
    gone = keys - stored - {c.filing_key for c in mine}
    skipped += [inbox.disappeared(f"the file of filing {k}") for k in sorted(gone)]
    for message in skipped:
        context.log.warning(message)
    unplanned = sorted(k for k in keys if not any(c.filing_key == k for c in mine))
    context.log.info(f"raw store: {added} new file version(s)/name(s) for {len(keys)} filing(s)")
    return dg.MaterializeResult(
        metadata={
            "added_rows": added,
            "changes": [f"{c.kind}: {c.file.name} -> {c.filing_key} v{c.version}" for c in mine]
            or ["none"],
            "filings_without_changes": len(unplanned),
            "skipped": skipped,
            "dagster/row_count": int(total_rows),
            "stored_bytes": int(total_bytes),
        }
    )


@dg.multi_asset(
    name="parsed_filings",
    specs=[
        dg.AssetSpec(
            raw_table_key(name),
            deps=[RAW_FILES_KEY],
            description=RAW_TABLE_DESCRIPTIONS.get(name, f"Raw table {name}."),
            skippable=True,
            group_name=GROUP,
            kinds={"duckdb"},
            partitions_def=filings_partitions,
        )
        for name in RAW_TABLES
    ],
    partitions_def=filings_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=BUILD_DB_POOL,
    code_version=parser_version(),
)
def parsed_filings(context: dg.AssetExecutionContext, warehouse: WarehouseConfig):
    """Parse each stored version of the partition's filings into the raw tables.

    Idempotent per filing version: a version already parsed by this parser is left alone,
    and a re-parse replaces its rows as a unit. A filing whose parse fails is recorded with
    status 'failed' and its error (a parse over ``WAREHOUSE_PARSE_MEMORY_MB`` or
    ``WAREHOUSE_PARSE_TIMEOUT_SECONDS`` included); the others go on. Nothing changed means no new
    materialization, so dbt and publishing are not triggered for nothing.
    """
    keys = sorted(set(context.partition_keys))
    pv = parser_version()
    with warehouse.build_connection() as con:
        store.ensure_raw_schema(con)
        versions = store.versions_of(con, keys)
        done = store.parsed_versions(con, [v["content_sha256"] for v in versions])
        sidecars = {
            v["content_sha256"]: store.sidecar_of(con, v["content_sha256"]) for v in versions
        }
        # A version is read again when the parser changed or its sidecar did.
        todo = [
            v
            for v in versions
            if done.get(v["content_sha256"])
            != (pv, (sidecars[v["content_sha256"]] or (None, None, None))[2])
        ]
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in RAW_TABLES}
        failures: list[str] = []
        parsed_at = utc_now()
        # One parsing process for the run's filings, under the memory and time limits.
        with ParseProcess() as parser:
            for v in todo:
                content = store.content_of(con, v["content_sha256"])
                version_rows, error = parse_version(
                    content,
                    v["content_sha256"],
                    v["file_name"],
                    v["filing_key"],
                    v["version"],
                    parsed_at,
                    sidecars[v["content_sha256"]],
                    parser=parser,
                )
                if error:
                    failures.append(error)
                    context.log.warning(f"{v['file_name']}: recorded as failed: {error}")
                for name, table_rows in version_rows.items():
                    rows[name].extend(table_rows)
        if not todo:
            context.log.info(f"{len(versions)} version(s) already parsed by parser {pv}")
            return
        counts = store.replace_filings(con, [v["content_sha256"] for v in todo], rows)
    summary = {
        "versions_parsed": len(todo),
        "versions_failed": len(failures),
        "parser_version": pv,
    }
    for name in RAW_TABLES:
        metadata: dict[str, Any] = {**summary, "rows_written": counts.get(name, 0)}
        if name == "filings" and failures:
            metadata["errors"] = failures[:20]
        yield dg.MaterializeResult(asset_key=raw_table_key(name), metadata=metadata)
