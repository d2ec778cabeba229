"""Question → Query: which agency, which year, which figure. Chinese or English.

Agencies are resolved against what is ingested (bot/agencies.py); figures come from the
vocabulary in ingest/vocab.toml.
"""
from __future__ import annotations

import re
from datetime import date

from ingest.vocab import Entry, load

from .agencies import Resolver, place_named
from .model import Query

V = load()
_CJK = re.compile(r"[\u4e00-\u9fff]")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_UNIT_ASKED = re.compile(r"多少\s*(条|件|次|篇|项|个|人次|人|万元|元|份|家|名)|几\s*(条|件|次|篇|项|个|人)")


def _language(question: str) -> str:
    return "zh" if _CJK.search(question) else "en"


def _year(question: str, today: date) -> tuple[int | None, str]:
    q = question.lower()
    m = _YEAR.search(question)
    if m:
        return int(m.group(1)), ""
    for words, delta in ((("去年", "last year", "previous year"), 1), (("前年", "year before last"), 2), (("今年", "this year"), 0)):
        for w in words:
            if w in q:
                return today.year - delta, f"“{w}” read as {today.year - delta}"
    return None, ""


def _best(entries: list[Entry], text: str, language: str) -> tuple[float, Entry | None]:
    """The entry with the longest synonym found in the text (Chinese words count in any language)."""
    best: tuple[float, Entry | None] = (0, None)
    low = " " + re.sub(r"[^a-z0-9'\-]+", " ", text.lower()) + " "
    for e in entries:
        bonus = 0.5 if e.parent else 0.0  # 国家秘密 under 不予公开: the sub-item is the more specific
        scores = [len(w) * 2 + bonus for w in e.zh if w and w in text]
        scores += [len(w.split()) * 3 + len(w) // 6 + bonus for w in e.en if f" {w} " in low]
        scores += [1.0 for w in e.weak if (w in text if _CJK.search(w) else f" {w} " in low)]
        if scores and max(scores) > best[0]:
            best = (max(scores), e)
    return best


def understand(question: str, agencies: Resolver, today: date | None = None) -> Query:
    today = today or date.today()
    language = _language(question)
    q = Query(question=question, language=language)
    q.year, q.year_note = _year(question, today)
    r = agencies.resolve(question)
    q.agency, q.candidates, q.at_place = r.agency, r.candidates, r.at_place
    if r.assumed:
        q.agency_note = (f"“{r.assumed}”按{r.agency}理解，已存储的报告中只有它符合" if language == "zh" else
                         f"“{r.assumed}” taken to mean {r.agency}, the only stored agency it fits")
    q.other_place = r.missing or (place_named(question) if q.agency is None and not q.candidates else "")
    text = question
    for start, end in sorted(r.spans, reverse=True):  # the words that name the agency are not the figure asked for
        text = text[:start] + " " + text[end:]
    text = _YEAR.sub(" ", text)
    m = _UNIT_ASKED.search(text)
    if m:
        q.unit = m.group(1) or m.group(2)
    figure(q, text)
    return q


def figure(q: Query, text: str) -> None:
    """Map the words of a question onto a template cell, or a measure and words to search for."""
    scores = {t: _best([e for e in V.rows(t) if not e.group or e.zh], text, q.language) for t in ("t2", "t3", "t4")}
    measures = [Entry(m["key"], m["key"], (), tuple(m["zh"]), tuple(m["en"])) for m in V.tables["measures"]]
    m_score, measure = _best(measures, text, q.language)
    table, (score, row) = max(scores.items(), key=lambda kv: kv[1][0])
    kinds = {m["key"]: m.get("question", False) for m in V.tables["measures"]}
    if measure is not None and (m_score > score or kinds[measure.key]):
        q.measure = measure.key
        q.terms = list(measure.zh) if q.language == "en" else [text]
        return
    if row is None:
        q.terms = [text] if q.language == "zh" else []
        return
    q.table, q.row = table, row.key
    cols = V.columns(table)
    _, col = _best(cols, text, q.language)
    if table == "t2":
        defaults = V.tables["t2_default_columns"].get(row.key, [])
        q.column = col.key if col is not None else (defaults[0] if defaults else "")
        q.column_named = col is not None
        q.terms = [row.label] + ([col.label] if col is not None else [])
    else:
        q.column = col.key if col is not None else "total"
        q.terms = list(row.zh + row.weak)  # if the cell is missing, prose must say the same thing
