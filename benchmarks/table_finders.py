"""Our PDF table finder against camelot and pdfplumber: table facts found, and seconds per page.

    python benchmarks/table_finders.py [--truth PATH] [--docs DIR] [--repeat N]
        [--tools ours,camelot-hybrid,camelot-stream,pdfplumber-lines,pdfplumber-text]
        [--show-failures]

Why this exists: the parser finds PDF tables itself, from the positions of the words that
pypdfium2 reports (``ingest.readers`` then the table builder of ``parse_filing``), rather
than with camelot-py (hybrid or stream flavor) or pdfplumber's table finder. This script
measures that choice on the real PDFs of ``../shared/filings/wild/`` and their hand-read
truth, so the claim can be re-checked whenever any of the three changes.

Facts. Everything is derived at run time from the truth file and the PDFs, never from a
list kept here: a truth fact of a PDF is scored when it names a page, its ``as_printed`` is
a plain table number (``144,207``, ``(12,801)``, ``0.03``, ``(10.09 pence)``; not prose such
as ``24.9Mt`` or ``$85.7 million``), and that number is printed in the pypdfium2 text of its
page. The others are counted and left out.

Scoring, per fact and tool, on the tables the tool returns for the fact's page:

- right: a row has a cell whose whole text is the number (currency signs, commas, ``%``,
  "pence"/"cents" stripped; ``(x)`` is -x) and another cell with letters that shares a
  content word with the fact's ``what`` (words of 4 letters or more, lowercase, a plural
  ``s`` dropped, less stop words and dates; parenthesised notes left out) or, for an
  estimate, with its category or commodity;
- split: the number is in a table on that page, but not "right": kinds ``row`` (a whole
  cell in a row without a shared word), ``sign`` (the right row, sign lost) and ``glued``
  (only inside a cell with other text);
- missed: the number is in none of the tool's tables on that page.

For ours a row is the parser's row label followed by its cells' raw text, from the whole
document as the pipeline reads it and, separately, from the page cut out alone.

Timing. Every page holding a fact is cut into a one-page PDF in memory, and every tool
reads those same bytes (camelot and pdfplumber are given the bytes, not the original file,
so they do not pay for opening a 50-page document). After one warm-up call per tool, each of
``--repeat`` runs goes through the pages with the tools interleaved, so the noise of a shared
machine falls on all of them alike; a run's seconds per page is its total over the pages
divided by their number, and the report gives the median over runs, wall and CPU
(``process_time``, all threads of the process). Ours is timed cold (``clear_caches`` first),
both the reader alone and the whole ``parse_filing``, on the one-page PDFs and on the whole
documents divided by their page count.

camelot and pdfplumber are not project dependencies; a tool that cannot be imported is
named in the output and skipped. To run all five, use a separate venv that has them and
add the parser's own dependencies to it (never to the project's .venv):

    /tmp/camvenv/bin/pip install camelot-py==2.0.0 pdfplumber==0.11.11 selectolax pyyaml
    cd /work/main && PYTHONDONTWRITEBYTECODE=1 /tmp/camvenv/bin/python \\
        benchmarks/table_finders.py --repeat 3

In a venv with the project's dependencies only (``pip install -e .``), only ``ours`` runs.
Where the truth file is absent (``../shared`` is third-party), the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import logging
import os
import platform
import re
import statistics
import sys
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_TRUTH = ROOT.parent / "shared" / "filings" / "wild" / "truth.jsonl"
ALL_TOOLS = ("ours", "camelot-hybrid", "camelot-stream", "pdfplumber-lines", "pdfplumber-text")

Row = list[str]
Tables = list[list[Row]]


# -- numbers -------------------------------------------------------------------------------

# A printed amount: optional currency sign, thousands commas, decimals, "(x)" for negative,
# and a trailing "pence"/"cents" as the per-share lines of UK and Australian filings print.
PLAIN_NUMBER = re.compile(
    r"^\(?\s*(?:[A-Z]{0,3}\$|[£€¥])?\s*-?\d[\d,]*(?:\.\d+)?\s*(?:pence|cents?)?\s*\)?$", re.I
)
_CURRENCY = re.compile(r"[A-Z]{0,3}\$|[£€¥]")
_UNIT_WORDS = re.compile(r"(?i)\b(?:pence|cents?)\b")
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_WHOLE = re.compile(rf"^(?:\((?P<neg>{_NUM})\)|(?P<minus>-)?(?P<pos>{_NUM}))$")
_LOOSE = re.compile(rf"^[(\-]*(?P<num>{_NUM})\)*$")
_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _strip(text: str) -> str:
    """A cell's text without what does not change the number: currency, units, spaces."""
    t = str(text).replace("\u2212", "-")  # the typographic minus some PDFs print
    t = _UNIT_WORDS.sub("", _CURRENCY.sub("", t))
    return re.sub(r"\s+", "", t).replace("%", "")


def _decimal(digits: str) -> Decimal | None:
    try:
        return Decimal(digits.replace(",", ""))
    except InvalidOperation:
        return None


def cell_number(text: str) -> Decimal | None:
    """The number a cell's whole text is, with its sign; None when the cell holds more."""
    m = _WHOLE.match(_strip(text))
    if not m:
        return None
    if m["neg"]:
        value = _decimal(m["neg"])
        return -value if value is not None else None
    value = _decimal(m["pos"])
    return -value if value is not None and m["minus"] else value


def _loose_abs(text: str) -> Decimal | None:
    """The cell's number without its sign, also when a parenthesis went to another cell."""
    m = _LOOSE.match(_strip(text))
    return _decimal(m["num"]) if m else None


def _tokens(text: str) -> Iterable[Decimal]:
    """Every number inside a cell's text, unsigned: a number glued to others or to words."""
    for m in _TOKEN.finditer(_CURRENCY.sub("", str(text))):
        value = _decimal(m.group(0).rstrip(","))
        if value is not None:
            yield abs(value)


# -- label words ---------------------------------------------------------------------------

# Function words, and the words of periods and dates: a period ("for the year ended
# December 31") is in the column headers, not in the row that holds the number, so sharing
# it says nothing about the row.
STOP_WORDS = frozenset(
    """about above after also among before being below between both during each either
    ended ending from have having into like more most other over same such than that their
    them then there these they this those through under until upon were what when where
    which while with within without year years yearly month months monthly quarter quarters
    quarterly period periods half three nine twelve january february march april june
    july august september october november december""".split()
)


def _stem(word: str) -> str:
    # A plural or third-person "s" only: "expenses" meets "expense", "costs" meets "cost".
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def content_words(text: str) -> set[str]:
    """Lowercase words of 4 letters or more, stemmed, that are not stop words."""
    words = re.findall(r"[a-z]+", str(text).lower())
    return {_stem(w) for w in words if len(w) >= 4 and w not in STOP_WORDS}


def fact_words(fact: dict) -> set[str]:
    # The truth's parentheses annotate where a fact was read ("(summary of quarterly
    # results)", "(non-IFRS)", "(narrative)"), not the label printed in the row.
    words = content_words(re.sub(r"\([^)]*\)", " ", fact.get("what", "")))
    if fact.get("family") == "estimate":
        for key in ("category", "commodity"):
            words |= content_words(str(fact.get(key) or "").replace("_", " "))
    return words


# -- facts ---------------------------------------------------------------------------------


@dataclass
class Fact:
    doc: str
    page: int
    what: str
    printed: str
    number: Decimal
    words: set[str]


@dataclass
class Selection:
    facts: list[Fact] = field(default_factory=list)
    dropped: Counter = field(default_factory=Counter)
    page_counts: dict[str, int] = field(default_factory=dict)


def _printed_pattern(printed: str) -> re.Pattern[str]:
    # The digits as printed, not inside a longer number: "74" is not the end of "1,274".
    core = _TOKEN.search(printed)
    assert core is not None
    return re.compile(r"(?<![\d.,])" + re.escape(core.group(0)) + r"(?![\d]|[.,]\d)")


def _page_texts(pdf_path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        texts = []
        for page in pdf:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        pdf.close()


def select_facts(truth: Path, docs: Path) -> Selection:
    """The truth facts that are plain numbers printed on the page the truth names."""
    sel = Selection()
    for line in truth.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        name = entry.get("file", "")
        if entry.get("format") != "pdf" and not name.lower().endswith(".pdf"):
            continue
        path = docs / name
        if not path.is_file():
            sel.dropped["document not in --docs"] += len(entry.get("facts", []))
            continue
        texts = _page_texts(path)
        sel.page_counts[name] = len(texts)
        for fact in entry.get("facts", []):
            printed = str(fact.get("as_printed") or "").strip()
            page = fact.get("page")
            if not isinstance(page, int) or not 1 <= page <= len(texts):
                sel.dropped["no page"] += 1
                continue
            if not PLAIN_NUMBER.match(printed):
                sel.dropped["not a plain number (prose)"] += 1
                continue
            if not _printed_pattern(printed).search(texts[page - 1]):
                sel.dropped["number not in its page's text"] += 1
                continue
            number = cell_number(printed)
            words = fact_words(fact)
            if number is None or not words:
                sel.dropped["no number or no label words"] += 1
                continue
            sel.facts.append(Fact(name, page, fact.get("what", ""), printed, number, words))
    return sel


# -- scoring -------------------------------------------------------------------------------


def _labelled(row: Row, skip: int, words: set[str]) -> bool:
    return any(
        i != skip and re.search(r"[A-Za-z]", str(c)) and content_words(c) & words
        for i, c in enumerate(row)
    )


def classify(fact: Fact, tables: Tables) -> tuple[str, Row | None]:
    """right, split:<kind> or missed, with the row that decided it."""
    rows = [row for table in tables for row in table]
    target = abs(fact.number)
    for row in rows:
        for i, cell in enumerate(row):
            if cell_number(cell) == fact.number and _labelled(row, i, fact.words):
                return "right", row
    for row in rows:
        for i, cell in enumerate(row):
            if _loose_abs(cell) == target and _labelled(row, i, fact.words):
                return "split:sign", row
    for row in rows:
        if any(_loose_abs(cell) == target for cell in row):
            return "split:row", row
    for row in rows:
        if any(v == target for cell in row for v in _tokens(cell)):
            return "split:glued", row
    return "missed", None


def label_cut(row: Row, words: set[str]) -> bool:
    """True when a shared word exists only across cells ("Capital expenditur" | "es").

    Informative only: such a row still counts as right, since one whole word matched, but a
    reader of the table would have to mend the label.
    """
    texts = [str(c) for c in row if re.search(r"[A-Za-z]", str(c))]
    whole = set().union(*(content_words(t) for t in texts)) if texts else set()
    return bool((content_words("".join(texts)) - whole) & words)


# -- the tools -----------------------------------------------------------------------------

Finder = Callable[[bytes], Tables]


def _third_party(names: list[str]) -> tuple[dict[str, Finder], list[str]]:
    """The camelot and pdfplumber finders that can run here, and notes on those that cannot."""
    finders: dict[str, Finder] = {}
    notes = []
    warnings.filterwarnings("ignore")  # camelot warns on every page without a table
    logging.getLogger("camelot").setLevel(logging.ERROR)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    if any(n.startswith("camelot-") for n in names):
        try:
            import camelot
        except Exception as exc:  # noqa: BLE001 - any import failure means "not available"
            notes.append(f"camelot not importable ({exc!r:.80}): camelot-* skipped")
        else:

            def camelot_finder(flavor: str) -> Finder:
                def run(data: bytes) -> Tables:
                    found = camelot.read_pdf(data, pages="1", flavor=flavor)
                    return [[[str(c) for c in r] for r in t.df.values.tolist()] for t in found]

                return run

            for flavor in ("hybrid", "stream"):
                if f"camelot-{flavor}" in names:
                    finders[f"camelot-{flavor}"] = camelot_finder(flavor)
    if any(n.startswith("pdfplumber-") for n in names):
        try:
            import pdfplumber
        except Exception as exc:  # noqa: BLE001
            notes.append(f"pdfplumber not importable ({exc!r:.80}): pdfplumber-* skipped")
        else:

            def plumber_finder(settings: dict | None) -> Finder:
                def run(data: bytes) -> Tables:
                    with pdfplumber.open(io.BytesIO(data)) as pdf:
                        page = pdf.pages[0]
                        found = page.extract_tables(settings) if settings else page.extract_tables()
                    return [[["" if c is None else str(c) for c in r] for r in t] for t in found]

                return run

            # "lines" is the default: tables drawn with ruling lines. "text" infers columns
            # and rows from word alignment, which is what unruled filings need.
            if "pdfplumber-lines" in names:
                finders["pdfplumber-lines"] = plumber_finder(None)
            if "pdfplumber-text" in names:
                finders["pdfplumber-text"] = plumber_finder(
                    {"vertical_strategy": "text", "horizontal_strategy": "text"}
                )
    return finders, notes


def _ours_rows(parsed, page_of: Callable[[int], int]) -> dict[int, Tables]:
    """Our tables' rows by page, each as [row label, cell raw text, ...]."""
    by_page: dict[int, dict[int, list[Row]]] = defaultdict(dict)
    for table in parsed.to_dict()["tables"]:
        for row in table["rows"]:
            pages = {c["page"] for c in row["cells"] if c.get("page")}
            pages = pages or {row.get("page") or table.get("page")}
            cells = [row.get("raw_label") or row.get("label") or ""]
            cells += [c.get("raw") or "" for c in row["cells"]]
            for p in pages:
                if p:
                    by_page[page_of(p)].setdefault(table["index"], []).append(cells)
    return {p: list(t.values()) for p, t in by_page.items()}


def one_page_pdf(path: Path, page: int) -> bytes:
    """Page ``page`` (1-based) of ``path`` as a PDF of its own, in memory."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(path))
    dst = pdfium.PdfDocument.new()
    try:
        dst.import_pages(src, [page - 1])
        buf = io.BytesIO()
        dst.save(buf)
        return buf.getvalue()
    finally:
        dst.close()
        src.close()


# -- measuring -----------------------------------------------------------------------------


def _guarded(fn: Finder, data: bytes, name: str, errors: Counter) -> Tables:
    # A tool that raises on a page finds no table there; the time it took still counts.
    try:
        return fn(data)
    except Exception as exc:  # noqa: BLE001
        errors[(name, type(exc).__name__)] += 1
        return []


def _timed(fn: Callable[..., object], *args: object) -> tuple[object, float, float]:
    gc.collect()
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args)
    return out, time.perf_counter() - w0, time.process_time() - c0


@dataclass
class Times:
    # One (wall, cpu) total per run, and the pages each run covered.
    pages: int = 0
    runs: list[list[float]] = field(default_factory=list)

    def add(self, run: int, wall: float, cpu: float) -> None:
        while len(self.runs) <= run:
            self.runs.append([0.0, 0.0])
        self.runs[run][0] += wall
        self.runs[run][1] += cpu

    def per_page(self) -> tuple[float, float]:
        wall = statistics.median(r[0] for r in self.runs) / self.pages
        cpu = statistics.median(r[1] for r in self.runs) / self.pages
        return wall, cpu


def run(args: argparse.Namespace) -> int:
    truth: Path = args.truth
    docs: Path = args.docs or truth.parent
    if not truth.is_file():
        print(f"no truth file at {truth} (../shared is third-party and may be absent): skipped")
        return 0
    names = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = [n for n in names if n not in ALL_TOOLS]
    if unknown:
        print(f"unknown tool(s) {', '.join(unknown)}; choose from {', '.join(ALL_TOOLS)}")
        return 2

    sel = select_facts(truth, docs)
    if not sel.facts:
        print(f"no table facts found in {truth} for the PDFs in {docs}: nothing to score")
        return 0
    pages = sorted({(f.doc, f.page) for f in sel.facts})
    fact_docs = sorted({f.doc for f in sel.facts})
    print(
        f"{len(sel.facts)} table facts on {len(pages)} pages of {len(fact_docs)} PDFs "
        f"({truth}); left out: "
        + (", ".join(f"{n} {why}" for why, n in sel.dropped.most_common()) or "none")
    )

    notes = []
    ours = None
    if "ours" in names:
        try:
            import ingest
            from ingest import readers
        except Exception as exc:  # noqa: BLE001
            notes.append(f"ingest not importable ({exc!r:.80}): ours skipped")
        else:
            ours = (ingest, readers)
    finders, more = _third_party(names)
    notes += more
    for note in notes:
        print(note)
    versions = [f"Python {platform.python_version()}"]
    used = ["pypdfium2"]
    used += ["camelot-py"] * any(n.startswith("camelot") for n in finders)
    used += ["pdfplumber"] * any(n.startswith("pdfplumber") for n in finders)
    for dist in used:
        try:
            versions.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            pass
    print(
        ", ".join(versions)
        + f"; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start"
    )

    cut = {p: one_page_pdf(docs / p[0], p[1]) for p in pages}
    tables: dict[str, dict[tuple[str, int], Tables]] = defaultdict(dict)
    times: dict[str, Times] = defaultdict(Times)
    errors: Counter = Counter()

    # Ours, the way the pipeline reads: the whole document, tables kept by page. Scored
    # from an untimed parse; the timed runs come after the interleaved per-page ones.
    if ours:
        ingest, readers = ours
        for doc in fact_docs:
            parsed = ingest.parse_filing((docs / doc).read_bytes(), name=doc)
            for page, t in _ours_rows(parsed, lambda p: p).items():
                tables["ours"][(doc, page)] = t

    def ours_reader(data: bytes, name: str) -> tuple[object, float, float]:
        ours[0].clear_caches()
        return _timed(ours[1].read, data, name)

    def ours_parse(data: bytes, name: str) -> tuple[object, float, float]:
        ours[0].clear_caches()
        return _timed(ours[0].parse_filing, data, name)

    # Warm-up: imports, lazy initialisation and compiled patterns, outside the timing.
    first = cut[pages[0]]
    for fn in finders.values():
        try:
            fn(first)
        except Exception:  # noqa: BLE001 - a failing page is counted in the timed runs
            pass
    if ours:
        ours_parse(first, "warm-up.pdf")

    for rep in range(args.repeat):
        for doc, page in pages:
            data, key = cut[(doc, page)], (doc, page)
            for name, fn in finders.items():
                found, wall, cpu = _timed(_guarded, fn, data, name, errors)
                times[name].add(rep, wall, cpu)
                tables[name][key] = found
            if ours:
                name = f"{Path(doc).stem}-p{page}.pdf"
                _, wall, cpu = ours_reader(data, name)
                times["ours reader, 1-page PDFs"].add(rep, wall, cpu)
                parsed, wall, cpu = ours_parse(data, name)
                times["ours parse_filing, 1-page PDFs"].add(rep, wall, cpu)
                rows = _ours_rows(parsed, lambda p, page=page: page)
                tables["ours, 1-page PDFs"][key] = rows.get(page, [])
        if ours:
            for doc in fact_docs:
                data = (docs / doc).read_bytes()
                _, wall, cpu = ours_reader(data, doc)
                times["ours reader, whole documents"].add(rep, wall, cpu)
                _, wall, cpu = ours_parse(data, doc)
                times["ours parse_filing, whole documents"].add(rep, wall, cpu)
        print(f"run {rep + 1} of {args.repeat} done", file=sys.stderr, flush=True)
    for name, t in times.items():
        t.pages = (
            sum(sel.page_counts[d] for d in fact_docs) if "whole documents" in name else len(pages)
        )

    # -- correctness
    scored = [n for n in ("ours", "ours, 1-page PDFs", *finders) if n in tables]
    results: dict[str, list[tuple[Fact, str, Row | None]]] = {}
    for name in scored:
        results[name] = [
            (f, *classify(f, tables[name].get((f.doc, f.page), []))) for f in sel.facts
        ]

    n = len(sel.facts)
    print()
    print(f"Table facts, all documents (n={n})")
    print(
        f"{'tool':24} {'right':>6} {'split':>6} {'missed':>7} {'right %':>8}  "
        f"{'split row/sign/glued':>20}  {'right, label cut':>16}"
    )
    for name in scored:
        kinds = Counter(r for _, r, _ in results[name])
        split = sum(v for k, v in kinds.items() if k.startswith("split"))
        cut_labels = sum(
            1 for f, r, row in results[name] if r == "right" and label_cut(row, f.words)
        )
        split_kinds = f"{kinds['split:row']}/{kinds['split:sign']}/{kinds['split:glued']}"
        print(
            f"{name:24} {kinds['right']:6d} {split:6d} {kinds['missed']:7d} "
            f"{100 * kinds['right'] / n:7.0f}%  {split_kinds:>20}  {cut_labels:16d}"
        )

    print()
    print("Per document, right/split/missed")
    width = max(len(d) for d in fact_docs)
    header = f"{'document':{width}} {'n':>4}" + "".join(f" {s[:17]:>17}" for s in scored)
    print(header)
    for doc in fact_docs:
        cells = []
        for name in scored:
            k = Counter(r.split(":")[0] for f, r, _ in results[name] if f.doc == doc)
            cells.append(f"{k['right']}/{k['split']}/{k['missed']}")
        count = sum(1 for f in sel.facts if f.doc == doc)
        print(f"{doc:{width}} {count:4d}" + "".join(f" {c:>17}" for c in cells))

    # -- speed
    print()
    print(
        f"Seconds per page, median of {args.repeat} runs over the same {len(pages)} pages "
        "(whole documents: all their pages)"
    )
    base = times.get("ours reader, 1-page PDFs")
    base_cpu = base.per_page()[1] if base and base.runs else None
    print(f"{'tool':36} {'pages':>6} {'wall s/page':>12} {'CPU s/page':>11} {'CPU vs ours':>12}")
    order = [*finders, *(k for k in times if k.startswith("ours"))]
    for name in order:
        t = times[name]
        if not t.runs:
            continue
        wall, cpu = t.per_page()
        ratio = f"{cpu / base_cpu:11.1f}x" if base_cpu else ""
        print(f"{name:36} {t.pages:6d} {wall:12.3f} {cpu:11.3f} {ratio:>12}")
    if ours:
        print("(CPU vs ours: against ours reader on the same 1-page PDFs)")
    for (name, exc), count in sorted(errors.items()):
        print(f"{name}: {count} call(s) raised {exc} (no tables counted for that page)")

    if args.show_failures:
        for name in scored:
            print(f"\n{name}: facts not right")
            for f, r, row in results[name]:
                if r != "right":
                    shown = json.dumps(row, ensure_ascii=False)[:160] if row else "-"
                    print(
                        f"  {r:12} {f.doc[:20]} p{f.page} {f.printed:>14} {f.what[:40]!r}  {shown}"
                    )
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--truth", type=Path, default=DEFAULT_TRUTH)
    ap.add_argument("--docs", type=Path, default=None, help="the PDFs; default: the truth's folder")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tools", default=",".join(ALL_TOOLS))
    ap.add_argument("--show-failures", action="store_true", help="list every fact not right")
    return run(ap.parse_args())


if __name__ == "__main__":
    sys.exit(main())
