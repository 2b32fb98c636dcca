"""The resources every stage shares: where the inbox, build database and warehouse are."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from . import paths
from .database import connect

# Everything that writes the build DuckDB file (or reads it while others might write) runs
# in this pool; the instance's dagster.yaml limits it to one slot, because DuckDB allows a
# single writing process per file.
BUILD_DB_POOL = "build_duckdb"


class WarehouseConfig(dg.ConfigurableResource):
    """Paths of the pipeline. Empty means: resolve from the environment when used."""

    inbox_dir: str = ""
    build_db: str = ""
    warehouse_dir: str = ""
    settle_seconds: float = -1.0  # negative: INBOX_SETTLE_SECONDS or its default
    dbt_target_dir: str = ""  # empty: WAREHOUSE_DBT_TARGET_DIR or build/dbt-target

    def inbox_path(self) -> Path:
        return Path(self.inbox_dir) if self.inbox_dir else paths.inbox_dir()

    def build_db_path(self) -> Path:
        return Path(self.build_db) if self.build_db else paths.build_db()

    def warehouse_path(self) -> Path:
        return Path(self.warehouse_dir) if self.warehouse_dir else paths.warehouse_dir()

    def published_path(self) -> Path:
        return paths.published_file(self.warehouse_path())

    def data_docs_path(self) -> Path:
        """Great Expectations' Data Docs, beside the published file."""
        return self.warehouse_path() / "data_docs"

    def expectations_project_path(self) -> Path:
        """GX's stores (suites, validation history), beside the build database."""
        return self.build_db_path().parent / "gx"

    def dbt_target_path(self) -> Path:
        return Path(self.dbt_target_dir) if self.dbt_target_dir else paths.dbt_target_dir()

    def records_path(self) -> Path:
        """The parsed records' Parquet files: ``WAREHOUSE_RECORDS_DIR``, or ``records/``
        beside the build database."""
        return paths.records_dir(self.build_db_path())

    def inbox_settle_seconds(self) -> float:
        return self.settle_seconds if self.settle_seconds >= 0 else paths.inbox_settle_seconds()

    @contextmanager
    def build_connection(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the build database, closed (and its lock released) on exit."""
        with connect(self.build_db_path(), read_only=read_only) as con:
            yield con
