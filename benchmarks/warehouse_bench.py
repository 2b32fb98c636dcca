"""Warehouse benchmark: backfill of 1, 10 and 100 filings, and one filing added to 100.

Every measurement is the real entry point, ``python -m orchestration run`` in a subprocess
(sensor -> raw store -> parse -> dbt build -> publish, process start-up included), in fresh
temporary folders, on generated variants of the sample filings (see warehouse_generate.py).
After each run the published warehouse must hold exactly the filings expected, so a run that
did nothing cannot pass for a fast one. Reported: median seconds over the repeats.

    python benchmarks/warehouse_bench.py [--sizes 1,10,100] [--repeats 3] [--add-repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
import warehouse_generate  # noqa: E402

from orchestration import paths  # noqa: E402
from orchestration.names import GATE_TABLE  # noqa: E402
from orchestration.summary import summarize  # noqa: E402

TARGETS = {"backfill_100": 120.0, "add_one_to_100": 30.0, "checks_backfill_100": 30.0}


class Bench:
    """One warehouse in its own temporary folders, run through the CLI."""

    def __init__(self, root: Path, dbt_target: Path) -> None:
        self.root = root
        self.inbox = root / "inbox"
        self.published = paths.published_file(root / "warehouse")
        self.env = {
            **os.environ,
            "FILINGS_DIR": str(self.inbox),
            "WAREHOUSE_BUILD_DB": str(root / "build" / "build.duckdb"),
            "WAREHOUSE_DIR": str(root / "warehouse"),
            "DAGSTER_HOME": str(root / "dagster_home"),
            # Shared by every run: dbt reuses its partial parse, as it does on one machine.
            "WAREHOUSE_DBT_TARGET_DIR": str(dbt_target),
            "INBOX_SETTLE_SECONDS": "0",
        }

    def checks(self) -> tuple[float, int]:
        """(seconds, rows validated) of the last run's consistency checks (the quality gate)."""
        build_db = Path(self.env["WAREHOUSE_BUILD_DB"])
        with duckdb.connect(str(build_db), read_only=True) as con:
            seconds, rows = con.execute(
                f"SELECT seconds, validated_rows FROM {GATE_TABLE}"
            ).fetchone()
        return float(seconds), int(rows)

    def run(self, expected_filings: int) -> float:
        """Seconds of one ``python -m orchestration run``; checks what it published."""
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "orchestration", "run"],
            cwd=paths.REPO_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - start
        with (self.root / "run.log").open("a") as log:
            log.write(done.stdout + done.stderr)
        if done.returncode != 0:
            raise RuntimeError(f"run failed ({done.returncode}): {done.stderr[-2000:]}")
        published = summarize(self.published).filings_published
        if published != expected_filings:
            raise RuntimeError(f"expected {expected_filings} filings published, got {published}")
        return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--repeats", type=int, default=3, help="repeats of each backfill")
    parser.add_argument("--add-repeats", type=int, default=3, help="filings added one by one")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    dbt_target = Path(tempfile.mkdtemp(prefix="warehouse-bench-dbt-"))

    results: dict[str, dict] = {}
    largest: Bench | None = None
    for n in sizes:
        times, checks = [], []
        for r in range(args.repeats):
            bench = Bench(Path(tempfile.mkdtemp(prefix=f"warehouse-bench-{n}-")), dbt_target)
            warehouse_generate.write(bench.inbox, n)
            seconds = bench.run(expected_filings=n)
            check_seconds, rows = bench.checks()
            times.append(seconds)
            checks.append(check_seconds)
            print(
                f"backfill {n:>4} filings, repeat {r + 1}: {seconds:6.1f}s"
                f" (checks {check_seconds:.1f}s over {rows:,} rows)",
                flush=True,
            )
            if n == max(sizes):
                largest = bench
        results[f"backfill_{n}"] = {"median_s": round(statistics.median(times), 2), "runs": times}
        results[f"checks_backfill_{n}"] = {
            "median_s": round(statistics.median(checks), 2),
            "runs": checks,
        }

    if largest is not None and args.add_repeats:
        n = max(sizes)
        times, checks = [], []
        for r in range(args.add_repeats):
            warehouse_generate.write(largest.inbox, 1, start=n + r)
            seconds = largest.run(expected_filings=n + r + 1)
            check_seconds, rows = largest.checks()
            times.append(seconds)
            checks.append(check_seconds)
            print(
                f"add 1 filing to {n + r:>4}: {seconds:6.1f}s"
                f" (checks {check_seconds:.1f}s over {rows:,} rows)",
                flush=True,
            )
        results[f"add_one_to_{n}"] = {"median_s": round(statistics.median(times), 2), "runs": times}
        results[f"checks_add_one_to_{n}"] = {
            "median_s": round(statistics.median(checks), 2),
            "runs": checks,
        }

    print("\nmedian seconds, CLI start-up included (target):")
    for name, r in results.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else f"  (target <= {target:.0f}s: "
        verdict += "" if target is None else ("met)" if r["median_s"] <= target else "MISSED)")
        print(f"  {name:<18} {r['median_s']:7.1f}{verdict}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
