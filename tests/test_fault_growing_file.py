"""Fault injection: a filing still being copied into the inbox while `make run` runs.

The half-copied file must not become a filing version (in the raw store or the published
marts); the run names it as waiting, and the next run, once the copy is done, takes it whole.
"""

from __future__ import annotations

import subprocess
import threading
import time

import pytest

from conftest import REPO_ROOT, BuiltWarehouse, query, slow_copy

pytestmark = pytest.mark.fault

ADDED = REPO_ROOT / "tests" / "fixtures" / "checks" / "clean" / "tamarack-falls-2024-annual-mda.txt"
SETTLE_SECONDS = 2.0  # INBOX_SETTLE_SECONDS's default


def _run(built: BuiltWarehouse) -> subprocess.CompletedProcess:
    return built.cli("run", INBOX_SETTLE_SECONDS=str(SETTLE_SECONDS))


def test_a_filing_copied_during_a_run_is_left_whole_for_the_next_run(
    sample_copy: BuiltWarehouse,
) -> None:
    built = sample_copy
    lines = ADDED.read_bytes().splitlines(keepends=True)
    target = built.inbox / ADDED.name
    stop = threading.Event()
    writer = slow_copy(target, lines, stop, head=40)
    try:
        during = _run(built)
    finally:
        stop.set()
        writer.join()
    assert during.returncode == 0, during.stdout[-3000:] + during.stderr[-3000:]
    assert (
        f"  waiting: {ADDED.name} is still being written; it will be read by the next run"
        in during.stdout.splitlines()
    ), during.stdout
    stored = f"SELECT content FROM raw.raw_files WHERE file_name = '{ADDED.name}'"
    assert query(built.build_db, stored) == []  # no half version in the raw store
    published = "SELECT source_file FROM marts.dim_filing"
    assert ADDED.name not in {r[0] for r in query(built.published, published)}

    time.sleep(SETTLE_SECONDS + 0.1)  # the copy is done and has settled
    after = _run(built)
    assert after.returncode == 0, after.stdout[-3000:] + after.stderr[-3000:]
    assert "waiting:" not in after.stdout
    assert query(built.build_db, stored) == [(ADDED.read_bytes(),)]
    assert ADDED.name in {r[0] for r in query(built.published, published)}
