"""Pinyin glosses some mirror sites print after characters: 拖市鎮(zhèn), 數(shù)據(jù), 鄉(xiāng).

A traditional-character mirror inserts the reading of the characters it thinks rare, in brackets right
after them. In the reading copy they are not text: 拖市鎮(zhèn)人民政府 is the body 拖市镇人民政府, and
本年新收政府信息公開申請數(shù)量 the template's row. A bracket is a gloss only when it holds one pinyin
syllable that is a reading of the character before it (pypinyin's, with or without tones), so `规章(一)`,
`情况(a)` and `(2020)` stay. The printed lines are left as they are; a text file's rows are cut again from
the reading copy's lines, as its reader cut them from the printed ones.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import cache

from .model import Document

_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])[(（]([a-zA-ZüÜ\u00c0-\u024f\u0300-\u036f]{1,7}[1-5]?)[)）]")


@cache
def _readings(char: str) -> frozenset[str]:
    """A character's readings as glosses print them: zhèn, zhen, zhen4."""
    from pypinyin import Style, pinyin

    styles = (Style.TONE, Style.NORMAL, Style.TONE3)
    found = {r for style in styles for r in pinyin(char, style=style, heteronym=True)[0]}
    return frozenset(found | {r.replace("v", "ü") for r in found})


def _strip(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        syllable = unicodedata.normalize("NFC", m.group(1).lower())
        return "" if syllable in _readings(text[m.start() - 1]) else m.group(0)

    return _GLOSS.sub(one, text)


def unglossed_lines(lines: list[str]) -> list[str]:
    """Lines without the pinyin glosses of their characters (年度報告(gào) is a title line)."""
    return [_strip(line) if _GLOSS.search(line) else line for line in lines]


def unglossed(doc: Document) -> Document:
    """The document without the pinyin glosses of its characters; the same document when it has none."""
    lines = unglossed_lines(doc.lines)
    if lines == doc.lines:
        return doc
    from .grid import regrid  # imported here: the readers import ingest.script, which imports this module
    from .readers.text import text_rows

    if doc.format in ("txt", "md"):  # its rows were cut from the lines: 情况(kuang4) is no cell 4
        return replace(doc, lines=lines, rows=regrid(text_rows(lines)))
    rows = [replace(r, cells=[replace(c, text=_strip(c.text)) for c in r.cells]) for r in doc.rows]
    return replace(doc, lines=lines, rows=rows)
