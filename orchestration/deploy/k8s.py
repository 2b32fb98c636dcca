"""The code location for Kubernetes: parsing spread over pods, one writer of the build database.

On one machine (``orchestration.definitions``) every run is one process. Past one machine the
work splits where the data does:

- ``parse_filings_k8s`` materializes ``records/filing_records`` with
  ``dagster_k8s.k8s_job_executor``: its step runs in a pod of its own (2 CPUs,
  ``WAREHOUSE_PARSE_WORKERS=2`` parse processes), writing immutable record files to a volume
  every pod mounts (``WAREHOUSE_RECORDS_DIR``). Launched as N runs, run i with the asset's
  config ``{shard: i, shards: N}``, the runs share the pending filings by their sha256 with
  no coordination and run at once (the run queue allows 8).
- ``load_and_publish`` runs the single loader (``parsed_filings``), dbt, the expectation
  suites and the publish in process, in one pod, and carries the tag the run queue limits to
  one run at a time: DuckDB allows one writing process per file.

The configuration is data: ``k8s.yaml`` beside this file (executor config, pod resources, run
tags, run-queue limits) and ``dagster-k8s-values.yaml`` (the Helm chart's values: the user
code deployment, the ``K8sRunLauncher``, the ``QueuedRunCoordinator`` and its tag limits).

To deploy:

1. Build an image with the project and dagster-k8s installed (``pip install '.[dev]'``, or
   ``.`` plus ``dagster-k8s==0.29.*``), with the dbt manifest parsed into it, and push it
   with a unique tag; ``WAREHOUSE_K8S_IMAGE`` names it (the step pods' image).
2. Create the claims the values name (build database, inbox, warehouse, records), then
   ``helm upgrade --install dagster dagster/dagster -f orchestration/deploy/dagster-k8s-values.yaml``
   with the image and tag filled in. The user deployment serves this module:
   ``dagster api grpc -m orchestration.deploy.k8s``.
3. Launch ``parse_filings_k8s`` N times, run i with the run config
   ``{"ops": {"records__filing_records": {"config": {"shard": i, "shards": N}}}}`` (``shard_run_config``),
   then ``load_and_publish``.

Nothing here needs a cluster to load: ``tests/test_deploy_config.py`` checks the jobs and
validates the configuration against dagster-k8s's schemas.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import yaml
from dagster_k8s import k8s_job_executor

from ..definitions import build_definitions
from ..filings.assets import RECORDS_KEY, parsed_filings
from ..resources import WarehouseConfig
from ..schedules import REFRESH_JOB

CONFIG_PATH = Path(__file__).with_name("k8s.yaml")
HELM_VALUES_PATH = Path(__file__).with_name("dagster-k8s-values.yaml")

PARSE_JOB = "parse_filings_k8s"
LOAD_JOB = "load_and_publish"
# The run tag the run queue limits to one run at a time (k8s.yaml, run_queue).
WRITER_TAG = "warehouse/duckdb-writer"


def load_config(path: Path = CONFIG_PATH) -> dict[str, Any]:
    """The deployment configuration (``k8s.yaml``), as written."""
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def job_image(config: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> str:
    """The image of the step pods: the variable ``k8s.yaml`` names, or its default."""
    environ = os.environ if environ is None else environ
    image = config["image"]
    return environ.get(image["env"], "").strip() or image["default"]


def parse_executor_config(
    config: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The ``k8s_job_executor`` config of the parse job (``execution.config``), image included."""
    executor = copy.deepcopy(dict(config["jobs"][PARSE_JOB]["executor"]))
    executor["job_image"] = job_image(config, environ)
    return executor


def run_queue_limits(config: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The run queue's tag concurrency limits, as the instance (and the Helm chart) takes them."""
    return [dict(limit) for limit in config["run_queue"]["tag_concurrency_limits"]]


def build_k8s_jobs(
    config: Mapping[str, Any], loader_selection: dg.AssetSelection
) -> list[dg.UnresolvedAssetJobDefinition]:
    """``parse_filings_k8s`` (a pod per step) and ``load_and_publish`` (one pod, in process)."""
    parse = config["jobs"][PARSE_JOB]
    load = config["jobs"][LOAD_JOB]
    return [
        dg.define_asset_job(
            PARSE_JOB,
            selection=dg.AssetSelection.assets(RECORDS_KEY),
            description=parse["description"],
            tags=parse["tags"],
            # Configured on the executor, not as the job's default run config: the shard runs
            # each bring their own run config, which would replace the default.
            executor_def=k8s_job_executor.configured(parse_executor_config(config)),
        ),
        dg.define_asset_job(
            LOAD_JOB,
            selection=loader_selection,
            description=load["description"],
            tags=load["tags"],
            # One process: the build database has one writer, and a step per process would
            # load the code location again for every step.
            executor_def=dg.in_process_executor,
        ),
    ]


def shard_run_config(shard: int, shards: int) -> dict[str, Any]:
    """The run config of run ``shard`` of ``shards`` runs of ``parse_filings_k8s``."""
    step = RECORDS_KEY.to_python_identifier()
    return {"ops": {step: {"config": {"shard": shard, "shards": shards}}}}


def build_k8s_definitions(
    warehouse: WarehouseConfig | None = None, config: Mapping[str, Any] | None = None
) -> dg.Definitions:
    """The project's definitions (assets, checks, jobs, sensors), plus the two k8s jobs."""
    config = load_config() if config is None else config
    base = build_definitions(warehouse)
    # The unresolved asset job (Dagster exports no public name for its class): its selection.
    refresh = next(j for j in base.jobs or [] if j.name == REFRESH_JOB)
    # The loader's raw tables (their dbt source tests run with dbt, as in ingest_filings),
    # then exactly what refresh_warehouse selects: dbt, the suites, publish, the workbooks.
    loader_selection = dg.AssetSelection.assets(parsed_filings).without_checks() | refresh.selection
    defs = dg.Definitions.merge(base, dg.Definitions(jobs=build_k8s_jobs(config, loader_selection)))
    # A configured executor is validated only when a run starts; a mistake in k8s.yaml should
    # stop the code location from loading instead (DagsterInvalidConfigError).
    dg.validate_run_config(defs.resolve_job_def(PARSE_JOB), {})
    return defs


@dg.definitions
def defs() -> dg.Definitions:
    """Loaded by ``dagster api grpc -m orchestration.deploy.k8s`` in the user deployment."""
    return build_k8s_definitions()
