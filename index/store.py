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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any, cast

from ingest import Check, Fact, Meta, Report, carryover_check

from . import sqlite
from .stored import AgencyRecord, StoredCheck, StoredChunk, StoredDocument, StoredFact, StoreError

__all__ = ["SCHEMA", "AgencyRecord", "Store", "StoreError", "StoredCheck", "StoredChunk", "StoredDocument",
           "StoredFact", "is_url", "location"]

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


_READ_FIRST = "(SELECT count(*) FROM facts f WHERE f.doc_id=d.id AND f.kind='cell') DESC, d.ingested_at DESC, d.id"
# Columns added by the identity work; an older facts.sqlite gets them on open (ALTER TABLE ADD COLUMN).
_IDENTITY_COLUMNS = ("agency_id", "printed", "kind", "county", "town", "cues", "names")


def is_url(location: object) -> bool:
    """A PostgreSQL database URL, not a file."""
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def location(data_dir: Path, db_url: str | None = None) -> Path | str:
    """Where a data dir's facts live: the PostgreSQL database `db_url`, else its facts.sqlite."""
    return db_url or data_dir / "facts.sqlite"


class Store:
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

                self.db = cast(sqlite3.Connection, pg.connect(url, readonly, SCHEMA))  # it runs sqlite3's calls
            else:
                self.db = sqlite.connect(file, readonly, SCHEMA, _IDENTITY_COLUMNS)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("SELECT 1 FROM documents LIMIT 1").fetchall()
            have = {r[1] for r in self.db.execute("PRAGMA table_info(documents)")}
        except sqlite3.DatabaseError as e:
            raise StoreError(pg.trouble(url, e) if url else sqlite.trouble(file, e)) from None
        if not have >= set(_IDENTITY_COLUMNS):
            raise StoreError(f"{self.path} was written by an older xxgk: run `xxgk ingest` once to upgrade it")

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ writing
    def put(self, report: Report, force: bool = False) -> tuple[str, str]:
        """Store one report atomically. Returns (status, doc_id): added | replaced | unchanged | duplicate.
        `force` replaces a document with the same bytes (re-ingest with --agency/--year)."""
        doc, meta = report.document, report.meta
        doc_id = doc.sha256[:16]
        with self.writing():  # the duplicate check and the write in one transaction, under the write lock
            same = self.db.execute("SELECT id, path FROM documents WHERE sha256=?", (doc.sha256,)).fetchone()
            if same is not None and not (force and same["path"] == doc.path):  # overrides relabel this path only
                return ("unchanged" if same["path"] == doc.path else f"duplicate of {same['path']}", same["id"])
            old = self.db.execute("SELECT id, agency FROM documents WHERE path=? OR sha256=?", (doc.path, doc.sha256)).fetchall()
            for row in old:
                self.db.execute("DELETE FROM documents WHERE id=?", (row["id"],))
            agency_id = self._identity_of(meta)
            self.db.execute(
                "INSERT INTO documents (id, path, name, sha256, format, encoding, agency, place, city, province, year,"
                " template, title, warnings, ingested_at, agency_id, printed, kind, county, town, cues, names)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc_id, doc.path, Path(doc.path).name, doc.sha256, doc.format, doc.encoding, meta.agency, meta.place, meta.city,
                 meta.province, meta.year, meta.template, meta.title, json.dumps(meta.warnings, ensure_ascii=False),
                 datetime.now(UTC).isoformat(timespec="seconds"), agency_id, meta.printed, meta.kind,
                 meta.county, meta.town, json.dumps(meta.cues, ensure_ascii=False),
                 json.dumps(meta.names, ensure_ascii=False)),
            )
            if agency_id:
                meta.agency = self._canonicalise(agency_id)
            self.db.executemany(
                "INSERT INTO facts (doc_id, kind, tbl, row, col, topic, row_label, column_label, value, unit, raw, qualifier, line, quote,"
                " char_offset) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(doc_id, f.kind, f.table, f.row, f.column, f.topic, f.row_label, f.column_label, f.value, f.unit, f.raw,
                  f.qualifier, f.line, f.quote, f.offset) for f in report.facts],
            )
            self._insert_checks(doc_id, report.checks)
            self.db.executemany(
                "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?)",
                [(f"{doc_id}:{i}", doc_id, i, c.section, c.line_start, c.line_end, c.kind, c.text) for i, c in enumerate(report.chunks)],
            )
            for agency in {a for a in [meta.agency, *(r["agency"] for r in old)] if a is not None}:
                self._recheck_carryover(agency)
        return ("replaced" if old else "added", doc_id)

    def _identity_of(self, meta: Meta) -> str | None:
        """The identity a new report joins. Same place chain + kind + department word is one key
        (Meta.agency_id); a report whose text gives no place joins the placed body of the same
        canonical name, and placed reports adopt unplaced ones of their name. Order-independent."""
        if meta.agency_id is None:
            return None
        if meta.province is None and meta.county is None and meta.town is None:
            row = self.db.execute("SELECT agency_id FROM documents WHERE agency=? AND agency_id IS NOT NULL "
                                  "AND province IS NOT NULL ORDER BY agency_id LIMIT 1", (meta.agency,)).fetchone()
            return row[0] if row else meta.agency_id
        self.db.execute("UPDATE documents SET agency_id=? WHERE agency=? AND province IS NULL AND county IS NULL "
                        "AND town IS NULL", (meta.agency_id, meta.agency))
        return meta.agency_id

    def _canonicalise(self, agency_id: str) -> str:
        """One name for all reports of a body. Ingest names a placed body from its identity alone
        (the same for every year and spelling); reports that gave no place take that name. A name
        two bodies share gets each body's city in front. put() then rechecks the carry-over."""
        names = [r[0] for r in self.db.execute(
            "SELECT DISTINCT agency, province IS NULL AS unplaced, length(agency) AS n FROM documents WHERE agency_id=?"
            " AND agency IS NOT NULL ORDER BY unplaced, n DESC, agency", (agency_id,))]
        name = names[0]
        twins = [r[0] for r in self.db.execute(
            "SELECT DISTINCT agency_id FROM documents WHERE agency=? AND agency_id<>?", (name, agency_id))]
        self.db.execute("UPDATE documents SET agency=? WHERE agency_id=?", (name, agency_id))
        for other in [agency_id, *twins] if twins else []:  # 朝阳区人民政府 of 北京 and of 长春: each with its city
            row = self.db.execute("SELECT city, province FROM documents WHERE agency_id=? AND (city IS NOT NULL OR "
                                  "province IS NOT NULL) LIMIT 1", (other,)).fetchone()
            prefix = row and (row["city"] or row["province"])
            if prefix and not name.startswith(prefix):
                self.db.execute("UPDATE documents SET agency=? WHERE agency_id=?", (prefix + name, other))
        return str(self.db.execute("SELECT agency FROM documents WHERE agency_id=? LIMIT 1", (agency_id,)).fetchone()[0])

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One write transaction, taking SQLite's write lock at the start (a second writer waits for it)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.rollback()
            raise
        self.db.commit()

    def remove(self, paths: Iterable[str]) -> list[StoredDocument]:
        """Forget the documents stored for these paths (a file that no longer holds them)."""
        with self.writing():
            rows = [r for p in paths for r in self.db.execute("SELECT * FROM documents WHERE path=?", (p,))]
            gone = [_document(r) for r in rows]
            for d in gone:
                self.db.execute("DELETE FROM documents WHERE id=?", (d.id,))
            for agency in {d.agency for d in gone} - {None}:
                self._recheck_carryover(agency)  # type: ignore[arg-type]
        return gone

    def _insert_checks(self, doc_id: str, checks: Iterable[Check], other: str | None = None) -> None:
        self.db.executemany(
            "INSERT INTO checks (doc_id, name, tbl, col, status, lhs, rhs, detail, line, other_doc_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(doc_id, c.name, c.table, c.column, c.status, c.lhs, c.rhs, c.detail, c.line, other) for c in checks],
        )

    def _recheck_carryover(self, agency: str) -> None:
        """Consecutive years of one agency: year N 结转下年度 = year N+1 上年结转."""
        rows = self.db.execute("SELECT d.id, d.year FROM documents d WHERE d.agency=? AND d.year IS NOT NULL "
                               f"ORDER BY d.year, {_READ_FIRST}", (agency,)).fetchall()
        if not rows:
            return
        docs = [d for i, d in enumerate(rows) if i == 0 or rows[i - 1]["year"] != d["year"]]  # one copy a year, as answers read
        pairs = {(b["id"], a["id"]): (a["year"], b["year"])
                 for a, b in pairwise(docs) if b["year"] == a["year"] + 1}
        ids = [d["id"] for d in rows]
        marks = ",".join("?" * len(ids))
        # A pair's checks depend on its two documents only, which are never changed in place (a re-put
        # deletes them, and its checks go with it): pairs already checked keep their checks. Why: a
        # recheck of every year on each put made a 10,000-report ingest spend 80% of its time here.
        done = {(r[0], r[1]) for r in self.db.execute(
            "SELECT DISTINCT doc_id, other_doc_id FROM checks WHERE name='carryover' "
            f"AND doc_id IN ({marks})", ids)}
        for doc_id, other in done - pairs.keys():
            self.db.execute("DELETE FROM checks WHERE name='carryover' AND doc_id=? AND other_doc_id=?",
                            (doc_id, other))
        for (b, a), years in pairs.items():
            if (b, a) not in done:
                self._insert_checks(b, carryover_check(self._facts_of(a), self._facts_of(b), years), other=a)

    def read_copy(self, agency: str, year: int) -> str | None:
        """The copy of an agency-year that answers and checks read when it is stored twice (the PDF and
        the HTML of one report): the one with the most table cells, then the newest, so numbers are never
        counted twice and every reader picks the same one."""
        row = self.db.execute(f"SELECT d.id FROM documents d WHERE d.agency=? AND d.year=? ORDER BY {_READ_FIRST} LIMIT 1",
                              (agency, year)).fetchone()
        return row[0] if row else None

    def _facts_of(self, doc_id: str) -> list[Fact]:
        """The rows carryover_check compares (reading all of 表三 was a third of a put's time)."""
        return [_fact(r) for r in self.db.execute(
            "SELECT * FROM facts WHERE doc_id=? AND tbl='t3' AND row IN ('carried_forward', 'carried_over')"
            " ORDER BY row, col, id", (doc_id,))]

    # ------------------------------------------------------------------ reading
    def find_sha(self, sha256: str) -> tuple[str, str] | None:
        """(doc_id, path) of a document with these exact bytes."""
        r = self.db.execute("SELECT id, path FROM documents WHERE sha256=?", (sha256,)).fetchone()
        return (r["id"], r["path"]) if r else None

    def paths_of(self, path: str) -> list[str]:
        """Stored paths that come from this file: itself, or its reports `FILE#k` when it holds several."""
        part = re.compile(re.escape(path) + r"#\d+")
        rows = self.db.execute("SELECT path FROM documents WHERE path=? OR path>=? AND path<?",  # by the index
                               (path, path + "#", path + "$"))
        return [r[0] for r in rows if r[0] == path or part.fullmatch(r[0])]

    def documents(self, agency: str | None = None, year: int | None = None) -> list[StoredDocument]:
        sql, args = _where("SELECT * FROM documents", agency, year, prefix="")
        return [_document(r) for r in self.db.execute(sql + " ORDER BY agency, year, name", args)]

    def facts(self, agency: str | None = None, year: int | None = None, table: str | None = None, doc_id: str | None = None) -> list[StoredFact]:
        sql, args = _where("SELECT f.*, d.agency, d.year, d.name AS document FROM facts f JOIN documents d ON d.id=f.doc_id", agency, year)
        if table:
            sql += " AND f.tbl=?"
            args.append(table)
        if doc_id:
            sql += " AND f.doc_id=?"
            args.append(doc_id)
        rows = self.db.execute(sql + " ORDER BY d.agency, d.year, f.doc_id, f.id", args)
        return [
            StoredFact(r["kind"], r["tbl"], r["row"], r["col"], r["topic"], r["row_label"], r["column_label"], r["value"], r["unit"],
                       r["raw"], r["qualifier"], r["line"], r["quote"], r["char_offset"], r["agency"], r["year"], r["document"],
                       r["doc_id"])
            for r in rows
        ]

    def checks(self, agency: str | None = None, year: int | None = None, doc_id: str | None = None) -> list[StoredCheck]:
        sql, args = _where("SELECT c.*, d.agency, d.year, d.name AS document FROM checks c JOIN documents d ON d.id=c.doc_id", agency, year)
        if doc_id:
            sql += " AND c.doc_id=?"
            args.append(doc_id)
        order = " ORDER BY CASE c.status WHEN 'FAIL' THEN 0 WHEN 'UNCERTAIN' THEN 1 ELSE 2 END, d.agency, d.year, c.id"
        return [
            StoredCheck(r["name"], r["tbl"], r["col"], r["status"], r["lhs"], r["rhs"], r["detail"], r["line"],
                        agency=r["agency"], year=r["year"], document=r["document"], doc_id=r["doc_id"])
            for r in self.db.execute(sql + order, args)
        ]

    def chunks(self, agency: str | None = None, year: int | None = None) -> list[StoredChunk]:
        sql, args = _where("SELECT c.*, d.agency, d.year, d.name AS document FROM chunks c JOIN documents d ON d.id=c.doc_id", agency, year)
        return [
            StoredChunk(r["id"], r["doc_id"], r["agency"], r["year"], r["document"], r["section"], r["line_start"], r["line_end"], r["kind"], r["text"])
            for r in self.db.execute(sql + " ORDER BY c.doc_id, c.idx", args)
        ]

    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM chunks")}

    def agency_places(self) -> list[tuple[str, str | None]]:
        """Each stored agency once, with its place: what question understanding resolves against."""
        return [(r[0], r[1]) for r in self.db.execute("SELECT agency, MIN(place) FROM documents WHERE agency IS NOT NULL GROUP BY agency")]

    def agency_records(self) -> list[AgencyRecord]:
        """Every body once: canonical name, kind, the fullest place chain its reports give, every
        printed name, the years stored."""
        out: dict[str, AgencyRecord] = {}
        rows = self.db.execute("SELECT * FROM documents WHERE agency IS NOT NULL ORDER BY agency, year, name")
        for r in rows:
            key = r["agency_id"] or r["agency"]
            rec = out.setdefault(key, AgencyRecord(r["agency"], key, r["kind"] or "other",
                                                   None, None, None, None, [], []))
            depth = sum(x is not None for x in (rec.province, rec.city, rec.county, rec.town))
            if sum(r[c] is not None for c in ("province", "city", "county", "town")) > depth:
                rec.province, rec.city, rec.county, rec.town = r["province"], r["city"], r["county"], r["town"]
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
        return tuple(self.db.execute("SELECT count(*), group_concat(id || ingested_at) FROM "
                                     "(SELECT id, ingested_at FROM documents ORDER BY id) AS d").fetchone())

    def agencies(self) -> list[tuple[str, list[int]]]:
        """Every ingested agency with the years stored for it."""
        out: dict[str, list[int]] = {}
        for r in self.db.execute("SELECT agency, year FROM documents WHERE agency IS NOT NULL ORDER BY agency, year"):
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


def _fact(r: sqlite3.Row) -> Fact:
    return Fact(r["kind"], r["tbl"], r["row"], r["col"], r["topic"], r["row_label"], r["column_label"], r["value"], r["unit"], r["raw"], r["qualifier"], r["line"], r["quote"])


def _document(r: sqlite3.Row) -> StoredDocument:
    d = dict(r)
    d["warnings"] = json.loads(d["warnings"] or "[]")
    d["cues"] = json.loads(d.get("cues") or "{}")
    d["names"] = json.loads(d.get("names") or "[]")
    return StoredDocument(**d)
