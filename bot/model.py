"""The values `answer()` works with: a parsed question and its answer, as data.

An Answer holds no prose: `says` lists what it says as template keys (bot/messages.py) with
their values, and bot/render.py turns it into text for the terminal, JSON and Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Query:
    question: str
    language: str  # zh | en
    agency: str | None = None
    year: int | None = None
    year_note: str = ""  # how a relative year was resolved ("last year" → 2025)
    candidates: list[str] = field(default_factory=list)  # agencies when ambiguous
    other_place: str = ""  # a place (or body at a place) the question names that no stored report is of
    at_place: list[str] = field(default_factory=list)  # what is stored at that place instead
    agency_note: str = ""  # which agency was assumed, when the question names it only in part
    table: str = ""  # t2 | t3 | t4 when a template cell is asked for
    row: str = ""
    column: str = ""
    column_named: bool = False  # the question names the column (else a default was chosen)
    measure: str = ""  # a vocabulary measure (e.g. funding, balance) when no cell is named
    terms: list[str] = field(default_factory=list)  # Chinese words to look for in prose and indicator labels
    unit: str = ""  # the unit the question asks in (多少条 → 条)
    words: list[str] = field(default_factory=list)  # the question's own content words (Chinese)
    must: list[str] = field(default_factory=list)  # words a stated figure's clause must say (the row named)
    unexplained: bool = False  # English words no vocabulary knows (followers, hotline): no stated figure fits


@dataclass
class Say:
    """One thing an answer says: a template of bot/messages.py and the values it is filled with."""

    key: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class Answer:
    question: str
    status: str  # answered | not_found | ambiguous | error
    value: float | int | None
    unit: str
    says: list[Say] = field(default_factory=list)
    language: str = "zh"
    agency: str | None = None
    year: int | None = None
    facts: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    passages: list[dict[str, Any]] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)
    composer: str = "template"
    kind: str = ""  # trend | compare | rank for a table answer (bot/series.py); "" for one figure
    rows: list[dict[str, Any]] = field(default_factory=list)  # a table answer: one row per agency-year
    wording: str = ""  # the LLM's guarded wording; it replaces the template's lines, not their provenance

    @property
    def text(self) -> str:
        """The answer as plain text, rendered by bot/render.py (the one place answers become prose)."""
        from .render import plain

        return plain(self)

    def to_dict(self) -> dict[str, Any]:
        """The `ask --json` object: the answer's data and its plain text."""
        from .render import to_dict

        return to_dict(self)
