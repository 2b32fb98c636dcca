"""How long parsing one filing takes, against simply reading it and splitting its lines.

    python benchmarks/parse_bench.py [FILE ...] [--repeat N]

Defaults to the bundled samples and, where ../shared is present, the real annual MD&A.
Runs on one core (the parser is single-threaded). Reports medians, since this machine is
noisy, and the ratio of the parse to the read-and-split baseline. Target: at most 20 ms.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest import clear_caches, parse_filing  # noqa: E402


def _cold() -> None:
    # The cell caches persist across filings in a process; clear them so every timed
    # parse pays for its own cells, as the first filing of a run does.
    clear_caches()


def _time(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def bench(path: Path, repeat: int) -> dict[str, float]:
    def baseline() -> None:
        path.read_bytes().decode("utf-8", errors="replace").splitlines()

    def parse() -> None:
        _cold()
        parse_filing(path)

    def parse_warm() -> None:
        parse_filing(path)

    parse()  # compile the regexes before timing
    base = statistics.median(_time(baseline, repeat))
    full = statistics.median(_time(parse, repeat))
    # In a backfill the cell caches are warm from earlier filings: the same file again is
    # the upper bound of that effect.
    warm = statistics.median(_time(parse_warm, repeat))
    return {
        "baseline_ms": base * 1e3,
        "parse_ms": full * 1e3,
        "warm_ms": warm * 1e3,
        "ratio": full / base,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=50)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    files = args.files or sorted((ROOT / "samples" / "filings").glob("*.txt"))
    real = ROOT.parent / "shared" / "filings" / "entree-gold-2012-annual-mda.txt"
    if not args.files and real.is_file():
        files.append(real)
    print(
        f"{'file':48} {'lines':>6} {'read+split ms':>14} {'parse ms':>9} {'ratio':>7} "
        f"{'warm ms':>8}"
    )
    worst = 0.0
    figures: dict[str, dict[str, float]] = {}
    for path in files:
        r = bench(path, args.repeat)
        figures[path.name] = {**r, "lines": len(path.read_bytes().splitlines())}
        worst = max(worst, r["parse_ms"])
        lines = len(path.read_bytes().splitlines())
        print(
            f"{path.name[:48]:48} {lines:6d} {r['baseline_ms']:14.3f} {r['parse_ms']:9.2f} "
            f"{r['ratio']:7.0f}x {r['warm_ms']:8.2f}"
        )
    print(
        f"median of {args.repeat} runs each; slowest parse {worst:.2f} ms with cold caches "
        "(target <= 20 ms); warm = cell caches kept from an earlier parse"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"repeat": args.repeat, "files": figures}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
