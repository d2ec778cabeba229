"""Traditional characters read as simplified, for everything ingest reads from a report.

Reports republished through big5 gateways print 西藏自治區人民政府 and 政府信息公開; the gazetteer,
the kinds, the cue patterns and the vocabulary are simplified, and so are the questions. The
conversion is one character for one character, so line numbers and positions are unchanged and a
name found in the converted text is cut from the original at the same place: the printed name and
the stored passages stay as printed. Simplified text is left alone (a few simplified characters,
乾 or 於, are also keys of the table), so a text counts as traditional only when many of its
characters convert.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from zhconv.zhconv import getdict

from .gazetteer import all_names
from .gloss import unglossed
from .model import Document


@cache
def _table() -> dict[int, str]:
    """One character for one, except characters a place name of the gazetteer prints: those are
    simplified already (乾安县, 乾县 keep 乾, which the table would make 干)."""
    places = {c for name in all_names() for c in name}
    return {
        ord(k): v
        for k, v in getdict("zh-hans").items()
        if len(k) == 1 and len(v) == 1 and k != v and k not in places
    }


def is_traditional(text: str) -> bool:
    """At least 10 characters, and 3% of the Chinese ones, are traditional forms."""
    changed = sum(map(_traditional().__contains__, text))
    return changed >= 10 and changed >= 0.03 * len(_HAN.findall(text))


_HAN = re.compile("[\u4e00-\u9fff]")


@cache
def _traditional() -> frozenset[str]:
    return frozenset(map(chr, _table()))


def simplified(lines: list[str]) -> list[str]:
    """The lines in simplified characters, each the same length as before."""
    return [line.translate(_table()) for line in lines]


def as_printed(name: str, original: list[str], converted: list[str]) -> str:
    """`name` (found in `converted`) as `original` prints it at the same place."""
    for raw, conv in zip(original, converted):
        if (at := conv.find(name)) >= 0:
            return raw[at : at + len(name)]
    return name


def reading(doc: Document) -> Document:
    """The document as ingest reads it: in simplified characters when it is printed in traditional ones."""
    doc = unglossed(doc)  # 拖市鎮(zhèn): a mirror's pinyin glosses are not text (gloss.py)
    if not is_traditional("".join(doc.lines[:100])):
        return doc
    table = _table()
    rows = [replace(r, cells=[replace(c, text=c.text.translate(table)) for c in r.cells]) for r in doc.rows]
    return replace(doc, lines=simplified(doc.lines), rows=rows)


def says_report(text: str) -> bool:
    """The text holds 报告, in either script (a title or heading of a report: 年度报告, 年度報告)."""
    return "报告" in text.translate(_table())
