"""Price-deck scenarios of a study: base, spot, consensus, low and high."""

from __future__ import annotations

import re

from . import dates

# Printed words -> the scenario stored. "Upside" and "bull" are the high case.
SCENARIOS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bspot\b", re.I), "spot"),
    (re.compile(r"\bbase\b", re.I), "base"),
    (re.compile(r"\bconsensus\b", re.I), "consensus"),
    (re.compile(r"\b(?:low|downside|bear)\b", re.I), "low"),
    (re.compile(r"\b(?:high|upside|bull)\b", re.I), "high"),
]
# A scenario named in a sentence: "the base case", "at spot prices", "at consensus".
IN_TEXT = re.compile(
    r"\b(base|spot|low|high|upside|downside|consensus)\s+(?:case|price)s?\b|\bat\s+(consensus)\b"
    r"|\b(spot)\s+(?:metal\s+)?prices?\b|\b(consensus)\b",
    re.I,
)
# "Spot Case (Oct 15/2012)": a price date printed with a slash.
_SLASH_DATE = re.compile(rf"\b({dates.MONTH})\s+(\d{{1,2}})\s*/\s*((?:19|20)\d\d)\b", re.I)


def scenario_of(header: str) -> tuple[str, str | None]:
    """A column header as (scenario, price date): "Spot Case (Jun 30/2020)" -> ("spot", "2020-06-30").

    Known scenarios are "base", "spot", "consensus", "low" and "high"; anything else is the
    header in lower case with words joined by "_" ("Three-Year Trailing" -> "three_year_trailing").
    """
    text = header or ""
    date = date_in(text)
    for pattern, name in SCENARIOS:
        if pattern.search(text):
            return name, date
    slug = re.sub(r"\(.*?\)", " ", text.lower())
    slug = re.sub(r"\bcase\b|\bscenario\b", " ", slug)
    slug = re.sub(r"[^a-z0-9]+", "_", slug).strip("_")
    return slug or "base", date


def scenario_in(sentence: str) -> tuple[str, str | None]:
    """The scenario a sentence states (with a spot case's price date), "base" when none."""
    m = IN_TEXT.search(sentence)
    if not m:
        return "base", None
    word = next(g for g in m.groups() if g).lower()
    name, _ = scenario_of(word)
    return name, date_in(sentence) if name == "spot" else None


def date_in(text: str) -> str | None:
    """A price date in a header or sentence, "Oct 15/2012" included, as an ISO string."""
    d = dates.parse_date(text)
    if d:
        return d.isoformat()
    m = _SLASH_DATE.search(text)
    if m:
        found = dates.parse_date(f"{m.group(1)} {m.group(2)}, {m.group(3)}")
        return found.isoformat() if found else None
    return None
