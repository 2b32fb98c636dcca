"""Turning a stored filing version into raw-table rows, or into a recorded failure."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from queue import Empty, Queue
from typing import Any

import ingest
from ingest import readers

from .. import paths
from . import record_files
from .parse_process import ParseProcess
from .records import RAW_TABLES, failed_filing_row

WORKERS_ENV = "WAREHOUSE_PARSE_WORKERS"


@lru_cache(maxsize=1)
def parser_version() -> str:
    """``PARSER_VERSION`` plus a hash of the parser's source.

    The parser changes often without a version bump; hashing its code means a changed
    parser re-parses stored filings, while an unchanged one leaves them alone.
    """
    digest = hashlib.sha256()
    package = Path(ingest.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{ingest.PARSER_VERSION}+{digest.hexdigest()[:12]}"


def too_large(content: bytes, file_name: str) -> str | None:
    """Why ``content`` is too large to parse (naming the file, its size and the limit), or
    None. The limit is its reader's (``paths.max_input_mb``): the content decides, as it
    decides the reader, so a PDF saved as ``.txt`` has the PDF limit."""
    reader = readers.reader_for(content, file_name).NAME
    limit = paths.max_input_mb(reader)
    size = len(content) / 1e6
    if size <= limit:
        return None
    return (
        f"{file_name}: {size:.2f} MB is over the {limit:g} MB limit for {reader} filings"
        f" ({paths.max_input_env(reader)}); not parsed, the file is kept in the raw store"
    )


def _failed(
    error: str,
    filing_id: str,
    file_name: str,
    parsed_at: datetime,
    pv: str,
    filing_key: str,
    version: int,
    sidecar_sha: str | None,
) -> tuple[dict[str, list[dict[str, Any]]], str]:
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in RAW_TABLES}
    rows["filings"].append(
        failed_filing_row(filing_id, file_name, parsed_at, pv, error, filing_key, version)
        | {"sidecar_sha256": sidecar_sha}
    )
    return rows, error


@dataclass(frozen=True)
class ParseTask:
    """One stored filing version to parse, and the record file its parse is written to."""

    filing_id: str  # the content sha256
    file_name: str
    filing_key: str
    version: int
    sidecar: tuple[bytes, str, str] | None  # (bytes, name, sha256) read with it, if any
    path: Path  # where its record file is (record_files.record_path)

    @property
    def sidecar_sha256(self) -> str | None:
        return self.sidecar[2] if self.sidecar else None


def parse_task(
    records_dir: Path,
    filing_id: str,
    file_name: str,
    filing_key: str,
    version: int,
    sidecar: tuple[bytes, str, str] | None,
) -> ParseTask:
    """The task of a stored version, its record file named by everything its parse reads."""
    key = record_files.record_key(
        parser_version(), filing_id, file_name, filing_key, version, sidecar[2] if sidecar else None
    )
    return ParseTask(
        filing_id,
        file_name,
        filing_key,
        version,
        sidecar,
        record_files.record_path(records_dir, key),
    )


def parse_to_file(
    task: ParseTask, content: bytes, parsed_at: datetime, parser: ParseProcess
) -> str | None:
    """Parse one version in ``parser`` (a child process, under the limits) and write its
    record file; a failed parse writes a file with the version recorded as failed and its
    error, which is returned. A record file that cannot be written raises ``OSError``."""
    spec = {
        "filing_id": task.filing_id,
        "file_name": task.file_name,
        "filing_key": task.filing_key,
        "version": task.version,
        "sidecar_sha256": task.sidecar_sha256,
        "parsed_at": parsed_at,
        "parser_version": parser_version(),
    }
    error = too_large(content, task.file_name)
    if error is None:
        sidecar = (task.sidecar[0], task.sidecar[1]) if task.sidecar else None
        encoded, error = parser.parse(content, task.file_name, sidecar, records=spec)
        if encoded is not None:
            record_files.write_records(task.path, encoded)
            return None
    rows, error = _failed(
        error or f"{task.file_name}: not parsed",
        task.filing_id,
        task.file_name,
        parsed_at,
        parser_version(),
        task.filing_key,
        task.version,
        task.sidecar_sha256,
    )
    record_files.write_records(task.path, record_files.encode(rows))
    return error


def parse_workers() -> int:
    """How many filings are parsed at once: ``WAREHOUSE_PARSE_WORKERS``, default every core
    this process may run on."""
    value = os.environ.get(WORKERS_ENV, "").strip()
    if not value:
        return max(1, len(os.sched_getaffinity(0)))
    try:
        workers = int(value)
    except ValueError:
        raise ValueError(f"{WORKERS_ENV} must be a whole number, not {value!r}") from None
    if workers < 1:
        raise ValueError(f"{WORKERS_ENV} must be at least 1, not {value!r}")
    return workers


def parse_all(
    tasks: Sequence[ParseTask],
    content_of: Callable[[str], bytes],
    parsed_at: datetime,
    workers: int | None = None,
    parse: Callable[[ParseTask, bytes, datetime, ParseProcess], str | None] = parse_to_file,
    new_process: Callable[[], ParseProcess] = ParseProcess,
) -> dict[str, str]:
    """Parse ``tasks`` whose record file does not exist yet, ``workers`` at a time, each in
    its own child process; returns filing_id -> error for the parses that failed.

    ``content_of(filing_id)`` gives a version's bytes; it is called from the worker threads,
    one at a time. The threads only wait on their child's pipe, so the parses run in
    parallel. A record file that cannot be written stops the whole batch (``OSError``);
    the files already written stay, and the next run does not parse them again.
    """
    todo = [t for t in tasks if not t.path.exists()]
    if not todo:
        return {}
    queue: Queue[ParseTask] = Queue()
    for task in todo:
        queue.put(task)
    reading = threading.Lock()
    errors: dict[str, str] = {}
    stop = threading.Event()

    def work() -> None:
        with new_process() as process:
            while not stop.is_set():
                try:
                    task = queue.get_nowait()
                except Empty:
                    return
                with reading:
                    content = content_of(task.filing_id)
                error = parse(task, content, parsed_at, process)
                if error is not None:
                    errors[task.filing_id] = error

    count = min(workers or parse_workers(), len(todo))
    pool = ThreadPoolExecutor(max_workers=count, thread_name_prefix="parse")
    try:
        futures = [pool.submit(work) for _ in range(count)]
        for future in as_completed(futures):
            future.result()  # the first worker's error, if any
    except BaseException:
        # A worker's error, or this thread interrupted (Ctrl-C, a stopped run): the other
        # workers finish the filing they hold, write its file, and take no other.
        stop.set()
        raise
    finally:
        pool.shutdown(wait=True)
    return errors
