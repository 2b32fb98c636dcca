"""The dbt models as Dagster assets: one ``dbt build`` of whatever was selected."""

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from ..gate import PUBLISH_WITHHELD
from ..resources import BUILD_DB_POOL, WarehouseConfig
from .results import build_problems, record_results
from .translator import WarehouseDbtTranslator

# Called with the run's warehouse before dbt starts (see ``build_dbt_assets``).
BeforeBuild = Callable[[WarehouseConfig], None]


class DbtBuildConfig(dg.Config):
    """Options of one dbt build."""

    full_refresh: bool = False  # rebuild incremental models from scratch
    unit_tests: bool = False  # dbt unit tests test SQL logic, not data: `make test` runs them


@contextmanager
def _environ(**values: str) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _relation_metadata(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict[str, Any]]:
    columns: dict[tuple[str, str], list[dg.TableColumn]] = {}
    for schema, table, column, dtype, comment in con.execute(
        "SELECT schema_name, table_name, column_name, data_type, comment FROM duckdb_columns()"
        " ORDER BY schema_name, table_name, column_index"
    ).fetchall():
        columns.setdefault((schema, table), []).append(
            dg.TableColumn(column, dtype, description=comment)
        )
    return {key: {"dagster/column_schema": dg.TableSchema(cols)} for key, cols in columns.items()}


def with_table_metadata(
    context: dg.AssetExecutionContext, con: duckdb.DuckDBPyConnection, events: list[Any]
) -> Iterator[Any]:
    """dbt's events, each model output given its row count and column schema."""
    relations = _relation_metadata(con)
    for event in events:
        if isinstance(event, dg.Output):
            key = context.asset_key_for_output(event.output_name)
        elif isinstance(event, dg.AssetMaterialization):
            key = event.asset_key
        else:
            yield event
            continue
        path = tuple(key.path)
        if path in relations:
            (rows,) = con.execute(f'SELECT count(*) FROM "{path[0]}"."{path[1]}"').fetchone()
            event = event.with_metadata(
                {**event.metadata, **relations[path], "dagster/row_count": int(rows)}
            )
        yield event


def build_dbt_assets(
    project: DbtProject, before_build: BeforeBuild | None = None
) -> dg.AssetsDefinition:
    """The ``@dbt_assets`` of ``project``: models, with their dbt tests as asset checks.

    ``before_build`` is how the other stages prepare a build without this stage importing
    them: the definitions root passes one that creates dbt's raw sources and starts
    importing what the checks after dbt need.
    """

    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        name="dbt_models",
        dagster_dbt_translator=WarehouseDbtTranslator(),
        pool=BUILD_DB_POOL,
    )
    def dbt_models(
        context: dg.AssetExecutionContext,
        dbt: DbtCliResource,
        warehouse: WarehouseConfig,
        config: DbtBuildConfig,
    ) -> Iterator[Any]:
        """Staging, intermediate, marts, audit and BI models, built and tested by dbt."""
        build_db = warehouse.build_db_path().resolve()
        if before_build is not None:
            before_build(warehouse)
        args = ["build"]
        if config.full_refresh:
            args.append("--full-refresh")
        if not config.unit_tests:
            args += ["--exclude-resource-type", "unit_test"]
        # dbt reads the build database from this variable (dbt_project/profiles.yml); it is
        # a child process, so the environment is the only way to hand it the path.
        with _environ(WAREHOUSE_BUILD_DB=str(build_db)):
            invocation = dbt.cli(
                args,
                context=context,
                raise_on_error=False,
                target_path=warehouse.dbt_target_path(),
            )
            # dagster-dbt's fetch_row_counts()/fetch_column_metadata() open the DuckDB file
            # from this process while dbt still writes it (a lock conflict, and a connection
            # left open that later opens refuse), so that metadata is read once dbt is done.
            events = list(invocation.stream())
        try:
            run_results = invocation.get_artifact("run_results.json")
        except OSError:
            raise dg.Failure(
                description=f"{PUBLISH_WITHHELD}: dbt did not run (no run_results.json)",
                metadata={"error": str(invocation.get_error() or "see the dbt output above")},
            ) from None
        with warehouse.build_connection() as con:
            record_results(con, run_results, invocation.manifest)
            yield from with_table_metadata(context, con, events)
        not_built, failed_checks = build_problems(run_results, invocation.manifest)
        if not_built:
            # Publishing now would mix rebuilt tables with the models dbt skipped or could
            # not build; the published file stays the last complete one.
            cause = "; ".join(failed_checks[:3]) or not_built[0]
            raise dg.Failure(
                description=f"{PUBLISH_WITHHELD}: dbt did not build {len(not_built)}"
                f" model(s) because {cause}",
                metadata={"failed_checks": failed_checks or ["none"], "not_built": not_built},
            )
        if not invocation.is_successful() and not run_results.get("results"):
            raise dg.Failure(
                description=f"{PUBLISH_WITHHELD}: dbt failed before building anything",
                metadata={"error": str(invocation.get_error() or "dbt failed")},
            )

    return dbt_models
