"""Which stored agency a question names: aliases from each body's identity, found by one
Aho–Corasick pass over the question.

Every body gets three kinds of alias (bot/agency_aliases.py). NAME aliases name the body itself (printed
names, names without their county or city prefix, 西工民政局, 揭东公安分局). PLACE aliases name where it
is — its own place only, so a town's report is never reached through its county's name. KIND aliases
name what it is (民政局, 市监局, 区民政局, 'health commission'); they are shared by every body of that
kind, and the kind words are data (ingest/agency_kinds.toml). A question names a body by a NAME alias,
or by a PLACE alias with a KIND alias of the same body; the most specific place named decides; a bare
place means its 人民政府 (or 管委会, 街道办事处). A place and a kind that no stored body has together is
reported as not stored, never answered from a neighbour; so is a real place the question names
(bot/places.py) that the body is not in (长春市 of 长春市朝阳区 when only Beijing's is stored). A kind
word belongs to the place it stands next to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from weakref import WeakKeyDictionary

import ahocorasick

from index.store import AgencyRecord
from ingest.gazetteer import all_names

from .agency_aliases import DEPTH, KINDS, TOWN_WORDS, ZONE_WORDS, K, aliases_for, kind_words
from .agency_aliases import pinyin as pinyin  # re-exported: bot/compose.py imports it from here
from .agency_aliases import short_place as short_place  # re-exported, as pinyin
from .places import Named, name_at, places_named, province_shorts

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LETTER = re.compile(r"[a-z]")
_DEEPER = re.compile(rf"[\u4e00-\u9fff]{{1,8}}?(?:{TOWN_WORDS}|{ZONE_WORDS})")


@dataclass
class Resolution:
    agency: str | None = None
    candidates: list[str] = field(default_factory=list)
    assumed: str = ""  # what the question said, when the only matching body was taken for it
    missing: str = ""  # a body the question names that is not stored (its place is)
    at_place: list[str] = field(default_factory=list)  # what is stored at that place
    spans: list[tuple[int, int]] = field(default_factory=list)  # the question's words that named it


# ------------------------------------------------------------------ the question's text
def normalise(text: str) -> tuple[str, list[int]]:
    """Lower case, one space between words, "'s" dropped, Latin words cut from digits and Chinese;
    with the position in `text` of every character kept, so matches map back to the question."""
    out: list[str] = [" "]
    pos: list[int] = [0]
    text = text.replace("’", "'")
    i = 0
    while i < len(text):
        c = text[i].lower()
        if c == "'":
            i += 2 if text[i + 1 : i + 2].lower() == "s" and not text[i + 2 : i + 3].isalpha() else 1
            continue
        if not (c.isalnum() or _CJK.match(c)):
            c = " "
        letter = bool(_LETTER.match(c))
        if c != " " and out[-1] != " " and letter != bool(_LETTER.match(out[-1])):
            out.append(" ")
            pos.append(i)
        if not (c == " " and out[-1] == " "):
            out.append(c)
            pos.append(i)
        i += 1
    out.append(" ")
    pos.append(len(text))
    return "".join(out), pos


@cache
def _key(alias: str) -> str:
    """An alias as the automaton holds it: normalised like the questions it is looked for in."""
    return alias if _ALL_CJK.match(alias) else normalise(alias)[0].strip()


_ALL_CJK = re.compile(r"^[\u4e00-\u9fff]+$")


# ------------------------------------------------------------------ the index
@dataclass
class _Hit:
    start: int
    end: int
    alias: str
    facets: dict[str, set[int]]


class Resolver:
    """All aliases of all stored bodies in one automaton, built once per store generation."""

    def __init__(self, records: list[AgencyRecord]) -> None:
        self.records = records
        self.aliases = [aliases_for(r) for r in records]
        self._by_name = {a.agency: i for i, a in enumerate(self.aliases)}
        # alias → facet → record numbers; for "kind", numbers of kind groups (bodies of the same kind words)
        self._facets: dict[str, dict[str, set[int]]] = {}
        groups: dict[tuple[str, ...], int] = {}
        self._group: list[int] = []
        self._members: list[list[int]] = []
        for i, a in enumerate(self.aliases):
            g = groups.setdefault(a.kinds, len(groups))
            if g == len(self._members):
                self._members.append([])
                for w in a.kinds:
                    self._facets.setdefault(_key(w), {}).setdefault("kind", set()).add(g)
            self._members[g].append(i)
            self._group.append(g)
            for facet, words in (("name", a.names), ("place", a.places), ("short", a.short)):
                for w in words:
                    self._facets.setdefault(_key(w), {}).setdefault(facet, set()).add(i)
        for kind in KINDS:  # a kind no stored body has is still a kind: "<place> police" is not stored
            for w in kind_words(kind, ""):
                self._facets.setdefault(_key(w), {}).setdefault("kind", set())
        self._facets.pop("", None)
        self._auto = ahocorasick.Automaton()
        for w in self._facets:
            self._auto.add_word(w, w)
        if self._facets:
            self._auto.make_automaton()

    def __len__(self) -> int:
        return len(self._facets)

    def place_of(self, agency: str) -> str:
        """The body's own place as printed (东湖高新区 of 东湖高新区发展改革局)."""
        return self.aliases[self._by_name[agency]].place if agency in self._by_name else ""

    def english_name(self, agency: str) -> str:
        """How an English question names this agency: 'Xiayi people's government'."""
        a = self.aliases[self._by_name[agency]]
        place = next((w for w in a.short + a.places if _LETTER.match(w)), "")
        kind = next((w for w in a.kinds if _LETTER.match(w)), "")
        return f"{place.title()} {kind}".strip()

    def resolve(self, question: str) -> Resolution:
        text, pos = normalise(question)
        hits = self._hits(text)
        named = places_named(text, lambda i: question[pos[i]].isupper())
        res = self._choose(text, hits, named, lambda a, b: question[pos[a] : pos[b - 1] + 1])
        me = self._by_name.get(res.agency or "", -1)
        res.spans = [
            (pos[h.start], pos[h.end - 1] + 1)
            for h in hits  # no body chosen: every kind named
            if h.facets.keys() - {"kind"} or me < 0 or self._group[me] in h.facets["kind"]
        ]
        return res

    # ---------------------------------------------------------- matching
    def _hits(self, text: str) -> list[_Hit]:
        found: list[_Hit] = []
        if not self._facets:
            return found
        raw = [(end - len(alias) + 1, end + 1, alias) for end, alias in self._auto.iter(text)]
        kind_starts = {start for start, _, alias in raw if "kind" in self._facets[alias]}
        for start, end, alias in raw:
            latin = bool(_LETTER.search(alias))
            if latin and (_LETTER.match(text[start - 1]) or _LETTER.match(text[end])):
                continue  # inside a longer word
            facets = {f: set(s) for f, s in self._facets[alias].items()}
            if not latin and facets.keys() - {"kind"} and _inside_a_place(text, start):
                (
                    facets.pop("name", None),
                    facets.pop("place", None),
                    facets.pop("short", None),
                )  # 霍邱县 ⊃ 邱县
            if "short" in facets:  # 河南 + 省 is the province: keep only places of the level named next
                after, n = _level_after(text, end, latin)
                if after and end not in kind_starts:  # 邹平 + 市场监管局: that 市 begins the kind
                    keep = {i for i in facets["short"] if self.aliases[i].place.endswith(after)}
                elif (
                    not after and alias in province_shorts()
                ):  # Henan alone is the province as much as 河南县
                    keep = {i for i in facets["short"] if self.aliases[i].level == DEPTH["province"]}
                else:
                    keep = facets["short"]
                gone, facets["short"] = facets["short"] - keep, keep
                if gone and not any(facets.values()):
                    found.append(_Hit(start, end + (n if after else 0), alias, {"elsewhere": gone}))
            if "kind" in facets and _subject(text, end, alias, latin):
                del facets["kind"]  # 政府信息公开: the report's subject, not a body
            facets = {f: s for f, s in facets.items() if s or f == "kind"}
            if facets:
                found.append(_Hit(start, end, alias, facets))
        for h in found:  # 夏邑县人民政府 + 办公室: a kind word running on past a name names another body
            if "name" in h.facets and any(
                o.start > h.start
                and o.start < h.end < o.end
                and "kind" in o.facets
                and not {self._group[i] for i in h.facets["name"]} & o.facets["kind"]
                for o in found
            ):
                del h.facets["name"]
        return _outermost([h for h in found if h.facets])

    def _level(self, h: _Hit) -> int:
        return max(self.aliases[i].level for f in ("name", "place", "short") for i in h.facets.get(f, ()))

    def _choose(
        self, text: str, hits: list[_Hit], named: list[Named], said: Callable[[int, int], str]
    ) -> Resolution:
        """The body the hits name. One cascade on purpose, each rule applying only when the ones before
        did not decide: no place named; a deeper place not stored; places outside the body; a NAME
        alias; a PLACE alias with the kind next to it; a bare place's 人民政府."""
        placed = [h for h in hits if h.facets.keys() & {"name", "place", "short"}]
        kinds = [h for h in hits if "kind" in h.facets]
        named = [n for n in named if not any(k.start <= n.start and n.end <= k.end for k in kinds)]
        if not placed:
            outside = [h for h in hits if "elsewhere" in h.facets]
            if outside:  # Henan province, when only 河南县 is stored
                there = {self.aliases[i].agency for i in outside[0].facets["elsewhere"]}
                return Resolution(missing=said(*_with_kind(text, outside[0], kinds)), at_place=sorted(there))
            if named:  # a real place that no stored body is at: never "the only 民政局 stored"
                return Resolution(missing=said(*_with_kind(text, named[0], kinds)))
            if not kinds:
                return Resolution()
            best = _asked(kinds)
            what = said(best.start, best.end)
            found = {i for g in best.facets["kind"] for i in self._members[g]}
            return self._pick(found, what) if found else Resolution(missing=what)
        depth = max(self._level(h) for h in placed)
        top = [h for h in placed if self._level(h) == depth]
        above = {
            self.aliases[i].place
            for h in placed
            if h not in top
            for f in ("name", "place", "short")
            for i in h.facets.get(f, ())
        }
        last = max(top, key=lambda h: h.end)
        deeper = "" if any(h.start <= last.end < h.end for h in kinds) else _deeper_place(text, last.end)
        if deeper:
            return Resolution(missing=said(last.start, last.end) + deeper)
        # places named that no hit of a stored body covers (长春市 of 长春市朝阳区): the body must be in them
        foreign = [n for n in named if not any(h.start < n.end and n.start < h.end for h in placed)]
        first = min([last.start] + [n.start for n in foreign])
        elsewhere = Resolution(missing=said(first, _with_kind(text, last, kinds)[1]))
        names = self._consistent(set().union(*(h.facets.get("name", set()) for h in top)), above)
        names = self._within(names, foreign)
        if names:
            return self._pick(names, "")
        here = self._consistent(
            set().union(*(h.facets.get("place", set()) | h.facets.get("short", set()) for h in top)), above
        )
        here = self._within(here, foreign)
        if not here:
            return elsewhere
        where = said(last.start, last.end)
        # 章贡区人民政府水东镇: 人民政府 is the district's
        others: list[_Hit | Named] = [p for p in placed if p is not last]
        others.extend(foreign)
        after = [h for h in kinds if h.start >= last.start and not any(_adjacent(text, p, h) for p in others)]
        kinds = [h for h in kinds if _adjacent(text, last, h)] or after  # Yishui police … government projects
        # the nearest kind a body at the place has ("Xigong civil affairs bureau … government procurement")
        if kinds:
            kinds = [
                h
                for h in kinds
                if not any(  # overlapping kinds: the one running on (人民政府办公室, not 县人民政府)
                    o.start < h.end
                    and h.start < o.end
                    and (o.end, o.end - o.start) > (h.end, h.end - h.start)
                    for o in kinds
                )
            ]
            for kind in sorted(kinds, key=lambda h: h.start):
                both = {i for i in here if self._group[i] in kind.facets["kind"]}
                if both:
                    return self._pick(both, "")
            kind = min(kinds, key=lambda h: h.start)
            return Resolution(
                missing=said(min(last.start, kind.start), max(last.end, kind.end)),
                at_place=sorted({self.aliases[i].agency for i in here}),
            )
        gov = {i for i in here if self.aliases[i].gov}
        return self._pick(gov, "") if gov else self._pick(here, where)

    def _within(self, found: set[int], foreign: list[Named]) -> set[int]:
        """Those of `found` inside every place the question names outside their own words; else the
        towns stored with no such place that it may hold (浦江县前吴乡 for a 前吴乡 whose report never
        names its county), never a town stored under another one."""
        inside = {i for i in found if self._inside(i, foreign)}
        return inside or {i for i in found if self.records[i].town and self._may_hold(i, foreign)}

    def _may_hold(self, i: int, foreign: list[Named]) -> bool:
        """Is every place named either one body i is in, or of a level its record leaves unknown,
        inside the broader places the record does hold?"""
        r = self.records[i]
        chain = {"province": r.province, "city": r.city, "county": r.county}
        return all(
            n.names & {r.province, r.city, r.county}
            or any(
                chain[p.level] is None
                and (r.province in (None, p.province))
                and (p.level == "province" or r.city in (None, p.city))
                for name in n.names
                for p in all_names().get(name, [])
            )
            for n in foreign
        )

    def _inside(self, i: int, foreign: list[Named]) -> bool:
        """Is body i in every place the question names outside its own words (its province, city, county)?"""
        r = self.records[i]
        return all(n.names & {r.province, r.city, r.county} for n in foreign)

    def _consistent(self, found: set[int], above: set[str]) -> set[int]:
        """Of the bodies at the most specific place named, those inside the broader places named too."""
        if not above:
            return found
        r = self.records
        inside = {i for i in found if above & {r[i].province, r[i].city, r[i].county}}
        return inside or found

    def _pick(self, found: set[int], said: str) -> Resolution:
        names = sorted({self.aliases[i].agency for i in found})
        if len(names) == 1:
            return Resolution(names[0], assumed=said)
        return Resolution(None, names[:20])  # a question naming only 民政局 lists 20, not every county's


def _outermost(hits: list[_Hit]) -> list[_Hit]:
    """Longest match wins: a hit inside a longer one is dropped (夏邑县民政局 over 夏邑县, 民政局)."""

    def inside(h: _Hit, o: _Hit) -> bool:
        return o.start <= h.start and h.end <= o.end and o.end - o.start > h.end - h.start

    return [h for h in hits if not any(inside(h, o) for o in hits)]


_FILLERS = {*K["levels"], *K["fillers"]}


def _adjacent(text: str, place: _Hit | Named, kind: _Hit) -> bool:
    """Is the kind word part of the place's name: right after it (夏邑县公安局, Xigong district civil
    affairs, 朝阳市监局 overlapping), or before it with 'of' (the civil affairs bureau of Huoqiu)?"""
    if kind.start < place.end < kind.end or kind.start <= place.start < kind.end:
        return True
    gap = text[place.end : kind.start] if kind.start >= place.end else text[kind.end : place.start]
    words = gap.split() if gap.strip().isascii() else [gap]
    if kind.start < place.end:
        return words in (["of"], ["of", "the"])
    return all(w in _FILLERS for w in words)


def _with_kind(text: str, place: _Hit | Named, kinds: list[_Hit]) -> tuple[int, int]:
    """Where the question names a body at `place`: the place with the kind words next to it."""
    near = [k for k in kinds if _adjacent(text, place, k)]
    return min([place.start] + [k.start for k in near]), max([place.end] + [k.end for k in near])


def _asked(kinds: list[_Hit]) -> _Hit:
    """The kind a question asks about: the last one named, the longest there (人民政府办公室 over
    人民政府)."""
    return max(kinds, key=lambda h: (h.end, h.end - h.start))


def _subject(text: str, end: int, alias: str, latin: bool) -> bool:
    """政府 + 信息, government + information: the kind word is the subject of the report."""
    return any(
        alias.endswith(w) and text.startswith(tuple(f" {a}" if latin else a for a in after), end)
        for w, after in K["subject_after"].items()
    )


def _level_after(text: str, end: int, latin: bool) -> tuple[tuple[str, ...], int]:
    """The level characters a level word right after a place stands for, and that word's length."""
    if latin:
        m = re.match(r" ([a-z]+)", text[end:])
        levels = tuple(K["en_levels"].get(m.group(1), ())) if m else ()
        return levels, len(m.group(0)) if levels and m else 0
    levels = tuple(lv for lv in K["levels"] if text.startswith(lv, end))
    return levels, max(map(len, levels), default=0)


def _deeper_place(text: str, end: int) -> str:
    """A place or body printed right after the most specific stored place the question names,
    that is not stored (夏邑县 + 会亭镇, 绵阳市 + 平武县, 会亭镇 + 派出所): the question is about it."""
    if _KIND_START.match(text, end):
        return ""
    body = _BODY.match(text, end)
    if body:
        return body.group(0)  # 会亭镇 + 派出所: a body of that place whose kind is not in the vocabulary
    m = _DEEPER.match(text, end)
    found = m.group(0) if m else name_at(text, end)  # 会亭镇, 东湖高新区; 平武县, 朝阳区 (any namesake)
    return found if found and _ENDS_NAME.match(text, end + len(found)) else ""


_BODY = re.compile(r"[\u4e00-\u9fff]{1,8}?[局委办所处站队院厅署室](?=$|[\s\d]|的|去年|今年|前年)")
_KIND_START = re.compile("|".join(sorted((re.escape(k) for k in KINDS), key=len, reverse=True)))
# What follows a place named as the subject of a question: its body, a year, the end.
_ENDS_NAME = re.compile(r"$|[\s\d]|的|去年|今年|前年|人民政府|政府|" + _KIND_START.pattern)


def _inside_a_place(text: str, start: int) -> bool:
    """Does a real place name begin before `start` and run past it (霍邱县 around 邱县)?"""
    return any(len(name_at(text, start - k)) > k for k in range(1, 4) if start - k >= 1)


def place_named(question: str) -> str:
    """The first real place the question names (郑州市, 睢县, Beijing), from the gazetteer."""
    text, pos = normalise(question)
    found = places_named(text, lambda i: question[pos[i]].isupper())
    return question[pos[found[0].start] : pos[found[0].end - 1] + 1] if found else ""


# ------------------------------------------------------------------ from the store
_CACHE: WeakKeyDictionary[Any, tuple[tuple[int, int], Resolver]] = WeakKeyDictionary()


def resolver_for(store: Any) -> Resolver:
    """The store's resolver, rebuilt only when the store changes (Store.generation)."""
    gen = store.generation()
    cached = _CACHE.get(store)
    if cached is None or cached[0] != gen:
        cached = _CACHE[store] = (gen, Resolver(store.agency_records()))
    return cached[1]
