"""Real places a question names, whether or not any stored body is there: Chinese names by the
longest gazetteer name at each position, English ones by the pinyin of the gazetteer's places.

The resolver uses them to refuse an answer from a body elsewhere: with only 固始县民政局 stored,
郑州市民政局 or "Beijing civil affairs bureau" is not stored, never "the only 民政局 there is".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from ingest.gazetteer import all_names
from ingest.vocab import load

K = load().tables["agency_kinds"]
_LONGEST = 16
_ENDS = set("省市县区州盟旗")


@dataclass(frozen=True)
class Named:
    start: int
    end: int
    names: frozenset[str]  # the official names it may be (朝阳区: Beijing's and Changchun's are one name)


def places_named(text: str, capital: Callable[[int], bool] = lambda i: True) -> list[Named]:
    """Gazetteer places in a normalised question (see agencies.normalise), left to right; an English
    one only where `capital(i)` says the question capitalises it (Beijing; not 'yuan', 裕安's pinyin)."""
    return _chinese(text) + (_english(text, capital) if re.search(r"[a-z]", text) else [])


def name_at(text: str, i: int) -> str:
    """The longest gazetteer name starting at i (郑州市, not 郑州; 霍邱县, not 霍邱), else ''."""
    names = all_names()
    return next(
        (text[i : i + n] for n in range(min(_LONGEST, len(text) - i), 1, -1) if text[i : i + n] in names), ""
    )


def _chinese(text: str) -> list[Named]:
    names = all_names()
    out, i = [], 0
    while i < len(text):
        n = len(name_at(text, i))
        # a two-character name glued to the word before it is that word's end (和县 of 市和县)
        if n and not (n == 2 and i > 0 and "\u4e00" <= text[i - 1] <= "\u9fff" and text[i - 1] not in _ENDS):
            out.append(Named(i, i + n, frozenset(p.name for p in names[text[i : i + n]])))
            i += n
        else:
            i += 1
    return out


@lru_cache(maxsize=1)
def _by_pinyin() -> tuple[ahocorasick.Automaton, dict[str, frozenset[str]]]:
    """Every gazetteer place by the pinyin of its short name (zhengzhou, beijing), built once."""
    from pypinyin import lazy_pinyin

    from .agency_aliases import short_place

    keys: dict[str, set[str]] = {}
    for name, places in all_names().items():
        short = short_place(name)
        if short:
            keys.setdefault("".join(lazy_pinyin(short)), set()).update(p.name for p in places)
    auto = ahocorasick.Automaton()
    for key in keys:
        auto.add_word(key, key)
    auto.make_automaton()
    return auto, {k: frozenset(v) for k, v in keys.items()}


def _english(text: str, capital: Callable[[int], bool]) -> list[Named]:
    auto, names = _by_pinyin()
    out = []
    for end, key in auto.iter(text):
        start = end - len(key) + 1
        if (
            not text[start - 1].isalpha()
            and not text[end + 1 : end + 2].isalpha()
            and capital(start)
            and key not in K["not_places_en"]
        ):
            out.append(Named(start, end + 1, names[key]))
    return out


@lru_cache(maxsize=1)
def province_shorts() -> frozenset[str]:
    """河南, 海南, 吉林 and henan, hainan, jilin, shanxi: a province's name without its 省."""
    from pypinyin import lazy_pinyin

    from .agency_aliases import short_place

    zh = {short_place(n) for n, ps in all_names().items() if any(p.level == "province" for p in ps)} - {""}
    return frozenset(zh | {"".join(lazy_pinyin(s)) for s in zh})
