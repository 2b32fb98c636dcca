"""A filing over the configured size is recorded as failed, with a clear reason, unparsed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conftest import SAMPLES_DIR
from orchestration import paths
from orchestration.filings.parsing import parse_version

pytestmark = pytest.mark.unit

SAMPLE = SAMPLES_DIR / "kestrel-ridge-2024-annual-mda.txt"
NOW = datetime(2024, 1, 1, tzinfo=UTC)


def _parse(content: bytes, name: str):
    return parse_version(content, "sha", name, name.rsplit(".", 1)[0], 1, NOW)


def test_default_limits_are_50_mb_for_text_and_200_mb_for_pdf(monkeypatch) -> None:
    monkeypatch.delenv("WAREHOUSE_MAX_TEXT_MB", raising=False)
    monkeypatch.delenv("WAREHOUSE_MAX_PDF_MB", raising=False)
    assert paths.max_input_mb("text") == 50 and paths.max_input_mb("html") == 50
    assert paths.max_input_mb("pdf") == 200
    monkeypatch.setenv("WAREHOUSE_MAX_PDF_MB", "12.5")
    assert paths.max_input_mb("pdf") == 12.5
    monkeypatch.setenv("WAREHOUSE_MAX_TEXT_MB", "many")
    with pytest.raises(ValueError, match="WAREHOUSE_MAX_TEXT_MB"):
        paths.max_input_mb("text")


def test_a_text_filing_over_the_limit_is_failed_unparsed(monkeypatch) -> None:
    content = SAMPLE.read_bytes()
    monkeypatch.setenv("WAREHOUSE_MAX_TEXT_MB", "0.01")  # 10 kB; the sample is larger
    rows, error = _parse(content, SAMPLE.name)
    size_mb = len(content) / 1e6
    assert error is not None
    assert SAMPLE.name in error and f"{size_mb:.2f} MB" in error and "0.01 MB" in error
    assert "WAREHOUSE_MAX_TEXT_MB" in error
    (filing,) = rows["filings"]
    assert (filing["status"], filing["error"]) == ("failed", error)
    assert not rows["facts"] and not rows["tables"]


def test_a_text_filing_under_the_limit_parses(monkeypatch) -> None:
    monkeypatch.setenv("WAREHOUSE_MAX_TEXT_MB", "1")
    rows, error = _parse(SAMPLE.read_bytes(), SAMPLE.name)
    assert error is None and rows["filings"][0]["status"] == "parsed" and rows["facts"]


def test_the_pdf_limit_applies_to_a_pdf_whatever_its_name(monkeypatch) -> None:
    pdf = b"%PDF-1.4\n" + b"0" * 20_000 + b"\n%%EOF\n"
    monkeypatch.setenv("WAREHOUSE_MAX_TEXT_MB", "0.001")
    monkeypatch.setenv("WAREHOUSE_MAX_PDF_MB", "0.01")
    _, error = _parse(pdf, "report.txt")
    assert error is not None and "WAREHOUSE_MAX_PDF_MB" in error and "0.01 MB" in error
    # Under the PDF limit, the text limit does not apply to it: the PDF reader judges it.
    monkeypatch.setenv("WAREHOUSE_MAX_PDF_MB", "1")
    _, error = _parse(pdf, "report.pdf")
    assert error is None or "MB" not in error
