"""Parsing filings in a child process, under a memory limit and a time limit.

A pathological file once took 11 GB of memory and 8 minutes. Parsed in a child process
whose address space is capped (``RLIMIT_AS``) and which is killed at a deadline, such a
file is stopped and recorded as failed with the reason, and the run and the machine go on.
One child serves all the filings of a run, since starting one costs an interpreter and the
parser's import (some 0.3 s); a child that hit a limit is replaced before the next filing.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

import ingest

from .. import paths
from .record_files import encode_parsed

MEMORY_ENV = "WAREHOUSE_PARSE_MEMORY_MB"
TIMEOUT_ENV = "WAREHOUSE_PARSE_TIMEOUT_SECONDS"

# A fresh interpreter that imports only the parser: a fork would copy Dagster's process
# (its threads, the DuckDB connection, its memory) into the child, under the limit.
_CONTEXT = multiprocessing.get_context("spawn")
# How long a child asked to exit may take before it is killed, and one may take to start.
_EXIT_SECONDS = 5.0
_START_SECONDS = 120.0

Target = Callable[..., ingest.ParsedFiling]
# What a child needs to encode a parse for its record file: ``record_files.encode_parsed``.
RecordSpec = dict[str, Any]


class _NotStarted(Exception):
    pass


class ParseProcess:
    """A child process that parses filings one at a time, within the configured limits.

    ``WAREHOUSE_PARSE_MEMORY_MB`` and ``WAREHOUSE_PARSE_TIMEOUT_SECONDS`` are read when it
    is created. Use it as a context manager: the child starts with the first filing and
    exits at the end. ``target`` is what the child runs, ``ingest.parse_filing``; it must
    be importable by name, since the child is a new interpreter.
    """

    def __init__(self, target: Target = ingest.parse_filing) -> None:
        self.target = target
        self.memory_mb = paths.parse_memory_mb()
        self.timeout_seconds = paths.parse_timeout_seconds()
        self._process: Any = None
        self._conn: Connection | None = None

    def __enter__(self) -> ParseProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def parse(
        self,
        content: bytes,
        name: str,
        sidecar: tuple[bytes, str] | None = None,
        records: RecordSpec | None = None,
    ) -> tuple[Any, str | None]:
        """The parsed filing and None, or None and why the filing could not be parsed:
        the parser's error, or the limit its parse went over (naming the file and the
        variable that sets the limit).

        With ``records`` (``record_files.encode_parsed``'s spec), the child also turns the
        parse into raw-table rows encoded for a record file, and returns those instead of
        the parsed filing: the work is spread over the children like the parse, and only
        a few strings cross the pipe.
        """
        try:
            conn = self._start()
            conn.send((content, name, sidecar, records))
            if not conn.poll(self.timeout_seconds):
                self._stop()
                return None, (
                    f"parse of {name} stopped after {self.timeout_seconds:g} s ({TIMEOUT_ENV})"
                )
            outcome, value = conn.recv()
        except _NotStarted:
            return (
                None,
                f"parse of {name} stopped: its process did not start in {_START_SECONDS:g} s",
            )
        except (EOFError, OSError):  # the child died: it closed its end of the pipe
            return None, self._died(name, self._stop())
        if outcome == "memory":
            # Replaced: a process that ran out of memory may be left in any state.
            self._stop()
            return None, (
                f"parse of {name} stopped: it needed more than {self.memory_mb:g} MB"
                f" of memory ({MEMORY_ENV})"
            )
        return (value, None) if outcome == "parsed" else (None, value)

    def close(self) -> None:
        """Ask the child to exit, and kill it if it does not."""
        if self._conn is not None:
            try:
                self._conn.send(None)
            except OSError:
                pass
        self._stop(wait=_EXIT_SECONDS)

    def _start(self) -> Connection:
        if self._conn is None:
            ours, theirs = _CONTEXT.Pipe()
            memory_bytes = int(self.memory_mb * 2**20)
            # daemon: the child is killed if this process exits without closing it.
            self._process = _CONTEXT.Process(
                target=serve, args=(theirs, self.target, memory_bytes), daemon=True
            )
            self._process.start()
            theirs.close()
            self._conn = ours
            # The time limit is the parse's own: it starts once the child has imported
            # the parser. A child that dies starting raises EOFError here.
            if not ours.poll(_START_SECONDS):
                self._stop()
                raise _NotStarted
            ours.recv()
        return self._conn

    def _stop(self, wait: float = 0.0) -> int | None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if process is None:
            return None
        process.join(wait)
        if process.is_alive():
            process.kill()
            process.join()
        if conn is not None:
            conn.close()
        return process.exitcode

    def _died(self, name: str, exitcode: int | None) -> str:
        if exitcode is not None and exitcode < 0:
            signal_name = signal.Signals(-exitcode).name
            if -exitcode == signal.SIGKILL:
                return (
                    f"parse of {name} stopped: its process was killed ({signal_name}), as the"
                    f" system does when memory runs out; the limit is {self.memory_mb:g} MB"
                    f" ({MEMORY_ENV})"
                )
            return f"parse of {name} stopped: its process died ({signal_name})"
        return f"parse of {name} stopped: its process exited with code {exitcode}"


def serve(conn: Connection, target: Target, memory_bytes: int) -> None:
    """The child: cap its memory, then parse each filing sent until told to stop."""
    # Ctrl-C reaches the whole process group; the parent stops the run and this child.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        memory_bytes = min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, hard))
    conn.send(("ready", None))
    while True:
        reply: tuple[str, Any]
        try:
            task = conn.recv()
            if task is None:
                return
            reply = _parse(target, *task)
        except EOFError:  # the parent is gone
            return
        except MemoryError:
            reply = ("memory", None)
        try:
            conn.send(reply)
        except MemoryError:  # pickling the result took what was left
            del reply
            conn.send(("memory", None))
        except OSError:
            return


def _parse(
    target: Target,
    content: bytes,
    name: str,
    sidecar: tuple[bytes, str] | None,
    records: RecordSpec | None = None,
) -> tuple[str, Any]:
    try:
        parsed = target(content, name=name, sidecar=sidecar)
        if records is None:
            return "parsed", parsed
        return "parsed", encode_parsed(parsed, records)
    except ingest.UnreadableFiling as exc:
        return "failed", str(exc)
    except MemoryError:
        raise
    except Exception as exc:  # the parser must not take the pipeline down with it
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" at {last[0].filename}:{last[0].lineno}" if last else ""
        return "failed", f"{name}: parser error {type(exc).__name__}: {exc}{where}"
