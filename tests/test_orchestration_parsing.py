"""A filing too large, or whose parse needs too much memory or time, is recorded as failed
with a clear reason; the others parse as the parser does in process."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import parse_targets
import pytest

import ingest
from conftest import SAMPLES_DIR
from orchestration import paths
from orchestration.filings.parse_process import ParseProcess
from orchestration.filings.parsing import parse_task, parse_to_file, parser_version
from orchestration.filings.record_files import read_records
from orchestration.filings.records import filing_rows

pytestmark = pytest.mark.unit

SAMPLE = SAMPLES_DIR / "kestrel-ridge-2024-annual-mda.txt"
NOW = datetime(2024, 1, 1, tzinfo=UTC)


def _parse(content: bytes, name: str):
    with ParseProcess() as process:
        return _parse_in(process, content, name)


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


# -- the parse runs in a child process with a memory and a time limit -----------------------

SAMPLES = sorted(SAMPLES_DIR.glob("*.txt"))
BIG = SAMPLES_DIR / "kestrel-ridge-2023-annual-mda.txt"


def _pathological(times: int) -> bytes:
    """One filing repeated: what once took 11 GB. Its parse grows with the repeats."""
    return BIG.read_bytes() * times


def _in_process(path: Path) -> dict:
    """The rows of a parse in this process, as a record file holds them (JSON values)."""
    parsed = ingest.parse_filing(path.read_bytes(), name=path.name)
    rows = filing_rows(parsed, "sha", path.name, NOW, parser_version(), path.stem, 1)
    return json.loads(json.dumps(rows, default=lambda v: v.isoformat()))


def _parse_in(process: ParseProcess, content: bytes, name: str):
    """Parse in ``process`` into a record file, and read the file back."""
    task = parse_task(Path(tempfile.mkdtemp()), "sha", name, name.rsplit(".", 1)[0], 1, None)
    error = parse_to_file(task, content, NOW, process)
    return read_records(task.path), error


def test_default_parse_limits_are_2048_mb_and_300_s(monkeypatch) -> None:
    monkeypatch.delenv("WAREHOUSE_PARSE_MEMORY_MB", raising=False)
    monkeypatch.delenv("WAREHOUSE_PARSE_TIMEOUT_SECONDS", raising=False)
    assert paths.parse_memory_mb() == 2048 and paths.parse_timeout_seconds() == 300
    monkeypatch.setenv("WAREHOUSE_PARSE_MEMORY_MB", "0")
    with pytest.raises(ValueError, match="WAREHOUSE_PARSE_MEMORY_MB"):
        paths.parse_memory_mb()
    monkeypatch.setenv("WAREHOUSE_PARSE_TIMEOUT_SECONDS", "soon")
    with pytest.raises(ValueError, match="WAREHOUSE_PARSE_TIMEOUT_SECONDS"):
        paths.parse_timeout_seconds()


def test_the_child_process_parses_every_sample_as_the_parser_does_in_process() -> None:
    with ParseProcess() as process:
        for path in SAMPLES:
            rows, error = _parse_in(process, path.read_bytes(), path.name)
            assert error is None
            rows["filings"][0].pop("sidecar_sha256")
            assert rows == _in_process(path), path.name


def test_one_child_process_parses_the_filings_of_a_run() -> None:
    with ParseProcess(target=parse_targets.parse_noting_pid) as process:
        names = {
            _parse_in(process, path.read_bytes(), path.name)[0]["filings"][0]["company_name"]
            for path in SAMPLES
        }
    assert len(names) == 1 and names != {f"pid {os.getpid()}"}


def test_a_parse_over_the_memory_limit_is_failed_and_the_next_filing_parses(
    monkeypatch,
) -> None:
    monkeypatch.setenv("WAREHOUSE_PARSE_MEMORY_MB", "64")  # a sample needs less
    with ParseProcess() as process:
        rows, error = _parse_in(process, _pathological(120), "repeated.txt")
        assert error == (
            "parse of repeated.txt stopped: it needed more than 64 MB of memory"
            " (WAREHOUSE_PARSE_MEMORY_MB)"
        )
        (filing,) = rows["filings"]
        assert (filing["status"], filing["error"]) == ("failed", error)
        assert not rows["facts"] and not rows["tables"]
        rows, error = _parse_in(process, BIG.read_bytes(), BIG.name)
        assert error is None
        rows["filings"][0].pop("sidecar_sha256")
        assert rows == _in_process(BIG)


def test_a_parse_killed_as_out_of_memory_is_failed_and_the_next_filing_parses(
    monkeypatch,
) -> None:
    monkeypatch.setenv("WAREHOUSE_PARSE_MEMORY_MB", "1500")
    with ParseProcess(target=parse_targets.killed_on_oom) as process:
        _, error = _parse_in(process, BIG.read_bytes(), "oom.txt")
        assert error is not None and error.startswith("parse of oom.txt stopped:")
        assert "SIGKILL" in error and "1500 MB" in error and "WAREHOUSE_PARSE_MEMORY_MB" in error
        rows, error = _parse_in(process, BIG.read_bytes(), BIG.name)
        assert error is None and rows["filings"][0]["status"] == "parsed"


def test_a_parse_over_the_time_limit_is_failed_and_the_next_filing_parses(
    monkeypatch,
) -> None:
    monkeypatch.setenv("WAREHOUSE_PARSE_TIMEOUT_SECONDS", "0.5")  # a sample takes < 0.1 s
    with ParseProcess(target=parse_targets.parse_noting_pid) as process:
        rows, error = _parse_in(process, _pathological(200), "repeated.txt")
        assert error == (
            "parse of repeated.txt stopped after 0.5 s (WAREHOUSE_PARSE_TIMEOUT_SECONDS)"
        )
        assert rows["filings"][0]["status"] == "failed" and not rows["facts"]
        rows, error = _parse_in(process, BIG.read_bytes(), BIG.name)
        assert error is None and rows["filings"][0]["status"] == "parsed"
        assert rows["facts"]


def test_a_new_process_for_each_filing_parses_under_the_limits(monkeypatch) -> None:
    monkeypatch.setenv("WAREHOUSE_PARSE_TIMEOUT_SECONDS", "0.5")
    _, error = _parse(_pathological(200), "repeated.txt")
    assert error is not None and "stopped after 0.5 s" in error
    rows, error = _parse(BIG.read_bytes(), BIG.name)
    assert error is None and rows["facts"]
