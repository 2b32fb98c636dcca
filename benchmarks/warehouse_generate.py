"""Realistic benchmark filings: variants of the bundled samples.

Each variant renames the company (and its tickers), shifts every year by a whole number of
years and multiplies money amounts by a whole factor. Whole factors keep sums exact, so the
variant's tables still tie out wherever the sample's did; a shifted later filing repeats the
earlier one's periods as comparatives, like real filings across years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from orchestration.paths import SAMPLES_INBOX as SAMPLES

# The sample companies' names and tickers, as printed (benchmarks may know the samples).
SAMPLE_NAMES = ["Kestrel Ridge", "Wattle Creek", "Harrier Lake"]
SAMPLE_TICKERS = ["KRCX", "KRC", "WCG", "HLGC", "HLG"]

_FIRST = [
    "Basalt",
    "Cobalt",
    "Falcon",
    "Granite",
    "Harrier",
    "Ironbark",
    "Juniper",
    "Larch",
    "Marlin",
    "Nimbus",
    "Osprey",
    "Pumice",
    "Quarry",
    "Raven",
    "Sable",
    "Talon",
]
_SECOND = ["Hill", "Lake", "Peak", "Vale", "Creek", "Range", "Point", "Ridge"]

_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
# Comma-grouped amounts such as 1,234 or 12,345,678 (optionally after $ or in parentheses).
_GROUPED = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+)(?![\d,]|\.\d)")
# Inside table rows, small whole amounts too ("486" in a table of A$000s), but not years,
# percentages, decimals or footnote markers.
_WHOLE = re.compile(r"(?<![\d.,\w])(\d{2,3}|\d{1,3}(?:,\d{3})+)(?![\d,%\w]|\.\d)")


@dataclass(frozen=True)
class Variant:
    sample: Path
    company: int
    year_shift: int
    factor: int

    @property
    def name(self) -> str:
        return company_name(self.company)

    @property
    def file_name(self) -> str:
        slug = self.name.lower().replace(" ", "-")
        stem = _YEAR.sub(lambda m: str(int(m.group(1)) + self.year_shift), self.sample.stem)
        for original in SAMPLE_NAMES:
            stem = stem.replace(original.lower().replace(" ", "-"), "")
        return f"{slug}-{stem.strip('-')}.txt"


def company_name(i: int) -> str:
    return f"{_FIRST[i % len(_FIRST)]} {_SECOND[(i // len(_FIRST)) % len(_SECOND)]}" + (
        f" {i // (len(_FIRST) * len(_SECOND)) + 1}" if i >= len(_FIRST) * len(_SECOND) else ""
    )


def ticker(i: int) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return "".join(letters[(i // len(letters) ** k) % len(letters)] for k in range(3))


def render(variant: Variant) -> str:
    text = variant.sample.read_text(encoding="utf-8")
    for original in SAMPLE_NAMES:
        text = text.replace(original.upper(), variant.name.upper())
        text = text.replace(original, variant.name)
    for t in SAMPLE_TICKERS:
        text = re.sub(rf"\b{t}\b", ticker(variant.company), text)
    if variant.year_shift:
        text = _YEAR.sub(lambda m: str(int(m.group(1)) + variant.year_shift), text)
    if variant.factor != 1:
        text = "\n".join(_scale_line(line, variant.factor) for line in text.split("\n"))
    return text


def _scale_line(line: str, factor: int) -> str:
    def scaled(m: re.Match[str]) -> str:
        return f"{int(m.group(1).replace(',', '')) * factor:,}"

    is_table_row = "|" in line or "\t" in line
    return (_WHOLE if is_table_row else _GROUPED).sub(scaled, line)


def _families() -> list[list[Path]]:
    """The samples grouped by company: one family per sample company."""
    samples = sorted(SAMPLES.glob("*.txt"))
    if not samples:
        raise FileNotFoundError(f"no sample filings in {SAMPLES}")
    families = []
    for original in SAMPLE_NAMES:
        slug = original.lower().replace(" ", "-")
        family = [p for p in samples if p.name.startswith(slug)]
        if family:
            families.append(family)
    rest = [p for p in samples if not any(p in f for f in families)]
    return families + [[p] for p in rest]


def variants(n: int, start: int = 0) -> list[Variant]:
    """``n`` variants: companies side by side, each with several years of filings.

    Company ``c`` takes one sample family and repeats it with years shifted by 0, 2 and 4
    (the samples span two years, so shifted copies never claim the same period twice).
    """
    families = _families()
    out: list[Variant] = []
    company = 0
    while len(out) < start + n:
        family = families[company % len(families)]
        for shift in (0, 2, 4):
            for sample in family:
                out.append(Variant(sample, company, shift, factor=1 + company % 3))
        company += 1
    return out[start : start + n]


def write(inbox: Path, n: int, start: int = 0) -> list[Path]:
    """Write ``n`` variant filings into ``inbox``; returns their paths."""
    inbox.mkdir(parents=True, exist_ok=True)
    paths = []
    for v in variants(n, start):
        path = inbox / v.file_name
        path.write_text(render(v), encoding="utf-8")
        paths.append(path)
    return paths
