"""Properties, their hierarchy and the facts prose states about them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLES_DIR
from ingest.extractors.metadata import extract_metadata
from ingest.extractors.properties import extract_properties
from ingest.model import Issue, Property
from ingest.readers.text import load


def _read(data: bytes, name: str = "inline.txt") -> tuple[dict[str, Property], list[Issue]]:
    doc = load(data, name)
    meta, _ = extract_metadata(doc)
    props, issues = extract_properties(doc, meta)
    by_name = {p.name: p for p in props}
    assert len(by_name) == len(props), "property names are unique"
    return by_name, issues


def _sample(name: str) -> Path:
    path = SAMPLES_DIR / name
    if not path.is_file():
        pytest.skip(f"sample filing {name} not present in {SAMPLES_DIR}")
    return path


# --- an invented MD&A ------------------------------------------------------------------

_MDA = """
HALFMOON METALS CORP.
MANAGEMENT'S DISCUSSION AND ANALYSIS
For the Year Ended December 31, 2021
(In United States dollars unless stated otherwise)

INTRODUCTION

This MD&A of Halfmoon Metals Corp. (the "Company" or "Halfmoon") is dated March 3, 2022.

OVERVIEW

Our principal assets are the Ridgeback property in Chile (the "Ridgeback Property") and our Salt Flat project in Nevada (the "Salt Flat Project").

The Ridgeback Property in the Atacama Region of Chile is comprised of two mining concessions, Quillay and Tolar. Quillay and Tolar host the Quillay North deposit and the Tolar deposit, respectively.

The Salt Flat Project includes the Salt Flat and the Dune deposits.

CHILE - RIDGEBACK

Halfmoon has a 100% interest in the Quillay concession, which covers 4,210 hectares. Halfmoon holds a 75% interest in the Tolar concession, with Minera Andina SpA holding the remaining 25% interest. The Tolar concession covers 2,950 hectares and is subject to a 1.5% NSR royalty in favour of Andes Royalty Ltd.

For the year ended December 31, 2021, Ridgeback Property expenditures were $3,400,000 compared to $2,100,000 during the year ended December 31, 2020.

UNITED STATES - SALT FLAT

The Salt Flat Project consists of 410 unpatented lode claims and 6 patented lode claims covering approximately 3,300 hectares. Unless described below, Halfmoon has a 100% interest in the claims comprising the Salt Flat Project. 120 of the unpatented lode claims are subject to a 2% net smelter returns ("NSR") royalty (which may be bought down to a 1% NSR royalty for $1 million).

Halfmoon has a 100% interest in 40 unpatented lode claims (the Gully claims) within the project.

Pinto and Mesa, Arizona

On June 1, 2021, Halfmoon entered into an agreement with Desert Finders LLC to purchase a 100% interest in two targets - the Pinto property in Arizona, and the Mesa property, which is located 20 kilometres south of Pinto. Each property is subject to a 2% NSR royalty granted to Desert Finders. Each NSR royalty may be bought down to 1% for $500,000.

For the year ended December 31, 2021, expenses incurred on the Pinto and Mesa targets were $85,000 compared to $40,000 during the year ended December 31, 2020.

Old Mill, Nevada

On May 2, 2021, the Company sold its 100% interest in the Old Mill property to Ore Buyer Inc. for $50,000 and a 1% NSR royalty.

PERU

In April 2021, Halfmoon entered into an option agreement whereby Halfmoon may earn a 65% interest in the Kallpa property located in the Cusco Region of southern Peru. The property consists of five concessions totalling 2,600 hectares.

OTHER

The Company also holds a 0.5% NSR royalty on a former property.
"""


@pytest.fixture(scope="module")
def mda() -> tuple[dict[str, Property], list[Issue]]:
    return _read(_MDA.encode("utf-8"))


def test_hierarchy_from_phrases(mda: tuple[dict[str, Property], list[Issue]]) -> None:
    props, _ = mda
    assert props["Quillay"].kind == "licence" and props["Quillay"].parent == "Ridgeback Property"
    assert props["Tolar"].parent == "Ridgeback Property"
    # "A and B host the C deposit and the D deposit, respectively"
    assert props["Quillay North"].kind == "deposit"
    assert props["Quillay North"].parent == "Quillay"
    assert props["Tolar"].kind == "licence"
    assert props["Salt Flat"].kind == "deposit" and props["Salt Flat"].parent == "Salt Flat Project"
    assert props["Dune"].parent == "Salt Flat Project"
    assert props["Salt Flat Project"].kind == "project"


def test_location_from_phrases_headings_and_country_sections(
    mda: tuple[dict[str, Property], list[Issue]],
) -> None:
    props, _ = mda
    assert (props["Ridgeback Property"].country, props["Ridgeback Property"].region) == (
        "Chile",
        "Atacama",
    )
    assert props["Quillay North"].country == "Chile"  # inherited
    assert (props["Salt Flat Project"].country, props["Salt Flat Project"].region) == (
        "United States",
        "Nevada",
    )
    assert (props["Pinto"].country, props["Pinto"].region) == ("United States", "Arizona")
    assert (props["Kallpa"].country, props["Kallpa"].region) == ("Peru", "Cusco")


def test_interest_is_the_companys_own(mda: tuple[dict[str, Property], list[Issue]]) -> None:
    props, _ = mda
    assert props["Quillay"].interest_pct == 100.0
    assert props["Tolar"].interest_pct == 75.0  # not the partner's remaining 25%
    assert props["Salt Flat Project"].interest_pct == 100.0
    assert props["Pinto"].interest_pct == 100.0 and props["Mesa"].interest_pct == 100.0
    assert props["Kallpa"].interest_pct == 65.0  # an earn-in target, nothing firmer stated
    assert props["Ridgeback Property"].interest_pct is None


def test_royalties_with_buydowns_and_holders(mda: tuple[dict[str, Property], list[Issue]]) -> None:
    props, _ = mda
    [tolar] = props["Tolar"].royalties
    assert (tolar.kind, tolar.pct, tolar.holder, tolar.buyback_to_pct) == (
        "NSR",
        1.5,
        "Andes Royalty Ltd",
        None,
    )
    [salt] = props["Salt Flat Project"].royalties
    assert (salt.kind, salt.pct, salt.buyback_to_pct) == ("NSR", 2.0, 1.0)
    for name in ("Pinto", "Mesa"):
        [r] = props[name].royalties
        # the buy-down is stated in the sentence after the royalty
        assert (r.pct, r.holder, r.buyback_to_pct) == (2.0, "Desert Finders", 1.0)


def test_size_claims_and_subsets(mda: tuple[dict[str, Property], list[Issue]]) -> None:
    props, _ = mda
    assert props["Quillay"].hectares == 4210.0
    assert props["Tolar"].hectares == 2950.0
    assert props["Salt Flat Project"].hectares == 3300.0
    assert props["Salt Flat Project"].claims == 416  # unpatented and patented added
    assert props["Kallpa"].hectares == 2600.0


def test_expenditures_with_periods(mda: tuple[dict[str, Property], list[Issue]]) -> None:
    props, _ = mda
    spent = [(e.value, e.period_end, e.months) for e in props["Ridgeback Property"].expenditures]
    assert spent == [(3400000.0, "2021-12-31", 12), (2100000.0, "2020-12-31", 12)]
    # One amount for two properties: on each, labelled as combined.
    for name in ("Pinto", "Mesa"):
        exp = props[name].expenditures
        assert [(e.value, e.period_end) for e in exp] == [
            (85000.0, "2021-12-31"),
            (40000.0, "2020-12-31"),
        ]
        assert all(e.label == "combined: Pinto, Mesa" and e.currency == "USD" for e in exp)


def test_lines_are_first_mentions(mda: tuple[dict[str, Property], list[Issue]]) -> None:
    props, _ = mda
    lines = _MDA.split("\n")
    for prop in props.values():
        assert prop.line is not None
        assert prop.name.split()[0] in lines[prop.line - 1], prop.name


def test_sold_property_is_left_out_and_unattached_royalty_is_an_issue(
    mda: tuple[dict[str, Property], list[Issue]],
) -> None:
    props, issues = mda
    assert "Old Mill" not in props
    kinds = [(i.kind, i.reason) for i in issues]
    assert all(k == "unattached_property_fact" for k, _ in kinds)
    assert any("1% NSR royalty on a property the company sold" in r for _, r in kinds)
    assert any("0.5% NSR royalty" in r for _, r in kinds)
    assert len(issues) == 2


def test_no_property_text_gives_nothing() -> None:
    props, issues = _read(b"General and administrative costs decreased in 2021.\n")
    assert props == {} and issues == []


def test_arbitrary_bytes_do_not_raise() -> None:
    for data in (
        b"",
        b"\n\n\n",
        b'100% interest in (the "" 0 hectares',
        bytes(range(9, 127)),
    ):
        props, issues = _read(data)
        assert isinstance(props, dict) and isinstance(issues, list)


# --- the real filing -------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(real_filing: Path) -> tuple[dict[str, Property], list[Issue]]:
    return _read(real_filing.read_bytes(), real_filing.name)


def test_real_filing_property_set(real: tuple[dict[str, Property], list[Issue]]) -> None:
    props, _ = real
    assert set(props) == {
        "Lookout Hill",
        "Shivee Tolgoi",
        "Javhlant",
        "Hugo North Extension",
        "Heruga",
        "Entrée-OTLLC Joint Venture",
        "Shivee West",
        "Ann Mason Project",
        "Ann Mason",
        "Blue Hill",
        "Lordsburg",
        "Oak Grove",
        "Shamrock",
        "Eagle Flats",
        "Blue Rose Joint Venture",
        "Mystique",
        "Lukkacha",
    }


def test_real_filing_hierarchy(real: tuple[dict[str, Property], list[Issue]]) -> None:
    props, _ = real
    parents = {name: p.parent for name, p in props.items()}
    assert parents["Shivee Tolgoi"] == "Lookout Hill"
    assert parents["Javhlant"] == "Lookout Hill"
    assert parents["Hugo North Extension"] == "Shivee Tolgoi"
    assert parents["Heruga"] == "Javhlant"
    assert parents["Shivee West"] == "Shivee Tolgoi"
    assert parents["Entrée-OTLLC Joint Venture"] == "Lookout Hill"
    assert parents["Ann Mason"] == "Ann Mason Project"
    assert parents["Blue Hill"] == "Ann Mason Project"
    assert parents["Lookout Hill"] is None and parents["Lordsburg"] is None
    kinds = {name: p.kind for name, p in props.items()}
    assert kinds["Shivee Tolgoi"] == kinds["Javhlant"] == "licence"
    assert kinds["Hugo North Extension"] == kinds["Heruga"] == kinds["Blue Hill"] == "deposit"
    assert (
        kinds["Entrée-OTLLC Joint Venture"] == kinds["Blue Rose Joint Venture"] == "joint_venture"
    )
    assert kinds["Ann Mason Project"] == "project"


def test_real_filing_locations(real: tuple[dict[str, Property], list[Issue]]) -> None:
    props, _ = real
    where = {name: (p.country, p.region) for name, p in props.items()}
    assert where["Lookout Hill"] == ("Mongolia", "South Gobi")
    assert where["Heruga"] == ("Mongolia", "South Gobi")
    assert where["Ann Mason Project"] == ("United States", "Nevada")
    assert where["Lordsburg"] == ("United States", "New Mexico")
    assert where["Oak Grove"] == ("United States", "New Mexico")
    assert where["Shamrock"] == ("United States", "Nevada")
    assert where["Eagle Flats"] == ("United States", "Nevada")
    assert where["Blue Rose Joint Venture"] == ("Australia", "South Australia")
    assert where["Mystique"] == ("Australia", "Western Australia")
    assert where["Lukkacha"] == ("Peru", "Tacna")


def test_real_filing_interests(real: tuple[dict[str, Property], list[Issue]]) -> None:
    props, _ = real
    interest = {name: p.interest_pct for name, p in props.items()}
    assert interest["Ann Mason Project"] == 100.0
    assert interest["Shivee West"] == 100.0
    assert interest["Entrée-OTLLC Joint Venture"] == 20.0  # not OTLLC's earned 70% / 80%
    assert interest["Blue Rose Joint Venture"] == 51.6  # not Atlas's retained 48.4%
    assert interest["Lordsburg"] == interest["Oak Grove"] == 100.0
    assert interest["Lukkacha"] == 70.0  # may earn: the only interest stated
    assert (
        interest["Hugo North Extension"] == 20.0
    )  # "Entrée's 20% interest in the Hugo North Extension"
    assert interest["Mystique"] is None  # Black Fire's earn-in is not Entrée's interest
    assert interest["Shamrock"] is None  # 100% of 18 claims is not the property's interest


def test_real_filing_royalties(real: tuple[dict[str, Property], list[Issue]]) -> None:
    props, _ = real

    def rows(name: str) -> list[tuple[str, float, str | None, float | None, int]]:
        return [(r.kind, r.pct, r.holder, r.buyback_to_pct, r.line) for r in props[name].royalties]

    assert rows("Ann Mason Project") == [
        ("NSR", 3.0, None, 1.0, 232),
        ("NSR", 2.0, "AngloGold Ashanti (Nevada) Corp", None, 237),
    ]
    # Stated three times (lines 237, 369, 557): kept once, on each deposit it names.
    assert rows("Ann Mason") == [("NSR", 0.4, "Sandstorm Gold Ltd", None, 237)]
    assert rows("Blue Hill") == [("NSR", 0.4, "Sandstorm Gold Ltd", None, 237)]
    assert rows("Lordsburg") == [("NSR", 2.0, "Empirical", 1.0, 467)]
    assert rows("Oak Grove") == [("NSR", 2.0, "Empirical", 1.0, 467)]
    assert rows("Eagle Flats") == [("NSR", 2.0, None, 1.0, 490)]
    assert rows("Lukkacha") == [("NSR", 2.0, "vendors", 1.0, 517)]  # "half of which"


def test_real_filing_sizes(real: tuple[dict[str, Property], list[Issue]]) -> None:
    props, _ = real
    assert props["Entrée-OTLLC Joint Venture"].hectares == 39807.0
    assert props["Shivee West"].hectares == 35173.0
    assert props["Lordsburg"].hectares == 2013.0
    assert props["Oak Grove"].hectares == 1435.0
    assert props["Shamrock"].hectares == 362.0
    assert props["Lukkacha"].hectares == 4400.0
    assert props["Blue Rose Joint Venture"].hectares == 100000.0  # 1,000 square kilometres
    assert props["Ann Mason Project"].claims == 1073  # 1053 unpatented + 20 patented
    assert props["Shamrock"].claims == 54
    assert props["Eagle Flats"].claims == 58


def test_real_filing_expenditures(real: tuple[dict[str, Property], list[Issue]]) -> None:
    props, _ = real

    def rows(name: str) -> list[tuple[float, str | None, int, int]]:
        return [(e.value, e.period_end, e.months, e.line) for e in props[name].expenditures]

    # Also stated at line 442 ("including $5,691,528 in the year ended ..."): kept once.
    assert rows("Ann Mason Project") == [
        (5691528.0, "2012-12-31", 12, 442),
        (13202048.0, "2011-12-31", 12, 461),
    ]
    assert rows("Shivee West") == [
        (1964883.0, "2012-12-31", 12, 436),
        (3255588.0, "2011-12-31", 12, 436),
    ]
    assert rows("Lukkacha") == [(41646.0, "2012-12-31", 12, 521), (60298.0, "2011-12-31", 12, 521)]
    assert (
        rows("Lordsburg")
        == rows("Oak Grove")
        == [
            (135703.0, "2012-12-31", 12, 482),
            (142538.0, "2011-12-31", 12, 482),
        ]
    )
    assert {e.label for e in props["Oak Grove"].expenditures} == {"combined: Lordsburg, Oak Grove"}
    # The joint venture's cumulative "$25.5 million ... since formation" has no period.
    assert props["Entrée-OTLLC Joint Venture"].expenditures == []


def test_real_filing_first_lines(real: tuple[dict[str, Property], list[Issue]]) -> None:
    props, _ = real
    lines = {name: p.line for name, p in props.items()}
    assert lines["Lookout Hill"] == 30
    assert lines["Ann Mason Project"] == 30
    assert lines["Hugo North Extension"] == lines["Heruga"] == 32
    assert lines["Ann Mason"] == lines["Blue Hill"] == 39
    assert lines["Shivee Tolgoi"] == lines["Javhlant"] == 45
    assert lines["Shivee West"] == 51
    assert lines["Lordsburg"] == lines["Oak Grove"] == 463
    assert lines["Lukkacha"] == 517


def test_real_filing_issues(real: tuple[dict[str, Property], list[Issue]]) -> None:
    _, issues = real
    # The royalty the company kept on the Rainbow Canyon property it sold.
    assert [(i.line, i.kind) for i in issues] == [(657, "unattached_property_fact")]
    assert "3% NSR royalty" in issues[0].reason


# --- our sample filings (samples/filings/README.md, answer key rows 42-51, 82-84) ------


def test_sample_kestrel_properties() -> None:
    props, issues = _read(_sample("kestrel-ridge-2023-annual-mda.txt").read_bytes())
    kr = props["Kestrel Ridge Property"]
    assert (kr.country, kr.region, kr.hectares) == ("Chile", "Antofagasta", 10997.0)
    assert [(e.value, e.period_end) for e in kr.expenditures] == [
        (7284915.0, "2023-12-31"),
        (9602118.0, "2022-12-31"),
    ]
    alcotan, halcon = props["Alcotan"], props["Halcon"]
    assert (alcotan.kind, alcotan.parent, alcotan.interest_pct, alcotan.hectares) == (
        "licence",
        "Kestrel Ridge Property",
        100.0,
        6842.0,
    )
    assert [(r.pct, r.holder) for r in alcotan.royalties] == [(1.5, "Atacama Royalty Partners Ltd")]
    assert (halcon.interest_pct, halcon.hectares) == (80.0, 4155.0)
    assert [(r.pct, r.holder) for r in halcon.royalties] == [(0.5, "Pampa Roja")]
    assert props["North Zone"].parent == "Alcotan" and props["South Zone"].parent == "Halcon"
    cw = props["Coyote Wells Project"]
    assert (cw.country, cw.region, cw.interest_pct, cw.claims, cw.hectares) == (
        "United States",
        "Nevada",
        100.0,
        859,
        7120.0,
    )
    assert [(r.pct, r.holder, r.buyback_to_pct) for r in cw.royalties] == [
        (3.0, "Bristlecone Minerals LLC", 1.5)
    ]
    assert [(r.pct, r.holder) for r in props["Coyote Wells"].royalties] == [
        (0.5, "Sagebrush Royalty Corp")
    ]
    sc = props["Sable Creek"]
    assert (sc.region, sc.claims, sc.hectares, sc.interest_pct) == ("Arizona", 64, 535.0, 100.0)
    assert [(r.pct, r.holder, r.buyback_to_pct) for r in sc.royalties] == [
        (2.0, "Ocotillo Resources LLC", 1.0)
    ]
    assert [e.value for e in sc.expenditures] == [512048.0, 301664.0]
    cv = props["Cerro Vizcacha"]
    assert (cv.country, cv.region, cv.interest_pct, cv.hectares) == (
        "Peru",
        "Arequipa",
        70.0,
        3800.0,
    )
    mb = props["Mallee Bore Joint Venture"]
    assert (mb.kind, mb.region, mb.interest_pct, mb.hectares) == (
        "joint_venture",
        "South Australia",
        57.3,
        18640.0,
    )
    assert [(r.kind, r.pct, r.holder) for r in mb.royalties] == [
        ("GOR", 1.25, "Outback Royalty Holdings Pty Ltd")
    ]
    assert "Tinaja" not in props  # sold during the year
    assert [i.line for i in issues] == [226]  # the royalty kept on it


def test_sample_wattle_creek_properties() -> None:
    props, issues = _read(_sample("wattle-creek-2024-annual-mda.txt").read_bytes())
    bb = props["Bellbird Gold Mine"]
    assert (bb.region, bb.interest_pct, bb.hectares) == ("Western Australia", 100.0, 2864.0)
    assert [(r.kind, r.pct, r.holder, r.buyback_to_pct) for r in bb.royalties] == [
        ("NSR", 1.5, "Ironbark Royalties Pty Ltd", 0.75)
    ]
    ya = props["Yarrabee Project"]
    assert (ya.interest_pct, ya.hectares) == (75.0, 31250.0)
    assert [(e.value, e.currency, e.period_end) for e in ya.expenditures] == [
        (3106000.0, "AUD", "2024-06-30"),
        (2284000.0, "AUD", "2023-06-30"),
    ]
    kw = props["Kookaburra Well Joint Venture"]
    assert (kw.interest_pct, kw.hectares) == (62.5, 12940.0)
    assert [(r.kind, r.pct, r.holder) for r in kw.royalties] == [
        ("GR", 1.0, "Quandong Holdings Pty Ltd")
    ]
    # "(FY2023)" is the comparative fiscal year ended June 30, 2023.
    assert [(e.value, e.period_end) for e in kw.expenditures] == [
        (1290000.0, "2024-06-30"),
        (909000.0, "2023-06-30"),
    ]
    assert issues == []
