"""Sentences of a document's prose, with their line numbers and the headings above them.

Built once per document from the reader's prose blocks and held on the document
(``Document.view``); every prose extractor reads the same sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from ..model import Document

# ``tuple.__new__(Sentence, fields)`` builds a named tuple without the Python-level
# ``__new__`` that checks and defaults the fields (every field is given).
_new = tuple.__new__


class Sentence(NamedTuple):
    line: int
    text: str
    block: int  # index into the blocks list
    section: str  # level-1 heading above it
    subsection: str  # nearest heading of any level above it
    heading_line: int = 0  # line of that nearest heading (0 before the first)
    low: str = ""  # ``text.lower()``, made once for the extractors' keyword tests
    digit: bool = False  # whether the text holds a digit (``has_digit``)


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
    text with other than ASCII characters, which may hold other digits, needs the pattern,
    and only when it holds a character from U+0660 up: the first digit after "9" that
    ``\\d`` matches is ARABIC-INDIC DIGIT ZERO (an accented letter or a dash is below it).
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
    return not text.isascii() and max(text) >= "\u0660" and _DIGIT.search(text) is not None


def has_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``words`` (a plain loop: ``any`` over a generator is
    slower, and these tests run for every sentence)."""
    for w in words:
        if w in text:
            return True
    return False


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


def _sentence_ends(text: str) -> Iterable[re.Match[str]]:
    if "!" not in text and "?" not in text:
        return _DOT_END.finditer(text)  # most paragraphs end their sentences with "."
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
    return doc.view("sentences", lambda: tuple(_build_sentences(doc)))


def _build_sentences(doc: Document) -> list[Sentence]:
    blocks = doc.prose
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
