"""Parsed records as content-addressed Parquet files, parsed on every core, loaded by one loader.

The promises: a record file round-trips every raw-table row with its type; loading is
idempotent; a batch stopped midway keeps what it wrote, and the next run parses only the rest.
"""

from __future__ import annotations

import math
import threading
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from conftest import SAMPLES_DIR
from orchestration.filings import record_files
from orchestration.filings.parse_process import ParseProcess
from orchestration.filings.parsing import ParseTask, parse_all, parse_task, parse_to_file
from orchestration.filings.records import RAW_TABLES, failed_filing_row
from orchestration.filings.store import ensure_raw_schema

pytestmark = pytest.mark.unit

NOW = datetime(2025, 3, 4, 5, 6, 7, 891011)
SAMPLES = sorted(SAMPLES_DIR.glob("*.txt"))


def _tasks(root: Path, files: list[Path]) -> tuple[list[ParseTask], dict[str, bytes]]:
    contents = {f"sha-{p.stem}": p.read_bytes() for p in files}
    tasks = [parse_task(root, f"sha-{p.stem}", p.name, p.stem, 1, None) for p in files]
    return tasks, contents


def test_the_file_name_is_a_hash_of_every_input_of_the_parse(tmp_path: Path) -> None:
    base = ("pv1", "sha", "a.txt", "a", 1, None)
    key = record_files.record_key(*base)
    assert record_files.record_key(*base) == key  # stable
    for i, other in enumerate(["pv2", "sha2", "b.txt", "b", 2, "side"]):
        changed = list(base)
        changed[i] = other
        assert record_files.record_key(*changed) != key, changed
    path = record_files.record_path(tmp_path, key)
    assert path == tmp_path / key[:2] / f"{key}.parquet"


def test_a_record_file_round_trips_every_type_through_the_loader(tmp_path: Path) -> None:
    row = failed_filing_row("f1", "ünïcode — name.txt", NOW, "pv", "it's broken", "k", 3)
    row.update(period_end="2024-12-31", fiscal_year=2024, resources_inclusive=True)
    fact = {c: None for c, _ in RAW_TABLES["facts"]}
    fact.update(filing_id="f1", value=1234567.125, period_end="2024-09-30")
    nan_fact = dict(fact, value=math.nan)  # no value, as the raw tables have always held it
    path = tmp_path / "f1.parquet"
    record_files.write_records(
        path, record_files.encode({"filings": [row], "facts": [fact, nan_fact]})
    )
    assert record_files.read_records(path)["facts"][0]["value"] == 1234567.125

    with duckdb.connect() as con:
        ensure_raw_schema(con)
        counts = record_files.load_records(con, ["f1"], [path])
        assert counts["filings"] == 1 and counts["facts"] == 2 and counts["tables"] == 0
        loaded = con.execute(
            "SELECT source_file, parsed_at, error, period_end, fiscal_year, resources_inclusive,"
            " version FROM raw.filings"
        ).fetchone()
        assert loaded == (
            "ünïcode — name.txt",
            NOW,
            "it's broken",
            datetime(2024, 12, 31).date(),
            2024,
            True,
            3,
        )
        values = con.execute("SELECT value, period_end FROM raw.facts ORDER BY value").fetchall()
        assert values == [
            (1234567.125, datetime(2024, 9, 30).date()),
            (None, datetime(2024, 9, 30).date()),
        ]
        # Loading again replaces the version's rows: nothing doubles.
        record_files.load_records(con, ["f1"], [path])
        assert con.execute("SELECT count(*) FROM raw.facts").fetchone() == (2,)


def test_a_written_file_is_never_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    row = failed_filing_row("x", "x.txt", NOW, "pv", "first", "x", 1)
    size = record_files.write_records(path, record_files.encode({"filings": [row]}))
    other = dict(row, error="second")
    assert record_files.write_records(path, record_files.encode({"filings": [other]})) == size
    assert record_files.read_records(path)["filings"][0]["error"] == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["x.parquet"]  # no temp file left


def test_the_loader_takes_a_batch_in_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(record_files, "LOAD_CHUNK", 2)
    ids, files = [], []
    for i in range(5):
        path = tmp_path / f"{i}.parquet"
        row = failed_filing_row(f"f{i}", f"{i}.txt", NOW, "pv", "e", f"k{i}", 1)
        record_files.write_records(path, record_files.encode({"filings": [row]}))
        ids.append(f"f{i}")
        files.append(path)
    with duckdb.connect() as con:
        ensure_raw_schema(con)
        assert record_files.load_records(con, ids, files)["filings"] == 5
        assert con.execute("SELECT count(DISTINCT filing_id) FROM raw.filings").fetchone() == (5,)
        with pytest.raises(ValueError, match="one file per filing version"):
            record_files.load_records(con, ids, files[:-1])


def test_two_workers_parse_each_filing_once_into_the_rows_one_process_gives(tmp_path: Path) -> None:
    tasks, contents = _tasks(tmp_path / "pool", SAMPLES)
    reads: list[str] = []
    errors = parse_all(tasks, lambda sha: reads.append(sha) or contents[sha], NOW, workers=2)
    assert errors == {} and sorted(reads) == sorted(contents)  # each read once
    one, _ = _tasks(tmp_path / "one", SAMPLES)
    with ParseProcess() as process:
        for task in one:
            assert parse_to_file(task, contents[task.filing_id], NOW, process) is None
    for pooled, single in zip(tasks, one, strict=True):
        assert record_files.read_records(pooled.path) == record_files.read_records(single.path)

    # A second run finds every file written: it parses nothing and starts no process.
    def no_process() -> ParseProcess:
        raise AssertionError("a process was started with nothing to parse")

    assert parse_all(tasks, contents.__getitem__, NOW, workers=2, new_process=no_process) == {}


def test_a_batch_stopped_midway_keeps_its_files_and_the_next_run_parses_the_rest(
    tmp_path: Path,
) -> None:
    tasks, contents = _tasks(tmp_path, SAMPLES)
    done: list[str] = []
    lock = threading.Lock()

    def disk_fills_on_the_fourth(task, content, parsed_at, process):
        with lock:
            if len(done) == 3:
                raise OSError(28, "No space left on device")
            done.append(task.filing_id)
        return parse_to_file(task, content, parsed_at, process)

    with pytest.raises(OSError, match="No space left"):
        parse_all(tasks, contents.__getitem__, NOW, workers=2, parse=disk_fills_on_the_fourth)
    written = {t.filing_id for t in tasks if t.path.exists()}
    assert written == set(done) and len(written) == 3
    parsed_again: list[str] = []

    def counting(task, content, parsed_at, process):
        parsed_again.append(task.filing_id)
        return parse_to_file(task, content, parsed_at, process)

    assert parse_all(tasks, contents.__getitem__, NOW, workers=2, parse=counting) == {}
    assert sorted(parsed_again) == sorted(set(contents) - written)
    assert all(t.path.exists() for t in tasks)


def test_a_failed_parse_writes_the_version_as_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_MAX_TEXT_MB", "0.001")
    tasks, contents = _tasks(tmp_path, SAMPLES[:1])
    errors = parse_all(tasks, contents.__getitem__, NOW, workers=1)
    (error,) = errors.values()
    assert "WAREHOUSE_MAX_TEXT_MB" in error
    (row,) = record_files.read_records(tasks[0].path)["filings"]
    assert (row["status"], row["error"]) == ("failed", error)
