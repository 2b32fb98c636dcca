"""How fast the PDF reader reads, and how much memory it holds, on long reports.

    python benchmarks/pdf_bench.py [--pages 300] [--repeat 3] [--no-wild]

Draws with reportlab a report of our own (MD&A-like pages: paragraphs, a results table
and a resource table every few pages, a two-column page now and then, running header and
"Page n of N" footer) in a temporary folder, as 100-page and ``--pages``-page PDFs, and
times on one core (the process pins itself to one CPU, as ``taskset -c 0`` would):

- ``readers.read`` (PDF -> Document) and the full ``parse_filing``, pages per second,
  median of ``--repeat`` runs;
- peak memory, each measurement in a fresh process: the peak RSS (``getrusage``
  ``ru_maxrss``) over the process's RSS just before reading, and the peak of Python
  allocations (``tracemalloc``, a separate run since it slows Python down);
- the same on the real PDFs in ../shared/filings/wild/ when present (read in place, never
  copied).

Requirement: the tables of a 100-page report read in under 10 s on one core, and memory
that does not grow with the page count beyond one page's working set (the Document's own
text and records grow with it, necessarily).
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WILD = ROOT.parent / "shared" / "filings" / "wild"

from ingest import clear_caches, parse_filing  # noqa: E402
from ingest.readers import read  # noqa: E402

TARGET_100_PAGES_S = 10.0


# -- a long report of our own ------------------------------------------------------------

MINES = ["Fenwick Hill", "Corrie Lake", "Stanton Creek"]
DEPOSITS = ["Tamarack", "Bluejay", "Osprey North", "Wren", "Kittiwake"]
SENTENCES = [
    "Gold production at the {mine} mine was {oz:,} ounces in the quarter, {dir} {pct}% from "
    "the same quarter of last year, as mill throughput averaged {tpd:,} tonnes per day.",
    "Head grade was {grade:.2f} g/t Au and recovery {rec:.1f}%, in line with the mine plan for "
    "the {zone} zone.",
    "All-in sustaining costs were US${aisc:,} per ounce sold, reflecting higher contractor "
    "rates and the timing of sustaining capital expenditures at the tailings facility.",
    "The Company drilled {holes} holes for {metres:,} metres at {deposit}, testing the down-dip "
    "extension of the {zone} zone; assays are pending for {pending} holes.",
    "Cash and cash equivalents were ${cash:.1f} million at the end of the period, and working "
    "capital was ${wc:.1f} million.",
    "General and administrative expenses were ${ga:.1f} million, compared with ${ga2:.1f} "
    "million a year earlier, mainly for salaries and professional fees.",
    "Exploration and evaluation expenditure of ${ee:.1f} million was expensed, most of it at "
    "{deposit} and on regional targets within trucking distance of the {mine} mill.",
]
ZONES = ["Main", "Hanging Wall", "East Limb", "Deep"]


def _sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES).format(
        mine=rng.choice(MINES),
        oz=rng.randint(12_000, 24_000),
        dir=rng.choice(["up", "down"]),
        pct=rng.randint(1, 18),
        tpd=rng.randint(3_800, 5_200),
        grade=rng.uniform(1.1, 2.3),
        rec=rng.uniform(88, 95),
        zone=rng.choice(ZONES),
        aisc=rng.randint(1_150, 1_500),
        holes=rng.randint(8, 60),
        metres=rng.randint(2_000, 25_000),
        deposit=rng.choice(DEPOSITS),
        pending=rng.randint(1, 9),
        cash=rng.uniform(20, 90),
        wc=rng.uniform(15, 80),
        ga=rng.uniform(2, 5),
        ga2=rng.uniform(2, 5),
        ee=rng.uniform(0.5, 4),
    )


def _wrap(text: str, width: float, canvas, size: float) -> list[str]:
    lines, cur = [], ""
    for word in text.split():
        trial = f"{cur} {word}".strip()
        if canvas.stringWidth(trial, "Helvetica", size) > width and cur:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    return [*lines, cur] if cur else lines


def draw_report(pages: int, seed: int = 7) -> bytes:
    """A ``pages``-page MD&A-like report, the same first pages whatever ``pages`` is."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas as rl_canvas

    width, height = letter
    out = io.BytesIO()
    c = rl_canvas.Canvas(out, pagesize=letter)
    for n in range(1, pages + 1):
        rng = random.Random(seed * 100_003 + n)
        c.setFont("Helvetica", 8)
        c.drawString(
            72, height - 40, "Larkspur Mining Corp. | Management's Discussion and Analysis"
        )
        c.drawRightString(width - 72, 36, f"Page {n} of {pages}")
        y = height - 80
        kind = ("table", "prose", "resources", "prose", "columns")[n % 5] if n > 1 else "prose"
        c.setFont("Helvetica-Bold", 11)
        title = {"table": "RESULTS OF OPERATIONS", "resources": "MINERAL RESOURCES"}
        c.drawString(72, y, title.get(kind, rng.choice(["OPERATIONS", "EXPLORATION", "OUTLOOK"])))
        y -= 24
        if kind == "columns":
            # Two columns of prose side by side, eight sentences each.
            for x in (72.0, 318.0):
                yy = y
                for ln in _wrap(" ".join(_sentence(rng) for _ in range(8)), 222, c, 9.5):
                    c.setFont("Helvetica", 9.5)
                    c.drawString(x, yy, ln)
                    yy -= 13
        else:
            for _ in range(2 if kind != "prose" else 6):
                for ln in _wrap(" ".join(_sentence(rng) for _ in range(3)), 468, c, 9.5):
                    c.setFont("Helvetica", 9.5)
                    c.drawString(72, y, ln)
                    y -= 13
                y -= 8
        if kind == "table":
            y = _results_table(c, rng, y - 6)
        elif kind == "resources":
            y = _resource_table(c, rng, y - 6)
        c.showPage()
    c.save()
    return out.getvalue()


def _row(c, y, label, values, at, bold=False):
    c.setFont("Helvetica-Bold" if bold else "Helvetica", 9)
    c.drawString(72, y, label)
    for v, x in zip(values, at, strict=False):
        c.drawRightString(x + (2.9 if v.endswith(")") else 0), y, v)
    return y - 13


def _results_table(c, rng: random.Random, y: float) -> float:
    at = (330.0, 400.0, 470.0, 540.0)
    c.setFont("Helvetica-Bold", 9)
    y = _row(c, y, "(C$000s)", ("Q3 2024", "Q3 2023", "YTD 2024", "YTD 2023"), at, bold=True)
    cols = [dict() for _ in at]
    for k, col in enumerate(cols):
        times = 1 if k < 2 else 3  # the quarters, then the nine months to date
        col["rev"] = rng.randint(35_000, 70_000) * times
        col["costs"] = [
            rng.randint(lo, hi) * times
            for lo, hi in ((15_000, 30_000), (5_000, 9_000), (2_000, 4_000), (800, 2_500))
        ]
        col["tax"] = rng.randint(500, 6_000) * times
    y = _row(c, y, "Revenue", [f"{k['rev']:,}" for k in cols], at)
    c.drawString(72, y, "Operating expenses")
    y -= 13
    labels = [
        "Production costs",
        "Depreciation and depletion",
        "General and administrative",
        "Exploration and evaluation expenditure",
    ]
    for i, label in enumerate(labels):
        y = _row(c, y, "  " + label, [f"({k['costs'][i]:,})" for k in cols], at)
    y = _row(c, y, "Total operating expenses", [f"({sum(k['costs']):,})" for k in cols], at)
    before = [k["rev"] - sum(k["costs"]) for k in cols]
    y = _row(
        c,
        y,
        "Income before income taxes",
        [f"{v:,}" if v >= 0 else f"({-v:,})" for v in before],
        at,
    )
    y = _row(c, y, "Income tax expense", [f"({k['tax']:,})" for k in cols], at)
    net = [b - k["tax"] for b, k in zip(before, cols, strict=True)]
    return _row(
        c, y, "Net income (loss)", [f"{v:,}" if v >= 0 else f"({-v:,})" for v in net], at, bold=True
    )


def _resource_table(c, rng: random.Random, y: float) -> float:
    at = (330.0, 410.0, 500.0)
    y = _row(c, y, "", ("Tonnes", "Grade", "Contained Au"), at, bold=True)
    y = _row(c, y, "Deposit / Category", ("(000's)", "(g/t Au)", "(koz)"), at, bold=True)
    for deposit in rng.sample(DEPOSITS, 2):
        cats = []
        for name in ("Measured", "Indicated", "Inferred"):
            t, g = rng.randint(500, 8_000), rng.uniform(0.9, 2.4)
            cats.append((name, t, g))
        mt = cats[0][1] + cats[1][1]
        mg = (cats[0][1] * cats[0][2] + cats[1][1] * cats[1][2]) / mt
        y = _row(
            c,
            y,
            f"{deposit} (M+I)",
            (f"{mt:,}", f"{mg:.2f}", f"{mt * mg / 31.1035:,.0f}"),
            at,
            bold=True,
        )
        for name, t, g in cats:
            y = _row(c, y, "    " + name, (f"{t:,}", f"{g:.2f}", f"{t * g / 31.1035:,.0f}"), at)
    return y


# -- measuring -----------------------------------------------------------------------------


def _pin_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu} (sched_setaffinity, as taskset -c {cpu})"


def _median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        clear_caches()
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def status_kib(field: str, pid: int | str = "self") -> int | None:
    """A ``/proc/PID/status`` field in KiB (VmHWM, VmRSS), or None where there is none."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak_rss() -> bool:
    """Set the peak RSS (VmHWM) back to the current RSS (Linux 4.0+)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _peak_rss_kib(reset: bool) -> tuple[int, str]:
    # getrusage's ru_maxrss survives exec: a child started by a parent that had grown
    # reports the parent's size. /proc's VmHWM belongs to this process image alone.
    hwm = status_kib("VmHWM")
    if reset and hwm is not None:
        return hwm, "VmHWM"
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "ru_maxrss"


def child(mode: str, path: str) -> None:
    """One memory measurement in this fresh process; prints JSON.

    ``rss``/``parse-rss``: the peak RSS over the RSS just before reading, pdfium's library
    already loaded: /proc's VmHWM, reset to the RSS before the run (``ru_maxrss`` where
    /proc does not allow it). ``trace``: tracemalloc's peak of Python allocations
    during ``read``, and what is still allocated after it (the Document, held): the
    difference is the reader's transient working set.
    """
    import pypdfium2  # noqa: F401 - load pdfium's library before the baseline

    data = Path(path).read_bytes()
    name = Path(path).name
    gc.collect()
    if mode == "trace":
        tracemalloc.start()
        doc = read(data, name)
        gc.collect()
        held, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out = {"py_peak_mib": peak / 2**20, "py_held_mib": held / 2**20}
        out.update(text_chars=len(doc.text), lines=len(doc.lines))
    else:
        reset = _reset_peak_rss()
        before = status_kib("VmRSS") or 0
        if mode == "rss":
            read(data, name)
        else:
            parse_filing(data, name=name)
        peak, how = _peak_rss_kib(reset)
        out = {"rss_growth_mib": (peak - before) / 1024, "rss_how": how}
    print(json.dumps(out))


def _child(mode: str, path: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", mode, str(path)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def bench_file(path: Path, repeat: int, trace: bool) -> dict:
    data = path.read_bytes()
    pages = _page_count(data)
    parse_filing(data, name=path.name)  # warm imports and regexes before timing
    t_read = _median_seconds(lambda: read(data, path.name), repeat)
    t_parse = _median_seconds(lambda: parse_filing(data, name=path.name), repeat)
    out = {
        "name": path.name,
        "pages": pages,
        "read_s": t_read,
        "parse_s": t_parse,
        "read_pps": pages / t_read,
        "parse_pps": pages / t_parse,
    }
    rss = _child("rss", path)
    out.update(
        read_rss=rss["rss_growth_mib"],
        rss_how=rss["rss_how"],
        parse_rss=_child("parse-rss", path)["rss_growth_mib"],
    )
    if trace:
        out.update(_child("trace", path))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-wild", action="store_true", help="skip ../shared/filings/wild")
    ap.add_argument("--child", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    if args.child:
        child(args.child[0], args.child[1])
        return 0

    print(_pin_one_core())
    results = []
    with tempfile.TemporaryDirectory(prefix="pdf-bench-") as tmp:
        for pages in sorted({100, args.pages}):
            path = Path(tmp) / f"larkspur-{pages}-pages.pdf"
            path.write_bytes(draw_report(pages))
            # tracemalloc slows Python down about tenfold: our own reports only.
            results.append(bench_file(path, args.repeat, trace=True))
        wild = [] if args.no_wild else sorted(WILD.glob("*.pdf"))
        for path in wild:
            results.append(bench_file(path, args.repeat, trace=False))
    if not wild and not args.no_wild:
        print(f"(no real PDFs at {WILD}: skipped)")

    print(
        f"\n{'file':44} {'pages':>5} {'read s':>7} {'pages/s':>7} {'parse s':>7} {'pages/s':>7}"
        f" {'RSS+ read':>9} {'RSS+ parse':>10} {'py peak':>8} {'py held':>8}"
    )
    for r in results:
        traced = "py_peak_mib" in r
        print(
            f"{r['name'][:44]:44} {r['pages']:5d} {r['read_s']:7.2f} {r['read_pps']:7.1f} "
            f"{r['parse_s']:7.2f} {r['parse_pps']:7.1f} {r['read_rss']:7.1f}MB "
            f"{r['parse_rss']:8.1f}MB "
            + (f"{r['py_peak_mib']:6.1f}MB {r['py_held_mib']:6.1f}MB" if traced else "")
        )
    print(
        f"\nmedian of {args.repeat} runs on one core. RSS+ = peak RSS ({results[0]['rss_how']}) "
        "over the RSS before reading, pdfium loaded, in a fresh process. py peak = "
        "tracemalloc's peak during read; py held = still allocated after it (the Document)."
    )
    small = results[0]
    verdict = "OK" if small["parse_s"] < TARGET_100_PAGES_S else "SLOW"
    print(
        f"100 pages: read {small['read_s']:.2f} s, full parse {small['parse_s']:.2f} s "
        f"(target < {TARGET_100_PAGES_S:.0f} s): {verdict}"
    )
    if args.pages != 100:
        big = results[1]
        working = [r["py_peak_mib"] - r["py_held_mib"] for r in (small, big)]
        print(
            f"{big['pages']} vs {small['pages']} pages: parse time x"
            f"{big['parse_s'] / small['parse_s']:.2f}; RSS+ {small['read_rss']:.1f} -> "
            f"{big['read_rss']:.1f} MB; the Document held {small['py_held_mib']:.1f} -> "
            f"{big['py_held_mib']:.1f} MB ({small['text_chars']:,} -> {big['text_chars']:,} chars, "
            f"{small['lines']:,} -> {big['lines']:,} lines); the reader's working set over it "
            f"{working[0]:.1f} -> {working[1]:.1f} MB"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"repeat": args.repeat, "files": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
