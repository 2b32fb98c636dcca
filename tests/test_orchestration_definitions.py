"""The Dagster definitions load: assets with lineage, checks, jobs, sensors and the schedule."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.definitions import build_definitions
from orchestration.filings.records import RAW_FILES_TABLE, RAW_TABLES
from orchestration.partitions import filings_partitions

pytestmark = pytest.mark.unit


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
    # A filing is a partition of the raw store; its parse and the loader of the raw tables
    # are batch steps over whatever is pending (Dagster's two events per partition and asset
    # cost some 20 s per 1,000 filings).
    assert graph.get(dg.AssetKey(["raw", "raw_files"])).partitions_def == filings_partitions
    records = graph.get(dg.AssetKey(["records", "filing_records"]))
    assert records.partitions_def is None
    assert graph.get(dg.AssetKey(["raw", "facts"])).partitions_def is None
    assert (
        dg.AssetKey(["records", "filing_records"])
        in graph.get(dg.AssetKey(["raw", "facts"])).parent_keys
    )
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
    # dbt tests became asset checks, and every audit model and mart has the expectations check.
    check_keys = set(graph.asset_check_keys)
    assert len(check_keys) > 0
    expectation_checks = {
        k.asset_key.to_user_string() for k in check_keys if k.name == "expectations"
    }
    assert {
        "audit/audit_structural",
        "audit/audit_restatements",
        "marts/dim_filing",
    } <= expectation_checks
    jobs = {j.name for j in repo.get_all_jobs()}
    assert {"ingest_filings", "refresh_warehouse", "materialize_everything"} <= jobs
    assert repo.get_schedule_def("daily_warehouse_refresh").cron_schedule == "15 5 * * 1-5"
    assert repo.get_sensor_def("inbox_sensor").job_name == "ingest_filings"


def test_the_dbt_resource_skips_what_dagster_dbt_would_start_for_every_build() -> None:
    """dagster-dbt runs ``dbt --version`` and opens an adapter before every build (some 5 s);
    ours knows the pinned dbt-core's version and opens no adapter. The names it overrides
    must still be dagster-dbt's, or an upgrade would silently bring the cost back."""
    import importlib.metadata

    from dagster_dbt import DbtCliResource

    from orchestration.dbt.project import WarehouseDbtCli, dbt_project, dbt_resource

    for name in ("_cli_version", "_initialize_dbt_core_adapter"):
        assert name in vars(DbtCliResource), name
        assert name in vars(WarehouseDbtCli), name
    resource = dbt_resource(dbt_project())
    assert isinstance(resource, WarehouseDbtCli)
    assert str(resource._cli_version) == importlib.metadata.version("dbt-core")
    assert resource._initialize_dbt_core_adapter(["build"]) is None
