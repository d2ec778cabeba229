"""Two writers on one data dir, as two real processes: a second `xxgk ingest` says it waits for the
first and then finishes; two processes storing the same reports at the same moment never fail on
the duplicate check (the check and the write are one transaction)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES, open_store, store_location
from tests.render import corpus

pytest.importorskip("reportlab", reason="reportlab renders the test files: pip install -e '.[test]'")


def documents(db: Path) -> list[tuple[str, str]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return sorted(con.execute("SELECT path, sha256 FROM documents"))
    finally:
        con.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("two-writers") / "reports"
    corpus(d, sorted(SAMPLES.glob("*.txt")), 4, ("txt", "html", "txt", "docx"))
    return d


def test_a_second_ingest_waits_for_the_first(folder: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    cmd = [sys.executable, "-m", "bot.cli", "--data-dir", str(data), "ingest", "--no-embed", str(folder)]
    first = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = data / "ingest.lock"
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text().strip() == str(first.pid)) and time.monotonic() < deadline:
        time.sleep(0.01)
    second = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    files = len(list(folder.iterdir()))
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    assert "Traceback" not in err1 + err2
    assert f"waiting: another ingest (pid {first.pid}) is writing to {data}; waiting for it to finish" in err2
    assert f"{files} file(s): {files} added" in out1
    assert f"{files} file(s): 0 added, 0 replaced, {files} unchanged" in out2
    assert len(documents(data / "facts.sqlite")) == files


# Stores every report of a folder straight through Store.put (no CLI lock), starting when a
# flag file appears, and prints each status.
PUT_ALL = """
import sys, time
from pathlib import Path
from index.store import Store
from ingest import extract, read_document
store = Store(sys.argv[1])
reports = [extract(read_document(p)) for p in sorted(Path(sys.argv[2]).iterdir())]
while not Path(sys.argv[3]).exists():
    time.sleep(0.001)
for r in reports:
    print(store.put(r)[0], flush=True)
"""


def test_two_processes_storing_the_same_reports_at_once(
    folder: Path, tmp_path: Path, engine: Callable[[Path], Path]
) -> None:
    data, go = engine(tmp_path / "data"), tmp_path / "go"
    data.mkdir()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", PUT_ALL, str(store_location(data)), str(folder), str(go)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    time.sleep(0.5)
    go.touch()
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-1500:] for _, err in outs]
    statuses = [s for out, _ in outs for s in out.split()]
    files = len(list(folder.iterdir()))
    assert statuses.count("added") == files and statuses.count("unchanged") == files
    assert len(open_store(data, readonly=True).documents()) == files
