"""What a table question is about: the agencies it names, its years, and a rank's scope.

Agencies are found by the same resolver single answers use (agencies.py), one part of the
question at a time, so 夏邑县民政局和霍邱县民政局 is two agencies. A rank's scope is a kind and/or a place
read from the question (`2022年各镇`, `郑州市各区县`, `all district civil-affairs bureaus`) and
matched against what is stored for each agency, never against a fixed list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.series import Copy
from ingest.vocab import load

from .agencies import Resolver
from .agency_aliases import pinyin, short_place

V = load()
_TYPES = {k["name"]: k.get("en", []) for k in V.tables["agency_kinds"]["kind"]}  # kind → English words
_CJK = re.compile(r"[\u4e00-\u9fff]")
_YEAR = r"((?:19|20)\d{2})"
_RANGE = re.compile(_YEAR + r"\s*年?\s*(?:-|–|—|~|～|至|到|\bto\b|\bthrough\b|\buntil\b)\s*" + _YEAR)
_SINCE = re.compile(
    _YEAR + r"\s*年?\s*(?:以来|至今|起)|(?:自|从)\s*" + _YEAR + r"\s*年|\bsince\s+" + _YEAR, re.I
)
_LAST_N = re.compile(
    r"(?:近|最近|过去)\s*(\d+|[两二三四五六七八九十])\s*年|\b(?:last|past)\s+(\d+)\s+years", re.I
)
_ALL_YEARS = re.compile(
    r"历年|这几年|近几年|近年来?|逐年|每年|各年|历史|趋势|走势|变化|over the years|each year|every year|"
    r"per year|by year|year by year|trend|all years|history",
    re.I,
)
_CN_NUM = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "一": 1}
_TOP = re.compile(r"前\s*(\d+|[一二三四五六七八九十])\s*(?:名|位|个|家)?|\btop\s*(\d+)", re.I)
FEWEST = re.compile(
    r"最少|最低|更少|较少|倒数|从少到多|由低到高|\b(?:fewest|fewer|least|lowest|lower|smallest|less)\b", re.I
)
RANK_WORDS = re.compile(
    r"最多|最少|最高|最低|排名|排行|排序|哪个|哪些|哪家|前\s*\d+|"
    r"which|most|fewest|least|highest|lowest|rank|\btop\b",
    re.I,
)
_SCOPE_ZH = re.compile(r"各(?![年项类])|所有|全部|每个(?!年)")
_SCOPE_EN = re.compile(
    r"\b(?:all|every|each)\b(?!\s+years?\b)|"
    r"\b(?:which|top|rank|ranking|most|fewest|least|highest|lowest)\b",
    re.I,
)
# levels: what "各区县" or "all district …" asks for, tested on the agency's own place and name
_LEVELS_ZH = [
    ("县市区", "county"),
    ("区县", "county"),
    ("县区", "county"),
    ("乡镇街道", "local"),
    ("乡镇", "town"),
    ("街道", "street"),
    ("镇", "town"),
    ("乡", "town"),
    ("县", "county_only"),
    ("区", "district"),
]
_LEVELS_EN = [
    ("subdistrict", "street"),
    ("street", "street"),
    ("township", "town"),
    ("town", "town"),
    ("district", "district"),
    ("count", "county_only"),
]  # count: county / counties
_GENERIC_ZH = re.compile(r"各(?:个)?(?:部门|机关|单位|政府部门)")


@dataclass
class Scope:
    level: str = ""  # county | county_only | district | town | street | local | ""
    kind: str = ""  # an agency kind from the vocabulary (民政局, 人民政府 …), or "局"/"委员会"
    place: str = ""  # a place the agencies must belong to

    def __bool__(self) -> bool:
        return bool(self.level or self.kind or self.place)

    def admits(self, d: Copy) -> bool:
        name = d.agency or ""
        local = re.search(r"(镇|乡|街道)(人民政府|办事处)?$", name)
        if self.level in ("town", "street", "local"):
            want = {"town": ("镇", "乡"), "street": ("街道",), "local": ("镇", "乡", "街道")}[self.level]
            if not (local and local.group(1) in want):
                return False
        elif self.level:
            ends = {"county": ("县", "区", "旗"), "county_only": ("县", "旗"), "district": ("区",)}[
                self.level
            ]
            if local or not (d.place or "").endswith(ends):
                return False
            if not self.kind and not name.endswith("人民政府"):
                return False  # 各区县 without a kind: the counties' own governments
        if self.kind and not (name.endswith(self.kind) or (local and self.kind == "人民政府")):
            return False
        if self.place:
            places = {d.province, d.city, d.place}
            if self.place not in places and self.place not in name:
                return False
        return True


_JOIN = re.compile(r"以及|和|与|及|跟|同|对比|相比|比较|、|，|,|;|；|\b(?:and|or|vs\.?|versus|with)\b", re.I)


def find_agencies(question: str, resolver: Resolver) -> list[str]:
    """Every stored agency the question names, in the order it names them. The question is cut at
    its list words (和, 、, and …) and each part resolved alone; a part that names no agency is glued
    back to the next, so a name holding such a word (和平区) stays whole."""
    found: list[str] = []
    pending, start = "", 0
    for m in [*_JOIN.finditer(question), None]:
        end = m.start() if m else len(question)
        part = pending + question[start:end]
        agency = resolver.resolve(part).agency
        if agency:
            found.append(agency)
            pending = ""
        else:
            pending = part + (m.group(0) if m else "")
        start = m.end() if m else end
    return list(dict.fromkeys(found))


def scope_of(question: str, docs: list[Copy]) -> Scope | None:
    """The set of agencies a rank is over, or None when the question names no such set."""
    zh = bool(_CJK.search(question))
    m = _SCOPE_ZH.search(question) if zh else _SCOPE_EN.search(question)
    if m is None:
        return None
    scope = Scope()
    after = question[m.end() :]
    if zh:
        scope.level = next((lv for word, lv in _LEVELS_ZH if after.startswith(word)), "")
        kinds = sorted(_TYPES, key=len, reverse=True)
        scope.kind = next((k for k in kinds if k in after and k not in ("办公室", "办公厅")), "")
        if not scope.kind and not _GENERIC_ZH.match(question, m.start()):
            bare = re.match(
                r"(?:个)?(?:[\u4e00-\u9fff]{0,4}?)(局|委员会|委)(?![\u4e00-\u9fff]*(?:局|委员会))", after
            )
            scope.kind = {"委": "委员会"}.get(bare.group(1), bare.group(1)) if bare else ""
        scope.place = _place_before(question[: m.start()], docs)
    else:
        low = re.sub(
            r"[^a-z ]+", " ", after.lower().replace("-", " ")
        )  # "Xiayi County … all applicants": no scope
        scope.level = next((lv for word, lv in _LEVELS_EN if re.search(rf"\b{word}", low)), "")
        types = _TYPES
        hits = [(len(w), k) for k, ws in types.items() for w in ws if f" {w} " in f" {low} "]
        scope.kind = max(hits)[1] if hits else ""
        scope.place = _place_in_english(question, docs)
    return scope


def _place_before(prefix: str, docs: list[Copy]) -> str:
    """The longest stored place name the text ends with (郑州市各区县 → 郑州市)."""
    prefix = prefix.rstrip("的")
    names = {p for d in docs for p in (d.province, d.city, d.place) if p}
    names |= {short_place(p) or p for p in list(names)}
    hit = max((p for p in names if len(p) >= 2 and prefix.endswith(p)), key=len, default="")
    full = next(
        (p for d in docs for p in (d.province, d.city, d.place) if p and (short_place(p) or p) == hit), hit
    )
    return full


def _place_in_english(question: str, docs: list[Copy]) -> str:
    low = re.sub(r"[^a-z]+", "", question.lower())
    places = {p for d in docs for p in (d.province, d.city) if p}
    hits = [p for p in places if pinyin(short_place(p) or p)[0] in low]
    return max(hits, key=len, default="")


def may_be_table(question: str) -> bool:
    """Words of a rank's scope or of many years: without them, one named agency is one figure."""
    scope = (_SCOPE_ZH if _CJK.search(question) else _SCOPE_EN).search(question)
    years = len(set(re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", question))) > 1
    return bool(
        scope or years or _SINCE.search(question) or _LAST_N.search(question) or _ALL_YEARS.search(question)
    )


def years_of(question: str, stored: list[int]) -> tuple[list[int], bool]:
    """(years, many): the years asked for; `many` when a range or every year is asked."""
    m = _RANGE.search(question)
    if m:
        a, b = sorted((int(m.group(1)), int(m.group(2))))
        return list(range(a, b + 1)), True
    m = _SINCE.search(question)
    if m:
        start = int(next(g for g in m.groups() if g))
        return list(range(start, max([start, *stored]) + 1)), True
    m = _LAST_N.search(question)
    if m and stored:
        n = m.group(1) or m.group(2)
        n = int(n) if n.isdigit() else _CN_NUM[n]
        return list(range(max(stored) - n + 1, max(stored) + 1)), True
    named = sorted({int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", question)})
    if named:
        return named, len(named) > 1
    if _ALL_YEARS.search(question) and stored:
        return list(range(min(stored), max(stored) + 1)), True
    return [], False


def top_n(question: str) -> int | None:
    m = _TOP.search(question)
    if not m:
        return None
    n = m.group(1) or m.group(2)
    return int(n) if n.isdigit() else _CN_NUM[n]


_SCOPE_PHRASE = re.compile("各(?:个)?(?:" + "|".join(w for w, _ in _LEVELS_ZH) + "|部门|机关|单位|政府部门)?")


def without_table_words(text: str) -> str:
    """The question without the words that make it a table (历年, 近五年, 各区县, 排名, top 5, which):
    they say over what the figure is asked, not which figure."""
    for pattern in (_RANGE, _SINCE, _LAST_N, _ALL_YEARS, _TOP, _SCOPE_PHRASE, RANK_WORDS):
        text = pattern.sub(" ", text)
    return text


_CARRY = [  # a year a carry-over goes to or comes from is not a report year: "carried over into 2022"
    (
        re.compile(
            r"\bcarr(?:y|ied|ies|ying)\s+(?:over|forward)\s+(?:in)?to\s+(?:the\s+year\s+)?((?:19|20)\d{2})\b",
            re.I,
        ),
        "carried forward to next year",
        -1,
    ),
    (
        re.compile(
            r"\bcarr(?:y|ied|ies|ying)\s+(?:over|forward)\s+from\s+(?:the\s+year\s+)?((?:19|20)\d{2})\b", re.I
        ),
        "carried over from the previous year",
        1,
    ),
    (re.compile(r"(?:结转|转入|转)(?:到|至|入)((?:19|20)\d{2})\s*年度?"), "结转下年度", -1),
    (re.compile(r"(?:从|自)((?:19|20)\d{2})\s*年度?(?:结转|转入)"), "上年结转", 1),
]


def carry_years(question: str) -> str:
    """The question with a carry-over's year said as next/previous year (结转到2022年 → 结转下年度).
    When no other year is named, the report is the one next to it: carried over from 2023 is 2024's."""
    implied: list[int] = []
    for pattern, words, step in _CARRY:
        implied += [int(m.group(1)) + step for m in pattern.finditer(question)]
        question = pattern.sub(words, question)
    if implied and not re.search(r"(?<!\d)(?:19|20)\d{2}(?!\d)", question):
        question += f" {implied[0]}年" if _CJK.search(question) else f" in {implied[0]}"
    return question
