"""The check fixtures at parser level: each is its base plus one edit, and the parser sees it.

The pipeline tests (test_checks_pipeline.py) prove that each fixture makes its check fire;
these prove the fixture is what its README says, before any check exists: the file is the
renamed base with exactly its edit, the parser reads the edited value where the edit is and
the base's values everywhere else, and the clean filing ties out on every family.
"""

from __future__ import annotations

import math
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

import ingest
from conftest import FIXTURES_DIR, load_check_fixtures

pytestmark = pytest.mark.unit

CHECKS_DIR = FIXTURES_DIR / "checks"
spec = load_check_fixtures()
IDS = [f.name for f in spec.ALL]


@cache
def parsed(text: str):
    """The parser's reading of ``text`` (cached: several tests read each fixture)."""
    return ingest.parse_filing(text.encode("utf-8"))


def records(p) -> dict[tuple, list]:
    """Every number the parser read, keyed by where it is and what it is."""
    out: dict[tuple, list] = defaultdict(list)
    for f in p.facts:
        key = ("fact", f.line, f.table_index, f.concept, f.period_end, f.months, f.column)
        out[key].append(f.value)
    for e in p.estimates:
        out[("tonnage", e.line, e.category)].append(e.tonnage_mt)
        out[("cutoff", e.line)].append((e.cutoff_value, e.cutoff_unit))
        for g in e.grades:
            out[("grade", e.line, g.commodity)].append(g.grade)
            out[("contained", e.line, g.commodity)].append(g.contained)
    for m in p.economics:
        key = ("economic", m.line, m.metric, m.scenario, m.discount_rate_pct, m.source)
        out[key].append(m.value)
    for n in p.narrative_facts:
        out[("narrative", n.line, n.concept, n.period_end, n.months, n.unit)].append(n.value)
    for o in p.operating_results:
        key = ("operating", o.line, o.source, o.property, o.metric, o.period_end, o.months, o.unit)
        out[key].append(o.value)
    return {k: sorted(v, key=lambda x: (x is None, x)) for k, v in out.items()}


def probe(p, pr) -> float | str | None:
    """The value the fixture's probe names in parsed filing ``p`` (None: no such record)."""
    if pr.kind == "company":
        return p.metadata.company_name
    if pr.kind == "fact":
        line, concept, end, months = pr.keys
        hits = [
            f.value
            for f in p.facts
            if (f.line, f.concept, f.period_end, f.months) == (line, concept, end, months)
        ]
    elif pr.kind in ("grade", "tonnage", "cutoff"):
        estimates = [e for e in p.estimates if e.line == pr.keys[0]]
        if pr.kind == "tonnage":
            hits = [e.tonnage_mt for e in estimates]
        elif pr.kind == "cutoff":
            hits = [e.cutoff_value for e in estimates]
        else:
            _, commodity, what = pr.keys
            hits = [
                getattr(g, what) for e in estimates for g in e.grades if g.commodity == commodity
            ]
    elif pr.kind == "economic":
        line, metric, scenario, rate = pr.keys
        hits = [
            m.value
            for m in p.economics
            if (m.line, m.metric, m.scenario, m.discount_rate_pct, m.source)
            == (line, metric, scenario, rate, "table")
        ]
    elif pr.kind == "narrative":
        line, concept, end = pr.keys
        hits = [
            n.value
            for n in p.narrative_facts
            if (n.line, n.concept, n.period_end) == (line, concept, end)
        ]
    elif pr.kind == "operating":
        hits = [
            o.value
            for o in p.operating_results
            if o.source == "table" and (o.line, o.metric, o.period_end, o.months) == pr.keys
        ]
    else:
        raise AssertionError(f"unknown probe kind {pr.kind}")
    assert len(hits) <= 1, f"probe {pr} is ambiguous: {hits}"
    return hits[0] if hits else None


def probe_keys(pr) -> set[tuple]:
    """The record keys (see ``records``) that the edit may change."""
    if pr.kind == "fact":
        return {("fact", pr.keys[0])}
    if pr.kind == "grade":
        what = "contained" if pr.keys[2] == "contained" else "grade"
        return {(what, pr.keys[0], pr.keys[1])}
    if pr.kind in ("tonnage", "cutoff"):
        return {(pr.kind, pr.keys[0])}
    if pr.kind == "economic":
        return {("economic", pr.keys[0], pr.keys[1], pr.keys[2], pr.keys[3])}
    if pr.kind == "narrative":
        return {("narrative", pr.keys[0], pr.keys[1], pr.keys[2])}
    if pr.kind == "operating":
        # a table's operating figure is read from the fact of its row
        return {("operating", pr.keys[0], "table"), ("fact", pr.keys[0])}
    return set()


def _allowed(key: tuple, allowed: set[tuple], lines: tuple[int, ...]) -> bool:
    if key[1] in lines:
        return True
    return any(key[: len(a)] == a for a in allowed)


@pytest.mark.parametrize("fixture", spec.ALL, ids=IDS)
def test_file_is_its_renamed_base_with_only_its_edit(fixture) -> None:
    text = spec.path(fixture).read_text(encoding="utf-8")
    assert text == spec.build(fixture), "stale: run tests/fixtures/checks/make_fixtures.py"
    base = "\n".join([spec.renamed_base(fixture)] * fixture.copies).split("\n")
    lines = text.split("\n")
    assert len(lines) == len(base)
    changed = {i + 1 for i, (a, b) in enumerate(zip(base, lines, strict=True)) if a != b}
    assert changed == {e.line for e in fixture.edits}


@pytest.mark.parametrize("fixture", spec.ALL, ids=IDS)
def test_fixture_names_its_own_company_only(fixture) -> None:
    text = spec.path(fixture).read_text(encoding="utf-8")
    old = spec.BASE_COMPANY[fixture.base]
    assert old.short not in text and old.short.upper() not in text
    p = parsed(text)
    expected = fixture.company.full if fixture.company else None
    assert p.metadata.company_name == expected


def test_fixture_companies_are_distinct_except_the_restatement_pair() -> None:
    by_company = defaultdict(list)
    for f in spec.ALL:
        if f.company:
            by_company[f.company.full].append(f)
    by_company[spec.TAMARACK.full].append(None)
    for name, fixtures in by_company.items():
        groups = {f.group for f in fixtures if f}
        assert len(fixtures) == 1 or (groups != {None} and len(groups) == 1), name


@pytest.mark.parametrize("fixture", spec.ALL, ids=IDS)
def test_parser_reads_the_edit_and_the_base_elsewhere(fixture) -> None:
    base = parsed(spec.renamed_base(fixture))
    fix = parsed(spec.path(fixture).read_text(encoding="utf-8"))
    assert probe(base, fixture.probe) == fixture.old_value
    assert probe(fix, fixture.probe) == fixture.new_value
    before, after = records(base), records(fix)
    if fixture.copies > 1:
        # Each copy reads as the base does: the second's records are the first's, twice.
        shift, tables = spec.renamed_base(fixture).count("\n") + 1, len(base.tables)
        twice = defaultdict(list)
        for k, v in before.items():
            twice[k] += v
            again = (k[0], k[1] + shift, *k[2:])
            if k[0] == "fact":  # a fact's key holds its table's index too
                again = (*again[:2], k[2] + tables, *again[3:])
            twice[again] += v
        after = {k: sorted(v, key=lambda x: (x is None, x)) for k, v in twice.items()}
        after, before = records(fix), after
    allowed = probe_keys(fixture.probe)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    unexpected = {k for k in changed if not _allowed(k, allowed, fixture.lines_ignored)}
    assert not unexpected, {k: (before.get(k), after.get(k)) for k in sorted(unexpected, key=str)}
    if fixture.probe.kind != "company":
        assert changed, "the edit changed nothing the parser reads"


@pytest.mark.parametrize("base", sorted({f.base for f in spec.ALL}, key=str), ids=lambda p: p.name)
def test_renaming_changes_no_number(base: Path) -> None:
    fixture = next(f for f in spec.ALL if f.base == base and f.company)
    original = parsed(base.read_text(encoding="utf-8"))
    renamed = parsed(spec.renamed_base(fixture))
    assert records(original) == records(renamed)


def test_duplicate_fixture_gives_one_concept_two_values_in_one_table() -> None:
    fixture = next(f for f in spec.ALL if f.check == "no_conflicting_duplicates")
    p = parsed(spec.path(fixture).read_text(encoding="utf-8"))
    values = {
        (f.table_index, f.line, f.value)
        for f in p.facts
        if f.concept == "interest_expense" and f.period_end == "2023-12-31" and f.months == 12
    }
    assert {(t, v) for t, _, v in values} == {(8, -184302.0), (8, -127946.0)}


# -- the clean filing ties out on every family ------------------------------------------

MLB_PER_MT_PCT = 22.0462  # Mt x % -> Mlb: 1e6 t x 1/100 x 2204.62 lb/t / 1e6
MOZ_PER_MT_GPT = 1 / 31.1035  # Mt x g/t -> Moz


@pytest.fixture(scope="module")
def clean():
    return parsed(spec.CLEAN.read_text(encoding="utf-8"))


def _facts(p, concept, **keys):
    return [
        f
        for f in p.facts
        if f.concept == concept and all(getattr(f, k) == v for k, v in keys.items())
    ]


def test_clean_footing_and_tables_agree(clean) -> None:
    for year, end in (("2024", "2024-12-31"), ("2023", "2023-12-31")):
        review = [f for f in clean.facts if f.table_index == 5 and f.period_end == end]
        components = sum(f.value for f in review if not f.is_total)
        (total,) = [f.value for f in review if f.is_total]
        assert components == total, year
        tables = {f.value for f in _facts(clean, "net_income", period_end=end, months=12)}
        assert len(tables) == 1 and len(_facts(clean, "net_income", period_end=end, months=12)) == 2
    assert not clean.issues


def test_clean_quarters_and_per_share(clean) -> None:
    quarters = _facts(clean, "net_income", months=3)
    (year,) = {f.value for f in _facts(clean, "net_income", period_end="2024-12-31", months=12)}
    assert len(quarters) == 4 and sum(f.value for f in quarters) == year
    for end in ("2024-12-31", "2023-12-31"):
        (loss,) = {f.value for f in _facts(clean, "net_income", period_end=end, months=12)}
        (shares,) = _facts(
            clean, "weighted_average_number_of_common_shares_outstanding", period_end=end
        )
        (eps,) = _facts(clean, "net_income_per_share", period_end=end, months=12)
        assert abs(loss / shares.value - eps.value) <= 0.005


def test_clean_mining_physics(clean) -> None:
    for e in clean.estimates:
        grades = {g.commodity: g for g in e.grades}
        for g in e.grades:
            if g.contained is None:
                continue
            factor = MLB_PER_MT_PCT if g.contained_unit == "Mlb" else MOZ_PER_MT_GPT
            decimals = {"Mlb": 0.5, "Moz": 0.0005}[g.contained_unit]
            assert abs(e.tonnage_mt * g.grade * factor - g.contained) <= decimals, (e.line, g)
        if "CuEq" in grades:
            (formula,) = clean.equivalences
            computed = (
                sum(t.coefficient * grades[t.commodity].grade for t in formula.terms)
                + formula.intercept
            )
            assert abs(computed - grades["CuEq"].grade) <= 0.005, e.line
    borealis = sorted(
        (e for e in clean.estimates if e.deposit == "Borealis"), key=lambda e: e.cutoff_value
    )
    assert len(borealis) == 4
    for lower, higher in zip(borealis, borealis[1:], strict=False):
        assert higher.tonnage_mt < lower.tonnage_mt
        for a, b in zip(lower.grades, higher.grades, strict=True):
            assert b.grade > a.grade
    reserves = {e.category: e.tonnage_mt for e in clean.estimates if e.is_reserve}
    resources = {
        e.category: e.tonnage_mt
        for e in clean.estimates
        if e.deposit == "Aurora" and not e.is_reserve
    }
    assert clean.metadata.resources_inclusive_of_reserves is True
    assert (
        reserves["proven"] <= resources["measured"]
        and reserves["probable"] <= resources["indicated"]
    )
    for e in clean.estimates:
        for g in e.grades:
            assert 0 < g.grade < (100 if g.grade_unit == "%" else 1000)


def test_clean_economics_and_narrative(clean) -> None:
    table = [m for m in clean.economics if m.source == "table"]
    npv = {(m.scenario, m.discount_rate_pct): m.value for m in table if m.metric == "npv"}
    order = ["low", "base", "high"]
    for s in order:
        assert npv[(s, 5.0)] > npv[(s, 8.0)]
    for rate in (5.0, 8.0):
        assert [npv[(s, rate)] for s in order] == sorted(npv[(s, rate)] for s in order)
    assert all(0 < m.value < 100 for m in table if m.metric == "irr")
    assert all(m.value > 0 for m in table if m.metric == "payback")
    narrative = {(n.concept, n.period_end): n.value for n in clean.narrative_facts}
    for concept, end, months in (
        ("net_income", "2024-12-31", 12),
        ("net_income", "2023-12-31", 12),
        ("working_capital", "2024-12-31", 0),
    ):
        facts = _facts(clean, concept, period_end=end, months=months)
        assert facts and all(math.isclose(f.value, narrative[(concept, end)]) for f in facts)
    assert math.isclose(narrative[("npv", None)], npv[("base", 8.0)] * 1e6)


def test_readme_lists_every_fixture() -> None:
    text = (CHECKS_DIR / "README.md").read_text(encoding="utf-8")
    assert text == spec.readme(), "stale: run tests/fixtures/checks/make_fixtures.py"


def test_only_the_footing_fixture_fails_a_footing() -> None:
    for fixture in spec.ALL:
        p = parsed(spec.path(fixture).read_text(encoding="utf-8"))
        failing = [
            (f.line, f.column, f.expected, f.observed)
            for f in p.footings
            if abs(f.expected - f.observed) > f.tolerance
        ]
        if fixture.check == "footing":
            assert failing == [(73, "2024-06-30/12m", 44402000.0, 44502000.0)]
        else:
            assert not failing, fixture.name
