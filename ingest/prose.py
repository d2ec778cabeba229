"""Numbers stated in the narrative, each with its sentence as evidence and a normalised topic.

A prose number is a figure with a counting or money unit (`432 条`, `14件`, `10余篇`,
`约1.4万元`, `3场`, `2批次`; one to ten in Chinese ending a clause, `申请一件。`); years, dates,
document numbers and phone numbers have none and are left out. Each fact keeps where its number
starts in its sentence (`offset`), so an answer quotes the clause of that number and never
finds its digits inside a year. Statements that a count is zero without a digit
(`本局未收到依申请公开申请`, `没有因政府信息公开提起行政复议情况`) become 0-facts with
qualifier `negation`, for applications and reconsideration/lawsuits only (the negations and
verbs are vocab.toml's [zero]); their topic is the clause up to the statement, so the subject
(`行政复议申请`) is kept and `申请人` is never read as one. The first figure after a heading on
its own line (`（一）主动公开情况`), when it is a total (`全年…共公开信息314条`, never `其中…`),
keeps that heading as its `column_label`: the figure the heading names.
"""

from __future__ import annotations

import re

from .model import Document, Fact
from .numbers import UNITS, to_number
from .vocab import load

_UNIT_RE = "|".join(map(re.escape, UNITS))
_NUMBER = re.compile(
    rf"((?<![最附将])近|约|超过)?(?<![\d.〔\[第·+\-—－:/])(\d[\d,]*(?:\.\d+)?)\s*(余|多)?\s*({_UNIT_RE})(?![\d])"
)
_BEFORE = {"约": "about", "近": "nearly", "超过": "more_than"}
# 收到申请一件。: one to ten in Chinese ending a clause (一件事, 一次性, 第三十四条 are no count)
_ZH_COUNT = re.compile(
    r"(?<![第每这那哪同逐任统唯一二两三四五六七八九十百千零〇])([一二两三四五六七八九十])(件|条|起|宗|项)"
    r"(?=[，,。；;）)]|$)"
)
_ZH_DIGIT = {c: i for i, c in enumerate("一二三四五六七八九十", 1)} | {"两": 2}
_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")
_CLAUSE_SPLIT = re.compile(r"[，,；;。、]")
_FILLER = re.compile(
    r"^(?:其中|同时|另外|此外|全年|本年度?|今年|年内|共计?|累计|总计|合计|我局|本局|我县|本县|我区|本区|我市|本市|我委|本委|我办|本机关|"
    r"\d{4}\s*年度?|截至\S*?|截止\S*?|[,，:：\s]|\(|\)|（|）)+"
)
_TAIL = re.compile(r"(?:达到|达|为|是|有|共|等|约|近|超过|计)+$")
_TOTAL = re.compile(r"共|累计|总计|合计|全年")
# a heading on its own line: (一)主动公开情况, 二、主动公开政府信息情况
_HEADING = re.compile(
    r"^(?:[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．])\s*([\u4e00-\u9fff、]{2,20})$"
)


def _zero_statements() -> list[re.Pattern[str]]:
    """The shapes of a count stated as zero, their words from vocab.toml's [zero]."""
    zero = load().tables["zero"]
    neg, received, appeals = ("|".join(zero[k]) for k in ("negations", "applications", "appeals"))
    when = "|".join(zero["clause_times"])  # 全年无…, 2023年度无…: the year the clause is of
    start = rf"(?:^|(?<=[，,；;：:]))\s*(?:(?:{when})\s*)?(?:{'|'.join(zero['clause_negations'])})"
    said = rf"(?:(?:{neg})|{start})(?:因[^。；，,]{{0,20}}?)?被?"
    return [
        re.compile(
            rf"{said}(?:{received})[^。；，,]{{0,30}}申请(?!人)|{start}(?!因|法|需|须)[^。；，,]{{0,12}}申请(?!人)"
        ),
        re.compile(r"没有任何[^。；]{0,30}?(?:提出|提交)[^。；，,]{0,12}?申请(?!人)"),
        re.compile(rf"{said}(?:{appeals})[^。；，,]{{0,30}}?(?:行政复议|行政诉讼)[^。；，,]{{0,6}}"),
    ]


_NEGATIONS = _zero_statements()


def topic_of(clause: str, start: int, end: int) -> str:
    """The noun phrase a number counts: the words before it in its clause (or after it)."""
    before = clause[:start].replace("：", "").replace(":", "")
    topic = _TAIL.sub("", _FILLER.sub("", before.strip())).strip()
    if len(topic) < 2:
        after = clause[end:].strip("，,：: ")
        topic = _FILLER.sub("", after).strip() or topic
    return topic


def _clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    begin = max((c.end() for c in _CLAUSE_SPLIT.finditer(sentence, 0, start)), default=0)
    nxt = _CLAUSE_SPLIT.search(sentence, end)
    return begin, nxt.start() if nxt else len(sentence)


def extract_prose(doc: Document) -> list[Fact]:
    facts: list[Fact] = []
    heading, first = "", 0
    for row in doc.rows:
        if row.in_table or len(row.cells) != 1:
            continue
        text = row.cells[0].text
        line = row.cells[0].line or row.line
        h = _HEADING.match(text.strip())
        if h:
            heading, first = h.group(1), len(facts)
            continue
        for sm in _SENTENCE.finditer(text):
            sentence = sm.group(0).strip()
            for m in _NUMBER.finditer(sentence):
                a, b = _clause_bounds(sentence, m.start(2), m.end())
                topic = topic_of(sentence[a:b], m.start() - a, m.end() - a)
                qualifier = "more_than" if m.group(3) else _BEFORE.get(m.group(1) or "", "")
                raw = m.group(2) + (m.group(3) or "")
                value = to_number(m.group(2))
                facts.append(_fact(topic, value, m.group(4), raw, qualifier, line, sentence, m.start(2)))
            for m in _ZH_COUNT.finditer(sentence):
                a, b = _clause_bounds(sentence, m.start(), m.end())
                topic = topic_of(sentence[a:b], m.start() - a, m.end() - a)
                value = _ZH_DIGIT[m.group(1)]
                facts.append(_fact(topic, value, m.group(2), m.group(1), "", line, sentence, m.start()))
            for pat in _NEGATIONS:
                for m in pat.finditer(sentence):
                    a, _ = _clause_bounds(sentence, m.start(), m.end())
                    subject = _FILLER.sub("", sentence[a : m.end()].strip()) or m.group(0)
                    facts.append(_fact(subject, 0, "件", m.group(0), "negation", line, sentence, m.start()))
        if heading and len(facts) > first:  # the section's opening total is what its heading is about
            f = facts[first]
            if _TOTAL.search(f.quote[: f.offset]) and "其中" not in f.quote[: f.offset]:
                f.column_label = heading
            heading = ""
    return facts


def _fact(
    topic: str, value: int | float, unit: str, raw: str, qualifier: str, line: int, sentence: str, offset: int
) -> Fact:
    return Fact(
        kind="prose",
        table="",
        row="",
        column="",
        topic=topic,
        row_label="",
        column_label="",
        value=value,
        unit=unit,
        raw=raw,
        qualifier=qualifier,
        line=line,
        quote=sentence,
        offset=offset,
    )
