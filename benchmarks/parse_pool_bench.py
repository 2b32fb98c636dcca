"""Throughput of the parse pool (``parsing.parse_all``) on long PDFs, with 1 and 2 workers.

    python benchmarks/parse_pool_bench.py [--filings 100] [--pages-min 50] [--pages-max 100]
        [--workers 1,2] [--rounds 2] [--cache build/bench/pdfs] [--regenerate] [--json PATH]

Quick check: ``--filings 6 --pages-min 50 --pages-max 60``.

1. Draws ``--filings`` distinct MD&A-like reports with ``pdf_bench.draw_report`` (seed
   1000 + i, ``pages-min + (i * 37) % (pages-max - pages-min + 1)`` pages, so 50-100 by
   default) into the cache folder, over every core in a process pool, and times it. A file
   already there (named by its seed and page count, with the size ``manifest.json``
   recorded) is reused; ``--regenerate`` draws them all again.
2. Parses them all with ``parse_all`` (``parse_to_file`` in ``ParseProcess`` children under
   the usual memory/time limits, one Parquet record file per filing), once per worker count
   per round, each run in a fresh temporary records folder so that nothing is skipped.
   Rounds are interleaved and alternate their order (1,2 then 2,1), so a drift in the
   machine's load weighs on both counts alike; figures are medians over rounds.
   ``content_of`` reads a filing's bytes from disk by its sha256, as the raw store does.
3. Per run: wall seconds, pages/s, filings/s, and the children's CPU-seconds per page and
   per filing (``getrusage(RUSAGE_CHILDREN)`` deltas: each worker's child is joined when
   the worker finishes, so all of them are reaped before ``parse_all`` returns). Also the
   parent's own CPU, how busy the workers' children were (child CPU over wall x workers),
   and how many CPUs other processes used meanwhile (``/proc/stat`` minus ours): on a
   shared 2-core machine that is what explains a low speed-up.
4. The speed-up of 2 workers over 1 (median of the per-round ratios), target >= 1.6x.
5. Memory: the parent's peak RSS, and a child's: ``RUSAGE_CHILDREN`` ``ru_maxrss`` (the
   largest of any child ever reaped, the drawing pool's included, and inflated by the
   parent's size at fork), and each parse child's own ``VmHWM`` read from /proc just
   before it is closed, which is the exact figure.

Every run is checked: each task has its record file and no parse failed; otherwise it
raises, since a fast run that failed filings measures nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

# The parse children are spawned and re-import this module as __mp_main__: the project's
# modules are imported inside the functions that need them, so that a child pays for the
# parser's imports only, as it does in production, and its measured CPU and RSS are its own.

DEFAULT_CACHE = ROOT / "build" / "bench" / "pdfs"
MANIFEST = "manifest.json"
SEED_BASE = 1000
TARGET_SPEEDUP = 1.6
MIB = 2**20


# -- the PDFs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """One generated PDF of the cache."""

    name: str
    seed: int
    pages: int
    size: int
    sha256: str


def plan(filings: int, pages_min: int, pages_max: int) -> list[tuple[int, int]]:
    """(seed, pages) of each report: page counts spread over [pages_min, pages_max]."""
    span = pages_max - pages_min + 1
    return [(SEED_BASE + i, pages_min + (i * 37) % span) for i in range(filings)]


def _file_name(seed: int, pages: int) -> str:
    return f"larkspur-{seed}-{pages}p.pdf"


def _draw_one(job: tuple[int, int, str]) -> dict[str, Any]:
    """Pool worker: draw one report and write it under its final name (atomically, since
    another benchmark may read the same cache folder at the same time)."""
    from pdf_bench import draw_report

    seed, pages, folder = job
    data = draw_report(pages, seed=seed)
    name = _file_name(seed, pages)
    path = Path(folder) / name
    temp = path.with_name(f".{name}.{os.getpid()}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)
    return asdict(Report(name, seed, pages, len(data), hashlib.sha256(data).hexdigest()))


def _read_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    try:
        return json.loads((folder / MANIFEST).read_text())["files"]
    except (OSError, ValueError, KeyError):
        return {}


def _write_manifest(folder: Path, files: dict[str, dict[str, Any]]) -> None:
    # Merged with what is there now: a run with other sizes keeps the entries of its files.
    merged = _read_manifest(folder) | files
    temp = folder / f".{MANIFEST}.{os.getpid()}.tmp"
    temp.write_text(json.dumps({"files": merged}, indent=1, sort_keys=True))
    os.replace(temp, folder / MANIFEST)


def ensure_reports(
    folder: Path, wanted: Sequence[tuple[int, int]], regenerate: bool, processes: int
) -> tuple[list[Report], dict[str, Any]]:
    """The reports of ``wanted`` in ``folder``, drawing those missing (or all of them with
    ``regenerate``); returns them and what generating took."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(folder)
    missing = []
    for seed, pages in wanted:
        name = _file_name(seed, pages)
        entry = manifest.get(name)
        path = folder / name
        # Reused only if the manifest knows it and its size is the one recorded: a file
        # cut short by an interrupted run is drawn again.
        if regenerate or not entry or not path.exists() or path.stat().st_size != entry["size"]:
            missing.append((seed, pages, str(folder)))
    seconds = 0.0
    if missing:
        # Longest first, so that no long report starts last while the other cores idle.
        missing.sort(key=lambda job: -job[1])
        t0 = time.perf_counter()
        # spawn, as the parse pool does: a clean interpreter, whatever this process holds.
        with multiprocessing.get_context("spawn").Pool(min(processes, len(missing))) as pool:
            drawn = list(pool.imap_unordered(_draw_one, missing, chunksize=1))
            pool.close()
            pool.join()
        seconds = time.perf_counter() - t0
        fresh = {d["name"]: d for d in drawn}
        _write_manifest(folder, fresh)
        manifest |= fresh
    reports = [Report(**manifest[_file_name(seed, pages)]) for seed, pages in wanted]
    generation = {
        "seconds": seconds,
        "generated": len(missing),
        "reused": len(wanted) - len(missing),
        "processes": min(processes, len(missing)) if missing else 0,
        "pages_generated": sum(job[1] for job in missing),
    }
    return reports, generation


def load_reports(folder: Path, reports: Sequence[Report]) -> dict[str, Path]:
    """filing_id (the sha256 of the bytes, as in the raw store) -> path, checked: every file
    hashes to what the manifest says, and no two reports are the same."""
    by_sha: dict[str, Path] = {}
    for report in reports:
        path = folder / report.name
        # Reading every file here also puts them in the page cache before the first run.
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        if sha != report.sha256:
            raise RuntimeError(f"{path}: sha256 {sha} is not the manifest's {report.sha256}")
        if sha in by_sha:
            raise RuntimeError(f"{path} has the same bytes as {by_sha[sha]}")
        by_sha[sha] = path
    return by_sha


# -- measuring ---------------------------------------------------------------------------


def _cpu_busy_seconds() -> float | None:
    """CPU-seconds every process on the machine has used since boot (``/proc/stat``)."""
    try:
        with open("/proc/stat") as fh:
            fields = [int(v) for v in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    # user nice system idle iowait irq softirq steal: idle and iowait are not busy.
    busy = sum(fields[:8]) - fields[3] - fields[4]
    return busy / os.sysconf("SC_CLK_TCK")


def _peak_tracking(peaks: list[int]) -> Callable[[], Any]:
    """A ``new_process`` for ``parse_all``: a ``ParseProcess`` that notes its child's peak
    RSS (``VmHWM``, KiB) just before closing it. ``ru_maxrss`` cannot tell one child from
    another, nor from the parent's pages it had at fork; /proc's VmHWM is the child's own."""
    from orchestration.filings.parse_process import ParseProcess

    class PeakTrackingProcess(ParseProcess):
        def close(self) -> None:
            process = self._process  # private, but a benchmark may look
            if process is not None and process.pid is not None:
                from pdf_bench import status_kib  # the parent's, not the children's, import

                hwm = status_kib("VmHWM", process.pid)
                if hwm is not None:
                    peaks.append(hwm)  # list.append is atomic: the workers are threads
            super().close()

    return PeakTrackingProcess


def run_once(
    by_sha: dict[str, Path], reports: Sequence[Report], workers: int, round_no: int
) -> dict[str, Any]:
    """Parse every report through ``parse_all`` with ``workers`` workers, in a fresh records
    folder; returns the run's figures, after checking every filing was parsed."""
    from orchestration.filings.parsing import parse_all, parse_task

    def content_of(filing_id: str) -> bytes:
        return by_sha[filing_id].read_bytes()

    with tempfile.TemporaryDirectory(prefix="parse-pool-bench-") as tmp:
        records = Path(tmp)
        # Built before the clock starts: parse_task hashes the parser's source once.
        tasks = [
            parse_task(records, r.sha256, r.name, f"bench/larkspur-{r.seed}", 1, None)
            for r in reports
        ]
        peaks: list[int] = []
        new_process = _peak_tracking(peaks)
        parsed_at = datetime.now(UTC).replace(tzinfo=None)  # naive UTC, as the pipeline's
        load_before = os.getloadavg()[0]
        busy0 = _cpu_busy_seconds()
        self0 = resource.getrusage(resource.RUSAGE_SELF)
        kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        errors = parse_all(tasks, content_of, parsed_at, workers=workers, new_process=new_process)
        seconds = time.perf_counter() - t0
        kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        self1 = resource.getrusage(resource.RUSAGE_SELF)
        busy1 = _cpu_busy_seconds()
        load_after = os.getloadavg()[0]
        # A run that failed filings, or skipped some, would be fast for nothing.
        missing = [t.file_name for t in tasks if not t.path.exists()]
        files = sum(1 for _ in records.rglob("*.parquet"))
        if errors or missing or files != len(tasks):
            first = "; ".join(f"{k[:12]}: {v}" for k, v in list(errors.items())[:3])
            raise RuntimeError(
                f"workers={workers}: {len(errors)} failed, {len(missing)} without a record "
                f"file, {files} files for {len(tasks)} tasks. {first}"
            )
    pages = sum(r.pages for r in reports)
    child_cpu = (kids1.ru_utime - kids0.ru_utime) + (kids1.ru_stime - kids0.ru_stime)
    parent_cpu = (self1.ru_utime - self0.ru_utime) + (self1.ru_stime - self0.ru_stime)
    others = None
    if busy0 is not None and busy1 is not None:
        # Every CPU-second used on the machine meanwhile, less ours: the other benchmarks.
        others = max(0.0, (busy1 - busy0) - child_cpu - parent_cpu) / seconds
    return {
        "workers": workers,
        "round": round_no,
        "seconds": seconds,
        "filings": len(reports),
        "pages": pages,
        "pages_per_s": pages / seconds,
        "filings_per_s": len(reports) / seconds,
        "child_cpu_s": child_cpu,
        "parent_cpu_s": parent_cpu,
        "cpu_s_per_page": child_cpu / pages,
        "cpu_s_per_filing": child_cpu / len(reports),
        "children_busy": child_cpu / (seconds * min(workers, len(reports))),
        "other_cpus": others,
        "loadavg_1m": [load_before, load_after],
        "child_peak_rss_mib": max(peaks) / 1024 if peaks else None,
    }


def summarize(runs: list[dict[str, Any]], worker_counts: Sequence[int]) -> dict[str, Any]:
    """Medians per worker count, and the speed-ups over the fewest workers per round."""
    med = statistics.median
    base = min(worker_counts)
    by: dict[int, dict[str, Any]] = {}
    for w in worker_counts:
        mine = [r for r in runs if r["workers"] == w]
        seconds = med(r["seconds"] for r in mine)
        by[w] = {
            "seconds": seconds,
            "pages_per_s": mine[0]["pages"] / seconds,
            "filings_per_s": mine[0]["filings"] / seconds,
            "cpu_s_per_page": med(r["cpu_s_per_page"] for r in mine),
            "cpu_s_per_filing": med(r["cpu_s_per_filing"] for r in mine),
            "children_busy": med(r["children_busy"] for r in mine),
        }
        if w != base:
            # Ratios within a round, where both counts met about the same machine load.
            ratios = []
            for round_no in {r["round"] for r in runs}:
                t = {r["workers"]: r["seconds"] for r in runs if r["round"] == round_no}
                ratios.append(t[base] / t[w])
            by[w]["speedup_per_round"] = sorted(ratios)
            by[w]["speedup"] = med(ratios)
    return by


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--filings", type=int, default=100)
    ap.add_argument("--pages-min", type=int, default=50)
    ap.add_argument("--pages-max", type=int, default=100)
    ap.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--regenerate", action="store_true", help="draw every PDF again")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()
    worker_counts = sorted({int(w) for w in args.workers.split(",") if w.strip()})
    if args.filings < 1 or args.rounds < 1 or not worker_counts or min(worker_counts) < 1:
        ap.error("--filings, --rounds and every --workers count must be at least 1")
    if not 1 <= args.pages_min <= args.pages_max:
        ap.error("need 1 <= --pages-min <= --pages-max")

    cpus = len(os.sched_getaffinity(0))
    print(f"{cpus} CPU(s); load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    wanted = plan(args.filings, args.pages_min, args.pages_max)
    reports, generation = ensure_reports(args.cache, wanted, args.regenerate, cpus)
    by_sha = load_reports(args.cache, reports)
    pages = sum(r.pages for r in reports)
    if generation["generated"]:
        print(
            f"generated {generation['generated']} PDF(s), {generation['pages_generated']} "
            f"pages, in {generation['seconds']:.1f} s on {generation['processes']} "
            f"process(es); reused {generation['reused']} from {args.cache}"
        )
    else:
        print(f"reused all {len(reports)} PDF(s) from {args.cache} (no generation)")
    print(
        f"{len(reports)} filings, {pages} pages ({min(r.pages for r in reports)}-"
        f"{max(r.pages for r in reports)} each), "
        f"{sum(r.size for r in reports) / MIB:.1f} MiB"
    )
    # Whatever the drawing pool left in ru_maxrss: a later figure above it is a parse child's.
    maxrss_before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

    runs = []
    for round_no in range(1, args.rounds + 1):
        order = worker_counts if round_no % 2 else worker_counts[::-1]
        for w in order:
            run = run_once(by_sha, reports, w, round_no)
            runs.append(run)
            print(
                f"  round {round_no}, {w} worker(s): {run['seconds']:.1f} s, "
                f"{run['pages_per_s']:.1f} pages/s",
                flush=True,
            )
    by = summarize(runs, worker_counts)

    print(
        f"\n{'workers':>7} {'round':>5} {'seconds':>8} {'pages/s':>8} {'filings/s':>9} "
        f"{'cpu s/page':>10} {'cpu s/filing':>12} {'parent cpu':>10} {'busy':>5} "
        f"{'others':>6} {'load1':>11} {'child RSS':>9}"
    )
    for r in sorted(runs, key=lambda r: (r["workers"], r["round"])):
        others = f"{r['other_cpus']:6.2f}" if r["other_cpus"] is not None else f"{'?':>6}"
        rss = r["child_peak_rss_mib"]
        print(
            f"{r['workers']:7d} {r['round']:5d} {r['seconds']:8.1f} {r['pages_per_s']:8.1f} "
            f"{r['filings_per_s']:9.2f} {r['cpu_s_per_page']:10.4f} {r['cpu_s_per_filing']:12.3f} "
            f"{r['parent_cpu_s']:9.2f}s {r['children_busy']:5.2f} {others} "
            f"{r['loadavg_1m'][0]:5.2f}>{r['loadavg_1m'][1]:5.2f} "
            + (f"{rss:7.0f}MB" if rss is not None else f"{'?':>9}")
        )
    for w, s in by.items():
        print(
            f"{w:7d}   med {s['seconds']:8.1f} {s['pages_per_s']:8.1f} {s['filings_per_s']:9.2f} "
            f"{s['cpu_s_per_page']:10.4f} {s['cpu_s_per_filing']:12.3f}"
        )
    print(
        "\nbusy = children's CPU / (wall x workers); others = CPUs used meanwhile by other "
        "processes (/proc/stat less ours); load1 = 1-min load average before>after."
    )
    for w, s in by.items():
        if "speedup" in s:
            ratios = ", ".join(f"{x:.2f}" for x in s["speedup_per_round"])
            verdict = "OK" if s["speedup"] >= TARGET_SPEEDUP else "BELOW TARGET"
            print(
                f"speed-up {w} workers over {min(worker_counts)}: {s['speedup']:.2f}x "
                f"(median of rounds: {ratios}; target >= {TARGET_SPEEDUP}x): {verdict}"
            )

    from pdf_bench import status_kib

    parent_hwm = status_kib("VmHWM")
    parent_peak = (parent_hwm or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024
    maxrss_after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    child_peaks = [r["child_peak_rss_mib"] for r in runs if r["child_peak_rss_mib"] is not None]
    child_hwm = max(child_peaks) if child_peaks else None
    print(
        f"memory: parent peak RSS {parent_peak:.0f} MB; children ru_maxrss "
        f"{maxrss_after / 1024:.0f} MB (it was {maxrss_before / 1024:.0f} MB before parsing"
        + (", the drawing pool's" if generation["generated"] else "")
        + "); a parse child's own peak (VmHWM) "
        + (f"{child_hwm:.0f} MB" if child_hwm is not None else "unknown")
    )

    if args.json:
        pool: dict[str, Any] = {
            "filings": len(reports),
            "pages": pages,
            "rounds": args.rounds,
            "speedup_target": TARGET_SPEEDUP,
            # Per unit of work, from the fewest workers' runs: the cost uncontended by a
            # second parse on the other core.
            "cpu_s_per_page": by[min(worker_counts)]["cpu_s_per_page"],
            "cpu_s_per_filing": by[min(worker_counts)]["cpu_s_per_filing"],
        }
        for w, s in by.items():
            pool[f"workers_{w}_s"] = s["seconds"]
            pool[f"workers_{w}_pages_per_s"] = s["pages_per_s"]
            pool[f"workers_{w}_filings_per_s"] = s["filings_per_s"]
            if "speedup" in s:
                key = "speedup" if (w, min(worker_counts)) == (2, 1) else f"speedup_{w}"
                pool[key] = s["speedup"]
                pool[f"{key}_per_round"] = s["speedup_per_round"]
        out = {
            "pdf_pool": pool,
            "by_workers": {str(w): s for w, s in by.items()},
            "runs": runs,
            "generation": generation,
            "memory": {
                "parent_peak_rss_mib": parent_peak,
                "children_ru_maxrss_mib": maxrss_after / 1024,
                "children_ru_maxrss_before_parsing_mib": maxrss_before / 1024,
                "child_peak_vmhwm_mib": child_hwm,
            },
            "machine": {
                "cpus": cpus,
                "python": platform.python_version(),
                "loadavg_end": list(os.getloadavg()),
            },
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
