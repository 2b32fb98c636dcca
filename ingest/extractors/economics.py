"""Study economics (PEA, pre-feasibility, feasibility) from tables and from prose.

A table is an economics table when its row labels (or, transposed, its column headers)
name NPV, IRR or payback. Each value becomes an ``EconomicMetric`` for the scenario of its
column ("Low Case" -> "low", "Spot Case (Jun 30/2020)" -> "spot"). Study results stated in
prose ("pre-tax net present value (using an 8% discount rate) of $1.2 billion, internal
rate of return of 15%, and payback of 5 years") become metrics with ``source="text"``.

Units, so that metrics compare across filings:

- money totals (NPV, capex, revenue, cash flow) in "<currency> million": "$1.2 billion"
  -> 1200.0 "USD million";
- prices and unit costs in "<currency>/lb", "<currency>/oz", "<currency>/t";
- IRR in "%", payback and mine life in "years".

A scenario's price date ("Spot Case (Jun 30/2020)", "June 30, 2020 spot metal prices")
is kept in ``EconomicMetric.scenario_date``; ``scenario_of``
returns it in any case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..failures import step_failed
from ..lexicon.commodities import COMMODITIES, commodity_of
from ..lexicon.currencies import CODES, PREFIX, currency_of
from ..lexicon.economics import KEY_METRICS, metric_of
from ..lexicon.numbers import parse_number
from ..lexicon.scales import scale_of, scale_word
from ..lexicon.scenarios import scenario_in, scenario_of
from ..model import Cell, Document, EconomicMetric, Issue, Row, Table
from ..prose.sentences import has_any, keyword_text, sentences, split_sentences

# Words naming a study, matched as whole words in lower case. "feasibility study" preceded
# by "pre" is a pre-feasibility study.
_STUDY_TERMS = [
    ("pre-feasibility", "PFS"),
    ("prefeasibility", "PFS"),
    ("pre feasibility", "PFS"),
    ("pfs", "PFS"),
    ("preliminary economic assessment", "PEA"),
    ("pea", "PEA"),
    ("scoping study", "PEA"),
    ("feasibility study", "FS"),
    ("feasibility studies", "FS"),
    ("dfs", "FS"),
    ("bfs", "FS"),
    ("fs", "FS"),
]
_STUDY_WORDS = ("feasib", "economic assessment", "pea", "fs", "scoping")
_PROPERTY_NAMED = re.compile(
    r"\b(?:on|for|of|at)\s+(?:the|its|our)\s+"
    r"((?:[A-Z][\w'’.]*|\d+)(?:\s+(?:-\s+)?(?:[A-Z][\w'’.]*|\d+)){0,5})"
    r"\s+(?:Project|Deposit|Property|Mine|project|deposit|property|mine)\b"
)
_PROPERTY_GENERIC = re.compile(
    r"\b(?:in|on|for|of|at)\s+the\s+([A-Z][\w'’.]*(?:\s+(?:-\s+)?(?:[A-Z][\w'’.]*|\d+)){0,5})"
)
_PROPERTY_BEFORE_STUDY = re.compile(
    r"((?:[A-Z][\w'’.-]*\s+){1,4})(?:PEA|PFS|DFS|BFS|FS|Preliminary\s+Economic|Pre-?\s?Feasibility|"
    r"Prefeasibility|Feasibility|Scoping)\b"
)
# (pattern, firm, words every match holds (case as printed: the patterns keep case), or ()).
_PROPERTY_PATTERNS = (
    (
        _PROPERTY_NAMED,
        True,
        ("Project", "Deposit", "Property", "Mine", "project", "deposit", "property", "mine"),
    ),
    (_PROPERTY_BEFORE_STUDY, True, ("PEA", "FS", "Preliminary", "easibility", "Scoping")),
    (_PROPERTY_GENERIC, False, ()),
)
_NOT_PROPERTY = frozenset(
    "company corporation government board mine project property deposit pea pfs fs dfs study "
    "base case spot case report technical report preliminary economic assessment feasibility "
    "table summary the updated optimized new results key highlights".split()
)
_COMMODITY_WORDS = {n for _, names in COMMODITIES.values() for n in names} | {
    s.lower() for s in COMMODITIES
}
_TRAILING_KIND = re.compile(r"\s+(?:Project|Deposit|Property|Mine|Operations?)$", re.I)


_DISCOUNT_IN_LABEL = re.compile(
    r"NPV\s*[-@(]?\s*(\d+(?:\.\d+)?)\s*%?|\(\s*(?:at\s+)?(\d+(?:\.\d+)?)\s*%\s*\)|(\d+(?:\.\d+)?)\s*%",
    re.I,
)
_PRICE_WORD = re.compile(r"\bprices?\b", re.I)  # in labels

# Prose.
# Money after its sign: "$1.2 billion", "US$30/lb", "$1,500 per ounce gold". The regular
# expressions run only where a "$" or a currency code is, and numbers only where "%" or
# "year" is: scanning every sentence position with them would cost far more.
_AMOUNT_TAIL = re.compile(
    r"\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>billion|million|thousand|bn|mm|m|b|k)(?![A-Za-z]))?"
    r"(?P<per>\s?(?:/|per)\s?(?:(?P<permetal>gold|silver|copper|nickel|zinc)\s+)?"
    r"(?P<perunit>lbs?|pounds?|oz|ounces?|tonnes?|tons?|t)\b)?",
    re.I,
)
_CURRENCY_BEFORE = re.compile(rf"{PREFIX}\s?$")
_CODE_AMOUNT = re.compile(rf"(?<![A-Za-z])({CODES})\s?\$?(?=\s?\d)")
_NUMBER_BEFORE = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d+)?)\s?[-]?\s?$")
# Phrases that introduce a study metric in prose, matched in lower case at word starts.
# Abbreviations must also end at a word end ("NPV7.5" and "NPV8" keep their digits).
_PROSE_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    ("npv", ("net present value", "npv")),
    ("irr", ("internal rate of return", "irr")),
    ("payback", ("payback", "pay-back", "pay back")),
    ("sustaining_capex", ("sustaining capital", "sustaining capex")),
    ("aisc", ("all-in sustaining", "all in sustaining", "aisc")),
    (
        "capex",
        (
            "initial capital",
            "pre-production capital",
            "preproduction capital",
            "development capital",
            "construction capital",
            "growth capital",
            "start-up capital",
            "upfront capital",
            "initial capex",
            "capital cost",
        ),
    ),
    ("cash_cost", ("cash cost", "cash operating cost")),
    ("mine_life", ("mine life",)),
    # Over the life of mine; an annual cash flow ("net annual cash flow") is not this.
    ("cash_flow", ("free cash flow", "after-tax cash flow", "cumulative cash flow")),
]
_ABBREVIATIONS = frozenset({"npv", "irr", "aisc"})
_TAX_WORDS = (
    ("pre-tax", True),
    ("pre tax", True),
    ("pretax", True),
    ("before tax", True),
    ("before-tax", True),
    ("pre-income tax", True),
    ("after-tax", False),
    ("after tax", False),
    ("aftertax", False),
    ("post-tax", False),
    ("post tax", False),
    ("net of tax", False),
)
_ECONOMIC_WORDS = ("npv", "irr", "net present", "internal rate", "payback")
_ECONOMIC_BYTES = tuple(w.encode() for w in _ECONOMIC_WORDS)
_DISCOUNT_PROSE = [
    re.compile(r"^(?:NPV|net\s+present\s+value)\s?[-@(]?\s?(\d+(?:\.\d+)?)\s?%?", re.I),
    re.compile(r"(\d+(?:\.\d+)?)\s?%\s+discount", re.I),
    re.compile(r"discount(?:ed)?(?:\s+rate)?(?:\s+of|\s+at)?\s+(\d+(?:\.\d+)?)\s?%", re.I),
    re.compile(r"\(\s*(?:at\s+)?(\d+(?:\.\d+)?)\s?%\s*\)", re.I),
]
_ABBREVIATION_GAP = re.compile(r"[\s(\"'“”]*$")
_DISCOUNT_AFTER = re.compile(r"\s*(?:\)\s*)?discount")
_YEARS_WORD = re.compile(r"\byears?\b|\byrs?\b", re.I)
_PARENS = re.compile(r"\(([^()]{1,40})\)")
_PERCENT_ONLY = re.compile(r"\s*\d+(?:\.\d+)?\s*%\s*")
_NOTES = re.compile(r"^(?:notes?|sources?|footnotes?)\s*:?\s*$", re.I)
_BULLET = re.compile(r"^\s*(?:[-•*▪◦●]|o\s|\(?[a-z0-9]\)\s)")
_CONTEXT_HEADING_KEEP = re.compile(r"highlight|result|economic|summary|key|outputs?", re.I)
_CONTEXT_AGE = 12  # paragraphs a study named in prose stays the subject of later prose
_LOOK_BACK = 20  # lines before an NPV/IRR statement searched for the study it belongs to
_LOOK_AHEAD = 24  # lines after it searched for the rest of the study's results
_MAX_PARAGRAPH = 4000  # characters scanned per paragraph (bounds the work on odd input)


@dataclass
class _Study:
    study_type: str | None = None
    property: str | None = None


def extract_economics(
    tables: list[Table], doc: Document, currency: str = "USD"
) -> tuple[list[EconomicMetric], list[Issue]]:
    """Study economics in the filing's tables and prose, in ``currency`` where "$" is printed.

    Reads the tables classified "economics", and the prose.
    """
    metrics: list[EconomicMetric] = []
    issues: list[Issue] = []
    currency = currency or "USD"
    for table in tables:
        if table.kind != "economics":
            continue
        try:
            found, problems = _read_table(table, tables, doc, currency)
        except Exception as exc:  # noqa: BLE001 - one odd table must not lose the others
            found, problems = (
                [],
                [
                    step_failed(
                        doc.name,
                        f"economics of table {table.index}",
                        exc,
                        line=table.start_line,
                        table_index=table.index,
                    )
                ],
            )
        metrics.extend(found)
        issues.extend(problems)
    try:
        metrics.extend(_read_prose(doc, currency))
    except Exception as exc:  # noqa: BLE001 - the tables' economics stay
        issues.append(step_failed(doc.name, "study economics in the text", exc))
    try:
        metrics.extend(_price_decks(doc, currency, metrics))
    except Exception as exc:  # noqa: BLE001 - what was read stays
        issues.append(step_failed(doc.name, "metal prices in the text", exc))
    return metrics, issues


# "using a US$1,500/ounce gold price", "a gold price of US$1,650 per ounce", "assumed
# silver price of $US22/oz": the price deck a resource's cut-off or a study assumes.
_DECK_PRICE = re.compile(
    r"(?P<cur>(?:US|C|A|AU|CDN)?\$(?:US)?)\s?(?P<num>\d{1,3}(?:,\d{3})*(?:\.\d+)?)\s?"
    r"(?:/|per\s+)(?P<per>oz|ounce|lb|pound|t|tonne)\w*\s+(?P<metal>[A-Za-z]+)\s+price"
    r"|(?P<metal2>[A-Za-z]+)\s+price\s+(?:of|at)\s+(?P<cur2>(?:US|C|A|AU|CDN)?\$(?:US)?)\s?"
    r"(?P<num2>\d{1,3}(?:,\d{3})*(?:\.\d+)?)\s?(?:/|per\s+)(?P<per2>oz|ounce|lb|pound|t|tonne)",
    re.I,
)
# Only the price a cut-off grade or a study is computed from: a resource note's reporting
# price ("reported ... at a gold price of A$3,000/oz") is not a study result.
_DECK_CONTEXT = re.compile(
    r"cut-?off|\bstudy\b|economic\s+(?:analysis|assessment)|feasibility|\bPEA\b|\bPFS\b|\bDFS\b",
    re.I,
)
# Every match of ``_DECK_CONTEXT`` holds one of these (``keyword_text``).
_DECK_WORDS = ("cut", "study", "economic", "feasibility", "pea", "pfs", "dfs")


def _price_decks(doc: Document, currency: str, found: list[EconomicMetric]) -> list[EconomicMetric]:
    """Metal prices a cut-off grade or a study is computed from, anywhere in the prose (the
    study reader reads only near NPV and IRR statements)."""
    seen = {(m.metric, m.commodity, m.value) for m in found}
    out: list[EconomicMetric] = []
    for s in sentences(doc):
        if (
            "price" not in s.low
            or "$" not in s.text
            or not has_any(keyword_text(s.text, s.low), _DECK_WORDS)
            or not _DECK_CONTEXT.search(s.text)
        ):
            continue
        for m in _DECK_PRICE.finditer(s.text):
            metal = commodity_of(m.group("metal") or m.group("metal2") or "")
            value = parse_number(m.group("num") or m.group("num2")).value
            if metal is None or value is None:
                continue
            symbol = (m.group("cur") or m.group("cur2")).replace("$US", "US$")
            cur = currency_of(symbol, currency) or currency
            per = (m.group("per") or m.group("per2")).lower()
            unit = (
                "lb"
                if per.startswith(("lb", "pound"))
                else "oz"
                if per.startswith(("oz", "ounce"))
                else "t"
            )
            key = ("metal_price", metal, value)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                _new_metric(
                    _Study(study_type_of(s.text), None),
                    "base",
                    None,
                    "metal_price",
                    value,
                    f"{cur}/{unit}",
                    s.line,
                    commodity=metal,
                    source="text",
                )
            )
    return out


# -- helpers shared by tables and prose -------------------------------------------------


def study_type_of(text: str) -> str | None:
    """ "PEA", "PFS" or "FS" for the first study a text names (None when it names none)."""
    if not text:
        return None
    low = text.lower()
    best: tuple[int, str] | None = None
    for word, kind in _STUDY_TERMS:
        pos = _find_word(low, word)
        if pos < 0:
            continue
        if kind == "FS" and word.startswith("feasibility") and _pre_feasibility(low, pos):
            pos = _find_word(low, word, pos + 1, pre_ok=False)
            if pos < 0:
                continue
        if best is None or pos < best[0]:
            best = (pos, kind)
    return best[1] if best else None


def _pre_feasibility(low: str, pos: int) -> bool:
    return low[max(0, pos - 4) : pos].rstrip(" -").endswith("pre")


def _find_word(low: str, word: str, start: int = 0, pre_ok: bool = True) -> int:
    """First position of ``word`` in ``low`` not inside a longer word (-1 if none)."""
    pos = low.find(word, start)
    while pos != -1:
        before = low[pos - 1] if pos else " "
        end = pos + len(word)
        after = low[end] if end < len(low) else " "
        if not before.isalnum() and not after.isalnum():
            if pre_ok or not _pre_feasibility(low, pos):
                return pos
        pos = low.find(word, pos + 1)
    return -1


def property_of(text: str) -> str | None:
    """The property a title or sentence names: "... its PEA on the Red Fox deposit" -> "Red Fox"."""
    return _property(text)[0]


def _property(text: str) -> tuple[str | None, bool]:
    """(name, firm): firm when the text calls it a project, deposit, property or mine, or
    names it before the study ("Red Fox PEA"); a bare "in the Red Fox East" is not."""
    if not text:
        return None, False
    for pattern, firm, words in _PROPERTY_PATTERNS:
        if words and not has_any(text, words):
            continue  # every match holds one of the words: a paragraph without needs no scan
        for m in pattern.finditer(text):
            name = _clean_property(m.group(1))
            if name:
                return name, firm
    return None, False


def _clean_property(name: str) -> str | None:
    # "U3O8.The PEA": a sentence run into the next without a space is two words.
    words = re.split(r"\s+|(?<=[a-z0-9])\.(?=[A-Z])", name.strip(" ,.-"))
    words = [w for w in words if w]
    while words and (
        words[0].lower() in _NOT_PROPERTY
        or words[0].lower() in _COMMODITY_WORDS
        or re.fullmatch(r"[\d.]+", words[0])
    ):
        words.pop(0)
    text = " ".join(words)
    for _ in range(3):
        text = _TRAILING_KIND.sub("", text)
        parts = text.rsplit(" ", 1)
        if len(parts) == 2 and parts[1].lower() in _COMMODITY_WORDS:
            text = parts[0]
    text = text.strip(" ,.-")
    if not text or text.lower() in _NOT_PROPERTY or not text[0].isupper():
        return None
    return text


def _tax(text: str) -> bool | None:
    """True for pre-tax, False for after-tax, None when unstated; the last word stated wins."""
    low = text.lower()
    if "tax" not in low:
        return None
    best: tuple[int, bool] | None = None
    for word, pre in _TAX_WORDS:
        pos = low.rfind(word)
        if pos != -1 and (best is None or pos > best[0]):
            best = (pos, pre)
    return best[1] if best else None


def _keywords(low: str) -> list[tuple[int, int, str]]:
    """(start, end, metric) for each metric phrase in a lower-cased sentence."""
    hits = []
    for metric, phrases in _PROSE_KEYWORDS:
        for phrase in phrases:
            pos = low.find(phrase)
            while pos != -1:
                end = pos + len(phrase)
                before_ok = pos == 0 or not low[pos - 1].isalnum()
                after = low[end : end + 1]
                after_ok = (
                    not after
                    or not after.isalnum()
                    or (phrase not in _ABBREVIATIONS or (phrase == "npv" and after.isdigit()))
                )
                if before_ok and (phrase not in _ABBREVIATIONS or after_ok):
                    hits.append((pos, end, metric))
                pos = low.find(phrase, end)
    hits.sort()
    return hits


_PER_UNIT = re.compile(r"(?:/|per)\s?(lbs?|pounds?|oz|ounces?|tonnes?|tons?|t|st)\b")
_BILLIONS = re.compile(r"\bbillions?\b|\bbn\b|\$\s?b\b")
_MILLIONS = re.compile(r"\bmillions?\b|\bmm\b|\bm\$|\$\s?m\b|\bmln\b")
_THOUSANDS = re.compile(r"\bthousands?\b|000")


def _money_unit(text: str, currency: str) -> tuple[str, float] | None:
    """("USD million", factor) for a money unit text; per-unit prices keep their unit."""
    low = text.lower()
    cur = currency_of(text, currency) or currency
    per = _PER_UNIT.search(low)
    if per:
        unit = per.group(1)
        unit = (
            "lb"
            if unit.startswith(("lb", "pound"))
            else "oz"
            if unit.startswith(("oz", "ounce"))
            else "t"
        )
        return f"{cur}/{unit}", 1.0
    scale = scale_of(text)
    if scale == 1.0:
        if _BILLIONS.search(low):
            scale = 1e9
        elif _MILLIONS.search(low):
            scale = 1e6
        elif _THOUSANDS.search(low):
            scale = 1e3
    return f"{cur} million", scale / 1e6


def _discount_of(label: str) -> float | None:
    m = _DISCOUNT_IN_LABEL.search(label)
    if not m:
        return None
    value = next((g for g in m.groups() if g), None)
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


# -- tables -------------------------------------------------------------------------------


def _read_table(
    table: Table, tables: list[Table], doc: Document, currency: str
) -> tuple[list[EconomicMetric], list[Issue]]:
    row_metrics = [metric_of(r.label) for r in table.rows]
    col_metrics = [metric_of(" ".join(c.header)) for c in table.columns]
    key_rows = sum(1 for m in row_metrics if m in KEY_METRICS)
    key_cols = sum(1 for m in col_metrics if m in KEY_METRICS)
    study, tax = _table_context(table, tables, doc)
    if key_rows >= key_cols:
        return _read_row_metrics(table, row_metrics, study, tax, currency)
    return _read_column_metrics(table, col_metrics, study, tax, currency)


def _table_context(table: Table, tables: list[Table], doc: Document) -> tuple[_Study, bool | None]:
    title = table.title or ""
    study = _Study(study_type_of(title), property_of(title))
    before = _prose_before(table, tables, doc)
    if study.study_type is None:
        study.study_type = study_type_of(doc.subsection_at(table.start_line)) or next(
            (s for s in (study_type_of(t) for t in reversed(before)) if s), None
        )
    if study.property is None:
        study.property = next((p for p in (property_of(t) for t in reversed(before)) if p), None)
    after = _prose_after(table, doc)
    tax = _tax(title)
    if tax is None:
        tax = next((t for t in (_tax(x) for x in [*table.notes, *after]) if t is not None), None)
    return study, tax


def _prose_before(table: Table, tables: list[Table], doc: Document) -> list[str]:
    floor = max(1, table.start_line - 40)
    for t in tables:
        if t.end_line < table.start_line and t.end_line >= floor:
            floor = t.end_line + 1
    return [
        ln.text.strip()[:_MAX_PARAGRAPH]
        for ln in doc.lines[floor - 1 : table.start_line - 1]
        if ln.text.strip() and not ln.has_tabs and ln.no not in doc.page_header_lines
    ]


def _prose_after(table: Table, doc: Document) -> list[str]:
    out = []
    for ln in doc.lines[table.end_line : table.end_line + 4]:
        if ln.has_tabs:
            break
        if ln.text.strip() and ln.no not in doc.page_header_lines:
            out.append(ln.text.strip()[:_MAX_PARAGRAPH])
            break
    return out


def _cell_unit(row: Row, label: str, header: str, cell: Cell, metric: str, currency: str):
    """(unit, factor) for one cell from the row's unit column, label, header or the cell."""
    raw = (cell.raw or "").strip()
    return _unit_for(
        row.unit or "", label, header, raw.endswith("%"), "$" in raw, metric, currency, raw
    )


@lru_cache(maxsize=2048)
def _unit_for(
    row_unit: str,
    label: str,
    header: str,
    percent: bool,
    dollar: bool,
    metric: str,
    currency: str,
    raw: str,
):
    # Every cell of a row shares its unit; the cache makes that one reading per row.
    for text in (row_unit, _paren(label), _paren(header)):
        if not text:
            continue
        if "%" in text:
            return "%", 1.0
        if _YEARS_WORD.search(text):
            return "years", 1.0
        if "$" in text or currency_of(text):
            return _money_unit(text, currency)
    if percent or metric == "irr":
        return "%", 1.0
    if metric in ("payback", "mine_life"):
        return "years", 1.0
    if dollar or currency_of(raw):
        return _money_unit(raw + " " + label, currency)
    return None


def _paren(text: str) -> str:
    m = _PARENS.findall(text or "")
    return " ".join(x for x in m if not _PERCENT_ONLY.fullmatch(x))


def _new_metric(
    study: _Study,
    scenario: str,
    date: str | None,
    metric: str,
    value: float,
    unit: str,
    line: int,
    **kw,
) -> EconomicMetric:
    return EconomicMetric(
        study_type=study.study_type,
        property=study.property,
        scenario=scenario,
        metric=metric,
        value=float(f"{value:.12g}"),
        unit=unit,
        line=line,
        scenario_date=date,
        **kw,
    )


def _row_metric_details(label: str, unit_text: str, metric: str | None):
    """(metric, commodity, discount) for a row label; a bare metal with a $/lb unit is a price."""
    commodity = commodity_of(label)
    if (
        metric is None
        and commodity
        and (_PRICE_WORD.search(label) or re.search(r"/|per", unit_text))
    ):
        metric = "metal_price"
    if metric == "npv":
        return metric, None, _discount_of(label)
    return metric, commodity, None


def _read_row_metrics(table, row_metrics, study, tax, currency):
    out: list[EconomicMetric] = []
    issues: list[Issue] = []
    scen = {c.key: scenario_of(" ".join(c.header)) for c in table.columns}
    headers = {c.key: " ".join(c.header) for c in table.columns}
    for row, metric in zip(table.rows, row_metrics, strict=True):
        if row.kind == "group" or not any(c.value is not None for c in row.cells):
            continue
        metric, commodity, discount = _row_metric_details(row.label, row.unit or "", metric)
        if metric is None:
            issues.append(_unread_row(table, row))
            continue
        row_tax = _tax(row.label)
        for cell in row.cells:
            if cell.value is None:
                continue
            scenario, date = scen.get(cell.column, ("base", None))
            found = _cell_metric(
                table,
                row,
                cell,
                study,
                (scenario, date),
                (metric, commodity, discount),
                row.label,
                headers.get(cell.column, ""),
                row_tax if row_tax is not None else tax,
                currency,
            )
            (out if isinstance(found, EconomicMetric) else issues).append(found)
    return out, issues


def _read_column_metrics(table, col_metrics, study, tax, currency):
    out: list[EconomicMetric] = []
    issues: list[Issue] = []
    cols = {c.key: (c, m) for c, m in zip(table.columns, col_metrics, strict=True)}
    for row in table.rows:
        if row.kind == "group" or not any(c.value is not None for c in row.cells):
            continue
        scenario, date = scenario_of(row.label)
        for cell in row.cells:
            if cell.value is None or cell.column not in cols:
                continue
            col, metric = cols[cell.column]
            header = " ".join(col.header)
            metric, commodity, discount = _row_metric_details(header, header, metric)
            if metric is None:
                continue
            col_tax = _tax(header)
            found = _cell_metric(
                table,
                row,
                cell,
                study,
                (scenario, date),
                (metric, commodity, discount),
                "",
                header,
                col_tax if col_tax is not None else tax,
                currency,
            )
            (out if isinstance(found, EconomicMetric) else issues).append(found)
    return out, issues


def _cell_metric(
    table: Table,
    row: Row,
    cell: Cell,
    study: _Study,
    scenario: tuple[str, str | None],
    what: tuple[str, str | None, float | None],
    label: str,
    header: str,
    pre_tax: bool | None,
    currency: str,
) -> EconomicMetric | Issue:
    """One table cell as a metric, whether metrics run along rows or along columns."""
    metric, commodity, discount = what
    unit = _cell_unit(row, label, header, cell, metric, currency)
    if unit is None:
        return _unread_row(table, row, cell)
    return _new_metric(
        study,
        scenario[0],
        scenario[1],
        metric,
        cell.value * unit[1],
        unit[0],
        cell.line,
        discount_rate_pct=discount,
        commodity=commodity if metric != "npv" else None,
        pre_tax=pre_tax,
        source="table",
        table_index=table.index,
    )


def _unread_row(table: Table, row: Row, cell: Cell | None = None) -> Issue:
    if cell is None:
        reason = "row of an economics table not recognised as a study metric"
    else:
        reason = f"no unit could be read for {cell.raw!r}"
    return Issue(
        line=cell.line if cell else row.line,
        kind="unread_economic_row",
        reason=reason,
        text=row.label[:200],
        table_index=table.index,
    )


# -- prose --------------------------------------------------------------------------------


def _read_prose(doc: Document, currency: str) -> list[EconomicMetric]:
    out: list[EconomicMetric] = []
    hits = _economic_lines(doc)
    if not hits:
        return out
    # Study results sit near an NPV, IRR or payback statement: read the lines around each,
    # the lead-in that names the study before it and the bullets after it.
    window: set[int] = set()
    for no in hits:  # line numbers are 1-based, indexes 0-based
        window.update(range(no - 1 - _LOOK_BACK, no - 1 + _LOOK_AHEAD))
    headings = {s.line for s in doc.sections}
    study = _Study()
    age = _CONTEXT_AGE + 1
    block = False
    lines = doc.lines
    skip = doc.page_header_lines
    previous = -1
    for idx in sorted([i for i in window if 0 <= i < len(lines)]):
        ln = lines[idx]
        if ln.no in skip or "\t" in ln.text:
            continue
        if ln.no != previous + 1 and previous >= 0 and ln.no - previous > _LOOK_BACK:
            study, age, block = _Study(), _CONTEXT_AGE + 1, False
        previous = ln.no
        text = ln.text.strip()
        if not text:
            continue
        text = text[:_MAX_PARAGRAPH]
        bullet = text[0] in "-•*▪◦●" or bool(_BULLET.match(text[:4]))
        low = text.lower()
        kind = None
        if (
            "feasib" in low
            or "pea" in low
            or "fs" in low
            or "assessment" in low
            or "scoping" in low
        ):
            kind = study_type_of(text)
        if kind:
            prop, firm = _property(text)
            if kind != study.study_type:
                study = _Study(kind, prop)
            elif prop and (firm or study.property is None):
                study = _Study(kind, prop)
            age = 0
        elif ln.no in headings and not _CONTEXT_HEADING_KEEP.search(text):
            study, age = _Study(), _CONTEXT_AGE + 1
        else:
            age += 1
        fresh = age <= _CONTEXT_AGE
        if not bullet:
            # A list under "Notes:" is a table's footnotes, not a study's results.
            block = fresh and (text.endswith(":") or ln.no in headings) and not _NOTES.match(text)
        in_block = bullet and block
        if not (in_block or ln.no in hits):
            continue
        text = _join_page_break(text, idx, lines, skip)
        current = study if fresh else _Study()
        named = False  # a sentence of the paragraph named a study: the rest are its results
        for offset, sentence in split_sentences(text):
            own_kind = study_type_of(sentence) if kind else None
            subject = _Study(
                own_kind or current.study_type,
                property_of(sentence) if _economic(sentence) else None,
            )
            subject.property = subject.property or current.property
            named = named or bool(own_kind)
            for found in _scan(sentence, in_block or named, currency):
                metric, value, unit, extra, pos = found
                out.append(
                    _new_metric(
                        subject,
                        extra.pop("scenario"),
                        extra.pop("date"),
                        metric,
                        value,
                        unit,
                        _line_at(doc, ln.no, offset + pos),
                        source="text",
                        **extra,
                    )
                )
    return out


def _economic_lines(doc: Document) -> set[int]:
    """Lines naming NPV, IRR or payback, found in one pass over the text.

    Searching the lower-cased bytes for each word is far faster than a regular expression
    per line; the exact patterns then run on the few lines found.
    """
    low = doc.text.encode("utf-8", "replace").lower()
    if b"\r" in low:
        low = low.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    positions: list[int] = []
    for word in _ECONOMIC_BYTES:
        pos = low.find(word)
        while pos != -1:
            positions.append(pos)
            pos = low.find(word, pos + 1)
    positions.sort()
    found: set[int] = set()
    line, last = 1, 0
    for pos in positions:
        line += low.count(b"\n", last, pos)
        last = pos
        found.add(line)
    return found


_ENDS_SENTENCE = re.compile(r"[.:;!?)\"']$")
_CONTINUES = re.compile(r"[a-z0-9$(]")


def _join_page_break(text: str, idx: int, lines, skip) -> str:
    """A sentence cut by a page break continues on the first body line after the header."""
    if _ENDS_SENTENCE.search(text):
        return text
    crossed = False
    for ln in lines[idx + 1 : idx + 12]:
        if ln.no in skip:
            crossed = True
            continue
        if ln.is_blank:
            continue
        nxt = ln.text.strip()
        if crossed and not ln.has_tabs and _CONTINUES.match(nxt):
            return f"{text} {nxt[:_MAX_PARAGRAPH]}"
        return text
    return text


def _economic(text: str) -> bool:
    low = text.lower()
    return any(w in low for w in _ECONOMIC_WORDS)


def _line_at(doc: Document, first: int, offset: int) -> int:
    """The line of a paragraph (rejoined across page breaks) that holds character ``offset``."""
    seen = 0
    for ln in doc.lines[first - 1 : first + 40]:
        if ln.no in doc.page_header_lines or ln.is_blank:
            continue
        seen += len(ln.text.strip()) + 1
        if offset < seen:
            return ln.no
    return first


def _scan(sentence: str, everything: bool, currency: str):
    """Metrics stated in one sentence: (metric, value, unit, fields, offset)."""
    low = sentence.lower()
    hits = _keywords(low)
    # "sustaining capital cost" also reads as "capital cost": keep the longer, earlier match.
    # 'internal rate of return ("IRR")' names one metric once.
    kept: list[tuple[int, int, str]] = []
    for h in hits:
        if kept and h[0] < kept[-1][1]:
            continue
        if kept and h[2] == kept[-1][2] and _ABBREVIATION_GAP.match(low, kept[-1][1], h[0]):
            kept[-1] = (kept[-1][0], h[1], h[2])
            continue
        kept.append(h)
    if not everything:
        kept = [h for h in kept if h[2] in ("npv", "irr", "payback")]
    if not kept and not everything:
        return []
    amounts = _amounts(sentence, currency)
    percents = _numbers_before(sentence, low, ("%",))
    years = _numbers_before(sentence, low, ("year", "yr"))
    scenario, date = scenario_in(sentence)
    sentence_tax = _tax(sentence)
    claimed: set[int] = set()
    out = []
    for i, (start, end, metric) in enumerate(kept):
        nxt = kept[i + 1][0] if i + 1 < len(kept) else len(sentence)
        prev_end = kept[i - 1][1] if i else 0
        if metric in ("npv", "capex", "sustaining_capex", "cash_flow"):
            pool = [(a[0], a[1], a) for a in amounts if a[4] is None]
        elif metric in ("cash_cost", "aisc"):
            pool = [(a[0], a[1], a) for a in amounts if a[4] is not None]
        elif metric == "irr":
            pool = [(p[0], p[1], p) for p in percents if not _DISCOUNT_AFTER.match(low, p[1])]
        else:
            pool = [(y[0], y[1], y) for y in years]
        choice = _nearest(pool, start, end, nxt, prev_end, claimed)
        if choice is None:
            continue
        claimed.add(choice[0])
        item = choice[2]
        extra: dict = {"scenario": scenario, "date": date}
        local_tax = _tax(sentence[max(prev_end, start - 30) : end])
        if metric in ("npv", "irr"):
            extra["pre_tax"] = local_tax if local_tax is not None else sentence_tax
        if metric == "npv":
            extra["discount_rate_pct"] = _prose_discount(
                sentence[start : max(choice[1], end) + 45]
            ) or _prose_discount(sentence[start:nxt])
        if metric in ("npv", "capex", "sustaining_capex", "cash_flow"):
            out.append((metric, item[2], item[3], extra, choice[0]))
        elif metric in ("cash_cost", "aisc"):
            extra["commodity"] = item[5] or _commodity_near(sentence, item[1])
            out.append((metric, item[2], item[3], extra, choice[0]))
        elif metric == "irr":
            out.append((metric, item[2], "%", extra, choice[0]))
        else:
            out.append((metric, item[2], "years", extra, choice[0]))
    # Prices: per-unit amounts not claimed above, naming a metal, after "price" or "at",
    # and not after a word "cost" (a unit cost is not a price).
    price_at = _word_positions(low, "price")
    cost_at = _word_positions(low, "cost")
    for a in amounts:
        if a[0] in claimed or a[4] not in ("lb", "oz"):
            continue
        price = max((p for p in price_at if p < a[0]), default=-1)
        cost = max((p for p in cost_at if p < a[0]), default=-1)
        # "at $1,750/oz", "based on $1,750/oz Au", "using $3.40/lb copper": a price deck.
        lead = low[max(0, a[0] - 12) : a[0]].rstrip()
        at_word = lead.endswith((" at", "based on", " using", " assuming"))
        if cost > price or (price < 0 and not at_word):
            continue
        before = sentence[: a[0]]
        commodity = a[5] or _commodity_near(sentence, a[1]) or _commodity_before(before)
        if commodity is None:
            continue
        out.append(
            (
                "metal_price",
                a[2],
                a[3],
                {"scenario": scenario, "date": date, "commodity": commodity},
                a[0],
            )
        )
    return out


def _word_positions(low: str, word: str) -> list[int]:
    out = []
    pos = low.find(word)
    while pos != -1:
        out.append(pos)
        pos = low.find(word, pos + 1)
    return out


def _amounts(sentence: str, currency: str) -> list[tuple]:
    """(start, end, value, unit, per_unit, per_metal) for each money amount in a sentence."""
    starts: list[tuple[int, int, str]] = []  # (start, where the number begins, currency)
    pos = sentence.find("$")
    while pos != -1:
        m = _CURRENCY_BEFORE.search(sentence, max(0, pos - 5), pos)
        start = m.start() if m else pos
        cur = currency_of(sentence[start : pos + 1], currency) or currency
        starts.append((start, pos + 1, cur))
        pos = sentence.find("$", pos + 1)
    if "USD" in sentence or "CAD" in sentence or "AUD" in sentence:
        for m in _CODE_AMOUNT.finditer(sentence):
            if "$" not in m.group(0):
                starts.append((m.start(), m.end(), m.group(1)))
    out = []
    for start, at, cur in sorted(starts):
        m = _AMOUNT_TAIL.match(sentence, at)
        if not m:
            continue
        num = parse_number(m.group("num")).value
        if num is None:
            continue
        per = m.group("perunit")
        if per:
            p = per.lower()
            unit = (
                "lb"
                if p.startswith(("lb", "pound"))
                else "oz"
                if p.startswith(("oz", "ounce"))
                else "t"
            )
            metal = commodity_of(m.group("permetal") or "")
            out.append((start, m.end(), num, f"{cur}/{unit}", unit, metal))
            continue
        factor = scale_word(m.group("scale")) / 1e6
        out.append((start, m.end(), num * factor, f"{cur} million", None, None))
    return out


def _numbers_before(
    sentence: str, low: str, marks: tuple[str, ...]
) -> list[tuple[int, int, float]]:
    """(start, end, value) for each number printed just before one of ``marks``."""
    out = []
    for mark in marks:
        pos = low.find(mark)
        while pos != -1:
            m = _NUMBER_BEFORE.search(sentence, max(0, pos - 12), pos)
            if m:
                out.append((m.start(1), pos + len(mark), float(m.group(1))))
            pos = low.find(mark, pos + 1)
    out.sort()
    return out


def _nearest(pool, start: int, end: int, nxt: int, prev_end: int, claimed: set[int]):
    # A value printed right before its metric ("a 6.8 year mine life, 1.2 year payback,
    # 52.3% IRR") is that metric's, whatever follows.
    adjacent = [p for p in pool if 0 <= start - p[1] <= 2 and p[0] not in claimed]
    if adjacent:
        return adjacent[-1]
    after = [p for p in pool if p[0] >= end and p[0] < nxt and p[0] not in claimed]
    if after and after[0][0] - end <= 160:
        return after[0]
    before = [p for p in pool if p[1] <= start and p[0] >= prev_end and p[0] not in claimed]
    if before and start - before[-1][1] <= 30:
        return before[-1]
    return None


def _prose_discount(text: str) -> float | None:
    for pattern in _DISCOUNT_PROSE:
        m = pattern.search(text)
        if m:
            try:
                return float(m.group(1))
            except ValueError:
                return None
    return None


_DEFINED_ABBREVIATION = re.compile(r"^\s*\(\s*\"[^\"]{1,12}\"\s*\)")
_METAL_WORD = re.compile(r"\s*(?:of\s+)?([A-Za-z][A-Za-z0-9]*(?:\s?Eq)?)")


def _commodity_near(sentence: str, pos: int) -> str | None:
    """The metal named right after an amount: "$3.00 per pound ("lb") copper" -> "Cu"."""
    tail = _DEFINED_ABBREVIATION.sub("", sentence[pos : pos + 40])
    m = _METAL_WORD.match(tail)
    if not m:
        return None
    return commodity_of(m.group(1))


def _commodity_before(before: str) -> str | None:
    """The metal named just before a price: "copper $2.87/lb", "uranium price of US$58/lb"."""
    m = re.search(
        r"([A-Za-z][A-Za-z0-9]*)\s+(?:(?:spot\s+|long[\s-]term\s+)?prices?\s+(?:of\s+)?)?$",
        before[-40:],
    )
    return commodity_of(m.group(1)) if m else None
