"""The store in one SQLite file: opened to write (the tables created, an older file's columns
added) or to read only (nothing created, a read-only data dir read as an immutable file), and
what a user can do about a file that will not open.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from urllib.parse import quote

from .stored import StoreError


def connect(path: Path, readonly: bool, schema: str, added: tuple[str, ...]) -> sqlite3.Connection:
    """A connection to the file; `added`: columns of `documents` an older file may lack."""
    if readonly:
        return _open_readonly(path)
    for wait in (0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4):
        try:
            return _open_writable(path, schema, added)
        except sqlite3.OperationalError as e:
            # two processes creating one file at once: not every lock waits on the timeout (the
            # switch to WAL, a read that must become a write can fail at once), so try again
            if "locked" not in str(e):
                raise
            time.sleep(wait)
    return _open_writable(path, schema, added)


def trouble(path: Path, e: sqlite3.DatabaseError) -> str:
    """What a user can do about a store that will not open."""
    read_only = path.parent.is_dir() and not os.access(path.parent, os.W_OK)
    if read_only or path.exists() and not os.access(path, os.W_OK):
        return f"cannot write to {path.parent} (read-only; {e}): ingest into a data dir you may write to"
    if "full" in str(e):
        return f"disk full: cannot write {path} ({e}); free some space and run the same command again"
    return f"{path} is not a usable xxgk store ({e}); move it away and ingest again"


def _open_writable(path: Path, schema: str, added: tuple[str, ...]) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), timeout=30)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process never corrupts or half-writes
    db.executescript(schema)
    have = {r[1] for r in db.execute("PRAGMA table_info(documents)")}
    for col in added:  # a store written before identities: the columns are added, nothing is lost
        if col not in have:
            db.execute(f"ALTER TABLE documents ADD COLUMN {col} TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS documents_agency_id ON documents(agency_id)")
    if "char_offset" not in {
        r[1] for r in db.execute("PRAGMA table_info(facts)")
    }:  # prose offsets (re-ingest fills them)
        db.execute("ALTER TABLE facts ADD COLUMN char_offset INTEGER DEFAULT -1")
    db.commit()
    return db


def _open_readonly(path: Path) -> sqlite3.Connection:
    """Read-only; on a data dir nobody may write to (no -shm file can be made), as an immutable file."""
    if not path.is_file():
        d = path.parent
        raise StoreError(f"no reports in {d}: run `xxgk --data-dir {d} ingest PATH...` first")
    uri = "file:" + quote(str(path.resolve()))
    db = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=30)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError:
        db.close()
        if os.access(path.parent, os.W_OK):
            raise
        return sqlite3.connect(uri + "?immutable=1", uri=True)  # no -shm file: no writer is at work
