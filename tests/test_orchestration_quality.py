"""The quality gate between dbt and publishing: blocking checks, incremental validation."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from conftest import SAMPLES_DIR, query
from orchestration.database import connect
from orchestration.definitions import build_definitions
from orchestration.gate import publish_blocker
from orchestration.names import GATE_TABLE, VALIDATED_TABLE, VERDICTS_TABLE
from orchestration.pipeline import run_pipeline
from orchestration.publish import publisher
from orchestration.resources import WarehouseConfig

SAMPLE = SAMPLES_DIR / "kestrel-ridge-2023-annual-mda.txt"


def _warehouse(tmp_path: Path, dbt_target_dir: Path) -> WarehouseConfig:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLE, inbox / SAMPLE.name)
    return WarehouseConfig(
        inbox_dir=str(inbox),
        build_db=str(tmp_path / "build" / "build.duckdb"),
        warehouse_dir=str(tmp_path / "warehouse"),
        settle_seconds=0,
        dbt_target_dir=str(dbt_target_dir),
    )


@pytest.fixture(scope="module")
def published(tmp_path_factory, dbt_target_dir):
    tmp = tmp_path_factory.mktemp("quality")
    warehouse = _warehouse(tmp, dbt_target_dir)
    defs = build_definitions(warehouse)
    with dg.instance_for_test() as instance:
        report = run_pipeline(defs, instance, warehouse)
        assert report.failed_runs == [] and report.withheld is None
        yield warehouse, defs, instance


def test_verdicts_reach_the_published_warehouse(published) -> None:
    warehouse, _, _ = published
    path = warehouse.published_path()
    by_source = dict(
        query(path, "SELECT check_source, count(*) FROM audit.check_results GROUP BY 1")
    )
    assert by_source["expectations"] > 100 and by_source["dbt"] > 50
    # One clean filing: every check instance passes.
    assert query(
        path,
        "SELECT count(*) FROM audit.check_results WHERE check_source = 'expectations'"
        " AND status <> 'pass'",
    ) == [(0,)]
    families = {f for (f,) in query(path, "SELECT DISTINCT check_family FROM audit.check_results")}
    assert {"structural", "footing", "mining_physics", "economics", "dbt"} <= families
    (docs,) = [warehouse.data_docs_path() / "index.html"]
    assert docs.exists()


def test_nothing_changed_means_nothing_validated_again(published) -> None:
    warehouse, defs, instance = published
    run_pipeline(defs, instance, warehouse, force=True)
    with connect(warehouse.build_db_path(), read_only=True) as con:
        rows, passed, run_id = con.execute(
            f"SELECT validated_rows, passed, run_id FROM {GATE_TABLE}"
        ).fetchone()
        again = con.execute(
            f"SELECT model, count(*) FROM {VERDICTS_TABLE} WHERE run_id = ? GROUP BY 1",
            [run_id],
        ).fetchall()
    assert again == []  # no audit row was judged again
    # Dim tables without a filing are small and validated whole; nothing else again.
    assert passed
    (dims,) = query(
        warehouse.published_path(),
        "SELECT (SELECT count(*) FROM marts.dim_company) + (SELECT count(*) FROM marts.dim_period)",
    )[0]
    assert rows == dims


def test_a_blocking_expectation_withholds_the_publish(published) -> None:
    warehouse, defs, instance = published
    path = warehouse.published_path()
    before = path.read_bytes()
    with connect(warehouse.build_db_path()) as con:
        # A negative grade: no dbt test looks at it, the mart suite does. The grades mart is
        # incremental, so the bad row survives the rebuild; forgetting what was validated
        # makes the suite read it again, as it would for a new filing.
        con.execute("UPDATE marts.fct_mineral_grades SET grade = -1 WHERE commodity = 'Au'")
        con.execute(f"DELETE FROM {VALIDATED_TABLE}")
    report = run_pipeline(defs, instance, warehouse, force=True)
    assert report.withheld is not None
    assert "marts.fct_mineral_grades" in report.withheld and "grade" in report.withheld
    assert path.read_bytes() == before  # the last warehouse that passed stays published
    with connect(warehouse.build_db_path(), read_only=True) as con:
        assert publish_blocker(con).startswith("blocking consistency checks failed")
    # Repaired (a full refresh rebuilds the incremental mart), it publishes again.
    report = run_pipeline(defs, instance, warehouse, full_refresh=True)
    assert report.withheld is None and report.failed_runs == []
    assert path.read_bytes() != before


def test_an_interrupted_publish_leaves_the_previous_file(published, monkeypatch) -> None:
    warehouse, _, _ = published
    path = warehouse.published_path()
    before = path.read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(publisher, "_create_views", interrupted)
    with pytest.raises(KeyboardInterrupt):
        publisher.publish(warehouse.build_db_path(), warehouse.warehouse_path())
    assert path.read_bytes() == before
    leftovers = [p.name for p in warehouse.warehouse_path().iterdir() if "publishing" in p.name]
    assert leftovers == []
