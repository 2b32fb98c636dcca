"""Period phrases in prose: "for the year ended <date>", "as at <date>", "in FY2023"."""

from __future__ import annotations

import re
from typing import NamedTuple

from ..lexicon.dates import DATE, iso_date, year_end_date

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
            out.append(PeriodRef(m.start(), m.end(), iso_date(m.group("d1")), months))
        elif m.group("d2"):
            out.append(PeriodRef(m.start(), m.end(), iso_date(m.group("d2")), None))
        else:
            year = int(m.group("fy") or m.group("year"))
            out.append(PeriodRef(m.start(), m.end(), year_end_date(year, year_end), 12, year))
    return out
