"""Publishing: a new file renamed over the old, safe for readers that are querying it."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa

from conftest import query
from orchestration.dbt.results import record_results
from orchestration.names import PUBLICATIONS_TABLE
from orchestration.publish import publisher
from orchestration.publish.publisher import (
    PUBLISHED_FILE_CHANGED,
    UNPUBLISHED_BUILD,
    publish,
    published_file_changes,
)
from orchestration.storage import NoSpaceLeft
from orchestration.summary import summarize

pytestmark = pytest.mark.unit


def make_build_db(path: Path, rows: int) -> None:
    """A build database shaped like dbt's output: marts, audit, a BI view, plus internals."""
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS marts")
        con.execute("CREATE SCHEMA IF NOT EXISTS bi")
        con.execute("CREATE SCHEMA IF NOT EXISTS audit")
        con.execute("CREATE SCHEMA IF NOT EXISTS staging")
        con.execute("CREATE SCHEMA IF NOT EXISTS raw")
        con.execute(
            "CREATE OR REPLACE TABLE marts.fct_things AS SELECT range AS id, range * 2.5 AS value"
            f" FROM range({rows})"
        )
        con.execute(
            f"CREATE OR REPLACE TABLE marts.dim_things AS SELECT range AS id FROM range({rows})"
        )
        con.execute("CREATE OR REPLACE TABLE audit.parse_issues AS SELECT 1 AS issue_id")
        con.execute("CREATE OR REPLACE TABLE staging.internal AS SELECT 1 AS x")
        con.execute("CREATE OR REPLACE TABLE raw.filings AS SELECT 1 AS x")
        con.execute(
            "CREATE OR REPLACE VIEW bi.thing_totals AS SELECT count(*) AS n, sum(value) AS total"
            " FROM marts.fct_things"
        )
        con.execute("COMMENT ON TABLE marts.fct_things IS 'One row per thing.'")
        con.execute("COMMENT ON COLUMN marts.fct_things.value IS 'The value, in USD.'")


MANIFEST = {
    "nodes": {
        "model.p.fct_things": {
            "resource_type": "model",
            "name": "fct_things",
            "schema": "marts",
            "description": "Things, one row each (from the manifest).",
            "columns": {"id": {"description": "Thing id."}},
        },
        "model.p.dim_things": {
            "resource_type": "model",
            "name": "dim_things",
            "schema": "marts",
            "description": "",
            "columns": {},
        },
        "model.p.thing_totals": {
            "resource_type": "model",
            "name": "thing_totals",
            "schema": "bi",
            "description": "Totals.",
            "columns": {"n": {"description": "How many things."}},
        },
        "model.p.parse_issues": {
            "resource_type": "model",
            "name": "parse_issues",
            "schema": "audit",
            "description": "",
            "columns": {},
        },
        "model.p.internal": {"resource_type": "model", "name": "internal", "schema": "staging"},
    }
}


def test_publish_copies_published_schemas_only_with_views_and_comments(tmp_path: Path) -> None:
    build = tmp_path / "build.duckdb"
    make_build_db(build, rows=10)
    result = publish(build, tmp_path / "wh", MANIFEST)
    assert result.tables == {
        "marts.fct_things": 10,
        "marts.dim_things": 10,
        "audit.parse_issues": 1,
    }
    assert result.views == ["bi.thing_totals"]
    assert sorted(p.name for p in (tmp_path / "wh").iterdir()) == ["warehouse.duckdb"]
    with duckdb.connect(str(result.path), read_only=True) as con:
        schemas = {r[0] for r in con.execute("SELECT schema_name FROM duckdb_schemas()").fetchall()}
        assert {"marts", "audit", "bi"} <= schemas
        assert "staging" not in schemas and "raw" not in schemas
        assert con.execute("SELECT n, total FROM bi.thing_totals").fetchone() == (10, 112.5)
        view_type = con.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = 'thing_totals'"
        ).fetchone()
        assert view_type == ("VIEW",)
        comments = dict(
            ((t, c), comment)
            for t, c, comment in con.execute(
                "SELECT table_name, column_name, comment FROM duckdb_columns()"
                " WHERE comment IS NOT NULL"
            ).fetchall()
        )
        assert comments[("fct_things", "value")] == "The value, in USD."  # from the build DB
        assert comments[("fct_things", "id")] == "Thing id."  # from the manifest
        assert comments[("thing_totals", "n")] == "How many things."
        table_comment = con.execute(
            "SELECT comment FROM duckdb_tables() WHERE table_name = 'fct_things'"
        ).fetchone()
        assert table_comment == ("Things, one row each (from the manifest).",)
        # audit.check_results always exists, even before dbt has recorded any result.
        assert con.execute("SELECT count(*) FROM audit.check_results").fetchone() == (0,)


def test_published_file_is_readable_by_duckdb_1x_storage(tmp_path: Path) -> None:
    build = tmp_path / "build.duckdb"
    make_build_db(build, rows=3)
    result = publish(build, tmp_path / "wh", MANIFEST)
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{result.path}' AS w (READ_ONLY)")
        [(tags,)] = con.execute(
            "SELECT tags FROM duckdb_databases() WHERE database_name = 'w'"
        ).fetchall()
    assert tags["storage_version"].startswith("v1.0")


def test_reader_holding_the_old_file_keeps_reading_it(tmp_path: Path) -> None:
    build = tmp_path / "build.duckdb"
    make_build_db(build, rows=5)
    first = publish(build, tmp_path / "wh", MANIFEST)
    reader = duckdb.connect(str(first.path), read_only=True)
    make_build_db(build, rows=7)
    publish(build, tmp_path / "wh", MANIFEST)
    assert reader.execute("SELECT count(*) FROM marts.fct_things").fetchone() == (5,)
    reader.close()
    with duckdb.connect(str(first.path), read_only=True) as fresh:
        assert fresh.execute("SELECT count(*) FROM marts.fct_things").fetchone() == (7,)


READER = textwrap.dedent(
    """
    import json, os, sys, time
    import duckdb
    import sqlalchemy as sa

    # Reads until the parent creates the stop file (or a minute passes: a stuck parent).
    path, stop = sys.argv[1], sys.argv[2]
    engine = sa.create_engine(
        f"duckdb:///{path}?access_mode=read_only", poolclass=sa.pool.NullPool
    )
    # Both tables are written by one publish with the same row count: a reader seeing two
    # different counts would have seen a half-published warehouse.
    query = "SELECT (SELECT count(*) FROM marts.fct_things), (SELECT count(*) FROM marts.dim_things),"
    query += " (SELECT n FROM bi.thing_totals)"
    seen, errors, queries = set(), [], {"duckdb": 0, "sqlalchemy": 0}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (
        os.path.exists(stop) and min(queries.values()) > 10
    ):
        try:
            with duckdb.connect(path, read_only=True) as con:
                a, b, c = con.execute(query).fetchone()
            queries["duckdb"] += 1
            if not a == b == c:
                errors.append(f"duckdb inconsistent {a} {b} {c}")
            seen.add(a)
            with engine.connect() as con:
                a, b, c = con.execute(sa.text(query)).fetchone()
            queries["sqlalchemy"] += 1
            if not a == b == c:
                errors.append(f"sqlalchemy inconsistent {a} {b} {c}")
            seen.add(a)
            if sum(queries.values()) == 2:
                print("ready", flush=True)  # the parent publishes only from now on
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    print(json.dumps({"errors": errors[:20], "queries": queries, "seen": sorted(seen)}))
    """
)


@pytest.mark.parametrize("publishes", [12])
def test_concurrent_readers_never_fail_while_publishing(tmp_path: Path, publishes: int) -> None:
    build = tmp_path / "build.duckdb"
    make_build_db(build, rows=100)
    published = publish(build, tmp_path / "wh", MANIFEST).path
    script = tmp_path / "reader.py"
    script.write_text(READER)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, str(script), str(published), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Imports take the reader a while; publishing before it queries would test nothing.
    assert reader.stdout.readline().strip() == "ready", reader.stderr.read()
    counts = []
    for i in range(publishes):
        rows = 100 + 1000 * (i + 1)
        make_build_db(build, rows=rows)
        publish(build, tmp_path / "wh", MANIFEST)
        counts.append(rows)
    stop.touch()
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    report = json.loads(out.strip().splitlines()[-1])
    assert report["errors"] == []
    assert report["queries"]["duckdb"] > 10 and report["queries"]["sqlalchemy"] > 10
    assert set(report["seen"]) <= {100, *counts}
    assert len(report["seen"]) >= 2  # the reader really ran across publishes
    engine = sa.create_engine(f"duckdb:///{published}?access_mode=read_only")
    with engine.connect() as con:
        assert con.execute(sa.text("SELECT count(*) FROM marts.fct_things")).scalar() == counts[-1]
    engine.dispose()


def test_a_warning_is_not_a_failed_check(tmp_path: Path) -> None:
    build = tmp_path / "build.duckdb"
    make_build_db(build, rows=2)
    with duckdb.connect(str(build)) as con:  # what the summary reads of the contract
        con.execute(
            "CREATE TABLE marts.dim_filing AS SELECT 'parsed' AS status,"
            " true AS is_current_version, true AS is_newest_version"
        )
        con.execute(
            "CREATE TABLE audit.quarantined_filings (source_file VARCHAR, error VARCHAR,"
            " is_newest_version BOOLEAN)"
        )
    contract = {
        f"model.p.{name}": {"resource_type": "model", "name": name, "schema": schema}
        for schema, name in [("marts", "dim_filing"), ("audit", "quarantined_filings")]
    }
    manifest = {
        "nodes": {
            **MANIFEST["nodes"],
            **contract,
            "test.p.vocab": {
                "resource_type": "test",
                "name": "vocab",
                "attached_node": "model.p.fct_things",
                "config": {"severity": "warn"},
            },
            "test.p.key_unique": {
                "resource_type": "test",
                "name": "key_unique",
                "attached_node": "model.p.fct_things",
                "config": {"severity": "error"},
            },
        }
    }
    run_results = {
        "metadata": {"invocation_id": "i1"},
        "results": [
            {"unique_id": "test.p.vocab", "status": "warn", "failures": 3},
            {"unique_id": "test.p.key_unique", "status": "pass", "failures": 0},
        ],
    }
    with duckdb.connect(str(build)) as con:
        record_results(con, run_results, manifest)
    result = publish(build, tmp_path / "wh", manifest)
    assert result.failed_checks == []
    assert result.warned_checks == ["vocab on fct_things: warn (3 failing rows)"]
    assert query(result.path, "SELECT failed_checks FROM audit.publication") == [(0,)]
    summary = summarize(result.path)
    assert (summary.checks.failed, summary.checks.warned) == ([], result.warned_checks)
    assert summary.checks.total == 2
    assert summary.checks.counts == {("error", "pass"): 1, ("warn", "warn"): 1}
    assert summary.filings_published == 1


def test_published_file_is_read_only_and_republishing_replaces_it(tmp_path: Path) -> None:
    build = tmp_path / "build.duckdb"
    make_build_db(build, rows=3)
    first = publish(build, tmp_path / "wh", MANIFEST)
    assert stat.S_IMODE(first.path.stat().st_mode) == 0o444
    make_build_db(build, rows=8)
    # The rename replaces a 0444 file: only the folder's permissions matter to os.replace.
    second = publish(build, tmp_path / "wh", MANIFEST)
    assert stat.S_IMODE(second.path.stat().st_mode) == 0o444
    assert query(second.path, "SELECT count(*) FROM marts.fct_things") == [(8,)]
    assert sorted(p.name for p in (tmp_path / "wh").iterdir()) == ["warehouse.duckdb"]


def test_the_build_database_records_the_published_files_hash(tmp_path: Path) -> None:
    build = tmp_path / "build.duckdb"
    make_build_db(build, rows=3)
    result = publish(build, tmp_path / "wh", MANIFEST)
    digest = hashlib.sha256(result.path.read_bytes()).hexdigest()
    assert result.sha256 == digest
    [(path, recorded)] = query(build, f"SELECT path, sha256 FROM {PUBLICATIONS_TABLE}")
    assert (path, recorded) == (str(result.path), digest)
    assert published_file_changes(build, result.path) is None

    result.path.chmod(0o644)  # what it takes to edit it in place
    with duckdb.connect(str(result.path)) as con:
        con.execute("DELETE FROM marts.fct_things WHERE id = 0")
    assert published_file_changes(build, result.path) == PUBLISHED_FILE_CHANGED

    publish(build, tmp_path / "wh", MANIFEST)
    assert published_file_changes(build, result.path) is None
    assert query(result.path, "SELECT count(*) FROM marts.fct_things") == [(3,)]


def test_a_published_file_without_a_record_is_not_vouched_for(tmp_path: Path) -> None:
    build = tmp_path / "build.duckdb"
    make_build_db(build, rows=2)
    result = publish(build, tmp_path / "wh", MANIFEST)
    with duckdb.connect(str(build)) as con:  # a build database from before the record
        con.execute(f"DROP TABLE {PUBLICATIONS_TABLE}")
    assert "no record" in published_file_changes(build, result.path)


def test_a_dead_publishs_temp_file_goes_at_the_next_start_and_a_live_ones_stays(
    tmp_path: Path,
) -> None:
    from orchestration.publish.publisher import _remove_stale_temp_files, _temp_name
    from orchestration.recovery import process_id

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        pid, started = process_id(child.pid)
    finally:
        child.kill()
        child.wait()
    dead = tmp_path / f".warehouse-{pid}-{started}-0123456789ab.publishing"
    live = tmp_path / _temp_name()  # this process's: a publish still being written
    unnamed = tmp_path / ".warehouse-0123456789ab.publishing"  # an older version's, recent
    for p in (dead, Path(f"{dead}.wal"), live, unnamed):
        p.write_bytes(b"partial")
    _remove_stale_temp_files(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, unnamed.name])


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE marts.fct_things SET value = value + 1 WHERE id = 1",  # same rows, other value
        "INSERT INTO marts.dim_things VALUES (99)",
        "CREATE OR REPLACE VIEW bi.thing_totals AS SELECT 1 AS n",
        "CREATE TABLE orchestration.validated_filings AS SELECT 'f1' AS filing_id",
    ],
)
def test_a_build_that_was_not_published_is_told_by_its_content(tmp_path: Path, change: str) -> None:
    build = tmp_path / "build.duckdb"
    make_build_db(build, rows=3)
    publish(build, tmp_path / "wh", MANIFEST)
    published = tmp_path / "wh" / "warehouse.duckdb"
    mtime = published.stat().st_mtime_ns
    with duckdb.connect(str(build)) as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS orchestration")
        con.execute(change)  # what a dbt build or the checks of a run killed before its publish did
    assert published_file_changes(build, published) == UNPUBLISHED_BUILD
    assert published.stat().st_mtime_ns == mtime  # the file itself is as it was published

    publish(build, tmp_path / "wh", MANIFEST)
    assert published_file_changes(build, published) is None


def test_a_build_touched_without_a_change_is_still_up_to_date(tmp_path: Path) -> None:
    build = tmp_path / "build.duckdb"
    make_build_db(build, rows=3)
    publish(build, tmp_path / "wh", MANIFEST)
    published = tmp_path / "wh" / "warehouse.duckdb"
    make_build_db(build, rows=3)  # every table rebuilt with the same rows (a dbt run, no change)
    assert published_file_changes(build, published) is None


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        # What DuckDB raises when a checkpoint cannot write the file.
        duckdb.IOException('IO Error: Could not write file "x": No space left on device'),
    ],
)
def test_a_full_disk_fails_the_publish_with_one_line_naming_the_filesystem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    build = tmp_path / "build.duckdb"
    make_build_db(build, rows=100)
    previous = publish(build, tmp_path / "wh", MANIFEST)
    before = previous.path.read_bytes()

    def full(*args, **kwargs):
        raise error

    monkeypatch.setattr(publisher, "_write_publication", full)
    with pytest.raises(NoSpaceLeft) as raised:
        publish(build, tmp_path / "wh", MANIFEST)
    message = str(raised.value)
    assert "\n" not in message
    mount = tmp_path
    while not os.path.ismount(mount):
        mount = mount.parent
    need = max(1, round(len(before) / 1e6))
    assert message == f"publish failed: no space left on {mount} (need about {need} MB)"
    assert previous.path.read_bytes() == before  # readers still have the last good file
    assert [p.name for p in (tmp_path / "wh").iterdir()] == ["warehouse.duckdb"]  # no temp
