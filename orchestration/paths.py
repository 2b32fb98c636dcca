"""Where things live: the one place that reads the environment.

Every function resolves when called (never at import), so tests and the CLI can point the
pipeline elsewhere by setting variables or passing paths. Relative paths are taken relative
to the repository root, the same convention the dbt profile uses, whatever the cwd.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_INBOX = REPO_ROOT / "samples" / "filings"

DEFAULT_SCHEDULE_CRON = "0 6 * * *"
PUBLISHED_FILE_NAME = "warehouse.duckdb"


def _env_path(var: str, default: Path) -> Path:
    value = os.environ.get(var, "").strip()
    path = Path(value).expanduser() if value else default
    return path if path.is_absolute() else REPO_ROOT / path


def inbox_dir() -> Path:
    """The folder of filings to ingest: ``FILINGS_DIR`` or the bundled samples."""
    return _env_path("FILINGS_DIR", SAMPLES_INBOX)


def build_db() -> Path:
    """The build DuckDB file (raw, staging, intermediate, marts before publishing)."""
    return _env_path("WAREHOUSE_BUILD_DB", Path("build") / "build.duckdb")


def records_dir(build_db_path: Path | None = None) -> Path:
    """The parsed records, one Parquet file per parse (``filings.record_files``):
    ``WAREHOUSE_RECORDS_DIR``, or ``records/`` beside the build database."""
    default = (build_db_path if build_db_path is not None else build_db()).parent / "records"
    return _env_path("WAREHOUSE_RECORDS_DIR", default)


def warehouse_dir() -> Path:
    """The folder that holds the published, read-only ``warehouse.duckdb``."""
    return _env_path("WAREHOUSE_DIR", Path("warehouse"))


def published_file(folder: Path | None = None) -> Path:
    """The published warehouse file in ``folder`` (default: ``warehouse_dir()``)."""
    return (folder if folder is not None else warehouse_dir()) / PUBLISHED_FILE_NAME


def exports_dir(folder: Path | None = None) -> Path:
    """The Excel workbooks of the published file: ``exports/`` beside it."""
    return (folder if folder is not None else warehouse_dir()) / "exports"


def dbt_project_dir() -> Path:
    """The dbt project: ``dbt_project/`` (``WAREHOUSE_DBT_PROJECT_DIR`` points elsewhere)."""
    return _env_path("WAREHOUSE_DBT_PROJECT_DIR", Path("dbt_project"))


def dbt_target_dir() -> Path:
    """dbt's target folder (manifest, run results, logs): ``WAREHOUSE_DBT_TARGET_DIR``.

    Default ``build/dbt-target``: build output stays out of the dbt project's source tree.
    """
    return _env_path("WAREHOUSE_DBT_TARGET_DIR", Path("build") / "dbt-target")


def docs_assets_dir() -> Path:
    """Local copies of the Data Docs pages' scripts and styles (fetched by ``make install``)."""
    return _env_path("WAREHOUSE_DOCS_ASSETS_DIR", Path("build") / "web-assets")


def dagster_home() -> Path:
    """``DAGSTER_HOME`` or ``.dagster_home/`` in the repository."""
    return _env_path("DAGSTER_HOME", Path(".dagster_home"))


def schedule_cron() -> str:
    """Cron of the daily warehouse refresh: ``INGEST_SCHEDULE_CRON``, default 06:00 daily."""
    return os.environ.get("INGEST_SCHEDULE_CRON", "").strip() or DEFAULT_SCHEDULE_CRON


def inbox_settle_seconds() -> float:
    """How long a file must stay untouched before the sensor takes it (it may still be copying)."""
    return _seconds("INBOX_SETTLE_SECONDS", 2.0)


def _seconds(var: str, default: float, minimum: float = 0.0) -> float:
    value = os.environ.get(var, "").strip()
    try:
        return max(minimum, float(value)) if value else default
    except ValueError:
        raise ValueError(f"{var} must be a number of seconds, not {value!r}") from None


# Input size limits in MB (10**6 bytes), per reader: a PDF carries its images and fonts.
_MAX_INPUT_MB = {"pdf": ("WAREHOUSE_MAX_PDF_MB", 200.0)}
_MAX_TEXT_MB = ("WAREHOUSE_MAX_TEXT_MB", 50.0)


def max_input_env(reader: str) -> str:
    """The variable that sets the size limit of ``reader``'s filings ("pdf", "text", "html")."""
    return _MAX_INPUT_MB.get(reader, _MAX_TEXT_MB)[0]


def max_input_mb(reader: str) -> float:
    """Largest filing, in MB, that ``reader`` ("pdf", "text", "html") is given to parse.

    ``WAREHOUSE_MAX_PDF_MB`` (default 200) for PDFs, ``WAREHOUSE_MAX_TEXT_MB`` (default 50)
    for text and HTML: a larger file is recorded as failed, never parsed, so one huge file
    cannot hold up or exhaust a run.
    """
    var, default = _MAX_INPUT_MB.get(reader, _MAX_TEXT_MB)
    value = os.environ.get(var, "").strip()
    try:
        limit = float(value) if value else default
    except ValueError:
        raise ValueError(f"{var} must be a number of megabytes, not {value!r}") from None
    if limit <= 0:
        raise ValueError(f"{var} must be a positive number of megabytes, not {value!r}")
    return limit


def parse_memory_mb() -> float:
    """Most memory, in MB (2**20 bytes), the process parsing a filing may take:
    ``WAREHOUSE_PARSE_MEMORY_MB``, default 2048. A parse that needs more is stopped and its
    filing recorded as failed, so one pathological file cannot exhaust the machine."""
    return _positive("WAREHOUSE_PARSE_MEMORY_MB", 2048.0, "megabytes")


def parse_timeout_seconds() -> float:
    """Longest a filing's parse may take: ``WAREHOUSE_PARSE_TIMEOUT_SECONDS``, default 300.
    A parse still running then is stopped and its filing recorded as failed."""
    return _positive("WAREHOUSE_PARSE_TIMEOUT_SECONDS", 300.0, "seconds")


def duckdb_memory_limit() -> str:
    """The memory DuckDB may use in each of the pipeline's connections (the build database,
    the publish, dbt's): ``WAREHOUSE_DUCKDB_MEMORY_MB``, default 2048. DuckDB's own default
    is 80% of the machine's memory, which its buffer pool fills as the warehouse grows;
    capped, it evicts and spills to disk instead, so memory does not grow with the warehouse."""
    return f"{_positive('WAREHOUSE_DUCKDB_MEMORY_MB', 2048.0, 'megabytes'):g}MB"


def _positive(var: str, default: float, unit: str) -> float:
    value = os.environ.get(var, "").strip()
    try:
        number = float(value) if value else default
    except ValueError:
        raise ValueError(f"{var} must be a number of {unit}, not {value!r}") from None
    if not number > 0:
        raise ValueError(f"{var} must be a positive number of {unit}, not {value!r}")
    return number


def sensor_interval_seconds() -> int:
    """Least seconds between two evaluations of a sensor: ``WAREHOUSE_SENSOR_INTERVAL_SECONDS``.

    Two sensors stand between a new file and its publication (the inbox sensor, then the
    automation sensor), so each waits only a few seconds by default.
    """
    return int(_seconds("WAREHOUSE_SENSOR_INTERVAL_SECONDS", 5.0, minimum=1.0))


def lock_wait_seconds() -> float:
    """How long to wait for another process's lock on a DuckDB file before giving up."""
    return _seconds("WAREHOUSE_LOCK_WAIT_SECONDS", 120.0)


def dbt_executable() -> str:
    """The venv's ``dbt`` (next to the interpreter), not whatever ``dbt`` is first on PATH."""
    # Subprocesses (dagster dev's code server) may report the base interpreter as
    # sys.executable; sys.prefix is still the venv.
    for folder in (Path(sys.executable).parent, Path(sys.prefix) / "bin"):
        if (folder / "dbt").exists():
            return str(folder / "dbt")
    return shutil.which("dbt") or "dbt"
