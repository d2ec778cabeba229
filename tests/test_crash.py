"""A crash in the middle of an ingest: `xxgk ingest --no-embed` on a folder of many reports is
killed with SIGKILL several times part-way; each time the store opens, every document in it is
complete (its facts, checks and chunks are those of a clean ingest of the same file) or absent,
nothing dangles; and running the same command again finishes the job."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.store import Store
from tests.conftest import ROOT, SAMPLES, run
from tests.render import corpus

pytest.importorskip(
    "reportlab", reason="reportlab renders the test PDFs: install the test extra (pip install -e '.[test]')"
)

YEARS = 12  # variants of each sample, two years apart (no consecutive years: no cross-document checks)


def contents(db: Path) -> dict[str, dict[str, list[tuple]]]:
    """Per document: its row, facts, checks (without cross-document ones) and chunks."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        out: dict[str, dict[str, list[tuple]]] = {}
        for row in con.execute(
            "SELECT id, path, name, sha256, format, encoding, agency, place, city, province, year, template, "
            "title, warnings FROM documents"
        ):
            out[row[0]] = {"document": [row], "facts": [], "checks": [], "chunks": []}
        queries = {
            "facts": "SELECT doc_id, kind, tbl, row, col, topic, row_label, column_label, value, unit, raw, "
            "qualifier, line, quote FROM facts ORDER BY id",
            "checks": "SELECT doc_id, name, tbl, col, status, lhs, rhs, detail, line FROM checks WHERE name "
            "!= 'carryover' ORDER BY id",
            "chunks": "SELECT doc_id, id, idx, section, line_start, line_end, kind, text FROM chunks ORDER "
            "BY doc_id, idx",
        }
        for part, sql in queries.items():
            for row in con.execute(sql):
                assert row[0] in out, f"{part} row of a document that is not there: {row[:3]}"
                out[row[0]][part].append(row[1:])
        return out
    finally:
        con.close()


def count_documents(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def ingest_cmd(data: Path, folder: Path) -> list[str]:
    return [sys.executable, "-m", "bot.cli", "--data-dir", str(data), "ingest", "--no-embed", str(folder)]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("crash") / "reports"
    corpus(d, sorted(SAMPLES.glob("*.txt")), YEARS, ("txt", "html", "txt", "pdf", "docx", "txt"))
    return d


@pytest.fixture(scope="module")
def reference(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[tuple]]]:
    """A clean, uninterrupted ingest of the same files."""
    d = tmp_path_factory.mktemp("clean")
    result = run(d, "ingest", "--no-embed", str(folder))
    assert result.exit_code == 0, result.output
    return contents(d / "facts.sqlite")


def test_corpus_has_every_format(folder: Path, reference: dict) -> None:  # type: ignore[type-arg]
    files = list(folder.iterdir())
    assert {p.suffix for p in files} == {".txt", ".html", ".pdf", ".docx"}
    assert len(reference) == len(files) == 5 * YEARS  # every file is its own document


def test_sigkill_mid_ingest_leaves_whole_documents_and_a_rerun_completes(
    folder: Path, reference: dict, tmp_path: Path
) -> None:  # type: ignore[type-arg]
    data = tmp_path / "data"
    db = data / "facts.sqlite"
    total = len(reference)
    rng = random.Random(11)
    seen_partial = []
    for target in (3, total // 4, total // 2, (3 * total) // 4):
        before = count_documents(db)
        proc = subprocess.Popen(
            ingest_cmd(data, folder), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while (
            proc.poll() is None
            and count_documents(db) < max(target, before + 1)
            and time.monotonic() < deadline
        ):
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))  # land the kill anywhere: reading, extracting, or inside a write
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL, (
            "the ingest finished before it could be killed: make the corpus larger"
        )

        # the store opens, is consistent, and holds whole documents only
        con = sqlite3.connect(str(db))
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        con.close()
        store = Store(db)
        docs = store.documents()
        store.close()
        state = contents(db)
        assert len(docs) == len(state)
        for doc_id, parts in state.items():
            assert doc_id in reference
            for part in ("document", "facts", "checks", "chunks"):
                assert parts[part] == reference[doc_id][part], f"{doc_id}: {part} differ from a clean ingest"
        seen_partial.append(len(state))
        print(f"killed at {len(state)} of {total} documents")
    assert 0 < seen_partial[0] < total

    rerun = subprocess.run(ingest_cmd(data, folder), cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert "waiting" not in rerun.stderr  # the killed ingest's workers died with it: nobody holds the lock
    assert (
        f"{total} file(s): {total - seen_partial[-1]} added, 0 replaced, {seen_partial[-1]} unchanged, 0 "
        "rejected" in rerun.stdout
    )
    assert contents(db) == reference


# Runs `xxgk` with the store's write patched to kill the process from inside the transaction of
# the K-th document: its facts are written, its checks half-way, its chunks not yet.
KILL_INSIDE_WRITE = """
import os, signal, sys
from index.store import Store
k = int(os.environ["XXGK_TEST_KILL_AT"])
insert, seen = Store._insert_checks, []
def insert_then_die(self, doc_id, checks, other=None):
    insert(self, doc_id, checks, other)
    if other is None:
        seen.append(doc_id)
        if len(seen) == k:
            os.kill(os.getpid(), signal.SIGKILL)
Store._insert_checks = insert_then_die
from bot.cli import main
sys.argv = ["xxgk"] + sys.argv[1:]
main()
"""


def test_sigkill_inside_a_document_write_leaves_no_trace_of_it(
    folder: Path, reference: dict, tmp_path: Path
) -> None:  # type: ignore[type-arg]
    data = tmp_path / "data"
    db = data / "facts.sqlite"
    env = dict(os.environ, XXGK_TEST_KILL_AT="7")
    proc = subprocess.run(
        [sys.executable, "-c", KILL_INSIDE_WRITE, *ingest_cmd(data, folder)[3:]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert proc.returncode == -signal.SIGKILL
    state = contents(db)
    assert len(state) == 6  # the seventh died inside its transaction: nothing of it is stored
    for doc_id, parts in state.items():
        assert parts == reference[doc_id]
    rerun = subprocess.run(ingest_cmd(data, folder), cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert contents(db) == reference
