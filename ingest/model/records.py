"""The records a parsed filing is made of.

Plain dataclasses: the parser fills them, the warehouse loads them. Every record that
comes from the document carries ``line``, the 1-based line number in the decoded text,
so a user can find what the parser read.

Dates are ISO strings (``YYYY-MM-DD``) so that the records serialise to JSON as they are.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Issue:
    """Something the parser saw but could not interpret. Nothing is dropped silently."""

    line: int | None
    kind: str  # e.g. "decode", "table_truncated", "short_row", "unparsed_number", "tie_out"
    reason: str
    text: str | None = None
    table_index: int | None = None
    page: int | None = None  # PDF page (1-based) of its line, where the format has pages


@dataclass
class Period:
    """A reporting period. ``months`` is 3, 6, 9 or 12, or 0 for an instant (a balance)."""

    end: str | None
    months: int
    start: str | None = None
    label: str = ""


@dataclass
class Column:
    """One resolved value column of a table."""

    index: int  # position among the table's value columns, 0-based
    key: str  # stable key, e.g. "2012-12-31/3m", "indicated/cu_pct", "base_case"
    header: list[str]  # header texts that apply, outermost first
    period: Period | None = None
    unit: str | None = None  # "USD", "%", "g/t", "Mt", "Mlb", "shares", "years", ...
    scale: float = 1.0  # multiplier from scale words: "$000s" -> 1000
    group: str | None = None  # upper header spanning this column ("Indicated", "2012")
    sub: str | None = None  # lower header under a group ("Shares", "Amount")


@dataclass
class Cell:
    column: str  # Column.key
    raw: str
    value: float | None  # the printed number, scale not applied; None for blank, nil or text
    line: int
    is_nil: bool = False  # printed as a dash or "Nil": a stated zero / nothing
    page: int | None = None  # PDF page (1-based) of its line, where the format has pages
    box: tuple[float, float, float, float] | None = None  # its box on that page


@dataclass
class Row:
    line: int
    label: str  # cleaned label (footnote markers and LaTeX removed)
    raw_label: str
    kind: str = "data"  # "data", "group" (a heading row with no values), "total", "subtotal"
    group: str | None = None  # the group row this row sits under
    cells: list[Cell] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)  # markers such as "1" from "(1)"
    unit: str | None = None  # from a text unit column ("$/lb", "$ Million", "Years")
    page: int | None = None  # PDF page (1-based) of its line, where the format has pages


@dataclass
class Table:
    index: int  # order in the filing, 0-based
    title: str
    section: str  # the heading of the document section the table sits in
    start_line: int
    end_line: int
    format: str  # "tsv" or "pipe"
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    header_lines: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # footnotes printed under the table
    effective_date: str | None = None  # from the title, caption or surrounding text
    kind: str = "other"  # "financial", "resource", "reserve", "economics", "other"
    scale: float = 1.0  # table-wide scale ("in thousands")
    currency: str | None = None
    label_header: str = ""  # header of the label column ("Deposit", "Cut-off (% Cu)")
    parent_index: int | None = None  # continuation of that table under a new header block
    page: int | None = None  # PDF page (1-based) of its line, where the format has pages


@dataclass
class Fact:
    """A financial line item for one period, in the documented sign convention."""

    concept: str  # snake_case, e.g. "net_income", "exploration_expense", "working_capital"
    label: str  # as printed
    section: str
    table_index: int
    period_start: str | None
    period_end: str | None
    months: int
    value: float  # sign convention: see ingest.signs
    reported_value: float  # as printed, parentheses made negative, scale applied
    unit: str  # ISO currency ("USD"), "USD/share", "shares"
    line: int
    column: str = ""
    is_total: bool = False
    scale: float = 1.0
    half_unit: float | None = None  # half a unit of the last printed digit, in ``unit``
    page: int | None = None  # PDF page (1-based) of its line, where the format has pages


@dataclass
class Royalty:
    kind: str  # "NSR", "NPI", "GOR", ...
    pct: float
    holder: str | None
    line: int
    buyback_to_pct: float | None = None
    page: int | None = None  # PDF page (1-based) of its line, where the format has pages


@dataclass
class Expenditure:
    value: float
    currency: str
    period_end: str | None
    months: int
    line: int
    label: str = ""
    page: int | None = None  # PDF page (1-based) of its line, where the format has pages


@dataclass
class Property:
    name: str
    kind: str  # "property", "project", "licence", "deposit", "joint_venture", "zone"
    parent: str | None = None  # name of the parent property
    country: str | None = None
    region: str | None = None
    interest_pct: float | None = None
    royalties: list[Royalty] = field(default_factory=list)
    hectares: float | None = None
    claims: int | None = None
    expenditures: list[Expenditure] = field(default_factory=list)
    line: int | None = None  # first line that names it as a property
    page: int | None = None  # PDF page (1-based) of its line, where the format has pages


@dataclass
class Grade:
    commodity: str  # element symbol or equivalent: "Cu", "Au", "CuEq"
    grade: float | None = None  # % for base metals, g/t for precious
    grade_unit: str | None = None
    contained: float | None = None  # Mlb for base metals, Moz for precious
    contained_unit: str | None = None
    reported_grade: float | None = None
    reported_grade_unit: str | None = None
    reported_contained: float | None = None
    reported_contained_unit: str | None = None
    grade_half_unit: float | None = None  # printed precision, in ``grade_unit``
    contained_half_unit: float | None = None  # printed precision, in ``contained_unit``


@dataclass
class Estimate:
    """One reserve or resource line: a category of a deposit (or zone) at one cut-off."""

    deposit: str | None
    zone: str | None
    category: str  # proven, probable, measured, indicated, inferred, measured_indicated
    is_reserve: bool
    cutoff_value: float | None
    cutoff_unit: str | None  # e.g. "% Cu", "% CuEq", "g/t Au"
    effective_date: str | None
    tonnage_mt: float | None
    reported_tonnage: float | None
    reported_tonnage_unit: str | None
    grades: list[Grade] = field(default_factory=list)
    is_subtotal: bool = False  # subtotal/total rows: never add them to their parts
    table_index: int | None = None
    line: int = 0
    label: str = ""
    other: dict[str, float] = field(default_factory=dict)  # e.g. {"nsr_usd_per_t": 95.21}
    tonnage_half_unit: float | None = None  # printed precision of the tonnage, in Mt
    source: str | None = None  # "text" for a statement read from prose; None: a table row
    # True for a historical or superseded statement (a report prints the current one and
    # older ones); None for the current statement.
    historical: bool | None = None
    page: int | None = None  # PDF page (1-based) of its line, where the format has pages


@dataclass
class EconomicMetric:
    study_type: str | None  # "PEA", "PFS", "FS"
    property: str | None
    scenario: str  # lowercase: base, low, high, spot
    metric: str  # npv, irr, payback, metal_price, metal_revenue, capex, ...
    value: float
    unit: str  # "USD million", "%", "years", "USD/lb", ...
    line: int
    discount_rate_pct: float | None = None
    commodity: str | None = None
    pre_tax: bool | None = None
    source: str = "table"  # "table" or "text"
    table_index: int | None = None
    scenario_date: str | None = None  # price date of a "spot" case ("Spot Case (Oct 15/2012)")
    page: int | None = None  # PDF page (1-based) of its line, where the format has pages


@dataclass
class NarrativeFact:
    """A number stated in prose, with what it is about where that can be recognised."""

    concept: str  # e.g. "cash", "working_capital", "shares_outstanding", "npv"
    value: float
    unit: str
    line: int
    text: str  # the sentence (trimmed) it was read from
    period_end: str | None = None
    months: int | None = None
    subject: str | None = None  # property or deposit it is about
    qualifiers: dict[str, Any] = field(default_factory=dict)
    half_unit: float | None = None  # half a unit of the last printed digit, in ``unit``
    page: int | None = None  # PDF page (1-based) of its line, where the format has pages


@dataclass
class OperatingResult:
    """One operating figure of a mine or of the company: ore, grade, recovery, metal, costs.

    ``metric`` is one of ``ingest.lexicon.operating.METRICS``. ``value`` is in ``unit``, a
    base unit: tonnes of ore ("t"), ounces or pounds of metal ("oz", "lb"), "g/t" or "%"
    for grades, "%" for recovery, "USD/oz" for unit costs and prices, the currency for
    amounts (scale applied), "t/d" for throughput, "ratio" for a strip ratio.
    ``property`` is the mine it is about, None for the company's (consolidated) figure.
    """

    metric: str
    value: float
    unit: str
    line: int
    label: str  # the row label or the sentence's phrase, as printed
    value_as_printed: str
    period_start: str | None = None
    period_end: str | None = None
    months: int | None = None
    commodity: str | None = None
    property: str | None = None
    scope: str = "consolidated"  # "mine" or "consolidated"
    basis: str | None = None  # "by-product" or "co-product" for costs that say so
    source: str = "table"  # "table" or "text"
    table_index: int | None = None
    column: str = ""
    fact_index: int | None = None  # the Fact (of ``ParsedFiling.facts``) it was read from
    half_unit: float | None = None  # half a unit of the last printed digit, in ``unit``
    page: int | None = None  # PDF page (1-based) of its line, where the format has pages


@dataclass
class Metadata:
    company_name: str | None = None
    report_type: str | None = None  # "MD&A"
    period_type: str | None = None  # annual | quarter | six_months | nine_months
    period_start: str | None = None
    period_end: str | None = None
    fiscal_year: int | None = None
    currency: str | None = None  # ISO 4217
    accounting_basis: str | None = None  # "US GAAP" | "IFRS" | "Canadian GAAP"
    effective_date: str | None = None  # the MD&A's "as of" / "dated" date
    content_sha256: str = ""
    tickers: list[dict[str, str]] = field(default_factory=list)  # {"exchange", "symbol"}
    source_name: str | None = None
    encoding: str = "utf-8"
    line_count: int = 0
    source_format: str = "text"  # the reader that read it: "text", "pdf", "html"
    page_count: int | None = None  # a PDF's pages, up to its last with text; None: no pages
    # Prose "inclusive of mineral reserves" -> True; "exclusive of" / "in addition to" -> False.
    resources_inclusive_of_reserves: bool | None = None
    # How each field was found: "text", "sidecar", "edgar_header", "cover_page",
    # "inline_xbrl", "form" (the period type an SEC form reports), "file_name" (inferred).
    sources: dict[str, str] = field(default_factory=dict)


@dataclass
class EquivalenceTerm:
    """One metal's contribution to an equivalent grade: ``coefficient`` x its grade."""

    commodity: str  # "Cu", "Au", "Mo"
    unit: str | None  # the unit the formula reads this grade in: "%", "g/t", "ppm"
    coefficient: float


@dataclass
class EquivalenceFormula:
    """A stated equivalent-grade formula, linearised: intercept + sum(coefficient x grade)."""

    commodity: str  # "CuEq", "AuEq"
    unit: str | None  # unit of the equivalent grade: "%", "g/t"
    intercept: float
    terms: list[EquivalenceTerm]
    line: int
    text: str  # the formula as printed (normalised text)
    page: int | None = None  # PDF page (1-based) of its line, where the format has pages


@dataclass
class Footing:
    """A printed total against the sum of the lines it totals, whether it foots or not.

    ``expected`` is the sum of the components in the sign convention ``observed`` is
    printed in; both have the table's scale applied and are in ``unit``. ``tolerance`` is
    the sum of the half units of every component and of the total (their rounding), so a
    footing fails only when ``abs(expected - observed) > tolerance``.
    """

    table_index: int
    column: str  # Column.key
    line: int  # the total row's line
    label: str  # the total row's label
    kind: str  # "result" (net loss = previous result + block), "total", "subtotal"
    expected: float
    observed: float
    tolerance: float
    terms: int  # how many components were added
    component_lines: list[int] = field(default_factory=list)
    unit: str | None = None

    page: int | None = None  # PDF page (1-based) of its line, where the format has pages

    @property
    def foots(self) -> bool:
        return abs(self.expected - self.observed) <= self.tolerance


@dataclass
class ParsedFiling:
    metadata: Metadata
    tables: list[Table] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    properties: list[Property] = field(default_factory=list)
    estimates: list[Estimate] = field(default_factory=list)
    economics: list[EconomicMetric] = field(default_factory=list)
    narrative_facts: list[NarrativeFact] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    equivalences: list[EquivalenceFormula] = field(default_factory=list)
    footings: list[Footing] = field(default_factory=list)
    operating_results: list[OperatingResult] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, sort_keys=False)


class UnreadableFiling(Exception):
    """The file cannot be read as text at all (missing, binary). The message names the file."""
