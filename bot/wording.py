"""A stated figure (prose number or indicator row) chosen by what the question says.

A journalist must never get a number that is not about what was asked, so a clause qualifies
only on strong evidence: it is the clause of the number itself (found by the offset stored at
ingest, never by searching the digits, which also occur in years), it holds every distinctive
noun the question names (访谈, 公开栏, 解读 …) and at least half of the question's own words, and
its unit is the kind of unit asked (场 and 次 count events, 人次 people, 条/件/篇 items). The
agency's own name is removed first, so a leftover half of it is never evidence.
"""

from __future__ import annotations

import re

from index.lexical import tokenize
from index.store import StoredFact
from ingest.vocab import load

from .model import Query

V = load()
_CLAUSE = re.compile(r"[，,；;。！？、]")
_CLAUSE_END = re.compile(r"[，,；;。！？、（(]")
_NOTE = re.compile(r"[（(][^（()）]{4,}[)）]")
_COUNT = re.compile(r"\d\s*(?:" + "|".join(map(re.escape, sorted(V.units, key=len, reverse=True))) + ")")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_SENTENCE = re.compile(r"[^。；;！？!?]+[。；;！？!?]?")
_RUBY = re.compile(r"(?<=[\u4e00-\u9fff])[（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,6}[)）]")  # 政务(wù)公开
_CLASSES = [
    {"件", "条", "项", "篇", "份", "本", "个", "家", "户"},
    {"次", "场", "期", "批", "批次", "起", "宗", "例"},
    {"人", "名", "人次", "家次"},
    {"元", "万元", "亿元"},
]


def unit_class(unit: str) -> int:
    return next((i for i, c in enumerate(_CLASSES) if unit in c), -1)


def units_agree(asked: str, unit: str, strict: bool = False, cell: bool = False) -> bool:
    """人次 is not 次 and 场 is not 人次; a money question never takes a count. `strict` (a sentence's
    number): 个 counts things (accounts, columns), not 篇 or 条 of text. A table `cell` counts cases:
    被复议了几次 asks for its 件."""
    if not asked or not unit:
        return True
    if "人次" in (asked, unit) or "批次" in (asked, unit):
        return asked == unit or {asked, unit} <= {"批", "批次"}
    if strict and ("个" in (asked, unit)) and asked != unit:
        return {asked, unit} <= {"个", "家", "户"}
    if cell and {unit_class(asked), unit_class(unit)} <= {0, 1, 2}:
        return True  # a count of cases, however asked (被复议了几次, how many people applied)
    return unit_class(asked) == unit_class(unit)


def clause(f: StoredFact) -> tuple[str, str]:
    """(the clause a number is printed in, the sentence up to that clause's end): the row label of
    an indicator, else found by the number's offset. The lead-in (`通过微信公众号，全年发布…45条`)
    may name the channel; what follows the number is about other numbers."""
    if f.kind == "cell":
        label = _NOTE.sub("", f.row_label or f.topic)  # （不同渠道和方式公开相同信息计1条） is a note
        return label, label
    at = f.offset if f.offset >= 0 else f.quote.find(f.raw)
    if at < 0:
        return f.topic, f.topic
    start = max((m.end() for m in _CLAUSE.finditer(f.quote, 0, at)), default=0)
    nxt = _CLAUSE_END.search(
        f.quote, at + max(1, len(f.raw))
    )  # a note in brackets after it is not its clause
    end = nxt.start() if nxt else len(f.quote)
    return f.quote[start:end], f.quote[:end]


def _own_lead(f: StoredFact) -> str:
    """The clause and its lead-in since the last clause that counts: 处罚类213件 before 通知公告类71件
    is about the 213, and 通过门户网站，公开63条，其中…工作报告1条 says the portal of the 63, not the 1."""
    text, lead = clause(f)
    before = _CLAUSE.split(lead[: len(lead) - len(text)])
    last = max((i for i, c in enumerate(before) if _COUNT.search(c)), default=-1)
    return " ".join([*before[last + 1 :], text])


def _tokens(text: str) -> set[str]:
    return {w for w in tokenize(text) if len(w) >= 2 and not w.isdigit()}


def by_wording(q: Query, facts: list[StoredFact]) -> StoredFact | None:
    """The indicator row or prose number whose clause says what the question asks."""
    generic = set(V.tables["prose"]["generic"])
    names = _names(q.agency or "")
    words = [w for w in q.words if w not in names]
    phrases = [t for t in q.terms if len(t) >= 2]
    nouns = V.tables["prose"]["required"]
    # a word naming a distinctive noun (信件|信函: either) must be said by one of its alternatives
    required = [w for w in words if any(r in x for x in w.split("|") for r in nouns)]
    if q.unexplained or not (words or phrases):
        return None
    best: tuple[float, StoredFact | None] = (0.0, None)
    # a question of general words only (公开工作信息多少条) is told apart by the run of text it shares
    asked = _strip(q.question, names) if set(words) <= set(V.tables["prose"]["fallback_zh"]) else ""
    for f in facts:
        if not (f.kind == "prose" or f.table == "ind") or f.value is None:
            continue
        stated = f.qualifier != "negation"  # a zero stated in words: its 件 is ours, any count fits
        if not units_agree(q.unit, f.unit, strict=f.kind == "prose" and stated, cell=not stated):
            continue
        bare, lead, sentence = (_carry(_strip(x, names), f.year) for x in (*clause(f), f.quote))
        head = f.column_label + " " if f.kind == "prose" and f.column_label else ""  # （一）主动公开情况
        text, lead, sentence = head + bare, head + lead, head + sentence  # over its total: what it counts
        zero = f.value == 0
        in_clause = {w for w in words if _says(w, text, q.question, zero)}
        said = [p for p in phrases if p in text]
        if not (in_clause or said):  # then only the lead-in since the last count says what it counts
            lead = _carry(_strip(head + _own_lead(f), names), f.year)
        in_lead = {w for w in words if _says(w, lead, q.question, zero)}
        # a distinctive noun named before the number, or anywhere in the sentence of a clause on the subject
        where = sentence if in_clause - set(nouns) else lead
        if not all(_named(w, where, nouns) for w in required) or len(in_lead) * 2 < len(words):
            continue
        if not (in_lead or said) or not all(_has(w, _strip(_own_lead(f), names)) for w in q.must):
            continue
        own = _tokens(_counted(bare)) - generic
        if not (in_clause or said) and any(not _has(t, "".join(words)) for t in own):
            continue  # the words are in the lead-in, and the number's own clause counts something else
        covered = sum(1 for t in own if any(_has(t, w) or _has(w, t) for w in words + said))
        precision = (covered + 1) / (len(own) + 1)  # a clause that says more than was asked is about more
        named = sum(1 for w in words if _has(w, f.topic))  # the words right before the number: what it counts
        score = (
            3 * sum(len(w) for w in in_clause)
            + 2 * len(said)
            + 0.5 * len(in_lead - in_clause)
            + 4 * precision
            + 2 * named
            + (2 if q.unit and f.unit == q.unit else 0)
            + (0.5 if f.kind == "cell" else 0)
            + 3 * _shared_run(asked, text)
            + 10
        )
        if score > best[0]:
            best = (score, f)
    return best[1]


def _shared_run(asked: str, text: str) -> int:
    """The longest run of Chinese characters the question and the clause share, when three or more:
    工作信息126条 says 公开工作信息 more closely than 主动公开政府信息145条 (general words both)."""
    best = 0
    for run in _CJK_RUN.findall(asked):
        for i in range(len(run)):
            n = best + 1
            while i + n <= len(run) and run[i : i + n] in text:
                best, n = n, n + 1
    return best if best >= 3 else 0


def _carry(text: str, year: int | None) -> str:
    """A carry-over's year said as the year before or after the report's (2023年结转 in a 2024 report is
    上年结转, 结转2025年 is 结转下年度): the template's words, so the question's words find it."""
    if year is None:
        return text
    text = re.sub(rf"{year - 1}\s*年度?(?=结转|转入)", "上年", text)
    return re.sub(rf"(?<=结转)(?:到|至|入)?{year + 1}\s*年度?", "下年度", text)


def _counted(text: str) -> str:
    """What a clause's number counts: after `等` the listed examples end (人事人才等信息327条 counts
    信息, 办事流程等方面的宣传资料150份 counts 宣传资料)."""
    return text.rsplit("等", 1)[-1]


_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:自治县|自治州|县|区|市|省|旗|州|盟|镇|乡|街道)")


def _names(agency: str) -> list[str]:
    """The agency's full name and its place (开阳县, 开阳): what a clause says about who, not what.
    Its kind (统计局) stays: 统计数据 and 健康知识 are figures of a 统计局 and a 卫生健康局."""
    m = _PLACE.match(agency)
    place = m.group(0) if m else ""
    short = re.sub(r"(?:自治县|自治州|县|区|市|省|旗|州|盟|镇|乡|街道)$", "", place)
    return sorted({n for n in (agency, place, short if len(short) >= 2 else "") if n}, key=len, reverse=True)


_NEGATED = ("不予", "不", "未", "无法", "没有", "非")


def _named(word: str, text: str, nouns: list[str]) -> bool:
    """One alternative of the word has every distinctive noun it holds in the text (网站公开: 网站), or
    holds none and is in the text itself (其他|其它: one of them)."""
    held = [(x, [r for r in nouns if r in x]) for x in word.split("|")]
    return any(all(r in text for r in rs) if rs else x in text for x, rs in held)


def _has(word: str, text: str) -> bool:
    """`参训|参会`: one English word, several Chinese ones — any of them will do."""
    return any(w and w in text for w in word.split("|"))


def _says(word: str, text: str, asked: str, zero: bool) -> bool:
    """`_has`, but a word printed only negated (不予公开3件 for 公开) says the opposite of what was
    asked, unless the question negates it too (无法提供) or the clause states that none happened
    (未收到申请 is 0 received)."""
    return any(
        w
        and any(
            zero or not _negated(text, i) or any(_negated(asked, j) for j in _at(w, asked))
            for i in _at(w, text)
        )
        for w in word.split("|")
    )


def _negated(text: str, at: int) -> bool:
    return text[:at].endswith(_NEGATED)


def _at(word: str, text: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), text)]


def _strip(text: str, names: list[str]) -> str:
    """The agency's own name is never evidence: 夏邑县人民政府 shares 政府 with every question. Nor is a
    page's pinyin over its characters (基层政务(wù)公开 says 政务公开)."""
    text = _RUBY.sub("", text)
    for n in names:
        if n:
            text = text.replace(n, " ")
    return text


def closest_sentences(q: Query, facts: list[StoredFact], k: int = 3) -> list[StoredFact]:
    """The stated figures nearest to the question, shown when none is about what was asked."""
    words = set(q.words) | {w for t in q.terms for w in tokenize(t) if len(w) >= 2}
    scored = []
    for f in facts:
        if f.kind == "prose" and f.value is not None:
            shared = words & set(tokenize(f.quote))
            if shared:
                scored.append((sum(len(w) for w in shared), f))
    seen: set[str] = set()
    out = []
    for _, f in sorted(scored, key=lambda x: -x[0]):
        if f.quote not in seen:
            seen.add(f.quote)
            out.append(f)
    return out[:k]


def sentences(text: str) -> list[str]:
    return [m.group(0).strip() for m in _SENTENCE.finditer(text) if m.group(0).strip()]
