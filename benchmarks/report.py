"""The table of figures ``make bench`` prints, from the JSON the benchmark scripts wrote.

    python benchmarks/report.py [FOLDER]     (default build/bench)

Reads parse.json (parse_bench.py), pdf.json (pdf_bench.py), pool.json (parse_pool_bench.py)
and warehouse*.json (warehouse_bench.py); a missing file is reported as not run. Prints one
row per figure with its target, where the issue sets one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REAL_MDA = "entree-gold-2012-annual-mda.txt"


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _row(rows: list[tuple[str, str, str]], what: str, value: str, target: str = "") -> None:
    rows.append((what, value, target))


def parse_rows(data: Any, rows: list[tuple[str, str, str]]) -> None:
    if not data:
        _row(rows, "parser (parse_bench.py)", "not run")
        return
    files = data["files"]
    for name, r in sorted(files.items(), key=lambda kv: kv[0] != REAL_MDA):
        label = "real MD&A" if name == REAL_MDA else name
        target = "<= 20 ms" if name == REAL_MDA else ""
        _row(
            rows,
            f"parse {label} ({r['lines']} lines), one core, cold",
            f"{r['parse_ms']:.1f} ms ({r['ratio']:.0f}x read+split)",
            target,
        )
        if name == REAL_MDA:
            _row(rows, f"parse {label}, warm cell caches", f"{r['warm_ms']:.1f} ms")


def pdf_rows(data: Any, rows: list[tuple[str, str, str]]) -> None:
    if not data:
        _row(rows, "PDF reader (pdf_bench.py)", "not run")
        return
    for r in data["files"]:
        if r["pages"] in (100, 300) and "py_peak_mib" in r:
            _row(
                rows,
                f"PDF parse, {r['pages']}-page report of our own, one core",
                f"{r['parse_s']:.2f} s ({r['parse_pps']:.0f} pages/s), RSS +{r['parse_rss']:.0f} MB",
                "< 10 s" if r["pages"] == 100 else "",
            )


def pool_rows(data: Any, rows: list[tuple[str, str, str]]) -> None:
    pool = (data or {}).get("pdf_pool")
    if not pool:
        _row(rows, "parallel PDF parsing (parse_pool_bench.py)", "not run")
        return
    _row(
        rows,
        f"{pool.get('filings', 100)} PDFs, {pool['pages']:,} pages: 1 worker / 2 workers",
        f"{pool['workers_1_s']:.1f} s / {pool['workers_2_s']:.1f} s = {pool['speedup']:.2f}x",
        ">= 1.6x",
    )
    _row(
        rows,
        "CPU per PDF page / per PDF filing",
        f"{pool['cpu_s_per_page'] * 1000:.1f} ms / {pool['cpu_s_per_filing']:.2f} s",
    )


def warehouse_rows(data: Any, rows: list[tuple[str, str, str]]) -> None:
    if not data:
        return
    medians, runs = data.get("medians", {}), data.get("runs", {})
    targets = {"backfill_1000": "<= 120 s", "add_one_to_1000": "<= 10 s"}
    for name, r in medians.items():
        if name.startswith("checks_"):
            continue
        detail = runs.get(name, [{}])[-1]
        steps = detail.get("steps", {})
        rss = detail.get("peak_rss_mb")
        size = name.rsplit("_", 1)[-1]
        what = (
            f"backfill {int(size):,} text filings (make run)"
            if name.startswith("backfill")
            else f"add 1 filing to {int(size):,} (make run, sensor to published)"
        )
        extra = f", peak RSS {rss:.0f} MB" if rss else ""
        _row(rows, what, f"{r['median_s']:.1f} s{extra}", targets.get(name, ""))
        for step in (
            "raw__raw_files",
            "records__filing_records",
            "parsed_filings",
            "dbt_models",
            "consistency_checks",
            "published_warehouse",
            "excel_workbooks",
        ):
            if step in steps:
                _row(rows, f"    step {step}", f"{steps[step]:.1f} s")


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT / "build" / "bench"
    rows: list[tuple[str, str, str]] = []
    parse_rows(_load(folder / "parse.json"), rows)
    pdf_rows(_load(folder / "pdf.json"), rows)
    pool_rows(_load(folder / "pool.json"), rows)
    warehouse = sorted(folder.glob("warehouse*.json"))
    if not warehouse:
        _row(rows, "warehouse (warehouse_bench.py)", "not run")
    for path in warehouse:
        warehouse_rows(_load(path), rows)
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    print(f"\n{'figure':<{width}}  {'measured':<{vwidth}}  target")
    print(f"{'-' * width}  {'-' * vwidth}  ------")
    for what, value, target in rows:
        print(f"{what:<{width}}  {value:<{vwidth}}  {target}")
    print(f"\n(from the JSON in {folder}; medians, this machine; see docs/scaling.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
