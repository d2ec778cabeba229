"""The one renderer: an Answer (data) → text, in the answer's language.

`lines(a)` are the plain-text lines every front end starts from: `ask` prints them (and puts them
in the JSON's `text`), the REPL prints them with a table of the facts used, Telegram turns them
into HTML (bot/render_tg.py), and the LLM composer (bot/compose.py) rewords the lines that are not
provenance. The sentences themselves are data in bot/messages.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ingest.vocab import load

from .messages import (
    CHECK_BARE,
    CHECK_LINE,
    CHECK_WORDS,
    NARRATIVE,
    STATUS_WORD,
    TABLE_NAMES,
    TEMPLATES,
    WHERE,
    Template,
)
from .model import Answer, Say

V = load()
# Lines the LLM composer never rewords: provenance, checks, notes (kept verbatim under its wording).
APPENDIX = re.compile(
    r"^(来源：|Source:|原文：|Quote:|⚠|注：|Note:|（年份|\(Year|（机关|\(Agency|（问题理解为|\(Read as|- “)"
)
_JSON_KEYS = (
    "question",
    "status",
    "value",
    "unit",
    "text",
    "language",
    "agency",
    "year",
    "facts",
    "checks",
    "passages",
    "candidates",
    "composer",
    "kind",
    "rows",
)


# ------------------------------------------------------------------ words for values
def num(v: float | int | None) -> str:
    """12.0 → 12; None → —."""
    if v is None:
        return "—"
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def table_name(code: str) -> str:
    return TABLE_NAMES.get(code, code)


def gloss(table: str, row: str, column: str, row_label: str, column_label: str) -> str:
    """`一、本年新收… (new applications received) · 总计 (total)`: the Chinese label with its English."""

    def en(entries: list[Any], key: str, label: str) -> str:
        e = next((x for x in entries if x.key == key), None)
        word = e.gloss or (e.en[0] if e.en else "") if e is not None else ""
        return f"{label} ({word})" if word else label

    if table not in ("t2", "t3", "t4"):
        return f"{row_label} · {column_label}"
    return f"{en(V.rows(table), row, row_label)} · {en(V.columns(table), column, column_label)}"


def label(f: Mapping[str, Any], zh: bool) -> str:
    """A fact's name: its row·column (glossed in English), or the topic of a sentence."""
    if f.get("kind", "cell") != "cell":
        return str(f.get("topic", ""))
    if zh:
        return f"{f['row_label']}·{f['column_label']}"
    return gloss(f["table"], f["row"], f["column"], f["row_label"], f["column_label"])


def where(f: Mapping[str, Any], zh: bool) -> str:
    """Provenance in words: report, line, and table/row/column or the sentence."""
    if f["kind"] == "cell":
        labels = (
            f"{f['row_label']} · {f['column_label']}"
            if zh
            else gloss(f["table"], f["row"], f["column"], f["row_label"], f["column_label"])
        )
        loc = f"{table_name(f['table'])} · {labels}"
    else:
        loc = NARRATIVE[0 if zh else 1]
    return WHERE[0 if zh else 1].format(document=f["document"], line=f["line"], loc=loc)


def plain_check(c: Mapping[str, Any], zh: bool) -> str:
    """A failed or uncertain check in plain words, with its technical detail after it."""
    i = 0 if zh else 1
    words = CHECK_WORDS.get(c["name"])
    status = STATUS_WORD.get(c["status"], (c["status"], c["status"]))[i]
    if words is None or c["lhs"] is None or c["rhs"] is None:
        return CHECK_BARE[i].format(status=status, detail=c["detail"])
    sentence = words[i].format(lhs=num(c["lhs"]), rhs=num(c["rhs"]))
    return CHECK_LINE[i].format(status=status, sentence=sentence, detail=c["detail"])


# ------------------------------------------------------------------ templates
_FIGURES = ("value", "lhs", "rhs")  # a dict arg's figures: None prints —


def _value(v: Any) -> Any:
    return num(v) if v is None or isinstance(v, (int, float)) and not isinstance(v, bool) else v


def _fields(t: Template, args: Mapping[str, Any], zh: bool) -> dict[str, Any]:
    """The template's fields from a Say's values. A number prints through num(), also inside a dict
    arg (a fact, passage or check; there a missing value/lhs/rhs prints —). A list is joined
    (`t.join`, default 、 / , ) or says `t.empty`; `tables` lists table codes (printed by name, sorted)
    and `span` years (2016–2020). A `fact` arg adds {where} and {label}, a `cell` arg {label}, a
    `check` arg {check} (in plain words), a `passage` arg {excerpt}; `t.choices` add phrases."""
    i = 0 if zh else 1
    out: dict[str, Any] = {}
    for k, v in args.items():
        if isinstance(v, dict):
            out[k] = {kk: _value(vv) if vv is not None or kk in _FIGURES else vv for kk, vv in v.items()}
        elif isinstance(v, (list, tuple, set)):
            items = sorted({table_name(x) for x in v}) if k == "tables" else [_value(x) for x in v]
            if k == "span":
                out[k] = f"{items[0]}–{items[-1]}" if len(items) > 1 else str(items[0])
            elif not items and k in t.empty:
                out[k] = t.empty[k][i]
            else:
                out[k] = t.join.get(k, ("、", ", "))[i].join(map(str, items))
        else:
            out[k] = _value(v)
    if "fact" in args:
        out["where"], out["label"] = where(args["fact"], zh), label(args["fact"], zh)
    if "cell" in args:
        out["label"] = label(args["cell"], zh)
    if "check" in args:
        out["check"] = plain_check(args["check"], zh)
    if "passage" in args:
        out["excerpt"] = str(args["passage"]["text"])[:160]
    for name, (arg, phrases) in t.choices.items():
        value = args.get(arg)
        pair = phrases.get(value, phrases.get("*"))
        out[name] = pair[i] if pair is not None else value
    return out


def say(s: Say, zh: bool) -> str:
    t = TEMPLATES[s.key]
    return (t.zh if zh else t.en).format(**_fields(t, s.args, zh))


def phrase(key: str, language: str, **args: Any) -> str:
    """One template outside an answer (a row's note, the REPL's retraction)."""
    return say(Say(key, args), language == "zh")


# ------------------------------------------------------------------ answers
def template_lines(a: Answer) -> list[str]:
    """The template answer, line by line (the LLM composer's draft and appendix come from these)."""
    zh = a.language == "zh"
    out: list[str] = []
    for s in a.says:
        if s.key == "rows":
            out += table_rows(a, zh, **s.args)
        else:
            out += say(s, zh).split("\n")
    return out


def lines(a: Answer) -> list[str]:
    """What the answer says: the template's lines, or the LLM's wording above the template's provenance."""
    out = template_lines(a)
    if a.wording:
        return [*a.wording.split("\n"), *(ln for ln in out if APPENDIX.match(ln))]
    return out


def plain(a: Answer) -> str:
    return "\n".join(lines(a))


def heading(a: Answer) -> str:
    """The first line: a table answer's title (charts, Telegram's summary and photo caption)."""
    return next(iter(plain(a).splitlines()), "")


def to_dict(a: Answer) -> dict[str, Any]:
    """`ask --json`: the same keys as ever, `text` rendered here."""
    d = {k: getattr(a, k) for k in _JSON_KEYS if k != "text"}
    d["text"] = plain(a)
    return {k: d[k] for k in _JSON_KEYS}


def table_rows(a: Answer, zh: bool, kind: str = "", many_years: bool = False) -> list[str]:
    """One numbered line per row of a table answer, its cited cells and failed checks under it."""
    lang = a.language
    out: list[str] = []
    for i, d in enumerate(a.rows, 1):
        who = (
            phrase("row_year", lang, year=d["year"])
            if kind == "trend"
            else phrase("row_agency_year", lang, agency=d["agency"], year=d["year"])
            if many_years
            else d["agency"]
        )
        if d["status"] == "stated":
            value = phrase("row_value", lang, value=d["value"], unit=d["unit"]).rstrip()
            extra = [x for x in (d["formula"], d["note"]) if x]
            value += phrase("row_extra", lang, extra=extra) if extra else ""
        elif d["note"]:
            value = phrase("row_note", lang, note=d["note"])
        else:
            value = phrase("row_not_stated", lang, status=d["status"])
        out.append(phrase("row", lang, i=i, who=who, value=value))
        for f in d["facts"][:4]:
            quote = f["quote"] if len(f["quote"]) <= 80 else f["quote"][:80] + "…"
            out.append(phrase("row_source", lang, where=where(f, zh), excerpt=quote))
        if len(d["facts"]) > 4:
            out.append(phrase("row_more", lang, n=len(d["facts"]) - 4))
        out += [phrase("row_check", lang, check=c) for c in d["checks"][:3]]
    return out


# ------------------------------------------------------------------ the terminal
def facts_table(facts: list[dict[str, Any]]) -> str:
    """A small aligned table: value, unit, where, line."""
    rows = []
    for f in facts:
        at = f"{f['table']} {f['row']} {f['column']}" if f["kind"] == "cell" else f"prose: {f['topic']}"
        value = "∅" if f["value"] is None else str(f["value"])
        rows.append((value + f["unit"], at, f"{f['document']}:{f['line']}"))
    if not rows:
        return ""
    widths = [max(_width(r[i]) for r in rows) for i in range(3)]
    return "\n".join(
        "  " + "  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths)).rstrip() for r in rows
    )


def _width(text: str) -> int:
    """Terminal columns: a Chinese character takes two."""
    from wcwidth import wcswidth

    return max(wcswidth(text), len(text))


def sources(facts: list[dict[str, Any]]) -> str:
    """The REPL's :sources: each fact's report, line, table/row/column, printed text and quote."""
    if not facts:
        return "(no facts behind the last answer)"
    out = []
    for f in facts:
        at = (
            f"{f['table']} / {f['row_label']} / {f['column_label']}"
            if f["kind"] == "cell"
            else f"text: {f['topic']}"
        )
        out.append(f"- {f['agency']} {f['year']} · {f['document']} line {f['line']} · {at}")
        out.append(f"  raw: {f['raw']!r}  quote: “{f['quote']}”")
    return "\n".join(out)
