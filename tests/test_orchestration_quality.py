"""The quality gate between dbt and publishing: blocking checks, incremental validation."""

from __future__ import annotations

import pytest

from conftest import BuiltWarehouse, query, run_in_process
from orchestration.database import connect
from orchestration.gate import publish_blocker
from orchestration.names import GATE_TABLE, VALIDATED_TABLE, VERDICTS_TABLE
from orchestration.publish import publisher

pytestmark = pytest.mark.e2e


def test_verdicts_reach_the_published_warehouse(sample_warehouse: BuiltWarehouse) -> None:
    path = sample_warehouse.published
    by_source = dict(
        query(path, "SELECT check_source, count(*) FROM audit.check_results GROUP BY 1")
    )
    assert by_source["expectations"] > 100 and by_source["dbt"] > 50
    # The samples are consistent but for the restatement the 2024 filings make.
    assert set(
        query(
            path,
            "SELECT check_name, status FROM audit.check_results WHERE check_source = 'expectations'"
            " AND status <> 'pass'",
        )
    ) == {("restatement", "warn")}
    families = {f for (f,) in query(path, "SELECT DISTINCT check_family FROM audit.check_results")}
    assert {"structural", "footing", "mining_physics", "economics", "dbt"} <= families
    assert (sample_warehouse.warehouse_dir / "data_docs" / "index.html").exists()
    # Every column of audit.check_results says what it holds.
    assert (
        query(
            path,
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'audit'"
            " AND table_name = 'check_results' AND (comment IS NULL OR comment = '')",
        )
        == []
    )


def test_nothing_changed_means_nothing_validated_again(sample_copy: BuiltWarehouse) -> None:
    report = run_in_process(sample_copy, force=True)
    assert report.refreshed and report.withheld is None
    with connect(sample_copy.build_db, read_only=True) as con:
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
        sample_copy.published,
        "SELECT (SELECT count(*) FROM marts.dim_company) + (SELECT count(*) FROM marts.dim_period)",
    )[0]
    assert rows == dims


def test_a_blocking_expectation_withholds_the_publish(sample_copy: BuiltWarehouse) -> None:
    path = sample_copy.published
    before = path.read_bytes()
    with connect(sample_copy.build_db) as con:
        # A negative grade: no dbt test looks at it, the mart suite does. The grades mart is
        # incremental, so the bad row survives the rebuild; forgetting what was validated
        # makes the suite read it again, as it would for a new filing.
        con.execute("UPDATE marts.fct_mineral_grades SET grade = -1 WHERE commodity = 'Au'")
        con.execute(f"DELETE FROM {VALIDATED_TABLE}")
    report = run_in_process(sample_copy, force=True)
    assert report.withheld is not None
    assert "marts.fct_mineral_grades" in report.withheld and "grade" in report.withheld
    assert path.read_bytes() == before  # the last warehouse that passed stays published
    with connect(sample_copy.build_db, read_only=True) as con:
        assert publish_blocker(con).startswith("blocking consistency checks failed")
    # Repaired (a full refresh rebuilds the incremental mart), it publishes again.
    report = run_in_process(sample_copy, full_refresh=True)
    assert report.withheld is None and report.failed_runs == []
    assert path.read_bytes() != before
    assert query(path, "SELECT count(*) FROM marts.fct_mineral_grades WHERE grade < 0") == [(0,)]


def test_an_interrupted_publish_leaves_the_previous_file(
    sample_copy: BuiltWarehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = sample_copy.published
    before = path.read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(publisher, "_create_views", interrupted)
    with pytest.raises(KeyboardInterrupt):
        publisher.publish(sample_copy.build_db, sample_copy.warehouse_dir)
    assert path.read_bytes() == before
    leftovers = [p.name for p in sample_copy.warehouse_dir.iterdir() if "publishing" in p.name]
    assert leftovers == []


def test_validating_a_filing_at_a_time_gives_the_verdicts_of_one_pass(
    sample_copy: BuiltWarehouse, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A backfill is validated a batch of filings at a time, so memory holds one batch. With
    batches of one filing, every audit row gets the verdict one pass gave it, and every
    mart suite runs once per filing (its suite built again each time)."""
    from expectations.runner import Validator
    from orchestration import paths
    from orchestration.quality import store
    from orchestration.quality.validation import validate_build

    verdicts = f"SELECT check_id, status, message FROM {VERDICTS_TABLE} ORDER BY check_id"
    with connect(sample_copy.build_db) as con:
        before = con.execute(verdicts).fetchall()
        con.execute(f"DELETE FROM {VERDICTS_TABLE}")
        con.execute(f"DELETE FROM {VALIDATED_TABLE}")
        monkeypatch.setattr(store, "FILINGS_PER_BATCH", 1)
        validator = Validator(
            run_name="one-filing-batches",
            docs_dir=tmp_path / "docs",
            project_dir=tmp_path / "gx",
            assets_dir=paths.docs_assets_dir(),
        )
        report = validate_build(con, validator)
        after = con.execute(verdicts).fetchall()
        (facts,) = con.execute("SELECT count(*) FROM marts.fct_financial_facts").fetchone()
    assert report.blocking == []
    assert len(before) > 100 and after == before
    assert report.suites["fct_financial_facts"].validated == facts
