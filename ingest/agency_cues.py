"""What the text offers as the publisher's name: every cue's candidate, found in the opening.

Real openings often have no clean title: the publisher is in an opening sentence
(`特向社会公布X2021年度…报告`), a byline (`由X编制`), the contact line (`请与X办公室联系`), or only as
the subject of a sentence, and other bodies are named first (a cited notice's issuer, the county
whose website hosts the page). So every cue proposes, with a weight; agency.py groups the
proposals by the identity they denote and scores them. The names' grammar (kind words, zones,
words that start no name) is data in identity.toml.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .gazetteer import Place, all_names

HAN = r"[\u4e00-\u9fff]"
_NAME = rf"{HAN}{{2,40}}"
_ALSO = rf"(?:[(（](?!以下简称){HAN}{{1,12}}[)）])?"  # 委农办(县农业局): one office under two names
_YEAR = r"\d{4}\s*年度?"
_SUBJECT = r"(?:政府信息公开|政务公开|信息公开|政府信息)"


@dataclass(frozen=True)
class _Vocab:
    suffixes: list[tuple[str, str, str]]  # word, kind, spelling in the canonical name; longest first
    units: list[tuple[str, str, str]]  # word, kind, what completes a bare unit's name
    zones: list[str]  # longest first
    zone_after: str
    zone_short: dict[str, str]
    zone_qualifiers: list[str]
    zone_places: dict[str, str]  # state-level new areas no division table holds → province or city
    departments: dict[str, str]
    commissions: list[str]  # before 管理委员会 they make it a commission (城市管理委员会)
    reject: list[str]
    starts: list[str]  # words no name starts with (编制, 结合, 系): the sentence before a name
    connectors: list[str]
    alone: list[str]  # kind words that need no department word before them
    sub_offices: list[str]  # longest first
    prefixes: list[str]
    national: list[str]
    national_starts: list[str]
    not_names: list[str]


@lru_cache(maxsize=1)
def vocab() -> _Vocab:
    data = tomllib.loads((Path(__file__).with_name("identity.toml")).read_text(encoding="utf-8"))
    names = data["names"]
    return _Vocab(
        sorted(
            ((s["word"], s["kind"], s.get("full", s["word"])) for s in data["suffix"]),
            key=lambda x: -len(x[0]),
        ),
        sorted(((u["word"], u["kind"], u["after"]) for u in data["unit"]), key=lambda x: -len(x[0])),
        sorted(data["zones"]["words"], key=len, reverse=True),
        data["zones"]["after"],
        data["zone_short"],
        data["zones"]["qualifiers"],
        data["zone_places"],
        data["department"],
        data["commissions"]["before"],
        data["reject"]["words"],
        data["reject"]["starts"],
        names["connectors"],
        names["alone"],
        sorted(names["sub_offices"], key=len, reverse=True),
        names["prefixes"],
        names["national"],
        names["national_starts"],
        names["not_names"],
    )


@dataclass
class Candidate:
    name: str
    cue: str
    weight: float
    pos: int


def kind_of(name: str) -> tuple[str | None, str, str, str, bool]:
    """(kind, the kind word as the canonical name spells it, completion, stem, bare unit) from a name's
    end."""
    v = vocab()
    for word, kind, full in v.suffixes:
        if name.endswith(word) and len(name) > len(word):
            return kind, full, "", name[: -len(word)], False
    for z in v.zones:
        if name.endswith(z) and len(name) > len(z):
            return "管委会", z, v.zone_after, name[: -len(z)], True
    for word, kind, after in v.units:
        if name.endswith(word) and len(name) > len(word):
            return kind, word, after, name[: -len(word)], True
    return None, "", "", name, False


_CUES: list[tuple[str, float, re.Pattern[str]]] = [
    (
        "report title cited",
        9,
        re.compile(rf"《(?:{_YEAR})?({_NAME}?)(?:关于)?(?:{_YEAR})?{_SUBJECT}[^》]{{0,20}}报告》"),
    ),
    (
        "publication sentence",
        9,
        re.compile(  # 编制X2024年度…报告, 公布X2025年度政府信息公开情况: the report's own name
            rf"(?:发布|公布|编制)(?:{_YEAR})?({_NAME}?{_ALSO})(?:[(（]以下简称[^)）]*[)）])?(?:{_YEAR})"
            rf"(?:{_SUBJECT}?[^。]{{0,12}}报告|{_SUBJECT}(?:工作)?情况)"
        ),
    ),
    ("publication sentence", 8, re.compile(rf"(?:发布|公布){_YEAR}({_NAME}?){_SUBJECT}[^。]{{0,12}}报告")),
    (
        "现将…报告如下",
        8,
        re.compile(rf"现将(?:{_YEAR})?({_NAME}?)(?:{_YEAR})?{_SUBJECT}?[^。]{{0,16}}报告如下"),
    ),
    ("由X编制", 7, re.compile(rf"由({_NAME}?)(?:根据|结合|依据|按照|负责|编制|编写|制作|组织)")),
    ("以下简称", 6, re.compile(rf"(?:^|[,，。、\s])({_NAME}?)[(（]以下简称")),
    (
        "scope sentence",
        8,
        re.compile(  # 本报告内容主要为X2012年度的…工作情况: the body the report is of
            rf"(?:内容|报告)(?:主要)?(?:为|是|涵盖)({_NAME}?){_YEAR}"
        ),
    ),
    (
        "contact line",
        5,
        re.compile(
            rf"(?:请与|请联系|联系单位|可直接与|地址)[:：]?({_NAME}?)(?:[(（,，。:：\s]|联系|地址|电话)"
        ),
    ),
    (  # 来源：X, or an index table's cell: 发布单位 | X
        "source line",
        4,
        re.compile(rf"(?:来源|发布机构|发布单位|发文机关|信息来源)\s*[:：|]\s*({_NAME}{_ALSO})"),
    ),
    ("own notice", 2, re.compile(rf"(?:印发|制定|出台)《({_NAME}?)关于")),  # 印发《鞍山高新区关于…》
    (
        "own document title",
        2,
        re.compile(rf"《({_NAME}?){_SUBJECT}?(?:公开)?(?:指南|目录|保密审查|工作制度|工作规范|实施办法)"),
    ),
    (  # 市生态环境局政府信息公开指南表述清晰: a sentence about the body's own guide, unquoted
        "own document title",
        2,
        re.compile(rf"(?:^|[\n。；;])({_NAME}?){_SUBJECT}(?:指南|目录)"),
    ),
    (
        "sentence subject",
        3,
        re.compile(
            rf"(?:^|[。\n；;]|{_YEAR}[,，]|以来[,，])({_NAME}?)(?:坚持|认真|深入|严格|始终|高度|紧紧|进一步|全面|积极|围绕|按照|"
            rf"以|扎实|着力|不断|持续|切实|是|在|结合)"
        ),
    ),
]
_ANY_NAME = re.compile(
    rf"{HAN}{{2,30}}?(?:人民政府办公室|人民政府办公厅|人民政府|管理委员会|管委会|街道办事处|委员会|分局|局|厅|研究室)"
)
_BRACKET = re.compile(rf"[(（]{HAN}{{1,12}}[)）]")


@lru_cache(maxsize=1)
def _no_start() -> re.Pattern[str]:
    """Every word no name starts inside, matched at every position (longest first, so the positions
    inside it cover those of a shorter word starting there)."""
    v = vocab()
    words = sorted({*v.reject, *v.starts}, key=len, reverse=True)
    return re.compile("(?=(" + "|".join(map(re.escape, words)) + "))")


_CITED = re.compile(r"《[^》]{0,80}》")
_WEBSITE = re.compile(
    r"[”\"」』]?(?:门户网站|政府网|网站|官网|公众号|政务服务网|[(（]?https?://|[(（]?www\.)"
)
_FURNITURE = re.compile(
    r"【[^】]*】|\[[^\]]*\]|(?:来源|发布时间|发布日期|浏览次数|访问量|作者|字号|字体|点击数|阅读次数|时间|分享到|打印|关闭)"
    r"[:：]?\s*[^\s]*|[大中小]\s*(?=[大中小\s]|$)|首页|当前位置[:：]?|>|»|·"
)
_TITLE = re.compile(rf"^(?:{_YEAR})?(.*?)(?:关于)?(?:{_YEAR})?(?:{_SUBJECT}.{{0,10}}|.{{0,4}})报告")


def candidates(lines: list[str], flat: str, filename: str, around: Place | None = None) -> list[Candidate]:
    """Every cue's proposal, with the position where it was printed (earlier is stronger on ties)."""
    out: list[Candidate] = []
    for i, title in enumerate(_titles(lines)):
        m = _TITLE.match(title)
        if m and m.group(1):
            out.append(Candidate(m.group(1), "title", 14 - i, -1))  # outweighs any pile of weak cues
    out += [Candidate(name, "name line by the title", 10, -1) for name in _name_lines(lines)]
    masked = _CITED.sub(lambda m: m.group(0) if _is_own_title(m.group(0)) else "□" * len(m.group(0)), flat)
    for cue, weight, pat in _CUES:
        for m in pat.finditer(
            flat if cue in ("report title cited", "own document title", "own notice") else masked
        ):
            if m.start(1) < 4000:
                raw = (
                    _strip_sub_office(m.group(1), flat) if cue in ("由X编制", "contact line") else m.group(1)
                )
                out.append(Candidate(raw, cue, weight, m.start(1)))
    for m in _ANY_NAME.finditer(masked[:4000]):
        if not _WEBSITE.match(masked, m.end()):
            out.append(Candidate(m.group(0), "mentions", 1, m.start()))
    if (
        around is not None
        and self_kind(flat) == "人民政府"
        and (m := re.search(f"我{around.name[-1]}", flat))
    ):
        out.append(
            Candidate(around.name + "人民政府", "我县 + the place named", 4, m.start())
        )  # 我县 of 兴海县
    stem = re.sub(r"^[0-9a-f_\-]{6,}_|^\d+[_\-]", "", Path(filename).stem)
    m = _TITLE.match(stem.replace("年报", "年度报告"))
    if m and m.group(1):
        out.append(Candidate(m.group(1), "file name", 2, 10**6))
    return out


_SELF_REF = re.compile(r"(?:我|本)(局|委|厅|镇|乡|苏木|街道|区|县|市|旗|州|省)(?!级|委|政府|人民)")
_SELF_KIND = {
    "局": "局",
    "委": "委员会",
    "厅": "other",
    "镇": "镇",
    "乡": "乡",
    "苏木": "乡",
    "街道": "街道办事处",
}


_SELF_BODY = re.compile(r"本机关(?!不掌握)")  # the body speaking, not table 三's row 本机关不掌握相关政府信息


def self_kind(flat: str) -> str | None:
    """The kind the report calls itself most (我委 ×4, 我市 ×1 → 委员会): a body speaks of itself."""
    counts = Counter(_SELF_KIND.get(m.group(1), "人民政府") for m in _SELF_REF.finditer(flat[:4000]))
    return counts.most_common(1)[0][0] if counts else None


def _titles(lines: list[str]) -> list[str]:
    """Title-like lines of the opening: furniture stripped, a wrapped title joined, year glued in front.
    A long first line that opens with the title (大竹县2009年…年度报告(以下简称年报)根据…) counts too."""
    out: list[str] = []
    cells = [c for ln in lines[:15] for c in ln.split("|")]
    head = [re.sub(r"[\s\u00a0\u3000]+", "", _FURNITURE.sub(" ", c)).strip("#*") for c in cells]
    for i, s in enumerate(head):
        nxt = next((t for t in head[i + 1 : i + 3] if t), "")
        if "报告" not in s and s and _continues(s, nxt):
            s += nxt
        s = s[: s.find("报告") + 2] if "报告" in s else ""
        if (
            s
            and len(s) <= 60
            and re.search(_SUBJECT, s)
            and s not in out
            and not re.search(r"[,，。；;:：、]", s)
            and not s.startswith(("根据", "本报告", "本年度", "由", "按照", "现将"))
            and _names_someone(s)
        ):
            out.append(s)
    return out[:2]


def _name_lines(lines: list[str]) -> list[str]:
    """A line that is only a name, next to a title line that names nobody (2020年政府信息公开工作年度报告 /
    武昌经开区(滨江)管委会): the title's publisher, printed as a byline."""
    head = [re.sub(r"[\s\u00a0\u3000]+", "", ln).strip("#*") for ln in lines[:15]]
    head = [s for s in head if s]
    out = []
    for i, s in enumerate(head):
        m = _TITLE.match(s)
        if not (m and not m.group(1) and re.search(_SUBJECT, s) and len(s) <= 40):
            continue
        for near in head[max(0, i - 1) : i] + head[i + 1 : i + 2]:
            if len(near) <= 30 and _BYLINE.fullmatch(near) and kind_of(_BRACKET.sub("", near))[0]:
                out.append(near)
    return out


_BYLINE = re.compile(rf"(?:{HAN}|[(（]{HAN}{{1,12}}[)）])+")


def _names_someone(title: str) -> bool:
    """A menu entry of the site (> 信息公开年度报告, > 乡镇信息公开年度报告) names no publisher: it is
    not one of the report's title lines."""
    m = _TITLE.match(title)
    return bool(m and m.group(1) and not m.group(1).endswith(tuple(vocab().not_names)))


def _continues(line: str, nxt: str) -> bool:
    """Is `nxt` the second line of a title wrapped after `line`: the report words (…/工作年度报告),
    the rest of the kind word (…街道 / 办事处政府信息公开…, …卫生健康 / 委员会2025年…), or the year
    line under a name line (南坑乡人民政府 / 2012年政府信息公开工作年度报告)?"""
    if "报告" not in nxt or len(line) + len(nxt) > 60:
        return False
    kinds = tuple(w for w, _, _ in vocab().suffixes) + ("办事处",)
    named = line.endswith(kinds) or kind_of(line)[0] is not None
    return (
        nxt.startswith(("工作年度报告", "年度报告", "工作报告", "工作情况报告", "报告"))
        or (nxt.startswith(kinds) and re.search(r"\d{4}", line + nxt) is not None)
        or (named and re.match(rf"{_YEAR}{_SUBJECT}", nxt) is not None)
        or (
            (named or re.search(rf"{_YEAR}$", line) is not None)
            and re.search(r"\d{4}", line) is not None
            and nxt.startswith(("政府信息公开", "政务公开", "信息公开"))
        )
    )


def _is_own_title(cited: str) -> bool:
    return (
        "报告" in cited
        and re.search(_SUBJECT, cited) is not None
        and "格式" not in cited
        and "关于" not in cited
    )


def _strip_sub_office(name: str, flat: str) -> str:
    """The body whose office a cue names (请与X局办公室联系 → X局). A government's 办公室 is kept when the
    text calls its publisher only 本机关: a government speaks of itself as 本县 / 我市 (self_kind)."""
    if kind_of(name)[0] == "人民政府办公室" and self_kind(flat) is None and _SELF_BODY.search(flat[:4000]):
        return name
    for s in vocab().sub_offices:
        if name.endswith(s) and kind_of(name[: -len(s)])[0] is not None:
            return name[: -len(s)]
    return name


def clean_name(raw: str) -> list[tuple[str, str]]:
    """The names a cue's text may hold, each with the form to print: itself, trimmed of year and
    glue words, then its tails (现将统计局 → 统计局; 2021年,番禺经济技术开发区管委会 → …管委会). A
    tail never starts inside a word that starts no name (编制老洲乡… → 老洲乡…, 通过X → X). A short
    bracketed part is left out of the name read but kept in the printed form
    (商洛高新区(商丹园区)管理委员会, 黔南州人民政府(州政府办公室)); it is read last, for an office
    printed under two names whose first is no name (委农办(县农业局))."""
    s = re.sub(r"\s+", "", raw)
    brackets = [m.span() for m in _BRACKET.finditer(s) if "简称" not in m.group(0)]
    plain = "".join(c for i, c in enumerate(s) if not any(a <= i < b for a, b in brackets))
    where = [i for i in range(len(s)) if not any(a <= i < b for a, b in brackets)]  # plain → printed
    cut = re.sub(r"^.*[^\u4e00-\u9fff\d]|^\d*年度?", "", plain)
    start = len(plain) - len(cut)
    end = start + len(re.sub(rf"(?:{_YEAR}|关于|的|本级)+$", "", cut))
    v = vocab()
    inside = {j for m in _no_start().finditer(plain) for j in range(m.start() + 1, m.start() + len(m[1]))}
    last = where[end - 1] + 1 if end > 0 else 0
    while (span := next((b for a, b in brackets if a == last), None)) is not None:
        last = span  # 黔南州人民政府(州政府办公室): the bracket after the name is printed with it
    names = all_names()
    also = [(s[a + 1 : b - 1], s[a + 1 : b - 1]) for a, b in brackets]
    return (
        [
            (plain[i:end], s[where[i] : last])
            for i in range(start, max(start + 1, end - 1))
            if i < end
            and (
                any(plain[i : i + n] in names for n in range(2, 9))  # 会同县, 即墨区, 向阳区
                or any(plain[i : i + n] + u in names for n in (2, 3, 4) for u in "县区市")  # 会同科技城
                or (i not in inside and not plain.startswith(tuple(v.starts), i))
            )
        ]
        + also
    )  # the name in brackets, when the name before it is none (委农办(县农业局))
