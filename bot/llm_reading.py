"""A model's reading of an unclear question, used only where the question's own words back it: the
agency's words must be in the question and name that agency's place, the year's words must read as
that year. So the model can point at what the user said, never add to it."""

from __future__ import annotations

import json
import logging
import re
from decimal import Decimal
from typing import Any

from ingest.numbers import numbers

from .model import Answer

log = logging.getLogger("xxgk.llm")


def with_agency(
    a: Answer, question: str, parsed: dict[str, Any], places: dict[str, str | None], store: Any
) -> str | None:
    """`question` with the words the model quotes for the agency replaced by its name; None when
    they are not in the question or do not name that agency's place."""
    from .agencies import resolver_for

    name, ev = parsed.get("agency"), parsed.get("agency_evidence")
    if not (
        isinstance(name, str)
        and name in places
        and isinstance(ev, str)
        and ev.strip()
        and ev in a.question
        and names_place(ev, places[name])
    ):
        log.info("xxgk: LLM query reading not used (agency %r, evidence %r)", name, ev)
        return None
    return question.replace(ev, name if a.language == "zh" else resolver_for(store).english_name(name), 1)


def with_year(original: str, question: str, parsed: dict[str, Any]) -> str | None:
    """`question` with the words the model quotes for the year replaced by it; None when they are
    not in the question or do not read as that year."""
    raw, ev = parsed.get("year"), parsed.get("year_evidence")
    if not (isinstance(raw, int) or (isinstance(raw, str) and raw.strip().isdigit())):
        return None
    year = int(raw)
    if not (
        isinstance(ev, str)
        and ev in original
        and Decimal(year) in {n.value for n in numbers(ev)}
        and 1990 <= year <= 2100
    ):
        log.info("xxgk: LLM query reading not used (year %r, evidence %r)", year, ev)
        return None
    return question.replace(ev, f"{year}年" if ev.endswith("年") else f" {year} ", 1)


def json_object(text: str) -> dict[str, Any] | None:
    m = re.search(r"\{.*\}", text, re.S)
    if not m:
        return None
    try:
        obj = json.loads(m.group(0))
    except json.JSONDecodeError:
        return None
    return obj if isinstance(obj, dict) else None


def names_place(evidence: str, place: str | None) -> bool:
    """Do these words of the question name this agency's place (夏邑, 下邑县 for 夏邑县; Xiayi)?"""
    from .agencies import pinyin, short_place

    if not place:
        return False
    if re.search(r"[\u4e00-\u9fff]", evidence):
        return any(place[i : i + 2] in evidence for i in range(len(place) - 1))
    letters = re.sub(r"[^a-z]", "", evidence.lower())
    return any(" " not in py and py in letters for py in pinyin(short_place(place) or place))
