"""A second set of real report openings (tests/openings2), collected for issue 10 and never tuned on
in its odd-numbered half: the publisher, its place and the year come out as the hand-made record
says, or the test names the miss (the same measure as test_openings.py)."""

from __future__ import annotations

import pytest

from ingest import extract, read_document
from tests.conftest import ROOT
from tests.test_openings import Record, misses, records

OPENINGS2 = ROOT / "tests" / "openings2"
RECORDS2 = records(OPENINGS2)
# Misses left, each for the reason given (strict: a fix makes the test fail until removed).
KNOWN: dict[str, str] = {}


def test_the_corpus_is_there() -> None:
    assert len(RECORDS2) >= 40 and all((OPENINGS2 / r["file"]).exists() for r in RECORDS2)


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(
            r,
            id=r["file"][:3],
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN[r["file"]])] if r["file"] in KNOWN else [],
        )
        for r in RECORDS2
    ],
)
def test_unseen_opening_names_its_publisher_place_and_year(record: Record) -> None:
    assert misses(record, OPENINGS2) == []


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(
            r,
            id=r["file"][:3],
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN[r["file"]])] if r["file"] in KNOWN else [],
        )
        for r in RECORDS2
    ],
)
def test_unseen_opening_gets_the_kind_of_its_publisher(record: Record) -> None:
    """This corpus records kinds in the reader's own words (管委会 for a zone's office too, other for 署)."""
    path = OPENINGS2 / record["file"]
    assert extract(read_document(path, path.read_bytes())).meta.kind == record["kind"]
