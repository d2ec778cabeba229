"""Real report openings (../shared/corpus/openings): the publisher, its place and the year come
out as the hand-verified metadata records them, or the test names the miss."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ingest import extract, read_document
from tests.conftest import ROOT

OPENINGS = ROOT.parent / "shared" / "corpus" / "openings"


Record = dict[str, Any]


def records(corpus: Path) -> list[Record]:
    """The gold records of a corpus folder (metadata.jsonl beside the texts); none when it is absent."""
    meta = corpus / "metadata.jsonl"
    return (
        [json.loads(line) for line in meta.read_text(encoding="utf-8").splitlines() if line.strip()]
        if meta.exists()
        else []
    )


RECORDS = records(OPENINGS)
# Misses left at the deadline, each for the reason given (strict: a fix makes the test fail until removed).
KNOWN: dict[str, str] = {}


def _fuller_form(record: Record, printed: str | None) -> bool:
    """The printed name is a fuller form of the recorded one that the record lists among the text's
    forms (章贡区人民政府水东镇 for 水东镇, 东城区人民政府 for 东城区): the name shown is the fullest
    form the report prints for its body, the record keeps the shorter one."""
    return printed is not None and printed in record["aliases"] and record["agency"] in printed


def misses(record: Record, corpus: Path = OPENINGS) -> list[str]:
    """What the ingest of one opening gets wrong, in words."""
    path = corpus / record["file"]
    meta = extract(read_document(path, path.read_bytes())).meta
    out = []
    gold = {record["agency"], record["agency_normalized"]} - {None}
    if gold and not gold & {meta.agency, meta.printed} and not _fuller_form(record, meta.printed):
        out.append(f"agency {meta.printed!r} (identity {meta.agency!r}), want {record['agency']!r}")
    if not gold and meta.agency is not None:
        out.append(f"agency {meta.agency!r}, want none (the text never names it)")
    got = {"province": meta.province, "city": meta.city, "county": meta.county, "town": meta.town}
    for level, value in got.items():
        if record[level] is not None and value != record[level]:
            out.append(f"{level} {value!r}, want {record[level]!r}")
    if meta.year != record["year"]:
        out.append(f"year {meta.year}, want {record['year']}")
    return out


@pytest.mark.skipif(not RECORDS, reason=f"openings corpus not found at {OPENINGS}")
@pytest.mark.parametrize(
    "record",
    [
        pytest.param(
            r,
            id=r["file"][:3],
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN[r["file"]])] if r["file"] in KNOWN else [],
        )
        for r in RECORDS
    ],
)
def test_opening_names_its_publisher_place_and_year(record: Record) -> None:
    assert misses(record) == []
