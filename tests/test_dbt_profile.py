"""The dbt profile finds the build DuckDB file relative to the repository root, from any cwd.

A relative ``WAREHOUSE_BUILD_DB`` names a fresh folder under the repository's git-ignored
``build/``: resolved against any other folder it does not exist, and DuckDB fails to open it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from conftest import DBT_PROJECT, REPO_ROOT
from orchestration.paths import dbt_executable

pytestmark = pytest.mark.dbt


def run_dbt_from(cwd: Path, db_value: str, work: Path, *args: str) -> str:
    """``dbt <args>`` started in ``cwd`` with ``WAREHOUSE_BUILD_DB=db_value``; its output."""
    env = {
        **os.environ,
        "WAREHOUSE_BUILD_DB": db_value,
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    result = subprocess.run(
        [dbt_executable(), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return result.stdout


SHOW = ["show", "--inline", "select 1 as one"]


@pytest.mark.parametrize(
    ("command", "dirs"),
    [
        pytest.param(["debug"], "relative", id="debug-from-repo-root"),
        pytest.param(SHOW, "relative", id="show-from-repo-root"),
        # from another folder: dbt does not chdir into the project before it connects
        pytest.param(SHOW, "absolute", id="show-from-elsewhere"),
        pytest.param(["debug"], "inside", id="debug-inside-dbt-project"),
    ],
)
def test_relative_build_db_is_taken_from_the_repo_root(
    tmp_path: Path, command: list[str], dirs: str
) -> None:
    folder = REPO_ROOT / "build" / f"test-dbt-profile-{uuid.uuid4().hex}"
    value = str((folder / "relative.duckdb").relative_to(REPO_ROOT))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if dirs == "inside":  # cd dbt_project && dbt ...: the profile found in the cwd
        cwd, flags = DBT_PROJECT, []
    else:
        cwd = REPO_ROOT if dirs == "relative" else elsewhere
        project = os.path.relpath(DBT_PROJECT, cwd) if dirs == "relative" else str(DBT_PROJECT)
        flags = ["--project-dir", project, "--profiles-dir", project]
    folder.mkdir(parents=True)
    try:
        run_dbt_from(cwd, value, tmp_path / "dbt", *command, *flags)
        assert (folder / "relative.duckdb").is_file()
    finally:
        shutil.rmtree(folder)
    assert not list(elsewhere.iterdir())
