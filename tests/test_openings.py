"""Real report openings (../shared/corpus/openings): the publisher, its place and the year come
out as the hand-verified metadata records them, or the test names the miss."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest import extract, read_document
from tests.conftest import ROOT

OPENINGS = ROOT.parent / "shared" / "corpus" / "openings"
RECORDS = ([json.loads(line) for line in (OPENINGS / "metadata.jsonl").read_text(encoding="utf-8").splitlines()]
           if (OPENINGS / "metadata.jsonl").exists() else [])
# Misses left at the deadline, each for the reason given (strict: a fix makes the test fail until removed).
KNOWN: dict[str, str] = {}


def misses(record: dict) -> list[str]:
    """What the ingest of one opening gets wrong, in words."""
    path = OPENINGS / record["file"]
    meta = extract(read_document(path, path.read_bytes())).meta
    out = []
    gold = {record["agency"], record["agency_normalized"]} - {None}
    if gold and not gold & {meta.agency, meta.printed}:
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
@pytest.mark.parametrize("record", [
    pytest.param(r, id=r["file"][:3], marks=[pytest.mark.xfail(strict=True, reason=KNOWN[r["file"]])]
                 if r["file"] in KNOWN else []) for r in RECORDS])
def test_opening_names_its_publisher_place_and_year(record: dict) -> None:
    assert misses(record) == []
