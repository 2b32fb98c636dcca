"""Fault injection: a run killed at each step, then a run that recovers, completes and
publishes; SIGTERM and SIGINT stop a run cleanly.

Each test starts from a copy of the sample warehouse, adds a filing, and runs the pipeline in
a subprocess (``tests/fault_runner.py``) that meets its fault at one step.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO_ROOT, BuiltWarehouse, query

pytestmark = pytest.mark.fault

RUNNER = Path(__file__).with_name("fault_runner.py")
ADDED = REPO_ROOT / "tests" / "fixtures" / "checks" / "clean" / "tamarack-falls-2024-annual-mda.txt"
STEPS = ("ingest", "dbt", "checks", "publish")


def _published_files(built: BuiltWarehouse) -> set[str]:
    rows = query(built.published, "SELECT source_file FROM marts.dim_filing")
    return {r[0] for r in rows}


@pytest.fixture()
def with_new_filing(sample_copy: BuiltWarehouse) -> BuiltWarehouse:
    shutil.copy(ADDED, sample_copy.inbox / ADDED.name)
    return sample_copy


@pytest.mark.parametrize("step", STEPS)
def test_a_run_killed_at_each_step_is_recovered_and_the_next_run_publishes(
    with_new_filing: BuiltWarehouse, step: str
) -> None:
    built = with_new_filing
    killed = subprocess.run(
        [sys.executable, str(RUNNER), step, "kill"],
        cwd=REPO_ROOT,
        env=built.env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stdout[-2000:] + killed.stderr[-2000:]
    assert ADDED.name not in _published_files(built)  # the killed run published nothing

    after = built.cli("run")  # a run that waits forever fails by timeout
    assert after.returncode == 0, after.stdout[-3000:] + after.stderr[-3000:]
    # The dead run was found, marked failed and its slot freed: without that this run would
    # wait for the slot forever (the timeout above).
    assert "Recovered: run " in after.stdout and "marked failed" in after.stdout
    assert "dbt build + publish: done" in after.stdout
    assert ADDED.name in _published_files(built)
    # A dead publish leaves no temporary file beside the published one.
    assert [p.name for p in built.warehouse_dir.iterdir() if "publishing" in p.name] == []

    again = built.cli("run")
    assert again.returncode == 0 and "Recovered:" not in again.stdout
    assert "skipped (published warehouse is up to date)" in again.stdout


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_a_run_cleanly_and_the_next_run_completes(
    with_new_filing: BuiltWarehouse, tmp_path: Path, sig: signal.Signals
) -> None:
    built = with_new_filing
    ready = tmp_path / "ready"
    proc = subprocess.Popen(
        [sys.executable, str(RUNNER), "checks", "hang"],
        cwd=REPO_ROOT,
        env=built.env(FAULT_READY_FILE=str(ready)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 600
        while not ready.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the run never reached the checks"
            time.sleep(0.2)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)  # stops promptly, not after the 600 s hang
    finally:
        if proc.poll() is None:
            proc.kill()
    # Dagster takes both signals while a run executes (SIGTERM as SIGINT), so the pipeline
    # can only say it was one of them, and exits as for SIGINT.
    assert proc.returncode == 128 + signal.SIGINT, out[-2000:] + err[-2000:]
    last = err.strip().splitlines()[-1]
    assert last.startswith("error: interrupted by SIGINT or SIGTERM: stopped."), err[-2000:]
    assert "dbt build + publish" not in out  # it stopped; it did not go on to report

    after = built.cli("run")  # a run that waits forever fails by timeout
    assert after.returncode == 0, after.stdout[-3000:] + after.stderr[-3000:]
    assert ADDED.name in _published_files(built)
