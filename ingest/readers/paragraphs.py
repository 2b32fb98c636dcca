"""Prose blocks of a text view: paragraphs, bullets and headings rejoined across wraps and
page breaks. Every reader that writes a text view builds its prose blocks here."""

from __future__ import annotations

import re

from ..model import Document, ProseBlock

# ``tuple.__new__(ProseBlock, fields)`` builds a named tuple without the Python-level
# ``__new__`` that checks and defaults the fields: half the time, for the hundreds of
# blocks of a filing (every field is given).
_new = tuple.__new__
_BULLET = re.compile(r"^(?:[-*•·▪§]|\(?[a-z0-9]{1,3}[.)])\s+")
_CLOSERS = "\"')]"
_CONTINUES = frozenset("abcdefghijklmnopqrstuvwxyz0123456789$(")


def _ends_sentence(text: str) -> bool:
    # A terminal mark followed only by closing quotes and brackets.
    text = text.rstrip(_CLOSERS)
    return bool(text) and text[-1] in ".:;!?"


def prose_blocks(doc: Document) -> tuple[ProseBlock, ...]:
    """Prose paragraphs, bullets and headings as blocks, without page headers or tables.

    A converter writes a paragraph as one line, or wraps it over several; a page break
    splits it. A line joins the block before it when the block does not end a sentence
    and the line continues it (lower case, a number), or, without a page break between,
    when it starts in lower case.
    """
    # A heading block holds the heading as the section reads it ("## Notes" -> "Notes").
    heading_lines = {s.line: s.title for s in doc.sections}
    page_headers = doc.page_header_lines
    blocks: list[ProseBlock] = []
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
                    _new(
                        ProseBlock, (starts[0][1], " ".join(parts), tuple(starts), pending_heading)
                    )
                )
            parts, starts, length, pending_heading = [], [], 0, False
            crossed_header = False
            last_no = -10
            continue
        is_heading = no in heading_lines
        if is_heading:
            text = heading_lines[no]
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
                    _new(
                        ProseBlock, (starts[0][1], " ".join(parts), tuple(starts), pending_heading)
                    )
                )
            parts, starts, length = [text], [(0, no)], len(text)
            pending_heading = is_heading
        last_no = no
        crossed_header = False
    if parts:
        blocks.append(
            _new(ProseBlock, (starts[0][1], " ".join(parts), tuple(starts), pending_heading))
        )
    return tuple(blocks)
