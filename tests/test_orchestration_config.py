"""Configuration: the Makefile loads .env, and build output stays out of the source tree."""

from __future__ import annotations

import shutil
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
