"""The Excel workbooks' folder: swapped in whole, never half-written, cleaned after dead runs.

A made-up published file (its companies and publication time) and a stand-in for the
workbook writer: what is tested here is the folder, not the sheets (tests/test_excel_workbooks.py
reads the sheets the pipeline wrote for the samples).
"""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.publish import exports
from orchestration.publish.exports import (
    MANIFEST,
    SOURCE_MARKER,
    ExportFailed,
    out_of_date,
    remove_stale_temp_dirs,
    workbook_name,
    write_exports,
)
from orchestration.recovery import process_id

pytestmark = pytest.mark.unit


def make_published(warehouse_dir: Path, companies: list[str], edition: str = "") -> Path:
    """A file with what the exporter reads first: the publication and the companies.
    Another ``edition`` changes every company's data (its name)."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    path = warehouse_dir / "warehouse.duckdb"
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA audit")
        con.execute("CREATE SCHEMA marts")
        con.execute("CREATE TABLE audit.publication AS SELECT now()::TIMESTAMP AS published_at")
        con.execute("CREATE TABLE marts.dim_company (company_id VARCHAR, company_name VARCHAR)")
        for c in companies:
            con.execute("INSERT INTO marts.dim_company VALUES (?, ?)", [c, c.title() + edition])
    return path


@pytest.fixture()
def fake_writer(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Workbooks written as one line naming the company and the run; ``fail_on`` fails one."""
    state: dict[str, object] = {"run": 1, "fail_on": None, "error": None}

    def write(con, company_id, name, path, published_at) -> None:
        if company_id == state["fail_on"]:
            path.write_bytes(b"half a work")  # as far as a real writer might get
            raise state["error"]
        path.write_text(f"{company_id} run {state['run']}")

    monkeypatch.setattr(exports, "write_workbook", write)
    return state


def contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(folder.iterdir()) if p.name != MANIFEST}


def temp_dirs(warehouse_dir: Path) -> list[str]:
    return sorted(p.name for p in warehouse_dir.glob(".exports-*"))


def test_one_workbook_per_company_and_a_marker_of_the_published_file(
    tmp_path: Path, fake_writer: dict
) -> None:
    make_published(tmp_path, ["alpha-gold", "beta-copper"])
    assert out_of_date(tmp_path) == f"{tmp_path / 'exports'} is missing"
    result = write_exports(tmp_path)
    folder = tmp_path / "exports"
    assert result.directory == folder
    assert [p.name for p in result.workbooks] == ["alpha-gold.xlsx", "beta-copper.xlsx"]
    assert sorted(p.name for p in folder.glob("*.xlsx")) == ["alpha-gold.xlsx", "beta-copper.xlsx"]
    assert (folder / SOURCE_MARKER).exists()
    assert out_of_date(tmp_path) is None
    assert temp_dirs(tmp_path) == []
    # A new published file: the workbooks no longer show it.
    make_published(tmp_path, ["alpha-gold", "beta-copper", "gamma-zinc"])
    assert "not those of the published file" in out_of_date(tmp_path)


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_company_that_is_gone_loses_its_workbook(
    tmp_path: Path, fake_writer: dict, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    if not exchange:
        monkeypatch.setattr(exports, "_exchange", lambda a, b: False)
    make_published(tmp_path, ["alpha-gold", "beta-copper", "gamma-zinc"])
    write_exports(tmp_path)
    make_published(tmp_path, ["alpha-gold", "gamma-zinc"], " v2")  # beta's filings removed
    fake_writer["run"] = 2
    write_exports(tmp_path)
    assert contents(tmp_path / "exports") == {
        SOURCE_MARKER: (tmp_path / "exports" / SOURCE_MARKER).read_text(),
        "alpha-gold.xlsx": "alpha-gold run 2",
        "gamma-zinc.xlsx": "gamma-zinc run 2",
    }
    assert temp_dirs(tmp_path) == []


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "no space left on /"),
        (PermissionError(errno.EACCES, "Permission denied"), "Permission denied"),
    ],
    ids=["full-disk", "permission"],
)
def test_a_failed_export_leaves_the_previous_workbooks_and_says_which_file(
    tmp_path: Path, fake_writer: dict, error: OSError, reason: str
) -> None:
    make_published(tmp_path, ["alpha-gold", "beta-copper", "gamma-zinc"])
    write_exports(tmp_path)
    before = contents(tmp_path / "exports")
    published = (tmp_path / "warehouse.duckdb").read_bytes()
    make_published(tmp_path, ["alpha-gold", "beta-copper", "gamma-zinc"], " v2")
    fake_writer.update(run=2, fail_on="beta-copper", error=error)
    with pytest.raises(ExportFailed) as failed:
        write_exports(tmp_path)
    message = str(failed.value)
    assert "\n" not in message
    assert message.startswith(
        f"Excel export failed: cannot write {tmp_path / 'exports' / 'beta-copper.xlsx'}: "
    )
    assert reason in message and "the published warehouse is intact" in message
    # Nothing of the failed export shows: the previous set, whole, and no temp folder.
    assert contents(tmp_path / "exports") == before
    assert temp_dirs(tmp_path) == []
    assert (tmp_path / "warehouse.duckdb").read_bytes() != published  # the new one stays
    assert "not those of the published file" in out_of_date(tmp_path)  # the next run redoes it


def test_only_changed_companies_workbooks_are_written_again(
    tmp_path: Path, fake_writer: dict
) -> None:
    make_published(tmp_path, ["alpha-gold", "beta-copper", "gamma-zinc"])
    first = write_exports(tmp_path)
    assert (first.written, first.kept) == (3, 0)
    folder = tmp_path / "exports"
    inode = (folder / "alpha-gold.xlsx").stat().st_ino
    # beta's data changes; alpha's and gamma's do not; gamma's workbook was saved over.
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        con.execute(
            "UPDATE marts.dim_company SET company_name = 'Beta 2' WHERE company_id = 'beta-copper'"
        )
        con.execute("UPDATE audit.publication SET published_at = now()")
    (folder / "gamma-zinc.xlsx").write_text("edited by hand")
    fake_writer["run"] = 2
    second = write_exports(tmp_path)
    assert (second.written, second.kept) == (2, 1)
    assert contents(folder) == {
        SOURCE_MARKER: (folder / SOURCE_MARKER).read_text(),
        "alpha-gold.xlsx": "alpha-gold run 1",  # kept, as a link to the same file
        "beta-copper.xlsx": "beta-copper run 2",
        "gamma-zinc.xlsx": "gamma-zinc run 2",  # not the edited file
    }
    assert (folder / "alpha-gold.xlsx").stat().st_ino == inode
    assert out_of_date(tmp_path) is None


def test_a_failed_swap_leaves_the_previous_workbooks(
    tmp_path: Path, fake_writer: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_published(tmp_path, ["alpha-gold"])
    write_exports(tmp_path)
    before = contents(tmp_path / "exports")
    fake_writer["run"] = 2

    def refuse(new: Path, final: Path) -> None:
        raise OSError(errno.EIO, "Input/output error", str(final))

    monkeypatch.setattr(exports, "swap_in", refuse)
    with pytest.raises(ExportFailed, match="cannot write .*exports: Input/output error"):
        write_exports(tmp_path)
    assert contents(tmp_path / "exports") == before
    assert temp_dirs(tmp_path) == []


def test_a_dead_exports_temp_dirs_go_and_a_live_ones_stay(tmp_path: Path, fake_writer) -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        pid, started = process_id(child.pid)
    finally:
        child.kill()
        child.wait()
    dead_writing = tmp_path / f".exports-{pid}-{started}-0123456789ab.writing"
    dead_old = tmp_path / f".exports-{pid}-{started}-ba9876543210.old"
    live = tmp_path / exports._temp_name("writing")  # this process's: being written
    unnamed = tmp_path / ".exports-0123456789ab.writing"  # names no process, and is recent
    for d in (dead_writing, dead_old, live, unnamed):
        d.mkdir()
        (d / "alpha-gold.xlsx").write_bytes(b"partial")
    assert sorted(remove_stale_temp_dirs(tmp_path)) == sorted([dead_writing, dead_old])
    assert temp_dirs(tmp_path) == sorted([live.name, unnamed.name])
    # An export cleans up the same way before it writes.
    dead_writing.mkdir()
    make_published(tmp_path, ["alpha-gold"])
    write_exports(tmp_path)
    assert temp_dirs(tmp_path) == sorted([live.name, unnamed.name])


def test_workbook_names_are_the_company_slug_kept_to_safe_characters() -> None:
    assert workbook_name("kestrel-ridge-copper") == "kestrel-ridge-copper.xlsx"
    assert workbook_name("../etc/passwd") == "etc-passwd.xlsx"
    assert workbook_name("Société Minière") == "Soci-t-Mini-re.xlsx"


def test_the_workbooks_asset_follows_the_publish_in_its_jobs() -> None:

    from orchestration.definitions import build_definitions
    from orchestration.publish.assets import EXPORTS_KEY, PUBLISHED_KEY
    from orchestration.schedules import EXPORT_JOB, REFRESH_JOB

    repo = build_definitions().get_repository_def()
    assert repo.asset_graph.get(EXPORTS_KEY).parent_keys == {PUBLISHED_KEY}
    for job in (REFRESH_JOB, EXPORT_JOB):
        assert EXPORTS_KEY in repo.get_job(job).asset_layer.executable_asset_keys, job
    assert repo.get_job(EXPORT_JOB).asset_layer.executable_asset_keys == {EXPORTS_KEY}
    assert repo.get_job(EXPORT_JOB).executor_def.name == "in_process"
