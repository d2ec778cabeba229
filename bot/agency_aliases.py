"""The names a stored body is known by, from its identity: NAME aliases (its printed names, the name
without its county or city, 西工民政局), PLACE aliases (its own place only, Chinese and pinyin) and
KIND aliases (民政局, 市监局, 'health commission'). The kind words are data (ingest/agency_kinds.toml);
bot/agencies.py finds these aliases in questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from index.store import AgencyRecord
from ingest.gazetteer import all_names
from ingest.vocab import load

from .places import province_shorts

K = load().tables["agency_kinds"]
NATIONAL = load().tables["national"]
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ETHNIC = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,5}?族|维吾尔)*自治(?:区|州|县|旗)$")
_LEVEL = re.compile("(?:" + "|".join(sorted(K["levels"], key=len, reverse=True)) + ")$")
_BRANCH = re.compile(r"^(.+?局)([\u4e00-\u9fff]{2,6}?)分局$")
_ZONES = sorted(K["zone"], key=lambda z: len(z["name"]), reverse=True)
KINDS = {k["name"]: k for k in K["kind"]}
TOWN_WORDS = "|".join(K["town_words"])
ZONE_WORDS = "|".join(z["name"] for z in _ZONES)
_AREA = re.compile(
    rf"^(.{{2,12}}?(?:{TOWN_WORDS})|.{{0,12}}?(?:{ZONE_WORDS}))(.+)$"
)  # 青龙镇 + 人民政府, 东湖新技术开发区 + 教育局
GOV, GOV_SHORT = "人民政府", "府"
DEPTH = {"province": 0, "city": 1, "county": 2, "town": 3}


@dataclass(frozen=True)
class AgencyAliases:
    """The aliases of one body, by what they name."""

    agency: str
    place: str  # the body's own place as printed: 西工区, 青龙镇, 番禺经济技术开发区
    level: int  # DEPTH of that place
    kind: str  # the kinds-table entry (民政局, 人民政府 …), else the body word as printed
    gov: bool  # the body a bare place name stands for
    names: tuple[str, ...]
    places: tuple[str, ...]  # full place forms, Chinese and pinyin
    short: tuple[str, ...]  # place forms without their level character: 夏邑, 河南
    kinds: tuple[str, ...]  # Chinese and English kind words


@lru_cache(maxsize=200_000)  # asked for every stored place on each rank's scope (bot/scope.py)
def short_place(place: str) -> str:
    """夏邑县 → 夏邑, 河南蒙古族自治县 → 河南, 螺洋街道 → 螺洋; '' when under two characters."""
    m = _ETHNIC.match(place)
    short = m.group(1) if m else _LEVEL.sub("", place)
    return short if 2 <= len(short) < len(place) else ""


def _forms(place: str) -> list[str]:
    """A place as printed: its full name, and the short name an autonomous one is printed with."""
    m = _ETHNIC.match(place)
    return [place] + ([m.group(1) + place[-1]] if m and not place.endswith("自治区") else [])


@lru_cache(maxsize=200_000)
def pinyin(text: str) -> tuple[str, ...]:
    """('xiayi', 'xia yi', …): questions write Xiayi or Xia Yi, and 朝阳 may be Chaoyang or
    Zhaoyang (the phrase reading first, then the other readings of its characters)."""
    from itertools import islice, product

    from pypinyin import Style, lazy_pinyin
    from pypinyin import pinyin as readings

    chars = readings(text, style=Style.NORMAL, heteronym=True)
    combos = dict.fromkeys([tuple(lazy_pinyin(text)), *islice(product(*(r[:2] for r in chars)), 4)])
    return tuple(f for syl in combos for f in ("".join(syl), " ".join(syl)))


def _en_kind_words(kind: dict[str, Any]) -> list[str]:
    """One-word kinds ('education') only before a kind noun: 'education bureau'; a kind noun's
    synonyms as well (civil affairs department = civil affairs bureau); `en_alone` words alone."""
    out = list(kind.get("en_alone", []))
    for w in kind.get("en", []):
        out += [w] if " " in w or w in K["kind_nouns"] else [f"{w} {n}" for n in K["kind_nouns"]]
    for noun, others in K["noun_synonyms"].items():
        out += [
            " ".join(o if x == noun else x for x in w.split())
            for w in out
            if noun in w.split()
            for o in others
        ]
    return list(dict.fromkeys(out))


def kind_words(kind: str, level: str) -> list[str]:
    """Kind words of more than two characters alone (民政局), shorter ones after a level (区委 is
    another body only when listed `bare`: 县委, 市委)."""
    k = KINDS.get(kind, {"name": kind})
    zh = [k["name"], *k.get("short", [])]
    fu = [GOV_SHORT + w.removeprefix(GOV).removeprefix(GOV[2:]) for w in zh if w.startswith((GOV, GOV[2:]))]
    out: list[str] = (
        [w for w in zh if len(w) > 2]
        + k.get("bare", [])
        + ([level + w for w in dict.fromkeys(zh + fu)] if level else [])
    )  # 市府办公厅, 县府, 省府: after a level 府 is its 人民政府
    return out + _en_kind_words(k)


def _decompose(name: str, rec: AgencyRecord) -> tuple[list[tuple[str, str, int]], str]:
    """(the places the name prints before its body: as printed, canonical, depth; the body)."""
    i = next((len(p) for p in K["name_prefixes"] if name.startswith(p)), 0)
    known = [(p, DEPTH[lv]) for lv, p in _levels(rec)]
    printed: list[tuple[str, str, int]] = []
    while True:
        forms = [(f, p, d) for p, d in known for f in (*_forms(p), short_place(p))]
        at = [h for h in forms if h[0] and name.startswith(h[0], i)]
        hit = max(at, key=lambda h: len(h[0]), default=None)
        if hit is None:
            break
        printed.append(hit)
        known = [k for k in known if k[0] != hit[1]]
        i += len(hit[0])
    rest = name[i:]
    m = _AREA.match(rest)
    if m and not (printed and printed[-1][2] == DEPTH["town"]) and _kind_of(m.group(2)):
        area = m.group(1)
        if printed and any(area == z["name"] for z in _ZONES):  # 西宁 + 经济技术开发区: named after its place
            area = printed[-1][0] + area
        printed.append((m.group(1), area, DEPTH["town"]))
        rest = m.group(2)
    return printed, rest


def _zone_of(place: str) -> tuple[dict[str, Any] | None, str]:
    """The zone kind a place ends with, by its full or short word (合肥经开区: 经济技术开发区), and
    that word. A short word several zones share (高新区 of 高新技术产业园区 and 高新技术产业开发区,
    as ingest keys them) stands for all of them: their names, short forms and English words."""
    words = [
        (w, z) for z in _ZONES for w in (z["name"], *z.get("short", [])) if place.endswith(w) and place != w
    ]
    if not words:
        return None, ""
    w = max((w for w, _ in words), key=len)
    zones = [z for x, z in words if x == w]
    union: dict[str, Any] = {"name": zones[0]["name"], "short": [], "en": []}
    for z in zones:
        union["short"] += [x for x in (z["name"], *z.get("short", [])) if x not in union["short"]]
        union["en"] += [x for x in z.get("en", []) if x not in union["en"]]
    return union, w


def _proper_forms(proper: str, rec: AgencyRecord) -> list[tuple[str, str, str]]:
    """A zone's own name as questions print it, with the stem and level words of its English form:
    奉新县 and 奉新 (Fengxin, Fengxin county) when it is the body's county or city, in full or short;
    长兴岛 (Changxingdao, Changxing Island) when it ends in a feature word of the kinds table."""
    out = [(proper, proper, "")]
    for unit in filter(None, (rec.county, rec.city)):
        short = short_place(unit)
        level = next((en for en, zh in K["en_levels"].items() if unit.endswith(tuple(zh))), "")
        if short and proper in (unit, short):
            out += [(unit, short, f" {level}" if level else ""), (short, short, "")]
    feature = K["features"].get(proper[-1:], "") if len(proper) > 2 else ""
    if feature:
        out.append((proper, proper[:-1], f" {feature}"))
    return list(dict.fromkeys(out))


def _levels(rec: AgencyRecord) -> list[tuple[str, str]]:
    return [
        (lv, p)
        for lv, p in (
            ("province", rec.province),
            ("city", rec.city),
            ("county", rec.county),
            ("town", rec.town),
        )
        if p
    ]


def _level_char(place: str) -> str:
    """区 for 西工区, 街道 for 螺洋街道: what 区民政局 / 街道办 are prefixed with."""
    return next((lv for lv in sorted(K["levels"], key=len, reverse=True) if place.endswith(lv)), "")


def _kind_of(body: str) -> str:
    """The kind a body word ends with, in full or as one of its short forms of three or more
    characters (东湖高新区发展改革局 is a 发展和改革局, so 发改局 names it too)."""
    full = max((k for k in KINDS if body.endswith(k)), key=len, default="")
    shorts = [(s, k) for k, e in KINDS.items() for s in e.get("short", []) if len(s) > 2 and body.endswith(s)]
    return full or max(shorts, default=("", ""), key=lambda sk: len(sk[0]))[1]


def _head(proper: str) -> list[str]:
    """The name a long zone goes by (东疆 of 东疆综合东疆综保区): its first two characters, when they
    are no place of the gazetteer (a zone printed after its city keeps that city's name: 青岛西海岸);
    or the whole of a feature's name (长兴岛)."""
    names = all_names()
    if len(proper) >= 3 and proper[-1] in K["features"] and _CJK.match(proper) and proper not in names:
        return [proper]  # 长兴岛 of 长兴岛经济技术开发区: a feature's name is the zone's alone
    head = proper[:2]
    placed = any(head + level in names for level in ("", *K["levels"]))  # 东湖 of 南昌市东湖区
    return [head] if len(proper) >= 4 and _CJK.match(head) and not placed else []


def aliases_for(rec: AgencyRecord) -> AgencyAliases:
    """NAME, PLACE and KIND aliases of one body, from its identity (never its county's, for a town)."""
    printed, body = _decompose(rec.agency, rec)
    if printed:
        place, level = printed[-1][1], printed[-1][2]
    else:
        level, place = max(((DEPTH[lv], p) for lv, p in _levels(rec)), default=(0, ""))
    kind = _kind_of(body) or body
    names = {rec.agency, *rec.names}
    kinds: list[str] = []
    branch = _BRANCH.match(body)
    if branch:  # 揭阳市公安局揭东分局: the 揭东 branch; its place is the county it serves
        parent, where = branch.groups()
        if rec.county and rec.county.startswith(where):
            place, level = rec.county, DEPTH["county"]
        stem = parent[:-1]
        kind = stem + "分局" if stem + "分局" in KINDS else _kind_of(parent) or parent
        names |= {where + stem + "分局", where + "分局", where + stem, place + stem + "分局"}
        kinds += kind_words(_kind_of(parent) or parent, _level_char(place))
    higher = [f for f, p, _ in printed if p != place]
    for n in list(names):  # 洛阳市西工区民政局 is also 西工区民政局
        for f in higher:
            n = n[len(f) :] if n.startswith(f) else n
        names.add(n)
    zone, word = _zone_of(place) if level == DEPTH["town"] else (None, "")
    short = "" if zone else short_place(place)
    places = _forms(place) if place else []
    heads: list[str] = []
    if zone:  # 番禺经济技术开发区 → 番禺经开区, 番禺开发区; Panyu economic and technological development zone
        proper = place[: -len(word)]
        heads = _head(proper)
        for p, stem, en_level in [*_proper_forms(proper, rec), *((h, h, "") for h in heads)]:
            places += [p + zone["name"], *(p + s for s in zone.get("short", []))]
            places += [f"{py}{en_level} {w}" for py in pinyin(stem) for w in zone.get("en", [])]
    if not branch:  # 河南 + 民政局 names Henan province's as much as 河南县's: no name from it
        bare = [short] if short and (short not in province_shorts() or level == DEPTH["province"]) else []
        for p in [p for p in places if _CJK.search(p)] + bare:
            names.add(p + body)
    en_places = list(pinyin(short or place)) if place and not zone else []
    kinds += kind_words(kind, "" if zone else _level_char(place))
    names -= {"", short, *places}  # a printed name that is only a place (阜阳市, 螺洋街道) names the place
    if not place and rec.agency.startswith(tuple(NATIONAL["zh"])):
        names |= _national_names(rec.agency, kind)
    return AgencyAliases(
        rec.agency,
        place,
        level,
        kind,
        bool(KINDS.get(kind, {}).get("gov")),
        tuple(sorted(names, key=len, reverse=True)),
        tuple(dict.fromkeys(places)),
        tuple(
            dict.fromkeys(
                [*([short] if short else []), *en_places, *(f for h in heads for f in (h, *pinyin(h)))]
            )
        ),
        tuple(dict.fromkeys(kinds)),
    )


def _national_names(agency: str, kind: str) -> set[str]:
    """国家卫健委, National Health Commission, NHC: the national prefix with the kind's short forms, a
    level word with its English names, and their initials. Never the level word alone: `state secrets`
    and `national security` name no body."""
    prefix = next(p for p in NATIONAL["zh"] if agency.startswith(p))
    k = KINDS.get(kind, {})
    out = {prefix + s for s in k.get("short", [])}
    for w in k.get("en", []):
        words = [x for x in w.split() if x not in ("and", "of", "the")]
        out |= {f"{level} {w}" for level in NATIONAL["en"]}
        if len(words) >= 2:
            out.add("n" + "".join(x[0] for x in words))
    return out
