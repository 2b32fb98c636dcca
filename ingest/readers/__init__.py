"""Readers: one per input format, each turning a file's bytes into one ``Document``.

The format is detected from the content (``sniff``), the file name's suffix only breaking
ties, so a PDF saved as ``.txt`` is still read as a PDF. The inbox takes the files whose
suffix a reader declares (``SUFFIXES``). Adding a format is one module with ``NAME``,
``SUFFIXES``, ``sniff`` and ``read``, and one line in ``READERS``.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Protocol

from ..model import Document
from . import html, pdf, text


class Reader(Protocol):
    NAME: str
    SUFFIXES: tuple[str, ...]

    def sniff(self, data: bytes, name: str) -> bool:
        """True when ``data`` is of this reader's format."""

    def read(self, data: bytes, name: str) -> Document:
        """The document; raises ``UnreadableFiling`` naming ``name`` when it cannot."""


# Most specific first: the text reader takes whatever no other reader claims.
READERS: list[Reader] = [pdf, html, text]


def suffixes() -> tuple[str, ...]:
    """The file suffixes of the registered formats (".txt", ".pdf", ...): the inbox's."""
    return tuple(dict.fromkeys(s for r in READERS for s in r.SUFFIXES))


def reader_for(data: bytes, name: str) -> Reader:
    """The reader of ``data``: the first whose ``sniff`` claims it."""
    for reader in READERS:
        if reader.sniff(data, name):
            return reader
    suffix = PurePath(name).suffix.lower()
    return next((r for r in READERS if suffix in r.SUFFIXES), text)


def read(data: bytes, name: str) -> Document:
    """Read a file of any supported format into a ``Document``."""
    return reader_for(data, name).read(data, name)
