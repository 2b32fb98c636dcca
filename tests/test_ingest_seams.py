"""The parser's seams: a format, a table layout, a table kind or a prose rule is one module
and one registry line. Each test adds a toy one for its duration and parses with it."""

from __future__ import annotations

import re
import types

import pytest

from ingest import layouts, parse_filing, readers
from ingest.extractors import STEPS, narrative
from ingest.model import Line, ParsedFiling
from ingest.readers import text
from ingest.tables import classify

pytestmark = pytest.mark.unit


def _module(name: str, **attrs) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    return module


def test_a_table_layout_is_one_module_and_one_registry_line(monkeypatch) -> None:
    # The toy layout: rows whose cells are separated by semicolons.
    semicolons = _module(
        "semicolons",
        NAME="semicolon",
        MARK=";",
        cells=lambda line: [c.strip() for c in line.text.split(";")] if ";" in line.text else None,
        filler=lambda line: False,
    )
    data = (
        b"Results of operations\n\n"
        b"Item; Year ended December 31, 2023; Year ended December 31, 2022\n"
        b"Exploration expense; 1,200,000; 900,000\n"
        b"Net loss; (1,500,000); (1,100,000)\n"
    )
    assert parse_filing(data, name="toy.txt").tables == []
    monkeypatch.setattr(layouts, "LINE_LAYOUTS", [*layouts.LINE_LAYOUTS, semicolons])
    parsed = parse_filing(data, name="toy.txt")
    (table,) = parsed.tables
    assert (table.format, table.kind) == ("semicolon", "financial")
    net = {(f.period_end, f.value) for f in parsed.facts if f.concept == "net_income"}
    assert net == {("2023-12-31", -1500000.0), ("2022-12-31", -1100000.0)}


def test_an_input_format_is_one_module_and_one_registry_line(monkeypatch) -> None:
    # The toy format: "KEY = value" records, sniffed by their first line.
    def read(data: bytes, name: str):
        fields = dict(line.split(" = ", 1) for line in data.decode().splitlines() if " = " in line)
        prose = f'{fields["COMPANY"]} (the "Company") reports its results for the year ended {fields["PERIOD"]}.'
        doc = text.load(prose.encode(), name)
        doc.format = "toy"
        return doc

    toy = _module(
        "toy",
        NAME="toy",
        SUFFIXES=(".toy",),
        sniff=lambda data, name: data.startswith(b"TOY FILING"),
        read=read,
    )
    data = b"TOY FILING\nCOMPANY = Example Mining Corp.\nPERIOD = December 31, 2023\n"
    monkeypatch.setattr(readers, "READERS", [toy, *readers.READERS])
    assert ".toy" in readers.suffixes()
    parsed = parse_filing(data, name="example.toy")
    assert parsed.metadata.company_name == "Example Mining Corp."
    assert parsed.metadata.period_end == "2023-12-31"
    assert readers.reader_for(b"plain text", "x.txt") is text


def test_a_table_kind_is_one_rule_and_one_registry_line(monkeypatch) -> None:
    data = b"Drilling\n\nHole\tFrom (m)\tTo (m)\tAu (g/t)\nDH-1\t10\t22\t3.1\n"
    assert [t.kind for t in parse_filing(data, name="drill.txt").tables] == ["other"]

    def drill_rule(table):
        return "drill_intercepts" if table.label_header == "Hole" else None

    monkeypatch.setattr(classify, "TABLE_RULES", [drill_rule, *classify.TABLE_RULES])
    assert [t.kind for t in parse_filing(data, name="drill.txt").tables] == ["drill_intercepts"]


def test_a_prose_rule_is_one_module_and_one_registry_line(monkeypatch) -> None:
    def read(s, ctx):
        m = re.search(r"drilled (\d+) holes", s.text)
        ctx.add(s, "holes_drilled", float(m.group(1)), "holes")

    holes = _module(
        "holes",
        NAME="holes drilled",
        wants=lambda s, ctx: "drilled" in s.low,
        read=read,
    )
    data = b"During the year ended December 31, 2023 the Company drilled 14 holes at Red Hill.\n"
    assert parse_filing(data, name="h.txt").narrative_facts == []
    monkeypatch.setattr(narrative, "RULES", [*narrative.RULES, holes])
    (fact,) = parse_filing(data, name="h.txt").narrative_facts
    assert (fact.concept, fact.value, fact.unit, fact.line) == ("holes_drilled", 14.0, "holes", 1)


def test_a_failing_prose_rule_costs_one_sentence_not_the_filing(monkeypatch) -> None:
    def boom(s, ctx):
        raise ValueError("toy failure")

    broken = _module("broken", NAME="broken", wants=lambda s, ctx: "second" in s.low, read=boom)
    monkeypatch.setattr(narrative, "RULES", [broken, *narrative.RULES])
    data = (
        b"Working capital at December 31, 2023 was $1,200,000.\n\n"
        b"The second sentence is where the toy rule fails.\n"
    )
    parsed = parse_filing(data, name="b.txt")
    (issue,) = [i for i in parsed.issues if i.kind == "parser_error"]
    assert (issue.line, "the broken rule" in issue.reason) == (3, True)
    assert [f.concept for f in parsed.narrative_facts] == ["working_capital"]


def test_every_step_reads_only_what_an_earlier_step_fills() -> None:
    filled = {"metadata"}  # the parser starts a filing with its provenance metadata
    fields = set(ParsedFiling.__dataclass_fields__)
    for step in STEPS:
        assert set(step.needs) <= filled, f"step {step.name} reads {step.needs} before it is filled"
        target = step.output.split(".")[0]
        assert target in fields
        filled.add(target)
    assert filled == fields - {"issues"}


def test_line_layout_protocol_is_what_the_registry_holds() -> None:
    for layout in layouts.LINE_LAYOUTS:
        assert layout.cells(Line(1, "plain prose", "plain prose")) is None
        assert isinstance(layout.NAME, str)


def test_a_line_layouts_row_test_agrees_with_its_cells() -> None:
    lines = [
        "plain prose",
        "Item\t2023\t2022",
        "| a | b |",
        "a | b | c |",
        "|---|---:|",
        "x | y",
        "\t",
    ]
    for layout in layouts.LINE_LAYOUTS:
        if hasattr(layout, "is_row"):
            for text in lines:
                line = Line(1, text, text)
                assert layout.is_row(line) == (layout.cells(line) is not None), (layout, text)
