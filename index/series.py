"""Reads for table answers across many reports: a few cells of each, one query each.

A rank over 1,000 agencies must not load 1,000 reports' facts; these read only the cells a
figure needs, and one copy of each agency-year (the copy with the most table cells, as single
answers read), so a report stored twice is never counted twice. Which copies there are is read
once per store generation and indexed by agency and by year, so a trend over 100,000 reports
looks at its agency's ten, and a rank at its year's.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field

from .store import Store, StoredCheck, StoredFact
from .stored import check

Key = tuple[str, str, str]  # (table, row, column)


@dataclass(frozen=True, slots=True)
class Copy:
    """What a table answer reads of a stored document: who, when, where, and its name to cite.
    Why not StoredDocument: a corpus of 100,000 reports is held in every process that answers."""

    id: str
    name: str
    agency: str
    agency_id: str | None
    year: int
    place: str | None
    city: str | None
    province: str | None


@dataclass
class Copies:
    """One document per (agency, year), the copy answers read (Store.read_copy), by agency and by
    year as well: a trend reads its agency's years and a rank its year's reports, not the corpus."""

    docs: dict[tuple[str, int], Copy] = field(default_factory=dict)
    by_agency: dict[str, list[Copy]] = field(default_factory=dict)  # each agency's years ascending
    by_year: dict[int, list[Copy]] = field(default_factory=dict)
    places: list[Copy] = field(default_factory=list)  # one copy per distinct place chain
    _kept: dict[Hashable, list[Copy]] = field(default_factory=dict)

    def of(self, agencies: Iterable[str]) -> list[Copy]:
        return [d for a in agencies for d in self.by_agency.get(a, [])]

    def kept(self, key: Hashable, admits: Callable[[Copy], bool]) -> list[Copy]:
        """The copies `admits` keeps (a rank's scope), remembered under `key` until the store changes."""
        if key not in self._kept:
            self._kept[key] = [d for d in self.docs.values() if admits(d)]
        return self._kept[key]


_CACHE: weakref.WeakKeyDictionary[Store, tuple[tuple[int, int], Copies]] = weakref.WeakKeyDictionary()


def stored_copies(store: Store) -> Copies:
    """The copies of every agency-year, read again only when the store changed (Store.generation):
    another connection committed or this one wrote. Why cached: a table answer over 100,000
    reports must not read and regroup every document each time it is asked."""
    generation = store.generation()
    cached = _CACHE.get(store)
    if cached is None or cached[0] != generation:
        cached = _CACHE[store] = (generation, _group(store))
    return cached[1]


def _group(store: Store) -> Copies:
    groups: dict[tuple[str, int], list[Copy]] = {}
    cur = store.db.cursor()
    cur.row_factory = None  # plain tuples, one per stored document
    for row in cur.execute(
        "SELECT id, name, agency, agency_id, year, place, city, province FROM documents"
        " WHERE agency IS NOT NULL AND year IS NOT NULL ORDER BY agency, year, name"
    ):
        d = Copy(*row)
        if d.agency and d.year:
            groups.setdefault((d.agency, d.year), []).append(d)
    out = Copies()
    for key, docs in groups.items():
        if len(docs) > 1:  # asked only where there is a choice to make
            chosen = store.read_copy(*key)
            docs = [d for d in docs if d.id == chosen]
        out.docs[key] = docs[0]
        out.by_agency.setdefault(key[0], []).append(docs[0])
        out.by_year.setdefault(key[1], []).append(docs[0])
    out.places = list({(d.province, d.city, d.place): d for d in out.docs.values()}.values())
    return out


def cells(store: Store, docs: Iterable[Copy], keys: Iterable[Key]) -> dict[str, list[StoredFact]]:
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
        part = ids[start : start + 500]
        sql = (
            "SELECT doc_id, kind, tbl, row, col, topic, row_label, column_label, value, unit, raw, qualifier,"
            f" line, quote, char_offset FROM facts WHERE kind='cell' AND doc_id IN ({_marks(part)})"
            f" AND tbl IN ({_marks(tables)}) AND row IN ({_marks(rows)}) AND col IN ({_marks(cols)})"
            " ORDER BY id"
        )
        cur = store.db.cursor()
        cur.row_factory = None  # plain tuples: this runs for every cell of a 1,000-agency rank
        for doc_id, *r in cur.execute(sql, [*part, *tables, *rows, *cols]):
            if (r[1], r[2], r[3]) in wanted:
                d = by_id[doc_id]
                fact = StoredFact(*r)
                fact.agency, fact.year, fact.document, fact.doc_id = d.agency, d.year, d.name, d.id
                out[doc_id].append(fact)
    return out


def failed_checks(store: Store, docs: Iterable[Copy]) -> dict[str, list[StoredCheck]]:
    """Checks that did not pass, by document id."""
    by_id = {d.id: d for d in docs}
    out: dict[str, list[StoredCheck]] = {i: [] for i in by_id}
    ids = list(by_id)
    for start in range(0, len(ids), 900):
        part = ids[start : start + 900]
        sql = f"SELECT * FROM checks WHERE status != 'PASS' AND doc_id IN ({_marks(part)}) ORDER BY id"
        for r in store.db.execute(sql, part):
            d = by_id[r["doc_id"]]
            out[d.id].append(check(r, d.agency, d.year, d.name, d.id))
    return out


def _marks(values: list[str]) -> str:
    return ",".join("?" * len(values))
