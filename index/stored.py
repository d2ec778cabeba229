"""What the store holds and hands out: a stored document, fact, check and chunk, one body over its
reports, and the one error a store raises. Apart from index/store.py so that the engines' own
modules (index/sqlite.py, index/pg.py) and the readers need not import the store itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ingest import Check, Fact


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
    agency_id: str | None = None
    printed: str | None = None
    kind: str | None = None
    county: str | None = None
    town: str | None = None
    cues: dict[str, str] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)


@dataclass
class AgencyRecord:
    """One body over all its reports: what question understanding resolves names against."""

    agency: str  # canonical name
    agency_id: str
    kind: str
    province: str | None
    city: str | None
    county: str | None
    town: str | None
    names: list[str]  # every printed name over its reports
    years: list[int]


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


class StoreError(Exception):
    """The store cannot be opened or written (missing, not a database, read-only, disk full); says why."""


def fact(r: Any, **where: Any) -> StoredFact:
    """A `facts` row as a StoredFact; `where` adds agency, year, document, doc_id when the query has them."""
    cols = r["kind"], r["tbl"], r["row"], r["col"], r["topic"], r["row_label"], r["column_label"]
    printed = r["value"], r["unit"], r["raw"], r["qualifier"], r["line"], r["quote"], r["char_offset"]
    return StoredFact(*cols, *printed, **where)


def check(r: Any, agency: str | None, year: int | None, document: str, doc_id: str) -> StoredCheck:
    """A `checks` row as a StoredCheck of the document it belongs to."""
    name, tbl, col, status, lhs, rhs = r["name"], r["tbl"], r["col"], r["status"], r["lhs"], r["rhs"]
    return StoredCheck(
        name, tbl, col, status, lhs, rhs, r["detail"], r["line"], agency, year, document, doc_id
    )


def document(r: Any) -> StoredDocument:
    """A `documents` row (sqlite3.Row or its PostgreSQL twin) as a StoredDocument."""
    d = dict(r)
    d["warnings"] = json.loads(d["warnings"] or "[]")
    d["cues"] = json.loads(d.get("cues") or "{}")
    d["names"] = json.loads(d.get("names") or "[]")
    return StoredDocument(**d)
