"""The dbt project, wired once: where it is, how to run it, and a current manifest."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from .. import paths

# The manifest is rebuilt when any of these changed after it was written.
_SOURCE_GLOBS = ("dbt_project.yml", "profiles.yml", "models/**/*", "macros/**/*", "tests/**/*")


def dbt_project(target_dir: Path | None = None) -> DbtProject:
    """The project in ``dbt_project/``, with a manifest no older than its sources.

    Its artifacts go to ``target_dir`` (default ``paths.dbt_target_dir()``, under build/), so
    nothing is written into the project's source tree. ``ensure_manifest`` stands in for
    ``prepare_if_dev()``: that runs whichever ``dbt`` is first on PATH (often none, outside
    an activated venv) and only under ``dagster dev``; this re-parses with the venv's dbt,
    for the CLI and tests too, and only on change.
    """
    target = (target_dir or paths.dbt_target_dir()).resolve()
    project = DbtProject(
        project_dir=paths.dbt_project_dir(),
        profiles_dir=paths.dbt_project_dir(),
        target_path=target,
    )
    ensure_manifest(project)
    return project


class WarehouseDbtCli(DbtCliResource):
    """``DbtCliResource`` without two costs every build paid, some 5 s of a build's step:

    - ``dbt --version`` in a subprocess (a whole dbt start-up, 1.8 s), to learn whether the
      dbt it runs is dbt-core or the Fusion engine: it is this venv's dbt-core, pinned in
      pyproject.toml, so its version is the installed package's;
    - a dbt adapter opened in this process (3.3 s), which dagster-dbt needs only to fetch row
      counts and column metadata; ``dbt_models`` reads those itself once dbt is done.

    Both override private methods of dagster-dbt 0.29;
    ``tests/test_orchestration_definitions.py`` fails if they stop existing there.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None


def dbt_resource(project: DbtProject) -> DbtCliResource:
    """The dbt CLI of this venv (not whatever ``dbt`` is first on PATH)."""
    return WarehouseDbtCli(project_dir=project, dbt_executable=paths.dbt_executable())


def _newest_source_mtime(project_dir: Path) -> float:
    newest = 0.0
    for pattern in _SOURCE_GLOBS:
        for p in project_dir.glob(pattern):
            if p.is_file():
                newest = max(newest, p.stat().st_mtime)
    return newest


def ensure_manifest(project: DbtProject) -> Path:
    """The target's ``manifest.json``, parsed again if the project changed since it was written.

    ``dbt parse`` needs no database, so this is safe while a build holds the DuckDB file.
    """
    manifest = Path(project.manifest_path)
    manifest.parent.mkdir(parents=True, exist_ok=True)
    project_dir = Path(project.project_dir)
    if manifest.exists() and manifest.stat().st_mtime >= _newest_source_mtime(project_dir):
        return manifest
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run(
        [
            paths.dbt_executable(),
            "parse",
            "--project-dir",
            str(project_dir),
            "--profiles-dir",
            str(project.profiles_dir or project_dir),
            "--target-path",
            str(manifest.parent),
            # dbt writes dbt.log into ./logs of the project otherwise (as dagster-dbt does
            # for builds, keep it beside the artifacts).
            "--log-path",
            str(manifest.parent),
            "--quiet",
        ],
        cwd=project_dir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not manifest.exists():
        output = (result.stdout + result.stderr).strip()[-4000:]
        raise RuntimeError(f"dbt parse of {project_dir} failed:\n{output}")
    return manifest
