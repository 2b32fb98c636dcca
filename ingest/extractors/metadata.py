"""What a filing is: company, report type, period, currency, accounting basis, tickers.

Everything here is read from the opening of the document (the title block, the page
header and the introduction), where MD&As state these things, with a few facts looked for
further in (the accounting statement, the listing paragraph, the share-data date).

``period_start`` and ``company_aliases`` are public: the other prose extractors use them.

Rules worth knowing:

- ``fiscal_year`` is the calendar year in which the fiscal year ends. For an interim
  period the fiscal year end is taken from the text ("fiscal year ended February 28,
  2023", "audited financial statements for the year ended June 30, 2022"): the fiscal
  year is the first year-end on or after the period end. Without such a statement it is
  the calendar year of ``period_end``.
- ``period_start`` is the day after the end of the previous period of the same length
  (``period_start("2023-08-31", 6) == "2023-03-01"``).
- ``effective_date`` is only set from a statement about the document's date ("dated",
  "prepared as of", "the effective date of this MD&A is", a date line standing alone in
  the title block) or, failing that, the latest "As at <date>, there were ... shares"
  date after the period end.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from ..failures import reraise_memory_error
from ..lexicon.currencies import DOLLAR_COUNTRIES, DOLLAR_SYMBOL_RE, code_for_symbol, currency_of
from ..lexicon.dates import DATE, PERIOD_MONTHS, months_before
from ..lexicon.dates import iso_date as parse_date
from ..model import Document, Issue, Metadata
from ..prose.sentences import has_any, keyword_text, sentences, split_sentences


def period_start(end: str | None, months: int) -> str | None:
    """The first day of a period of ``months`` ending on ``end`` (ISO), or None."""
    if not end or months <= 0:
        return None
    try:
        d = date.fromisoformat(end)
    except ValueError:
        return None
    return months_before(d, months).isoformat()


# --- currency -------------------------------------------------------------------------

_CURRENCY_STATEMENT = re.compile(
    r"(?:expressed|presented|stated|reported|denominated|amounts?|figures|references?"
    r"|dollars|reporting\s+currency|\(|\bin|\bare|\bof)\W{0,3}"
    r"(?:[\w\"$]+\s+){0,6}?"
    r"(?:(?:thousands|millions)\s+of\s+)?(?P<word>"
    + "|".join(w for w, _ in DOLLAR_COUNTRIES)
    + r")\s+dollars?\b",
    re.I,
)
# "The financial statements are presented in pounds sterling", "presentation currency is
# the Australian dollar": an accounting-policy note states it, often far from the head.
_PRESENTATION = re.compile(
    r"(?:presented|expressed|reported|prepared|denominated|stated)\s+in\s+(?:thousands\s+of\s+)?"
    r"(?:the\s+)?(?P<cur>[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?\s+dollars?|[a-z]+\s+sterling|euros?|"
    r"[A-Z][a-z]+\s+rand|South\s+African\s+rand)"
    r"|(?:presentation|functional\s+and\s+presentation|reporting)\s+currency\s+(?:is|of)\s+(?:the\s+)?"
    r"(?P<cur2>[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?\s+dollars?|[a-z]+\s+sterling|euros?|[A-Z][a-z]+\s+rand)",
)
_OTHER_SYMBOLS = (("£", "GBP"), ("€", "EUR"))

# --- accounting basis -----------------------------------------------------------------

# (basis, pattern, words one of which every match holds)
_BASIS = [
    (
        "US GAAP",
        re.compile(
            r"\bU\.?\s?S\.?\s+GAAP\b|United\s+States\s+generally\s+accepted\s+accounting"
            r"|generally\s+accepted\s+accounting\s+principles\s+(?:in|of)\s+the\s+United\s+States"
            r"|accounting\s+principles\s+generally\s+accepted\s+in\s+the\s+United\s+States",
            re.I,
        ),
        ("gaap", "accepted"),
    ),
    (
        "Canadian GAAP",
        re.compile(
            r"\bCanadian\s+GAAP\b|Canadian\s+generally\s+accepted\s+(?:accounting\s+)?principles"
            r"|generally\s+accepted\s+accounting\s+principles\s+(?:in|of)\s+Canada"
            r"|accounting\s+principles\s+generally\s+accepted\s+in\s+Canada",
            re.I,
        ),
        ("canad",),
    ),
    (
        "IFRS",
        re.compile(
            r"\bIFRS\b|International\s+Financial\s+Reporting\s+Standards?"
            r"|\bIAS\b\W{0,4}\s*34|International\s+Accounting\s+Standards?\b",
            re.I,
        ),
        ("ifrs", "ias", "international"),
    ),
]


_PREPARED = re.compile(
    r"\b(?:prepar\w*|in\s+accordance\s+with|in\s+conformity\s+with|conform\w*|reports?\s+its"
    r"|presented|files\s+its|under)\b",
    re.I,
)
_TRANSITION = re.compile(
    r"\b(?:transition\w*|conver(?:t|sion)\w*|adopt\w*|changeover|reconcil\w*|not\s+required)\b",
    re.I,
)
_FS_WORDS = re.compile(r"financial\s+(?:statements|information|position)|MD&A|figures", re.I)

# --- period ---------------------------------------------------------------------------

_PERIOD = re.compile(
    r"(?P<kind>"
    r"(?:three|3)\s+and\s+(?:nine|9)\s+months|(?:three|3)\s+and\s+(?:six|6)\s+months"
    r"|quarter\s+and\s+(?:fiscal\s+|financial\s+)?year"
    r"|(?:three|3)[- ]months?|(?:six|6)[- ]months?|(?:nine|9)[- ]months?|(?:twelve|12)[- ]months?"
    r"|(?:fiscal\s+|financial\s+)?quarter|(?:fiscal\s+|financial\s+)?years?|half[- ]year"
    r"|quarterly\s+(?:activities\s+)?report"
    r")\s+(?:ended|ending|to)\s+(?P<date>" + DATE + r")"
    r"(?:\s*(?:,|and)\s*(?P<date2>" + DATE + r"))?",
    re.I,
)
_YEAR_ENDED = re.compile(r"\byears?\s+(?:ended|ending)\s+(?P<date>" + DATE + r")", re.I)
_FISCAL_WORDS = re.compile(r"\b(?:fiscal|financial|audited|annual)\b", re.I)


# --- effective date -------------------------------------------------------------------

_DOC = r"(?:MD&A|management'?s?\s+discussion\s+and\s+analysis|this\s+report)"
_EFFECTIVE = re.compile(
    r"(?:effective\s+date|date)\s+of\s+this\s+" + _DOC + r"\s+is\s+(?P<d1>" + DATE + r")"
    r"|" + _DOC + r"\W{0,4}(?:[^.;]{0,40}?)"
    r"\b(?:is|was|has\s+been|are)?\s*(?:dated|prepared|made|current|approved|presented)?"
    r"\s*(?:as\s+(?:of|at)|dated|on)\s*:?\s+(?P<d2>" + DATE + r")",
    re.I,
)
_DATED_LINE = re.compile(
    r"^\W{0,3}(?:dated|prepared)(?:\s+as\s+(?:of|at))?\s*:?\s*(?P<d>" + DATE + r")", re.I
)
_SHARES_AS_AT = re.compile(
    r"\bas\s+(?:at|of)\s+(?P<date>" + DATE + r")(?:\s+and\s+(?P<date2>" + DATE + r"))?"
    r",?\s+(?:there\s+were|the\s+Company\s+had)[^.]{0,120}?\bshares\b",
    re.I,
)
_DATE_LINE = re.compile(r"^\W{0,3}(" + DATE + r")\W{0,3}$", re.I)

# --- company name ---------------------------------------------------------------------

_SUFFIX = (
    r"(?i:Inc|Incorporated|Corp|Corporation|Ltd|Limited|L\.?L\.?C|NL|N\.L|plc|S\.A|SA|AG|ASA"
    r"|Pty\.?\s+Ltd|Company\s+Limited)"
)
# A word of a name: capitalised, or a lower-case letter before a capital ("eMetals").
_WORD = r"(?:[a-z](?=[A-Z]))?[A-Z0-9][\w'.\-]*"
_COMPANY = rf"(?P<name>(?:{_WORD}[ \t]+(?:(?:&|de|du)[ \t]+)?){{0,6}}{_WORD}[ \t]+{_SUFFIX}\b\.?)"
_ALIAS_GROUP = (
    r"\((?P<alias>[^()]{0,160}?\"(?:Company|Corporation|Issuer|we|us|our)\"[^()]{0,80})\)"
)
_ALIAS_RE = re.compile(_ALIAS_GROUP)
# Matched against the text just before an alias parenthesis, so anchored at the end.
_NAME_BEFORE_ALIAS = re.compile(_COMPANY + r"(?:'s)?\s*(?:\([^()\"]{1,60}\)\s*)?$")
_TICKER_THEN_NEWS = re.compile(
    r"\((?P<tick>[^()]{2,60}:[^()]{1,60})\)[^.]{0,60}?\b(?:today\s+)?"
    r"(?:announce[sd]?|is\s+pleased|reports?)\b"
)
_NAME_BEFORE_TICKER = re.compile(_COMPANY + r"\s*$")
_COMPANY_LINE = re.compile(rf"^\W*{_COMPANY}\W*$")
_QUOTED = re.compile(r"\"([^\"]{1,40})\"")
# Words that open a title block or a section, never a company name.
_LEADING_NOISE = frozenset(
    "analysis introduction overview report exhibit announcement estimate highlights general"
    " background management discussion results update news release summary".split()
)

# --- tickers --------------------------------------------------------------------------

# Printed names and abbreviations of exchanges, longest first, with the code we store.
# NYSE MKT and NYSE Amex are former names of NYSE American: one code for one exchange.
_EXCHANGES = [
    (r"TSX[\s\-.]?V(?:enture)?(?:\s+Exchange)?|TSXV", "TSXV"),
    (r"Toronto\s+Stock\s+Exchange|TSX", "TSX"),
    (r"NYSE\s+American|NYSE\s+MKT|NYSE\s+Amex|American\s+Stock\s+Exchange|AMEX", "NYSE American"),
    (r"New\s+York\s+Stock\s+Exchange|NYSE", "NYSE"),
    (r"NASDAQ|Nasdaq", "NASDAQ"),
    (r"Australian\s+Securities\s+Exchange|Australian\s+Stock\s+Exchange|ASX", "ASX"),
    (r"London\s+Stock\s+Exchange|LSE", "LSE"),
    (r"AIM", "AIM"),
    (r"Frankfurt(?:\s+Stock)?\s+Exchange|FSE|FRA", "FSE"),
    (r"Berlin(?:\s+Stock)?\s+Exchange", "BER"),
    (r"OTCQX", "OTCQX"),
    (r"OTCQB", "OTCQB"),
    (r"OTC\s*BB|OTC\s+Bulletin\s+Board", "OTCBB"),
    (r"OTC\s+Pink|OTC", "OTC"),
    (r"Canadian\s+Securities\s+Exchange|CSE", "CSE"),
    (r"Johannesburg\s+Stock\s+Exchange|JSE", "JSE"),
    (r"Hong\s+Kong\s+Stock\s+Exchange|HKEX", "HKEX"),
    (r"NZX", "NZX"),
    (r"Lima\s+Stock\s+Exchange|BVL", "BVL"),
]
_EXCHANGE_ALT = "|".join(f"(?:{p})" for p, _ in _EXCHANGES)
_EXCHANGE_RE = re.compile(
    r"(?<![A-Za-z])(?:" + "|".join(f"(?P<x{i}>{p})" for i, (p, _) in enumerate(_EXCHANGES)) + r")"
    r"(?![A-Za-z])"
)
_SYMBOL = r"(?=[A-Z0-9.]*[A-Z])[A-Z0-9]{1,6}(?:\.[A-Z]{1,2})?"
_PAIR = re.compile(
    r"(?<![A-Za-z])(?P<ex>" + _EXCHANGE_ALT + r")\s*:\s*(?P<sym>" + _SYMBOL + r")(?![\w])"
    r"|(?<![A-Za-z])(?P<sym2>" + _SYMBOL + r")\s*:\s*(?P<ex2>" + _EXCHANGE_ALT + r")(?![\w])"
)
_PAREN = re.compile(r"\(([^()]{2,100}:[^()]{1,100})\)")
_SYMBOL_STATEMENT = re.compile(
    r"\b(?:trading\s+)?symbols?\s+(?:of\s+|remained\s+|is\s+|was\s+|became\s+)?"
    r"(?P<list>\"[^\"]{1,12}\"(?:\s*(?:,|and|or)\s*\"[^\"]{1,12}\")*)",
    re.I,
)
_STOP_EXCHANGE = re.compile(
    r"(?:discontinued|delisted|de-listed|ceased|removed|suspended)\s+(?:trading\s+)?(?:on\s+)?"
    r"(?:the\s+)?$",
    re.I,
)

_OWN_WORDS = re.compile(r"\b(?:Company|Company's|our|its|we)\b")
_SYMBOL_RE = re.compile(_SYMBOL)
_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
_AFTER_STOP = re.compile(r"(?<=[.;])\s+")
_LISTED = re.compile(r"\b(?:shares|listed|trade[sd]?|quoted)\b")
_OWN_REFERENCE = re.compile(r"\b(?:the company|our|its)\b")
_EXCHANGE_AT_END = re.compile(r"(?:" + _EXCHANGE_ALT + r")\s*$")

_HEAD_CHARS = 6000


def extract_metadata(doc: Document) -> tuple[Metadata, list[Issue]]:
    """Company, report type, period, currency, accounting basis, MD&A date and tickers.

    Fields the text does not state are left ``None`` (no guessing). The content hash,
    encoding, line count and source name are the parser's to fill.
    """
    issues: list[Issue] = []
    meta = Metadata()
    try:
        blocks = doc.prose
        head, head_lines = _head(doc, blocks)
        meta.company_name = _company_name(doc, head)
        meta.report_type = _report_type(head)
        ptype, end = _period(head)
        meta.period_type, meta.period_end = ptype, end
        months = PERIOD_MONTHS.get(ptype or "")
        meta.period_start = period_start(end, months or 0)
        meta.fiscal_year = _fiscal_year(head, ptype, end)
        meta.currency = _currency(head, doc)
        meta.accounting_basis = _accounting_basis(blocks)
        meta.effective_date = _effective_date(head, head_lines, blocks, end)
        # A word never spans two sentences: a block says "symbol" when one of its
        # sentences does, and the sentences are lower-cased already.
        symbol_blocks = {s.block for s in sentences(doc) if "symbol" in s.low}
        meta.tickers = _tickers(blocks, company_aliases(doc, meta.company_name), symbol_blocks)
    except Exception as exc:  # noqa: BLE001 - metadata must never stop a parse
        reraise_memory_error(exc)
        issues.append(
            Issue(line=None, kind="metadata", reason=f"metadata could not be read: {exc!r}")
        )
    return meta, issues


def company_aliases(doc: Document, company: str | None) -> set[str]:
    """Lower-case names the filing uses for the company: its name, short names it defines.

    Read once per document and company name (the metadata's tickers and the property
    reader both ask); the set is shared, so callers must not change it.
    """
    return doc.view(
        f"company_aliases:{company}", lambda: _aliases(_head(doc, doc.prose)[0], company)
    )


def _head(doc: Document, blocks: list) -> tuple[str, list[str]]:
    """The opening prose joined into one string, and the opening non-blank lines."""
    parts: list[str] = []
    size = 0
    for b in blocks:
        parts.append(b.text)
        size += len(b.text) + 1
        if size > _HEAD_CHARS:
            break
    lines = [ln.text.strip() for ln in doc.lines[:60] if ln.text.strip()]
    # Blocks are joined with a pilcrow so that no pattern runs from one block into the next.
    return " \u00b6 ".join(parts), lines


def _clean_name(name: str, aliases: list[str] | None = None) -> str:
    name = re.sub(r"\s+", " ", name).strip(" ,;:-")
    words = name.split(" ")
    # "Introduction American Lithium Corp." -> start at the defined short name, if any.
    for alias in aliases or []:
        first = alias.split(" ")[0]
        if first in words[1:]:
            words = words[words.index(first) :]
            break
    while len(words) > 2 and (words[0].lower() in _LEADING_NOISE or words[0] in ("The", "Of")):
        words = words[1:]
    return " ".join(words)


# Pure, and asked about the same opening prose by the company name and the aliases (of
# the metadata and of the property reader): read once per text.
@lru_cache(maxsize=64)
def _defined_names(head: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(name, quoted short names) for each "X Inc. (the "Company")" definition in ``head``."""
    return _definitions(head)


def _definitions(head: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = []
    for am in _ALIAS_RE.finditer(head):
        nm = _NAME_BEFORE_ALIAS.search(head, max(0, am.start() - 200), am.start())
        if nm:
            quoted = [q for q in _QUOTED.findall(am.group("alias")) if q not in _NOT_ALIASES]
            out.append((_clean_name(nm.group("name"), quoted), tuple(quoted)))
    return tuple(out)


def _company_name(doc: Document, head: str) -> str | None:
    defined = _defined_names(head)
    if defined:
        return defined[0][0]
    for tm in _TICKER_THEN_NEWS.finditer(head):
        nm = _NAME_BEFORE_TICKER.search(head, max(0, tm.start() - 200), tm.start())
        if nm:
            return _clean_name(nm.group("name"))
    # A page header line or a title-block line that is a company name.
    candidates = [doc.lines[n - 1].text.strip() for n in sorted(doc.page_header_lines)[:6]]
    candidates += [ln.text.strip() for ln in doc.lines[:40] if ln.text.strip()]
    for cand in candidates:
        mm = _COMPANY_LINE.match(cand)
        if not mm:
            continue
        name = _clean_name(mm.group("name"))
        if name.isupper():
            # Prefer the mixed-case spelling the prose uses, if it uses one.
            for prose in re.finditer(re.escape(name), head, re.I):
                if not prose.group(0).isupper():
                    return prose.group(0)
        return name
    return None


_NOT_ALIASES = frozenset({"Company", "Corporation", "Issuer", "we", "us", "our", "its"})


def company_definitions(doc: Document) -> list[tuple[int, str]]:
    """(line, name) of every "X Inc. (the "Company")" definition in the whole document.

    The metadata reads the opening prose only; a second company defined further on is a
    second filing run into the first (``ingest.checks.concatenation``).
    """
    out: list[tuple[int, str]] = []
    for block in doc.prose:
        # Most paragraphs quote nothing: the pattern only runs on those that do.
        if '"' not in block.text or "(" not in block.text:
            continue
        for name, _ in _definitions(block.text):
            out.append((block.line, name))
    return out


_REPORT_TITLE = re.compile(
    r"discussion\s+(?:&|and)\s+analysis|\bMD&A\b|financial\s+statements|annual\s+report"
    r"|quarterly\s+report|interim\s+report",
    re.I,
)
_FOR_THE = re.compile(r"^\W{0,3}for\s+the\s", re.I)


def title_periods(doc: Document) -> list[tuple[int, str]]:
    """(line, period end) of every title block: a line "For the Year Ended December 31, 2023"
    standing right under a report's title ("Management's Discussion and Analysis").

    A filing's title blocks name one period end (its MD&A's and its statements'); a second
    period end is a second filing run into the first (``ingest.checks.concatenation``).
    """
    out: list[tuple[int, str]] = []
    previous = ""
    for ln in doc.lines:
        if ln.is_blank:
            continue
        text = ln.stripped
        if len(text) <= 120 and _FOR_THE.match(text) and _REPORT_TITLE.search(previous):
            _, end = _period(text)
            if end:
                out.append((ln.no, end))
        previous = text
    return out


def _aliases(head: str, company: str | None) -> set[str]:
    out: set[str] = set()
    if company:
        out.add(company.lower())
        base = re.sub(rf"[\s,]+{_SUFFIX}\.?$", "", company).strip()
        if base and base != company:
            out.add(base.lower())
    for _, quoted in _defined_names(head):
        out.update(q.lower() for q in quoted)
    for m in re.finditer(
        r"the\s+terms\s+((?:\"[^\"]{1,30}\"[\s,]*(?:and\s+|or\s+)?){1,8})mean", head
    ):
        for q in _QUOTED.findall(m.group(1)):
            if q not in _NOT_ALIASES:
                out.add(q.lower())
    return out


def _report_type(head: str) -> str | None:
    if re.search(r"management'?s?\s+discussion\s*(?:&|and)\s*analysis|\bMD&A\b", head, re.I):
        return "MD&A"
    if re.search(
        r"news\s+release|press\s+release|\bannouncement\b|today\s+announced|is\s+pleased\s+to"
        r"\s+(?:announce|report)|\bannounces\b",
        head,
        re.I,
    ):
        return "news release"
    if re.search(r"quarterly\s+(?:activities\s+)?report|quarter\s+ended", head, re.I):
        return "quarterly report"
    # An annual report by another name: "Report and Financial Statements" (UK), "Annual
    # Financial Statements", a 10-K, 20-F or 40-F.
    if re.search(
        r"annual\s+report|\breport\s+and\s+(?:consolidated\s+)?(?:financial\s+statements|accounts)\b"
        r"|annual\s+(?:consolidated\s+)?financial\s+statements|\bform\s+(?:10-K|20-F|40-F)\b",
        head,
        re.I,
    ):
        return "annual report"
    return None


_STATEMENTS_FOR = re.compile(
    r"(?<!interim\s)(?:consolidated\s+)?financial\s+statements\s+(?:as\s+at\s+and\s+)?for\s+"
    r"(?:the\s+(?:fiscal\s+)?year\s+ended\s+)?(?P<date>" + DATE + r")",
    re.I,
)


def _period(head: str) -> tuple[str | None, str | None]:
    m = _PERIOD.search(head)
    if not m:
        sm = _STATEMENTS_FOR.search(head)
        return ("annual", parse_date(sm.group("date"))) if sm else (None, None)
    kind = re.sub(r"\s+", " ", m.group("kind").lower())
    end = parse_date(m.group("date"))
    if m.group("date2"):
        end2 = parse_date(m.group("date2"))
        if end and end2 and end2 > end:
            end = end2
    if "nine" in kind or kind.startswith("3 and 9"):
        ptype = "nine_months"
    elif "six" in kind or kind.startswith(("3 and 6", "6")) or "half" in kind:
        ptype = "six_months"
    elif "year" in kind or "twelve" in kind or kind.startswith("12"):
        ptype = "annual"
    else:
        ptype = "quarter"
    return ptype, end


def _fiscal_year(head: str, ptype: str | None, end: str | None) -> int | None:
    if not end:
        return None
    year = int(end[:4])
    if ptype == "annual":
        return year
    best: tuple[int, str] | None = None
    for m in _YEAR_ENDED.finditer(head):
        d = parse_date(m.group("date"))
        if not d:
            continue
        rank = 1 if _FISCAL_WORDS.search(head, max(0, m.start() - 60), m.start()) else 0
        if best is None or rank > best[0]:
            best = (rank, d)
    if best is None:
        return year
    fy_end = (int(best[1][5:7]), int(best[1][8:10]))
    return year if (int(end[5:7]), int(end[8:10])) <= fy_end else year + 1


def _currency(head: str, doc: Document | None = None) -> str | None:
    """The reporting currency: a statement in the head ("expressed in Canadian dollars") or
    in the running page headers ("(in thousands of Canadian dollars)" on every page), else
    the accounting policies' presentation currency, else the head's most printed currency
    symbol."""
    running = (
        "\n".join(doc.lines[n - 1].text for n in sorted(doc.page_header_lines)[:20]) if doc else ""
    )
    m = _CURRENCY_STATEMENT.search(head) or _CURRENCY_STATEMENT.search(running)
    if m:
        word = m.group("word")
        for pattern, code in DOLLAR_COUNTRIES:
            if re.fullmatch(pattern, word, re.I):
                return code
    stated = _presentation_in(head) or (_presentation_currency(doc) if doc else None)
    if stated:
        return stated
    counts: dict[str, int] = {}
    for sym in DOLLAR_SYMBOL_RE.findall(head):
        code = code_for_symbol(sym, None)
        if code:
            counts[code] = counts.get(code, 0) + 1
    for sym, code in _OTHER_SYMBOLS:
        if head.count(sym):
            counts[code] = counts.get(code, 0) + head.count(sym)
    if counts:
        return max(counts.items(), key=lambda kv: kv[1])[0]
    return None


def _presentation_in(text: str) -> str | None:
    for m in _PRESENTATION.finditer(text):
        found = _currency_name(m.group("cur") or m.group("cur2"))
        if found:
            return found
    return None


def _presentation_currency(doc: Document) -> str | None:
    """The presentation currency an accounting-policy note states, anywhere in the filing."""
    for block in doc.prose:
        if "presented" in block.text or "currency" in block.text or "expressed" in block.text:
            found = _presentation_in(block.text)
            if found:
                return found
    return None


def _currency_name(text: str) -> str | None:
    words = " ".join(text.split())
    if words.lower().endswith(("dollar", "dollars")):
        country = words.rsplit(" ", 1)[0]
        for pattern, code in DOLLAR_COUNTRIES:
            if re.fullmatch(pattern, country, re.I):
                return code
        return None
    return currency_of(words)


_ANY_BASIS = re.compile(
    r"GAAP|IFRS|IAS|generally\s+accepted|International\s+(?:Financial|Accounting)", re.I
)


def _accounting_basis(blocks: list) -> str | None:
    """The basis the financial statements are prepared under, by the first strong statement.

    A strong statement names a basis after "prepared / in accordance with / in conformity
    with" in a sentence about the financial statements, and is not about a transition or
    a reconciliation. Passing mentions only count when there is no strong statement.
    """
    weak: dict[str, int] = {}
    for block in blocks:
        if not _ANY_BASIS.search(block.text):
            continue
        for _, sentence in split_sentences(block.text):
            words = keyword_text(sentence, sentence.lower())
            found = sorted(
                (m.start(), name)
                for name, rx, needs in _BASIS
                if has_any(words, needs)
                for m in rx.finditer(sentence)
            )
            if not found:
                continue
            transition = _TRANSITION.search(sentence)
            verb = _PREPARED.search(sentence)
            if verb and _FS_WORDS.search(sentence) and not transition:
                after = [name for pos, name in found if pos >= verb.start()]
                return after[0] if after else found[0][1]
            if not transition:
                for _, name in found:
                    weak[name] = weak.get(name, 0) + 1
    if weak:
        return max(weak.items(), key=lambda kv: kv[1])[0]
    return None


def _effective_date(head: str, head_lines: list[str], blocks: list, end: str | None) -> str | None:
    m = _EFFECTIVE.search(head)
    if m:
        return parse_date(m.group("d1") or m.group("d2") or "")
    for i, line in enumerate(head_lines[:15]):
        dm = _DATED_LINE.match(line)
        if dm:
            return parse_date(dm.group("d"))
        # A date standing alone in the title block (maybe wrapped over two lines).
        for cand in (line, line + " " + head_lines[i + 1] if i + 1 < len(head_lines) else ""):
            lm = _DATE_LINE.match(cand)
            if lm:
                d = parse_date(lm.group(1))
                if d and (end is None or d > end):
                    return d
        if len(line) > 200:
            break
    latest: str | None = None
    if end:
        for block in blocks:
            if "shares" not in block.text:
                continue
            for sm in _SHARES_AS_AT.finditer(block.text):
                for g in ("date", "date2"):
                    d = parse_date(sm.group(g) or "")
                    if d and d > end and (latest is None or d > latest):
                        latest = d
    return latest


def _exchange_code(text: str) -> str | None:
    m = _EXCHANGE_RE.fullmatch(text.strip())
    if not m:
        return None
    for i, (_, code) in enumerate(_EXCHANGES):
        if m.group(f"x{i}"):
            return code
    return None


def _tickers(
    blocks: list, aliases: set[str], symbol_blocks: set[int] | None = None
) -> list[dict[str, str]]:
    """The company's own listings: ``(TSX: ABC)`` after its name, or "symbol" sentences.

    A ticker in parentheses counts only right after the company's name or a short name
    it defines, so a partner's "(ASX: AGO)" is not taken for the company's.
    ``symbol_blocks``, when given, are the indexes of the non-heading blocks that say
    "symbol" (in any case).
    """
    out: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(exchange: str | None, symbol: str) -> None:
        if exchange and symbol and (exchange, symbol) not in seen:
            seen.add((exchange, symbol))
            out.append({"exchange": exchange, "symbol": symbol})

    for i, block in enumerate(blocks):
        text = block.text
        if ":" in text and "(" in text:
            for pm in _PAREN.finditer(text):
                pairs = list(_PAIR.finditer(pm.group(1)))
                if not pairs or not _is_own(text, pm.start(), aliases):
                    continue
                for p in pairs:
                    if p.group("ex"):
                        add(_exchange_code(p.group("ex")), p.group("sym"))
                    elif _exchange_code(p.group("sym2")) is None:
                        add(_exchange_code(p.group("ex2")), p.group("sym2"))
        if symbol_blocks is not None and not block.heading and i not in symbol_blocks:
            continue
        low = text.lower()
        if "symbol" not in low:
            continue
        if not _OWN_WORDS.search(text) and not any(a in low for a in aliases):
            continue
        previous: str | None = None
        for _, sentence in split_sentences(text):
            exchanges = _live_exchanges(sentence)
            for sm in _SYMBOL_STATEMENT.finditer(sentence):
                before = [code for pos, code in exchanges if pos < sm.start()]
                exchange = before[-1] if before else previous
                for sym in _QUOTED.findall(sm.group("list")):
                    if _SYMBOL_RE.fullmatch(sym):
                        add(exchange, sym)
            if exchanges:
                previous = exchanges[-1][1]
    return out


def _live_exchanges(sentence: str) -> list[tuple[int, str]]:
    """Exchanges named in a sentence, leaving out those the shares left ("discontinued")."""
    found = []
    for m in _EXCHANGE_RE.finditer(sentence):
        if _STOP_EXCHANGE.search(sentence[max(0, m.start() - 40) : m.start()]):
            continue
        code = _exchange_code(m.group(0))
        if code:
            found.append((m.start(), code))
    return found


def _is_own(text: str, paren_start: int, aliases: set[str]) -> bool:
    """Whether the ticker parenthesis at ``paren_start`` follows the company's own name."""
    if not aliases:
        return False
    before = text[max(0, paren_start - 240) : paren_start]
    # Skip alias parentheses between name and ticker: Name ("Alias" or "Company") (TSX: X)
    for _ in range(2):
        before = _TRAILING_PAREN.sub("", before)
    tail = before.rstrip(" ,").lower()
    if any(tail.endswith(alias) for alias in aliases):
        return True
    # "X's ordinary shares are listed on the Australian Securities Exchange (ASX: XYZ)"
    if _EXCHANGE_AT_END.search(before):
        sentence = _AFTER_STOP.split(before)[-1]
        low = sentence.lower()
        return bool(_LISTED.search(low)) and (
            any(a in low for a in aliases) or _OWN_REFERENCE.search(low) is not None
        )
    return False
