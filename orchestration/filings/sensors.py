"""The inbox sensor: new or changed filings become partitions and ingest runs."""

import hashlib
import json

import dagster as dg

from .. import paths
from ..partitions import filings_partitions, range_tags
from ..resources import WarehouseConfig
from . import inbox, store
from .assets import filing_records, parsed_filings, raw_files

ingest_job = dg.define_asset_job(
    "ingest_filings",
    # dbt source tests on the raw tables are asset checks too; they run with dbt, not here.
    selection=dg.AssetSelection.assets(raw_files, filing_records, parsed_filings).without_checks(),
    description="Store and parse the filings of the selected partitions.",
    # One process for the whole run: a step in a subprocess of its own would load the code
    # location again (seconds), and the build database has one writer anyway.
    executor_def=dg.in_process_executor,
)


def refused_in(cursor: str | None) -> list[str]:
    """What the inbox scan that wrote ``cursor`` refused to read, one message per entry."""
    return list(json.loads(cursor).get("refused", [])) if cursor else []


def waiting_in(cursor: str | None) -> list[str]:
    """The files the scan that wrote ``cursor`` left because they are still being written."""
    names = json.loads(cursor).get("waiting", []) if cursor else []
    return [inbox.still_being_written(name) for name in names]


def _cursor_state(cursor: str | None) -> tuple[inbox.KnownFilings, dict] | None:
    if not cursor:
        return None
    data = json.loads(cursor)
    known = inbox.KnownFilings.from_json(data.get("known", {}))
    # A cursor from an older release lacks what the planner needs now: start from the store.
    return None if known is None else (known, data.get("stat", {}))


def _bootstrap(warehouse: WarehouseConfig) -> inbox.KnownFilings:
    """Without a cursor, start from what the raw store already holds (e.g. after `make run`)."""
    return store.known_filings_if_any(warehouse.build_db_path(), wait_seconds=0)


def evaluate_inbox(
    cursor: str | None, warehouse: WarehouseConfig, existing_partitions: set[str]
) -> dg.SensorResult | dg.SkipReason:
    """The sensor's decision, separate from Dagster's context so the CLI can use it too.

    New filings become partitions and share one run (a partition range, which the
    single-run backfill policy executes in one process); a new version or another name of a
    known filing gets a run of its own partition.
    """
    state = _cursor_state(cursor)
    if state is None:
        try:
            known, stat = _bootstrap(warehouse), {}
        except Exception as exc:  # the build database is busy: a run holds it
            return dg.SkipReason(f"build database not readable yet ({exc}); retrying next tick")
    else:
        known, stat = state
    try:
        found = inbox.scan(
            warehouse.inbox_path(),
            settle_seconds=warehouse.inbox_settle_seconds(),
            cache={k: tuple(v) for k, v in stat.items()},
        )
    except FileNotFoundError as exc:
        return dg.SkipReason(str(exc))
    files = found.files
    changes, after = inbox.plan(files, known)
    new_cursor = json.dumps(
        {
            "known": after.to_json(),
            "stat": {
                **{f.name: [f.size, f.mtime_ns, f.sha256] for f in files},
                **{name: list(st) for name, st in inbox.sidecar_stat(files).items()},
            },
            # Kept so that each refused entry is logged once, not on every tick, and so that
            # `make run` can name them in its summary.
            "refused": [r.message for r in found.refused],
            "waiting": found.waiting,
        },
        sort_keys=True,
    )
    if not changes:
        return dg.SensorResult(run_requests=[], cursor=new_cursor)

    # Every filing without a partition gets one, whatever its change: a fresh Dagster
    # instance (or --ephemeral) knows no partitions for filings the raw store already has.
    new_keys: list[str] = []
    for c in changes:
        if c.filing_key not in existing_partitions and c.filing_key not in new_keys:
            new_keys.append(c.filing_key)
    requests: list[dg.RunRequest] = []
    if new_keys:
        digest = hashlib.sha256("\n".join(new_keys).encode()).hexdigest()[:16]
        if len(new_keys) == 1:
            requests.append(dg.RunRequest(run_key=f"new:{digest}", partition_key=new_keys[0]))
        else:
            requests.append(
                dg.RunRequest(
                    run_key=f"new:{digest}",
                    tags=range_tags(new_keys[0], new_keys[-1]),
                )
            )
    by_key: dict[str, list[inbox.Change]] = {}
    for c in changes:
        if c.filing_key not in new_keys:
            by_key.setdefault(c.filing_key, []).append(c)
    for key, key_changes in by_key.items():
        # The version is part of the run key: content put back (a, b, a, b) repeats names
        # and hashes, and the daemon never launches a run key twice.
        # So is the sidecar's hash: each edit of a sidecar must get a run of its own.
        ident = ",".join(
            f"{c.file.sha256[:16]}:{c.file.name}:v{c.version}:{c.file.sidecar_sha256 or ''}"
            for c in key_changes
        )
        requests.append(
            dg.RunRequest(
                run_key=f"{key}:{hashlib.sha256(ident.encode()).hexdigest()[:16]}",
                partition_key=key,
                tags={"filing/change": ",".join(sorted({c.kind for c in key_changes}))},
            )
        )
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[filings_partitions.build_add_request(new_keys)]
        if new_keys
        else [],
        cursor=new_cursor,
    )


def build_inbox_sensor() -> dg.SensorDefinition:
    """The inbox sensor, evaluated every ``WAREHOUSE_SENSOR_INTERVAL_SECONDS`` (default 5)."""

    @dg.sensor(
        name="inbox_sensor",
        job=ingest_job,
        minimum_interval_seconds=paths.sensor_interval_seconds(),
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Watches the inbox: new or changed filings (PDF, HTML, text; by content"
        " hash) and their sidecars are ingested.",
    )
    def inbox_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseConfig):
        """New files become filing partitions; changed files become new versions of theirs.

        An entry the inbox refuses (a link, a device, a pipe) is named in this log once.
        """
        existing = set(context.instance.get_dynamic_partitions(filings_partitions.name))
        result = evaluate_inbox(context.cursor, warehouse, existing)
        if isinstance(result, dg.SensorResult):
            told = set(refused_in(context.cursor))
            for message in refused_in(result.cursor):
                if message not in told:
                    context.log.warning(message)
        return result

    return inbox_sensor
