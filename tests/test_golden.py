"""Report in, facts out: every table cell of each sample report, checked against files written
by hand from the text (tests/golden/*.json), not from the parser's output."""

from __future__ import annotations

import pytest

from ingest import extract, read_document
from tests.conftest import golden, sample_paths

SAMPLES = sample_paths()


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.stem)
def case(request):  # type: ignore[no-untyped-def]
    path = request.param
    return extract(read_document(path)), golden(path.name)


def test_every_table_cell_is_a_fact_with_the_right_key_value_and_line(case) -> None:  # type: ignore[no-untyped-def]
    report, gold = case
    got = {
        (f.table, f.row, f.column): (f.value, f.unit, f.raw, f.qualifier, f.line)
        for f in report.facts
        if f.kind == "cell"
    }
    want = {
        (c["table"], c["row"], c["column"]): (c["value"], c["unit"], c["raw"], c["qualifier"], c["line"])
        for c in gold["cells"]
    }
    assert sorted(set(want) - set(got)) == [], "cells missing"
    assert sorted(set(got) - set(want)) == [], "cells the report does not have"
    wrong = {k: (got[k], want[k]) for k in want if got[k] != want[k]}
    assert wrong == {}


def test_every_stated_number_in_the_prose_is_a_fact(case) -> None:  # type: ignore[no-untyped-def]
    report, gold = case
    got = {(f.value, f.unit, f.line, f.qualifier) for f in report.facts if f.kind == "prose"}
    want = {(p["value"], p["unit"], p["line"], p["qualifier"]) for p in gold["prose"]}
    assert want - got == set()
    assert got - want == set()


def test_metadata_agency_place_year_template(case) -> None:  # type: ignore[no-untyped-def]
    report, gold = case
    m = report.meta
    assert (m.agency, m.place, m.city, m.province, m.year, m.template) == (
        gold["agency"],
        gold["place"],
        gold["city"],
        gold["province"],
        gold["year"],
        gold["template"],
    )


def test_every_fact_quotes_its_source_line(case) -> None:  # type: ignore[no-untyped-def]
    report, _ = case
    lines = report.document.lines
    for f in report.facts:
        assert (
            f.raw.split("余")[0] in lines[f.line - 1]
            or f.qualifier in ("empty", "unresolved")
            or f.qualifier == "negation"
        )
        assert f.quote


def _cells(text: str) -> dict:
    report = extract(read_document("xiayi.txt", text.encode("utf-8")))
    return {(f.table, f.row, f.column): (f.value, f.qualifier) for f in report.facts if f.kind == "cell"}


def test_xiayi_printed_with_spaces_instead_of_tabs_reads_the_same() -> None:
    """How a PDF's text layer prints the tables: cells separated by runs of spaces."""
    xiayi = next(p for p in SAMPLES if p.name.startswith("003_"))
    want = {(c["table"], c["row"], c["column"]): c["value"] for c in golden(xiayi.name)["cells"]}
    got = _cells(xiayi.read_text(encoding="utf-8").replace("\t", "  "))
    assert {k: v for k, (v, _) in got.items()} == want


def test_xiayi_with_every_separator_lost_is_recovered_by_arithmetic_or_left_unresolved() -> None:
    xiayi = next(p for p in SAMPLES if p.name.startswith("003_"))
    want = {(c["table"], c["row"], c["column"]): c["value"] for c in golden(xiayi.name)["cells"]}
    got = _cells(xiayi.read_text(encoding="utf-8").replace("\t", ""))
    assert set(got) == set(want)
    for key, (value, qualifier) in got.items():
        assert value == want[key] or (value is None and qualifier == "unresolved"), key
    recovered = {k for k, (v, q) in got.items() if q == "split"}
    assert {k[0] for k in recovered} >= {"t3", "t4"}  # the tables with arithmetic come back whole
    assert all(got[k][0] == want[k] for k in want if k[0] in ("t3", "t4"))


def test_blank_cells_in_a_tab_row_stay_blank_and_the_number_stays_whole() -> None:
    xiayi = next(p for p in SAMPLES if p.name.startswith("003_"))
    got = _cells(xiayi.read_text(encoding="utf-8").replace("行政强制\t111\t0\t6", "行政强制\t100\t\t"))
    assert [got[("t2", "enforcement", c)] for c in ("previous_items", "change", "decisions")] == [
        (100, ""),
        (None, "empty"),
        (None, "empty"),
    ]
