"""Pinyin glosses a mirror site prints after characters (拖市鎮(zhèn), 數(shù)據(jù)) are not text: a report
with glosses inserted at random gives the same publisher, year and facts as without them, in simplified
and in traditional characters, and brackets that are no gloss (（一）, (a), (2020)) stay as printed."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from pypinyin import Style, pinyin
from zhconv import convert

from index.load import load_paths
from index.store import Store
from ingest.gloss import unglossed
from ingest.model import Document
from tests.synth import generate


def glossed(text: str, rng: random.Random, share: float = 0.08) -> str:
    """The text with a toned reading in brackets after some of its Chinese characters."""
    out = []
    for ch in text:
        out.append(ch)
        if "\u4e00" <= ch <= "\u9fff" and rng.random() < share:
            reading = pinyin(ch, style=rng.choice([Style.TONE, Style.TONE3]))[0][0]
            out.append(f"({reading})" if rng.random() < 0.8 else f"（{reading}）")
    return "".join(out)


def _facts(d: Path, text: str) -> tuple[list[tuple[str, int]], set[tuple[object, ...]]]:
    d.mkdir()
    (d / "r.txt").write_text(text, encoding="utf-8")
    s = Store(d / "facts.sqlite")
    load_paths(s, [str(d / "r.txt")])
    facts = {(f.kind, f.table, f.row, f.column, f.value, f.unit, f.qualifier) for f in s.facts()}
    return [(a, y) for a, ys in s.agencies() for y in ys], facts


@pytest.mark.parametrize(
    ("seed", "layout", "traditional"), [(1, "tab", False), (2, "cell", True), (3, "tab", True)]
)
def test_glossed_reports_read_as_without_glosses(
    tmp_path: Path, seed: int, layout: str, traditional: bool
) -> None:
    s = generate(random.Random(seed), layout)
    text = convert(s.text, "zh-hant") if traditional else s.text
    plain = _facts(tmp_path / "plain", text)
    assert plain[0] and any(f[0] == "cell" for f in plain[1])
    assert _facts(tmp_path / "glossed", glossed(text, random.Random(seed))) == plain


def test_brackets_that_are_no_gloss_stay() -> None:
    lines = [
        "第二十条第(一)项",
        "情况(a)说明",
        "拖市镇(2020)报告",
        "公开(shu)",
        "拖市鎮(zhèn)數(shù)量(liang4)",
    ]
    doc = unglossed(Document("r.txt", "", "txt", "utf-8", lines, []))
    assert doc.lines == [*lines[:4], "拖市鎮數量"]  # 开 is never read shu: no gloss of it
    untouched = Document("r.txt", "", "txt", "utf-8", lines[:3], [])
    assert unglossed(untouched) is untouched
