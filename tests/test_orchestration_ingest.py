"""`make run`'s ingest step without dbt: what it tells the user about the inbox."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from conftest import fresh_instance, query, slow_copy
from orchestration.definitions import build_definitions
from orchestration.filings import inbox as inbox_module
from orchestration.pipeline import format_ingest, ingest_inbox
from orchestration.resources import WarehouseConfig

pytestmark = pytest.mark.unit


def _warehouse(tmp_path: Path, inbox: Path, settle_seconds: float = 0) -> WarehouseConfig:
    return WarehouseConfig(
        inbox_dir=str(inbox),
        build_db=str(tmp_path / "build.duckdb"),
        warehouse_dir=str(tmp_path / "warehouse"),
        settle_seconds=settle_seconds,
    )


def _ingest(warehouse: WarehouseConfig, defs=None):
    """The first half of `make run` (sensor and ingest) on a fresh Dagster instance."""
    with fresh_instance() as instance:
        return ingest_inbox(defs or build_definitions(warehouse), instance, warehouse)


def test_refused_and_vanished_files_are_named_and_not_counted_as_ingested(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (tmp_path / "secret.txt").write_text("not a filing of yours\n")
    (inbox / "a.txt").write_text("Acme Gold Corp.\nManagement's Discussion and Analysis\n")
    (inbox / "gone.txt").write_text("Gone Mining Ltd.\n")
    (inbox / "link.txt").symlink_to(tmp_path / "secret.txt")
    first_scan = inbox_module.scan

    def scan_then_delete(*args, **kwargs):
        """The sensor's scan sees gone.txt; it is deleted before the run reads it."""
        found = first_scan(*args, **kwargs)
        (inbox / "gone.txt").unlink(missing_ok=True)
        return found

    monkeypatch.setattr(inbox_module, "scan", scan_then_delete)
    report = _ingest(_warehouse(tmp_path, inbox))
    assert report.failed_runs == []
    assert report.ingested_partitions == ["a"]
    assert report.inbox_issues == [
        "refused: link.txt is a symbolic link; only regular files in the inbox are read",
        "skipped: gone.txt disappeared before it could be read",
    ]
    lines = format_ingest(report)
    assert "Ingested 1 filing(s) in 1 run(s)" in lines
    assert "New filings: 1 (a)" in lines
    assert "  skipped: gone.txt disappeared before it could be read" in lines
    assert not any("Ingested 2" in line for line in lines)


def test_a_parse_over_its_limits_fails_its_filing_and_the_run_parses_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One filing repeated 200 times parses for seconds: stopped at the time limit, it is
    recorded as failed with the reason, its bytes are kept, and the samples parse."""
    import duckdb

    from conftest import SAMPLES_DIR

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    samples = sorted(SAMPLES_DIR.glob("*.txt"))[:2]
    for path in samples:
        (inbox / path.name).write_bytes(path.read_bytes())
    repeated = samples[0].read_bytes() * 200
    (inbox / "repeated.txt").write_bytes(repeated)
    # A sample takes < 0.1 s alone; the parses now run side by side on a loaded machine.
    monkeypatch.setenv("WAREHOUSE_PARSE_TIMEOUT_SECONDS", "2")
    report = _ingest(_warehouse(tmp_path, inbox))
    assert report.failed_runs == []
    with duckdb.connect(str(tmp_path / "build.duckdb"), read_only=True) as con:
        filings = con.execute(
            "SELECT source_file, status, error FROM raw.filings ORDER BY 1"
        ).fetchall()
        kept = con.execute(
            "SELECT size_bytes FROM raw.raw_files WHERE file_name = 'repeated.txt'"
        ).fetchall()
    assert filings == sorted(
        [(p.name, "parsed", None) for p in samples]
        + [
            (
                "repeated.txt",
                "failed",
                "parse of repeated.txt stopped after 2 s (WAREHOUSE_PARSE_TIMEOUT_SECONDS)",
            )
        ]
    )
    assert kept == [(len(repeated),)]


def test_a_file_still_being_copied_is_left_for_the_next_run_and_named(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Acme Gold Corp.\nManagement's Discussion and Analysis\n")
    lines = [b"Growing Mining Ltd.\n"] + [f"line {i} of 421\n".encode() for i in range(2, 422)]
    build_db = tmp_path / "build.duckdb"
    warehouse = _warehouse(tmp_path, inbox, settle_seconds=1)
    defs = build_definitions(warehouse)
    stop = threading.Event()
    writer = slow_copy(inbox / "growing.txt", lines, stop)
    try:
        report = _ingest(warehouse, defs)
    finally:
        stop.set()
        writer.join()
    assert report.failed_runs == []
    # a.txt was written just before the run too: complete, it is taken after a short wait.
    assert report.ingested_partitions == ["a"]
    waiting = "waiting: growing.txt is still being written; it will be read by the next run"
    assert report.inbox_issues == [waiting]
    assert f"  {waiting}" in format_ingest(report)
    stored = "SELECT file_name, content FROM raw.raw_files ORDER BY file_name"
    assert [r[0] for r in query(build_db, stored)] == ["a.txt"]

    time.sleep(1.1)  # the copy is finished and has settled
    report = _ingest(warehouse, defs)
    assert report.ingested_partitions == ["growing"] and report.inbox_issues == []
    assert dict(query(build_db, stored))["growing.txt"] == b"".join(lines)
