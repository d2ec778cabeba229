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
    got = {(f.table, f.row, f.column): (f.value, f.unit, f.raw, f.qualifier, f.line) for f in report.facts if f.kind == "cell"}
    want = {(c["table"], c["row"], c["column"]): (c["value"], c["unit"], c["raw"], c["qualifier"], c["line"]) for c in gold["cells"]}
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
        gold["agency"], gold["place"], gold["city"], gold["province"], gold["year"], gold["template"])


def test_every_fact_quotes_its_source_line(case) -> None:  # type: ignore[no-untyped-def]
    report, _ = case
    lines = report.document.lines
    for f in report.facts:
        assert f.raw.split("余")[0] in lines[f.line - 1] or f.qualifier in ("empty", "unresolved") or f.qualifier == "negation"
        assert f.quote
