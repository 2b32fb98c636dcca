"""Shared test fixtures and helpers.

- Where things are: the samples, our fixtures, the third-party filings in ``../shared``.
- Tiers: every test is ``unit``, ``dbt``, ``e2e``, ``fault`` or ``bi`` (pyproject.toml); a test
  marked none of the others counts as ``unit``, so ``make test-fast`` selects it.
- Warehouses built once per session by the real pipeline, for the tests that only read them
  (``sample_warehouse``, ``real_warehouse``, ``checks_warehouse``); a test that changes one
  takes a copy (``sample_copy`` or ``BuiltWarehouse.copy_to``).
- Raw-row builders and ``run_dbt`` for the dbt tests on hand-made rows.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import duckdb
import pytest

if TYPE_CHECKING:
    from orchestration.resources import WarehouseConfig

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = REPO_ROOT / "samples" / "filings"
FIXTURES_DIR = REPO_ROOT / "tests" / "fixtures"
DBT_PROJECT = REPO_ROOT / "dbt_project"
# Third-party filings are never copied into the project: CI lays ``shared/`` beside the clone.
SHARED_FILINGS = REPO_ROOT.parent / "shared" / "filings"
REAL_FILING = SHARED_FILINGS / "entree-gold-2012-annual-mda.txt"
# An unreadable file that sits in the inbox beside the real filing (it must be quarantined).
GARBAGE_NAME = "scanned-garbage.txt"
GARBAGE = bytes(range(256)) * 16

# -- tiers ---------------------------------------------------------------------------------

TIERS = ("unit", "dbt", "e2e", "fault", "bi")


@pytest.hookimpl(tryfirst=True)  # before pytest's own hook deselects by -m
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test in no tier is a unit test; a test in two tiers is a mistake."""
    for item in items:
        tiers = {m.name for m in item.iter_markers() if m.name in TIERS}
        if len(tiers) > 1:
            raise pytest.UsageError(f"{item.nodeid} is marked {sorted(tiers)}: give it one tier")
        if not tiers:
            item.add_marker(pytest.mark.unit)


# -- files ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def real_filing() -> Path:
    """The real annual MD&A from ../shared/filings, or skip where it is absent."""
    if not REAL_FILING.is_file():
        pytest.skip(f"third-party filing not present at {REAL_FILING} (../shared is absent)")
    return REAL_FILING


@pytest.fixture(scope="session")
def excerpts_dir() -> Path:
    path = SHARED_FILINGS / "excerpts"
    if not path.is_dir():
        pytest.skip(f"third-party excerpts not present at {path} (../shared is absent)")
    return path


@pytest.fixture(scope="session", autouse=True)
def dbt_target_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """dbt's artifacts and logs for the whole session, in a tmp dir, never in the repo.

    Set as ``WAREHOUSE_DBT_TARGET_DIR`` so the CLI run in a subprocess uses it too; one dir
    for the session lets dbt reuse its partial parse between builds.
    """
    path = tmp_path_factory.mktemp("dbt-target")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WAREHOUSE_DBT_TARGET_DIR", str(path))
        yield path


@pytest.fixture()
def sample_files() -> list[Path]:
    """Our own sample filings (samples/filings/*.txt), or skip while there are none."""
    files = sorted(SAMPLES_DIR.glob("*.txt"))
    if not files:
        pytest.skip("no sample filings in samples/filings yet")
    return files


def load_check_fixtures() -> ModuleType:
    """``tests/fixtures/checks/make_fixtures.py``: the check fixtures, their bases and edits."""
    path = FIXTURES_DIR / "checks" / "make_fixtures.py"
    spec = importlib.util.spec_from_file_location("make_fixtures", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of ``sql`` on the DuckDB file ``path``, opened read-only and closed again."""
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def slow_copy(
    path: Path, lines: list[bytes], stop: threading.Event, head: int = 128
) -> threading.Thread:
    """A copy of ``lines`` into ``path`` still going on, in a thread: ``head`` lines at
    once, then one line every 50 ms until ``stop`` is set, then the rest.

    It holds the last line back and touches the file while it waits: a writer that ran out
    of lines would sit still and look settled before ``stop``, whatever the machine's speed.
    """

    def copy() -> None:
        with path.open("ab") as f:
            done = min(head, len(lines) - 1)
            f.writelines(lines[:done])
            f.flush()
            while not stop.wait(0.05):
                if done < len(lines) - 1:
                    f.write(lines[done])
                    f.flush()
                    done += 1
                else:
                    path.touch()
            f.writelines(lines[done:])

    path.write_bytes(b"")
    thread = threading.Thread(target=copy, daemon=True)
    thread.start()
    return thread


# -- warehouses built by the real pipeline -------------------------------------------------


def cli_env(root: Path, inbox: Path, **more: str) -> dict[str, str]:
    """The environment that points ``python -m orchestration`` at a warehouse under ``root``."""
    return {
        **os.environ,
        "FILINGS_DIR": str(inbox),
        "WAREHOUSE_DIR": str(root / "warehouse"),
        "WAREHOUSE_BUILD_DB": str(root / "build" / "build.duckdb"),
        "DAGSTER_HOME": str(root / "dagster_home"),
        **more,
    }


@dataclass
class BuiltWarehouse:
    """A warehouse under ``root``: its inbox, build database, published file and dbt target.

    Each warehouse has a dbt target folder of its own, as a deployment has: dbt's partial
    parse and artifacts of one warehouse's build are not another's.
    """

    root: Path
    inbox: Path
    stdout: str = ""  # what `python -m orchestration run` printed, or the summary it prints
    details: dict[str, Any] = field(default_factory=dict)  # what the build reported

    @property
    def build_db(self) -> Path:
        return self.root / "build" / "build.duckdb"

    @property
    def warehouse_dir(self) -> Path:
        return self.root / "warehouse"

    @property
    def published(self) -> Path:
        return self.warehouse_dir / "warehouse.duckdb"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster_home"

    @property
    def dbt_target(self) -> Path:
        return self.root / "dbt-target"

    def env(self, **more: str) -> dict[str, str]:
        """The environment of ``python -m orchestration`` on this warehouse (its dbt target)."""
        return cli_env(self.root, self.inbox, WAREHOUSE_DBT_TARGET_DIR=str(self.dbt_target), **more)

    def cli(self, *args: str, timeout: float = 600, **env: str) -> subprocess.CompletedProcess:
        """``python -m orchestration ARGS`` on this warehouse, in a subprocess as `make run`."""
        return subprocess.run(
            [sys.executable, "-m", "orchestration", *args],
            cwd=REPO_ROOT,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def config(self) -> WarehouseConfig:
        """The pipeline's resource for this warehouse (no settle delay: files are complete)."""
        from orchestration.resources import WarehouseConfig

        return WarehouseConfig(
            inbox_dir=str(self.inbox),
            build_db=str(self.build_db),
            warehouse_dir=str(self.warehouse_dir),
            settle_seconds=0,
            dbt_target_dir=str(self.dbt_target),
        )

    def copy_to(self, root: Path) -> BuiltWarehouse:
        """A copy that a test may change: inbox files, build database, published file, dbt target."""
        copy = BuiltWarehouse(root, root / "inbox", self.stdout)
        copy.inbox.mkdir(parents=True)
        for f in sorted(p for p in self.inbox.iterdir() if p.is_file()):
            shutil.copy2(f, copy.inbox / f.name)
        copy.build_db.parent.mkdir(parents=True)
        shutil.copy2(self.build_db, copy.build_db)
        copy.warehouse_dir.mkdir(parents=True)
        shutil.copy2(self.published, copy.published)
        shutil.copytree(self.dbt_target, copy.dbt_target)
        return copy

    def digest(self) -> str:
        """sha256 of the build database and the published file: unchanged means unchanged."""
        h = hashlib.sha256()
        for path in (self.build_db, self.published):
            h.update(path.read_bytes())
        return h.hexdigest()


def new_warehouse(
    root: Path, session_target: Path, files: Iterable[Path] = (), inbox: Path | None = None
) -> BuiltWarehouse:
    """An empty warehouse under ``root`` whose inbox holds copies of ``files`` (or is ``inbox``).

    Its dbt target starts as a copy of the session's, so dbt parses only what changed.
    """
    from orchestration.dbt.project import dbt_project

    built = BuiltWarehouse(root, inbox or root / "inbox")
    if inbox is None:
        built.inbox.mkdir(parents=True)
    for f in files:
        shutil.copy(f, built.inbox / f.name)
    dbt_project(session_target)  # parse once per session, where the next warehouse finds it
    shutil.copytree(session_target, built.dbt_target)
    return built


def fresh_instance() -> Any:
    """A Dagster instance that knows no runs or partitions, as `make run --ephemeral` uses.

    In memory: an instance on disk writes every event of a run to SQLite, which makes a
    refresh run some 8 s slower on the 2-core machine.
    """
    import dagster as dg

    return dg.DagsterInstance.ephemeral()


def run_in_process(built: BuiltWarehouse, **options: Any) -> Any:
    """``run_pipeline`` (what `make run` does) on ``built`` with a fresh Dagster instance."""
    from orchestration.definitions import build_definitions
    from orchestration.pipeline import run_pipeline

    warehouse = built.config()
    with fresh_instance() as instance:
        return run_pipeline(build_definitions(warehouse), instance, warehouse, **options)


def summary_text(built: BuiltWarehouse) -> str:
    """The summary `make run` prints for the published file."""
    from orchestration.summary import format_summary, summarize

    return format_summary(summarize(built.published))


def _shared(built: BuiltWarehouse) -> Iterator[BuiltWarehouse]:
    """Hand ``built`` to the tests that only read it; fail if one of them changed it."""
    before = built.digest()
    yield built
    assert built.digest() == before, f"a test changed the shared warehouse {built.root}: copy it"


@pytest.fixture(scope="session")
def sample_warehouse(
    tmp_path_factory: pytest.TempPathFactory, dbt_target_dir: Path
) -> Iterator[BuiltWarehouse]:
    """samples/filings through `python -m orchestration run` (what `make run` does), once.

    The one run of the CLI in a subprocess: the smoke test reads its output, and every test
    that reads the sample warehouse reads this one.
    """
    if not list(SAMPLES_DIR.glob("*.txt")):
        pytest.skip("no sample filings in samples/filings yet")
    # The inbox is read in place: the pipeline never writes to it.
    built = new_warehouse(
        tmp_path_factory.mktemp("sample-warehouse"), dbt_target_dir, inbox=SAMPLES_DIR
    )
    for artifact in ("run_results.json", "dbt.log"):  # so that these are this run's
        (built.dbt_target / artifact).unlink(missing_ok=True)
    out = built.cli("run", timeout=900)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    built.stdout = out.stdout
    built.details = {
        "stderr": out.stderr,
        "run_results": json.loads((built.dbt_target / "run_results.json").read_text()),
        "manifest": json.loads((built.dbt_target / "manifest.json").read_text()),
        "dbt_log": (built.dbt_target / "dbt.log").exists(),
    }
    yield from _shared(built)


@pytest.fixture()
def sample_copy(sample_warehouse: BuiltWarehouse, tmp_path: Path) -> BuiltWarehouse:
    """A copy of the sample warehouse, for a test that changes it."""
    return sample_warehouse.copy_to(tmp_path / "copy")


@pytest.fixture(scope="session")
def real_warehouse(
    tmp_path_factory: pytest.TempPathFactory, dbt_target_dir: Path, real_filing: Path
) -> Iterator[BuiltWarehouse]:
    """The real filing and an unreadable file, through ``run_pipeline`` in this process.

    Copied into a temp inbox for this run only: third-party text never enters the repo.
    """
    built = new_warehouse(tmp_path_factory.mktemp("real-warehouse"), dbt_target_dir, [real_filing])
    (built.inbox / GARBAGE_NAME).write_bytes(GARBAGE)
    report = run_in_process(built)
    built.details = {"report": report}
    built.stdout = summary_text(built)
    yield from _shared(built)


@pytest.fixture(scope="session")
def check_fixtures() -> ModuleType:
    return load_check_fixtures()


@pytest.fixture(scope="session")
def checks_warehouse(
    tmp_path_factory: pytest.TempPathFactory, dbt_target_dir: Path, check_fixtures: ModuleType
) -> Iterator[BuiltWarehouse]:
    """The warn check fixtures and the clean filing, through ``materialize_everything``.

    The daily schedule's job (every filing partition as one range, then dbt, the checks and
    publish) builds it; its result is kept for the test of that job.
    """
    from orchestration.definitions import build_definitions
    from orchestration.filings.inbox import filing_key_for_name
    from orchestration.partitions import filings_partitions, range_tags

    spec = check_fixtures
    files = [spec.path(f) for f in spec.ALL if f.folder == "warn"] + [spec.CLEAN]
    built = new_warehouse(tmp_path_factory.mktemp("checks-warehouse"), dbt_target_dir, files)
    keys = sorted(filing_key_for_name(f.name) for f in files)
    with fresh_instance() as instance:
        instance.add_dynamic_partitions(filings_partitions.name, keys)
        job = build_definitions(built.config()).resolve_job_def("materialize_everything")
        result = job.execute_in_process(
            instance=instance, tags=range_tags(keys[0], keys[-1]), raise_on_error=False
        )
    built.details = {
        "success": result.success,
        "materialized": {
            e.asset_key.to_user_string() for e in result.get_asset_materialization_events()
        },
        "files": [f.name for f in files],
    }
    assert result.success, "materialize_everything failed on the check fixtures"
    built.stdout = summary_text(built)
    yield from _shared(built)


# -- hand-made raw rows for the dbt tests ---------------------------------------------------


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[dict[str, Any]]) -> None:
    """Insert dict rows into ``raw.<table>``; columns a row leaves out are null."""
    from orchestration.filings.records import RAW_FILES_COLUMNS, RAW_FILES_TABLE, RAW_TABLES

    rows = list(rows)
    columns = [c for c, _ in (RAW_FILES_COLUMNS if table == RAW_FILES_TABLE else RAW_TABLES[table])]
    if not rows:
        return
    unknown = {k for row in rows for k in row} - set(columns)
    assert not unknown, f"{table}: unknown columns {unknown}"
    marks = ", ".join("?" for _ in columns)
    con.executemany(
        f"insert into raw.{table} values ({marks})", [[row.get(c) for c in columns] for row in rows]
    )


def load_raw(db: Path, rows: dict[str, list]) -> None:
    """A build database at ``db`` with the raw schema and ``rows`` (table -> dict rows)."""
    from orchestration.filings.store import ensure_raw_schema

    con = duckdb.connect(str(db))
    try:
        ensure_raw_schema(con)
        for table, table_rows in rows.items():
            insert_rows(con, table, table_rows)
    finally:
        con.close()


def merge(*parts: dict[str, list]) -> dict[str, list]:
    """Raw rows of several filings, table by table."""
    out: dict[str, list] = {}
    for part in parts:
        for table, rows in part.items():
            out.setdefault(table, []).extend(rows)
    return out


def filing(filing_id: str, key: str, version: int, seen: str, **metadata: Any) -> dict[str, list]:
    """Raw rows of one filing version: its ``filings`` row and its ``raw_files`` row."""
    from orchestration.filings.records import RAW_FILES_TABLE

    row = {
        "filing_id": filing_id,
        "source_file": f"{key}.txt",
        "parsed_at": datetime.fromisoformat(seen),
        "status": "parsed",
        "parser_version": "test",
        "content_sha256": filing_id,
        "report_type": "MD&A",
        "currency": "USD",
        "filing_key": key,
        "version": version,
        "tickers": "[]",
        "issue_count": 0,
        **metadata,
    }
    raw_file = {
        "content_sha256": filing_id,
        "file_name": f"{key}.txt",
        "size_bytes": 100,
        "content": b"x",
        "seen_at": datetime.fromisoformat(seen),
        "filing_key": key,
        "version": version,
    }
    # facts sit in table 0 and estimates in table 1 (the structural audit checks they exist)
    tables = [
        {"filing_id": filing_id, "table_index": i, "title": title, "scale": 1.0}
        for i, title in enumerate(("Results of operations", "Mineral resources"))
    ]
    return {"filings": [row], "tables": tables, RAW_FILES_TABLE: [raw_file]}


def fact(
    filing_id: str,
    index: int,
    concept: str,
    end: str,
    months: int,
    value: float,
    *,
    reported: float | None = None,
    unit: str = "USD",
    start: str | None = None,
    scale: float = 1.0,
) -> dict[str, Any]:
    """A ``raw.facts`` row in table 0, printed at line 100 + ``index``."""
    return {
        "filing_id": filing_id,
        "fact_index": index,
        "concept": concept,
        "label": concept.replace("_", " ").title(),
        "section": "Results of operations",
        "table_index": 0,
        "period_start": date.fromisoformat(start) if start else None,
        "period_end": date.fromisoformat(end),
        "months": months,
        "value": value,
        "reported_value": abs(value) if reported is None else reported,
        "unit": unit,
        "line": 100 + index,
        "column_key": f"{end}/{months}m",
        "is_total": False,
        "scale": scale,
    }


def grade(
    filing_id: str,
    index: int,
    commodity: str,
    g: float,
    gu: str,
    c: float | None,
    cu: str | None,
    **reported: Any,
) -> dict[str, Any]:
    """A ``raw.estimate_grades`` row of estimate ``index``."""
    return {
        "filing_id": filing_id,
        "estimate_index": index,
        "commodity": commodity,
        "grade": g,
        "grade_unit": gu,
        "contained": c,
        "contained_unit": cu,
        "reported_grade": reported.get("reported_grade", g),
        "reported_grade_unit": reported.get("reported_grade_unit", gu),
        "reported_contained": c,
        "reported_contained_unit": cu,
    }


def estimate(
    filing_id: str, index: int, deposit: str, category: str, tonnage: float, **more: Any
) -> dict[str, Any]:
    """A ``raw.estimates`` row in table 1, printed at line 300 + ``index``."""
    return {
        "filing_id": filing_id,
        "estimate_index": index,
        "deposit": deposit,
        "zone": more.get("zone"),
        "category": category,
        "is_reserve": category in ("proven", "probable"),
        "is_subtotal": more.get("is_subtotal", False),
        "cutoff_value": 0.2,
        "cutoff_unit": "% Cu",
        "effective_date": date.fromisoformat(more.get("effective", "2013-12-31")),
        "tonnage_mt": tonnage,
        "reported_tonnage": tonnage,
        "reported_tonnage_unit": "Mt",
        "table_index": 1,
        "line": 300 + index,
        "label": deposit,
        "other": "{}",
    }


def run_dbt(db: Path, work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``dbt <args>`` against ``db``, with dbt's target and logs kept under ``work``.

    Flags and variables both, so no dbt_project/target or dbt_project/logs is written, even
    by a command that lacks one of the flags.
    """
    from orchestration.paths import dbt_executable

    env = {
        **os.environ,
        "WAREHOUSE_BUILD_DB": str(db),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    cmd = [
        dbt_executable(),
        *args,
        "--project-dir",
        str(DBT_PROJECT),
        "--profiles-dir",
        str(DBT_PROJECT),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
    ]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    return result


# -- Data Docs and a real browser -----------------------------------------------------------

# Where `make install` puts the scripts and styles Data Docs pages load.
DOCS_ASSETS = REPO_ROOT / "build" / "web-assets"


def footing_frame() -> Any:
    """Two footing instances of one filing as audit rows, the second outside its bounds."""
    import pandas as pd

    return pd.DataFrame(
        {
            "check_id": ["a", "b"],
            "check_name": ["footing", "footing"],
            "severity": ["warn", "warn"],
            "filing_id": ["f1", "f1"],
            "observed": [1.0, 5.0],
            "lower_bound": [0.0, 0.0],
            "upper_bound": [2.0, 2.0],
        }
    )


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    # Time for the pages' scripts (bootstrap-table draws the index) before the snapshot.
    "--virtual-time-budget=5000",
]


def render_page(page: Path, screenshot: Path | None = None) -> str:
    """The DOM of ``page`` after its scripts ran in headless Chromium (Debian's package)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium)")
    url = page.resolve().as_uri()
    if screenshot is not None:
        subprocess.run(
            [browser, *CHROMIUM_FLAGS, "--window-size=1280,900", f"--screenshot={screenshot}", url],
            capture_output=True,
            timeout=120,
            check=True,
        )
    done = subprocess.run(
        [browser, *CHROMIUM_FLAGS, "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout
