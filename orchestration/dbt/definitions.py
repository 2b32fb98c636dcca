"""Definitions of the dbt stage."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtProject

from .assets import BeforeBuild, build_dbt_assets


def build_defs(
    project: DbtProject, before_build: BeforeBuild | None = None
) -> tuple[dg.Definitions, dg.AssetsDefinition]:
    """The dbt models (their tests as asset checks); returns the assets for later stages."""
    dbt_models = build_dbt_assets(project, before_build)
    return dg.Definitions(assets=[dbt_models]), dbt_models
