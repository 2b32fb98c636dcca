"""EDGAR's own structure around a filing: the SGML submission wrapper and the form's cover.

A full submission (the ``.txt`` EDGAR serves for an accession) is a ``<SEC-HEADER>`` of
"KEY: value" lines, then one ``<DOCUMENT>`` per file of the filing, each with ``<TYPE>``,
``<FILENAME>`` and its content between ``<TEXT>`` and ``</TEXT>``: the form itself, its
exhibits, and images or archives uuencoded as text. ``submission`` finds the form's
document and what the header states; ``cover_page`` reads what a form's cover page states
(the registrant's exact name, the period, the form) where there is no header.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..lexicon import dates

# The markers a submission (or one document cut from it) starts with. Old submissions
# open with a privacy-enhanced-message banner before ``<SEC-DOCUMENT>``.
WRAPPER_RE = re.compile(
    r"^\s*<(?:SEC-DOCUMENT|SEC-HEADER|IMS-DOCUMENT|IMS-HEADER|DOCUMENT|TYPE)>", re.I | re.M
)
_DOCUMENT_RE = re.compile(r"<DOCUMENT>(.*?)(?:</DOCUMENT>|\Z)", re.I | re.S)
_HEADER_RE = re.compile(r"<(SEC|IMS)-HEADER>(.*?)(?:</\1-HEADER>|<DOCUMENT>|\Z)", re.I | re.S)
_FIELD_RE = re.compile(r"^<(TYPE|SEQUENCE|FILENAME|DESCRIPTION)>[ \t]*([^\r\n<]*)", re.I | re.M)
_TEXT_RE = re.compile(r"<TEXT>(.*?)(?:</TEXT>|\Z)", re.I | re.S)
_HEADER_LINE_RE = re.compile(r"^([ \t]*)([A-Z][A-Z0-9 .()/&-]*?):[ \t]*(.*?)[ \t]*$", re.M)
# EDGAR plain-text documents print <TABLE> and <PAGE> too; only HTML has rows, cells, paragraphs.
_HTML_RE = re.compile(r"<(?:html|body|div|p|tr|td|font|br|span)\b", re.I)
# Documents of a submission that are not text to read: images, archives, spreadsheets,
# XBRL instance and schema files, PDFs. Their content is uuencoded or XML.
_NOT_TEXT_TYPES = re.compile(r"^(?:GRAPHIC|ZIP|EXCEL|PDF|XML|JSON|EX-101\.|EX-\d+\.INS)", re.I)
_NOT_TEXT_FILES = re.compile(r"\.(?:jpe?g|gif|png|bmp|pdf|zip|xlsx?|xml|xsd|json|js|css)$", re.I)
_UUENCODED = re.compile(r"^\s*begin [0-7]{3} ", re.I)
# The markup of EDGAR's plain-text documents: page breaks and the column rulers of tables.
_TEXT_MARKUP = re.compile(r"</?(?:PAGE|S|C|CAPTION|TABLE|FN|R\d*|F\d*)>", re.I)


@dataclass
class EdgarDocument:
    """One ``<DOCUMENT>`` of a submission."""

    type: str
    filename: str
    text: str

    @property
    def readable(self) -> bool:
        """Text a reader can read: not an image, an archive or XBRL data."""
        if _NOT_TEXT_TYPES.match(self.type) or _NOT_TEXT_FILES.search(self.filename):
            return False
        return bool(self.text.strip()) and not _UUENCODED.match(self.text[:200])

    @property
    def is_html(self) -> bool:
        return bool(_HTML_RE.search(self.text[:65536]))


@dataclass
class Submission:
    """A submission's main document and what its header states."""

    main: EdgarDocument | None
    declared: dict[str, str] = field(default_factory=dict)


def is_wrapped(text: str) -> bool:
    """True when ``text`` opens with EDGAR's SGML wrapper (a submission or one document)."""
    return bool(WRAPPER_RE.search(text[:4096]))


def submission(text: str) -> Submission:
    """The main document of a wrapped submission and the header's statements.

    The main document is the first whose ``<TYPE>`` is the form the header names (the
    20-F of a 20-F submission, the 6-K of a 6-K); without that, the largest HTML
    document, else the largest readable one.
    """
    header = _HEADER_RE.search(text[: 1 << 20])
    declared = header_facts(header.group(2)) if header else {}
    docs = [_document(m.group(1)) for m in _DOCUMENT_RE.finditer(text)]
    if not docs and not header:
        # A document cut out of a submission without its <DOCUMENT> line.
        docs = [_document(text)]
    readable = [d for d in docs if d.readable]
    form = declared.get("report_type", "").upper()
    main = next((d for d in readable if form and d.type.upper() == form), None)
    if main is None:
        html = [d for d in readable if d.is_html]
        main = max(html or readable, key=lambda d: len(d.text), default=None)
    if main is not None and "report_type" not in declared and _is_form_type(main.type):
        declared["report_type"] = main.type
    return Submission(main, declared)


def filers(text: str) -> list[str]:
    """The filer each ``<SEC-HEADER>`` of ``text`` names, in order: a submission has one
    header, so a second is a second submission run into the file."""
    return [
        header_facts(m.group(2)).get("company_name", "an unnamed filer")
        for m in _HEADER_RE.finditer(text)
    ]


def _document(body: str) -> EdgarDocument:
    fields = {k.upper(): v.strip() for k, v in _FIELD_RE.findall(body[:4096])}
    m = _TEXT_RE.search(body)
    return EdgarDocument(
        type=fields.get("TYPE", ""),
        filename=fields.get("FILENAME", ""),
        text=m.group(1) if m else "",
    )


def _is_form_type(doc_type: str) -> bool:
    # Exhibits ("EX-99.1") and cover letters are parts of a filing, not its form.
    return bool(doc_type) and not re.match(r"^(?:EX-|CORRESP|COVER)", doc_type, re.I)


def header_facts(header: str) -> dict[str, str]:
    """What an EDGAR header states, in ``Document.declared``'s names.

    ``company_name`` is the filer's conformed name as printed; ``period_end`` the
    conformed period of report as ISO yyyy-mm-dd; ``report_type`` the conformed submission
    type ("20-F"); ``fiscal_year_end`` the filer's fiscal year end as "MMDD". A header
    lists the filer under "FILER:"; a subject company (the target of a tender offer) or a
    "FILED BY" party is named only where there is no filer.
    """
    found: list[tuple[str, str, str]] = []  # (part of the header, key, value)
    part = ""
    for indent, key, value in _HEADER_LINE_RE.findall(header):
        key = " ".join(key.split()).upper()
        if not value:
            if not indent:
                part = key  # "FILER", "SUBJECT COMPANY", "FILED BY"
            continue
        found.append((part, key, value))

    def first(key: str) -> str:
        for want in ("FILER", "SUBJECT COMPANY", None):
            for p, k, v in found:
                if k == key and (want is None or p == want):
                    return v
        return ""

    out: dict[str, str] = {}
    if name := first("COMPANY CONFORMED NAME"):
        out["company_name"] = name
    period = first("CONFORMED PERIOD OF REPORT")
    if re.fullmatch(r"(?:19|20)\d{6}", period):
        out["period_end"] = f"{period[:4]}-{period[4:6]}-{period[6:]}"
    if form := first("CONFORMED SUBMISSION TYPE"):
        out["report_type"] = form
    year_end = first("FISCAL YEAR END")
    if _month_day(year_end):
        out["fiscal_year_end"] = year_end
    return out


# The period a form reports: a 10-K, 20-F or 40-F (and their amendments) a fiscal year, a
# 10-Q a quarter. A transition report (10-KT, 10-QT) covers an odd period, and a 6-K or 8-K
# reports events: the form says nothing of their period.
_FORM_PERIODS = (
    (re.compile(r"^(?:10-K(?:SB|405)?|20-F|40-F)(?:/A)?$", re.I), "annual"),
    (re.compile(r"^10-Q(?:SB)?(?:/A)?$", re.I), "quarter"),
)


def form_period_type(form: str | None) -> str | None:
    """The period type an SEC form reports: "40-F" -> "annual", "10-Q" -> "quarter";
    "6-K", "8-K", "10-KT" or a report that is no SEC form -> None."""
    form = " ".join((form or "").split())
    for pattern, kind in _FORM_PERIODS:
        if pattern.match(form):
            return kind
    return None


def _month_day(mmdd: str) -> bool:
    return bool(re.fullmatch(r"(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])", mmdd))


def plain_text(text: str) -> str:
    """An EDGAR plain-text document without its markup (``<PAGE>``, ``<TABLE>``, ``<S>``...),
    its tables' rows tab-separated at the columns the table's ``<S>``/``<C>`` ruler marks."""
    return _TEXT_MARKUP.sub("", _TABLE_RE.sub(_ruled_table, text))


_TABLE_RE = re.compile(r"<TABLE>(.*?)</TABLE>", re.I | re.S)
_RULER_TAG = re.compile(r"<[SC]>", re.I)


def _ruled_table(m: re.Match[str]) -> str:
    # EDGAR's text format marks where each column starts with <S> (the stub) and <C> on
    # one line; the rows below are aligned to it, tags counted as printed.
    lines = m.group(1).split("\n")
    ruler = next((i for i, ln in enumerate(lines) if _RULER_TAG.search(ln)), None)
    if ruler is None:
        return m.group(1)
    starts = [t.start() for t in _RULER_TAG.finditer(lines[ruler])]
    if len(starts) < 2:
        return m.group(1)
    bounds = [0, *starts[1:], None]
    out = lines[: ruler + 1]
    for ln in lines[ruler + 1 :]:
        cells = [ln[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
        out.append("\t".join(cells) if any(cells[1:]) else ln.strip())
    return "\n".join(out)


# -- the cover page of a form ----------------------------------------------------------

# The captions the SEC's cover pages print under the registrant's name.
_NAME_CAPTION = re.compile(
    r"\(\s*(?:exact\s+name\s+of\s+(?:the\s+)?registrant\s+as\s+specified\s+in\s+its\s+charter"
    r"|translation\s+of\s+registrant.s\s+name\s+into\s+english)\s*\)",
    re.I,
)
_PERIOD = re.compile(
    rf"\bfor\s+(?:the\s+)?(?P<kind>fiscal\s+year|quarterly\s+period)\s+ended:?\s*(?P<date>{dates.DATE})",
    re.I,
)
_FORM = re.compile(r"^\s*form\s+(?P<form>\d{1,2}-[A-Z]{1,2}(?:/A)?|[A-Z]-\d{1,2}(?:/A)?)\s*$", re.I)
_COVER_MARK = re.compile(r"securities\s+and\s+exchange\s+commission", re.I)
# A cover page is the first page; the period and the name are printed near its top.
_COVER_LINES = 120


def cover_page(lines: Iterable[str]) -> dict[str, str]:
    """What a form's cover page states: the registrant's name (printed above "(Exact name of
    registrant as specified in its charter)"), the period ("For the fiscal year ended
    December 31, 2023"), the form ("FORM 20-F"), and the fiscal year end an annual form's
    period gives. Empty for a document without an SEC cover page."""
    head = [t for t in (ln.strip() for ln in lines) if t][:_COVER_LINES]
    if not any(_COVER_MARK.search(t) or _NAME_CAPTION.search(t) or _FORM.match(t) for t in head):
        return {}
    out: dict[str, str] = {}
    for i, t in enumerate(head):
        if "report_type" not in out and (m := _FORM.match(t)):
            out["report_type"] = m.group("form").upper()
        if "period_end" not in out and (m := _PERIOD.search(t)):
            d = dates.parse_date(m.group("date"))
            if d:
                out["period_end"] = d.isoformat()
                if m.group("kind").lower().startswith("fiscal"):
                    out["fiscal_year_end"] = f"{d.month:02d}{d.day:02d}"
        if "company_name" not in out and (m := _NAME_CAPTION.search(t)):
            before = t[: m.start()].strip()
            # The name is printed in the caption's paragraph or on the line above it.
            name = before or (head[i - 1] if i else "")
            name = next((c.strip() for c in name.split("\t") if c.strip()), "")
            if name and not _NAME_CAPTION.search(name) and len(name) <= 150:
                out["company_name"] = name
    return out
