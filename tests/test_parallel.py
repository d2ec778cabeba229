"""Ingest with worker processes stores exactly what one process stores, and says the same."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

from tests import synth_series
from tests.conftest import SAMPLES, run
from tests.synth import TEXT_LAYOUTS, generate

QUERIES = {
    "documents": "SELECT id, path, name, sha256, format, encoding, agency, place, city, province, year, "
    "template,"
    " title, warnings, agency_id, printed, kind, county, town, cues, names FROM documents ORDER BY id",
    "facts": "SELECT * FROM facts ORDER BY id",
    "checks": "SELECT * FROM checks ORDER BY id",
    "chunks": "SELECT * FROM chunks ORDER BY id",
    "agencies": "SELECT DISTINCT agency, agency_id FROM documents ORDER BY agency, agency_id",
}


def _corpus(root: Path) -> Path:
    """Samples, a multi-year series (carry-over checks, one identity over many years), a file holding
    two reports, a copy of a sample, and files that are not reports."""
    corpus = root / "corpus"
    shutil.copytree(SAMPLES, corpus / "samples")
    synth_series.corpus(random.Random(3), corpus / "series")
    rng = random.Random(11)
    a, b = generate(rng, TEXT_LAYOUTS[0]), generate(rng, TEXT_LAYOUTS[1])
    (corpus / "pair.txt").write_text(a.text.rstrip("\n") + "\n\n" + b.text, encoding="utf-8")
    first = sorted(SAMPLES.glob("*.txt"))[0]
    (corpus / "zz_copy.txt").write_bytes(first.read_bytes())
    (corpus / "binary.pdf").write_bytes(b"\x00\x01garbage" * 50)
    (corpus / "note.txt").write_text("今天天气很好。\n", encoding="utf-8")
    return corpus


def _dump(data_dir: Path) -> dict[str, list[tuple]]:
    db = sqlite3.connect(data_dir / "facts.sqlite")
    try:
        return {name: db.execute(sql).fetchall() for name, sql in QUERIES.items()}
    finally:
        db.close()


def _said(output: str) -> list[str]:
    """What ingest tells the user, without the progress bar."""
    return [ln for ln in output.splitlines() if ln.startswith(("error:", "warning:")) or "file(s)" in ln]


def test_ingest_with_workers_stores_and_says_what_one_process_does(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    dumps, said = {}, {}
    for jobs in ("1", "3"):
        data = tmp_path / f"data{jobs}"
        first = run(data, "ingest", "--no-embed", "--jobs", jobs, str(corpus))
        again = run(data, "ingest", "--no-embed", "--jobs", jobs, str(corpus))
        assert first.exit_code == again.exit_code == 1  # the non-reports are rejected
        dumps[jobs], said[jobs] = _dump(data), (_said(first.output), _said(again.output))
    assert dumps["1"] == dumps["3"]
    assert said["1"] == said["3"]
    assert len(dumps["1"]["documents"]) > 30 and any(c[2] == "carryover" for c in dumps["1"]["checks"])
    assert any("#2" in d[1] for d in dumps["1"]["documents"])  # the pair was stored as two reports
    assert "unchanged" in said["1"][1][-1] and "0 added" in said["1"][1][-1]
