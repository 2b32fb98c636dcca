"""Warehouse benchmark: backfill of 1, 10 and 100 filings, and one filing added to 100.

Each measurement runs the same pipeline as ``make run`` (sensor -> raw store -> parse ->
dbt build -> publish) in process, in fresh temporary folders, on generated variants of the
sample filings (see warehouse_generate.py). Reported: median seconds over the repeats.

    python benchmarks/warehouse_bench.py [--sizes 1,10,100] [--repeats 3] [--add-repeats 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import warnings
from contextlib import redirect_stdout
from pathlib import Path

import dagster as dg

sys.path.insert(0, str(Path(__file__).resolve().parent))
import warehouse_generate  # noqa: E402

from orchestration.definitions import build_definitions  # noqa: E402
from orchestration.pipeline import run_pipeline  # noqa: E402
from orchestration.resources import WarehouseConfig  # noqa: E402
from orchestration.summary import summarize  # noqa: E402

TARGETS = {"backfill_100": 120.0, "add_one_to_100": 30.0}


class Bench:
    def __init__(self, root: Path, dbt_target: Path) -> None:
        self.root = root
        self.warehouse = WarehouseConfig(
            inbox_dir=str(root / "inbox"),
            build_db=str(root / "build" / "build.duckdb"),
            warehouse_dir=str(root / "warehouse"),
            settle_seconds=0,
            dbt_target_dir=str(dbt_target),
        )
        self.defs = build_definitions(self.warehouse)
        self.instance = dg.DagsterInstance.ephemeral()
        self.log = (root / "pipeline.log").open("a")

    def run(self) -> tuple[float, dict]:
        start = time.perf_counter()
        with redirect_stdout(self.log):
            report = run_pipeline(self.defs, self.instance, self.warehouse, log_level="ERROR")
        seconds = time.perf_counter() - start
        if report.failed_runs:
            raise RuntimeError(f"pipeline failed: {report.failed_runs}; log {self.log.name}")
        return seconds, {k: round(v, 2) for k, v in report.seconds.items()}


def backfill(n: int, dbt_target: Path) -> tuple[float, dict, Bench]:
    root = Path(tempfile.mkdtemp(prefix=f"warehouse-bench-{n}-"))
    warehouse_generate.write(root / "inbox", n)
    bench = Bench(root, dbt_target)
    seconds, parts = bench.run()
    published = summarize(Path(bench.warehouse.warehouse_dir) / "warehouse.duckdb")
    if published.filings_published != n:
        raise RuntimeError(f"expected {n} filings published, got {published.filings_published}")
    return seconds, parts, bench


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--repeats", type=int, default=3, help="repeats of each backfill")
    parser.add_argument("--add-repeats", type=int, default=3, help="filings added one by one")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    dbt_target = Path(tempfile.mkdtemp(prefix="warehouse-bench-dbt-"))

    t = time.perf_counter()
    build_definitions(WarehouseConfig())  # parses dbt once if needed; warms imports
    print(f"definitions load: {time.perf_counter() - t:.1f}s (once per process, not counted)")

    results: dict[str, dict] = {}
    largest: Bench | None = None
    for n in sizes:
        times = []
        for r in range(args.repeats):
            seconds, parts, bench = backfill(n, dbt_target)
            times.append(seconds)
            print(f"backfill {n:>4} filings, repeat {r + 1}: {seconds:6.1f}s  {parts}", flush=True)
            if n == max(sizes):
                largest = bench
        results[f"backfill_{n}"] = {"median_s": round(statistics.median(times), 2), "runs": times}

    if largest is not None and args.add_repeats:
        n = max(sizes)
        times = []
        for r in range(args.add_repeats):
            warehouse_generate.write(Path(largest.warehouse.inbox_dir), 1, start=n + r)
            seconds, parts = largest.run()
            times.append(seconds)
            print(f"add 1 filing to {n + r:>4}: {seconds:6.1f}s  {parts}", flush=True)
        results[f"add_one_to_{n}"] = {"median_s": round(statistics.median(times), 2), "runs": times}

    print("\nmedian seconds (target):")
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
