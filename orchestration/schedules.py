"""Jobs across stages and the daily schedule that refreshes everything."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import build_dbt_asset_selection

from . import paths
from .partitions import filings_partitions, range_tags
from .publish.assets import EXPORTS_KEY, PUBLISHED_KEY

REFRESH_JOB = "refresh_warehouse"
EVERYTHING_JOB = "materialize_everything"
EXPORT_JOB = "write_excel_workbooks"


def warehouse_selection(
    dbt_models: dg.AssetsDefinition, checks: dg.AssetChecksDefinition
) -> dg.AssetSelection:
    """dbt's models and tests, the expectation suites on them, the publish and its workbooks."""
    return (
        build_dbt_asset_selection([dbt_models])
        | dg.AssetSelection.checks(checks)
        | dg.AssetSelection.assets(PUBLISHED_KEY, EXPORTS_KEY)
    )


def build_jobs(
    dbt_models: dg.AssetsDefinition, checks: dg.AssetChecksDefinition
) -> list[dg.UnresolvedAssetJobDefinition]:
    """``refresh_warehouse`` (dbt + publish), ``materialize_everything`` (all assets) and
    ``write_excel_workbooks`` (the workbooks of the published file, written again)."""
    refresh = dg.define_asset_job(
        REFRESH_JOB,
        selection=warehouse_selection(dbt_models, checks),
        description="dbt build (models and their tests), the expectation suites, then publish.",
        executor_def=dg.in_process_executor,
    )
    everything = dg.define_asset_job(
        EVERYTHING_JOB,
        selection=dg.AssetSelection.all(),
        description="Every filing partition (unchanged ones are skipped), then dbt and publish.",
        executor_def=dg.in_process_executor,
    )
    export = dg.define_asset_job(
        EXPORT_JOB,
        selection=dg.AssetSelection.assets(EXPORTS_KEY),
        description="The Excel workbooks of the published file, written again (exports/).",
        executor_def=dg.in_process_executor,
    )
    return [refresh, everything, export]


def build_automation_sensor(
    dbt_models: dg.AssetsDefinition, checks: dg.AssetChecksDefinition
) -> dg.SensorDefinition:
    """Evaluates the dbt models' and the publish asset's automation conditions, on by default.

    Dagster's implicit automation sensor starts stopped; this one starts running, so after an
    ingest run the warehouse is rebuilt and republished without a click.
    """
    return dg.AutomationConditionSensorDefinition(
        "warehouse_automation",
        target=warehouse_selection(dbt_models, checks),
        default_status=dg.DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=paths.sensor_interval_seconds(),
        description="Rebuilds dbt models and republishes once new raw data has landed.",
    )


def build_schedule() -> dg.ScheduleDefinition:
    """Daily at ``INGEST_SCHEDULE_CRON`` (default 06:00 UTC): materialize everything."""

    @dg.schedule(
        name="daily_warehouse_refresh",
        cron_schedule=paths.schedule_cron(),
        job_name=EVERYTHING_JOB,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        execution_timezone="UTC",
    )
    def daily_warehouse_refresh(context: dg.ScheduleEvaluationContext):
        """All filing partitions as one range, one run: the build database has one writer."""
        keys = context.instance.get_dynamic_partitions(filings_partitions.name)
        if not keys:
            return dg.SkipReason("no filings yet: the inbox sensor adds them")
        return dg.RunRequest(tags=range_tags(keys[0], keys[-1]))

    return daily_warehouse_refresh
