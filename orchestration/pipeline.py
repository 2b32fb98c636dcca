"""The whole pipeline in one process, without the Dagster daemon: what ``make run`` does.

It evaluates the inbox sensor, registers the partitions it asks for, and executes the same
jobs the UI shows, in process, against a persistent or ephemeral Dagster instance.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb

from .database import connect
from .filings import store
from .filings.inbox import KnownFilings, disappeared, settle_wait, still_being_written
from .filings.parsing import parser_version
from .filings.records import RAW_FILES_TABLE
from .filings.sensors import refused_in, waiting_in
from .gate import PUBLISH_WITHHELD, publish_blocker
from .names import MARTS, RAW
from .partitions import filings_partitions, range_of, range_tags
from .publish.assets import EXPORTS_KEY, PUBLISHED_KEY
from .publish.exports import out_of_date
from .publish.publisher import published_file_changes
from .recovery import recover_dead_runs, run_tags
from .resources import WarehouseConfig
from .schedules import EXPORT_JOB, REFRESH_JOB
from .storage import NO_SPACE, no_space_message, path_in

INGEST_JOB = "ingest_filings"
SENSOR = "inbox_sensor"


class RunInterrupted(KeyboardInterrupt):
    """A Dagster run stopped by SIGINT or SIGTERM: Dagster takes both signals while it
    executes and fails the run, so the pipeline stops here rather than going on."""


def _stop_if_interrupted(run: dg.ExecuteInProcessResult) -> None:
    for event in run.all_events:
        error = getattr(event.event_specific_data, "error", None)
        if error is not None and error.cls_name == "DagsterExecutionInterruptedError":
            raise RunInterrupted(run.run_id)


@dataclass
class PipelineReport:
    """What one pipeline run did."""

    new_partitions: list[str] = field(default_factory=list)
    ingested_partitions: list[str] = field(default_factory=list)
    reparsed_partitions: list[str] = field(default_factory=list)  # parser changed since
    ingest_runs: int = 0
    # Filings the sensor saw whose file was gone before the run could read it: not ingested.
    skipped_partitions: list[str] = field(default_factory=list)
    # Files in the inbox that were not read, and why: refused (not a regular file) or skipped.
    inbox_issues: list[str] = field(default_factory=list)
    # Runs a killed process left unfinished, marked failed so they hold no slot.
    recovered_runs: list[str] = field(default_factory=list)
    refreshed: bool = False
    withheld: str | None = None  # why dbt's build was not published, when it was not
    republish_reason: str | None = None  # why an up-to-date build was published again
    failed_runs: list[str] = field(default_factory=list)
    # A failed run whose cause fits one line (a full disk), keyed by its ``failed_runs`` entry.
    run_errors: dict[str, str] = field(default_factory=dict)
    publish_failed: str | None = None  # how the publish step failed, when it ran and failed
    exports_failed: str | None = None  # how writing the Excel workbooks failed, in one line
    exports_rewritten: str | None = None  # why the workbooks were written without a publish
    seconds: dict[str, float] = field(default_factory=dict)


def _store_cursor(build_db: Path) -> str:
    """A sensor cursor that says exactly what the raw store holds (the source of truth)."""
    known = store.known_filings_if_any(build_db)
    return json.dumps({"known": known.to_json(), "stat": {}})


def _stale_partitions(build_db: Path) -> set[str]:
    """Filings with a version not yet parsed by the current parser."""
    if not build_db.exists():
        return set()
    with connect(build_db, read_only=True) as con:
        if not store.has_raw_store(con):
            return set()
        return {
            r[0]
            for r in con.execute(
                f"""
                SELECT DISTINCT f.filing_key FROM {RAW}.{RAW_FILES_TABLE} f
                LEFT JOIN {RAW}.filings p ON p.filing_id = f.content_sha256
                WHERE p.filing_id IS NULL OR p.parser_version IS DISTINCT FROM ?
                """,
                [parser_version()],
            ).fetchall()
        }


def _ranges(keys: set[str], order: list[str]) -> list[tuple[str, str]]:
    """Contiguous runs of ``keys`` in partition order: one execution per range."""
    ranges: list[tuple[str, str]] = []
    start = prev = None
    for k in order:
        if k in keys:
            if start is None:
                start = k
            prev = k
        elif start is not None:
            ranges.append((start, prev))
            start = None
    if start is not None:
        ranges.append((start, prev))
    return ranges


def _keys_of(request: dg.RunRequest, order: list[str]) -> list[str]:
    if request.partition_key:
        return [request.partition_key]
    bounds = range_of(request.tags)
    if bounds is None or bounds[0] not in order or bounds[1] not in order:
        return []
    return order[order.index(bounds[0]) : order.index(bounds[1]) + 1]


def _register(instance: dg.DagsterInstance, keys: list[str]) -> list[str]:
    """Add the keys that are not partitions yet; returns those added, in order."""
    existing = set(instance.get_dynamic_partitions(filings_partitions.name))
    fresh = [k for k in dict.fromkeys(keys) if k not in existing]
    if fresh:
        instance.add_dynamic_partitions(filings_partitions.name, fresh)
    return fresh


def _withheld_reason(run: dg.ExecuteInProcessResult) -> str | None:
    for event in run.get_step_failure_events():
        data = event.step_failure_data.user_failure_data
        if data is not None and (data.description or "").startswith(PUBLISH_WITHHELD):
            return data.description[len(PUBLISH_WITHHELD) :].lstrip(": ")
    return None


# What each step is called in the one line that says it failed for lack of space.
_EXPORT_STEP = EXPORTS_KEY.to_python_identifier()
_STAGES = {
    PUBLISHED_KEY.to_python_identifier(): "publish",
    "dbt_models": "dbt build",
    _EXPORT_STEP: "Excel export",
}


def _error_text(error: object) -> str:
    """A Dagster error's message with those of the exceptions it was raised from."""
    parts, seen = [], 0
    while error is not None and seen < 20:
        parts.append(error.message)
        error, seen = error.cause or error.context, seen + 1
    return "\n".join(parts)


def _step_errors(run: dg.ExecuteInProcessResult, job_stage: str, build_db: Path) -> dict[str, str]:
    """step key -> one line for each failed step: the publish's own message, a full disk
    (``STAGE failed: no space left on MOUNT``), or the first line of the error."""
    errors: dict[str, str] = {}
    for event in run.get_step_failure_events():
        data = event.step_failure_data
        described = (data.user_failure_data.description or "") if data.user_failure_data else ""
        if described.startswith(PUBLISH_WITHHELD):
            continue  # not a failure: the gate said no, and _withheld_reason says why
        stage = _STAGES.get(event.step_key, job_stage)
        text = _error_text(data.error) if data.error else described
        if described.startswith(f"{stage} failed: "):
            errors[event.step_key] = described
        elif NO_SPACE in text:
            # DuckDB and Python name the file they could not write; dbt may not.
            named = path_in(text)
            where = named if named is not None and named.is_absolute() else build_db
            errors[event.step_key] = no_space_message(stage, where)
        else:
            first = (described or text).strip().splitlines() or ["unknown error"]
            errors[event.step_key] = f"{stage} failed: {first[0]}"
    return errors


def _explained(errors: dict[str, str]) -> str | None:
    """The one line a failed run is told by, when its cause fits one: a full disk, or the
    workbooks (whose message names the file) when nothing else failed."""
    full = [e for e in errors.values() if "failed: no space left on " in e]
    if full:
        return full[0]
    return errors[_EXPORT_STEP] if set(errors) == {_EXPORT_STEP} else None


def _export_seconds(run: dg.ExecuteInProcessResult) -> float | None:
    for event in run.get_asset_materialization_events():
        if event.asset_key == EXPORTS_KEY:
            seconds = event.materialization.metadata.get("export_seconds")
            return seconds.value if seconds is not None else None
    return None


def _write_exports_if_stale(
    instance: dg.DagsterInstance,
    defs: dg.Definitions,
    warehouse: WarehouseConfig,
    report: PipelineReport,
    loggers: dict,
) -> None:
    """The workbooks of an unchanged published file, when ``exports/`` does not show it
    (deleted, or its last export failed): the publish that would write them does not run."""
    reason = out_of_date(warehouse.warehouse_path())
    if reason is None:
        return
    run = defs.resolve_job_def(EXPORT_JOB).execute_in_process(
        instance=instance, tags=run_tags(), run_config=loggers, raise_on_error=False
    )
    _stop_if_interrupted(run)
    report.exports_rewritten = reason
    report.seconds["excel"] = _export_seconds(run) or 0.0
    if not run.success:
        failed = f"{EXPORT_JOB} (run {run.run_id})"
        report.failed_runs.append(failed)
        errors = _step_errors(run, "Excel export", warehouse.build_db_path())
        report.exports_failed = errors.get(_EXPORT_STEP)
        explained = _explained(errors)
        if explained:
            report.run_errors[failed] = explained


def _published(run: dg.ExecuteInProcessResult) -> bool:
    return any(e.asset_key == PUBLISHED_KEY for e in run.get_asset_materialization_events())


def _gate_reason(build_db: Path) -> str:
    # Dagster skips the publish step after a failed blocking check, without a failure event.
    with connect(build_db, read_only=True) as con:
        return publish_blocker(con) or "the publish step did not run"


def _vanished(build_db: Path, keys: list[str]) -> set[str]:
    """Those of ``keys`` with nothing in the raw store after their ingest run."""
    if not keys or not build_db.exists():
        return set(keys)
    with connect(build_db, read_only=True) as con:
        if not store.has_raw_store(con):
            return set(keys)
        return set(keys) - store.stored_filing_keys(con, keys)


def ingest_inbox(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    warehouse: WarehouseConfig,
    log_level: str = "WARNING",
) -> PipelineReport:
    """Sensor -> partitions -> ingest (raw + parsed): the first half of ``run_pipeline``.

    Files the sensor refused, files still being written (modified within the settle time,
    and again while the run waited for them), and new filings whose file was gone before the
    run read it, are reported in ``inbox_issues`` and not counted as ingested.
    """
    # First, so a dead run's slot does not keep this run waiting for it forever.
    report = PipelineReport(recovered_runs=[r.message for r in recover_dead_runs(instance)])
    loggers = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    build_db = warehouse.build_db_path()
    t0 = time.monotonic()
    # The user asked for this run: rather than skip files modified within the settle time,
    # as the sensor does, wait (no longer than that time) for them to settle. A file written
    # during the wait is still being copied; the scan leaves it for the next run.
    settle = warehouse.inbox_settle_seconds()
    time.sleep(settle_wait(warehouse.inbox_path(), settle))
    now_warehouse = WarehouseConfig(
        inbox_dir=str(warehouse.inbox_path()),
        build_db=str(build_db),
        warehouse_dir=str(warehouse.warehouse_path()),
        settle_seconds=settle,
        dbt_target_dir=warehouse.dbt_target_dir,
    )
    sensor = defs.get_sensor_def(SENSOR)
    context = dg.build_sensor_context(
        instance=instance,
        cursor=_store_cursor(build_db),
        definitions=defs,
        resources={"warehouse": now_warehouse},
    )
    result = sensor(context)
    if isinstance(result, dg.SkipReason):
        raise RuntimeError(result.skip_message)
    report.inbox_issues = refused_in(result.cursor) + waiting_in(result.cursor)
    for request in result.dynamic_partitions_requests or []:
        report.new_partitions += _register(instance, list(request.partition_keys))
    order = list(instance.get_dynamic_partitions(filings_partitions.name))
    wanted: set[str] = set()
    for request in result.run_requests or []:
        wanted.update(_keys_of(request, order))
    # Stored but not parsed by this parser; such a filing may have no partition yet (a fresh
    # or ephemeral instance): register it, or it would never be parsed again.
    stale = _stale_partitions(build_db) - wanted
    report.new_partitions += _register(instance, sorted(stale))
    order = list(instance.get_dynamic_partitions(filings_partitions.name))
    report.reparsed_partitions = sorted(stale)
    sensed = set(wanted)
    wanted |= stale
    report.seconds["sensor"] = time.monotonic() - t0

    t1 = time.monotonic()
    ingest = defs.resolve_job_def(INGEST_JOB)
    ingested: list[str] = []
    for first, last in _ranges(wanted, order):
        run = ingest.execute_in_process(
            instance=instance,
            tags={**range_tags(first, last), **run_tags()},
            run_config=loggers,
            raise_on_error=False,
        )
        _stop_if_interrupted(run)
        report.ingest_runs += 1
        if run.success:
            ingested += order[order.index(first) : order.index(last) + 1]
        else:
            failed = f"{INGEST_JOB} {first}..{last} (run {run.run_id})"
            report.failed_runs.append(failed)
            explained = _explained(_step_errors(run, "ingest", build_db))
            if explained:
                report.run_errors[failed] = explained
    # A filing the sensor saw and the run found no file for: its file was deleted (or
    # renamed) in between. Named as the sensor saw it; the run only knew its key.
    gone = _vanished(build_db, sorted(k for k in ingested if k in sensed))
    names = KnownFilings.from_json(json.loads(result.cursor)["known"]).names
    inbox_dir = warehouse.inbox_path()
    report.inbox_issues += [
        # Still there: written again since the sensor looked, so the run left it to settle.
        still_being_written(name) if (inbox_dir / name).exists() else disappeared(name)
        for name, key in sorted(names.items())
        if key in gone
    ]
    report.skipped_partitions = sorted(gone)
    report.ingested_partitions = sorted(k for k in ingested if k not in gone)
    report.seconds["ingest"] = time.monotonic() - t1
    return report


def format_ingest(report: PipelineReport) -> list[str]:
    """What ``make run`` prints about the inbox: new filings, what was ingested, and each
    file not read with why."""
    lines = [f"Recovered: {message}" for message in report.recovered_runs]
    new = [k for k in report.new_partitions if k not in report.skipped_partitions]
    if new:
        lines.append(f"New filings: {len(new)} ({', '.join(new)})")
    if report.ingested_partitions:
        lines.append(
            f"Ingested {len(report.ingested_partitions)} filing(s) in {report.ingest_runs} run(s)"
        )
        if report.reparsed_partitions:
            lines.append(
                f"  of which {len(report.reparsed_partitions)} stored earlier and not yet parsed"
                " by this parser version (the parser changed, or a run stopped before parsing)"
            )
    else:
        lines.append("No new or changed filings in the inbox.")
    if report.inbox_issues:
        lines.append(f"Not read from the inbox: {len(report.inbox_issues)}")
        lines += [f"  {issue}" for issue in report.inbox_issues]
    return lines


def _unpublished_parses(build_db: Path, published: Path) -> bool:
    """Whether a filing's latest parse is not in the published file: a run that stopped
    between ingest and publish (killed, or ``make dev`` stopped) left it unpublished.

    By content: each parse (filing, parsed_at) in the raw store against the published
    ``dim_filing``, which holds every parsed filing version, quarantined ones included.
    """
    if not build_db.exists() or not published.exists():
        return False
    with connect(build_db, read_only=True) as con:
        if not store.has_raw_store(con):
            return False
        parses = set(con.execute(f"SELECT filing_id, parsed_at FROM {RAW}.filings").fetchall())
    try:
        with connect(published, read_only=True) as con:
            shown = set(
                con.execute(f"SELECT filing_id, parsed_at FROM {MARTS}.dim_filing").fetchall()
            )
    except duckdb.Error:
        return True  # not a file this pipeline finished writing
    return bool(parses - shown)


def run_pipeline(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    warehouse: WarehouseConfig,
    full_refresh: bool = False,
    force: bool = False,
    log_level: str = "WARNING",
) -> PipelineReport:
    """Sensor -> partitions -> ingest (raw + parsed) -> dbt build -> publish.

    Nothing new in the inbox and an up-to-date published file: nothing runs, nothing changes.
    """
    report = ingest_inbox(defs, instance, warehouse, log_level)
    loggers = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    build_db = warehouse.build_db_path()
    ingested = report.ingested_partitions

    published = warehouse.published_path()
    stale_publish = not published.exists() or _unpublished_parses(build_db, published)
    if not (ingested or force or full_refresh or stale_publish):
        # Nothing new parsed; "up to date" still means by content: the published file is the
        # one the last publish wrote, and that publish took the build database as it is now.
        report.republish_reason = published_file_changes(build_db, published)
    if ingested or force or full_refresh or stale_publish or report.republish_reason:
        t2 = time.monotonic()
        refresh = defs.resolve_job_def(REFRESH_JOB)
        run_config = {
            "ops": {"dbt_models": {"config": {"full_refresh": full_refresh}}},
            **loggers,
        }
        run = refresh.execute_in_process(
            instance=instance, run_config=run_config, tags=run_tags(), raise_on_error=False
        )
        _stop_if_interrupted(run)
        report.refreshed = True
        errors = _step_errors(run, "build", build_db)
        # The publish ran and failed: it was not withheld, and the gate has nothing to say.
        report.publish_failed = errors.get(PUBLISHED_KEY.to_python_identifier())
        report.exports_failed = errors.get(_EXPORT_STEP)
        if not _published(run) and not report.publish_failed:
            report.withheld = _withheld_reason(run) or _gate_reason(build_db)
        if not run.success:
            failed = f"{REFRESH_JOB} (run {run.run_id})"
            report.failed_runs.append(failed)
            explained = _explained(errors)
            if explained:
                report.run_errors[failed] = explained
        report.seconds["dbt_and_publish"] = time.monotonic() - t2
        exported = _export_seconds(run)
        if exported is not None:
            report.seconds["excel"] = exported  # part of dbt_and_publish
    # Not after a failed publish: its cause (a full disk) would fail the workbooks too.
    if published.exists() and not (report.publish_failed or report.exports_failed):
        _write_exports_if_stale(instance, defs, warehouse, report, loggers)
    return report
