"""Kill ``make run`` at random moments, recover, and read the published file throughout.

    python benchmarks/fault_soak.py [--kills N] [--seed S] [--workdir DIR]

A warehouse of the bundled samples is published once. Then, N times: a new filing (a
variant of a sample, ``warehouse_generate``) goes into the inbox, ``python -m orchestration
run`` starts, and is killed with SIGKILL after a random delay within the time a run takes
(as the out-of-memory killer would: only that process; a dbt or parsing child it started
finishes or exits on its own). A second run must then finish, publish, and have every
filing of the inbox in the published ``dim_filing``.

All the while a reader in another process queries the published file in a loop through
the locked-down read-only connection users get; every error is counted. The report gives
kills survived, reader queries and errors, and the peak RSS of any process of the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from warehouse_generate import write  # noqa: E402

from orchestration.paths import SAMPLES_INBOX  # noqa: E402

READER = r"""
import json, signal, sys, time
from pathlib import Path
from orchestration.read_only import read_only_connect
published, out = Path(sys.argv[1]), Path(sys.argv[2])
counts = {"queries": 0, "errors": 0, "examples": []}
stop = False
def done(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, done)
while not stop:
    try:
        with read_only_connect(published) as con:
            con.execute("SELECT count(*) FROM marts.dim_filing").fetchone()
            con.execute("SELECT count(*), sum(value) FROM marts.fct_financial_facts").fetchone()
        counts["queries"] += 2
    except Exception as exc:  # every error a reader would see
        counts["errors"] += 1
        if len(counts["examples"]) < 5:
            counts["examples"].append(f"{type(exc).__name__}: {exc}"[:300])
    time.sleep(0.01)
out.write_text(json.dumps(counts))
"""


def _env(root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "FILINGS_DIR": str(root / "inbox"),
        "WAREHOUSE_DIR": str(root / "warehouse"),
        "WAREHOUSE_BUILD_DB": str(root / "build" / "build.duckdb"),
        "WAREHOUSE_DBT_TARGET_DIR": str(root / "build" / "dbt-target"),
        "DAGSTER_HOME": str(root / "dagster_home"),
        "INBOX_SETTLE_SECONDS": "0",
    }


def _run(root: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "orchestration", "run"],
        cwd=REPO,
        env=_env(root),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _published_files(root: Path) -> set[str]:
    from orchestration.read_only import read_only_connect

    with read_only_connect(root / "warehouse" / "warehouse.duckdb") as con:
        return {r[0] for r in con.execute("SELECT source_file FROM marts.dim_filing").fetchall()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    root = args.workdir or Path(tempfile.mkdtemp(prefix="fault-soak-"))
    inbox = root / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    for sample in sorted(SAMPLES_INBOX.glob("*.txt")):
        shutil.copy(sample, inbox / sample.name)

    t0 = time.monotonic()
    first = _run(root)
    if first.returncode != 0:
        print(first.stdout[-2000:], first.stderr[-2000:])
        return 1
    run_seconds = time.monotonic() - t0
    print(f"baseline: published {len(_published_files(root))} filings in {run_seconds:.1f} s")

    counts_file = root / "reader.json"
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            READER,
            str(root / "warehouse" / "warehouse.duckdb"),
            str(counts_file),
        ],
        cwd=REPO,
    )
    survived, killed_mid_run, recovered_runs, failures = 0, 0, 0, []
    try:
        for i in range(args.kills):
            write(inbox, 1, start=100 + i)  # new work for the run to be killed in
            delay = rng.uniform(0.5, run_seconds)
            proc = subprocess.Popen(
                [sys.executable, "-m", "orchestration", "run"],
                cwd=REPO,
                env=_env(root),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(delay)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                killed_mid_run += 1
            proc.wait()
            after = _run(root)
            expected = {p.name for p in inbox.iterdir() if p.is_file()}
            published = _published_files(root) if after.returncode == 0 else set()
            ok = after.returncode == 0 and expected <= published
            recovered_runs += after.stdout.count("Recovered: run ")
            survived += ok
            status = "ok" if ok else "FAILED"
            print(f"kill {i + 1}: after {delay:.1f} s, next run rc {after.returncode}, {status}")
            if not ok:
                failures.append((i + 1, after.stdout[-1500:], after.stderr[-1500:]))
    finally:
        reader.send_signal(signal.SIGTERM)
        reader.wait(timeout=60)
    counts = json.loads(counts_file.read_text()) if counts_file.exists() else {}
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"\nkills survived: {survived} of {args.kills} ({killed_mid_run} killed mid-run,"
        f" the rest had finished before the kill); dead runs recovered: {recovered_runs}"
    )
    print(f"reader: {counts.get('queries', 0)} queries, {counts.get('errors', 0)} errors")
    for example in counts.get("examples", []):
        print(f"  {example}")
    print(f"peak RSS of any process of the runs (and the reader): {peak_mb:.0f} MB")
    for i, out, err in failures:
        print(f"\n--- kill {i} ---\n{out}\n{err}")
    return 0 if survived == args.kills and not counts.get("errors") else 1


if __name__ == "__main__":
    sys.exit(main())
