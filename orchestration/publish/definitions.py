"""Definitions of the publish stage."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from .assets import build_exports_asset, build_publish_asset


def build_defs(dbt_models: dg.AssetsDefinition, manifest_path: Path) -> dg.Definitions:
    """The published-warehouse asset, downstream of the dbt models it copies, and the Excel
    workbooks written from it."""
    return dg.Definitions(
        assets=[build_publish_asset(dbt_models, manifest_path), build_exports_asset()]
    )
