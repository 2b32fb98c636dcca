"""What parsing in a child process (``ParseProcess``) adds to a run, against parsing in process.

    python benchmarks/parse_process_bench.py [FILE ...] [--repeat N]

Defaults to the bundled samples. Each repeat is one "run" of all the files, both ways: in
process with the parser's caches cleared first (as a new run's process starts), and in a
new ``ParseProcess`` (a new child, whose caches start empty), closed at the end. Reports
medians: the child's start (an interpreter and the parser's import), the time added per
filing once started (sending the bytes, pickling the result back), and per run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest import clear_caches, parse_filing  # noqa: E402
from orchestration.filings.parse_process import ParseProcess  # noqa: E402


def _run_in_process(files: list[tuple[str, bytes]]) -> list[float]:
    clear_caches()
    times = []
    for name, content in files:
        t0 = time.perf_counter()
        parse_filing(content, name=name)
        times.append(time.perf_counter() - t0)
    return times


def _run_in_child(files: list[tuple[str, bytes]]) -> tuple[float, list[float], float]:
    t0 = time.perf_counter()
    with ParseProcess() as process:
        process._start()  # timed apart from the first filing's parse
        start = time.perf_counter() - t0
        times = []
        for name, content in files:
            t1 = time.perf_counter()
            parsed, error = process.parse(content, name)
            times.append(time.perf_counter() - t1)
            assert parsed is not None, error
    return start, times, time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    paths = args.files or sorted((ROOT / "samples" / "filings").glob("*.txt"))
    files = [(p.name, p.read_bytes()) for p in paths]
    starts, run_in, run_child, per_file = [], [], [], []
    for _ in range(args.repeat):
        inside = _run_in_process(files)
        t0 = time.perf_counter()
        _run_in_process(files)
        run_in.append(time.perf_counter() - t0)
        start, child, total = _run_in_child(files)
        starts.append(start)
        run_child.append(total)
        per_file += [c - i for c, i in zip(child, inside, strict=True)]
    med = statistics.median
    print(f"{len(files)} file(s), {args.repeat} repeat(s), medians:")
    print(f"  child start (interpreter + parser import): {med(starts) * 1000:7.1f} ms")
    print(f"  added per filing, child started:           {med(per_file) * 1000:7.1f} ms")
    print(f"  run in process:                            {med(run_in) * 1000:7.1f} ms")
    print(f"  run in a child (start, parse all, close):  {med(run_child) * 1000:7.1f} ms")
    print(
        f"  added per run:                             {(med(run_child) - med(run_in)) * 1000:7.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
