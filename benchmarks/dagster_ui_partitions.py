"""Does Dagster's UI stay usable with many filing partitions? Seeds an instance and measures.

    cd /work/ui-partitions
    PYTHONPATH=$PWD .venv/bin/python benchmarks/dagster_ui_partitions.py \\
        [--partitions 10000 [1000 ...]] [--out build/bench/dagster-partitions-10000.png] \\
        [--no-sensors] [--keep]

For each N: a throwaway DAGSTER_HOME with the project's dagster.yaml (sqlite storage, the
default users run on) gets N partitions of ``filings_partitions`` with keys the inbox would
make from plausible file names, materializations of ``raw/raw_files`` for most of them, a
failed ingest run holding a few and a running one holding a few more (the rest stay missing,
as filings that arrived but were not ingested yet). Then ``dagster-webserver`` is started on
that home, and headless Chromium (/usr/bin/chromium, through Playwright) times, as the median
of three loads each: the asset's partitions page until the partition count and the state
counts are on screen, the asset's overview until its status is, one partition's page opened
by link until its materialization is, selecting a partition in the list, and the
"Materialize" dialog selecting the failed and missing partitions. (Dagster 1.13 draws no
status bar on the partitions page of dynamic partitions, only of time partitions: the
counts per state beside "N Partitions Selected" and a dot per row of the list are the
status.) The GraphQL API must report N partitions and the seeded states, so a page that
renders nothing cannot pass. The webserver's and its code server's resident memory are read
from /proc. Unless
``--no-sensors``, one tick of each sensor that reads the partitions (the inbox sensor, the
automation sensor of the dbt models downstream) is then timed on the same instance.

Screenshots: ``--out`` is the partitions page with one partition selected; ``-overview`` and
``-materialize`` beside it; with several N, ``-10000`` in the name becomes ``-N``. The
webserver is stopped and every temporary folder removed at the end, error or not.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Dagster's notes on beta parameters and deprecations of the project's definitions are not
# what this measures; they would bury the figures.
warnings.filterwarnings("ignore", message=".*(beta|get_sensor_def).*")

import dagster as dg  # noqa: E402
from dagster._core.events import (  # noqa: E402
    AssetMaterializationPlannedData,
    DagsterEvent,
)

from orchestration.filings.assets import RAW_FILES_KEY  # noqa: E402
from orchestration.filings.inbox import filing_key_for_name  # noqa: E402
from orchestration.filings.sensors import ingest_job  # noqa: E402
from orchestration.instance import DAGSTER_YAML  # noqa: E402
from orchestration.partitions import filings_partitions, range_tags  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
DEFAULT_OUT = ROOT / "build" / "bench" / "dagster-partitions-10000.png"
ASSET_PATH = "/".join(RAW_FILES_KEY.path)
# Shares of the partitions in each state, as a long-running inbox would have them: most
# filings ingested, a few whose run failed, a few in a run now, the newest not ingested yet.
FAILED_SHARE = 0.01
RUNNING_SHARE = 0.002
MISSING_SHARE = 0.05
# The inbox sensor adds the partitions of one tick's new files in one request; a bulk copy
# into the inbox makes large ticks, so registration goes in batches of this size.
REGISTER_BATCH = 500
LOADS = 3
# Past this a page is reported unusable; the wait itself goes on to PAGE_TIMEOUT_MS so the
# figure is known even then.
USABLE_S = 10.0
PAGE_TIMEOUT_MS = 120_000


# --- filing keys -------------------------------------------------------------------------

_NAME_FIRST = (
    "Kestrel Harrier Wattle Osprey Falcon Merlin Condor Raven Heron Ibis Plover Egret "
    "Granite Basalt Cobalt Silver Copper Iron Golden Black Red White Blue Grey Northern "
    "Southern Eastern Western Great Little Lone Twin Bald Cedar Spruce Aspen Birch Tamarack"
).split()
_NAME_SECOND = (
    "Ridge Lake Creek River Hill Peak Valley Canyon Bay Point Range Mountain Flats Springs "
    "Narrows Basin Gulch Butte Mesa Falls"
).split()
_SUFFIX = ("Gold Corp", "Copper Corp", "Mining Ltd", "Resources Inc", "Metals Limited", "Gold")
_FORMS = (
    "annual MD&A",
    "Q1 MD&A",
    "Q2 MD&A",
    "Q3 MD&A",
    "annual information form",
    "NI 43-101 technical report",
    "annual financial statements",
)
_EXTENSIONS = (".pdf", ".pdf", ".pdf", ".htm", ".txt")


def filing_keys(n: int, seed: int = 10_000) -> list[str]:
    """``n`` distinct filing keys, made by the inbox's own rule from plausible file names.

    ``Kestrel Ridge Gold Corp 2024 Q3 MD&A.pdf`` -> ``kestrel-ridge-gold-corp-2024-q3-md-a``.
    Keys come in arrival order: filings of older years first, shuffled within a year, as a
    back catalogue dropped into the inbox, then each year's new filings, would be.
    """
    rng = random.Random(seed)
    companies = [f"{a} {b} {s}" for a in _NAME_FIRST for b in _NAME_SECOND for s in _SUFFIX]
    rng.shuffle(companies)
    # About 40 filings per company over the 21 years: a realistic mix, not every form of every
    # company every year.
    issuers = companies[: max(20, n // 40)]
    keys: set[str] = set()
    by_year: dict[int, list[str]] = {}
    while len(keys) < n:
        year = rng.randint(2005, 2025)
        name = f"{rng.choice(issuers)} {year} {rng.choice(_FORMS)}{rng.choice(_EXTENSIONS)}"
        key = filing_key_for_name(name)
        if key not in keys:
            keys.add(key)
            by_year.setdefault(year, []).append(key)
    return [key for year in sorted(by_year) for key in by_year[year]]


# --- seeding the instance ----------------------------------------------------------------


@dataclass
class Seeded:
    """What was written to the instance, and how long each part took."""

    n: int
    keys: list[str] = field(default_factory=list, repr=False)
    materialized: list[str] = field(default_factory=list, repr=False)
    failed: list[str] = field(default_factory=list, repr=False)
    running: list[str] = field(default_factory=list, repr=False)
    missing: list[str] = field(default_factory=list, repr=False)
    running_run_id: str = ""
    register_s: float = 0.0
    materialize_s: float = 0.0
    runs_s: float = 0.0

    def counts(self) -> str:
        return (
            f"{len(self.materialized):,} materialized, {len(self.failed):,} failed,"
            f" {len(self.running):,} materializing, {len(self.missing):,} missing"
        )


def write_home(home: Path) -> None:
    """The project's dagster.yaml (``orchestration.instance``): sqlite storage, its default."""
    home.mkdir(parents=True, exist_ok=True)
    home.chmod(0o700)
    (home / "dagster.yaml").write_text(DAGSTER_YAML)


def _planned_run(instance: dg.DagsterInstance, keys: Sequence[str], failed: bool) -> str:
    """An ingest run of ``keys`` (a partition range, as the sensor asks) that planned them.

    A partition counts as failed when a run that planned it failed with no materialization
    since, and as materializing while such a run is going on: the UI reads both from these.
    """
    run = instance.add_run(
        dg.DagsterRun(
            job_name=ingest_job.name,
            status=dg.DagsterRunStatus.STARTED,
            tags=range_tags(keys[0], keys[-1]),
            asset_selection={RAW_FILES_KEY},
        )
    )
    for key in keys:
        instance.report_dagster_event(
            DagsterEvent.build_asset_materialization_planned_event(
                job_name=ingest_job.name,
                step_key="raw__raw_files",
                asset_materialization_planned_data=AssetMaterializationPlannedData(
                    RAW_FILES_KEY, partition=key
                ),
            ),
            run_id=run.run_id,
        )
    if failed:
        instance.report_run_failed(run)
    return run.run_id


def seed(instance: dg.DagsterInstance, n: int, log: Callable[[str], None] = print) -> Seeded:
    """Register ``n`` partitions and record their states; time registering and recording."""
    result = Seeded(n=n, keys=filing_keys(n))
    keys = result.keys
    t0 = time.perf_counter()
    for i in range(0, n, REGISTER_BATCH):
        instance.add_dynamic_partitions(filings_partitions.name, keys[i : i + REGISTER_BATCH])
    result.register_s = time.perf_counter() - t0
    log(f"  registered {n:,} partitions in {result.register_s:.1f} s")

    # The newest arrivals are the missing ones (not ingested yet); failed and running ones
    # are spread over the rest, so the list shows them among the materialized.
    ingested = keys[: n - round(n * MISSING_SHARE)]
    result.missing = keys[len(ingested) :]
    rng = random.Random(n)
    n_failed = max(1, round(n * FAILED_SHARE))
    n_running = max(1, round(n * RUNNING_SHARE))
    picked = rng.sample(range(len(ingested)), n_failed + n_running)
    result.failed = [ingested[i] for i in sorted(picked[:n_failed])]
    result.running = [ingested[i] for i in sorted(picked[n_failed:])]
    skip = set(result.failed) | set(result.running)
    result.materialized = [k for k in ingested if k not in skip]

    # One event per partition, as a range run of the raw_files asset records them; sqlite
    # commits each, which is what this times.
    t0 = time.perf_counter()
    for i, key in enumerate(result.materialized, 1):
        # The metadata the raw_files asset writes, so the event rows are of realistic size.
        instance.report_runless_asset_event(
            dg.AssetMaterialization(
                asset_key=RAW_FILES_KEY,
                partition=key,
                metadata={
                    "added_rows": 1,
                    "changes": [f"new_filing: {key}.pdf -> {key} v1"],
                    "filings_without_changes": 0,
                    "skipped": [],
                    "dagster/row_count": i,
                    "stored_bytes": 850_000 * i,
                },
            )
        )
        if i % 2000 == 0:
            log(f"  {i:,} materializations in {time.perf_counter() - t0:.0f} s")
    result.materialize_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    _planned_run(instance, result.failed, failed=True)
    result.running_run_id = _planned_run(instance, result.running, failed=False)
    result.runs_s = time.perf_counter() - t0
    log(f"  {result.counts()}; materializations in {result.materialize_s:.1f} s")
    return result


# --- the webserver -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of ``pid`` in MB, from /proc (no psutil in the venv)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()

    def mb(name: str) -> float:
        return float(fields.get(name, "0 kB").split()[0]) / 1024

    return mb("VmRSS"), mb("VmHWM")


def descendants(pid: int) -> list[int]:
    """Every descendant of ``pid`` (the webserver starts its code server as a subprocess)."""
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{parent}/task").iterdir():
                kids = [int(k) for k in (task / "children").read_text().split()]
                found += kids
                todo += kids
    return found


@dataclass
class Webserver:
    process: subprocess.Popen
    url: str
    log: Path
    start_s: float = 0.0

    def graphql(self, query: str, variables: dict | None = None) -> tuple[dict, float]:
        """The ``data`` of a GraphQL query, and how long the server took to answer it."""
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(
            f"{self.url}/graphql", body, {"Content-Type": "application/json"}
        )
        t0 = time.perf_counter()
        with urllib.request.urlopen(request, timeout=300) as response:
            payload = json.load(response)
        elapsed = time.perf_counter() - t0
        if payload.get("errors"):
            raise RuntimeError(f"GraphQL errors: {payload['errors']}")
        return payload["data"], elapsed

    def memory(self) -> dict[str, tuple[float, float]]:
        """(current, peak) RSS of the webserver and of its code server, in MB."""
        out = {"webserver": rss_mb(self.process.pid)}
        for pid in descendants(self.process.pid):
            with contextlib.suppress(OSError):
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                name = "code server" if b"grpc" in cmdline else f"child {pid}"
                out[name] = rss_mb(pid)
        return out


_READY_QUERY = (
    "{ workspaceOrError { ... on Workspace { locationEntries {"
    " loadStatus locationOrLoadError { __typename } } } } }"
)


@contextlib.contextmanager
def webserver(env: dict[str, str], log: Path) -> Iterator[Webserver]:
    """``dagster-webserver -m orchestration.definitions`` with ``env``, stopped on exit."""
    port = free_port()
    exe = Path(sys.prefix) / "bin" / "dagster-webserver"
    cmd = [str(exe), "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(port)]
    t0 = time.perf_counter()
    with log.open("w") as out:
        # A session of its own, so stopping its group also stops the code server it started.
        process = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Webserver(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 300
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"dagster-webserver exited {process.returncode}: {log}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"dagster-webserver not ready after 300 s: {log}")
            entries = []
            with contextlib.suppress(OSError, RuntimeError, ValueError):
                data, _ = server.graphql(_READY_QUERY)
                entries = data["workspaceOrError"]["locationEntries"]
            # Ready means the code location loaded, not just the port open.
            if entries and all(e["loadStatus"] == "LOADED" for e in entries):
                kinds = {e["locationOrLoadError"]["__typename"] for e in entries}
                if kinds != {"RepositoryLocation"}:
                    raise RuntimeError(f"the code location failed to load ({kinds}): {log}")
                break
            time.sleep(0.5)
        server.start_s = time.perf_counter() - t0
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- measuring -----------------------------------------------------------------------------

PARTITION_QUERY = """
query ($key: AssetKeyInput!) {
  assetNodeOrError(assetKey: $key) {
    ... on AssetNode {
      partitionStats { numPartitions numMaterialized numFailed numMaterializing }
      partitionKeysByDimension { name partitionKeys }
    }
  }
}
"""
# What the partitions page draws its counts and dots from: the keys in each state.
STATUS_QUERY = """
query ($key: AssetKeyInput!) {
  assetNodeOrError(assetKey: $key) {
    ... on AssetNode {
      assetPartitionStatuses {
        ... on DefaultPartitionStatuses {
          materializedPartitions failedPartitions unmaterializedPartitions materializingPartitions
        }
      }
    }
  }
}
"""


@dataclass
class Measured:
    seeded: Seeded
    start_s: float = 0.0
    graphql_stats_s: float = 0.0
    graphql_status_s: float = 0.0
    # name -> seconds of each load; None: not on screen within PAGE_TIMEOUT_MS
    pages: dict[str, list[float | None]] = field(default_factory=dict)
    first_load_s: float | None = None
    # GraphQL operation the browser sent -> slowest answer seen, in seconds
    operations: dict[str, float] = field(default_factory=dict)
    memory: dict[str, tuple[float, float]] = field(default_factory=dict)
    sensors: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def check_counts(server: Webserver, measured: Measured) -> None:
    """The API must report every partition and the seeded states; else the run fails."""
    variables = {"key": {"path": list(RAW_FILES_KEY.path)}}
    seeded = measured.seeded
    data, measured.graphql_stats_s = server.graphql(PARTITION_QUERY, variables)
    node = data["assetNodeOrError"]
    stats = node["partitionStats"]
    keys = node["partitionKeysByDimension"][0]["partitionKeys"]
    expected = {
        "numPartitions": seeded.n,
        "numMaterialized": len(seeded.materialized),
        "numFailed": len(seeded.failed),
        "numMaterializing": len(seeded.running),
    }
    if stats != expected or keys != seeded.keys:
        raise AssertionError(f"GraphQL reports {stats} and {len(keys)} keys; seeded {expected}")
    data, measured.graphql_status_s = server.graphql(STATUS_QUERY, variables)
    statuses = data["assetNodeOrError"]["assetPartitionStatuses"]
    # Materialized come as ranges of keys, failed and materializing as keys.
    if sorted(statuses["failedPartitions"]) != sorted(seeded.failed):
        raise AssertionError(f"failed partitions: {statuses['failedPartitions'][:5]}...")


def _watch_graphql(page, measured: Measured) -> None:
    """Record the slowest answer to each GraphQL operation the page sends, and page errors."""

    def finished(request) -> None:
        if "/graphql" not in request.url or request.method != "POST":
            return
        with contextlib.suppress(Exception):
            body = json.loads(request.post_data or "{}")
            query = parse_qs(urlsplit(request.url).query)
            name = body.get("operationName") or query.get("op", ["?"])[0]
            timing = request.timing
            seconds = (timing["responseEnd"] - timing["requestStart"]) / 1000
            measured.operations[name] = max(seconds, measured.operations.get(name, 0.0))

    page.on("requestfinished", finished)
    page.on("pageerror", lambda error: measured.errors.append(f"page error: {error}"))


def _timed(measured: Measured, name: str, action: Callable[[], None]) -> None:
    """Run ``action`` (which returns once what a user waits for is on screen) and time it."""
    t0 = time.perf_counter()
    try:
        action()
        measured.pages.setdefault(name, []).append(time.perf_counter() - t0)
    except Exception as error:  # noqa: BLE001 - a timeout is a figure, not the end of the run
        measured.pages.setdefault(name, []).append(None)
        measured.errors.append(f"{name}: {type(error).__name__}: {str(error).splitlines()[0]}")


def measure_pages(server: Webserver, measured: Measured, out: Path) -> None:
    """Time what a user does on the asset's pages, three times each; screenshot each page."""
    from playwright.sync_api import sync_playwright

    seeded = measured.seeded
    asset_url = f"{server.url}/assets/{ASSET_PATH}"
    partitions_url = f"{asset_url}?view=partitions"
    # A materialized partition from the middle: one a user would look up by name.
    looked_up = seeded.materialized[len(seeded.materialized) // 2]
    selected_count = re.compile(rf"^{seeded.n:,} Partitions Selected$")
    materialized_label = f"Materialized ({len(seeded.materialized)})"
    to_backfill = len(seeded.failed) + len(seeded.missing)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            context.set_default_timeout(PAGE_TIMEOUT_MS)
            page = context.new_page()
            _watch_graphql(page, measured)

            def partitions_page() -> None:
                page.goto(partitions_url, wait_until="commit")
                page.get_by_text(selected_count).wait_for()
                page.get_by_text(materialized_label).wait_for()
                page.locator('[class*="AssetEventList_assetListRow"]').first.wait_for()

            # First load: the browser's cache is cold, and the community sign-up dialog
            # (once per browser profile) is dismissed so it hides nothing later.
            t0 = time.perf_counter()
            partitions_page()
            measured.first_load_s = time.perf_counter() - t0
            with contextlib.suppress(Exception):
                page.get_by_role("button", name="Skip").click(timeout=10_000)

            def overview() -> None:
                page.goto(asset_url, wait_until="commit")
                # The status of the latest run: the one still materializing partitions.
                page.get_by_text(seeded.running_run_id[:8]).first.wait_for()
                page.get_by_text("Row count").wait_for()

            def partition_by_link() -> None:
                page.goto(f"{partitions_url}&partition={looked_up}", wait_until="commit")
                page.get_by_text("View all historical events (1)").wait_for()
                page.get_by_text("added_rows").first.wait_for()

            def select_partition() -> None:
                row = page.locator('[class*="AssetEventList_assetListRow"]').nth(3)
                key = row.locator("[data-tooltip]").first.get_attribute("data-tooltip")
                row.click()
                # The key's name shows twice once selected: in the list and as the heading
                # of the details pane, above its state and latest materialization.
                named = page.locator(f'[class*="MiddleTruncate_container"][title="{key}"]')
                named.nth(1).wait_for()
                page.get_by_text(re.compile(r"View all historical events \(\d+\)")).wait_for()

            def backfill_dialog() -> None:
                page.get_by_text("Materialize…", exact=True).first.click()
                page.get_by_text("Failed and missing", exact=True).click()
                page.get_by_text(f"{to_backfill:,} partitions selected").wait_for()

            for i in range(LOADS):
                last = i == LOADS - 1
                _timed(measured, "partitions page", partitions_page)
                _timed(measured, "select a partition", select_partition)
                if last:
                    # Off the list, so the key's tooltip does not hide the selected row.
                    page.mouse.move(1200, 900)
                    page.screenshot(path=str(out), full_page=True)
                _timed(measured, "backfill dialog", backfill_dialog)
                if last:
                    page.screenshot(path=str(_beside(out, "materialize")), full_page=True)
                page.keyboard.press("Escape")
                _timed(measured, "overview page", overview)
                if last:
                    page.screenshot(path=str(_beside(out, "overview")), full_page=True)
                _timed(measured, "partition by link", partition_by_link)
        finally:
            browser.close()


def _beside(out: Path, what: str) -> Path:
    return out.with_name(f"{out.stem}-{what}{out.suffix}")


def time_sensors(measured: Measured) -> None:
    """One tick of each sensor that reads the partitions, on the seeded instance.

    The daemon is not running here; these are what it would spend every few seconds
    (``WAREHOUSE_SENSOR_INTERVAL_SECONDS``). Reads the environment ``run_one`` set.

    The automation tick is Dagster's test helper ``evaluate_automation_conditions``: the
    daemon's evaluator, but the helper writes the new cursor with an uncached partitions
    store, reading every dynamic partition key again for each subset it compresses. With
    thousands of partitions that is most of its time, so take it as an upper bound of the
    daemon's tick, not the tick itself.
    """
    from orchestration.definitions import build_definitions
    from orchestration.filings.sensors import build_inbox_sensor
    from orchestration.resources import WarehouseConfig

    defs = build_definitions()
    with dg.DagsterInstance.get() as instance:
        # An empty inbox: what is timed is reading the 10,000 known partitions, every tick.
        sensor = build_inbox_sensor()
        with dg.build_sensor_context(
            instance=instance, resources={"warehouse": WarehouseConfig()}
        ) as context:
            t0 = time.perf_counter()
            sensor(context)
            measured.sensors["inbox tick"] = time.perf_counter() - t0
        automation = defs.get_sensor_def("warehouse_automation")
        selection = automation.asset_selection
        t0 = time.perf_counter()
        result = dg.evaluate_automation_conditions(defs, instance, asset_selection=selection)
        measured.sensors["automation 1st tick"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        dg.evaluate_automation_conditions(
            defs, instance, asset_selection=selection, cursor=result.cursor
        )
        measured.sensors["automation next tick"] = time.perf_counter() - t0


def run_one(n: int, out: Path, sensors: bool, keep: bool) -> Measured:
    """Seed a fresh instance with ``n`` partitions, serve it, and measure the UI."""
    tmp = Path(tempfile.mkdtemp(prefix=f"dagster-ui-{n}-"))
    saved_env = dict(os.environ)
    try:
        home = tmp / "dagster_home"
        write_home(home)
        for folder in ("inbox", "build", "warehouse"):
            (tmp / folder).mkdir()
        # Empty inbox, build database and warehouse of their own: the definitions read these
        # when loaded and when a run starts, so nothing of the checkout is touched.
        os.environ.update(
            {
                "DAGSTER_HOME": str(home),
                "FILINGS_DIR": str(tmp / "inbox"),
                "WAREHOUSE_BUILD_DB": str(tmp / "build" / "build.duckdb"),
                "WAREHOUSE_DIR": str(tmp / "warehouse"),
                "WAREHOUSE_DBT_TARGET_DIR": str(tmp / "dbt-target"),
            }
        )
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        print(f"N={n:,}: seeding {home}", flush=True)
        with dg.DagsterInstance.get() as instance:
            measured = Measured(seed(instance, n, log=lambda s: print(s, flush=True)))
        out.parent.mkdir(parents=True, exist_ok=True)
        with webserver(env, tmp / "webserver.log") as server:
            measured.start_s = server.start_s
            print(f"  webserver ready in {server.start_s:.1f} s at {server.url}", flush=True)
            check_counts(server, measured)
            measure_pages(server, measured, out)
            measured.memory = server.memory()
        if sensors:
            time_sensors(measured)
        return measured
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        if keep:
            print(f"  kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


# --- reporting -----------------------------------------------------------------------------


def _median(times: Sequence[float | None]) -> str:
    done = [t for t in times if t is not None]
    if len(done) < len(times):
        return f">{PAGE_TIMEOUT_MS / 1000:.0f} ({len(times) - len(done)}x)"
    value = statistics.median(done)
    return f"{value:.2f}" + (" UNUSABLE" if value > USABLE_S else "")


def table(results: Sequence[Measured]) -> str:
    """The figures of each N, one column per N."""
    labels: list[tuple[str, Callable[[Measured], str]]] = [
        ("register partitions s", lambda m: f"{m.seeded.register_s:.1f}"),
        ("record materializations s", lambda m: f"{m.seeded.materialize_s:.1f}"),
        ("  per materialization ms", lambda m: _per_event_ms(m)),
        ("webserver ready s", lambda m: f"{m.start_s:.1f}"),
        ("GraphQL stats + keys s", lambda m: f"{m.graphql_stats_s:.2f}"),
        ("GraphQL partition states s", lambda m: f"{m.graphql_status_s:.2f}"),
        ("partitions page, 1st load s", lambda m: _fmt(m.first_load_s)),
    ]
    pages = ("partitions page", "select a partition", "backfill dialog", "overview page")
    labels += [(f"{p} median s", lambda m, p=p: _median(m.pages.get(p, []))) for p in pages]
    labels.append(
        ("partition by link median s", lambda m: _median(m.pages.get("partition by link", [])))
    )
    labels += [
        ("webserver RSS MB (peak)", lambda m: _mem(m, "webserver")),
        ("code server RSS MB (peak)", lambda m: _mem(m, "code server")),
        ("slowest UI GraphQL op s", lambda m: _slowest(m)),
    ]
    # The automation ticks are of Dagster's test helper: an upper bound (see time_sensors).
    for sensor in ("inbox tick", "automation 1st tick", "automation next tick"):
        labels.append((f"sensor: {sensor} s", lambda m, s=sensor: _fmt(m.sensors.get(s))))
    header = ["N"] + [f"{m.seeded.n:,}" for m in results]
    rows = [header] + [[label] + [f(m) for m in results] for label, f in labels]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)]
        )
        for r in rows
    ]
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _per_event_ms(m: Measured) -> str:
    count = len(m.seeded.materialized)
    return f"{1000 * m.seeded.materialize_s / count:.1f}" if count else "-"


def _mem(m: Measured, name: str) -> str:
    current, peak = m.memory.get(name, (math.nan, math.nan))
    return f"{current:.0f} ({peak:.0f})"


def _slowest(m: Measured) -> str:
    if not m.operations:
        return "-"
    name, seconds = max(m.operations.items(), key=lambda kv: kv[1])
    return f"{seconds:.2f} {name}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--partitions", type=int, nargs="+", default=[10_000], help="N, one run each"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="screenshot (PNG)")
    parser.add_argument("--no-sensors", action="store_true", help="skip timing sensor ticks")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    args = parser.parse_args(argv)
    results = []
    for n in args.partitions:
        out = args.out
        if "-10000" in out.stem:
            out = out.with_name(out.name.replace("-10000", f"-{n}"))
        elif len(args.partitions) > 1:
            out = _beside(out, str(n))
        m = run_one(n, out.resolve(), not args.no_sensors, args.keep)
        results.append(m)
        print(f"  screenshots: {out} (and -overview, -materialize)", flush=True)
        slow = sorted(m.operations.items(), key=lambda kv: -kv[1])[:5]
        print(
            "  slowest GraphQL operations of the UI: "
            + ", ".join(f"{k} {v:.2f} s" for k, v in slow)
        )
        for error in m.errors:
            print(f"  ! {error}")
    print()
    print(table(results))
    unusable = [
        f"N={m.seeded.n:,} {name}"
        for m in results
        for name, times in m.pages.items()
        if None in times or statistics.median(times) > USABLE_S
    ]
    if unusable:
        print(f"\nslower than {USABLE_S:.0f} s or not shown: {', '.join(unusable)}")
    return 1 if unusable else 0


if __name__ == "__main__":
    sys.exit(main())
