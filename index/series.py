"""Reads for table answers across many reports: a few cells of each, one query each.

A rank over 1,000 agencies must not load 1,000 reports' facts; these read only the cells a
figure needs, and one copy of each agency-year (the copy with the most table cells, as single
answers read), so a report stored twice is never counted twice.
"""
from __future__ import annotations

from typing import Iterable

from .store import Store, StoredCheck, StoredDocument, StoredFact

Key = tuple[str, str, str]  # (table, row, column)


def copies(store: Store, agency: str | None = None, year: int | None = None) -> dict[tuple[str, int], StoredDocument]:
    """One document per (agency, year): the one with the most table cells, then the newest."""
    groups: dict[tuple[str, int], list[StoredDocument]] = {}
    for d in store.documents(agency=agency, year=year):
        if d.agency and d.year:
            groups.setdefault((d.agency, d.year), []).append(d)
    out = {}
    for key, docs in groups.items():
        if len(docs) > 1:  # counted only where there is a choice to make
            sql = "SELECT count(*) FROM facts WHERE doc_id=? AND kind='cell'"
            n = {d.id: store.db.execute(sql, (d.id,)).fetchone()[0] for d in docs}
            docs.sort(key=lambda d: (n[d.id], d.ingested_at or ""), reverse=True)
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
        sql = (f"SELECT * FROM facts WHERE kind='cell' AND doc_id IN ({','.join('?' * len(part))})"
               f" AND tbl IN ({','.join('?' * len(tables))}) AND row IN ({','.join('?' * len(rows))})"
               f" AND col IN ({','.join('?' * len(cols))}) ORDER BY id")
        for r in store.db.execute(sql, [*part, *tables, *rows, *cols]):
            if (r["tbl"], r["row"], r["col"]) not in wanted:
                continue
            d = by_id[r["doc_id"]]
            out[d.id].append(StoredFact(r["kind"], r["tbl"], r["row"], r["col"], r["topic"], r["row_label"],
                                        r["column_label"], r["value"], r["unit"], r["raw"], r["qualifier"], r["line"],
                                        r["quote"], d.agency, d.year, d.name, d.id))
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
