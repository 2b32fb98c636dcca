"""Raw store and parsed raw tables: append-only, idempotent, failures recorded not fatal."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from datetime import datetime
from pathlib import Path

import dagster as dg
import pytest

from conftest import fresh_instance, query
from orchestration.database import connect
from orchestration.filings import store
from orchestration.filings.assets import RAW_FILES_KEY, filing_records, parsed_filings, raw_files
from orchestration.filings.inbox import plan, scan
from orchestration.filings.records import RAW_TABLES
from orchestration.partitions import filings_partitions, range_tags
from orchestration.resources import WarehouseConfig

pytestmark = pytest.mark.unit


class Env:
    def __init__(self, tmp_path: Path, instance: dg.DagsterInstance) -> None:
        self.inbox = tmp_path / "inbox"
        self.inbox.mkdir()
        self.build_db = tmp_path / "build.duckdb"
        self.instance = instance
        self.warehouse = WarehouseConfig(
            inbox_dir=str(self.inbox), build_db=str(self.build_db), settle_seconds=0
        )

    def ingest(self, *keys: str) -> dg.ExecuteInProcessResult:
        existing = set(self.instance.get_dynamic_partitions(filings_partitions.name))
        new = [k for k in keys if k not in existing]
        if new:
            self.instance.add_dynamic_partitions(filings_partitions.name, new)
        order = self.instance.get_dynamic_partitions(filings_partitions.name)
        wanted = [k for k in order if k in keys]
        return dg.materialize(
            [raw_files, filing_records, parsed_filings],
            instance=self.instance,
            resources={"warehouse": self.warehouse},
            tags=range_tags(wanted[0], wanted[-1]),
        )

    def query(self, sql: str) -> list[tuple]:
        return query(self.build_db, sql)


@pytest.fixture()
def env(tmp_path: Path):
    with fresh_instance() as instance:
        yield Env(tmp_path, instance)


def test_raw_store_keeps_exact_bytes_hash_and_name(env: Env, sample_files: list[Path]) -> None:
    sample = sample_files[0]
    shutil.copy(sample, env.inbox / sample.name)
    env.ingest(sample.stem)
    data = sample.read_bytes()
    [(sha, name, size, content, key, version)] = env.query(
        "SELECT content_sha256, file_name, size_bytes, content, filing_key, version"
        " FROM raw.raw_files"
    )
    assert sha == hashlib.sha256(data).hexdigest()
    assert (name, size, bytes(content), key, version) == (
        sample.name,
        len(data),
        data,
        sample.stem,
        1,
    )
    [(status, filing_key, filing_version)] = env.query(
        "SELECT status, filing_key, version FROM raw.filings"
    )
    assert (status, filing_key, filing_version) == ("parsed", sample.stem, 1)


def test_reingesting_unchanged_file_changes_nothing(env: Env) -> None:
    (env.inbox / "a.txt").write_text("Acme Gold Corp.\nManagement's Discussion and Analysis\n")
    env.ingest("a")
    before = {
        t: env.query(f"SELECT * FROM raw.{t} ORDER BY ALL") for t in ["raw_files", *RAW_TABLES]
    }
    env.ingest("a")
    after = {
        t: env.query(f"SELECT * FROM raw.{t} ORDER BY ALL") for t in ["raw_files", *RAW_TABLES]
    }
    assert after == before
    assert len(after["raw_files"]) == 1


def test_changed_file_appends_a_version_and_keeps_the_old_bytes(env: Env) -> None:
    path = env.inbox / "a.txt"
    path.write_bytes(b"Acme Gold Corp. first version\n")
    env.ingest("a")
    path.write_bytes(b"Acme Gold Corp. corrected version\n")
    env.ingest("a")
    rows = env.query("SELECT version, content FROM raw.raw_files ORDER BY version")
    assert [(v, bytes(c)) for v, c in rows] == [
        (1, b"Acme Gold Corp. first version\n"),
        (2, b"Acme Gold Corp. corrected version\n"),
    ]
    assert env.query("SELECT version, status FROM raw.filings ORDER BY version") == [
        (1, "parsed"),
        (2, "parsed"),
    ]


def test_content_put_back_is_stored_again_as_the_next_version(env: Env) -> None:
    path = env.inbox / "a.txt"
    first, edit = b"Acme Gold Corp. as filed\n", b"Acme Gold Corp. edited by mistake\n"
    path.write_bytes(first)
    env.ingest("a")
    path.write_bytes(edit)
    env.ingest("a")
    path.write_bytes(first)  # the edit is undone
    env.ingest("a")
    rows = env.query("SELECT version, content, seen_at FROM raw.raw_files ORDER BY version")
    assert [(v, bytes(c)) for v, c, _ in rows] == [(1, first), (2, edit), (3, first)]
    assert rows[0][2] < rows[1][2] < rows[2][2]  # each arrival keeps its own time
    # Each content is parsed once: the put-back content is the filing version parsed first.
    assert env.query("SELECT version, status FROM raw.filings ORDER BY version") == [
        (1, "parsed"),
        (2, "parsed"),
    ]
    env.ingest("a")  # unchanged now: nothing more
    assert len(env.query("SELECT * FROM raw.raw_files")) == 3


def test_copy_under_another_name_is_the_same_filing(env: Env) -> None:
    (env.inbox / "a.txt").write_bytes(b"Same bytes\n")
    (env.inbox / "b.txt").write_bytes(b"Same bytes\n")
    env.ingest("a")
    assert env.query("SELECT file_name, filing_key, version FROM raw.raw_files ORDER BY 1") == [
        ("a.txt", "a", 1),
        ("b.txt", "a", 1),
    ]
    assert env.query("SELECT count(*) FROM raw.filings") == [(1,)]


def test_unreadable_filing_is_recorded_failed_and_others_proceed(env: Env) -> None:
    (env.inbox / "good.txt").write_text("Acme Gold Corp.\nManagement's Discussion and Analysis\n")
    (env.inbox / "broken.txt").write_bytes(bytes(range(256)) * 8)
    result = env.ingest("broken", "good")
    assert result.success
    rows = dict(env.query("SELECT source_file, status FROM raw.filings"))
    assert rows == {"broken.txt": "failed", "good.txt": "parsed"}
    [(error,)] = env.query("SELECT error FROM raw.filings WHERE status = 'failed'")
    assert "broken.txt" in error
    # The bytes of the unreadable file are kept all the same.
    assert env.query("SELECT size_bytes FROM raw.raw_files WHERE file_name = 'broken.txt'") == [
        (2048,)
    ]


def test_parser_crash_is_recorded_failed(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    import functools

    import parse_targets

    from orchestration.filings import assets

    # The parse runs in a child process: the stand-in parser goes there by name.
    monkeypatch.setattr(
        assets, "ParseProcess", functools.partial(assets.ParseProcess, target=parse_targets.explode)
    )
    (env.inbox / "a.txt").write_text("anything\n")
    assert env.ingest("a").success
    [(status, error)] = env.query("SELECT status, error FROM raw.filings")
    assert status == "failed"
    assert "a.txt" in error and "ZeroDivisionError" in error


def test_every_contract_table_exists_even_when_empty(env: Env) -> None:
    (env.inbox / "a.txt").write_text("x\n")
    env.ingest("a")
    tables = {
        r[0] for r in env.query("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'raw'")
    }
    assert tables == {"raw_files", "raw_sidecars", *RAW_TABLES}
    for name, columns in RAW_TABLES.items():
        described = env.query(
            f"SELECT column_name FROM duckdb_columns() WHERE schema_name = 'raw' AND table_name = '{name}'"
            " ORDER BY column_index"
        )
        assert [c for (c,) in described] == [c for c, _ in columns]


def test_a_sidecar_is_stored_and_read_with_its_filing(env: Env) -> None:
    filing = env.inbox / "q3.txt"
    filing.write_text("Management's Discussion and Analysis\nfor the three months\n")
    env.ingest("q3")
    [(name, sources, side)] = env.query(
        "SELECT company_name, metadata_sources, sidecar_sha256 FROM raw.filings"
    )
    assert name is None and side is None

    # The user says what the text does not: the same version is read again with it.
    sidecar = env.inbox / "q3.meta.json"
    sidecar.write_text('{"company": "Acme Gold Corp.", "period_end": "2024-09-30"}')
    env.ingest("q3")
    [(name, period_end, sources, side)] = env.query(
        "SELECT company_name, period_end, metadata_sources, sidecar_sha256 FROM raw.filings"
    )
    assert (name, str(period_end)) == ("Acme Gold Corp.", "2024-09-30")
    assert json.loads(sources)["company_name"] == "sidecar"
    assert side == hashlib.sha256(sidecar.read_bytes()).hexdigest()
    assert env.query("SELECT count(*) FROM raw.raw_files") == [(1,)]  # not a new version

    # Removed: read again without it, and both sidecar events are kept.
    sidecar.unlink()
    env.ingest("q3")
    assert env.query("SELECT company_name, sidecar_sha256 FROM raw.filings") == [(None, None)]
    rows = env.query(
        "SELECT file_name, sidecar_name, content IS NULL FROM raw.raw_sidecars ORDER BY seen_at"
    )
    assert rows == [("q3.txt", "q3.meta.json", False), ("q3.txt", None, True)]


def test_an_unreadable_sidecar_is_an_issue_of_its_filing_not_a_failure(env: Env) -> None:
    (env.inbox / "a.txt").write_text("Acme Gold Corp.\nManagement's Discussion and Analysis\n")
    (env.inbox / "a.meta.json").write_text('{"company": "Acme", ')
    assert env.ingest("a").success
    assert env.query("SELECT status FROM raw.filings") == [("parsed",)]
    [(reason,)] = env.query("SELECT reason FROM raw.issues WHERE kind = 'sidecar'")
    assert "a.meta.json" in reason


def test_a_link_in_the_inbox_is_never_stored(env: Env, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Acme Gold Corp.\nnot a filing of yours\n")
    (env.inbox / "a.txt").write_text("Acme Gold Corp.\nManagement's Discussion and Analysis\n")
    (env.inbox / "b.txt").symlink_to(secret)
    assert env.ingest("a", "b").success
    assert env.query("SELECT file_name FROM raw.raw_files") == [("a.txt",)]


def planned(env: Env):
    with connect(env.build_db) as con:
        store.ensure_raw_schema(con)
        return plan(scan(env.inbox).files, store.known_filings(con))[0]


def test_a_file_gone_before_it_is_stored_is_skipped_by_name(env: Env) -> None:
    (env.inbox / "a.txt").write_text("Acme Gold Corp.\n")
    changes = planned(env)
    (env.inbox / "a.txt").unlink()
    with connect(env.build_db) as con:
        added, skipped = store.append_raw_files(con, changes, datetime(2024, 1, 1))
    assert (added, skipped) == (0, ["skipped: a.txt disappeared before it could be read"])
    assert env.query("SELECT count(*) FROM raw.raw_files") == [(0,)]


def test_a_file_swapped_for_a_pipe_before_it_is_stored_is_refused_not_waited_on(
    env: Env,
) -> None:
    (env.inbox / "a.txt").write_text("Acme Gold Corp.\n")
    changes = planned(env)
    (env.inbox / "a.txt").unlink()
    os.mkfifo(env.inbox / "a.txt")
    outcome: list = []

    def append() -> None:
        with connect(env.build_db) as con:
            outcome.append(store.append_raw_files(con, changes, datetime(2024, 1, 1)))

    worker = threading.Thread(target=append, daemon=True)
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():  # stuck opening the pipe: unblock it so the test can end
        with open(env.inbox / "a.txt", "wb"):
            pass
        worker.join(timeout=5)
        pytest.fail("the raw store waited on a named pipe")
    assert outcome == [
        (0, ["refused: a.txt is a named pipe (FIFO); only regular files in the inbox are read"])
    ]


def test_a_new_filing_whose_file_vanished_is_skipped_not_ingested(env: Env) -> None:
    """The sensor saw the file; it was gone when the run came to read it."""
    (env.inbox / "a.txt").write_text("Acme Gold Corp.\n")
    assert [c.filing_key for c in planned(env)] == ["a"]
    (env.inbox / "a.txt").unlink()
    result = env.ingest("a")
    [event] = [
        e.materialization
        for e in result.get_asset_materialization_events()
        if e.asset_key == RAW_FILES_KEY
    ]
    assert event.metadata["skipped"].value == [
        "skipped: the file of filing a disappeared before it could be read"
    ]
    assert env.query("SELECT count(*) FROM raw.raw_files") == [(0,)]


def test_shard_runs_share_the_pending_filings_and_the_loader_takes_them_all(env: Env) -> None:
    """Past one machine, N parse runs each take the pending versions whose sha256 is theirs
    modulo N: together every version once, then one loader."""
    from conftest import SAMPLES_DIR

    for path in sorted(SAMPLES_DIR.glob("*.txt")):
        (env.inbox / path.name).write_bytes(path.read_bytes())
    keys = [p.stem for p in sorted(env.inbox.iterdir())]
    env.instance.add_dynamic_partitions(filings_partitions.name, keys)
    assert dg.materialize(
        [raw_files],
        instance=env.instance,
        resources={"warehouse": env.warehouse},
        tags=range_tags(keys[0], keys[-1]),
    ).success
    records = env.build_db.parent / "records"
    shares = []
    for shard in range(2):
        before = set(records.rglob("*.parquet"))
        run = dg.materialize(
            [filing_records],
            instance=env.instance,
            resources={"warehouse": env.warehouse},
            run_config={
                "ops": {"records__filing_records": {"config": {"shard": shard, "shards": 2}}}
            },
        )
        assert run.success
        shares.append(set(records.rglob("*.parquet")) - before)
    assert shares[0] and shares[1] and not shares[0] & shares[1]
    assert len(shares[0] | shares[1]) == len(keys)
    assert not env.query("SELECT * FROM raw.filings")  # nothing loaded: parsing writes files only
    assert dg.materialize(
        [parsed_filings], instance=env.instance, resources={"warehouse": env.warehouse}
    ).success
    assert env.query(
        "SELECT count(*), count(*) FILTER (WHERE status = 'parsed') FROM raw.filings"
    ) == [(len(keys), len(keys))]
