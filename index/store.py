"""The facts store: documents, facts, checks and chunks, in one SQLite file or in PostgreSQL.

A document is written in one transaction, so a crash or a bad file never leaves half of it.
Identity is the content hash: the same bytes are skipped, a changed file at the same path
replaces its old facts, and the same report under a second name is reported as a duplicate.
The queries are SQLite's; on a `postgresql://` location index/pg.py runs them on PostgreSQL.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any, cast

from . import sqlite
from .stored import (
    AgencyRecord,
    StoredCheck,
    StoredChunk,
    StoredDocument,
    StoredFact,
    StoreError,
    check,
    document,
    fact,
)
from .writes import READ_FIRST, Writes

__all__ = [
    "SCHEMA",
    "AgencyRecord",
    "Store",
    "StoreError",
    "StoredCheck",
    "StoredChunk",
    "StoredDocument",
    "StoredFact",
    "is_url",
    "location",
]

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY, path TEXT NOT NULL, name TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE,
  format TEXT, encoding TEXT, agency TEXT, place TEXT, city TEXT, province TEXT, year INTEGER,
  template TEXT, title TEXT, warnings TEXT, ingested_at TEXT,
  agency_id TEXT, printed TEXT, kind TEXT, county TEXT, town TEXT, cues TEXT, names TEXT
);
CREATE INDEX IF NOT EXISTS documents_path ON documents(path);
CREATE INDEX IF NOT EXISTS documents_agency_year ON documents(agency, year);
CREATE TABLE IF NOT EXISTS facts (
  id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  kind TEXT, tbl TEXT, row TEXT, col TEXT, topic TEXT, row_label TEXT, column_label TEXT,
  value, unit TEXT, raw TEXT, qualifier TEXT, line INTEGER, quote TEXT, char_offset INTEGER DEFAULT -1
);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(doc_id, tbl, row, col);
CREATE TABLE IF NOT EXISTS checks (
  id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  name TEXT, tbl TEXT, col TEXT, status TEXT, lhs, rhs, detail TEXT, line INTEGER,
  other_doc_id TEXT REFERENCES documents(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS checks_doc ON checks(doc_id);
CREATE TABLE IF NOT EXISTS chunks (
  id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  idx INTEGER, section TEXT, line_start INTEGER, line_end INTEGER, kind TEXT, text TEXT
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
"""


# Columns added by the identity work; an older facts.sqlite gets them on open (ALTER TABLE ADD COLUMN).
_IDENTITY_COLUMNS = ("agency_id", "printed", "kind", "county", "town", "cues", "names")


def is_url(location: object) -> bool:
    """A PostgreSQL database URL, not a file."""
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def location(data_dir: Path, db_url: str | None = None) -> Path | str:
    """Where a data dir's facts live: the PostgreSQL database `db_url`, else its facts.sqlite."""
    return db_url or data_dir / "facts.sqlite"


class Store(Writes):
    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        """`path`: a SQLite file, or a `postgresql://` URL. `readonly`: for the read commands; never
        creates anything, works on a read-only data dir (or a read-only database session)."""
        url = str(path) if is_url(path) else None
        file = Path(path)
        self.path: Path | str = url or file
        self.db: sqlite3.Connection
        try:
            if url:
                from . import pg  # psycopg is imported only for a PostgreSQL store

                self.db = cast(
                    sqlite3.Connection, pg.connect(url, readonly, SCHEMA)
                )  # it runs sqlite3's calls
            else:
                self.db = sqlite.connect(file, readonly, SCHEMA, _IDENTITY_COLUMNS)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("SELECT 1 FROM documents LIMIT 1").fetchall()
            have = {r[1] for r in self.db.execute("PRAGMA table_info(documents)")}
        except sqlite3.DatabaseError as e:
            raise StoreError(pg.trouble(url, e) if url else sqlite.trouble(file, e)) from None
        if not have >= set(_IDENTITY_COLUMNS):
            raise StoreError(
                f"{self.path} was written by an older xxgk: run `xxgk ingest` once to upgrade it"
            )

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ writing
    def read_copy(self, agency: str, year: int) -> str | None:
        """The copy of an agency-year that answers and checks read when it is stored twice (the PDF and
        the HTML of one report): the one with the most table cells, then the newest, so numbers are never
        counted twice and every reader picks the same one."""
        row = self.db.execute(
            f"SELECT d.id FROM documents d WHERE d.agency=? AND d.year=? ORDER BY {READ_FIRST} LIMIT 1",
            (agency, year),
        ).fetchone()
        return row[0] if row else None

    # ------------------------------------------------------------------ reading
    def find_sha(self, sha256: str) -> tuple[str, str] | None:
        """(doc_id, path) of a document with these exact bytes."""
        r = self.db.execute("SELECT id, path FROM documents WHERE sha256=?", (sha256,)).fetchone()
        return (r["id"], r["path"]) if r else None

    def paths_of(self, path: str) -> list[str]:
        """Stored paths that come from this file: itself, or its reports `FILE#k` when it holds several."""
        part = re.compile(re.escape(path) + r"#\d+")
        rows = self.db.execute(
            "SELECT path FROM documents WHERE path=? OR path>=? AND path<?",  # by the index
            (path, path + "#", path + "$"),
        )
        return [r[0] for r in rows if r[0] == path or part.fullmatch(r[0])]

    def documents(self, agency: str | None = None, year: int | None = None) -> list[StoredDocument]:
        sql, args = _where("SELECT * FROM documents", agency, year, prefix="")
        return [document(r) for r in self.db.execute(sql + " ORDER BY agency, year, name", args)]

    def facts(
        self,
        agency: str | None = None,
        year: int | None = None,
        table: str | None = None,
        doc_id: str | None = None,
    ) -> list[StoredFact]:
        sql, args = _where(
            "SELECT f.*, d.agency, d.year, d.name AS document FROM facts f JOIN documents d ON d.id=f.doc_id",
            agency,
            year,
        )
        if table:
            sql += " AND f.tbl=?"
            args.append(table)
        if doc_id:
            sql += " AND f.doc_id=?"
            args.append(doc_id)
        rows = self.db.execute(sql + " ORDER BY d.agency, d.year, f.doc_id, f.id", args)
        where = ("agency", "year", "document", "doc_id")
        return [fact(r, **{k: r[k] for k in where}) for r in rows]

    def checks(
        self, agency: str | None = None, year: int | None = None, doc_id: str | None = None
    ) -> list[StoredCheck]:
        sql, args = _where(
            "SELECT c.*, d.agency, d.year, d.name AS document FROM checks c"
            " JOIN documents d ON d.id=c.doc_id",
            agency,
            year,
        )
        if doc_id:
            sql += " AND c.doc_id=?"
            args.append(doc_id)
        order = (
            " ORDER BY CASE c.status WHEN 'FAIL' THEN 0 WHEN 'UNCERTAIN' THEN 1 ELSE 2 END,"
            " d.agency, d.year, c.id"
        )
        rows = self.db.execute(sql + order, args)
        return [check(r, r["agency"], r["year"], r["document"], r["doc_id"]) for r in rows]

    def chunks(self, agency: str | None = None, year: int | None = None) -> list[StoredChunk]:
        sql, args = _where(
            "SELECT c.*, d.agency, d.year, d.name AS document FROM chunks c"
            " JOIN documents d ON d.id=c.doc_id",
            agency,
            year,
        )
        return [
            StoredChunk(
                r["id"],
                r["doc_id"],
                r["agency"],
                r["year"],
                r["document"],
                r["section"],
                r["line_start"],
                r["line_end"],
                r["kind"],
                r["text"],
            )
            for r in self.db.execute(sql + " ORDER BY c.doc_id, c.idx", args)
        ]

    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM chunks")}

    def agency_places(self) -> list[tuple[str, str | None]]:
        """Each stored agency once, with its place: what question understanding resolves against."""
        return [
            (r[0], r[1])
            for r in self.db.execute(
                "SELECT agency, MIN(place) FROM documents WHERE agency IS NOT NULL GROUP BY agency"
            )
        ]

    def agency_records(self) -> list[AgencyRecord]:
        """Every body once: canonical name, kind, the fullest place chain its reports give, every
        printed name, the years stored."""
        out: dict[str, AgencyRecord] = {}
        rows = self.db.execute("SELECT * FROM documents WHERE agency IS NOT NULL ORDER BY agency, year, name")
        for r in rows:
            key = r["agency_id"] or r["agency"]
            rec = out.setdefault(
                key, AgencyRecord(r["agency"], key, r["kind"] or "other", None, None, None, None, [], [])
            )
            depth = sum(x is not None for x in (rec.province, rec.city, rec.county, rec.town))
            if sum(r[c] is not None for c in ("province", "city", "county", "town")) > depth:
                rec.province, rec.city, rec.county, rec.town = (
                    r["province"],
                    r["city"],
                    r["county"],
                    r["town"],
                )
            for n in [r["agency"], r["printed"], *json.loads(r["names"] or "[]")]:
                if n and n not in rec.names:
                    rec.names.append(n)
            if r["year"] is not None and r["year"] not in rec.years:
                rec.years.append(r["year"])
        return list(out.values())

    def generation(self) -> tuple[int, int]:
        """Changes whenever this or any other connection commits a write: caches built from the
        store (the agency index) key on it, so they are rebuilt only when documents change."""
        return self.db.execute("PRAGMA data_version").fetchone()[0], self.db.total_changes

    def fingerprint(self) -> tuple[int, str]:
        """The stored documents and when each was written: the same from every connection."""
        return tuple(
            self.db.execute(
                "SELECT count(*), group_concat(id || ingested_at) FROM "
                "(SELECT id, ingested_at FROM documents ORDER BY id) AS d"
            ).fetchone()
        )

    def agencies(self) -> list[tuple[str, list[int]]]:
        """Every ingested agency with the years stored for it."""
        out: dict[str, list[int]] = {}
        for r in self.db.execute(
            "SELECT agency, year FROM documents WHERE agency IS NOT NULL ORDER BY agency, year"
        ):
            out.setdefault(r["agency"], []).append(r["year"])
        return list(out.items())


def _where(sql: str, agency: str | None, year: int | None, prefix: str = "d.") -> tuple[str, list[Any]]:
    sql += " WHERE 1=1"
    args: list[Any] = []
    if agency:
        sql += f" AND {prefix}agency=?"
        args.append(agency)
    if year:
        sql += f" AND {prefix}year=?"
        args.append(year)
    return sql, args
