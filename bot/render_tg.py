"""Answers as Telegram HTML: everything from the reports escaped, split at line boundaries under
Telegram's 4096-character limit (counted in UTF-16 units, as Telegram counts).
"""
from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from .model import Answer

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
    pieces, cur, n = [], [], 0
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
    lines = a.text.splitlines() or ["（空回答 / empty answer）"]
    return [("b", lines[0])] + [("", line) for line in lines[1:]]


def _num(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def table_name(code: str) -> str:
    try:
        from .answer import TABLE_NAMES

        return TABLE_NAMES.get(code, code)
    except Exception:
        return code


_QUALIFIERS = {"more_than": "余/多 (more than)", "empty": "空 (empty cell)", "slash": "“/”", "unresolved": "无法唯一读出 (unresolved)",
               "negation": "否定 (negated)"}


def source_lines(a: Answer) -> list[Line]:
    """The full provenance of one answer: report, table, row, column, value, line, quoted line."""
    out: list[Line] = [("b", "来源 / Sources"), ("i", f"问题 / Question: {a.question}")]
    if not (a.facts or a.checks or a.passages):
        out.append(("", "这个回答没有引用报告中的数字。/ This answer cites no figure from a report."))
    for i, f in enumerate(a.facts, 1):
        out.append(("", ""))
        who = " ".join(str(x) for x in (f.get("agency"), f.get("year")) if x)
        out.append(("b", f"{i}. {who}" if who else f"{i}."))
        out.append(("", f"报告 / Report: {f.get('document', '?')}"))
        if f.get("kind") == "cell":
            out.append(("", f"表 / Table: {table_name(f.get('table') or '')}"))
            out.append(("", f"行 / Row: {f.get('row_label') or f.get('row')}"))
            out.append(("", f"列 / Column: {f.get('column_label') or f.get('column')}"))
        else:
            out.append(("", f"正文 / Narrative text: {f.get('topic') or ''}".rstrip()))
        value = f"{_num(f.get('value'))}{f.get('unit') or ''}"
        raw = f.get("raw")
        qual = _QUALIFIERS.get(f.get("qualifier") or "", f.get("qualifier") or "")
        extra = "; ".join(x for x in (f"原文数字 printed “{raw}”" if raw not in (None, "") else "", qual) if x)
        out.append(("", f"值 / Value: {value}" + (f" ({extra})" if extra else "")))
        out.append(("", f"第{f.get('line')}行 / Line {f.get('line')}:"))
        out.append(("i", f"“{f.get('quote', '')}”"))
    if a.checks:
        out.append(("", ""))
        out.append(("b", "核对 / Checks"))
        for c in a.checks:
            where = f" ({c.get('document')}:{c.get('line')})" if c.get("document") else ""
            out.append(("", f"• {c.get('status')} — {c.get('detail')}{where}"))
    if a.passages:
        out.append(("", ""))
        out.append(("b", "段落 / Passages"))
        for p in a.passages:
            out.append(("", f"• {p.get('document')} 第{p.get('line_start')}–{p.get('line_end')}行 / lines {p.get('line_start')}–{p.get('line_end')}:"))
            out.append(("i", str(p.get("text", ""))[:600]))
    return out


def table_summary(a: Answer, shown: int = 5) -> list[Line]:
    """A long table answer in a few lines: its heading and first rows; the rest goes in the CSV."""
    lines = a.text.splitlines()
    out: list[Line] = [("b", lines[0])]
    zh = a.language == "zh"
    for i, r in enumerate(a.rows[:shown], 1):
        value = f"{_num(r['value'])}{r['unit']}" if r["value"] is not None else ("未载明" if zh else "not stated")
        out.append(("", f"{i}. {r['agency']} {r['year']}：{value}" if zh else f"{i}. {r['agency']} {r['year']}: {value}"))
    out.append(("i", f"共 {len(a.rows)} 行，完整表格（含出处）见 CSV 文件。" if zh else
                f"{len(a.rows)} rows; the whole table with sources is in the CSV file."))
    return out


HELP = [
    ("b", "xxgk — 政府信息公开工作年度报告问答"),
    ("", "用中文或英文提问。数字只取自已导入的报告，并注明出处：报告、表格、行、列和原文。"),
    ("", "Ask in Chinese or English. Every figure is looked up in an ingested report and comes with its source: report, table, row, column and the quoted line."),
    ("", ""),
    ("b", "例子 / Examples"),
    ("", "• 夏邑县2020年收到多少政府信息公开申请？"),
    ("", "• 霍邱县民政局2020年主动公开了多少条政府信息？"),
    ("", "• 夏邑县2020年表三平衡吗？"),
    ("", "• How many information disclosure applications did Xiayi receive in 2020?"),
    ("", "• How many applications did Xigong district civil affairs bureau carry over in 2020?"),
    ("", "• 夏邑县2018-2021年收到多少申请？ · 2020年各县民政局收到申请排名 · 夏邑县2020年公开率"),
    ("", ""),
    ("b", "命令 / Commands"),
    ("", "/reports — 已导入的机关和年份 / agencies and years ingested"),
    ("", "/check 机关 年份 — 该报告未通过的核对 / that report's failed checks, e.g. /check 夏邑县 2020"),
    ("", "/source — 上一个回答的完整出处 / full provenance of the last answer"),
    ("", "/chart — 把上一个表格回答（趋势、对比、排名）画成图 / a chart of the last trend, compare or rank answer"),
    ("", "/help — 本说明 / this help"),
    ("", ""),
    ("", "每个回答下的“来源 / Sources”按钮显示该回答的出处。/ The “来源 / Sources” button under an answer shows where it comes from."),
]

APOLOGY = "抱歉，处理这条消息时出错了，请稍后再试。\nSorry — something went wrong with this message. Please try again later."
REFUSAL = ("抱歉，这个机器人只为指定的聊天提供服务。\nSorry, this bot only answers in approved chats.\n"
           "(chat id: {chat_id} — 管理员可把它加入 XXGK_TELEGRAM_ALLOWED_CHATS / an admin can add it to XXGK_TELEGRAM_ALLOWED_CHATS)")
SLOW_DOWN = "请慢一点：这个聊天的提问太快了，请 {seconds} 秒后再问。\nPlease slow down: too many questions from this chat; try again in {seconds} s."
