"""Recovering from a run that died: its Dagster record and its concurrency slot.

A process killed with ``kill -9`` (or by the out-of-memory killer, or a power cut) cannot
report its run's end. The run stays ``STARTED`` in the instance and keeps the build
database's concurrency slot (pool ``build_duckdb``, one slot), so every later run waits for
that slot forever. The runs this package executes in process are tagged with the process
that runs them (its pid and start time, so a recycled pid is not taken for it); at start, a
run whose process is gone is marked failed and its slots are freed.

Runs the Dagster daemon launches (``make dev``) run in worker processes we do not tag and
carry the code location they were launched from: the daemon's run monitoring
(``run_monitoring`` in ``dagster.yaml``) looks after those. An in-process run without the
tag was started by a version of this package from before it tagged its runs; it is taken
for dead, since no process of that version can still be waiting on it once this one runs.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

import dagster as dg

PROCESS_TAG = "warehouse/process"  # "HOST:PID:START"

# A run that may still hold a slot: it has started, or is about to, and has not ended.
_UNFINISHED = [
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), or None where unknown.

    Two processes that reuse a pid have different start times, so the pair names a process.
    """
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            stat = fh.read()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces: split after it.
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None  # field 22 of the whole line


def process_id(pid: int | None = None) -> tuple[int, str]:
    """(pid, start time) of a process, this one by default: together they name it."""
    pid = os.getpid() if pid is None else pid
    return pid, _start_time(pid) or ""


def process_tag(pid: int | None = None) -> str:
    """The value of ``PROCESS_TAG`` for a process (this one by default)."""
    pid, started = process_id(pid)
    return f"{socket.gethostname()}:{pid}:{started}"


def run_tags() -> dict[str, str]:
    """Tags for a run executed in this process, so a later start can tell it died."""
    return {PROCESS_TAG: process_tag()}


def pid_is_gone(pid: int, started: str) -> bool:
    """Whether the process of this host that ``process_id`` named has ended."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, owned by another user
    # Alive under that pid: the same process only if it started when the named one did.
    now = _start_time(pid)
    return bool(started and now and now != started)


def process_is_gone(tag: str) -> bool | None:
    """Whether the process a tag names has ended: True, False, or None when it ran on another
    host (its liveness cannot be known from here)."""
    host, _, rest = tag.partition(":")
    pid_text, _, started = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return None
    return pid_is_gone(int(pid_text), started)


@dataclass(frozen=True)
class Recovered:
    """A run that died, as it was found and marked."""

    run_id: str
    job_name: str
    status: str

    @property
    def message(self) -> str:
        return (
            f"run {self.run_id[:8]} ({self.job_name}) was left {self.status} by a process that "
            "is gone: marked failed and its concurrency slot freed"
        )


def recover_dead_runs(instance: dg.DagsterInstance) -> list[Recovered]:
    """Mark failed every unfinished run whose tagged process is gone; free its slots."""
    recovered: list[Recovered] = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=_UNFINISHED)):
        tag = run.tags.get(PROCESS_TAG)
        if tag is None:
            if run.remote_job_origin is not None:
                continue  # launched by the daemon: its run monitoring decides
        elif tag == process_tag() or not process_is_gone(tag):
            continue
        found = Recovered(run.run_id, run.job_name, run.status.value)
        instance.report_run_failed(run, message=found.message)
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        recovered.append(found)
    return recovered
