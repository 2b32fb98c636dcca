"""Dates and reporting periods as printed in headers and prose.

"Three Months Ended September 30, 2012" becomes end 2012-09-30, 3 months, start
2012-07-01; "As at December 31, 2012" is an instant (0 months); a year-only header "2013"
takes the filing's fiscal year end.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from ..model import Metadata, Period

MONTHS = {
    name.lower(): i
    for i in range(1, 13)
    for name in (calendar.month_name[i], calendar.month_abbr[i])
}
MONTHS["sept"] = 9
MONTH_PATTERN = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# "December 31, 2012", "Dec. 31 2012", "31 December 2012", "2012-12-31"
DATE_RE = re.compile(
    rf"(?P<m1>{MONTH_PATTERN})\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{MONTH_PATTERN}),?\s+(?P<y2>(?:19|20)\d\d)"
    r"|(?P<y3>(?:19|20)\d\d)-(?P<m3>\d\d)-(?P<d3>\d\d)",
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
_YEAR_ONLY_RE = re.compile(r"^\s*(?:FY|F|fiscal\s+)?((?:19|20)\d\d)\s*$", re.I)


def parse_date(text: str) -> date | None:
    """The first full date in ``text``."""
    for m in DATE_RE.finditer(text):
        d = _match_date(m)
        if d:
            return d
    return None


def find_dates(text: str) -> list[tuple[int, date]]:
    """All full dates in ``text`` with their offsets."""
    out = []
    for m in DATE_RE.finditer(text):
        d = _match_date(m)
        if d:
            out.append((m.start(), d))
    return out


def _match_date(m: re.Match[str]) -> date | None:
    try:
        if m.group("m1"):
            month = MONTHS.get(m.group("m1").lower().rstrip(".")[:3])
            day, year = int(m.group("d1")), int(m.group("y1"))
        elif m.group("m2"):
            month = MONTHS.get(m.group("m2").lower().rstrip(".")[:3])
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
) -> Period | None:
    """Read a period from a header such as "Nine Months Ended September 30, 2012".

    ``year_end`` (month, day) places year-only headers ("2013") and fiscal quarters ("Q3
    2012"); ``bare_date_months`` is what a date with no span words means: 0 (a balance)
    in most tables, 3 in a table of quarters.
    """
    label = " ".join(text.split())
    if not label:
        return None
    m = _YEAR_ONLY_RE.match(label)
    if m:
        month, day = year_end or (12, 31)
        year = int(m.group(1))
        return make_period(_safe_date(year, month, day), 12, label)
    q = _QUARTER_RE.search(label)
    if q and not DATE_RE.search(label):
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


# --- dates as prose prints them, for use inside other patterns ------------------------

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


def iso_date(text: str) -> str | None:
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
