"""The published warehouse asset: what BI users and SQL clients read."""

import json
from pathlib import Path

import dagster as dg

from ..dbt.translator import refresh_condition
from ..resources import BUILD_DB_POOL, WarehouseConfig
from .publisher import PUBLISHED_SCHEMAS, publish

PUBLISHED_KEY = dg.AssetKey(["published_warehouse"])


def build_publish_asset(
    dbt_models: dg.AssetsDefinition, manifest_path: Path
) -> dg.AssetsDefinition:
    """``published_warehouse``, downstream of every dbt model in a published schema.

    Checks that must hold before users see data (the consistency-checks stage) attach to
    those models as blocking asset checks; publishing then waits for them.
    """
    published_deps = sorted(
        (k for k in dbt_models.keys if k.path[0] in PUBLISHED_SCHEMAS), key=lambda k: k.path
    )

    @dg.asset(
        key=PUBLISHED_KEY,
        deps=published_deps,
        pool=BUILD_DB_POOL,
        group_name="publish",
        kinds={"duckdb"},
        automation_condition=refresh_condition(),
    )
    def published_warehouse(
        context: dg.AssetExecutionContext, warehouse: WarehouseConfig
    ) -> dg.MaterializeResult:
        """The read-only warehouse file (marts, audit, BI views), replaced atomically."""
        manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else None
        result = publish(warehouse.build_db_path(), warehouse.warehouse_path(), manifest)
        if result.failed_checks:
            context.log.warning(f"published with {len(result.failed_checks)} failed check(s)")
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(result.path)),
                "rows": dg.MetadataValue.json(result.tables),
                "views": result.views,
                "failed_checks": result.failed_checks or ["none"],
                "publish_seconds": round(result.seconds, 3),
                "dagster/row_count": sum(
                    n for k, n in result.tables.items() if k.startswith("marts.")
                ),
            }
        )

    return published_warehouse
