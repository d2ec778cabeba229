"""Answers from the report's own words: the passages closest to a question, and for a question
that asks for no figure, the most relevant sentence of each."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .model import Answer, Query, Say

Search = Callable[[str, "str | None", "int | None", int], list[Any]]  # (question, agency, year, k)
_QUESTION_WORDS = re.compile(r"多少|是多少|请问|一共|总共|共有|有几|几|吗|呢|了|的|？|\?|，|。|是否|有没有")
_SENTENCE = re.compile(r"[^。；;！？!?]+[。；;！？!?]?")


def from_passages(q: Query, search: Search | None) -> Answer:
    """Questions that ask for no number get the report's own words, most relevant sentence first."""
    found = closest_passages(q, search, k=3)
    if not found:
        return Answer(q.question, "not_found", None, "", [Say("no_passage")], q.language, q.agency, q.year)
    wanted = _bigrams(q.question) if q.language == "zh" else set()
    for p in found:
        sentences = [m.group(0).strip() for m in _SENTENCE.finditer(p["text"]) if m.group(0).strip()]
        if sentences and wanted:
            p["sentence"] = max(sentences, key=lambda s_: len(wanted & _bigrams(s_)))
        else:
            p["sentence"] = sentences[0] if sentences else p["text"]
    says = [Say("passages_answer", {"agency": q.agency, "year": q.year})]
    says += [Say("sentence", {"passage": p}) for p in found]
    return Answer(q.question, "answered", None, "", says, q.language, q.agency, q.year, passages=found)


def closest_passages(q: Query, search: Search | None, k: int = 3) -> list[dict[str, Any]]:
    """The k passages of the report closest to the question (none without a search)."""
    if search is None:
        return []
    try:
        found = search(q.question, q.agency, q.year, k)
    except Exception:  # retrieval is a help here, never a reason to fail an answer
        return []
    return [
        {
            "document": p.document,
            "agency": p.agency,
            "year": p.year,
            "section": p.section,
            "line_start": p.line_start,
            "line_end": p.line_end,
            "text": p.text,
            "score": round(p.score, 4),
        }
        for p in found
    ]


def _bigrams(text: str) -> set[str]:
    text = _QUESTION_WORDS.sub(" ", text)
    out: set[str] = set()
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out
