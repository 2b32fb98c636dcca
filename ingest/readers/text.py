"""The text reader: a filing as plain text (or markdown) from a converter or a user.

From bytes to clean, numbered lines: decoding, normalisation, page headers, sections,
the tables the text layouts find (``ingest.layouts``) and the prose blocks around them.
PDF-to-text conversion leaves page headers repeated on every page, escaped dollar signs,
LaTeX fragments and typographic dashes; they are undone here.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable

from .. import layouts
from ..model import Document, Issue, Line, Section, UnreadableFiling
from .paragraphs import prose_blocks

# Typographic minus signs and dashes that PDF converters emit in numbers and ranges.
_DASHES = {
    "\u2212": "-",  # minus sign
    "\u2012": "-",  # figure dash
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2010": "-",
    "\u2011": "-",
    "\ufe63": "-",
    "\uff0d": "-",
}
_SPACES = {"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\u200b": ""}
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}
_REPLACEMENTS = tuple({**_DASHES, **_SPACES, **_QUOTES}.items())

_PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s+)?\d{1,3}(?:\s*(?:of|/|\|)\s*\d{1,3})?\s*(?:\|\s*page)?\s*$", re.I
)
# Inline maths: "$CuEq\\% = Cu\\% + ...$". News releases print money with bare "$"
# ("$1.11 billion ... $3.00/lb"), so only a span that starts with a letter and holds a
# backslash or an equals sign is maths.
_LATEX_INLINE = re.compile(r"(?<!\\)\$(?=[A-Za-z\\(])([^$\n]{1,400}?[^\s\\])\$")
_LATEX_CMD = re.compile(r"\\(?:text|mathrm|mathbf|textbf|emph)\{([^{}]*)\}")


def decode(data: bytes, name: str) -> tuple[str, str, list[Issue]]:
    """Decode bytes to text. Raises ``UnreadableFiling`` for binary data."""
    issues: list[Issue] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    utf16 = _utf16(data)
    if utf16 is not None:
        # Notepad's "Unicode": UTF-16 with a byte order mark, or ASCII text with every
        # other byte NUL. Its NULs are not binary data.
        try:
            return data.decode(utf16), utf16.replace("-sig", ""), issues
        except UnicodeDecodeError:
            raise UnreadableFiling(f"{name}: looks like UTF-16 text but does not decode") from None
    # NUL never occurs in text. Valid UTF-8 without it is text, whatever control
    # characters a converter left; bytes that are not UTF-8 are binary when control
    # characters are frequent (random bytes), else a legacy single-byte encoding.
    if b"\x00" in data[:65536]:
        raise UnreadableFiling(f"{name}: binary data, not a text filing")
    try:
        return data.decode("utf-8"), "utf-8", issues
    except UnicodeDecodeError as exc:
        if _control_ratio(data[:8192]) > 0.05:
            raise UnreadableFiling(f"{name}: binary data, not a text filing") from None
        line = data[: exc.start].count(b"\n") + 1
        issues.append(
            Issue(
                line=line,
                kind="decode",
                reason="not valid UTF-8; decoded as Windows-1252 (cp1252)",
            )
        )
    try:
        return data.decode("cp1252"), "cp1252", issues
    except UnicodeDecodeError:
        issues[-1].reason = "not valid UTF-8; decoded as Latin-1"
        return data.decode("latin-1"), "latin-1", issues


def _utf16(data: bytes) -> str | None:
    """The UTF-16 codec of ``data`` when it is UTF-16 text, else None."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:4096]
    if len(sample) >= 8 and len(sample) % 2 == 0:
        even, odd = sample[0::2], sample[1::2]
        # Latin text in UTF-16: one byte of each pair is NUL, the other mostly printable.
        if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "utf-16-be"
    return None


def _control_ratio(sample: bytes) -> float:
    if not sample:
        return 0.0
    bad = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(sample)


def normalise(line: str) -> str:
    """Undo the converter's escapes: ``\\$`` to ``$``, LaTeX to text, dashes to ``-``."""
    return _unescape(_translate(line)).rstrip("\r\n")


def _translate(text: str) -> str:
    # str.replace per character is far faster than str.translate with a mapping on the
    # long lines a converter writes, and most characters are absent from a filing.
    if text.isascii():
        return text
    for char, repl in _REPLACEMENTS:
        if char in text:
            text = text.replace(char, repl)
    return text


def _unescape(text: str) -> str:
    # Each step needs a character the line may lack: a command a backslash and a brace, an
    # escape a backslash, inline maths a "$"; none of them adds any of these characters.
    if "\\" in text and "{" in text:
        text = _LATEX_CMD.sub(r"\1", text)
    # Maths opens with a "$" no backslash escapes: a line of escaped money has none.
    if "$" in text and text.count("$") != text.count("\\$"):
        text = _LATEX_INLINE.sub(_maths_or_money, text)
    if "\\" in text:
        text = text.replace("\\$", "$").replace("\\%", "%").replace("\\&", "&")
        text = text.replace("\\ ", " ").replace("\\_", "_")
    return text


def _maths_or_money(m: re.Match[str]) -> str:
    inner = m.group(1)
    if "\\" in inner or "=" in inner:
        return _latex_to_text(inner)
    return m.group(0)


def _latex_to_text(expr: str) -> str:
    # Inline maths such as "$CuEq\% = Cu\% + ...$" in a footnote. A dollar amount
    # ("\$1.35/lb ... \$650/oz") is escaped and never reaches here.
    expr = (
        expr.replace("\\%", "%").replace("\\ ", " ").replace("\\times", "x").replace("\\cdot", "*")
    )
    expr = re.sub(r"\\[a-zA-Z]+", "", expr)
    return expr.replace("{", "").replace("}", "")


NAME = "text"
SUFFIXES = (".txt", ".md")


def sniff(data: bytes, name: str) -> bool:
    """Text is what is left: the text reader is last in the registry and takes the rest."""
    return True


def read(data: bytes, name: str) -> Document:
    """The text reader's entry point (see ``ingest.readers``)."""
    return load(data, name)


def load(data: bytes, name: str) -> Document:
    """Decode and normalise a filing's bytes into a ``Document``."""
    sha = hashlib.sha256(data).hexdigest()
    text, encoding, issues = decode(data, name)
    # Searching a long text for a two-character string is slow (a tenth of a millisecond
    # for a filing); most files hold no "\r" at all, which one character tells.
    unix = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    raw_lines = unix.split("\n")
    # Translate the whole text once; the replacements never add or remove a newline.
    clean = _translate(unix)
    clean_lines = raw_lines if clean is unix else clean.split("\n")
    # Only a line with a backslash or a "$" has anything to unescape: most lines skip the call.
    lines = [
        Line(i + 1, _unescape(c) if "\\" in c or "$" in c else c, raw)
        for i, (c, raw) in enumerate(zip(clean_lines, raw_lines, strict=True))
    ]
    headers = find_page_headers(lines, table_line=layouts.is_table_line)
    doc = Document(
        name=name,
        text=text,
        lines=lines,
        content_sha256=sha,
        encoding=encoding,
        format="text",
        page_header_lines=headers,
        issues=issues,
    )
    doc.sections = find_sections(doc)
    doc.grids, layout_issues = layouts.find_grids(doc)
    doc.issues.extend(layout_issues)
    doc.prose = prose_blocks(doc)
    return doc


def find_page_headers(
    lines: list[Line], table_line: Callable[[Line], bool] = lambda ln: ln.has_tabs
) -> frozenset[int]:
    """Line numbers of page headers and footers.

    A page header is a short prose line that recurs at least three times next to another
    recurring line (the company name over "Management's Discussion and Analysis"), or a
    bare page number. A lone recurring line such as "Notes:" is kept. Table lines
    (``table_line``) never are: several tables of a report often share one header row.
    """
    nonblank = [ln for ln in lines if not ln.is_blank]
    # Only a short line can be a header (a page number, a recurring line of at most 150
    # characters): the table test is needed for those alone.
    short = [ln for ln in nonblank if len(ln.stripped) <= 150]
    table = {ln.no for ln in short if table_line(ln)}
    counts = Counter([ln.stripped for ln in short if ln.no not in table])
    repeated = {t for t, n in counts.items() if n >= 3}
    found: set[int] = set()
    for i, ln in enumerate(nonblank):
        t = ln.stripped
        if ln.no in table:
            continue
        if len(t) <= 20 and (t[0].isdigit() or t[:4].lower() == "page"):
            if _PAGE_NUMBER.match(t):
                found.add(ln.no)
                continue
        if t not in repeated:
            continue
        prev_rep = i > 0 and nonblank[i - 1].stripped in repeated
        next_rep = i + 1 < len(nonblank) and nonblank[i + 1].stripped in repeated
        if prev_rep or next_rep:
            found.add(ln.no)
    return frozenset(found)


_HEADING_WORDS = re.compile(r"[A-Za-z]")
_LONG_NUMBER = re.compile(r"\d{3,}")


_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_EMPHASIS = re.compile(r"^(?:\*\*|__)(.*)(?:\*\*|__)$")


def markdown_heading(text: str) -> tuple[int, str] | None:
    """(level, title) of a markdown heading ("## Table 14-3 Mineral Resources"), else None.

    "#" is level 1; deeper headings are level 2, as the sections of a converted report
    nest no deeper than that for what the extractors need.
    """
    m = _MARKDOWN_HEADING.match(text.strip()) if text.lstrip().startswith("#") else None
    if not m or not m.group(2):
        return None
    title = _EMPHASIS.sub(r"\1", m.group(2)).strip()
    return (1 if len(m.group(1)) == 1 else 2), title


def _starts_a_line(text: str, char: str) -> bool:
    """Whether a line of ``text`` starts with ``char`` (``"\n" + char in text``, without
    a two-character search over the whole text: the character itself is rare)."""
    i = text.find(char)
    while i >= 0:
        if i == 0 or text[i - 1] == "\n":
            return True
        i = text.find(char, i + 1)
    return False


def find_sections(doc: Document) -> list[Section]:
    """Headings: markdown headings where the document marks them, else short prose lines
    standing alone between blank lines.

    A document that marks its headings with "#" says which lines are headings: its other
    short lines (an author's name, a caption) are not.
    """
    marked = (
        [
            Section(title=found[1], line=ln.no, level=found[0])
            for ln in doc.lines
            if ln.no not in doc.page_header_lines and (found := markdown_heading(ln.text))
        ]
        if _starts_a_line(doc.text, "#")
        else []
    )
    if marked:
        return marked
    out: list[Section] = []
    lines = doc.lines
    n = len(lines)
    for i, ln in enumerate(lines):
        if ln.no in doc.page_header_lines or ln.is_blank or ln.has_tabs:
            continue
        t = ln.stripped
        if len(t) > 90 or not _HEADING_WORDS.search(t):
            continue
        if t.startswith(("-", "*", "•", "|", "(")) or t.endswith((".", ",", ";", ":")):
            continue
        prev_blank = i == 0 or lines[i - 1].is_blank or lines[i - 1].no in doc.page_header_lines
        next_blank = i + 1 >= n or lines[i + 1].is_blank
        if not (prev_blank and next_blank):
            continue
        letters, capitals = _letter_counts(t)
        if not letters:
            continue
        upper = capitals / letters
        if upper > 0.8 and letters >= 3:
            out.append(Section(title=t, line=ln.no, level=1))
        elif t[0].isupper() and len(t.split()) <= 10 and not _LONG_NUMBER.search(t):
            out.append(Section(title=t, line=ln.no, level=2))
    return out


def _letter_counts(text: str) -> tuple[int, int]:
    """(letters, upper-case letters) in ``text``."""
    if text.isascii():
        # Counted in C: an upper-case ASCII character is a letter.
        return sum(map(str.isalpha, text)), sum(map(str.isupper, text))
    letters = [c for c in text if c.isalpha()]
    return len(letters), sum(1 for c in letters if c.isupper())
