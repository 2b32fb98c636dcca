"""Definitions of the quality stage."""

from __future__ import annotations

import dagster as dg

from .checks import build_consistency_checks


def build_defs(
    dbt_models: dg.AssetsDefinition,
) -> tuple[dg.Definitions, dg.AssetChecksDefinition]:
    """The expectation suites, as blocking asset checks on the dbt audit models and marts.

    The checks definition is returned too: jobs and sensors select it.
    """
    checks = build_consistency_checks(dbt_models)
    return dg.Definitions(asset_checks=[checks]), checks
