"""One file, one filing: a filing doubled, or two filings run together, is flagged.

A filing concatenated with itself doubles every fact and estimate; two filings concatenated
put the second company's resources under the first company's name. The parser flags both
with a ``concatenated`` issue (the ``single_filing`` check quarantines the filing), and
flags nothing in any real or sample filing: headers repeated on each page, a summary table
printed twice, the financial statements after the MD&A are one filing.
"""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

import pytest
from test_golden import OWN as GOLDEN_OWN
from test_golden import SHARED as GOLDEN_SHARED
from test_golden import _shared_path as golden_path

from conftest import FIXTURES_DIR, SAMPLES_DIR, SHARED_FILINGS, load_check_fixtures
from ingest import UnreadableFiling, parse_filing, readers
from ingest.checks import concatenation

pytestmark = pytest.mark.unit

SAMPLES = sorted(SAMPLES_DIR.glob("*.txt"))
KESTREL_2023, KESTREL_2024, KESTREL_Q3, WATTLE = (
    SAMPLES_DIR / f"{name}.txt"
    for name in (
        "kestrel-ridge-2023-annual-mda",
        "kestrel-ridge-2024-annual-mda",
        "kestrel-ridge-2024-q3-mda",
        "wattle-creek-2024-annual-mda",
    )
)


def _flags(data: bytes, name: str = "joined.txt") -> list:
    return [i for i in parse_filing(data, name=name).issues if i.kind == concatenation.KIND]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_a_filing_doubled_is_flagged_where_the_copy_starts(path: Path) -> None:
    raw = path.read_bytes()
    lines = raw.decode("utf-8").count("\n") + 1
    (issue,) = _flags(raw + b"\n" + raw)
    assert "repeat" in issue.reason
    # The flag points at the second copy: the first copy's records are the filing's.
    assert lines < issue.line <= lines + 1 + 5, (issue.line, lines)


def test_a_filing_tripled_or_its_tables_pasted_again_is_flagged() -> None:
    raw = KESTREL_2024.read_bytes()
    assert len(_flags(raw + b"\n" + raw + b"\n" + raw)) == 1
    # Every table twice, the prose once: the tables were pasted again after the text.
    text = KESTREL_2023.read_text(encoding="utf-8")
    tables = _tables(text)
    assert len(tables) >= 3
    (issue,) = _flags((text + "\n\n" + "\n\n".join(tables) + "\n").encode("utf-8"))
    assert "repeats itself" in issue.reason


def test_a_summary_table_printed_twice_is_not_flagged() -> None:
    # A filing may print a small table twice (a summary up front, again in its section).
    text = KESTREL_2023.read_text(encoding="utf-8")
    summary = _tables(text)[0]
    assert not _flags((text + "\n\n" + summary + "\n").encode("utf-8"))


def _tables(text: str) -> list[str]:
    """The blocks of ``text`` (between blank lines) with three or more table rows."""
    return [
        "\n".join(block)
        for block in _blocks(text.split("\n"))
        if sum(ln.lstrip().startswith("|") or "\t" in ln for ln in block) >= 3
    ]


def _blocks(lines: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for ln in lines:
        if ln.strip():
            out[-1].append(ln)
        elif out[-1]:
            out.append([])
    return [b for b in out if b]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        *permutations((KESTREL_2024, WATTLE)),
        (KESTREL_2023, WATTLE),
        (KESTREL_2023, KESTREL_2024),  # one company, two periods
        (KESTREL_2024, KESTREL_Q3),
    ],
    ids=lambda p: p.stem,
)
def test_two_filings_concatenated_are_flagged(first: Path, second: Path) -> None:
    (issue,) = _flags(first.read_bytes() + b"\n" + second.read_bytes())
    first_lines = first.read_text(encoding="utf-8").count("\n") + 1
    assert issue.line > first_lines, "the flag points into the second filing"
    assert "more than one filing" in issue.reason


def test_two_companies_are_named_in_the_reason() -> None:
    (issue,) = _flags(KESTREL_2024.read_bytes() + b"\n" + WATTLE.read_bytes())
    assert "Kestrel Ridge Copper Corp." in issue.reason
    assert "Wattle Creek Gold Limited" in issue.reason


def _edgar(company: str, cik: str, period: str) -> str:
    return (
        "<SEC-DOCUMENT>0000000000-24-000001.txt : 20240315\n<SEC-HEADER>\n"
        "CONFORMED SUBMISSION TYPE:\t6-K\nCONFORMED PERIOD OF REPORT:\t" + period + "\n"
        "FILER:\n\n\tCOMPANY DATA:\t\n\t\tCOMPANY CONFORMED NAME:\t\t\t" + company + "\n"
        "\t\tCENTRAL INDEX KEY:\t\t\t" + cik + "\n</SEC-HEADER>\n<DOCUMENT>\n<TYPE>6-K\n"
        "<FILENAME>report.htm\n<TEXT>\n<html><body><p>" + company + " reports its results"
        " for the quarter.</p></body></html>\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n"
    )


def test_two_edgar_submissions_in_one_file_are_flagged() -> None:
    one = _edgar("KESTREL EXAMPLE MINING CORP", "0000000001", "20231231")
    two = _edgar("WATTLE EXAMPLE GOLD LTD", "0000000002", "20240630")
    assert not _flags(one.encode(), "one.txt")
    (issue,) = _flags((one + two).encode(), "two.txt")
    assert "EDGAR" in issue.reason and "WATTLE EXAMPLE GOLD LTD" in issue.reason


# -- no false positives ------------------------------------------------------------------


def _corpus() -> list[Path]:
    """Our samples and fixtures, every golden input, and the shared real filings (text
    excerpts, PDFs, EDGAR HTML) where ../shared has them."""
    own = [
        *SAMPLES,
        *(p for p in FIXTURES_DIR.rglob("*") if p.suffix in (".txt", ".md", ".htm", ".html")),
        *GOLDEN_OWN,
    ]
    shared = [
        *SHARED_FILINGS.glob("*.txt"),
        *(SHARED_FILINGS / "excerpts").glob("*"),
        *(
            p
            for p in (SHARED_FILINGS / "wild").glob("*")
            if p.suffix.lower() in (".pdf", ".htm", ".html")
        ),
        *(p for p in map(golden_path, GOLDEN_SHARED) if p.is_file()),
    ]
    # The check fixture that is a filing pasted twice, on purpose.
    spec = load_check_fixtures()
    doubled = {spec.path(f) for f in spec.ALL if f.check == "single_filing"}
    assert doubled <= set(own)
    return sorted({*own, *shared} - doubled)


CORPUS = _corpus()


def test_the_corpus_holds_every_golden_input() -> None:
    doubled = {p for p in GOLDEN_OWN if p.name == "shrike-point-2024-annual-mda.txt"}
    assert set(GOLDEN_OWN) - doubled <= set(CORPUS) and set(SAMPLES) <= set(CORPUS)
    if not SHARED_FILINGS.is_dir():
        pytest.skip(f"{SHARED_FILINGS} is absent: no real filing is checked for false flags")
    assert {golden_path(n) for n in GOLDEN_SHARED} <= set(CORPUS)
    assert any(p.suffix == ".pdf" for p in CORPUS) and any(p.suffix == ".htm" for p in CORPUS)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_single_filing_is_flagged(path: Path) -> None:
    try:
        doc = readers.read(path.read_bytes(), path.name)
    except UnreadableFiling:
        return  # a file the warehouse quarantines as unreadable is no filing to judge
    flagged = [i for i in doc.issues if i.kind == concatenation.KIND]
    assert flagged + concatenation.find(doc) == []


def test_the_fast_squeeze_is_the_whitespace_pattern() -> None:
    import re

    from ingest.checks.concatenation import _squeeze

    pattern = re.compile(r"\s+")
    # Every character up to U+30FF (all of Unicode's whitespace lies below it), then runs.
    texts = [f"a{chr(i)}b" for i in range(0x3100)] + ["a  b", "a \xa0 b", "x\u2009\ty"]
    for text in texts:
        assert _squeeze(text) == pattern.sub(" ", text), repr(text)
