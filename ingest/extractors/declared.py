"""What a filing's metadata is when its text does not say: the format, the user, the name.

The metadata extractor reads the company, period and currency from the text. This step
then settles each field from the best source that states it, and records which:

1. ``sidecar``: a file the user wrote beside the filing (``NAME.meta.json`` or
   ``NAME.meta.yaml``) — the user's word wins over everything;
2. ``text``: what the filing's text states;
3. the format's own record (``edgar_header``: an EDGAR submission's company conformed
   name and period of report), where the text states nothing; and ``form``: the period
   type an SEC form reports (a 10-K, 20-F or 40-F a year, a 10-Q a quarter) when the
   text does not say;
4. ``file_name``: as a last resort, the company and year in the file's name, marked as
   inferred ("acme-gold-2012-annual-mda.pdf" -> Acme Gold, year ended 2012-12-31).

``Metadata.sources`` maps each field to the source it came from, so the warehouse can say
how each was found.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePath
from typing import Any

from ..lexicon.dates import PERIOD_MONTHS, iso_date, months_before
from ..model import Document, Issue, Metadata
from ..readers.edgar import form_period_type

FIELDS = ("company_name", "report_type", "period_type", "period_end", "currency", "fiscal_year")
_ALIASES = {
    "company": "company_name",
    "company_name": "company_name",
    "name": "company_name",
    "report_type": "report_type",
    "report": "report_type",
    "type": "report_type",
    "period_type": "period_type",
    "period": "period_type",
    "period_end": "period_end",
    "period_ended": "period_end",
    "end": "period_end",
    "currency": "currency",
    "fiscal_year": "fiscal_year",
}
_PERIOD_TYPES = frozenset(PERIOD_MONTHS)
# Words of a file name that say what the document is, not whose it is.
_GENERIC = frozenset(
    "mda md a annual quarterly interim report reports financial statements statement results"
    " fy q1 q2 q3 q4 h1 h2 ye ar 10k 10q 20f 40f 6k 8k ex99 exhibit final draft filing"
    " management discussion analysis and of the for year ended quarter months six nine three"
    " technical ni43101 43 101 resource reserve update news release"
    " jan feb mar apr may jun jul aug sep sept oct nov dec".split()
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_QUARTER = re.compile(r"(?<![a-z0-9])q([1-4])(?![0-9])", re.I)
_HALF = re.compile(r"(?<![a-z0-9])(?:h1|half[-_ ]?year|six[-_ ]?months?|6m)(?![a-z0-9])", re.I)
_NINE = re.compile(r"(?<![a-z0-9])(?:nine[-_ ]?months?|9m)(?![a-z0-9])", re.I)
# The kind of report a file name says it is, most specific first.
_REPORT_TYPES = (
    (re.compile(r"(?<![a-z])md[-_&]?a(?![a-z])|management[-_ ]discussion", re.I), "MD&A"),
    (
        re.compile(r"(?<![a-z0-9])(?:ni[-_ ]?)?43[-_ ]?101|technical[-_ ]report", re.I),
        "technical report",
    ),
    (re.compile(r"news[-_ ]release|press[-_ ]release", re.I), "news release"),
    (re.compile(r"(?<![a-z0-9])(?:10[-_]?q|quarterly)(?![a-z])", re.I), "quarterly report"),
    (
        re.compile(r"(?<![a-z0-9])(?:10[-_]?k|20[-_]?f|40[-_]?f|annual[-_ ]report)(?![a-z])", re.I),
        "annual report",
    ),
)


def settle(meta: Metadata, doc: Document) -> list[Issue]:
    """Fill ``meta`` from the sidecar, the format and the file name; record the sources."""
    issues: list[Issue] = []
    sources = {f: "text" for f in FIELDS if getattr(meta, f) is not None}
    user, problems = _sidecar_fields(doc)
    issues += problems
    for field, value in user.items():
        setattr(meta, field, value)
        sources[field] = "sidecar"
    origins = doc.declared_sources
    for field in FIELDS:
        if getattr(meta, field) is None and doc.declared.get(field) is not None:
            setattr(meta, field, doc.declared[field])
            sources[field] = str(origins.get(field) or "format")
    # A header's period of report without "year ended" in the text: the form says what
    # period it is, which the file name's guess must not override.
    if meta.period_type is None and (kind := form_period_type(doc.declared.get("report_type"))):
        meta.period_type = kind
        sources["period_type"] = "form"
    inferred = _from_file_name(doc.name)
    for field in ("company_name", "report_type", "period_type", "period_end"):
        if getattr(meta, field) is None and inferred.get(field) is not None:
            setattr(meta, field, inferred[field])
            sources[field] = "file_name"
    if "period_end" in sources and sources["period_end"] != "text":
        months = PERIOD_MONTHS.get(meta.period_type or "")
        if meta.period_end and months:
            meta.period_start = months_before(
                date.fromisoformat(meta.period_end), months
            ).isoformat()
        if meta.fiscal_year is None and meta.period_end and meta.period_type == "annual":
            meta.fiscal_year = int(meta.period_end[:4])
            sources["fiscal_year"] = sources["period_end"]
    meta.sources = dict(sorted(sources.items()))
    return issues


def _sidecar_fields(doc: Document) -> tuple[dict[str, Any], list[Issue]]:
    out: dict[str, Any] = {}
    issues: list[Issue] = []
    where = doc.sidecar.get("_file", "the sidecar file")
    for key, value in doc.sidecar.items():
        if key.startswith("_"):
            continue
        field = _ALIASES.get(str(key).strip().lower().replace(" ", "_"))
        if field is None:
            issues.append(_issue(f"{where}: '{key}' is not a metadata field; it was ignored"))
            continue
        checked, problem = _check(field, value)
        if problem:
            issues.append(_issue(f"{where}: {problem}; it was ignored"))
            continue
        out[field] = checked
    return out, issues


def _check(field: str, value: Any) -> tuple[Any, str | None]:
    text = str(value).strip() if value is not None else ""
    if not text:
        return None, f"'{field}' is empty"
    if field == "period_end":
        found = iso_date(text) if not isinstance(value, date) else value.isoformat()
        return (found, None) if found else (None, f"'{text}' is not a date (period_end)")
    if field == "period_type":
        low = text.lower().replace(" ", "_").replace("-", "_")
        low = {"year": "annual", "fy": "annual", "q": "quarter", "quarterly": "quarter"}.get(
            low, low
        )
        if low not in _PERIOD_TYPES:
            return None, f"'{text}' is not one of {sorted(_PERIOD_TYPES)} (period_type)"
        return low, None
    if field == "currency":
        if not re.fullmatch(r"[A-Za-z]{3}", text):
            return None, f"'{text}' is not an ISO currency code (currency)"
        return text.upper(), None
    if field == "fiscal_year":
        if not re.fullmatch(r"(?:19|20)\d\d", text):
            return None, f"'{text}' is not a year (fiscal_year)"
        return int(text), None
    return text, None


def _issue(reason: str) -> Issue:
    return Issue(line=None, kind="sidecar", reason=reason)


def _from_file_name(name: str) -> dict[str, Any]:
    """Company, report type and period from a file name, as a last resort: the words before
    the year are the company; "mda", "20-f", "annual-report"... the report type; a quarter or
    half named in it sets the period, else the year."""
    stem = PurePath(name).name
    for suffix in (".meta", ".pdf", ".htm", ".html", ".txt", ".md"):
        stem = re.sub(re.escape(suffix) + r"$", "", stem, flags=re.I)
    year = _YEAR.search(stem)
    out: dict[str, Any] = {}
    words = re.split(r"[-_.\s]+", stem[: year.start()] if year else stem)
    # Words of letters only: "cp1252", "v2" and codes are not a company's name.
    company = [w for w in words if w.isalpha() and len(w) > 1 and w.lower() not in _GENERIC]
    if company and len(company) <= 6:
        out["company_name"] = " ".join(
            w if w.isupper() and len(w) > 1 else w.capitalize() for w in company
        )
    for pattern, kind in _REPORT_TYPES:
        if pattern.search(stem):
            out["report_type"] = kind
            break
    if year:
        y = int(year.group(1))
        q = _QUARTER.search(stem)
        if q:
            month = int(q.group(1)) * 3
            out["period_type"], out["period_end"] = "quarter", _month_end(y, month)
        elif _HALF.search(stem):
            out["period_type"], out["period_end"] = "six_months", _month_end(y, 6)
        elif _NINE.search(stem):
            out["period_type"], out["period_end"] = "nine_months", _month_end(y, 9)
        elif out.get("report_type") == "quarterly report":
            pass  # a quarter's report names no quarter: its period is not in the name
        else:
            out["period_type"], out["period_end"] = "annual", f"{y}-12-31"
    return out


def _month_end(year: int, month: int) -> str:
    return {3: f"{year}-03-31", 6: f"{year}-06-30", 9: f"{year}-09-30", 12: f"{year}-12-31"}[month]
