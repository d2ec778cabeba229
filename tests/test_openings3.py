"""A third set of real report openings (tests/openings3), collected after the rules for openings and
openings2 were written: streets, towns, townships, zones, departments and provincial bodies of 20
provinces. The publisher, its place and the year come out as the hand-made record says; the kind of
publisher too, and the template where the excerpt reaches a table (first sight, before any fix: 27/30)."""

from __future__ import annotations

import pytest

from ingest import extract, read_document
from tests.conftest import ROOT
from tests.test_openings import Record, misses, records

OPENINGS3 = ROOT / "tests" / "openings3"
RECORDS3 = records(OPENINGS3)
# Misses left, each for the reason given (strict: a fix makes the test fail until removed).
KNOWN: dict[str, str] = {}


def _cases() -> list[object]:
    return [
        pytest.param(
            r,
            id=r["file"][:3],
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN[r["file"]])] if r["file"] in KNOWN else [],
        )
        for r in RECORDS3
    ]


def test_the_corpus_is_there() -> None:
    assert len(RECORDS3) == 30 and all((OPENINGS3 / r["file"]).exists() for r in RECORDS3)


@pytest.mark.parametrize("record", _cases())
def test_new_opening_names_its_publisher_place_and_year(record: Record) -> None:
    assert misses(record, OPENINGS3) == []


@pytest.mark.parametrize("record", _cases())
def test_new_opening_gets_the_kind_and_the_template(record: Record) -> None:
    path = OPENINGS3 / record["file"]
    meta = extract(read_document(path, path.read_bytes())).meta
    assert meta.kind == record["kind"]
    if record["template"] is not None:  # the excerpt reaches a statistics table
        assert meta.template == record["template"]
