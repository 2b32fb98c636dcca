"""Definitions of the dbt stage."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtProject

from .assets import build_dbt_assets


def build_defs(project: DbtProject) -> tuple[dg.Definitions, dg.AssetsDefinition]:
    """The dbt models (their tests as asset checks); returns the assets for later stages."""
    dbt_models = build_dbt_assets(project)
    return dg.Definitions(assets=[dbt_models]), dbt_models
