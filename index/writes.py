"""The store's writing half: a report in one transaction (the duplicate check under the write lock),
the body it belongs to (one agency identity, one canonical name), and the carry-over checks
between an agency's consecutive years, kept in step on every write. Store (index/store.py) is
this and its reads.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

from ingest import Check, Fact, Meta, Report, carryover_check

from .stored import StoredDocument, document, fact

# The copy of an agency-year answers and checks read (Store.read_copy): the most table cells, the newest.
READ_FIRST = (
    "(SELECT count(*) FROM facts f WHERE f.doc_id=d.id AND f.kind='cell') DESC, d.ingested_at DESC, d.id"
)


class Writes:
    """Store's writing methods; `db` is the store's connection (SQLite, or PostgreSQL through index/pg.py)."""

    db: sqlite3.Connection

    def put(self, report: Report, force: bool = False) -> tuple[str, str]:
        """Store one report atomically. Returns (status, doc_id): added | replaced | unchanged | duplicate.
        `force` replaces a document with the same bytes (re-ingest with --agency/--year). It stays one
        function: the duplicate check and every insert are one transaction under the write lock."""
        doc, meta = report.document, report.meta
        doc_id = doc.sha256[:16]
        with self.writing():  # the duplicate check and the write in one transaction, under the write lock
            same = self.db.execute("SELECT id, path FROM documents WHERE sha256=?", (doc.sha256,)).fetchone()
            if same is not None and not (
                force and same["path"] == doc.path
            ):  # overrides relabel this path only
                return (
                    "unchanged" if same["path"] == doc.path else f"duplicate of {same['path']}",
                    same["id"],
                )
            old = self.db.execute(
                "SELECT id, agency FROM documents WHERE path=? OR sha256=?", (doc.path, doc.sha256)
            ).fetchall()
            for row in old:
                self.db.execute("DELETE FROM documents WHERE id=?", (row["id"],))
            agency_id = self._identity_of(meta)
            self.db.execute(
                "INSERT INTO documents (id, path, name, sha256, format, encoding, agency, place, city,"
                " province, year, template, title, warnings, ingested_at, agency_id, printed, kind, county,"
                " town, cues, names)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc_id,
                    doc.path,
                    Path(doc.path).name,
                    doc.sha256,
                    doc.format,
                    doc.encoding,
                    meta.agency,
                    meta.place,
                    meta.city,
                    meta.province,
                    meta.year,
                    meta.template,
                    meta.title,
                    json.dumps(meta.warnings, ensure_ascii=False),
                    datetime.now(UTC).isoformat(timespec="seconds"),
                    agency_id,
                    meta.printed,
                    meta.kind,
                    meta.county,
                    meta.town,
                    json.dumps(meta.cues, ensure_ascii=False),
                    json.dumps(meta.names, ensure_ascii=False),
                ),
            )
            if agency_id:
                meta.agency = self._canonicalise(agency_id)
            self.db.executemany(
                "INSERT INTO facts (doc_id, kind, tbl, row, col, topic, row_label, column_label, value, unit,"
                " raw, qualifier, line, quote, char_offset) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        doc_id,
                        f.kind,
                        f.table,
                        f.row,
                        f.column,
                        f.topic,
                        f.row_label,
                        f.column_label,
                        f.value,
                        f.unit,
                        f.raw,
                        f.qualifier,
                        f.line,
                        f.quote,
                        f.offset,
                    )
                    for f in report.facts
                ],
            )
            self._insert_checks(doc_id, report.checks)
            self.db.executemany(
                "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?)",
                [
                    (f"{doc_id}:{i}", doc_id, i, c.section, c.line_start, c.line_end, c.kind, c.text)
                    for i, c in enumerate(report.chunks)
                ],
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
            row = self.db.execute(
                "SELECT agency_id FROM documents WHERE agency=? AND agency_id IS NOT NULL "
                "AND province IS NOT NULL ORDER BY agency_id LIMIT 1",
                (meta.agency,),
            ).fetchone()
            return row[0] if row else meta.agency_id
        self.db.execute(
            "UPDATE documents SET agency_id=? WHERE agency=? AND province IS NULL AND county IS NULL "
            "AND town IS NULL",
            (meta.agency_id, meta.agency),
        )
        return meta.agency_id

    def _canonicalise(self, agency_id: str) -> str:
        """One name for all reports of a body. Ingest names a placed body from its identity alone
        (the same for every year and spelling); reports that gave no place take that name. A name
        two bodies share gets each body's city in front. put() then rechecks the carry-over."""
        names = [
            r[0]
            for r in self.db.execute(
                "SELECT DISTINCT agency, province IS NULL AS unplaced, length(agency) AS n FROM documents"
                " WHERE agency_id=? AND agency IS NOT NULL ORDER BY unplaced, n DESC, agency",
                (agency_id,),
            )
        ]
        name = names[0]
        twins = [
            r[0]
            for r in self.db.execute(
                "SELECT DISTINCT agency_id FROM documents WHERE agency=? AND agency_id<>?", (name, agency_id)
            )
        ]
        self.db.execute("UPDATE documents SET agency=? WHERE agency_id=?", (name, agency_id))
        for other in (
            [agency_id, *twins] if twins else []
        ):  # 朝阳区人民政府 of 北京 and of 长春: each with its city
            row = self.db.execute(
                "SELECT city, province FROM documents WHERE agency_id=? AND (city IS NOT NULL OR "
                "province IS NOT NULL) LIMIT 1",
                (other,),
            ).fetchone()
            prefix = row and (row["city"] or row["province"])
            if prefix and not name.startswith(prefix):
                self.db.execute("UPDATE documents SET agency=? WHERE agency_id=?", (prefix + name, other))
        return str(
            self.db.execute(
                "SELECT agency FROM documents WHERE agency_id=? LIMIT 1", (agency_id,)
            ).fetchone()[0]
        )

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
            gone = [document(r) for r in rows]
            for d in gone:
                self.db.execute("DELETE FROM documents WHERE id=?", (d.id,))
            for agency in {d.agency for d in gone if d.agency is not None}:
                self._recheck_carryover(agency)
        return gone

    def _insert_checks(self, doc_id: str, checks: Iterable[Check], other: str | None = None) -> None:
        self.db.executemany(
            "INSERT INTO checks (doc_id, name, tbl, col, status, lhs, rhs, detail, line, other_doc_id)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (doc_id, c.name, c.table, c.column, c.status, c.lhs, c.rhs, c.detail, c.line, other)
                for c in checks
            ],
        )

    def _recheck_carryover(self, agency: str) -> None:
        """Consecutive years of one agency: year N 结转下年度 = year N+1 上年结转."""
        rows = self.db.execute(
            "SELECT d.id, d.year FROM documents d WHERE d.agency=? AND d.year IS NOT NULL "
            f"ORDER BY d.year, {READ_FIRST}",
            (agency,),
        ).fetchall()
        if not rows:
            return
        docs = [
            d for i, d in enumerate(rows) if i == 0 or rows[i - 1]["year"] != d["year"]
        ]  # one copy a year, as answers read
        pairs = {
            (b["id"], a["id"]): (a["year"], b["year"])
            for a, b in pairwise(docs)
            if b["year"] == a["year"] + 1
        }
        ids = [d["id"] for d in rows]
        marks = ",".join("?" * len(ids))
        # A pair's checks depend on its two documents only, which are never changed in place (a re-put
        # deletes them, and its checks go with it): pairs already checked keep their checks. Why: a
        # recheck of every year on each put made a 10,000-report ingest spend 80% of its time here.
        done = {
            (r[0], r[1])
            for r in self.db.execute(
                "SELECT DISTINCT doc_id, other_doc_id FROM checks WHERE name='carryover' "
                f"AND doc_id IN ({marks})",
                ids,
            )
        }
        for doc_id, other in done - pairs.keys():
            self.db.execute(
                "DELETE FROM checks WHERE name='carryover' AND doc_id=? AND other_doc_id=?", (doc_id, other)
            )
        for (b, a), years in pairs.items():
            if (b, a) not in done:
                self._insert_checks(b, carryover_check(self._facts_of(a), self._facts_of(b), years), other=a)

    def _facts_of(self, doc_id: str) -> list[Fact]:
        """The rows carryover_check compares (reading all of 表三 was a third of a put's time)."""
        return [
            fact(r)
            for r in self.db.execute(
                "SELECT * FROM facts WHERE doc_id=? AND tbl='t3'"
                " AND row IN ('carried_forward', 'carried_over') ORDER BY row, col, id",
                (doc_id,),
            )
        ]
