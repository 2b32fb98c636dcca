"""Filing assets: the raw store of original bytes and the parsed raw tables dbt reads."""

import time
from pathlib import Path
from typing import Any

import dagster as dg

from ..database import utc_now
from ..partitions import filings_partitions
from ..resources import BUILD_DB_POOL, WarehouseConfig
from . import inbox, parsing, record_files, store
from .parse_process import ParseProcess
from .parsing import parse_to_file, parser_version
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
            # The run's first changes: every partition of the run records this metadata, so
            # the whole list would cost the event log its length times the partitions.
            "changes": [
                f"{c.kind}: {c.file.name} -> {c.filing_key} v{c.version}" for c in mine[:20]
            ]
            or ["none"],
            "changes_count": len(mine),
            "filings_without_changes": len(unplanned),
            "skipped": skipped[:20],
            "dagster/row_count": int(total_rows),
            "stored_bytes": int(total_bytes),
        }
    )


RECORDS_KEY = dg.AssetKey(["records", "filing_records"])


def _pending(con: Any, records_dir: Path) -> tuple[list[parsing.ParseTask], int]:
    """The stored versions that the raw tables do not hold as this parser reads them (a new
    version, a changed parser or a changed sidecar), and how many versions are stored."""
    pv = parser_version()
    versions = store.versions_of(con, None)
    shas = [v["content_sha256"] for v in versions]
    done = store.parsed_versions(con, shas)
    sidecars = store.sidecars_of(con, shas)
    tasks = []
    for v in versions:
        sidecar = sidecars[v["content_sha256"]]
        if done.get(v["content_sha256"]) == (pv, (sidecar or (None, None, None))[2]):
            continue
        tasks.append(
            parsing.parse_task(
                records_dir,
                v["content_sha256"],
                v["file_name"],
                v["filing_key"],
                v["version"],
                sidecar,
            )
        )
    return tasks, len(versions)


class ParseShard(dg.Config):
    """Which share of the pending versions a run parses: those whose sha256, as a number,
    is ``shard`` modulo ``shards``. One machine parses them all (0 of 1); past one machine,
    ``shards`` runs, each in its own pod, share them without coordination."""

    shard: int = 0
    shards: int = 1


@dg.asset(
    key=RECORDS_KEY,
    deps=[RAW_FILES_KEY],
    pool=BUILD_DB_POOL,
    group_name=GROUP,
    kinds={"parquet"},
    code_version=parser_version(),
)
def filing_records(
    context: dg.AssetExecutionContext, warehouse: WarehouseConfig, config: ParseShard
) -> dg.MaterializeResult:
    """Every stored filing version not yet parsed by this parser, parsed into its record file.

    The parses run ``WAREHOUSE_PARSE_WORKERS`` at a time (default: every core), each in a
    child process under the memory and time limits. Each writes one immutable Parquet file,
    named by a hash of everything the parse read, under ``WAREHOUSE_RECORDS_DIR`` (default
    ``records/`` beside the build database); a version whose file exists is not parsed
    again, so a run that stopped mid-batch resumes where it stopped. A parse that fails
    writes the version as failed, with its error. Nothing is written to the build database:
    ``parsed_filings`` loads the files.

    A batch step, not partitioned by filing (``raw/raw_files`` is): Dagster records two
    events per partition and asset, some 20 s per 1,000 filings on its SQLite storage, which
    made a third of a 1,000-filing backfill. The per-filing outcome is in ``raw.filings``
    (status, error) and in this step's metadata.
    """
    if not 0 <= config.shard < config.shards:
        raise dg.Failure(f"parse shard {config.shard} of {config.shards} does not exist")
    records_dir = warehouse.records_path()
    started = time.monotonic()
    with warehouse.build_connection() as con:
        store.ensure_raw_schema(con)
        tasks, total = _pending(con, records_dir)
        if config.shards > 1:
            tasks = [t for t in tasks if int(t.filing_id, 16) % config.shards == config.shard]
        reused = sum(1 for t in tasks if t.path.exists())
        workers = min(parsing.parse_workers(), max(1, len(tasks) - reused))
        # The worker threads read the bytes one at a time, through their own cursor.
        cursor = con.cursor()
        try:
            errors = parsing.parse_all(
                tasks,
                lambda sha: store.content_of(cursor, sha),
                utc_now(),
                workers=workers,
                parse=parse_to_file,
                new_process=ParseProcess,
            )
        finally:
            cursor.close()
    for sha, error in sorted(errors.items()):
        name = next(t.file_name for t in tasks if t.filing_id == sha)
        context.log.warning(f"{name}: recorded as failed: {error}")
    seconds = time.monotonic() - started
    context.log.info(
        f"{len(tasks) - reused} version(s) parsed by {workers} worker(s) in {seconds:.1f} s,"
        f" {reused} record file(s) already written, {total - len(tasks)} already loaded"
    )
    return dg.MaterializeResult(
        metadata={
            "versions_parsed": len(tasks) - reused,
            "versions_failed": len(errors),
            "record_files_reused": reused,
            "workers": workers,
            "parse_seconds": round(seconds, 3),
            "records_dir": str(records_dir),
            "parser_version": parser_version(),
            **({"errors": sorted(errors.values())[:20]} if errors else {}),
        }
    )


@dg.multi_asset(
    name="parsed_filings",
    specs=[
        dg.AssetSpec(
            raw_table_key(name),
            deps=[RECORDS_KEY],
            description=RAW_TABLE_DESCRIPTIONS.get(name, f"Raw table {name}."),
            skippable=True,
            group_name=GROUP,
            kinds={"duckdb"},
        )
        for name in RAW_TABLES
    ],
    pool=BUILD_DB_POOL,
    code_version=parser_version(),
)
def parsed_filings(context: dg.AssetExecutionContext, warehouse: WarehouseConfig):
    """The single loader: every record file not yet in the raw tables, loaded into them.

    Not partitioned: it loads whatever the parses of any run wrote and the raw tables do not
    hold (one batch, whatever the filings), and a partitioned materialization per filing
    and raw table would cost the event log some fifteen events a filing. One transaction
    for the batch: a re-parsed version's rows are replaced as a unit, so dbt sees each
    version complete or not at all, and loading twice changes nothing. A version whose
    record file is missing (its parse did not run) is left for a later run. Nothing loaded
    means no new materialization, so dbt and publishing are not triggered for nothing.
    """
    records_dir = warehouse.records_path()
    with warehouse.build_connection() as con:
        store.ensure_raw_schema(con)
        tasks, total = _pending(con, records_dir)
        ready = [t for t in tasks if t.path.exists()]
        waiting = [t.file_name for t in tasks if not t.path.exists()]
        if waiting:
            # Parsed by a later run of their partitions (make run parses every such filing).
            context.log.info(
                f"{len(waiting)} version(s) not parsed yet, left for a later run: "
                + ", ".join(waiting[:5])
                + (", ..." if len(waiting) > 5 else "")
            )
        if not ready:
            context.log.info(f"{total} version(s) already loaded by parser {parser_version()}")
            return
        started = time.monotonic()
        ids = [t.filing_id for t in ready]
        counts = record_files.load_records(con, ids, [t.path for t in ready])
        failures = [
            error
            for (error,) in con.execute(
                f"SELECT error FROM {store.RAW_SCHEMA}.filings WHERE status = 'failed'"
                " AND filing_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY error",
                [ids],
            ).fetchall()
        ]
        seconds = time.monotonic() - started
    summary = {
        "versions_loaded": len(ready),
        "versions_failed": len(failures),
        "load_seconds": round(seconds, 3),
        "parser_version": parser_version(),
    }
    for name in RAW_TABLES:
        metadata: dict[str, Any] = {**summary, "rows_written": counts.get(name, 0)}
        if name == "filings" and failures:
            metadata["errors"] = failures[:20]
        yield dg.MaterializeResult(asset_key=raw_table_key(name), metadata=metadata)
