"""The Dagster instance the CLI and ``make dev`` share (``.dagster_home/``)."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from . import paths

DAGSTER_HOME_MODE = 0o700

# One slot for the build-database pool: DuckDB allows one writing process per file, so runs
# started by the sensor queue for it instead of colliding. Two runs at a time fit 2 cores.
DAGSTER_YAML = """\
# Written by orchestration/instance.py. Edit freely; it is not overwritten.
concurrency:
  pools:
    default_limit: 1
  runs:
    max_concurrent_runs: 2
# The daemon (make dev) marks a run failed when its worker process dies, and frees the slots
# of runs that ended without freeing them, so a killed run cannot hold the build database.
run_monitoring:
  enabled: true
  free_slots_after_run_end_seconds: 60
telemetry:
  enabled: false
"""


def ensure_dagster_home(home: Path | None = None) -> Path:
    """Create ``DAGSTER_HOME`` with its ``dagster.yaml`` if missing; return it."""
    home = (home or paths.dagster_home()).resolve()
    home.mkdir(parents=True, exist_ok=True)
    # Run logs and event storage hold paths, errors and configuration: its owner's only.
    home.chmod(DAGSTER_HOME_MODE)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    return home


def persistent_instance(home: Path | None = None) -> dg.DagsterInstance:
    """The instance under ``DAGSTER_HOME`` (default ``.dagster_home/``), shared with the UI."""
    home = ensure_dagster_home(home)
    os.environ["DAGSTER_HOME"] = str(home)
    return dg.DagsterInstance.get()
