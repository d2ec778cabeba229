"""The facts store: one SQLite file holding documents, facts, checks and chunks.

A document is written in one transaction, so a crash or a bad file never leaves half of it.
Identity is the content hash: the same bytes are skipped, a changed file at the same path
replaces its old facts, and the same report under a second name is reported as a duplicate.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from ingest import Check, Fact, Report, carryover_check

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY, path TEXT NOT NULL, name TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE,
  format TEXT, encoding TEXT, agency TEXT, place TEXT, city TEXT, province TEXT, year INTEGER,
  template TEXT, title TEXT, warnings TEXT, ingested_at TEXT
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


@dataclass
class StoredDocument:
    id: str
    path: str
    name: str
    sha256: str
    format: str
    encoding: str
    agency: str | None
    place: str | None
    city: str | None
    province: str | None
    year: int | None
    template: str
    title: str
    warnings: list[str]
    ingested_at: str


@dataclass
class StoredFact(Fact):
    agency: str | None = None
    year: int | None = None
    document: str = ""
    doc_id: str = ""


@dataclass
class StoredCheck(Check):
    agency: str | None = None
    year: int | None = None
    document: str = ""
    doc_id: str = ""


@dataclass
class StoredChunk:
    id: str
    doc_id: str
    agency: str | None
    year: int | None
    document: str
    section: str
    line_start: int
    line_end: int
    kind: str
    text: str


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(self.path), timeout=30)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process never corrupts or half-writes
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        """Files written before a column existed get it, with its default (their facts keep working)."""
        cols = {r["name"] for r in self.db.execute("PRAGMA table_info(facts)")}
        if "char_offset" not in cols:  # prose offsets in the sentence (re-ingest to fill them)
            self.db.execute("ALTER TABLE facts ADD COLUMN char_offset INTEGER DEFAULT -1")
            self.db.commit()

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ writing
    def put(self, report: Report, force: bool = False) -> tuple[str, str]:
        """Store one report atomically. Returns (status, doc_id): added | replaced | unchanged | duplicate.
        `force` replaces a document with the same bytes (re-ingest with --agency/--year)."""
        doc, meta = report.document, report.meta
        doc_id = doc.sha256[:16]
        same = self.db.execute("SELECT id, path FROM documents WHERE sha256=?", (doc.sha256,)).fetchone()
        if same is not None and not force:
            return ("unchanged" if same["path"] == doc.path else f"duplicate of {same['path']}", same["id"])
        with self.db:
            old = self.db.execute("SELECT id, agency FROM documents WHERE path=? OR sha256=?", (doc.path, doc.sha256)).fetchall()
            for row in old:
                self.db.execute("DELETE FROM documents WHERE id=?", (row["id"],))
            self.db.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc_id, doc.path, Path(doc.path).name, doc.sha256, doc.format, doc.encoding, meta.agency, meta.place, meta.city,
                 meta.province, meta.year, meta.template, meta.title, json.dumps(meta.warnings, ensure_ascii=False),
                 datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )
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
            agencies = {meta.agency} | {r["agency"] for r in old}
            for agency in agencies - {None}:
                self._recheck_carryover(agency)
        return ("replaced" if old else "added", doc_id)

    def _insert_checks(self, doc_id: str, checks: Iterable[Check], other: str | None = None) -> None:
        self.db.executemany(
            "INSERT INTO checks (doc_id, name, tbl, col, status, lhs, rhs, detail, line, other_doc_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(doc_id, c.name, c.table, c.column, c.status, c.lhs, c.rhs, c.detail, c.line, other) for c in checks],
        )

    def _recheck_carryover(self, agency: str) -> None:
        """Consecutive years of one agency: year N 结转下年度 = year N+1 上年结转."""
        rows = self.db.execute(
            "SELECT d.id, d.year FROM documents d WHERE d.agency=? AND d.year IS NOT NULL ORDER BY d.year, "
            "(SELECT count(*) FROM facts f WHERE f.doc_id=d.id AND f.kind='cell') DESC, d.ingested_at DESC", (agency,)).fetchall()
        ids = [d["id"] for d in rows]
        self.db.execute(f"DELETE FROM checks WHERE name='carryover' AND doc_id IN ({','.join('?' * len(ids))})", ids)
        docs = [d for i, d in enumerate(rows) if i == 0 or rows[i - 1]["year"] != d["year"]]  # one copy a year, as answers read
        for a, b in zip(docs, docs[1:]):
            if b["year"] == a["year"] + 1:
                checks = carryover_check(self._facts_of(a["id"]), self._facts_of(b["id"]), (a["year"], b["year"]))
                self._insert_checks(b["id"], checks, other=a["id"])

    def _facts_of(self, doc_id: str) -> list[Fact]:
        return [_fact(r) for r in self.db.execute("SELECT * FROM facts WHERE doc_id=? AND tbl='t3'", (doc_id,))]

    # ------------------------------------------------------------------ reading
    def find_sha(self, sha256: str) -> tuple[str, str] | None:
        """(doc_id, path) of a document with these exact bytes."""
        r = self.db.execute("SELECT id, path FROM documents WHERE sha256=?", (sha256,)).fetchone()
        return (r["id"], r["path"]) if r else None

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
    return StoredDocument(**d)
