"""Derived measures (公开率, 复议纠错率, 申请增长 …): ratios of cited cells, formula shown.

The definitions are data (ingest/derived.toml). A measure is computed only from cells that
hold a number: a blank, '/' or unresolved cell, a missing table or a zero denominator gives
no value and says why, so a rate is never a guess built on a cell that could not be read.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from index.store import StoredFact
from ingest.vocab import load

from .model import Query

V = load()
Key = tuple[str, str, str]


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    label_en: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    numerator: tuple[Key, ...]
    denominator: tuple[Key, ...]
    growth: Key | None
    formula_zh: str
    formula_en: str

    def keys(self) -> list[Key]:
        """Every cell the measure may read, sub-items of a group row included."""
        wanted = [*self.numerator, *self.denominator, *([self.growth] if self.growth else [])]
        return [k for key in wanted for k in [key, *((key[0], r, key[2]) for r in _sub_rows(key[0], key[1]))]]


@dataclass
class Computed:
    value: float | None  # percent, rounded to 2 places
    status: str  # stated | not_stated | blank | zero_base | no_previous
    facts: list[StoredFact]
    reason: str = ""  # why there is no value, in words (zh, en)
    reason_en: str = ""
    numbers: str = ""  # the formula with the cited numbers


@lru_cache(maxsize=1)
def measures() -> tuple[Measure, ...]:
    path = Path(__file__).resolve().parent.parent / "ingest" / "derived.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))

    def keys(m: dict[str, Any], name: str) -> tuple[Key, ...]:
        return tuple(tuple(k) for k in m.get(name, []))

    return tuple(
        Measure(
            m["key"],
            m["label"],
            m["label_en"],
            tuple(m["zh"]),
            tuple(m["en"]),
            keys(m, "numerator"),
            keys(m, "denominator"),
            tuple(m["growth"]) if "growth" in m else None,
            m["formula_zh"],
            m["formula_en"],
        )
        for m in data["derived"]
    )


def find(question: str) -> Measure | None:
    """The measure whose longest word the question uses."""
    low = " " + re.sub(r"[^a-z0-9\-]+", " ", question.lower()) + " "
    best: tuple[int, Measure | None] = (0, None)
    for m in measures():
        score = max([len(w) for w in m.zh if w in question] + [len(w) for w in m.en if f" {w} " in low] + [0])
        if score > best[0]:
            best = (score, m)
    return best[1]


@cache
def _sub_rows(table: str, row: str) -> tuple[str, ...]:
    return tuple(e.key for e in V.rows(table) if e.parent == row)


def _index(facts: list[StoredFact]) -> dict[Key, StoredFact]:
    return {(f.table, f.row, f.column): f for f in facts if f.kind == "cell"}


def cell_value(by_key: dict[Key, StoredFact], key: Key) -> tuple[float | None, list[StoredFact], str]:
    """(value, cells used, status): the printed cell, or the sum of a group row's printed sub-items.
    status: stated | blank (a cell used holds no number) | not_stated (not in the report)."""
    table, row, column = key
    cell = by_key.get(key)
    if cell is not None and (cell.value is not None or cell.qualifier == "unresolved"):
        return (cell.value, [cell], "stated") if cell.qualifier != "unresolved" else (None, [cell], "blank")
    subs = [by_key.get((table, r, column)) for r in _sub_rows(table, row)]
    if subs and all(s is not None for s in subs):
        used = [s for s in subs if s is not None]
        if any(s.value is None or s.qualifier == "unresolved" for s in used):
            return None, used, "blank"
        return sum(s.value or 0 for s in used), used, "stated"
    if cell is not None:
        return None, [cell], "blank"  # printed empty or '/', and no sub-items to read instead
    return None, [], "not_stated"


def _total(
    by_key: dict[Key, StoredFact], keys: tuple[Key, ...]
) -> tuple[float | None, list[StoredFact], str]:
    total, used = 0.0, []
    for key in keys:
        value, cells, status = cell_value(by_key, key)
        used += cells
        if status != "stated":
            return None, used, status
        total += value or 0
    return total, used, "stated"


_WHY = {
    "blank": (
        "所用单元格为空、“/”或无法读取，不计算",
        "a cell it needs is blank, '/' or unreadable; not computed",
    ),
    "not_stated": ("报告中没有所需的单元格", "the report does not state the cells it needs"),
    "zero_base": ("分母为 0，无法计算", "the denominator is 0; no rate"),
    "no_previous": ("没有上一年的报告或数字", "no report or figure for the year before"),
}


def _none(status: str, used: list[StoredFact]) -> Computed:
    zh, en = _WHY[status]
    return Computed(None, status, used, zh, en)


def compute(m: Measure, facts: list[StoredFact], previous: list[StoredFact] | None = None) -> Computed:
    """The measure for one report; `previous`: the facts of the same agency's year before (growth)."""
    cells = _index(facts)
    if m.growth is not None:
        now, used, status = cell_value(cells, m.growth)
        if status != "stated":
            return _none(status, used)
        if previous is None:
            return _none("no_previous", used)
        before, used_before, status = cell_value(_index(previous), m.growth)
        if status != "stated":
            return _none("no_previous" if status == "not_stated" else status, used + used_before)
        if not before:
            return _none("zero_base", used_before + used)
        assert now is not None  # a "stated" cell holds a number
        value = round((now - before) / before * 100, 2)
        numbers = f"({_n(now)} − {_n(before)}) ÷ {_n(before)} = {_n(value)}%"
        return Computed(value, "stated", used_before + used, numbers=numbers)
    num, used_n, status = _total(cells, m.numerator)
    if status != "stated":
        return _none(status, used_n)
    den, used_d, status = _total(cells, m.denominator)
    if status != "stated":
        return _none(status, used_n + used_d)
    if not den:
        return _none("zero_base", used_n + used_d)
    assert num is not None  # a "stated" total holds a number
    value = round(num / den * 100, 2)
    return Computed(
        value, "stated", used_n + used_d, numbers=f"{_sum(used_n)} ÷ {_sum(used_d)} = {_n(value)}%"
    )


def _sum(facts: list[StoredFact]) -> str:
    """(0 + 3) for several cells, 3 for one."""
    parts = " + ".join(_n(f.value) for f in facts)
    return f"({parts})" if len(facts) > 1 else parts


def _n(v: float | int | None) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def figure_keys(q: Query) -> list[Key]:
    """The cells a plain figure may read: its cell, the table's default columns, the parts it sums."""
    entry = next((e for e in V.rows(q.table) if e.key == q.row), None)
    rows = [q.row, *(entry.sum_of if entry else ()), *_sub_rows(q.table, q.row)]
    cols = [q.column] + (V.tables["t2_default_columns"].get(q.row, []) if q.table == "t2" else [])
    column = next((c for c in V.columns(q.table) if c.key == q.column), None)
    if column is not None:
        cols += list(column.sum_of)
    return [(q.table, r, c) for r in rows for c in cols]
