"""``exports/``: the Excel workbooks of the published warehouse, replaced as one folder.

A publish's workbooks are written into a temp folder beside ``exports/`` and then swapped
in, so ``exports/`` only ever holds the complete set of one published file: never a
half-written workbook, never a mix of two publishes, and no workbook of a company the
warehouse no longer holds. On Linux the swap is one ``renameat2(RENAME_EXCHANGE)``, so
``exports/`` never stops existing; elsewhere two renames, a moment apart.

The workbooks read the published file through the confined read-only connection
(``read_only.read_only_connect``), so they hold exactly what users query.
"""

from __future__ import annotations

import ctypes
import errno
import json
import multiprocessing
import os
import re
import shutil
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .. import paths
from ..names import PUBLICATION_TABLE
from ..read_only import read_only_connect
from ..recovery import pid_is_gone, process_id
from ..storage import is_no_space, mount_point
from .publisher import _sha256
from .workbooks import companies, company_signatures, write_workbook

SOURCE_MARKER = ".published.sha256"  # in exports/: the published file the workbooks show
# In exports/: company_id -> [signature of its published rows, sha256 of its workbook].
MANIFEST = ".companies.json"
# From this many workbooks to write, they are written by processes on every core: a
# backfill writes hundreds, at about 0.2 s each; a few are quicker in this process.
_PARALLEL_FROM = 8
STALE_TEMP_SECONDS = 3600
_TEMP_NAME = re.compile(r"\.exports-(\d+)-(\d*)-[0-9a-f]{12}\.(?:writing|old)")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class ExportFailed(Exception):
    """Writing the workbooks failed; the message is the one line the user sees."""


@dataclass
class ExportResult:
    """What an export wrote, for the asset's metadata and the CLI summary."""

    directory: Path
    workbooks: list[Path] = field(default_factory=list)
    written: int = 0  # workbooks written by this export
    kept: int = 0  # unchanged companies' workbooks kept from the previous export
    seconds: float = 0.0


def workbook_name(company_id: str) -> str:
    """The file name of a company's workbook: its id (a slug), kept to safe characters."""
    return (_UNSAFE.sub("-", company_id).strip(".-") or "company") + ".xlsx"


def _temp_name(kind: str) -> str:
    pid, started = process_id()
    return f".exports-{pid}-{started}-{uuid.uuid4().hex[:12]}.{kind}"


def remove_stale_temp_dirs(warehouse_dir: Path) -> list[Path]:
    """Remove the temp folders of exports whose process is gone; returns those removed.

    A live process's folder (another ``make run`` writing its workbooks) is left alone; one
    that names no process goes once it is an hour old.
    """
    removed = []
    for p in warehouse_dir.glob(".exports-*"):
        named = _TEMP_NAME.fullmatch(p.name)
        try:
            gone = pid_is_gone(int(named[1]), named[2]) if named else None
            if gone or (gone is None and time.time() - p.stat().st_mtime > STALE_TEMP_SECONDS):
                shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
                removed.append(p)
        except OSError:
            pass
    return removed


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where that is unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOENT, errno.ENOTSUP):
        return False  # a filesystem without the flag, or nothing to swap with yet
    raise OSError(code, os.strerror(code), str(b))


def swap_in(new: Path, final: Path) -> None:
    """Make the folder ``new`` the folder ``final``; whatever ``final`` held goes.

    ``new`` ends up holding the previous contents (or nothing), for the caller to remove.
    """
    if _exchange(new, final):
        return
    if final.exists():
        aside = final.parent / _temp_name("old")
        os.rename(final, aside)
        os.rename(new, final)
        os.rename(aside, new)  # so the caller removes it with its temp folder
    else:
        os.rename(new, final)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def out_of_date(warehouse_dir: Path) -> str | None:
    """Why ``exports/`` does not show the published file, or None when it does."""
    published = paths.published_file(warehouse_dir)
    folder = paths.exports_dir(warehouse_dir)
    if not published.exists():
        return None  # nothing to export
    if not folder.is_dir():
        return f"{folder} is missing"
    marker = folder / SOURCE_MARKER
    if not marker.exists() or marker.read_text().strip() != _sha256(published):
        return f"the workbooks in {folder} are not those of the published file"
    return None


def _read_manifest(folder: Path) -> dict[str, list[str]]:
    """company_id -> [signature, sha256 of its workbook] of the export in ``folder``."""
    try:
        data = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _keep(old: Path, new: Path, sha256: str) -> bool:
    """The previous export's workbook ``old`` as ``new``: a hard link (no copy), or a copy
    where links are refused. False if there is no such workbook, or it is not the file
    that export wrote (someone saved over it)."""
    if not old.is_file() or _sha256(old) != sha256:
        return False
    try:
        os.link(old, new)
    except OSError:
        shutil.copy2(old, new)
    return True


def _workers() -> int:
    return len(os.sched_getaffinity(0))


def _write_chunk(published: str, chunk: list[tuple[str, str, str]], published_at: object) -> None:
    """A worker process: write ``chunk``'s workbooks from its own read-only connection."""
    with closing(read_only_connect(Path(published))) as con:
        for company_id, name, path in chunk:
            write_workbook(con, company_id, name, Path(path), published_at)


def _write_in_parallel(
    published: Path, todo: list[tuple[str, str, Path]], published_at: object
) -> None:
    workers = min(_workers(), len(todo))
    chunks = [[(c, n, str(p)) for c, n, p in todo[i::workers]] for i in range(workers)]
    context = multiprocessing.get_context("spawn")  # not a fork of Dagster's process
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for future in [pool.submit(_write_chunk, str(published), c, published_at) for c in chunks]:
            future.result()


def _failure(exc: BaseException, target: Path) -> ExportFailed:
    if is_no_space(exc):
        reason = f"no space left on {mount_point(target.parent)}"
    elif isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        named = exc.filename
        if named and Path(named).name != target.name:
            reason += f" ({named})"
    else:
        reason = " ".join(str(exc).split())
    return ExportFailed(
        f"Excel export failed: cannot write {target}: {reason}; the published warehouse is"
        " intact and exports/ keeps the previous workbooks"
    )


def write_exports(warehouse_dir: Path) -> ExportResult:
    """Write one workbook per company of the published file into ``exports/``, atomically.

    Raises ``ExportFailed`` (one line naming the file) when a workbook cannot be written:
    ``exports/`` and the published file are then as they were.
    """
    start = time.monotonic()
    published = paths.published_file(warehouse_dir)
    final = paths.exports_dir(warehouse_dir)
    remove_stale_temp_dirs(warehouse_dir)
    temp = warehouse_dir / _temp_name("writing")
    result = ExportResult(directory=final)
    target = temp
    try:
        temp.mkdir()
        # Before reading: should the file be replaced meanwhile, the marker names the older
        # one and the next run writes the workbooks again.
        sha = _sha256(published)
        with closing(read_only_connect(published)) as con:
            (published_at,) = con.execute(
                f"SELECT published_at FROM {PUBLICATION_TABLE}"
            ).fetchone()
            signatures = company_signatures(con)
            previous = _read_manifest(final)
            todo: list[tuple[str, str, Path]] = []
            all_companies = companies(con)
            for company_id, name in all_companies:
                target = final / workbook_name(company_id)
                path = temp / target.name
                result.workbooks.append(target)
                signature = signatures.get(company_id)
                kept = previous.get(company_id)
                if signature is not None and kept and kept[0] == signature:
                    # Unchanged since the workbook in exports/ was written, and that file is
                    # as written (not edited since): keep it. Its notes name the publish it
                    # was written from.
                    if _keep(target, path, kept[1]):
                        result.kept += 1
                        continue
                todo.append((company_id, name, path))
            if len(todo) < _PARALLEL_FROM or _workers() < 2:
                for company_id, name, path in todo:
                    target = final / path.name
                    write_workbook(con, company_id, name, path, published_at)
            result.written = len(todo)
        if len(todo) >= _PARALLEL_FROM and _workers() >= 2:
            target = final
            _write_in_parallel(published, todo, published_at)
        manifest = {}
        for path in sorted(temp.glob("*.xlsx")):
            target = final / path.name
            _fsync(path)
        for company_id, _ in all_companies:
            path = temp / workbook_name(company_id)
            if company_id in signatures and path.exists():
                manifest[company_id] = [signatures[company_id], _sha256(path)]
        target = final / MANIFEST
        (temp / MANIFEST).write_text(json.dumps(manifest, sort_keys=True, indent=0))
        target = final / SOURCE_MARKER
        (temp / SOURCE_MARKER).write_text(sha + "\n")
        _fsync(temp)
        target = final
        swap_in(temp, final)
        _fsync(warehouse_dir)
    except (OSError, duckdb.Error, BrokenProcessPool) as exc:
        raise _failure(exc, target) from exc
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    result.seconds = time.monotonic() - start
    return result


def describe(warehouse_dir: Path, failed: str | None = None, rewritten: str | None = None) -> str:
    """The one line ``make run`` prints about the workbooks."""
    folder = paths.exports_dir(warehouse_dir)
    count = len(list(folder.glob("*.xlsx"))) if folder.is_dir() else 0
    if failed:
        kept = f"{count} from an earlier publish kept in {folder}" if count else "none written"
        return f"Excel workbooks: NOT UPDATED ({kept}; the error below says why)"
    line = f"Excel workbooks: {count} in {folder}"
    return line + (f" (written again: {rewritten})" if rewritten else "")
