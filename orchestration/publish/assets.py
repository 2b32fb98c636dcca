"""The published warehouse asset: what BI users and SQL clients read."""

import json
from pathlib import Path

import dagster as dg

from ..automation import refresh_condition
from ..gate import PUBLISH_WITHHELD, publish_blocker
from ..names import PUBLISHED_SCHEMAS
from ..resources import BUILD_DB_POOL, WarehouseConfig
from ..storage import NoSpaceLeft
from .exports import ExportFailed, write_exports
from .publisher import publish

PUBLISHED_KEY = dg.AssetKey(["published_warehouse"])
EXPORTS_KEY = dg.AssetKey(["excel_workbooks"])


def build_publish_asset(
    dbt_models: dg.AssetsDefinition, manifest_path: Path
) -> dg.AssetsDefinition:
    """``published_warehouse``, downstream of every dbt model in a published schema.

    The quality stage's blocking asset checks on those models run first; publishing then
    also refuses a build whose checks failed or have not run since dbt built it.
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
        with warehouse.build_connection(read_only=True) as con:
            blocker = publish_blocker(con)
        if blocker:
            # The published file stays the last one that passed.
            raise dg.Failure(description=f"{PUBLISH_WITHHELD}: {blocker}")
        manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else None
        try:
            result = publish(warehouse.build_db_path(), warehouse.warehouse_path(), manifest)
        except NoSpaceLeft as exc:
            # The message is the whole story (`make run` prints it as its one error line).
            raise dg.Failure(description=str(exc)) from exc
        if result.failed_checks:
            context.log.warning(f"published with {len(result.failed_checks)} failed check(s)")
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(result.path)),
                "rows": dg.MetadataValue.json(result.tables),
                "views": result.views,
                "failed_checks": result.failed_checks or ["none"],
                "warnings": result.checks.warned_count,
                "publish_seconds": round(result.seconds, 3),
                "dagster/row_count": sum(
                    n for k, n in result.tables.items() if k.startswith("marts.")
                ),
            }
        )

    return published_warehouse


def build_exports_asset() -> dg.AssetsDefinition:
    """``excel_workbooks``: one workbook per company, after each publish."""

    @dg.asset(
        key=EXPORTS_KEY,
        deps=[PUBLISHED_KEY],
        group_name="publish",
        kinds={"excel"},
        automation_condition=refresh_condition(),
    )
    def excel_workbooks(
        context: dg.AssetExecutionContext, warehouse: WarehouseConfig
    ) -> dg.MaterializeResult:
        """Excel workbooks of the published file, one per company, in ``exports/``."""
        try:
            result = write_exports(warehouse.warehouse_path())
        except ExportFailed as exc:
            # One line naming the file; the published warehouse is already in place.
            raise dg.Failure(description=str(exc)) from exc
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(result.directory)),
                "workbooks": [p.name for p in result.workbooks] or ["none"],
                "export_seconds": round(result.seconds, 3),
            }
        )

    return excel_workbooks
