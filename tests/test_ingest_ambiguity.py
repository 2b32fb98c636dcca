"""One concept, one period, one value per table: what the facts step does when a table
seems to print two, and the signs of tables of balances."""

from __future__ import annotations

from ingest import parse_filing


def _parse(table: str, title: str = "Note 9: Financial instruments"):
    text = (
        "Quillon Bay Resources Ltd.\n"
        "Annual Report for the year ended 30 June 2024\n\n"
        "All amounts are in Australian dollars.\n\n"
        f"{title}\n\n{table}\n"
    )
    return parse_filing(text.encode(), name="quillon-bay-2024-annual-report.txt")


def _values(parsed, concept):
    return sorted((f.period_end, f.value) for f in parsed.facts if f.concept == concept)


def test_a_label_printed_under_two_groups_names_two_items() -> None:
    parsed = _parse(
        "|                          | 2024      | 2023      |\n"
        "|--------------------------|-----------|-----------|\n"
        "| Financial assets         |           |           |\n"
        "| Receivables              | 58,206    | 73,623    |\n"
        "| Cash and cash equivalents| 4,515,336 | 686,415   |\n"
        "| Balance at end of year   | 4,573,542 | 760,038   |\n"
        "| Financial liabilities    |           |           |\n"
        "| Trade and other payables | 34,292    | 133,814   |\n"
        "| Balance at end of year   | 34,292    | 133,814   |\n"
    )
    assert _values(parsed, "financial_assets_balance_at_end_of_year") == [
        ("2023-06-30", 760038.0),
        ("2024-06-30", 4573542.0),
    ]
    assert _values(parsed, "financial_liabilities_balance_at_end_of_year") == [
        ("2023-06-30", 133814.0),
        ("2024-06-30", 34292.0),
    ]
    assert not _values(parsed, "balance_at_end_of_year")
    assert not [i for i in parsed.issues if i.kind == "conflicting_value"]


def test_a_groups_unlabelled_total_is_named_by_its_group() -> None:
    parsed = _parse(
        "|                              | 2024   | 2023   |\n"
        "|------------------------------|--------|--------|\n"
        "| Other income                 |        |        |\n"
        "| Interest income              | 2,027  | 8,403  |\n"
        "| Sundry income                | 19,316 | 7,928  |\n"
        "|                              | 21,343 | 16,331 |\n"
        "| Administration expenses      |        |        |\n"
        "| Legal                        | 68,183 | 30,493 |\n"
        "| Corporate fees               | 76,500 | 72,000 |\n"
        "|                              | 144,683| 102,493|\n",
        title="Note 2: Revenue and expenses",
    )
    concepts = {f.concept for f in parsed.facts if f.label == ""}
    assert any("other_income" in c for c in concepts), concepts
    assert any("administration_expenses" in c for c in concepts), concepts
    assert "total" not in concepts
    assert not [i for i in parsed.issues if i.kind == "conflicting_value"]


def test_columns_read_as_one_period_give_no_facts_and_say_why() -> None:
    # Three tranches side by side under one valuation date: which is "the" value is not
    # something the table says.
    parsed = _parse(
        "|                          | 31 May 2024 | 31 May 2024 | 31 May 2024 |\n"
        "|--------------------------|-------------|-------------|-------------|\n"
        "| Value per right          | 0.0202      | 0.0201      | 0.0177      |\n"
        "| Total value              | 50,500      | 50,250      | 44,250      |\n",
        title="Note 7: Share based payments",
    )
    assert not [f for f in parsed.facts if f.concept in ("value_per_right", "total_value")]
    ambiguous = [i for i in parsed.issues if i.kind == "ambiguous_columns"]
    assert len(ambiguous) == 2
    assert "none is taken as a fact" in ambiguous[0].reason


def test_a_label_repeated_in_another_block_keeps_the_first_and_says_so() -> None:
    parsed = _parse(
        "|                                  | 2024      | 2023      |\n"
        "|----------------------------------|-----------|-----------|\n"
        "| Non-capital losses carried forward| 3,331,023 | 3,684,667 |\n"
        "| Mineral properties               | 7,525,069 | 7,525,069 |\n"
        "| Total                            | 10,856,092| 11,209,736|\n"
        "| Deferred tax asset               | -         | -         |\n"
        "| Mineral properties               | 12,000    | -         |\n",
        title="Note 18: Income taxes",
    )
    assert _values(parsed, "mineral_properties") == [
        ("2023-06-30", 7525069.0),
        ("2024-06-30", 7525069.0),
    ]
    [issue] = [i for i in parsed.issues if i.kind == "ambiguous_row"]
    assert "first is taken" in issue.reason


def test_a_label_printed_twice_in_one_block_is_the_filings_own_conflict() -> None:
    parsed = _parse(
        "|                    | 2024    | 2023    |\n"
        "|--------------------|---------|---------|\n"
        "| Revenue            | 900,000 | 800,000 |\n"
        "| Interest expense   | 184,302 | 150,000 |\n"
        "| Interest expense   | 127,946 | 150,000 |\n"
        "| Net income         | 587,752 | 500,000 |\n",
        title="Statement of profit or loss",
    )
    assert [v for end, v in _values(parsed, "interest_expense") if end == "2024-06-30"] == [
        -184302.0,
        -127946.0,
    ]
    assert [i.kind for i in parsed.issues if i.kind == "conflicting_value"] == ["conflicting_value"]


def test_a_balance_like_label_with_two_values_for_one_date_is_a_flow() -> None:
    parsed = _parse(
        "|                                         | Q4 2024 | Q4 2023 | FY 2024 | FY 2023 |\n"
        "|-----------------------------------------|---------|---------|---------|---------|\n"
        "| General and administrative expenses     | 2,847   | 2,045   | 8,319   | 6,016   |\n"
        "| Accretion for decommissioning liability | 227     | 254     | 941     | 1,015   |\n",
        title="Results of operations",
    )
    accretion = [f for f in parsed.facts if f.concept.startswith("accretion")]
    assert sorted(f.months for f in accretion) == [3, 3, 12, 12]


def test_a_table_of_balances_keeps_the_printed_signs() -> None:
    parsed = _parse(
        "|                          | As at 30 June 2024 | As at 30 June 2023 |\n"
        "|--------------------------|--------------------|--------------------|\n"
        "| Accounts payable         | 401,976            | 391,405            |\n"
        "| Accrued liabilities      | 194,983            | 120,112            |\n"
        "| Share capital            | 76,240,994         | 75,715,014         |\n",
        title="Balances",
    )
    assert {f.value for f in parsed.facts if f.concept == "accounts_payable"} == {
        401976.0,
        391405.0,
    }
    assert all(f.months == 0 and f.value > 0 for f in parsed.facts)


def test_a_number_column_beside_an_amount_column_counts_shares() -> None:
    parsed = _parse(
        "|                                    | 2024       | 2024        |\n"
        "|                                    | $          | No.         |\n"
        "|------------------------------------|------------|-------------|\n"
        "| Shares issued as part of placement | 4,875,000  | 390,000,000 |\n",
        title="Note 5: Issued capital",
    )
    units = {f.unit: f.value for f in parsed.facts}
    assert units == {"AUD": 4875000.0, "shares": 390000000.0}
    assert not [i for i in parsed.issues if i.kind.startswith("ambiguous")]


def test_report_and_financial_statements_is_an_annual_report() -> None:
    text = b"Teal Downs plc\n\nReport and Financial Statements\n\nFor the Year Ended 30 September 2024\n"
    assert parse_filing(text, name="x.txt").metadata.report_type == "annual report"


def test_a_headerless_block_under_its_own_heading_continues_the_statement() -> None:
    text = (
        "Teal Downs plc\nAnnual Report for the year ended 30 September 2024\n\n"
        "Statement of financial position\n\n"
        "\t30 September 2024\t30 September 2023\n"
        "\t£\t£\n"
        "Cash and cash equivalents\t406,106\t78,276\n"
        "Net assets\t406,106\t78,276\n"
        "\n"
        "Capital and reserves\n"
        "\n"
        "Called up share capital\t300,000\t300,000\n"
        "Retained earnings\t106,106\t(221,724)\n"
        "Total equity\t406,106\t78,276\n"
    )
    parsed = parse_filing(text.encode(), name="teal-downs-2024-annual-report.txt")
    got = {(f.concept, f.period_end): f.value for f in parsed.facts}
    assert got[("retained_earnings", "2024-09-30")] == 106106.0
    assert got[("retained_earnings", "2023-09-30")] == -221724.0
    equity = [t for t in parsed.tables if any(r.label == "Retained earnings" for r in t.rows)]
    assert [t.title for t in equity] == ["Statement of financial position"]
    assert {r.group for r in equity[0].rows if r.label == "Retained earnings"} == {
        "Capital and reserves"
    }
