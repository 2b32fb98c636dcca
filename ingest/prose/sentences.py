"""Reading prose: paragraphs and sentences, money amounts, dates and period phrases.

The prose extractors (metadata, properties, narrative facts) all read the same things
out of a filing's sentences. ``prose_blocks`` / ``sentences`` rejoin paragraphs across
page breaks and wrapped lines and split them into sentences with their line numbers,
built once per document; ``find_amounts`` reads money ("C$1.2 million"), ``parse_date``
and ``DATE`` read dates as prose prints them, ``period_refs`` reads period phrases ("for
the year ended <date>", "as at <date>", "in FY2023").
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple, TypeVar

from .model import Metadata
from .text import Document

# --- dates ----------------------------------------------------------------------------

_MONTH_NUMBERS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# "December 31, 2020", "31 December 2020", "30 JUNE 2021", "Dec. 31 2020", "2020-12-31".
DATE = (
    rf"(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+(?:19|20)\d\d"
    r"|(?:19|20)\d\d-\d\d-\d\d)"
)
_DATE_PARTS = re.compile(
    r"(?P<y0>\d{4})-(?P<m0>\d{2})-(?P<d0>\d{2})"
    r"|(?P<mon1>[A-Za-z]{3,9})\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon2>[A-Za-z]{3,9})\.?,?\s+(?P<y2>\d{4})"
)


def parse_date(text: str) -> str | None:
    """An ISO date from "December 31, 2020", "31 December 2020" or "2020-12-31"; else None."""
    m = _DATE_PARTS.search(text or "")
    if not m:
        return None
    try:
        if m.group("y0"):
            y, mo, d = int(m.group("y0")), int(m.group("m0")), int(m.group("d0"))
        elif m.group("mon1"):
            mo = _MONTH_NUMBERS.get(m.group("mon1")[:3].lower(), 0)
            y, d = int(m.group("y1")), int(m.group("d1"))
        else:
            mo = _MONTH_NUMBERS.get(m.group("mon2")[:3].lower(), 0)
            y, d = int(m.group("y2")), int(m.group("d2"))
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


# --- currencies and amounts -----------------------------------------------------------

_SYMBOLS = {
    "US$": "USD",
    "U.S.$": "USD",
    "USD": "USD",
    "USD$": "USD",
    "C$": "CAD",
    "CDN$": "CAD",
    "CDN.$": "CAD",
    "CAD$": "CAD",
    "CAD": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "AUD$": "AUD",
    "AUD": "AUD",
    "$A": "AUD",
    "NZ$": "NZD",
    "HK$": "HKD",
}


def currency_for_symbol(symbol: str, default: str | None) -> str | None:
    """ISO code for a printed currency prefix ("C$", "Cdn $", "A$"); "$" gives ``default``."""
    key = "".join((symbol or "").split()).upper()
    if key in ("$", ""):
        return default
    return _SYMBOLS.get(key, default)


# Amounts are found from their "$" (a fast string search), then read outwards: the
# prefix that names the currency just before it, the number and scale word after it.
_CURRENCY_BEFORE = re.compile(
    r"(?<![A-Za-z0-9])(?:US|U\.S\.|USD|C|Cdn\.?|CDN|CAD|A|AU|AUD|NZ|HK)\s?$", re.I
)
_NUMBER_AFTER = re.compile(
    r"(?P<a>A(?=\d))?\s?(?:(?P<paren>\()\s?(?P<pnum>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\)"
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?))"
    r"(?:\s?(?P<scale>million|billion|thousand|mm|bn|[MBK](?![a-zA-Z])|m(?![a-zA-Z/])))?"
)
# The last letters of the prefixes (and what re.IGNORECASE takes for them: "ſ" for "s",
# the Kelvin sign for "k"). A prefix ends at most two characters (a space, a line end)
# before the "$", so without one of these in the three before it there is none.
_CURRENCY_LAST = frozenset("SsDdCcNnAaUuZzKk.\u017f\u212a")
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mm": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
}
_APPROX = re.compile(
    r"(?:approximately|approx\.|about|roughly|around|circa|some|~|an\s+estimated)\s*(?:the\s+)?$",
    re.I,
)
# Every match of ``_APPROX`` holds one of these: a sentence with none needs no search.
_APPROX_WORDS = ("approx", "about", "roughly", "around", "circa", "some", "~", "estimated")


def keyword_text(text: str, low: str) -> str:
    """``low`` (``text.lower()``) made safe for substring tests that stand in for a
    case-insensitive pattern: the letters that ``re.IGNORECASE`` takes for "s", "i" and
    "k" but ``str.lower`` keeps ("ſ", "ı", "İ"; the Kelvin sign already lowers to "k")
    become those letters, so a test on it never misses what the pattern would match."""
    if text.isascii():
        return low
    return low.replace("\u017f", "s").replace("\u0131", "i").replace("i\u0307", "i")


_DIGIT = re.compile(r"\d")


def has_digit(text: str) -> bool:
    """Whether ``text`` holds a digit (anything ``\\d`` matches).

    Ten searches for one character each are several times faster than the pattern; only
    text with other than ASCII characters, which may hold other digits, needs the pattern.
    """
    if (
        "0" in text
        or "1" in text
        or "2" in text
        or "3" in text
        or "4" in text
        or "5" in text
        or "6" in text
        or "7" in text
        or "8" in text
        or "9" in text
    ):
        return True
    return not text.isascii() and _DIGIT.search(text) is not None


def has_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``words`` (a plain loop: ``any`` over a generator is
    slower, and these tests run for every sentence)."""
    for w in words:
        if w in text:
            return True
    return False


class Amount(NamedTuple):
    start: int
    end: int
    value: float
    unit: str
    approximate: bool
    currency_assumed: bool


def find_amounts(text: str, currency: str | None, low: str | None = None) -> list[Amount]:
    """Money amounts in ``text`` with scale applied and the currency resolved.

    ``low`` is ``text.lower()`` when the caller has it.
    """
    out: list[Amount] = []
    i = text.find("$")
    if i < 0:
        return out
    words = keyword_text(text, text.lower() if low is None else low)
    approx = has_any(words, _APPROX_WORDS)
    while i >= 0:
        m = _NUMBER_AFTER.match(text, i + 1)
        nxt = text.find("$", i + 1)
        if m is None:
            i = nxt
            continue
        pm = (
            None
            if _CURRENCY_LAST.isdisjoint(text[max(0, i - 3) : i])
            else _CURRENCY_BEFORE.search(text, max(0, i - 5), i)
        )
        start = pm.start() if pm else i
        symbol = (pm.group(0) if pm else "") + "$" + ("A" if m.group("a") else "")
        try:
            value = float((m.group("num") or m.group("pnum")).replace(",", ""))
        except ValueError:
            i = nxt
            continue
        value *= _SCALES.get((m.group("scale") or "").lower(), 1.0)
        if m.group("paren"):
            value = -value
        unit = currency_for_symbol(symbol, currency)
        out.append(
            Amount(
                start,
                m.end(),
                value,
                unit or "USD",
                approx and _APPROX.search(text, max(0, start - 24), start) is not None,
                unit is None,
            )
        )
        i = nxt if nxt < 0 or nxt >= m.end() else text.find("$", m.end())
    return out


def to_number(text: str) -> float | None:
    """A float from "1,250" or "62.5"; None when it is not a number."""
    try:
        return float(text.replace(",", ""))
    except (AttributeError, ValueError):
        return None


# --- prose blocks and sentences -------------------------------------------------------


# Blocks and sentences are named tuples, not frozen dataclasses: a filing has hundreds of
# them and a frozen dataclass takes several times as long to build.
class Block(NamedTuple):
    """A paragraph, a bullet item or a heading, rejoined across page breaks and wraps."""

    line: int
    text: str
    starts: tuple[tuple[int, int], ...]  # (offset in text, line number) per source line
    heading: bool = False

    def line_at(self, offset: int) -> int:
        line = self.line
        for off, no in self.starts:
            if off > offset:
                break
            line = no
        return line


class Sentence(NamedTuple):
    line: int
    text: str
    block: int  # index into the blocks list
    section: str  # level-1 heading above it
    subsection: str  # nearest heading of any level above it
    heading_line: int = 0  # line of that nearest heading (0 before the first)
    low: str = ""  # ``text.lower()``, made once for the extractors' keyword tests
    digit: bool = False  # whether the text holds a digit (``has_digit``)


# ``tuple.__new__(Block, fields)`` builds a named tuple without the Python-level
# ``__new__`` that checks and defaults the fields: half the time, for the hundreds of
# blocks and sentences of a filing (every field is given).
_new = tuple.__new__
_BULLET = re.compile(r"^(?:[-*•·▪§]|\(?[a-z0-9]{1,3}[.)])\s+")
_CLOSERS = "\"')]"
_CONTINUES = frozenset("abcdefghijklmnopqrstuvwxyz0123456789$(")


def _ends_sentence(text: str) -> bool:
    # A terminal mark followed only by closing quotes and brackets.
    text = text.rstrip(_CLOSERS)
    return bool(text) and text[-1] in ".:;!?"


_T = TypeVar("_T")
# The three prose extractors read the same blocks and sentences of one document; they
# are built once per document (a ``Document`` is not changed after ``text.load``).
_CACHE: dict[tuple[str, int], tuple[weakref.ref, Any]] = {}


def _cached(doc: Document, kind: str, build: Callable[[], _T]) -> _T:
    key = (kind, id(doc))
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is doc:
        return hit[1]
    value = build()
    if len(_CACHE) > 32:
        _CACHE.clear()
    _CACHE[key] = (weakref.ref(doc), value)
    return value


def prose_blocks(doc: Document) -> tuple[Block, ...]:
    """Prose paragraphs, bullets and headings as blocks, without page headers or tables."""
    return _cached(doc, "blocks", lambda: tuple(_build_blocks(doc)))


def _build_blocks(doc: Document) -> list[Block]:
    heading_lines = {s.line for s in doc.sections}
    page_headers = doc.page_header_lines
    blocks: list[Block] = []
    parts: list[str] = []
    starts: list[tuple[int, int]] = []
    length = 0
    last_no = -10
    crossed_header = False
    pending_heading = False
    for ln in doc.lines:
        no = ln.no
        if no in page_headers:
            crossed_header = True
            continue
        text = ln.text.strip()
        if not text:
            continue
        if text[0] == "|" or "\t" in ln.text:
            if parts:
                blocks.append(
                    _new(Block, (starts[0][1], " ".join(parts), tuple(starts), pending_heading))
                )
            parts, starts, length, pending_heading = [], [], 0, False
            crossed_header = False
            last_no = -10
            continue
        is_heading = no in heading_lines
        join = False
        if (
            parts
            and (crossed_header or no == last_no + 1)
            and not pending_heading
            and not is_heading
            and not _BULLET.match(text)
        ):
            if crossed_header:
                join = text[0] in _CONTINUES and not _ends_sentence(parts[-1])
            else:
                join = text[0].islower() or not _ends_sentence(parts[-1])
        if join:
            starts.append((length + 1, no))
            parts.append(text)
            length += 1 + len(text)
        else:
            if parts:
                blocks.append(
                    _new(Block, (starts[0][1], " ".join(parts), tuple(starts), pending_heading))
                )
            parts, starts, length = [text], [(0, no)], len(text)
            pending_heading = is_heading
        last_no = no
        crossed_header = False
    if parts:
        blocks.append(_new(Block, (starts[0][1], " ".join(parts), tuple(starts), pending_heading)))
    return blocks


# A sentence ends at ".", "!" or "?" (then closing quotes or brackets) before a space and
# a capital, a digit or "$". One pattern per mark: a pattern that starts with a literal is
# searched for many times faster than one that starts with a set of characters.
_END_AFTER = r"[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9$])"
_DOT_END = re.compile(r"\." + _END_AFTER)
_OTHER_ENDS = (("!", re.compile("!" + _END_AFTER)), ("?", re.compile(r"\?" + _END_AFTER)))
_ABBREV = frozenset(
    "inc ltd corp co no nos mr mrs ms dr st vs e.g i.e etc approx jan feb mar apr jun jul aug"
    " sep sept oct nov dec u.s u.k p.geol p.eng pty fig figs ref cf al vol op ph.d b.sc m.sc"
    " s.a n.l".split()
)
_NAME_ABBREV = frozenset({"inc", "ltd", "corp", "co", "pty", "s.a", "n.l"})
_OPENERS = frozenset(
    "The This These That Those In On During For As At Under It Its Our We Since Following"
    " Subsequent After Before Pursuant Each All Such Both Further Management".split()
)


def _sentence_ends(text: str) -> list[re.Match[str]]:
    ends = list(_DOT_END.finditer(text))
    other = [m for mark, rx in _OTHER_ENDS if mark in text for m in rx.finditer(text)]
    if other:
        # The marks' matches never overlap: each holds one mark, and closers and spaces.
        ends = sorted(ends + other, key=lambda m: m.start())
    return ends


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; abbreviations such as "Inc." and "U.S." do not end one.

    A company suffix ("Corp.", "Ltd.") does end a sentence when a number or a usual
    sentence opener ("The", "In", "During") follows it.
    """
    out: list[tuple[int, str]] = []
    begin = 0
    for m in _sentence_ends(text):
        p = m.start()
        sp = text.rfind(" ", max(begin, p - 30), p)
        word = text[sp + 1 : p].strip("(\"'").lower()
        if len(word) <= 8 and (
            word in _ABBREV or (len(word) == 1 and word.isalpha()) or "." in word
        ):
            nxt = text[m.end() : m.end() + 16].split(None, 1)
            first = nxt[0].strip("\"'(") if nxt else ""
            if not (word in _NAME_ABBREV and (first[:1].isdigit() or first in _OPENERS)):
                continue
        out.append((begin, text[begin : m.end()].strip()))
        begin = m.end()
    if begin < len(text) and text[begin:].strip():
        out.append((begin, text[begin:].strip()))
    return out


def sentences(doc: Document) -> tuple[Sentence, ...]:
    """Every prose sentence with its line number and the headings above it."""
    return _cached(doc, "sentences", lambda: tuple(_build_sentences(doc)))


def _build_sentences(doc: Document) -> list[Sentence]:
    blocks = prose_blocks(doc)
    sections = doc.sections
    out: list[Sentence] = []
    si = 0
    section = subsection = ""
    heading_line = 0
    for bi, block in enumerate(blocks):
        while si < len(sections) and sections[si].line <= block.line:
            sec = sections[si]
            subsection = sec.title
            heading_line = sec.line
            if sec.level == 1:
                section = sec.title
            si += 1
        if block.heading:
            continue
        starts = block.starts
        for offset, text in split_sentences(block.text):
            line = block.line if len(starts) == 1 else block.line_at(offset)
            digit = has_digit(text)
            out.append(
                _new(
                    Sentence,
                    (line, text, bi, section, subsection, heading_line, text.lower(), digit),
                )
            )
    return out


# --- periods in prose -----------------------------------------------------------------

_MONTHS_OF = {"three": 3, "3": 3, "six": 6, "6": 6, "nine": 9, "9": 9, "twelve": 12, "12": 12}
_PERIOD_PHRASE = re.compile(
    r"(?:for|in|during|over|of)\s+(?:the\s+)?(?:fiscal\s+|financial\s+)?"
    r"(?P<kind>years?|(?:three|six|nine|twelve|3|6|9|12)[- ]months?|quarter|half[- ]year)"
    r"\s+(?:then\s+)?(?:ended|ending)\s+(?P<d1>" + DATE + r")"
    r"|(?:as\s+at|as\s+of|at|of|on|to)\s+(?P<d2>" + DATE + r")"
    r"|(?:(?:for|in|during)\s+)?(?:fiscal\s+|FY\s?)(?P<fy>(?:19|20)\d\d)\b"
    r"|(?:for|in|during)\s+(?P<year>(?:19|20)\d\d)\b(?!-)",
    re.I,
)
# Where a period phrase can start; the full pattern is only tried there.
_PERIOD_START = re.compile(r"for|in|during|over|of|as|at|on|to|fiscal|FY", re.I)
# The same on lower-cased ASCII text, where a case-sensitive search is several times faster.
_PERIOD_START_LOWER = re.compile(r"for|in|during|over|of|as|at|on|to|fiscal|fy")
_YEAR = re.compile(r"(?:19|20)\d\d")


class PeriodRef(NamedTuple):
    start: int
    end: int
    period_end: str | None
    months: int | None  # None for a bare date (an instant or unknown span)
    year: int | None = None


def year_end_of(meta: Metadata) -> tuple[int, int] | None:
    """(month, day) of the filing's fiscal year end, when an annual filing states it."""
    end = meta.period_end
    if meta.period_type == "annual" and end and len(end) == 10:
        return int(end[5:7]), int(end[8:10])
    return None


def year_end_date(year: int, month_day: tuple[int, int] | None) -> str | None:
    """The fiscal year end (``month_day``) in ``year`` (the 28th for a day the month lacks)."""
    if month_day is None:
        return None
    try:
        return date(year, *month_day).isoformat()
    except ValueError:
        return date(year, month_day[0], 28).isoformat()


def period_refs(text: str, year_end: tuple[int, int] | None = None) -> list[PeriodRef]:
    """Period phrases in ``text``: "for the year ended <date>", "at <date>", "in FY2023".

    A bare year ("in 2023", "FY2023") is a fiscal year; it gets a period end only when
    ``year_end`` (the filing's fiscal year-end month and day) is known.
    """
    out: list[PeriodRef] = []
    last = 0
    starts: re.Pattern[str] | None = None
    scan = text
    # Every period phrase ends with a year: find the years (a quick scan), then the phrase
    # that ends there, starting at one of the words a phrase can start with.
    for ym in _YEAR.finditer(text):
        if ym.start() < last:
            continue
        if starts is None:
            starts = _PERIOD_START
            if text.isascii():  # lower-casing keeps every offset
                starts, scan = _PERIOD_START_LOWER, text.lower()
        m = None
        for hit in starts.finditer(scan, max(last, ym.start() - 70), ym.start()):
            i = hit.start()
            if i and text[i - 1].isalnum():
                continue
            m = _PERIOD_PHRASE.match(text, i)
            if m is not None and m.end() >= ym.end():
                break
            m = None
        if m is None:
            continue
        last = m.end()
        if m.group("d1"):
            kind = m.group("kind").lower()
            months = 12
            for word, n in _MONTHS_OF.items():
                if kind.startswith(word):
                    months = n
            if kind.startswith("quarter"):
                months = 3
            if kind.startswith("half"):
                months = 6
            out.append(PeriodRef(m.start(), m.end(), parse_date(m.group("d1")), months))
        elif m.group("d2"):
            out.append(PeriodRef(m.start(), m.end(), parse_date(m.group("d2")), None))
        else:
            year = int(m.group("fy") or m.group("year"))
            out.append(PeriodRef(m.start(), m.end(), year_end_date(year, year_end), 12, year))
    return out


# Standard MD&A sections that never present a property or a fact of the period (risk
# factors, forward-looking statements, accounting policies, controls): skipping them saves
# a third of the reading.
_BOILERPLATE = re.compile(
    r"forward[- ]looking|\brisks?\b|critical\s+accounting|accounting\s+polic|disclosure\s+controls"
    r"|internal\s+control|financial\s+instruments|non-(?:u\.s\.\s+)?(?:gaap|ifrs)|cautionary"
    r"|international\s+financial\s+reporting|off-balance",
    re.I,
)


# Every match of ``_BOILERPLATE`` holds one of these.
_BOILERPLATE_WORDS = (
    "forward",
    "risk",
    "critical",
    "polic",
    "disclosure",
    "internal",
    "instruments",
    "non-",
    "cautionary",
    "international",
    "off-balance",
)


def is_boilerplate(heading: str, seen: dict[str, bool]) -> bool:
    """True for a standard section heading; ``seen`` memoises per document."""
    found = seen.get(heading)
    if found is None:
        found = seen[heading] = (
            bool(heading)
            and has_any(keyword_text(heading, heading.lower()), _BOILERPLATE_WORDS)
            and _BOILERPLATE.search(heading) is not None
        )
    return found
