"""Dates and reporting periods as printed in headers and prose.

"Three Months Ended September 30, 2012" becomes end 2012-09-30, 3 months, start
2012-07-01; "As at December 31, 2012" is an instant (0 months); a year-only header "2013"
takes the filing's fiscal year end.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

from ..model import Metadata, Period

# One grammar for dates, in headers and in prose. "Sept." and "June" are months; a word
# that only starts like one ("Mayor") is not.
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_MONTH_NUMBERS = {
    m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())
}
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR4 = r"(?:19|20)\d\d"
# "December 31, 2020", "31 December 2020", "30 JUNE 2021", "Dec. 31 2020", "2020-12-31":
# DATE to use inside other patterns (case-insensitive), DATE_RE to read one.
DATE = (
    rf"(?:{MONTH}\s+{_DAY},?\s+{_YEAR4}"
    rf"|{_DAY}\s+{MONTH},?\s+{_YEAR4}"
    rf"|{_YEAR4}-\d\d-\d\d)"
)
DATE_RE = re.compile(
    rf"(?P<m1>{MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>{_YEAR4})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{MONTH}),?\s+(?P<y2>{_YEAR4})"
    rf"|(?P<y3>{_YEAR4})-(?P<m3>\d\d)-(?P<d3>\d\d)",
    re.I | re.A,
)
_SPAN_WORDS = {
    "three": 3,
    "3": 3,
    "six": 6,
    "6": 6,
    "nine": 9,
    "9": 9,
    "twelve": 12,
    "12": 12,
}
_SPAN_RE = re.compile(
    r"\b(?P<n>three|six|nine|twelve|3|6|9|12)[\s-]+months?\b|\b(?P<q>quarters?)\b"
    r"|\b(?P<y>years?|fiscal\s+years?|annual|twelve\s+months)\b",
    # ASCII: with full Unicode case folding "nıne" (dotless i) would match and miss the table.
    re.I | re.A,
)
_INSTANT_RE = re.compile(r"\b(?:as\s+(?:at|of)|balance|at)\b", re.I)
_QUARTER_RE = re.compile(r"\bQ([1-4])[\s/-]*(?:F|FY)?'?((?:19|20)?\d\d)\b", re.I)
# "Sep 2023 Qtr", "Sep Qtr 2023", "September 2023 Quarter", "Quarter ended Sep-23": a
# quarter named by the month it ends in (Australian reports print them so), no day.
_MONTH_QUARTER_RE = re.compile(
    rf"^(?:(?:the\s+)?quarter\s+end(?:ed|ing)\s+)?(?P<m>{MONTH})[\s'-]*(?:(?P<q1>qtr|quarter)\.?\s*)?"
    rf"'?(?P<y>{_YEAR4}|\d\d)\s*(?P<q2>qtr|quarter)?\.?\s*$",
    re.I,
)
_YEAR_ONLY_RE = re.compile(r"^\s*(?:FY\s?|F|fiscal\s+)?((?:19|20)\d\d)\s*$", re.I)
# "YTD 2022", "Year to date 2022", "9M 2021", "Six months 2022": the filing's own interim
# period in that year.
_TO_DATE_RE = re.compile(
    r"^\s*(?:YTD|year[\s-]to[\s-]date|(?P<n>three|six|nine|3|6|9)[\s-]?(?:M|months?))"
    r"\s*(?:FY\s?)?(?P<y>(?:19|20)\d\d)\s*$",
    re.I,
)


def has_date(text: str) -> bool:
    """Whether ``text`` holds a full date (``DATE_RE.search``).

    Every date holds its year's first two digits, "19" or "20": text without them (most
    table cells, most sentences) needs no search.
    """
    return ("19" in text or "20" in text) and DATE_RE.search(text) is not None


# Pure, and asked about the same few dates many times (a phrase's date group, a header):
# read once per text.
@lru_cache(maxsize=4096)
def parse_date(text: str) -> date | None:
    """The first full date in ``text``."""
    if "19" not in text and "20" not in text:
        return None  # no year, no date (see ``has_date``)
    for m in DATE_RE.finditer(text):
        d = _match_date(m)
        if d:
            return d
    return None


def find_dates(text: str) -> list[tuple[int, date]]:
    """All full dates in ``text`` with their offsets."""
    out: list[tuple[int, date]] = []
    if "19" not in text and "20" not in text:
        return out  # no year, no date (see ``has_date``)
    for m in DATE_RE.finditer(text):
        d = _match_date(m)
        if d:
            out.append((m.start(), d))
    return out


def _match_date(m: re.Match[str]) -> date | None:
    try:
        if m.group("m1"):
            month = _MONTH_NUMBERS.get(m.group("m1").lower()[:3])
            day, year = int(m.group("d1")), int(m.group("y1"))
        elif m.group("m2"):
            month = _MONTH_NUMBERS.get(m.group("m2").lower()[:3])
            day, year = int(m.group("d2")), int(m.group("y2"))
        else:
            year, month, day = int(m.group("y3")), int(m.group("m3")), int(m.group("d3"))
        if not month:
            return None
        return date(year, month, day)
    except ValueError:
        return None


def months_before(end: date, months: int) -> date:
    """First day of the period of ``months`` months ending on ``end``."""
    month_end = end.day == calendar.monthrange(end.year, end.month)[1]
    y, m = end.year, end.month - months
    while m <= 0:
        m += 12
        y -= 1
    if month_end:
        last = calendar.monthrange(y, m)[1]
        return date(y, m, last) + timedelta(days=1)
    day = min(end.day, calendar.monthrange(y, m)[1])
    return date(y, m, day) + timedelta(days=1)


def make_period(end: date | None, months: int, label: str) -> Period:
    if end is None:
        return Period(end=None, months=months, label=label)
    start = months_before(end, months).isoformat() if months else None
    return Period(end=end.isoformat(), months=months, start=start, label=label)


def parse_period(
    text: str,
    *,
    year_end: tuple[int, int] | None = None,
    bare_date_months: int = 0,
    interim: tuple[int, int, int] | None = None,
) -> Period | None:
    """Read a period from a header such as "Nine Months Ended September 30, 2012".

    ``year_end`` (month, day) places year-only headers ("2013") and fiscal quarters ("Q3
    2012"); ``bare_date_months`` is what a date with no span words means: 0 (a balance)
    in most tables, 3 in a table of quarters. ``interim`` (month, day, months) is an
    interim filing's own period, which "YTD 2022" and "6M 2022" name.
    """
    label = " ".join(text.split())
    if not label:
        return None
    td = _TO_DATE_RE.match(label) if label[:1] in "YyTtSsNn369" else None
    if td and interim:
        month, day, months = interim
        if td.group("n"):
            months = _SPAN_WORDS[td.group("n").lower()]
        return make_period(_safe_date(int(td.group("y")), month, day), months, label)
    m = _YEAR_ONLY_RE.match(label)
    if m:
        month, day = year_end or (12, 31)
        year = int(m.group(1))
        return make_period(_safe_date(year, month, day), 12, label)
    mq = _MONTH_QUARTER_RE.match(label) if "q" in label.lower() else None
    if mq and (mq.group("q1") or mq.group("q2") or label.lower().startswith(("quarter", "the"))):
        month = _MONTH_NUMBERS[mq.group("m").lower()[:3]]
        year = int(mq.group("y"))
        year += 2000 if year < 100 else 0
        return make_period(_safe_date(year, month, 31), 3, label)
    q = _QUARTER_RE.search(label)
    if q and not has_date(label):
        return _fiscal_quarter(int(q.group(1)), q.group(2), year_end, label)
    end = parse_date(label)
    if end is None:
        # "Year Ended December 31" over a separate "2012" row: the caller joins them.
        return None
    span = _SPAN_RE.search(label)
    if span:
        if span.group("n"):
            months = _SPAN_WORDS[span.group("n").lower()]
        elif span.group("q"):
            months = 3
        else:
            months = 12
        return make_period(end, months, label)
    if _INSTANT_RE.search(label):
        return make_period(end, 0, label)
    return make_period(end, bare_date_months, label)


def _fiscal_quarter(
    quarter: int, year_text: str, year_end: tuple[int, int] | None, label: str
) -> Period | None:
    year = int(year_text)
    if year < 100:
        year += 2000 if year < 70 else 1900
    end_month, _ = year_end or (12, 31)
    # Fiscal quarter q of fiscal year Y ends (4 - q) * 3 months before the year end.
    month = end_month - (4 - quarter) * 3
    y = year
    while month <= 0:
        month += 12
        y -= 1
    end = _safe_date(y, month, calendar.monthrange(y, month)[1])
    return make_period(end, 3, label)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, min(day, calendar.monthrange(year, month)[1]))
    except ValueError:
        return None


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def iso_date(text: str) -> str | None:
    """The first full date in ``text`` as an ISO string, or None."""
    found = parse_date(text or "")
    return found.isoformat() if found else None


# Months a filing's own period covers, by its period type.
PERIOD_MONTHS = {"annual": 12, "quarter": 3, "six_months": 6, "nine_months": 9}


def annual_year_end(meta: Metadata) -> tuple[int, int] | None:
    """``year_end_of`` for an annual filing only. In an interim filing's prose a bare year
    ("(2023 - $3.2 million)") is the same period a year earlier, not a fiscal year."""
    return year_end_of(meta) if meta.period_type == "annual" else None


def year_end_of(meta: Metadata) -> tuple[int, int] | None:
    """(month, day) of the filing's fiscal year end: an annual filing's period end, or the
    day before an interim period's start, one year on; None when neither is stated."""
    if meta.period_end and meta.period_type == "annual" and len(meta.period_end) == 10:
        return int(meta.period_end[5:7]), int(meta.period_end[8:10])
    if meta.period_start and meta.period_type:
        # An interim's fiscal year ends the day before its start date plus one year.
        y, m, d = (int(x) for x in meta.period_start.split("-"))
        m -= 1
        if m == 0:
            m = 12
        return m, calendar.monthrange(y, m)[1] if d == 1 else d
    return None


def year_end_date(year: int, month_day: tuple[int, int] | None) -> str | None:
    """The fiscal year end (``month_day``) in ``year`` (the 28th for a day the month lacks)."""
    if month_day is None:
        return None
    try:
        return date(year, *month_day).isoformat()
    except ValueError:
        return date(year, month_day[0], 28).isoformat()
