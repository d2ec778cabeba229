"""Numbers as printed in reports: `12`, `21项`, `572.5355万元`, `10余篇`, empty, `/`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Iterator

from .vocab import load

_vocab = load()
UNITS = _vocab.units
_UNIT_RE = "|".join(map(re.escape, UNITS))
_CELL = re.compile(rf"^([+-]?\d[\d,，]*(?:\.\d+)?)\s*(余|多)?\s*({_UNIT_RE})?$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，＋－", "0123456789.,+-")
_SPACED_THOUSANDS = re.compile(r"^\d{1,3}(?: \d{3})+$")
_CHANGE = re.compile(r"^(?:[+＋]\s*[(（]?\s*(\d+)\s*[)）]?\s*[-－]\s*[(（]?\s*(\d+)\s*[)）]?"
                     r"|增\s*(\d+)\s*[项个件]?\s*[,，、]?\s*减\s*(\d+)\s*[项个件]?)$")
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
        pieces = [digits[a:b] for a, b in zip(bounds, bounds[1:])]
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
