"""End to end: inbox -> raw store -> parsed tables -> dbt -> published file, in tmp dirs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from conftest import REPO_ROOT, query
from orchestration.database import connect
from orchestration.definitions import build_definitions
from orchestration.filings.parsing import parser_version
from orchestration.filings.records import RAW_FILES_TABLE, RAW_TABLES
from orchestration.partitions import filings_partitions, range_tags
from orchestration.pipeline import run_pipeline
from orchestration.resources import WarehouseConfig
from orchestration.summary import format_summary, summarize

CONTRACT_MARTS = [
    "dim_filing",
    "dim_company",
    "dim_period",
    "fct_financial_facts",
    "dim_property",
    "fct_mineral_estimates",
    "fct_mineral_grades",
    "fct_study_economics",
]
CONTRACT_AUDIT = ["check_results", "parse_issues", "quarantined_filings"]
# What the parser writes to a raw table must reach its mart.
RAW_TO_MART = {
    "facts": "fct_financial_facts",
    "properties": "dim_property",
    "estimates": "fct_mineral_estimates",
    "estimate_grades": "fct_mineral_grades",
    "economics": "fct_study_economics",
}


def make_warehouse(tmp_path: Path, dbt_target_dir: Path) -> WarehouseConfig:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    return WarehouseConfig(
        inbox_dir=str(inbox),
        build_db=str(tmp_path / "build" / "build.duckdb"),
        warehouse_dir=str(tmp_path / "warehouse"),
        settle_seconds=0,
        dbt_target_dir=str(dbt_target_dir),
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_definitions_load_with_lineage_checks_jobs_and_schedule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INGEST_SCHEDULE_CRON", "15 5 * * 1-5")
    defs = build_definitions()
    repo = defs.get_repository_def()
    graph = repo.asset_graph
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {"raw/raw_files", "raw/filings", "raw/facts", "marts/dim_filing"} <= keys
    assert "published_warehouse" in keys
    # dbt sources are our raw assets: lineage runs file -> raw -> staging -> marts -> publish.
    staging = graph.get(dg.AssetKey(["staging", "stg_raw__filings"]))
    assert dg.AssetKey(["raw", "filings"]) in staging.parent_keys
    publish = graph.get(dg.AssetKey(["published_warehouse"]))
    assert dg.AssetKey(["marts", "dim_filing"]) in publish.parent_keys
    assert graph.get(dg.AssetKey(["raw", "facts"])).partitions_def == filings_partitions
    # Every raw table, the raw store included, is the parent of its staging model (when the
    # project has one): sources.yml's meta keys are the raw assets' keys.
    raw_keys = {dg.AssetKey(["raw", t]) for t in [RAW_FILES_TABLE, *RAW_TABLES]}
    staged = {
        parent
        for key in graph.get_all_asset_keys()
        if key.path[0] == "staging"
        for parent in graph.get(key).parent_keys
    }
    assert staged <= raw_keys and dg.AssetKey(["raw", RAW_FILES_TABLE]) in staged
    assert len(staged) >= 6
    # Daemon runs execute in one process: a step per subprocess reloads the code (seconds).
    for job in repo.get_all_jobs():
        assert job.executor_def.name == "in_process", job.name
    assert repo.get_sensor_def("warehouse_automation").minimum_interval_seconds == 5
    # dbt tests became asset checks.
    assert len(list(graph.asset_check_keys)) > 0
    jobs = {j.name for j in repo.get_all_jobs()}
    assert {"ingest_filings", "refresh_warehouse", "materialize_everything"} <= jobs
    assert repo.get_schedule_def("daily_warehouse_refresh").cron_schedule == "15 5 * * 1-5"
    assert repo.get_sensor_def("inbox_sensor").job_name == "ingest_filings"


def test_samples_end_to_end_then_a_second_run_changes_nothing(
    tmp_path: Path, dbt_target_dir: Path, sample_files: list[Path]
) -> None:
    warehouse = make_warehouse(tmp_path, dbt_target_dir)
    samples = sample_files
    for f in samples:
        shutil.copy(f, warehouse.inbox_path() / f.name)
    defs = build_definitions(warehouse)
    with dg.instance_for_test() as instance:
        report = run_pipeline(defs, instance, warehouse)
        assert report.failed_runs == []
        assert sorted(report.new_partitions) == sorted(f.stem for f in samples)
        assert report.ingest_runs == 1  # all new filings in one run: one writer
        published = warehouse.published_path()

        # Raw store: the exact bytes, hash and length of each sample.
        build = warehouse.build_db_path()
        stored = {
            name: (sha, size)
            for name, sha, size in query(
                build, "SELECT file_name, content_sha256, size_bytes FROM raw.raw_files"
            )
        }
        assert stored == {
            f.name: (hashlib.sha256(f.read_bytes()).hexdigest(), f.stat().st_size) for f in samples
        }

        # Published: one current parsed filing per sample, keyed by its content hash.
        filings = query(
            published,
            "SELECT source_file, content_sha256, status FROM marts.dim_filing"
            " WHERE is_current_version ORDER BY source_file",
        )
        assert filings == [
            (f.name, hashlib.sha256(f.read_bytes()).hexdigest(), "parsed") for f in samples
        ]
        tables = set(
            query(
                published,
                "SELECT table_schema || '.' || table_name FROM information_schema.tables",
            )
        )
        for mart in CONTRACT_MARTS:
            assert (f"marts.{mart}",) in tables
        for audit in CONTRACT_AUDIT:
            assert (f"audit.{audit}",) in tables
        assert any(t.startswith("bi.") for (t,) in tables)
        for raw, mart in RAW_TO_MART.items():
            (raw_rows,) = query(build, f"SELECT count(*) FROM raw.{raw}")[0]
            (mart_rows,) = query(published, f"SELECT count(*) FROM marts.{mart}")[0]
            assert mart_rows > 0 or raw_rows == 0, f"raw.{raw} has rows, marts.{mart} none"

        # Every dbt data test of the project has its result in audit.check_results, and so
        # has every check instance of the audit models.
        manifest = json.loads((dbt_target_dir / "manifest.json").read_text())
        tests = sum(1 for n in manifest["nodes"].values() if n["resource_type"] == "test")
        recorded = dict(
            query(published, "SELECT check_source, count(*) FROM audit.check_results GROUP BY 1")
        )
        assert recorded["dbt"] == tests
        instances = query(
            published,
            "SELECT (SELECT count(*) FROM audit.audit_structural)"
            " + (SELECT count(*) FROM audit.audit_footings)"
            " + (SELECT count(*) FROM audit.audit_restatements)",
        )[0][0]
        assert recorded["expectations"] > instances > 0
        statuses = {
            s for (s,) in query(published, "SELECT DISTINCT status FROM audit.check_results")
        }
        assert statuses <= {"pass", "fail", "warn", "error", "skipped"}

        before = hashlib.sha256(published.read_bytes()).hexdigest()
        raw_before = query(build, "SELECT * FROM raw.raw_files ORDER BY ALL")
        again = run_pipeline(defs, instance, warehouse)
        assert again.ingested_partitions == [] and not again.refreshed
        assert hashlib.sha256(published.read_bytes()).hexdigest() == before
        assert query(build, "SELECT * FROM raw.raw_files ORDER BY ALL") == raw_before


def test_real_filing_and_a_broken_one(
    tmp_path: Path, dbt_target_dir: Path, real_filing: Path
) -> None:
    warehouse = make_warehouse(tmp_path, dbt_target_dir)
    inbox = warehouse.inbox_path()
    shutil.copy(real_filing, inbox / real_filing.name)
    (inbox / "scanned-garbage.txt").write_bytes(bytes(range(256)) * 16)
    defs = build_definitions(warehouse)
    with dg.instance_for_test() as instance:
        report = run_pipeline(defs, instance, warehouse)
    assert report.failed_runs == []
    published = warehouse.published_path()
    data = real_filing.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    assert len(data) == 126173
    assert query(
        warehouse.build_db_path(),
        "SELECT size_bytes FROM raw.raw_files WHERE content_sha256 = ?",
        [sha],
    ) == [(126173,)]
    assert query(
        published, "SELECT status, source_file FROM marts.dim_filing WHERE filing_id = ?", [sha]
    ) == [("parsed", real_filing.name)]
    quarantined = query(published, "SELECT source_file, error FROM audit.quarantined_filings")
    assert len(quarantined) == 1
    assert quarantined[0][0] == "scanned-garbage.txt"
    assert "scanned-garbage.txt" in quarantined[0][1]


def test_materialize_everything_in_one_run(tmp_path: Path, dbt_target_dir: Path) -> None:
    """The daily schedule's job: every partition as one range, then dbt and publish."""
    warehouse = make_warehouse(tmp_path, dbt_target_dir)
    for name, text in {
        "north.txt": "North Gold Corp.\n",
        "south.txt": "South Copper Ltd.\n",
    }.items():
        (warehouse.inbox_path() / name).write_text(text)
    defs = build_definitions(warehouse)
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(filings_partitions.name, ["north", "south"])
        job = defs.resolve_job_def("materialize_everything")
        result = job.execute_in_process(
            instance=instance,
            tags=range_tags("north", "south"),
        )
        assert result.success
        materialized = {
            e.asset_key.to_user_string() for e in result.get_asset_materialization_events()
        }
    assert {
        "raw/raw_files",
        "raw/filings",
        "marts/dim_filing",
        "published_warehouse",
    } <= materialized
    rows = query(warehouse.published_path(), "SELECT source_file FROM marts.dim_filing ORDER BY 1")
    assert rows == [("north.txt",), ("south.txt",)]


def test_cli_run_honours_env_and_prints_the_summary(
    tmp_path: Path, dbt_target_dir: Path, sample_files: list[Path]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    sample = sample_files[0]
    shutil.copy(sample, inbox / sample.name)
    env = {
        **os.environ,
        "FILINGS_DIR": str(inbox),
        "WAREHOUSE_DIR": str(tmp_path / "wh"),
        "WAREHOUSE_BUILD_DB": str(tmp_path / "build" / "build.duckdb"),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
    }
    cmd = [sys.executable, "-m", "orchestration", "run"]
    (dbt_target_dir / "run_results.json").unlink(missing_ok=True)
    first = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "Filings: 1 published, 0 quarantined" in first.stdout
    assert "Rows per mart:" in first.stdout and "dim_filing" in first.stdout
    assert "Checks:" in first.stdout
    assert (tmp_path / "wh" / "warehouse.duckdb").exists()
    assert (tmp_path / "dagster_home" / "dagster.yaml").exists()
    # dbt's artifacts and log went to WAREHOUSE_DBT_TARGET_DIR, not into dbt_project/.
    results = json.loads((dbt_target_dir / "run_results.json").read_text())
    assert results["args"]["which"] == "build"
    assert (dbt_target_dir / "dbt.log").exists()
    second = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "No new or changed filings" in second.stdout, second.stdout
    assert "skipped (published warehouse is up to date)" in second.stdout


def test_cli_names_a_missing_inbox(tmp_path: Path) -> None:
    env = {**os.environ, "FILINGS_DIR": str(tmp_path / "nowhere")}
    run = subprocess.run(
        [sys.executable, "-m", "orchestration", "run", "--ephemeral"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert "nowhere" in run.stderr and "Traceback" not in run.stderr


def test_fresh_instance_ingests_changed_and_stale_filings_then_a_revert(
    tmp_path: Path, dbt_target_dir: Path, sample_files: list[Path]
) -> None:
    """A new Dagster instance (or --ephemeral) still ingests what changed; undo restores."""
    warehouse = make_warehouse(tmp_path, dbt_target_dir)
    a = warehouse.inbox_path() / "a.txt"
    b = warehouse.inbox_path() / "b.txt"
    filed = sample_files[0].read_bytes()
    edited = filed + b"\nA line added by mistake.\n"
    a.write_bytes(filed)
    b.write_text("Bravo Copper Ltd.\n")
    build, published = warehouse.build_db_path(), warehouse.published_path()
    defs = build_definitions(warehouse)
    with dg.instance_for_test() as instance:
        assert run_pipeline(defs, instance, warehouse).failed_runs == []

    a.write_bytes(edited)
    with connect(build) as con:  # b was parsed by an older parser
        con.execute("UPDATE raw.filings SET parser_version = 'older' WHERE filing_key = 'b'")
    with dg.instance_for_test() as fresh:  # no partitions registered
        report = run_pipeline(defs, fresh, warehouse)
        assert report.failed_runs == []
        assert sorted(report.new_partitions) == ["a", "b"]
        assert report.ingested_partitions == ["a", "b"]
        assert report.reparsed_partitions == ["b"]
        assert query(build, "SELECT version, content_sha256 FROM raw.raw_files ORDER BY ALL")[
            :2
        ] == [(1, sha256(filed)), (1, sha256(b.read_bytes()))]
        assert query(build, "SELECT max(version) FROM raw.raw_files WHERE filing_key = 'a'") == [
            (2,)
        ]
        assert query(build, "SELECT parser_version FROM raw.filings WHERE filing_key = 'b'") == [
            (parser_version(),)
        ]
        current = "SELECT filing_key, content_sha256 FROM marts.dim_filing WHERE is_current_version"
        assert query(published, current + " ORDER BY 1") == [("a", sha256(edited))]
        # b names a company and nothing else: re-parsed, and quarantined for its metadata.
        assert query(
            published,
            "SELECT status, quarantine_reasons LIKE 'filing_metadata%'"
            " FROM marts.dim_filing WHERE filing_key = 'b'",
        ) == [("quarantined", True)]

        a.write_bytes(filed)  # the edit is undone
        report = run_pipeline(defs, fresh, warehouse)
        assert report.failed_runs == [] and report.ingested_partitions == ["a"]
    assert query(
        build, "SELECT version, content_sha256 FROM raw.raw_files WHERE filing_key = 'a' ORDER BY 1"
    ) == [(1, sha256(filed)), (2, sha256(edited)), (3, sha256(filed))]
    assert query(
        published,
        "SELECT content_sha256, version, is_newest_version, is_current_version"
        " FROM marts.dim_filing WHERE filing_key = 'a' ORDER BY version",
    ) == [(sha256(filed), 1, True, True), (sha256(edited), 2, False, False)]
    # The incremental facts were rebuilt: the latest values come from the put-back version.
    latest = query(
        published,
        "SELECT DISTINCT f.content_sha256 FROM marts.fct_financial_facts x"
        " JOIN marts.dim_filing f USING (filing_id) WHERE x.is_latest AND f.filing_key = 'a'",
    )
    assert latest == [(sha256(filed),)]


def test_failing_error_check_withholds_the_publish(tmp_path: Path, dbt_target_dir: Path) -> None:
    warehouse = make_warehouse(tmp_path, dbt_target_dir)
    (warehouse.inbox_path() / "north.txt").write_text("North Gold Corp.\n")
    defs = build_definitions(warehouse)
    with dg.instance_for_test() as instance:
        assert run_pipeline(defs, instance, warehouse).failed_runs == []
        published = warehouse.published_path()
        before = published.read_bytes()
        with connect(warehouse.build_db_path()) as con:  # breaks unique(raw.filings.filing_id)
            con.execute("INSERT INTO raw.filings SELECT * FROM raw.filings")
        report = run_pipeline(defs, instance, warehouse, force=True)
    assert report.failed_runs and report.failed_runs[0].startswith("refresh_warehouse")
    assert report.withheld is not None
    assert "unique" in report.withheld and "filings" in report.withheld, report.withheld
    assert "did not build" in report.withheld
    assert published.read_bytes() == before  # still the last complete warehouse
    summary = summarize(published)
    summary.withheld = report.withheld
    assert format_summary(summary).startswith(f"PUBLISH WITHHELD: {report.withheld}")


def test_cli_reports_a_locked_build_database_in_one_line(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("A\n")
    build = tmp_path / "build.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('locked',"
            " flush=True); time.sleep(60)",
            str(build),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        env = {
            **os.environ,
            "FILINGS_DIR": str(inbox),
            "WAREHOUSE_BUILD_DB": str(build),
            "WAREHOUSE_DIR": str(tmp_path / "wh"),
            "WAREHOUSE_LOCK_WAIT_SECONDS": "0.5",
        }
        run = subprocess.run(
            [sys.executable, "-m", "orchestration", "run", "--ephemeral"],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
    finally:
        holder.kill()
        holder.wait()
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    [line] = [x for x in run.stderr.splitlines() if x.startswith("error:")]
    assert str(build) in line and "lock" in line.lower()
