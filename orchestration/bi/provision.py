"""`make bi`: Superset on the published warehouse, provisioned from files in this repository.

Run with the Python of Superset's own environment (``build/superset-venv``), never the
project's: Superset needs SQLAlchemy < 2, the project SQLAlchemy 2. So this module imports
nothing from the project but ``orchestration/read_only.py``, which it loads by path (it needs
only duckdb).

    python orchestration/bi/provision.py setup [--warehouse FILE]   # metadata db, admin, import
    python orchestration/bi/provision.py serve [--port 8088]        # gunicorn, foreground
    python orchestration/bi/provision.py bundle OUT.zip             # the import bundle only

``setup`` is idempotent: the metadata database is upgraded in place, the admin is created
once, and the bundle (database, datasets, charts, dashboard; fixed uuids) is imported with
overwrite, so a second run updates what the first made and adds nothing.

The bundle is built at import time from ``orchestration/bi/dashboard/``:

- ``datasets.yaml``: the tables and views that become datasets (physical), and the virtual
  datasets (SQL). Columns, their types and descriptions are read from the warehouse file
  itself: the descriptions are the dbt docs that publishing stores as ``COMMENT ON COLUMN``.
- ``charts/*.yaml``: one chart each, in Superset's own chart format (``params`` is the form
  data the Explore view saves), naming its dataset as ``schema.table``. The saved query
  context, which the chart data API runs, is derived from the params here.
- ``dashboard.yaml``: the title, the rows of charts and the native filters.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import secrets
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DASHBOARD_DIR = HERE / "dashboard"
CONFIG = HERE / "superset_config.py"
VERSION = "1.0.0"
DATABASE_NAME = "Mining filings warehouse"
DATABASE_UUID = "6b1f3d0e-6a52-4c1e-9d0b-2f7c1d9a4e01"
# Dataset uuids are derived from schema.table in this namespace: stable across runs.
DATASET_NAMESPACE = uuid.UUID("0c6d5e84-3c4f-4d2b-a1f9-7d8e2b5a9c10")
ADMIN = "admin"
TEMPORAL_TYPES = ("DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE")


def _read_only_module() -> Any:
    spec = importlib.util.spec_from_file_location("_read_only", ROOT / "orchestration/read_only.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


read_only = _read_only_module()

# The settings of every reader of the published file (orchestration/read_only.py).
LOCK_DOWN: dict[str, bool] = dict(read_only.READ_ONLY_SETTINGS)


def home() -> Path:
    """Where Superset keeps its state: SUPERSET_HOME, by default build/bi."""
    return Path(os.environ.get("SUPERSET_HOME", ROOT / "build" / "bi")).resolve()


def default_warehouse() -> Path:
    folder = Path(os.environ.get("WAREHOUSE_DIR", ROOT / "warehouse"))
    if not folder.is_absolute():
        folder = ROOT / folder
    return (folder / "warehouse.duckdb").resolve()


def superset_env() -> dict[str, str]:
    return {
        **os.environ,
        "SUPERSET_HOME": str(home()),
        "SUPERSET_CONFIG_PATH": str(CONFIG),
        "FLASK_APP": "superset.app:create_app()",
    }


def sqlalchemy_uri(warehouse: Path) -> str:
    """The URI Superset stores: the absolute path, read-only, every lock-down setting.

    duckdb-engine hands the query to ``duckdb.connect(config=...)``, so the settings hold
    before the first statement, and ``lock_configuration`` keeps SQL Lab from undoing them.
    """
    options = "&".join(f"{k}={str(v).lower()}" for k, v in LOCK_DOWN.items())
    return f"duckdb:///{warehouse}?access_mode=read_only&{options}"


# -- the bundle ------------------------------------------------------------------------------


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def dataset_uuid(key: str) -> str:
    return str(uuid.uuid5(DATASET_NAMESPACE, key))


def _columns(con: Any, schema: str, table: str) -> list[dict[str, Any]]:
    rows = con.execute(
        "select column_name, data_type, comment from duckdb_columns()"
        " where schema_name = ? and table_name = ? order by column_index",
        [schema, table],
    ).fetchall()
    if not rows:
        raise SystemExit(f"{schema}.{table} is not in the warehouse: run `make run` first")
    return [_column(name, kind, comment) for name, kind, comment in rows]


def _column(name: str, kind: str, comment: str | None) -> dict[str, Any]:
    return {
        "column_name": name,
        "verbose_name": None,
        "is_dttm": kind in TEMPORAL_TYPES,
        "is_active": True,
        "type": kind,
        "groupby": True,
        "filterable": True,
        "expression": None,
        "description": comment or None,
        "python_date_format": None,
        "extra": {},
    }


def _dataset(key: str, schema: str, table: str, columns: list[dict], **more: Any) -> dict:
    dttm = next((c["column_name"] for c in columns if c["is_dttm"]), None)
    return {
        "table_name": table,
        "schema": schema,
        "main_dttm_col": dttm,
        "description": more.pop("description", None),
        "sql": more.pop("sql", None),
        "filter_select_enabled": True,
        "normalize_columns": False,
        "always_filter_main_dttm": False,
        "cache_timeout": None,
        "offset": 0,
        "params": None,
        "template_params": None,
        "extra": None,
        "uuid": dataset_uuid(key),
        "database_uuid": DATABASE_UUID,
        "metrics": [
            {
                "metric_name": "count",
                "verbose_name": "COUNT(*)",
                "metric_type": "count",
                "expression": "COUNT(*)",
                "description": None,
                "d3format": None,
                "extra": {},
                "warning_text": None,
            }
        ],
        "columns": columns,
        "version": VERSION,
    }


def datasets(warehouse: Path) -> dict[str, dict]:
    """Every dataset of datasets.yaml, keyed ``schema.table``, its columns read from the file."""
    import duckdb

    spec = _load(DASHBOARD_DIR / "datasets.yaml")
    out: dict[str, dict] = {}
    con = duckdb.connect(str(warehouse), read_only=True, config=dict(LOCK_DOWN))
    try:
        comments = dict(
            con.execute(
                "select schema_name || '.' || table_name, comment from duckdb_tables()"
                " union all select schema_name || '.' || view_name, comment from duckdb_views()"
            ).fetchall()
        )
        for key in spec["physical"]:
            schema, table = key.split(".")
            cols = _columns(con, schema, table)
            out[key] = _dataset(key, schema, table, cols, description=comments.get(key))
        for virtual in spec.get("virtual", []):
            key = f"{virtual['schema']}.{virtual['name']}"
            described = con.execute(f"describe {virtual['sql']}").fetchall()
            docs = virtual.get("columns", {})
            cols = [_column(name, kind, docs.get(name)) for name, kind, *_ in described]
            out[key] = _dataset(
                key,
                virtual["schema"],
                virtual["name"],
                cols,
                sql=virtual["sql"].strip(),
                description=virtual.get("description"),
            )
    finally:
        con.close()
    return out


def _filters(adhoc: list[dict]) -> tuple[list[dict], list[str]]:
    """A chart's adhoc filters as the query context's filters and WHERE clauses."""
    filters, where = [], []
    for f in adhoc:
        if f.get("expressionType") == "SQL":
            where.append(f"({f['sqlExpression']})")
        elif f.get("operator") == "TEMPORAL_RANGE":
            continue
        else:
            item = {"col": f["subject"], "op": f["operator"]}
            if "comparator" in f:
                item["val"] = f["comparator"]
            filters.append(item)
    return filters, where


def query_context(params: dict, viz_type: str) -> dict:
    """The query a chart's params ask for, as the chart data API runs it.

    The dashboard builds its queries in the browser from the params; this saved copy is
    what ``GET /api/v1/chart/{id}/data/`` (the live test, alerts) runs: the same columns,
    metrics and filters, as a plain table (no pivoting or other post-processing).
    """
    metrics = params.get("metrics") or ([params["metric"]] if params.get("metric") else [])
    if viz_type == "table" and params.get("query_mode") == "raw":
        columns, metrics = list(params["all_columns"]), []
        orderby = [json.loads(o) for o in params.get("order_by_cols", [])]
    elif viz_type == "pivot_table_v2":
        columns = [*params.get("groupbyRows", []), *params.get("groupbyColumns", [])]
        orderby = []
    elif viz_type.startswith("echarts_timeseries") or viz_type == "echarts_area":
        columns = [params["x_axis"], *params.get("groupby", [])]
        orderby = [[params["x_axis"], True]]
    else:
        columns = list(params.get("groupby", []))
        orderby = [[metrics[0], False]] if metrics else []
    filters, where = _filters(params.get("adhoc_filters", []))
    query = {
        "columns": columns,
        "metrics": metrics,
        "filters": filters,
        "extras": {"where": " AND ".join(where), "having": ""},
        "orderby": orderby,
        "row_limit": params.get("row_limit", 10000),
        "applied_time_extras": {},
        "post_processing": [],
    }
    return {
        "datasource": {"id": 0, "type": "table"},
        "force": False,
        "queries": [query],
        "form_data": params,
        "result_format": "json",
        "result_type": "full",
    }


def charts() -> dict[str, dict]:
    """charts/*.yaml, keyed by file stem, in Superset's import format."""
    out = {}
    for path in sorted((DASHBOARD_DIR / "charts").glob("*.yaml")):
        spec = _load(path)
        params = {"viz_type": spec["viz_type"], **spec["params"]}
        out[path.stem] = {
            "slice_name": spec["slice_name"],
            "description": spec.get("description"),
            "certified_by": None,
            "certification_details": None,
            "viz_type": spec["viz_type"],
            "params": params,
            "query_context": json.dumps(query_context(params, spec["viz_type"])),
            "cache_timeout": None,
            "uuid": spec["uuid"],
            "version": VERSION,
            "dataset_uuid": dataset_uuid(spec["dataset"]),
        }
    return out


def dashboard(chart_configs: dict[str, dict]) -> dict:
    """dashboard.yaml as Superset's dashboard format: the grid of rows and native filters."""
    spec = _load(DASHBOARD_DIR / "dashboard.yaml")
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": spec["title"]}},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
    }
    for r, row in enumerate(spec["rows"]):
        row_id = f"ROW-{r}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {
            "type": "ROW",
            "id": row_id,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        for cell in row:
            chart = chart_configs[cell["chart"]]
            chart_id = f"CHART-{cell['chart']}"
            position[row_id]["children"].append(chart_id)
            position[chart_id] = {
                "type": "CHART",
                "id": chart_id,
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID", row_id],
                "meta": {
                    "uuid": chart["uuid"],
                    "chartId": 0,
                    "sliceName": chart["slice_name"],
                    "width": cell.get("width", 6),
                    "height": cell.get("height", 50),
                },
            }
    native_filters = []
    for f in spec.get("filters", []):
        native_filters.append(
            {
                "id": f["id"],
                "name": f["name"],
                "description": f.get("description", ""),
                "filterType": "filter_select",
                "type": "NATIVE_FILTER",
                "targets": [
                    {"datasetUuid": dataset_uuid(f["dataset"]), "column": {"name": f["column"]}}
                ],
                "controlValues": {
                    "enableEmptyFilter": False,
                    "defaultToFirstItem": False,
                    "multiSelect": True,
                    "searchAllOptions": False,
                    "inverseSelection": False,
                },
                "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
                "cascadeParentIds": f.get("cascade_parents", []),
                "scope": {"rootPath": ["ROOT_ID"], "excluded": []},
            }
        )
    return {
        "dashboard_title": spec["title"],
        "description": spec.get("description"),
        "css": "",
        "slug": spec["slug"],
        "uuid": spec["uuid"],
        "position": position,
        "metadata": {
            "native_filter_configuration": native_filters,
            "color_scheme": "supersetColors",
            "cross_filters_enabled": False,
            "refresh_frequency": 0,
            "expanded_slices": {},
            "label_colors": {},
            "timed_refresh_immune_slices": [],
            "default_filters": "{}",
        },
        "published": True,
        "version": VERSION,
    }


def database(warehouse: Path) -> dict:
    return {
        "database_name": DATABASE_NAME,
        "sqlalchemy_uri": sqlalchemy_uri(warehouse),
        "cache_timeout": None,
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        # SQL Lab sends every statement: DuckDB's own settings refuse what must be refused.
        "allow_dml": os.environ.get("SUPERSET_ALLOW_DML", "") == "1",
        "allow_csv_upload": False,
        "extra": {
            "allows_virtual_table_explore": True,
            "metadata_params": {},
            "engine_params": {},
            "schemas_allowed_for_csv_upload": [],
        },
        "uuid": DATABASE_UUID,
        "version": VERSION,
    }


def bundle(warehouse: Path) -> bytes:
    """The import ZIP: metadata, database, datasets, charts and dashboard."""
    files: dict[str, dict] = {
        "metadata.yaml": {
            "version": VERSION,
            "type": "assets",
            "timestamp": "2025-01-01T00:00:00+00:00",
        },
        "databases/warehouse.yaml": database(warehouse),
    }
    for key, config in datasets(warehouse).items():
        schema, table = key.split(".")
        files[f"datasets/warehouse/{schema}.{table}.yaml"] = config
    chart_configs = charts()
    for stem, config in chart_configs.items():
        files[f"charts/{stem}.yaml"] = config
    files["dashboards/dashboard.yaml"] = dashboard(chart_configs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, config in files.items():
            z.writestr(f"bundle/{name}", yaml.safe_dump(config, sort_keys=False))
    return buffer.getvalue()


# -- Superset's state ------------------------------------------------------------------------


def superset_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "superset"
    return subprocess.run(
        [str(exe), *args], env=superset_env(), check=check, capture_output=True, text=True
    )


def admin_password() -> str:
    """SUPERSET_ADMIN_PASSWORD, or the one generated on the first run (kept, mode 0600)."""
    if password := os.environ.get("SUPERSET_ADMIN_PASSWORD"):
        return password
    path = home() / "admin-password"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(12))
        print(f"Generated the admin password (kept in {path}): {path.read_text()}")
    return path.read_text().strip()


def import_bundle(data: bytes) -> None:
    """Import with overwrite, in Superset's app context (as `superset import-*` does)."""
    os.environ.update(superset_env())
    from flask import g
    from superset.app import create_app

    app = create_app()
    with app.app_context():
        from superset import security_manager
        from superset.commands.importers.v1.assets import ImportAssetsCommand
        from superset.commands.importers.v1.utils import get_contents_from_bundle

        g.user = security_manager.find_user(username=ADMIN)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            contents = get_contents_from_bundle(z)
        ImportAssetsCommand(contents).run()


def setup(warehouse: Path) -> None:
    if not warehouse.is_file():
        raise SystemExit(f"No published warehouse at {warehouse}: run `make run` first")
    home().mkdir(parents=True, exist_ok=True)
    superset_cli("db", "upgrade")
    password = admin_password()
    users = superset_cli("fab", "list-users").stdout
    if f"username:{ADMIN} " not in users and f"username:{ADMIN}|" not in users:
        superset_cli(
            "fab", "create-admin", "--username", ADMIN, "--firstname", "Superset",
            "--lastname", "Admin", "--email", "admin@localhost", "--password", password,
        )  # fmt: skip
    elif os.environ.get("SUPERSET_ADMIN_PASSWORD"):
        superset_cli("fab", "reset-password", "--username", ADMIN, "--password", password)
    superset_cli("init")
    data = bundle(warehouse)
    (home() / "bundle.zip").write_bytes(data)
    import_bundle(data)
    print(f"Superset provisioned in {home()} on {warehouse}")


def serve(host: str, port: int) -> None:
    """gunicorn in the foreground (this process becomes it): Ctrl-C stops it."""
    print(f"Superset: http://{host}:{port}/  (user {ADMIN}; Ctrl-C stops it)", flush=True)
    exe = str(Path(sys.executable).parent / "gunicorn")
    args = [
        exe, "--bind", f"{host}:{port}", "--workers", "1", "--threads", "8",
        "--worker-class", "gthread", "--timeout", "120", "--limit-request-line", "0",
        "--limit-request-field_size", "0", "superset.app:create_app()",
    ]  # fmt: skip
    os.execve(exe, args, superset_env())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("setup", help="metadata database, admin user, import the dashboard")
    p.add_argument("--warehouse", type=Path, default=None)
    p = sub.add_parser("serve", help="serve Superset in the foreground")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8088)
    p = sub.add_parser("bundle", help="write the import bundle")
    p.add_argument("out", type=Path)
    p.add_argument("--warehouse", type=Path, default=None)
    args = parser.parse_args(argv)
    warehouse = (args.warehouse or default_warehouse()).resolve() if "warehouse" in args else None
    if args.command == "setup":
        setup(warehouse)
    elif args.command == "serve":
        serve(args.host, args.port)
    else:
        args.out.write_bytes(bundle(warehouse))


if __name__ == "__main__":
    main()
