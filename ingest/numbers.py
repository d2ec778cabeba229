"""The one number reader: numbers as printed in reports and as written in running text.

- Table cells (`parse_cell`): `12`, `21项`, `572.5355万元`, `10余篇`, empty, `/`, `+(2) -(1)`.
- Running text (`numbers`): every figure a reader sees in a sentence, with the value they take
  it for: `1.2万` is 12000, `27,269` is 27269, full-width `２７２６９`, Chinese numerals (`十二`,
  `一百零五`, `二〇二〇`, `两个`) and English number words (`twenty-one`). The LLM guard
  (bot/compose.py) checks a model's reply with it; `readings` gives a stored value as it may be
  written there (111.1 with unit 万元 is 111.1 and 1111000).

In running text a full-width comma is punctuation (`12，14` is two numbers); inside a table cell
it is a thousands separator.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import combinations, pairwise
from typing import Any

from .vocab import load

_vocab = load()
UNITS = _vocab.units
_UNIT_RE = "|".join(map(re.escape, UNITS))
_CELL = re.compile(rf"^([+-]?\d[\d,，]*(?:\.\d+)?)\s*(余|多)?\s*({_UNIT_RE})?$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，＋－", "0123456789.,+-")
_SPACED_THOUSANDS = re.compile(r"^\d{1,3}(?: \d{3})+$")
_CHANGE = re.compile(
    r"^(?:[+＋]\s*[(（]?\s*(\d+)\s*[)）]?\s*[-－]\s*[(（]?\s*(\d+)\s*[)）]?"
    r"|增\s*(\d+)\s*[项个件]?\s*[,，、]?\s*减\s*(\d+)\s*[项个件]?)$"
)
SLASHES = {"/", "／", "-", "—", "--", "——", "－", "无", "\\"}


@dataclass(frozen=True)
class Parsed:
    value: int | float | None
    unit: str
    qualifier: str  # '' | more_than | empty | slash | unresolved

    @property
    def is_number(self) -> bool:
        return self.value is not None


def to_number(text: str) -> int | float:
    text = text.replace(",", "").replace("，", "").replace(" ", "")
    v = float(text)
    return int(v) if v.is_integer() and "." not in text else v


@lru_cache(maxsize=65536)
def parse_cell(text: str) -> Parsed | None:
    """A cell's value, or None when the cell is a label rather than a value."""
    t = text.strip().replace("\u3000", " ").replace("\xa0", " ").strip()
    if t == "":
        return Parsed(None, "", "empty")
    if t in SLASHES:
        return Parsed(None, "", "slash")
    t = t.translate(_FULLWIDTH)
    if _SPACED_THOUSANDS.match(t):
        t = t.replace(" ", "")  # `1 234`: thousands set apart by a space, inside one cell
    change = _CHANGE.match(t)
    if change:  # 本年增/减 printed as both sides: `+(2) -(1)`, `增2减1` — the net change
        inc, dec = [int(g) for g in change.groups() if g is not None]
        return Parsed(inc - dec, "", "")
    m = _CELL.match(t)
    if not m:
        return None
    return Parsed(to_number(m.group(1)), m.group(3) or "", "more_than" if m.group(2) else "")


def digit_splits(digits: str, parts: int, limit: int = 200_000) -> Iterator[tuple[int, ...]]:
    """Every way to cut a run of digits into `parts` numbers without leading zeros."""
    n = len(digits)
    if parts > n or not digits.isdigit():
        return
    produced = 0
    for cuts in combinations(range(1, n), parts - 1):
        bounds = (0, *cuts, n)
        pieces = [digits[a:b] for a, b in pairwise(bounds)]
        if any(len(p) > 1 and p[0] == "0" for p in pieces):
            continue
        yield tuple(int(p) for p in pieces)
        produced += 1
        if produced >= limit:
            return


@lru_cache(maxsize=4096)
def summing_splits(digits: str, size: int) -> tuple[tuple[int, ...], ...]:
    """Splits into `size` numbers whose first size-1 add up to the last (a row and its 总计)."""
    return tuple(s for s in digit_splits(digits, size) if sum(s[:-1]) == s[-1])


@lru_cache(maxsize=1024)
def grouped_splits(digits: str, groups: int, size: int) -> tuple[tuple[int, ...], ...]:
    """Splits of `digits` into `groups` runs of `size` numbers, each run adding up to its last."""
    if groups == 0:
        return ((),) if digits == "" else ()
    out: list[tuple[int, ...]] = []
    for cut in range(size, len(digits) - (groups - 1) * size + 1):
        heads = summing_splits(digits[:cut], size)
        if not heads:
            continue
        tails = grouped_splits(digits[cut:], groups - 1, size)
        out.extend(h + t for h in heads for t in tails)
        if len(out) > 1000:
            break
    return tuple(out)


# ------------------------------------------------------------------ running text

_WIDE = str.maketrans("０１２３４５６７８９．", "0123456789.")
_ARABIC = re.compile(r"(?<!\d)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(亿|万|千))?")
SCALE = {"亿": Decimal(10) ** 8, "万": Decimal(10) ** 4, "千": Decimal(1000)}
_CN_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
# "very", "in case", "must", "one by one": words, not figures
_CN_WORDS = {"十分", "万一", "千万", "一一", "万万"}
# a lone numeral before these is a figure (两个, 一件)
_COUNTERS = set("件条次项个人名家份篇元位起批宗所场期套台户")
_EN_SMALL = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_EN_TENS = {
    w: 10 * i
    for i, w in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], start=2
    )
}
_EN_BIG = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_EN_WORD = "|".join(sorted([*_EN_SMALL, *_EN_TENS, *_EN_BIG], key=len, reverse=True))
_EN = re.compile(rf"\b(?:{_EN_WORD})(?:(?:\s+and)?[\s-]+(?:{_EN_WORD}))*\b", re.IGNORECASE)


@dataclass(frozen=True)
class Number:
    """A figure in running text."""

    text: str  # as written (full-width digits made ASCII)
    value: Decimal  # as a reader takes it: 1.2万 → 12000, 27,269 → 27269, 十二 → 12
    printed: Decimal  # the digits before 万/千/亿 (1.2万 → 1.2); the value when there is no such word


def numbers(text: str) -> list[Number]:
    """Every number a reader would see in `text`, with the value they would take it for."""
    text = text.translate(_WIDE)
    found: list[Number] = []
    masked = list(text)
    for m in _ARABIC.finditer(text):
        printed = Decimal(m.group(1).replace(",", "") + (m.group(2) or ""))
        value = printed * SCALE[m.group(3)] if m.group(3) else printed
        found.append(Number(m.group(0), value, printed))
        masked[m.start() : m.end()] = " " * (m.end() - m.start())
    rest = "".join(masked)
    for m in _CN.finditer(rest):
        run, nxt = m.group(0), rest[m.end() : m.end() + 1]
        if run in _CN_WORDS or (len(run) == 1 and nxt not in _COUNTERS):
            continue  # 一是、统一、老百姓、千方百计: words; 一件、两个、十二: figures
        value = Decimal(_cn_value(run))
        found.append(Number(run, value, value))
    for m in _EN.finditer(rest):
        found += [Number(m.group(0), Decimal(v), Decimal(v)) for v in _en_values(m.group(0))]
    return found


def readings(value: Any, unit: str = "") -> set[Decimal]:
    """A stored value as it may be written: 111.1 with unit 万元 is 111.1 and 1111000."""
    try:
        v = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return set()
    out = {v.normalize()}
    if unit[:1] in SCALE:
        out.add((v * SCALE[unit[:1]]).normalize())
    return out


def _cn_value(run: str) -> int:
    if all(c in _CN_DIGIT for c in run):  # read digit by digit: 二〇二〇 → 2020
        return int("".join(str(_CN_DIGIT[c]) for c in run))
    total = section = num = 0
    for c in run:
        if c in _CN_DIGIT:
            num = _CN_DIGIT[c]
        elif c in _CN_UNIT:
            section += (num or 1) * _CN_UNIT[c]
            num = 0
        elif c == "万":
            total += (section + num or 1) * 10**4
            section = num = 0
        elif c == "亿":
            total = (total + section + num or 1) * 10**8
            section = num = 0
    return total + section + num


def _en_values(words: str) -> list[int]:
    """English number words → the numbers a reader sees: 'one hundred and five' → [105],
    'one and two' → [1, 2]."""
    out: list[int] = []
    total = current = 0
    last = ""
    for w in re.split(r"[\s-]+", words.lower()):
        if w in ("and", ""):
            continue
        if w in _EN_SMALL or w in _EN_TENS:
            v = _EN_SMALL.get(w, _EN_TENS.get(w, 0))
            # a new number after a complete one: 'one two', 'twenty thirty'
            if last == "small" or (last == "tens" and (w in _EN_TENS or v >= 10)):
                out.append(total + current)
                total = current = 0
            current += v
            last = "tens" if w in _EN_TENS else "small"
        elif w == "hundred":
            current, last = (current or 1) * 100, "big"
        else:
            total, current, last = total + (current or 1) * _EN_BIG[w], 0, "big"
    out.append(total + current)
    return out
