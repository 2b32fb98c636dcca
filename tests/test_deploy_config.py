"""The Kubernetes code location loads, and its configuration passes dagster-k8s's schemas.

No cluster and no network: the definitions are loaded and resolved, the executor config is
validated as Dagster validates a run's config, the run-pod tags as dagster-k8s reads them,
and the Helm values are compared with ``k8s.yaml``.
"""

from __future__ import annotations

import copy
from typing import Any

import dagster as dg
import pytest
import yaml
from dagster_k8s import k8s_job_executor
from dagster_k8s.job import get_user_defined_k8s_config

from orchestration.deploy import k8s
from orchestration.filings.assets import RECORDS_KEY, filing_records
from orchestration.filings.records import RAW_TABLES
from orchestration.resources import WarehouseConfig
from orchestration.schedules import REFRESH_JOB


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    return k8s.load_config()


@pytest.fixture(scope="module")
def defs(config: dict[str, Any]) -> dg.Definitions:
    # With the default image: the test must not depend on this shell's WAREHOUSE_K8S_IMAGE.
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(config["image"]["env"], raising=False)
        defs = k8s.build_k8s_definitions(config=config)
        dg.Definitions.validate_loadable(defs)
    return defs


def _with_broken_executor(config: dict[str, Any], **fields: Any) -> dict[str, Any]:
    broken = copy.deepcopy(config)
    broken["jobs"][k8s.PARSE_JOB]["executor"].update(fields)
    return broken


def test_code_location_has_both_jobs_and_the_project_s(defs: dg.Definitions) -> None:
    jobs = {j.name for j in defs.resolve_all_job_defs()}
    assert {k8s.PARSE_JOB, k8s.LOAD_JOB, REFRESH_JOB, "ingest_filings"} <= jobs


def test_parse_job_runs_filing_records_in_k8s_pods(
    defs: dg.Definitions, config: dict[str, Any]
) -> None:
    job = defs.resolve_job_def(k8s.PARSE_JOB)
    assert job.executor_def.name == k8s_job_executor.name == "k8s"
    assert job.asset_layer.selected_asset_keys == {RECORDS_KEY}
    assert job.partitions_def is None  # a batch step: runs share the pending filings by shard
    assert job.tags["warehouse/stage"] == "parse"

    # The executor's config as Dagster resolves it for a shard run (its run config names
    # only the shard): validated against the k8s executor's schema, defaults filled in.
    resolved_run = dg.validate_run_config(job, k8s.shard_run_config(2, 8))
    assert resolved_run["ops"]["records__filing_records"]["config"] == {"shard": 2, "shards": 8}
    execution = resolved_run["execution"]
    assert set(execution) == {"k8s"}
    resolved = execution["k8s"]
    assert resolved["max_concurrent"] == 4
    assert resolved["job_image"] == config["image"]["default"]
    env = dict(v.split("=", 1) for v in resolved["env_vars"])
    assert env["WAREHOUSE_PARSE_WORKERS"] == "2"
    mount = {m["name"]: m["mount_path"] for m in resolved["volume_mounts"]}
    assert env["WAREHOUSE_RECORDS_DIR"] == mount["warehouse-records"] == "/mnt/records"
    assert {v["name"] for v in resolved["volumes"]} == {"warehouse-records"}
    assert resolved["resources"]["requests"] == {"cpu": "2", "memory": "3Gi"}
    assert resolved["resources"]["limits"]["cpu"] == "2"
    # The pod's memory limit holds every parse process at its own cap, plus the step itself.
    limit_gib = int(resolved["resources"]["limits"]["memory"].removesuffix("Gi"))
    parse_mib = int(env["WAREHOUSE_PARSE_MEMORY_MB"])
    assert limit_gib * 1024 > int(env["WAREHOUSE_PARSE_WORKERS"]) * parse_mib
    assert resolved["step_k8s_config"]["job_spec_config"]["backoff_limit"] == 0


def test_image_comes_from_the_environment(
    config: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(config["image"]["env"], "registry.example/warehouse:abc123")
    assert k8s.parse_executor_config(config)["job_image"] == "registry.example/warehouse:abc123"
    monkeypatch.setenv(config["image"]["env"], "  ")
    assert k8s.parse_executor_config(config)["job_image"] == config["image"]["default"]


def test_executor_config_is_checked_against_the_k8s_schema(config: dict[str, Any]) -> None:
    # The file's config, as run config of a job on the plain k8s executor: accepted.
    @dg.asset
    def probe() -> None: ...

    plain = dg.Definitions(
        assets=[probe],
        jobs=[dg.define_asset_job("probe", selection=[probe], executor_def=k8s_job_executor)],
    ).resolve_job_def("probe")
    good = k8s.parse_executor_config(config)
    assert dg.validate_run_config(plain, {"execution": {"config": good}})

    # A string where the schema wants an int, and a field the executor does not have.
    for broken in ({**good, "max_concurrent": "many"}, {**good, "max_concurent": 4}):
        with pytest.raises(dg.DagsterInvalidConfigError):
            dg.validate_run_config(plain, {"execution": {"config": broken}})


@pytest.mark.parametrize(
    "fields",
    [
        {"max_concurrent": "many"},
        {"env_vars": "WAREHOUSE_PARSE_WORKERS=2"},  # a string, not a list
        {"resources": {"request": {"cpu": "2"}}},  # `requests`, misspelt
    ],
)
def test_broken_executor_config_in_the_file_is_refused(
    config: dict[str, Any], fields: dict[str, Any]
) -> None:
    broken = _with_broken_executor(config, **fields)
    jobs = k8s.build_k8s_jobs(broken, dg.AssetSelection.assets(RECORDS_KEY))
    job = dg.Definitions(
        assets=[filing_records], resources={"warehouse": WarehouseConfig()}, jobs=jobs[:1]
    ).resolve_job_def(k8s.PARSE_JOB)
    with pytest.raises(dg.DagsterInvalidConfigError):
        dg.validate_run_config(job, {})


def test_a_broken_file_stops_the_code_location_from_loading(config: dict[str, Any]) -> None:
    # Not only when a run starts, minutes later, in a pod.
    with pytest.raises(dg.DagsterInvalidConfigError, match="max_concurrent"):
        k8s.build_k8s_definitions(config=_with_broken_executor(config, max_concurrent="many"))


def test_loader_job_is_one_process_and_one_at_a_time(
    defs: dg.Definitions, config: dict[str, Any]
) -> None:
    job = defs.resolve_job_def(k8s.LOAD_JOB)
    assert job.executor_def.name == "in_process"
    assert job.executor_def.name != k8s_job_executor.name
    assert job.partitions_def is None  # the single loader takes whatever is ready
    assert job.run_tags[k8s.WRITER_TAG] == "true"
    selected = job.asset_layer.selected_asset_keys
    # The raw tables, then everything refresh_warehouse builds (dbt, publish), no parsing.
    assert {dg.AssetKey(["raw", t]) for t in RAW_TABLES} <= selected
    refresh = defs.resolve_job_def(REFRESH_JOB).asset_layer.selected_asset_keys
    assert refresh <= selected
    assert dg.AssetKey(["published_warehouse"]) in selected
    assert RECORDS_KEY not in selected
    assert dg.AssetKey(["raw", "raw_files"]) not in selected


def test_run_pod_tags_pass_dagster_k8s(defs: dg.Definitions) -> None:
    """The ``dagster-k8s/config`` tags, read as dagster-k8s reads a run's tags."""
    load = get_user_defined_k8s_config(defs.resolve_job_def(k8s.LOAD_JOB).run_tags)
    assert load.container_config["resources"]["limits"]["memory"] == "8Gi"
    mounts = {m["name"] for m in load.container_config["volume_mounts"]}
    volumes = {v["name"] for v in load.pod_spec_config["volumes"]}
    assert mounts == volumes == {"warehouse-records"}
    parse = get_user_defined_k8s_config(defs.resolve_job_def(k8s.PARSE_JOB).run_tags)
    assert parse.container_config["resources"]["requests"]["cpu"] == "250m"

    with pytest.raises(dg.DagsterInvalidConfigError):
        get_user_defined_k8s_config({"dagster-k8s/config": '{"container_confg": {}}'})


def test_records_volume_is_the_same_for_parse_and_load(config: dict[str, Any]) -> None:
    parse = config["jobs"][k8s.PARSE_JOB]["executor"]
    load = config["jobs"][k8s.LOAD_JOB]["tags"]["dagster-k8s/config"]
    assert parse["volumes"] == load["pod_spec_config"]["volumes"]
    assert parse["volume_mounts"] == load["container_config"]["volume_mounts"]


def _helm_values() -> dict[str, Any]:
    with k8s.HELM_VALUES_PATH.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def test_helm_run_queue_limits_the_loader_to_one(config: dict[str, Any]) -> None:
    values = _helm_values()
    coordinator = values["dagsterDaemon"]["runCoordinator"]
    assert coordinator["enabled"] is True
    assert coordinator["type"] == "QueuedRunCoordinator"
    limits = coordinator["config"]["queuedRunCoordinator"]["tagConcurrencyLimits"]
    writer = [lim for lim in limits if lim["key"] == k8s.WRITER_TAG]
    assert writer == [{"key": k8s.WRITER_TAG, "limit": 1}]  # any value, one run
    # The Helm values and k8s.yaml say the same.
    assert limits == k8s.run_queue_limits(config)
    # Every limit's tag is one a job of the code location sets, or it limits nothing.
    tags = {**config["jobs"][k8s.PARSE_JOB]["tags"], **config["jobs"][k8s.LOAD_JOB]["tags"]}
    for limit in limits:
        assert limit["key"] in tags
    # The chart accepts runQueue limits in one place only; the other stays empty.
    assert not values.get("concurrency", {}).get("runs", {}).get("tagConcurrencyLimits")


def test_helm_user_deployment_serves_this_module_with_the_k8s_launcher(
    config: dict[str, Any],
) -> None:
    values = _helm_values()
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    assert deployment["dagsterApiGrpcArgs"] == ["-m", k8s.__name__]
    image = deployment["image"]
    assert deployment["env"][config["image"]["env"]] == f"{image['repository']}:{image['tag']}"
    # The build database's pool has one slot, as on one machine.
    assert values["concurrency"]["pools"]["defaultLimit"] == 1
