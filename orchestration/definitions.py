"""The code location: filings -> dbt -> quality checks -> publish, merged from each stage."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from .dbt import definitions as dbt_stage
from .dbt.project import dbt_project, dbt_resource
from .filings import definitions as filings_stage
from .filings.store import ensure_raw_schema
from .publish import definitions as publish_stage
from .quality import definitions as quality_stage
from .quality.checks import preload_expectations
from .resources import WarehouseConfig
from .schedules import build_automation_sensor, build_jobs, build_schedule


def prepare_dbt_build(warehouse: WarehouseConfig) -> None:
    """What the other stages need before dbt builds: its sources, and GX on its way."""
    with warehouse.build_connection() as con:
        ensure_raw_schema(con)  # dbt's sources exist even before the first filing
    preload_expectations()  # the quality checks run next, in this process


def build_definitions(warehouse: WarehouseConfig | None = None) -> dg.Definitions:
    """Everything the UI and the CLI run; ``warehouse`` overrides paths (tests use tmp dirs)."""
    warehouse = warehouse or WarehouseConfig()
    project = dbt_project(warehouse.dbt_target_path())
    dbt_defs, dbt_models = dbt_stage.build_defs(project, prepare_dbt_build)
    quality_defs, checks = quality_stage.build_defs(dbt_models)
    return dg.Definitions.merge(
        filings_stage.build_defs(),
        dbt_defs,
        quality_defs,
        publish_stage.build_defs(dbt_models, Path(project.manifest_path)),
        dg.Definitions(
            jobs=build_jobs(dbt_models, checks),
            schedules=[build_schedule()],
            sensors=[build_automation_sensor(dbt_models, checks)],
            resources={"warehouse": warehouse, "dbt": dbt_resource(project)},
            # Runs the automation sensor launches (dbt, publish) also stay in one process:
            # the multiprocess default reloads the code location for every step.
            executor=dg.in_process_executor,
        ),
    )


@dg.definitions
def defs() -> dg.Definitions:
    """Loaded by ``dagster dev -m orchestration.definitions``; env is read here, not at import."""
    return build_definitions()
