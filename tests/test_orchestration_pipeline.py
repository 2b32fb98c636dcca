"""End to end: inbox -> raw store -> parsed tables -> dbt -> published file.

The sample warehouse is built once per session through the CLI (``conftest.sample_warehouse``);
tests that change a warehouse work on a copy in ``tmp_path``.
"""

from __future__ import annotations

import hashlib
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GARBAGE, GARBAGE_NAME, BuiltWarehouse, fresh_instance, query, run_in_process
from orchestration.__main__ import main
from orchestration.database import connect
from orchestration.definitions import build_definitions
from orchestration.filings.parsing import parser_version
from orchestration.pipeline import run_pipeline
from orchestration.summary import format_summary, summarize

pytestmark = pytest.mark.e2e

CONTRACT_MARTS = [
    "dim_filing",
    "dim_company",
    "dim_period",
    "fct_financial_facts",
    "dim_property",
    "fct_mineral_estimates",
    "fct_mineral_grades",
    "fct_study_economics",
    "fct_operating_results",
]
CONTRACT_AUDIT = ["check_results", "parse_issues", "quarantined_filings"]
# What the parser writes to a raw table must reach its mart.
RAW_TO_MART = {
    "facts": "fct_financial_facts",
    "properties": "dim_property",
    "estimates": "fct_mineral_estimates",
    "estimate_grades": "fct_mineral_grades",
    "economics": "fct_study_economics",
    "operating_results": "fct_operating_results",
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_cli_runs_the_pipeline_and_prints_the_summary(
    sample_warehouse: BuiltWarehouse,
    sample_files: list[Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The CLI smoke test: `python -m orchestration run` in a subprocess, as `make run` runs it."""
    out = sample_warehouse.stdout
    keys = ", ".join(f.stem for f in sample_files)
    assert f"New filings: {len(sample_files)} ({keys})" in out
    # All new filings in one run: one writer of the build database.
    assert f"Ingested {len(sample_files)} filing(s) in 1 run(s)" in out
    assert "dbt build + publish: done" in out
    assert f"Filings: {len(sample_files)} published, 0 quarantined" in out
    assert "Rows per mart:" in out and "dim_filing" in out
    assert "Checks:" in out and "Traceback" not in sample_warehouse.details["stderr"]
    # FILINGS_DIR, WAREHOUSE_DIR, WAREHOUSE_BUILD_DB and DAGSTER_HOME were honoured.
    assert sample_warehouse.published.exists() and sample_warehouse.build_db.exists()
    assert (sample_warehouse.dagster_home / "dagster.yaml").exists()
    # dbt's artifacts and log went to WAREHOUSE_DBT_TARGET_DIR, not into dbt_project/.
    assert sample_warehouse.details["run_results"]["args"]["which"] == "build"
    assert sample_warehouse.details["dbt_log"]

    # A second `make run` on the same inbox (in this process, on a copy): nothing to do.
    copy = sample_warehouse.copy_to(tmp_path / "again")
    monkeypatch.setenv("FILINGS_DIR", str(copy.inbox))
    monkeypatch.setenv("WAREHOUSE_DIR", str(copy.warehouse_dir))
    monkeypatch.setenv("WAREHOUSE_BUILD_DB", str(copy.build_db))
    monkeypatch.setenv("DAGSTER_HOME", str(copy.dagster_home))
    assert main(["run"]) == 0
    second = capsys.readouterr().out
    assert "No new or changed filings" in second, second
    assert "skipped (published warehouse is up to date)" in second
    assert f"Filings: {len(sample_files)} published, 0 quarantined" in second


def test_samples_reach_the_published_warehouse(
    sample_warehouse: BuiltWarehouse, sample_files: list[Path]
) -> None:
    build, published = sample_warehouse.build_db, sample_warehouse.published
    # Raw store: the exact bytes, hash and length of each sample.
    stored = {
        name: (sha, size)
        for name, sha, size in query(
            build, "SELECT file_name, content_sha256, size_bytes FROM raw.raw_files"
        )
    }
    assert stored == {f.name: (sha256(f.read_bytes()), f.stat().st_size) for f in sample_files}

    # Published: one current parsed filing per sample, keyed by its content hash.
    filings = query(
        published,
        "SELECT source_file, content_sha256, status FROM marts.dim_filing"
        " WHERE is_current_version ORDER BY source_file",
    )
    assert filings == [(f.name, sha256(f.read_bytes()), "parsed") for f in sample_files]
    tables = set(
        query(published, "SELECT table_schema || '.' || table_name FROM information_schema.tables")
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
    manifest = sample_warehouse.details["manifest"]
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
    statuses = {s for (s,) in query(published, "SELECT DISTINCT status FROM audit.check_results")}
    assert statuses <= {"pass", "fail", "warn", "error", "skipped"}


def test_a_second_run_changes_nothing(sample_copy: BuiltWarehouse) -> None:
    build, published = sample_copy.build_db, sample_copy.published
    before = sha256(published.read_bytes())
    raw_before = query(build, "SELECT * FROM raw.raw_files ORDER BY ALL")
    again = run_in_process(sample_copy)
    assert again.failed_runs == [] and again.new_partitions == []
    assert again.ingested_partitions == [] and not again.refreshed
    assert sha256(published.read_bytes()) == before
    assert query(build, "SELECT * FROM raw.raw_files ORDER BY ALL") == raw_before


def test_a_run_republishes_a_published_file_changed_behind_its_back(
    sample_copy: BuiltWarehouse,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Someone made the file writable and deleted rows: `make run` notices and republishes."""
    published = sample_copy.published
    facts = "SELECT count(*) FROM marts.fct_financial_facts"
    [(rows,)] = query(published, facts)
    assert rows > 0
    published.chmod(0o644)
    with connect(published) as con:
        con.execute("DELETE FROM marts.fct_financial_facts")
    assert query(published, facts) == [(0,)]
    for var, value in {
        "FILINGS_DIR": sample_copy.inbox,
        "WAREHOUSE_DIR": sample_copy.warehouse_dir,
        "WAREHOUSE_BUILD_DB": sample_copy.build_db,
        "WAREHOUSE_DBT_TARGET_DIR": sample_copy.dbt_target,
    }.items():
        monkeypatch.setenv(var, str(value))
    assert main(["run", "--ephemeral"]) == 0
    out = capsys.readouterr().out
    assert "No new or changed filings" in out, out
    assert "the published file was changed since it was published; republished" in out
    assert query(published, facts) == [(rows,)]
    assert stat.S_IMODE(published.stat().st_mode) == 0o444


def test_real_filing_and_a_broken_one(real_warehouse: BuiltWarehouse, real_filing: Path) -> None:
    report = real_warehouse.details["report"]
    assert report.failed_runs == [] and report.withheld is None
    assert sorted(report.ingested_partitions) == sorted(
        [real_filing.stem, GARBAGE_NAME.removesuffix(".txt")]
    )
    published = real_warehouse.published
    data = real_filing.read_bytes()
    assert len(data) == 126173
    assert query(
        real_warehouse.build_db,
        "SELECT size_bytes FROM raw.raw_files WHERE content_sha256 = ?",
        [sha256(data)],
    ) == [(126173,)]
    assert query(
        published,
        "SELECT status, source_file FROM marts.dim_filing WHERE filing_id = ?",
        [sha256(data)],
    ) == [("parsed", real_filing.name)]
    quarantined = query(published, "SELECT source_file, error FROM audit.quarantined_filings")
    assert len(quarantined) == 1
    assert quarantined[0][0] == GARBAGE_NAME
    assert GARBAGE_NAME in quarantined[0][1]
    assert query(
        real_warehouse.build_db,
        "SELECT size_bytes FROM raw.raw_files WHERE file_name = ?",
        [GARBAGE_NAME],
    ) == [(len(GARBAGE),)]
    assert "1 published, 1 quarantined" in real_warehouse.stdout


def test_materialize_everything_in_one_run(checks_warehouse: BuiltWarehouse) -> None:
    """The daily schedule's job: every partition as one range, then dbt and publish."""
    assert checks_warehouse.details["success"]
    assert {
        "raw/raw_files",
        "raw/filings",
        "marts/dim_filing",
        "published_warehouse",
    } <= checks_warehouse.details["materialized"]
    rows = query(checks_warehouse.published, "SELECT source_file FROM marts.dim_filing ORDER BY 1")
    assert rows == [(name,) for name in sorted(checks_warehouse.details["files"])]


def test_cli_names_a_missing_inbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FILINGS_DIR", str(tmp_path / "nowhere"))
    assert main(["run", "--ephemeral"]) == 2
    err = capsys.readouterr().err
    assert "nowhere" in err and "Traceback" not in err


def test_fresh_instance_ingests_changed_new_and_stale_filings_then_a_revert(
    sample_copy: BuiltWarehouse,
) -> None:
    """A new Dagster instance (or --ephemeral) still ingests what changed; undo restores."""
    build, published = sample_copy.build_db, sample_copy.published
    a = sample_copy.inbox / "wattle-creek-2024-annual-mda.txt"  # a company of its own
    stale = "kestrel-ridge-2023-annual-mda"
    b = sample_copy.inbox / "bravo.txt"
    filed = a.read_bytes()
    edited = filed + b"\nA line added by mistake.\n"
    a.write_bytes(edited)
    b.write_text("Bravo Copper Ltd.\n")
    with connect(build) as con:  # parsed by an older parser
        con.execute("UPDATE raw.filings SET parser_version = 'older' WHERE filing_key = ?", [stale])
    defs = build_definitions(sample_copy.config())
    with fresh_instance() as fresh:  # no partitions registered
        report = run_pipeline(defs, fresh, sample_copy.config())
        assert report.failed_runs == []
        assert sorted(report.new_partitions) == sorted([a.stem, "bravo", stale])
        assert sorted(report.ingested_partitions) == sorted([a.stem, "bravo", stale])
        assert report.reparsed_partitions == [stale]
        assert query(
            build,
            "SELECT filing_key, version, content_sha256 FROM raw.raw_files"
            " WHERE filing_key IN (?, 'bravo') ORDER BY ALL",
            [a.stem],
        ) == sorted(
            [
                ("bravo", 1, sha256(b.read_bytes())),
                (a.stem, 1, sha256(filed)),
                (a.stem, 2, sha256(edited)),
            ]
        )
        assert query(
            build, "SELECT parser_version FROM raw.filings WHERE filing_key = ?", [stale]
        ) == [(parser_version(),)]
        current = "SELECT content_sha256 FROM marts.dim_filing WHERE is_current_version"
        assert query(published, current + " AND filing_key = ?", [a.stem]) == [(sha256(edited),)]
        # bravo names a company and nothing else: quarantined for its metadata.
        assert query(
            published,
            "SELECT status, quarantine_reasons LIKE 'filing_metadata%'"
            " FROM marts.dim_filing WHERE filing_key = 'bravo'",
        ) == [("quarantined", True)]

        a.write_bytes(filed)  # the edit is undone
        report = run_pipeline(defs, fresh, sample_copy.config())
        assert report.failed_runs == [] and report.ingested_partitions == [a.stem]
    assert query(
        build,
        "SELECT version, content_sha256 FROM raw.raw_files WHERE filing_key = ? ORDER BY 1",
        [a.stem],
    ) == [(1, sha256(filed)), (2, sha256(edited)), (3, sha256(filed))]
    assert query(
        published,
        "SELECT content_sha256, version, is_newest_version, is_current_version"
        " FROM marts.dim_filing WHERE filing_key = ? ORDER BY version",
        [a.stem],
    ) == [(sha256(filed), 1, True, True), (sha256(edited), 2, False, False)]
    # The incremental facts were rebuilt: the latest values come from the put-back version.
    latest = query(
        published,
        "SELECT DISTINCT f.content_sha256 FROM marts.fct_financial_facts x"
        " JOIN marts.dim_filing f USING (filing_id) WHERE x.is_latest AND f.filing_key = ?",
        [a.stem],
    )
    assert latest == [(sha256(filed),)]


def test_failing_error_check_withholds_the_publish(sample_copy: BuiltWarehouse) -> None:
    published = sample_copy.published
    before = published.read_bytes()
    with connect(sample_copy.build_db) as con:  # breaks unique(raw.filings.filing_id)
        con.execute("INSERT INTO raw.filings SELECT * FROM raw.filings LIMIT 1")
    report = run_in_process(sample_copy, force=True)
    assert report.failed_runs and report.failed_runs[0].startswith("refresh_warehouse")
    assert report.withheld is not None
    assert "unique" in report.withheld and "filings" in report.withheld, report.withheld
    assert "did not build" in report.withheld
    assert published.read_bytes() == before  # still the last complete warehouse
    summary = summarize(published)
    summary.withheld = report.withheld
    assert format_summary(summary).startswith(f"PUBLISH WITHHELD: {report.withheld}")


def test_cli_reports_a_locked_build_database_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("A\n")
    build = tmp_path / "build.duckdb"
    # Another process holds the build database, as a running `dagster dev` would.
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
        monkeypatch.setenv("FILINGS_DIR", str(inbox))
        monkeypatch.setenv("WAREHOUSE_BUILD_DB", str(build))
        monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path / "wh"))
        monkeypatch.setenv("WAREHOUSE_LOCK_WAIT_SECONDS", "0.5")
        code = main(["run", "--ephemeral"])
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" not in err
    [line] = [x for x in err.splitlines() if x.startswith("error:")]
    assert str(build) in line and "lock" in line.lower()


def test_a_filing_ingested_but_never_published_is_published_by_the_next_run(
    sample_copy: BuiltWarehouse,
) -> None:
    """``make dev`` stopped between its ingest run and the rebuild: the filing is parsed in
    the build database but not published. File times say nothing about that (no dbt ran, so
    the manifest is older than the published file); the content does."""
    import shutil

    from conftest import REPO_ROOT
    from orchestration.pipeline import ingest_inbox

    added = (
        REPO_ROOT / "tests" / "fixtures" / "checks" / "clean" / "tamarack-falls-2024-annual-mda.txt"
    )
    shutil.copy(added, sample_copy.inbox / added.name)
    warehouse = sample_copy.config()
    with fresh_instance() as instance:
        defs = build_definitions(warehouse)
        assert ingest_inbox(defs, instance, warehouse).ingested_partitions  # the ingest half
        report = run_pipeline(defs, instance, warehouse)  # the next `make run`
    assert report.ingested_partitions == [] and report.refreshed
    assert (added.name,) in query(sample_copy.published, "SELECT source_file FROM marts.dim_filing")
