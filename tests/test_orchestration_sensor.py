"""The inbox sensor, evaluated with build_sensor_context as the daemon would."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import dagster as dg
import pytest

from conftest import fresh_instance
from orchestration.database import connect
from orchestration.filings import store
from orchestration.filings.inbox import plan, scan
from orchestration.filings.sensors import build_inbox_sensor
from orchestration.partitions import filings_partitions, range_tags
from orchestration.resources import WarehouseConfig

pytestmark = pytest.mark.unit


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    path = tmp_path / "inbox"
    path.mkdir()
    return path


@pytest.fixture()
def instance():
    with fresh_instance() as inst:
        yield inst


def tick(instance: dg.DagsterInstance, inbox: Path, cursor: str | None):
    """One sensor evaluation; partitions it asks for are added, as the daemon does."""
    warehouse = WarehouseConfig(
        inbox_dir=str(inbox), build_db=str(inbox.parent / "build.duckdb"), settle_seconds=0
    )
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"warehouse": warehouse}
    )
    result = build_inbox_sensor()(context)
    assert isinstance(result, dg.SensorResult)
    for request in result.dynamic_partitions_requests or []:
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
    return result


def test_new_file_becomes_a_partition_and_a_run(instance, inbox: Path) -> None:
    (inbox / "Acme Gold 2012.txt").write_text("Acme Gold Corp. MD&A\n")
    (inbox / "README.md").write_text("not a filing")
    result = tick(instance, inbox, None)
    [add] = result.dynamic_partitions_requests
    assert list(add.partition_keys) == ["acme-gold-2012"]
    assert [r.partition_key for r in result.run_requests] == ["acme-gold-2012"]
    assert instance.get_dynamic_partitions(filings_partitions.name) == ["acme-gold-2012"]


def test_unchanged_inbox_requests_nothing(instance, inbox: Path) -> None:
    (inbox / "a.txt").write_text("A\n")
    first = tick(instance, inbox, None)
    second = tick(instance, inbox, first.cursor)
    assert second.run_requests == []
    assert not second.dynamic_partitions_requests


def test_changed_file_is_a_new_version_of_its_filing(instance, inbox: Path) -> None:
    (inbox / "a.txt").write_text("first\n")
    first = tick(instance, inbox, None)
    (inbox / "a.txt").write_text("second, corrected\n")
    second = tick(instance, inbox, first.cursor)
    assert not second.dynamic_partitions_requests  # no new filing
    [run] = second.run_requests
    assert run.partition_key == "a"
    assert run.tags["filing/change"] == "new_version"


def test_same_content_renamed_is_the_same_filing(instance, inbox: Path) -> None:
    (inbox / "a.txt").write_text("one filing\n")
    first = tick(instance, inbox, None)
    (inbox / "a.txt").rename(inbox / "renamed.txt")
    second = tick(instance, inbox, first.cursor)
    assert not second.dynamic_partitions_requests
    assert instance.get_dynamic_partitions(filings_partitions.name) == ["a"]
    # One run of the existing partition records the other name in the raw store.
    assert [(r.partition_key, r.tags["filing/change"]) for r in second.run_requests] == [
        ("a", "alias")
    ]
    third = tick(instance, inbox, second.cursor)
    assert third.run_requests == []


def test_many_new_files_share_one_run(instance, inbox: Path) -> None:
    for i in range(5):
        (inbox / f"filing-{i}.txt").write_text(f"filing {i}\n")
    result = tick(instance, inbox, None)
    [run] = result.run_requests
    assert run.partition_key is None
    assert range_tags("filing-0", "filing-4").items() <= run.tags.items()
    assert len(instance.get_dynamic_partitions(filings_partitions.name)) == 5


def test_missing_inbox_skips_with_its_name(instance, tmp_path: Path) -> None:
    warehouse = WarehouseConfig(inbox_dir=str(tmp_path / "absent"), build_db=str(tmp_path / "b"))
    context = dg.build_sensor_context(instance=instance, resources={"warehouse": warehouse})
    result = build_inbox_sensor()(context)
    assert isinstance(result, dg.SkipReason)
    assert "absent" in result.skip_message


def test_changed_file_without_a_partition_gets_one(instance, inbox: Path) -> None:
    """A fresh instance (or --ephemeral) knows no partitions for filings already stored."""
    (inbox / "a.txt").write_text("first\n")
    build_db = inbox.parent / "build.duckdb"
    with connect(build_db) as con:
        store.ensure_raw_schema(con)
        changes, _ = plan(scan(inbox).files, store.known_filings(con))
        store.append_raw_files(con, changes, datetime(2024, 1, 1))
    (inbox / "a.txt").write_text("second, corrected\n")
    result = tick(instance, inbox, None)  # no cursor: from the raw store, no partitions
    [add] = result.dynamic_partitions_requests
    assert list(add.partition_keys) == ["a"]
    assert [r.partition_key for r in result.run_requests] == ["a"]
    assert instance.get_dynamic_partitions(filings_partitions.name) == ["a"]


def test_sensor_interval_is_a_few_seconds_and_configurable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert build_inbox_sensor().minimum_interval_seconds == 5
    monkeypatch.setenv("WAREHOUSE_SENSOR_INTERVAL_SECONDS", "12")
    assert build_inbox_sensor().minimum_interval_seconds == 12


def test_content_put_back_twice_gets_a_run_key_of_its_own(instance, inbox: Path) -> None:
    """The daemon launches a run key once: a, b, a, b must still give four runs."""
    path = inbox / "a.txt"
    keys, cursor = [], None
    for text in ["first\n", "second\n", "first\n", "second\n"]:
        path.write_text(text)
        result = tick(instance, inbox, cursor)
        cursor = result.cursor
        keys += [r.run_key for r in result.run_requests]
    assert len(keys) == 4 and len(set(keys)) == 4


def test_a_sidecar_written_beside_a_filing_runs_its_partition(instance, inbox: Path) -> None:
    (inbox / "a.pdf").write_bytes(b"%PDF-1.4 not parsed here\n")
    (inbox / "a.meta.json").write_text('{"company": "Acme"}')  # with it from the start
    first = tick(instance, inbox, None)
    assert [r.partition_key for r in first.run_requests] == ["a"]
    assert tick(instance, inbox, first.cursor).run_requests == []
    (inbox / "a.meta.json").write_text('{"company": "Acme Gold Corp."}')
    second = tick(instance, inbox, first.cursor)
    assert [(r.partition_key, r.tags["filing/change"]) for r in second.run_requests] == [
        ("a", "sidecar")
    ]
    assert not second.dynamic_partitions_requests
    # Each edit is a run of its own: the daemon never launches a run key twice.
    (inbox / "a.meta.json").write_text('{"company": "Acme Gold Corp. (restated)"}')
    third = tick(instance, inbox, second.cursor)
    assert third.run_requests[0].run_key != second.run_requests[0].run_key


def test_a_refused_entry_is_named_in_the_sensor_log_once(
    instance, inbox: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    secret = inbox.parent / "secret.txt"
    secret.write_text("not a filing of yours\n")
    (inbox / "a.txt").write_text("A\n")
    (inbox / "link.txt").symlink_to(secret)
    message = "refused: link.txt is a symbolic link; only regular files in the inbox are read"
    # The sensor's log is its own logger, which writes to the console (and, under the
    # daemon, to the tick's log): read it there.
    capfd.readouterr()
    first = tick(instance, inbox, None)
    assert message in capfd.readouterr().err
    assert [r.partition_key for r in first.run_requests] == ["a"]  # the link is not planned
    second = tick(instance, inbox, first.cursor)
    assert message not in capfd.readouterr().err  # said once, not every few seconds
    (inbox / "link.txt").unlink()
    (inbox / "link.txt").symlink_to(secret)  # still there on a later tick: still refused
    third = tick(instance, inbox, second.cursor)
    assert third.run_requests == []
