"""One file, one filing: a document that repeats itself or holds a second filing.

A filing concatenated with itself doubles every fact and estimate; two filings concatenated
put the second company's resources under the first company's name and period. Neither can
be read right record by record, so the parser flags the document with one ``concatenated``
issue (the warehouse's ``single_filing`` check quarantines it), at the line where the
repeat or the second filing starts.

What a real filing repeats is small: a page header on every page (page-header lines are
left out), a table header per page, a summary table printed again, a disclaimer. A flag
needs the repeat to be wholesale, or a second filing's own marks:

- **repeated text**: most of the document's lines lie in runs of ``_RUN`` lines that recur
  elsewhere in it (a filing pasted twice: every run recurs);
- **repeated tables**: most of the document's tables, cell for cell, appear twice;
- **two companies**: two different companies each defined as "the Company";
- **two periods**: two title blocks ("Management's Discussion and Analysis" / "For the Year
  Ended ...") for different period ends.

Two EDGAR submissions in one file are the HTML reader's to see (``ingest.readers.html``):
only it reads the SGML wrapper.
"""

from __future__ import annotations

import re
from collections import Counter

from ..extractors.metadata import company_definitions, title_periods
from ..model import Document, Issue

KIND = "concatenated"

# Lines per run: a run of six lines recurring whole is no table header or page footer.
_RUN = 6
# Share of the document's lines in recurring runs that makes the repeat wholesale: a filing
# pasted twice has all of them, a real filing a few percent (measured on our samples and the
# shared filings: at most 0.1).
_REPEATED_SHARE = 0.6
# Tables: at least this many repeated, and at least half of the distinct tables.
_REPEATED_TABLES = 3
_SPACES = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")


def find(doc: Document) -> list[Issue]:
    """The ``concatenated`` issue of a document that repeats itself or holds two filings
    (at most one: the first finding, where the repeat or the second filing starts)."""
    for finder in (_repeated_text, _repeated_tables, _two_companies, _two_periods):
        issue = finder(doc)
        if issue is not None:
            return [issue]
    return []


def _squeeze(text: str) -> str:
    """``text`` (stripped) with each run of whitespace made one space.

    Most lines need nothing done, and C substring tests find them; a regular expression
    over every line of a long document cost a tenth of the whole parse.
    """
    # Printable means no whitespace but the ASCII space (every other whitespace character
    # is a Unicode separator or control): then only two spaces in a row need squeezing.
    if "  " not in text and text.isprintable():
        return text
    return _SPACES.sub(" ", text)


def _content(doc: Document) -> list[tuple[int, str]]:
    """(line, text with runs of spaces made one) of the lines that are not blank or a page
    header: what a copy repeats whatever the converter did to spacing."""
    headers = doc.page_header_lines
    return [
        (ln.no, _squeeze(ln.stripped))
        for ln in doc.lines
        if not ln.is_blank and ln.no not in headers
    ]


def _repeated_text(doc: Document) -> Issue | None:
    content = _content(doc)
    n = len(content) - _RUN + 1
    if n < _RUN:
        return None
    texts = [t for _, t in content]
    # A line in a recurring run recurs itself: when too few lines recur at all, no runs can
    # cover enough of the document, and a real filing (which repeats little) is passed over
    # without hashing a run at every line.
    counts = Counter(texts)
    if sum(1 for t in texts if counts[t] > 1) < _REPEATED_SHARE * len(content):
        return None
    first_at: dict[tuple[str, ...], int] = {}
    covered = bytearray(len(content))
    copy_starts: tuple[int, int] | None = None  # (this run, the earlier one it repeats)
    for i in range(n):
        run = tuple(texts[i : i + _RUN])
        j = first_at.setdefault(run, i)
        if j + _RUN <= i:  # the same run earlier, not overlapping this one
            covered[i : i + _RUN] = b"\x01" * _RUN
            covered[j : j + _RUN] = b"\x01" * _RUN
            if copy_starts is None:
                copy_starts = (i, j)
    share = sum(covered) / len(content)
    if copy_starts is None or share < _REPEATED_SHARE:
        return None
    i, j = copy_starts
    line = content[i][0]
    if j == 0:
        # The copy repeats the document from its start: it starts as many lines before
        # its first read line as the document does (the page header lines left out).
        line -= content[0][0] - 1
    return Issue(
        line=line,
        kind=KIND,
        reason=(
            f"the document repeats itself: {share:.0%} of its lines recur in runs of"
            f" {_RUN} or more, from line {line} on (a filing concatenated with itself"
            " doubles every fact and estimate)"
        ),
    )


def _repeated_tables(doc: Document) -> Issue | None:
    seen: Counter[tuple[tuple[str, ...], ...]] = Counter()
    first_repeat: int | None = None
    for grid in doc.grids:
        cells = tuple(tuple(_squeeze(c.strip()) for c in row.cells) for row in grid.rows)
        # A table of numbers: a header alone, or a table of words, is no filing's content.
        if len(cells) < 2 or not any(_DIGIT.search(c) for row in cells[1:] for c in row):
            continue
        seen[cells] += 1
        if seen[cells] == 2 and first_repeat is None:
            first_repeat = grid.start_line
    repeated = sum(1 for n in seen.values() if n > 1)
    if first_repeat is None or repeated < max(_REPEATED_TABLES, len(seen) / 2):
        return None
    return Issue(
        line=first_repeat,
        kind=KIND,
        reason=(
            f"the document repeats itself: {repeated} of its {len(seen)} tables appear twice,"
            f" cell for cell, the first again at line {first_repeat} (a filing concatenated"
            " with itself doubles every fact and estimate)"
        ),
    )


_CORPORATE = re.compile(
    r"\b(?:inc|incorporated|corp|corporation|ltd|limited|llc|nl|plc|sa|ag|asa|pty|company)\b"
)


def _key(name: str) -> str:
    """A company's name without its corporate form, punctuation or case."""
    return re.sub(r"[^a-z0-9]", "", _CORPORATE.sub("", name.lower().replace(".", "")))


def _two_companies(doc: Document) -> Issue | None:
    definitions = company_definitions(doc)
    if not definitions:
        return None
    first_line, first = definitions[0]
    for line, name in definitions[1:]:
        a, b = _key(first), _key(name)
        # "Kestrel Corp." and "Kestrel Ridge Copper Corporation" are one company, and so is
        # a name a heading ran into ("Overall Performance Cooper Minerals Inc.").
        if a in b or b in a:
            continue
        return Issue(
            line=line,
            kind=KIND,
            reason=(
                f"the document holds more than one filing: {first} is defined as the company"
                f" at line {first_line}, {name} at line {line} (the second filing's records"
                f" would be read as {first}'s)"
            ),
        )
    return None


def _two_periods(doc: Document) -> Issue | None:
    titles = title_periods(doc)
    if not titles:
        return None
    first_line, first = titles[0]
    for line, end in titles[1:]:
        if end != first:
            return Issue(
                line=line,
                kind=KIND,
                reason=(
                    f"the document holds more than one filing: a title block for the period"
                    f" ended {first} at line {first_line}, another for {end} at line {line}"
                    " (the second filing's records would be read as the first's period)"
                ),
            )
    return None
