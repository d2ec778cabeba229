"""Answers as Telegram HTML: everything from the reports escaped, split at line boundaries under
Telegram's 4096-character limit (counted in UTF-16 units, as Telegram counts).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from .messages_tg import TG, TG_HELP, TG_QUALIFIERS, TG_SUMMARY
from .model import Answer
from .render import heading, num, plain, table_name

TEXT_LIMIT = 4000  # under Telegram's 4096 (MessageLimit.MAX_TEXT_LENGTH), in UTF-16 units of the HTML source
Line = tuple[str, str]  # (style: '' | 'b' | 'i' | 'code', plain text)


def tg_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _wrap(style: str, text: str) -> str:
    body = html.escape(text, quote=False)
    return f"<{style}>{body}</{style}>" if style and text else body


def _cut(style: str, text: str, limit: int) -> list[str]:
    """One line as HTML pieces of at most `limit` (a line is cut only when it alone is too long)."""
    whole = _wrap(style, text)
    if tg_len(whole) <= limit:
        return [whole]
    budget = limit - tg_len(_wrap(style, "x")) + 1
    pieces: list[str] = []
    cur: list[str] = []
    n = 0
    for ch in text:
        w = tg_len(html.escape(ch, quote=False))
        if cur and n + w > budget:
            pieces.append(_wrap(style, "".join(cur)))
            cur, n = [], 0
        cur.append(ch)
        n += w
    if cur:
        pieces.append(_wrap(style, "".join(cur)))
    return pieces


def split_html(lines: Iterable[Line], limit: int = TEXT_LIMIT) -> list[str]:
    """Lines → HTML messages of at most `limit` UTF-16 units, broken between lines. Tags never span lines."""
    messages: list[str] = []
    cur: list[str] = []
    size = 0
    for style, text in lines:
        for piece in _cut(style, text, limit):
            n = tg_len(piece)
            if cur and size + 1 + n > limit:
                messages.append("\n".join(cur))
                cur, size = [], 0
            size += n + (1 if cur else 0)
            cur.append(piece)
    if cur:
        messages.append("\n".join(cur))
    return [m.strip("\n") for m in messages if m.strip()]


def answer_lines(a: Answer) -> list[Line]:
    """The answer's lines (bot/render.py), its first line bold."""
    text = plain(a).splitlines() or [TG["empty_answer"]]  # as the text reads, line by line
    return [("b", text[0])] + [("", line) for line in text[1:]]


def _fact_lines(i: int, f: dict[str, Any]) -> list[Line]:
    who = " ".join(str(x) for x in (f.get("agency"), f.get("year")) if x)
    out: list[Line] = [("", ""), ("b", f"{i}. {who}" if who else f"{i}.")]
    out.append(("", TG["report"].format(document=f.get("document", "?"))))
    if f.get("kind") == "cell":
        out.append(("", TG["table"].format(table=table_name(f.get("table") or ""))))
        out.append(("", TG["row"].format(row=f.get("row_label") or f.get("row"))))
        out.append(("", TG["column"].format(column=f.get("column_label") or f.get("column"))))
    else:
        out.append(("", TG["narrative"].format(topic=f.get("topic") or "").rstrip()))
    value = f"{num(f.get('value'))}{f.get('unit') or ''}"
    raw = f.get("raw")
    qual = TG_QUALIFIERS.get(f.get("qualifier") or "", f.get("qualifier") or "")
    extra = "; ".join(x for x in (TG["printed"].format(raw=raw) if raw not in (None, "") else "", qual) if x)
    out.append(("", TG["value"].format(value=value) + (f" ({extra})" if extra else "")))
    out.append(("", TG["line"].format(line=f.get("line"))))
    out.append(("i", f"“{f.get('quote', '')}”"))
    return out


def source_lines(a: Answer) -> list[Line]:
    """The full provenance of one answer: report, table, row, column, value, line, quoted line."""
    out: list[Line] = [("b", TG["sources"]), ("i", TG["question"].format(question=a.question))]
    if not (a.facts or a.checks or a.passages):
        out.append(("", TG["no_citation"]))
    for i, f in enumerate(a.facts, 1):
        out += _fact_lines(i, f)
    if a.checks:
        out += [("", ""), ("b", TG["checks"])]
        for c in a.checks:
            at = f" ({c.get('document')}:{c.get('line')})" if c.get("document") else ""
            out.append(("", TG["check"].format(status=c.get("status"), detail=c.get("detail"), at=at)))
    if a.passages:
        out += [("", ""), ("b", TG["passages"])]
        for p in a.passages:
            out.append(
                (
                    "",
                    TG["passage"].format(
                        document=p.get("document"), start=p.get("line_start"), end=p.get("line_end")
                    ),
                )
            )
            out.append(("i", str(p.get("text", ""))[:600]))
    return out


def table_summary(a: Answer, shown: int = 5) -> list[Line]:
    """A long table answer in a few lines: its heading and first rows; the rest goes in the CSV."""
    i = 0 if a.language == "zh" else 1
    out: list[Line] = [("b", heading(a))]
    for n, r in enumerate(a.rows[:shown], 1):
        value = f"{num(r['value'])}{r['unit']}" if r["value"] is not None else TG_SUMMARY["not_stated"][i]
        out.append(
            ("", TG_SUMMARY["summary_row"][i].format(i=n, agency=r["agency"], year=r["year"], value=value))
        )
    out.append(("i", TG_SUMMARY["summary_more"][i].format(n=len(a.rows))))
    return out


def text_lines(text: str) -> list[Line]:
    """A fixed text of several lines, plain."""
    return [("", line) for line in text.splitlines()]


HELP: list[Line] = TG_HELP
APOLOGY = TG["apology"]
