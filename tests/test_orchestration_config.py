"""Configuration: the Makefile loads .env, and build output stays out of the source tree."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from conftest import REPO_ROOT
from orchestration import paths

pytestmark = pytest.mark.unit

SHOW = 'show: ; @echo "[$$FILINGS_DIR][$$INGEST_SCHEDULE_CRON]"'


def make_show(folder: Path, **env: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    shutil.copy(REPO_ROOT / "Makefile", folder / "Makefile")
    run = subprocess.run(
        ["make", "-s", "--eval", SHOW, "show"],
        cwd=folder,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def test_makefile_exports_dot_env_and_the_environment_wins(tmp_path: Path) -> None:
    assert make_show(tmp_path) == "[][]"  # no .env: fine, nothing set
    (tmp_path / ".env").write_text(
        "# comment\nFILINGS_DIR=/data/inbox\nINGEST_SCHEDULE_CRON=0 6 * * *\n"
    )
    assert make_show(tmp_path) == "[/data/inbox][0 6 * * *]"
    assert make_show(tmp_path, FILINGS_DIR="/mine") == "[/mine][0 6 * * *]"


def test_dbt_target_defaults_under_build_and_follows_the_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("WAREHOUSE_DBT_TARGET_DIR")
    assert paths.dbt_target_dir() == REPO_ROOT / "build" / "dbt-target"
    monkeypatch.setenv("WAREHOUSE_DBT_TARGET_DIR", str(tmp_path))
    assert paths.dbt_target_dir() == tmp_path
    assert paths.published_file(tmp_path) == tmp_path / "warehouse.duckdb"


def test_build_database_is_private_to_its_owner(tmp_path: Path) -> None:
    from orchestration.database import connect

    build = tmp_path / "build" / "build.duckdb"
    with connect(build) as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS x")
    assert stat.S_IMODE(build.stat().st_mode) == 0o600
    build.chmod(0o644)  # a build database from before, or copied in with cp
    with connect(build):
        pass
    assert stat.S_IMODE(build.stat().st_mode) == 0o600


def test_dagster_home_is_private_to_its_owner(tmp_path: Path) -> None:
    from orchestration.instance import ensure_dagster_home

    home = ensure_dagster_home(tmp_path / "dagster_home")
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    home.chmod(0o755)  # made by an older version, or by hand
    assert stat.S_IMODE(ensure_dagster_home(home).stat().st_mode) == 0o700
