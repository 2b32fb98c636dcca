"""Fault injection: the warehouse folder on a filesystem too small for a new published file.

A tmpfs a little larger than what is already on it (the published file and Data Docs), so
the new file cannot be written beside the old one. Mounting needs root (or CAP_SYS_ADMIN);
where it is not permitted the test is skipped and says so.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import BuiltWarehouse

pytestmark = pytest.mark.fault


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


@pytest.fixture()
def tiny_warehouse(
    sample_copy: BuiltWarehouse, sample_warehouse: BuiltWarehouse, tmp_path: Path
) -> Iterator[Path]:
    """A tmpfs holding the sample copy's published file, with room for Data Docs and half a
    published file more."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    published = _size(sample_copy.published)
    docs = _size(sample_warehouse.warehouse_dir / "data_docs")
    size_kb = (published + docs * 11 // 10 + published // 2) // 1024 + 64
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        shutil.copy2(sample_copy.published, mount / sample_copy.published.name)
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_fails_the_publish_with_one_line_and_keeps_the_last_file(
    sample_copy: BuiltWarehouse, tiny_warehouse: Path
) -> None:
    published = tiny_warehouse / sample_copy.published.name
    before = hashlib.sha256(published.read_bytes()).hexdigest()
    run = sample_copy.cli("run", "--force", WAREHOUSE_DIR=str(tiny_warehouse))
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    need = round(published.stat().st_size / 1e6)
    assert run.stderr.splitlines() == [
        f"error: publish failed: no space left on {tiny_warehouse} (need about {need} MB)"
    ], run.stderr[-3000:]
    assert "Traceback" not in run.stdout and "Stack Trace" not in run.stdout
    assert "the publish step did not run" not in run.stdout
    assert "dbt build + publish: PUBLISH FAILED" in run.stdout
    assert "PUBLISH FAILED: the published file is the previous one:" in run.stdout
    # Readers still have the last good file, and nothing half written is left beside it.
    assert hashlib.sha256(published.read_bytes()).hexdigest() == before
    assert [p.name for p in tiny_warehouse.iterdir() if p.is_file()] == [published.name]
