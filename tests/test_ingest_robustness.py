"""Bad input never crashes the parser: it yields issues, or a clear error naming the file."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO_ROOT, SAMPLES_DIR
from ingest import UnreadableFiling, parse_filing
from ingest.failures import PARSER_ERROR

TABLE_TEXT = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            [
                "\t",
                "\t\t",
                "|",
                " | ",
                "(",
                ")",
                "$",
                "-",
                "---",
                "Nil",
                "1,09O",
                "(1,234)",
                "Year Ended December 31, 2012",
                "Total",
                "Indicated",
                "Table 1.",
                "\n",
                "\n\n",
                "Net loss",
                "Tonnes (Mt)",
                "Cu (%)",
                "\\$",
                "$x$",
                "\u2212",
                "Q4 2012",
                "2013",
                "NSR royalty",
                "hectares",
            ]
        ),
    ),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TABLE_TEXT)
def test_arbitrary_text_never_crashes(text: str) -> None:
    data = text.encode("utf-8", errors="surrogatepass")
    if "\x00" in text:
        # NUL bytes mark binary data: the one outcome besides a parse is a named error.
        with pytest.raises(UnreadableFiling, match="fuzz.txt"):
            parse_filing(data, name="fuzz.txt")
        return
    parsed = parse_filing(data, name="fuzz.txt")
    # An extractor that raised would show up as a parser_error issue: that is a bug too.
    assert not [i for i in parsed.issues if i.kind == PARSER_ERROR], parsed.issues
    json.dumps(parsed.to_dict())


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_a_filing_or_a_named_error(data: bytes) -> None:
    try:
        parsed = parse_filing(data, name="blob.bin")
    except UnreadableFiling as exc:
        assert "blob.bin" in str(exc)
    else:
        assert not [i for i in parsed.issues if i.kind == PARSER_ERROR]


def test_parsing_is_deterministic(real_filing) -> None:
    assert parse_filing(real_filing).to_json() == parse_filing(real_filing).to_json()


def test_empty_file_is_an_issue_not_an_error(tmp_path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    parsed = parse_filing(path)
    assert [i.kind for i in parsed.issues] == ["empty"]
    assert str(path) in parsed.issues[0].reason
    assert parsed.metadata.content_sha256 == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )


def test_binary_data_is_a_clear_error(tmp_path) -> None:
    path = tmp_path / "scan.bin"
    path.write_bytes(b"\x89PNG\x00\x01\x02binary" * 50)
    with pytest.raises(UnreadableFiling, match="scan.bin: binary data"):
        parse_filing(path)


def test_corrupt_pdf_is_a_clear_error(tmp_path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4\x00\x01\x02binary" * 50)
    with pytest.raises(UnreadableFiling, match="scan.pdf: not a readable PDF"):
        parse_filing(path)


def test_missing_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(UnreadableFiling, match="no such file"):
        parse_filing(tmp_path / "nope.txt")


def test_cp1252_text_is_decoded_with_an_issue() -> None:
    text = "SOCIÉTÉ MINIÈRE ÉLAN INC.\nMANAGEMENT'S DISCUSSION AND ANALYSIS\n\nEntrée\n"
    parsed = parse_filing(text.encode("cp1252"), name="elan.txt")
    (issue,) = [i for i in parsed.issues if i.kind == "decode"]
    assert issue.line == 1 and "cp1252" in issue.reason
    assert parsed.metadata.encoding == "cp1252"


def test_cli_prints_the_top_level_keys(real_filing) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "ingest", str(real_filing), "--compact"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO_ROOT,
    )
    data = json.loads(out.stdout)
    assert list(data) == [
        "metadata",
        "tables",
        "facts",
        "properties",
        "estimates",
        "economics",
        "narrative_facts",
        "issues",
        "equivalences",
        "footings",
        "operating_results",
    ]
    assert data["metadata"]["content_sha256"] == (
        "a1a18bfb49523988038ba097a47426c6b0f3f3c33a9246cb196261e8aa4d091c"
    )


def test_cli_names_an_unreadable_file(tmp_path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 8)
    out = subprocess.run(
        [sys.executable, "-m", "ingest", str(path)], capture_output=True, text=True, cwd=REPO_ROOT
    )
    assert out.returncode == 2
    assert out.stderr.strip() == f"error: {path}: binary data, not a text filing"
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_is_read_not_called_binary(encoding) -> None:
    text = (
        'Kestrel Example Mining Corp. (the "Company") reports for the year ended '
        "December 31, 2023.\r\n\r\nItem\tYear ended December 31, 2023\r\nNet loss\t(1,500,000)\r\n"
    )
    parsed = parse_filing(text.encode(encoding), name="notepad.txt")
    assert parsed.metadata.company_name == "Kestrel Example Mining Corp."
    assert parsed.metadata.encoding == encoding
    assert [(f.concept, f.value) for f in parsed.facts] == [("net_income", -1500000.0)]


MDA_TEXT = (
    "KESTREL EXAMPLE MINING CORP.\n"
    "Management's Discussion and Analysis\n\n"
    'Kestrel Example Mining Corp. (the "Company") reports for the year ended '
    "December 31, 2023. Amounts are in Canadian dollars.\n\n"
    "Selected financial information\n\n"
    "Item\tYear ended December 31, 2023\tYear ended December 31, 2022\n"
    "Exploration expense\t1,200,000\t950,000\n"
    "General and administrative\t300,000\t250,000\n"
    "Net loss\t(1,500,000)\t(1,200,000)\n\n"
    "Working capital at December 31, 2023 was $2,400,000.\n"
)


@pytest.mark.parametrize(
    ("label", "data"),
    [
        ("utf-16-le bom", b"\xff\xfe" + MDA_TEXT.replace("\n", "\r\n").encode("utf-16-le")),
        ("utf-16-be bom", b"\xfe\xff" + MDA_TEXT.replace("\n", "\r\n").encode("utf-16-be")),
        ("utf-16 (native, bom)", MDA_TEXT.encode("utf-16")),
        ("utf-8 bom", MDA_TEXT.encode("utf-8-sig")),
    ],
)
def test_unicode_text_parses_as_its_utf8_bytes(label: str, data: bytes) -> None:
    # Notepad saves "Unicode" as UTF-16 LE with a byte order mark (CRLF line ends) and
    # "UTF-8" with a BOM: the parse is the UTF-8 file's, provenance aside.
    expected = parse_filing(MDA_TEXT.encode("utf-8"), name="mda.txt").to_dict()
    parsed = parse_filing(data, name="mda.txt")
    got = parsed.to_dict()
    for record in (expected, got):
        record["metadata"].pop("content_sha256")
        record["metadata"].pop("encoding")
    assert parsed.metadata.encoding.startswith("utf-16" if "16" in label else "utf-8")
    assert got == expected
    assert expected["facts"], "the text must give facts for the comparison to mean anything"
    assert not parsed.issues
    # The BOM is no character of the first line, nor of the company name read from it.
    assert parsed.metadata.company_name == "Kestrel Example Mining Corp."


@pytest.mark.parametrize("path", sorted(SAMPLES_DIR.glob("*.txt")), ids=lambda p: p.name)
def test_samples_saved_as_utf16_parse_as_themselves(path) -> None:
    raw = path.read_bytes()
    expected = parse_filing(raw, name=path.name).to_dict()
    for data in (b"\xff\xfe" + raw.decode("utf-8").encode("utf-16-le"), b"\xef\xbb\xbf" + raw):
        got = parse_filing(data, name=path.name).to_dict()
        for record in (expected, got):
            record["metadata"].pop("content_sha256", None)
            record["metadata"].pop("encoding", None)
        assert got == expected


# One site per kind of guard: metadata's own, a per-table guard, the step runner's.
GUARDED = [
    ("ingest.extractors.metadata", "_currency"),
    ("ingest.extractors.estimates", "_read_group"),
    ("ingest.prose.rules", "_guarded"),
]


@pytest.mark.parametrize(("module", "name"), GUARDED)
def test_running_out_of_memory_stops_the_parse(monkeypatch, module: str, name: str) -> None:
    """A bug in one step becomes an issue, but MemoryError is not a bug in the step: caught,
    it would record a partial filing as parsed, so it propagates (the warehouse, which set
    the memory limit, records the filing as failed)."""
    import importlib

    content = (SAMPLES_DIR / "kestrel-ridge-2023-annual-mda.txt").read_bytes()
    target = importlib.import_module(module)

    def fail(*args, **kwargs):
        raise error("boom")

    error: type[Exception] = ValueError
    monkeypatch.setattr(target, name, fail)
    parsed = parse_filing(content, name="k.txt")  # the site is reached, and guarded
    assert any("ValueError" in i.reason for i in parsed.issues), parsed.issues
    error = MemoryError
    with pytest.raises(MemoryError):
        parse_filing(content, name="k.txt")
