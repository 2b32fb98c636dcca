"""How dbt nodes appear in Dagster: models keyed per schema, sources as sources.yml says."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

from ..automation import refresh_condition


class WarehouseDbtTranslator(DagsterDbtTranslator):
    """Models keyed ``[schema, name]``, grouped by schema.

    Sources keep dagster-dbt's key: ``meta.dagster.asset_key`` in sources.yml, which names
    the raw assets (``["raw", "<table>"]``), as does the default ``[source, table]``.
    """

    def __init__(self) -> None:
        super().__init__(
            settings=DagsterDbtTranslatorSettings(
                enable_asset_checks=True, enable_source_tests_as_checks=True
            )
        )

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("schema") or super().get_group_name(dbt_resource_props)

    def get_automation_condition(
        self, dbt_resource_props: Mapping[str, Any]
    ) -> dg.AutomationCondition | None:
        return refresh_condition()
