"""Reads for table answers across many reports: a few cells of each, one query each.

A rank over 1,000 agencies must not load 1,000 reports' facts; these read only the cells a
figure needs, and one copy of each agency-year (the copy with the most table cells, as single
answers read), so a report stored twice is never counted twice.
"""
from __future__ import annotations

import weakref
from typing import Iterable

from .store import Store, StoredCheck, StoredDocument, StoredFact

Key = tuple[str, str, str]  # (table, row, column)


_DOCS: "weakref.WeakKeyDictionary[Store, tuple[tuple[int, int], list[StoredDocument]]]" = weakref.WeakKeyDictionary()


def _documents(store: Store) -> list[StoredDocument]:
    """Every stored document, re-read only when the file changed since this connection last read
    it: another connection committed (data_version) or this one wrote (total_changes)."""
    version = (store.db.execute("PRAGMA data_version").fetchone()[0], store.db.total_changes)
    cached = _DOCS.get(store)
    if cached is None or cached[0] != version:
        cached = _DOCS[store] = (version, store.documents())
    return cached[1]


def copies(store: Store, agency: str | None = None, year: int | None = None) -> dict[tuple[str, int], StoredDocument]:
    """One document per (agency, year): the copy answers read (Store.read_copy)."""
    groups: dict[tuple[str, int], list[StoredDocument]] = {}
    for d in _documents(store):
        if (agency and d.agency != agency) or (year and d.year != year):
            continue
        if d.agency and d.year:
            groups.setdefault((d.agency, d.year), []).append(d)
    out = {}
    for key, docs in groups.items():
        if len(docs) > 1:  # asked only where there is a choice to make
            chosen = store.read_copy(*key)
            docs = [d for d in docs if d.id == chosen]
        out[key] = docs[0]
    return out


def cells(store: Store, docs: Iterable[StoredDocument], keys: Iterable[Key]) -> dict[str, list[StoredFact]]:
    """The table cells `keys` of each document, by document id."""
    by_id = {d.id: d for d in docs}
    keys = sorted(set(keys))
    out: dict[str, list[StoredFact]] = {i: [] for i in by_id}
    if not by_id or not keys:
        return out
    tables = sorted({k[0] for k in keys})
    rows = sorted({k[1] for k in keys})
    cols = sorted({k[2] for k in keys})
    wanted = set(keys)
    ids = list(by_id)
    for start in range(0, len(ids), 500):  # SQLite's bound-parameter limit
        part = ids[start:start + 500]
        sql = (f"SELECT doc_id, kind, tbl, row, col, topic, row_label, column_label, value, unit, raw, qualifier, line,"
               f" quote, char_offset FROM facts WHERE kind='cell' AND doc_id IN ({','.join('?' * len(part))})"
               f" AND tbl IN ({','.join('?' * len(tables))}) AND row IN ({','.join('?' * len(rows))})"
               f" AND col IN ({','.join('?' * len(cols))}) ORDER BY id")
        cur = store.db.cursor()
        cur.row_factory = None  # plain tuples: this runs for every cell of a 1,000-agency rank
        for doc_id, *r in cur.execute(sql, [*part, *tables, *rows, *cols]):
            if (r[1], r[2], r[3]) in wanted:
                d = by_id[doc_id]
                out[doc_id].append(StoredFact(*r, agency=d.agency, year=d.year, document=d.name, doc_id=d.id))
    return out


def failed_checks(store: Store, docs: Iterable[StoredDocument]) -> dict[str, list[StoredCheck]]:
    """Checks that did not pass, by document id."""
    by_id = {d.id: d for d in docs}
    out: dict[str, list[StoredCheck]] = {i: [] for i in by_id}
    ids = list(by_id)
    for start in range(0, len(ids), 900):
        part = ids[start:start + 900]
        sql = f"SELECT * FROM checks WHERE status != 'PASS' AND doc_id IN ({','.join('?' * len(part))}) ORDER BY id"
        for r in store.db.execute(sql, part):
            d = by_id[r["doc_id"]]
            out[d.id].append(StoredCheck(r["name"], r["tbl"], r["col"], r["status"], r["lhs"], r["rhs"], r["detail"],
                                         r["line"], agency=d.agency, year=d.year, document=d.name, doc_id=d.id))
    return out
