"""Loads `vocab.toml` and turns printed labels into canonical keys.

Extraction and question understanding read the same entries, so a label learnt once is
understood on both sides.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Entry:
    key: str
    label: str
    match: tuple[str, ...] = ()
    zh: tuple[str, ...] = ()
    en: tuple[str, ...] = ()
    parent: str = ""
    group: bool = False
    unit: str = ""
    weak: tuple[str, ...] = ()  # subject words: choose this entry only when nothing stronger matches
    sum_of: tuple[str, ...] = ()  # a row the table does not print: the sum of these rows
    gloss: str = ""  # English shown next to the Chinese label in English answers


@dataclass(frozen=True)
class Vocab:
    tables: dict[str, Any] = field(default_factory=dict)  # vocab.toml as read: its tables and lists

    def rows(self, table: str) -> list[Entry]:
        return _entries(self.tables[table].get("rows", []))

    def columns(self, table: str) -> list[Entry]:
        return _entries(self.tables[table].get("columns", []))

    def title(self, table: str) -> str:
        return str(self.tables.get(table, {}).get("title", "统计表" if table == "ind" else table))

    @property
    def count_units(self) -> list[str]:
        return list(self.tables["units"]["count"])

    @property
    def money_units(self) -> list[str]:
        return list(self.tables["units"]["money"])

    @property
    def units(self) -> list[str]:
        """All units, longest first so that 人次 wins over 人 and 万元 over 元."""
        return sorted(self.count_units + self.money_units, key=len, reverse=True)


def _entries(raw: list[dict[str, Any]]) -> list[Entry]:
    return [
        Entry(
            key=r["key"],
            label=r["label"],
            match=tuple(r.get("match", [])),
            zh=tuple(r.get("zh", [])),
            en=tuple(r.get("en", [])),
            parent=r.get("parent", ""),
            group=bool(r.get("group", False)),
            unit=r.get("unit", ""),
            weak=tuple(r.get("weak", [])),
            sum_of=tuple(r.get("sum_of", [])),
            gloss=r.get("gloss", ""),
        )
        for r in raw
    ]


@lru_cache(maxsize=1)
def load() -> Vocab:
    """vocab.toml, with agency_kinds.toml (the kinds of publishing body) as `agency_kinds`."""
    here = Path(__file__).parent
    with open(here / "vocab.toml", "rb") as f:
        tables = tomllib.load(f)
    with open(here / "agency_kinds.toml", "rb") as f:
        tables["agency_kinds"] = tomllib.load(f)
    return Vocab(tables=tables)


_NUMBERING = re.compile(
    r"^(?:其中[:：]?|"
    r"[一二三四五六七八九十]+[、.．]|"
    r"[（(][一二三四五六七八九十\d]+[)）][、.．]?|"
    r"\d+[、.．](?!\d)|"
    r"第[一二三四五六七八九十]+[、.．])"
)
_PAREN = re.compile(r"[（(][^（()）]*[)）]")
_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Remove all white space: line-wrap artefacts split labels (`社 会稳定`, `总\\n计`)."""
    return _SPACE.sub("", text)


def strip_numbering(text: str) -> str:
    text = squash(text)
    while True:
        new = _NUMBERING.sub("", text, count=1)
        if new == text:
            return text
        text = new


def label_key(text: str) -> str:
    """A printed label as a stable key: no spaces, numbering or parenthetical notes."""
    key = _PAREN.sub("", strip_numbering(text))
    return key.strip("|:：、,，.。;；") or squash(text)


def find(entries: list[Entry], text: str) -> Entry | None:
    """The entry whose `match` words occur in `text`; the longest match wins."""
    s = squash(text)
    best: tuple[int, Entry] | None = None
    for e in entries:
        for m in e.match:
            if m in s and (best is None or len(m) > best[0]):
                best = (len(m), e)
    return best[1] if best else None


def find_fragment(entries: list[Entry], text: str, min_len: int = 4) -> Entry | None:
    """An entry whose full label contains `text` (a label cut off by a broken table)."""
    s = re.sub(r"[()（）]", "", label_key(text) or squash(text))
    if len(s) < min_len:
        return None
    hits = [e for e in entries if s in squash(e.label)]
    return hits[0] if len(hits) == 1 else None


def find_near(entries: list[Entry], text: str, min_len: int = 5) -> Entry | None:
    """The entry a label names with one character misprinted (`社会公益组识`, `本年新收政府信息公开
    申清数量`): the whole label, without numbering and notes, one character off one of the entry's
    `match` words or its own label — and no other entry that close. Labels shorter than five
    characters are never corrected: 予以公开/不予公开, 本年新收/本年新公(…) are one character apart."""
    s = label_key(text)
    if len(s) < min_len:
        return None
    hits = {
        e.key: e
        for e in entries
        for m in (*e.match, label_key(e.label))
        if len(m) == len(s) and sum(a != b for a, b in zip(m, s)) == 1
    }
    return next(iter(hits.values())) if len(hits) == 1 else None
