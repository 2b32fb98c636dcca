"""How dbt nodes appear in Dagster: keys per schema, raw sources mapped to the raw assets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

RAW_SOURCE = "raw"


def refresh_condition() -> dg.AutomationCondition:
    """Rebuild when an upstream asset was updated and nothing upstream is still running.

    ``eager()`` also waits while any upstream partition is missing; a filing whose run
    failed would then hold the whole warehouse back, so that clause is dropped.
    """
    return dg.AutomationCondition.eager().without(~dg.AutomationCondition.any_deps_missing())


class WarehouseDbtTranslator(DagsterDbtTranslator):
    """Models keyed ``[schema, name]``, grouped by schema; ``raw`` sources are our raw assets."""

    def __init__(self) -> None:
        super().__init__(
            settings=DagsterDbtTranslatorSettings(
                enable_asset_checks=True, enable_source_tests_as_checks=True
            )
        )

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            if dbt_resource_props.get("source_name") == RAW_SOURCE:
                # Whatever the source's meta says, the raw tables are these assets.
                return dg.AssetKey([RAW_SOURCE, dbt_resource_props["name"]])
            return super().get_asset_key(dbt_resource_props)
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("schema") or super().get_group_name(dbt_resource_props)

    def get_automation_condition(
        self, dbt_resource_props: Mapping[str, Any]
    ) -> dg.AutomationCondition | None:
        return refresh_condition()
