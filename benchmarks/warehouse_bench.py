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

TARGETS = {"backfill_1000": 120.0, "add_one_to_1000": 10.0}


class Bench:
    """One warehouse in its own temporary folders, run through the CLI."""

    def __init__(self, root: Path, dbt_target: Path) -> None:
        self.last: dict = {}
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
        """Seconds of one ``python -m orchestration run``; checks what it published.

        Also keeps, in ``self.last``, the run's peak RSS (``wait4``: the largest of the
        pipeline process and the children it reaped: dbt, the parsing processes) and the
        seconds of each step of its Dagster runs, read from the instance's event log.
        """
        start = time.perf_counter()
        log = (self.root / "run.log").open("a")
        with log:
            process = subprocess.Popen(
                [sys.executable, "-m", "orchestration", "run"],
                cwd=paths.REPO_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        if process.returncode != 0:
            tail = (self.root / "run.log").read_text()[-2000:]
            raise RuntimeError(f"run failed ({process.returncode}): {tail}")
        published = summarize(self.published).filings_published
        if published != expected_filings:
            raise RuntimeError(f"expected {expected_filings} filings published, got {published}")
        text = (self.root / "run.log").read_text()
        timing = text[text.rfind("Timing: ") :].splitlines()[0] if "Timing: " in text else ""
        self.last = {
            "seconds": round(seconds, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux: kilobytes
            "steps": self.step_seconds(),
            "timing": timing,
        }
        return seconds

    def step_seconds(self) -> dict[str, float]:
        """step -> seconds, over the Dagster runs of the last ``run`` (ingest and refresh)."""
        code = (
            "import json, dagster as dg\n"
            "i = dg.DagsterInstance.get()\n"
            "out = {}\n"
            "for r in i.get_runs(limit=2):\n"
            "    for s in i.get_run_step_stats(r.run_id):\n"
            "        out[s.step_key] = round((s.end_time or 0) - (s.start_time or 0), 2)\n"
            "print(json.dumps(out))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], env=self.env, capture_output=True, text=True
        )
        try:
            return json.loads(done.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return {}


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
    details: dict[str, list[dict]] = {}
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
            details.setdefault(f"backfill_{n}", []).append(bench.last)
            print(
                f"backfill {n:>4} filings, repeat {r + 1}: {seconds:6.1f}s"
                f" (checks {check_seconds:.1f}s over {rows:,} rows;"
                f" peak RSS {bench.last['peak_rss_mb']:.0f} MB; {bench.last['steps']})",
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
            details.setdefault(f"add_one_to_{n}", []).append(largest.last)
            print(
                f"add 1 filing to {n + r:>4}: {seconds:6.1f}s"
                f" (checks {check_seconds:.1f}s over {rows:,} rows;"
                f" peak RSS {largest.last['peak_rss_mb']:.0f} MB; {largest.last['steps']})",
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
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"medians": results, "runs": details}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
