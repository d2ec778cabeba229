"""Question → Query: which agency, which year, which figure. Chinese or English.

Agencies are resolved against what is ingested, never against a fixed list: each stored
agency gets its aliases (full name, place + kind, short place name, pinyin + English kind), and
the longest alias found in the question wins, so 平潭综合实验区地方税务局 beats 平潭综合实验区.
A short place name is never read inside a longer one it does not stand for: 河南 followed by 省
is the province, not 河南县. Figures come from the vocabulary in ingest/vocab.toml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ingest.vocab import load

from .figures import figure, stems
from .model import Query

V = load()
_CJK = re.compile(r"[\u4e00-\u9fff]")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_PLACE_SUFFIX = re.compile(r"(?:蒙古族|藏族|回族|苗族|彝族|壮族|土家族|侗族|瑶族|白族|哈尼族|傣族|黎族|满族|朝鲜族|畲族|羌族|布依族|水族|仫佬族|毛南族|仡佬族|土族|撒拉族|哈萨克族|达斡尔族|鄂温克族|锡伯族)*自治(?:县|州|旗)$|(?:县|区|市|省|旗|州|盟)$")
_UNITS = "|".join(map(re.escape, V.units))
_UNIT_ASKED = re.compile(rf"(?:多少|几)\s*({_UNITS})")
_SHORT_YEAR = re.compile(r"(?<![\d〇零一二三四五六七八九])([012]\d)\s*年(?!度?\d)")
_ZH_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_ZH_YEAR = re.compile(r"([二][〇零][〇零一二三四五六七八九]{2})\s*年")


@dataclass(frozen=True)
class AgencyAliases:
    agency: str
    place: str
    zh: tuple[str, ...]  # Chinese aliases, longest first
    short: tuple[str, ...]  # short place forms that must not be followed by 省/市
    pinyin: str  # place pinyin syllables, e.g. 'xia yi'
    kind: str  # the agency's kind: 人民政府, 民政局 …
    is_government: bool


def _kind(agency: str, place: str) -> str:
    rest = agency[agency.index(place) + len(place):] if place in agency else agency
    kinds = sorted(V.tables["agency_types"], key=len, reverse=True)
    return next((k for k in kinds if rest.endswith(k)), rest)


def _short_place(place: str) -> str:
    short = _PLACE_SUFFIX.sub("", place)
    return short if len(short) >= 2 else place


@lru_cache(maxsize=4096)
def _pinyin(text: str) -> str:
    """Syllables separated by spaces: 夏邑 → 'xia yi' (questions write Xiayi or Xia Yi)."""
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(text))


@lru_cache(maxsize=100_000)
def aliases_for(agency: str, place: str | None) -> AgencyAliases:
    place = place or ""
    kind = _kind(agency, place) if place else ""
    short = _short_place(place) if place else ""
    zh = {agency}
    if place and place in agency:  # 洛阳市西工区民政局 is also 西工区民政局, 西工民政局, 西工区
        zh.update({short + kind, place + kind, place, short})  # a bare place: its 人民政府, else ambiguous
        if kind == "人民政府":
            zh.update({place + "政府", short + "政府"})
    return AgencyAliases(
        agency, place, tuple(sorted(zh, key=len, reverse=True)), (short,) if short and short != place else (),
        _pinyin(short) if short else "", kind, kind == "人民政府",
    )


def _language(question: str) -> str:
    return "zh" if _CJK.search(question) else "en"


def _year(question: str, today: date) -> tuple[int | None, str]:
    q = question.lower()
    m = _YEAR.search(question)
    if m:
        return int(m.group(1)), ""
    m = _ZH_YEAR.search(question) or _SHORT_YEAR.search(question)  # 二〇二〇年, 20年
    if m:
        digits = m.group(1).translate(_ZH_DIGITS)
        return int(digits if len(digits) == 4 else "20" + digits), ""
    for words, delta in ((("去年", "last year", "previous year"), 1), (("前年", "year before last"), 2), (("今年", "this year"), 0)):
        for w in words:
            if w in q:
                return today.year - delta, f"“{w}” read as {today.year - delta}"
    return None, ""


def _zh_hit(question: str, alias: str, short: tuple[str, ...]) -> bool:
    if alias not in question:
        return False
    for m in re.finditer(re.escape(alias), question):
        nxt = question[m.end() : m.end() + 1]
        if alias in short and nxt in ("省", "市"):
            continue  # 河南省 is not 河南县
        return True
    return False


def resolve_agency(question: str, language: str, agencies: list[AgencyAliases]) -> tuple[str | None, list[str]]:
    """(agency, candidates). The longest, most specific alias wins; a bare place means its 人民政府."""
    if language == "zh" or _CJK.search(question):
        hits = [(len(alias), a, alias) for a in agencies for alias in a.zh if _zh_hit(question, alias, a.short)]
        if hits:
            best = max(h[0] for h in hits)
            top = [h for h in hits if h[0] == best]
            names = sorted({h[1].agency for h in top})
            if len(names) == 1:
                a, alias = top[0][1], top[0][2]
                if alias in (a.place, *a.short) and not a.is_government:
                    return None, names  # a bare place name whose 人民政府 is not ingested
                return names[0], []
            gov = [h[1].agency for h in top if h[1].is_government and h[2] in (h[1].place, *h[1].short)]
            return (gov[0], []) if len(set(gov)) == 1 else (None, names)
    q = " " + re.sub(r"[^a-z']+", " ", question.lower().replace("'s ", " ")) + " "
    at_place = [a for a in agencies if a.pinyin and (f" {a.pinyin.replace(' ', '')} " in q or f" {a.pinyin} " in q)]
    at_place = [a for a in at_place if not re.search(rf"({a.pinyin.replace(' ', '')}|{a.pinyin})\s+(province|city)\b", q) or a.place.endswith(("省", "市"))]
    if not at_place:
        return None, []
    kinds = V.tables["agency_types"]
    words = {k: [w.replace("'s ", " ") for w in ws] for k, ws in kinds.items()}  # as the question was normalised
    named = [a for a in at_place if any(f" {w} " in q for w in words.get(a.kind, []))]
    if named:
        best = max(max(len(w) for w in words[a.kind] if f" {w} " in q) for a in named)
        named = [a for a in named if any(len(w) == best and f" {w} " in q for w in words[a.kind])]
        names = sorted({a.agency for a in named})
        return (names[0], []) if len(names) == 1 else (None, names)
    gov = sorted({a.agency for a in at_place if a.is_government})
    if len(gov) == 1:
        return gov[0], []
    return None, sorted({a.agency for a in at_place})


def understand(question: str, agencies: list[AgencyAliases], today: date | None = None) -> Query:
    today = today or date.today()
    language = _language(question)
    q = Query(question=question, language=language)
    q.year, q.year_note = _year(question, today)
    q.agency, q.candidates = resolve_agency(question, language, agencies)
    if q.agency is None and not q.candidates:
        q.other_place = _place_named(question)
    text = question
    named = {x for a in agencies for x in a.zh if x in question}
    for alias in sorted(named, key=len, reverse=True):  # 夏邑县民政局 before 夏邑县
        text = text.replace(alias, " ")
    for a in agencies:
        if a.agency == q.agency:  # "the Wuyi market regulation bureau": its words name the agency, not a figure
            for w in [a.pinyin, a.pinyin.replace(" ", ""), *V.tables["agency_types"].get(a.kind, [])]:
                if w:
                    text = re.sub(rf"\b{re.escape(w)}\b", " ", text, flags=re.I)
    text = _SHORT_YEAR.sub(" ", _ZH_YEAR.sub(" ", _YEAR.sub(" ", text)))
    m = _UNIT_ASKED.search(text)
    if m:
        q.unit = m.group(1)
    elif language == "en":  # "person-times of training" asks for 人次, not 次
        words = stems(question)  # word by word: Luoyuan is not a yuan
        q.unit = next((u for w, u in V.tables["units_en"].items() if stems(w) in words), "")
    figure(q, text)
    return q


_PLACE_LIKE = re.compile(r"[\u4e00-\u9fff]{1,12}?(?:省|市|县|区|旗|州|盟)")


def _place_named(question: str) -> str:
    """A real place named in the question (北京市, 睢县), from the gazetteer."""
    from ingest.gazetteer import lookup

    for start in range(len(question)):
        for m in [_PLACE_LIKE.match(question, start)]:
            if m and lookup(m.group(0)) is not None:
                return m.group(0)
    return ""
