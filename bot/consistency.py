"""Consistency questions (是否一致, 对得上吗, does it add up, does the text match the table).

The question is routed to the stored check of the relation it names — 表四's totals, the
applicant columns, the outcome rows, the parts listed after 其中, 受理 against 办结, the text
against the table, last year's carry-over — and only then to the 表三 balance. The answer gives
the number asked and the check's result; a mismatch is said as 不一致 / does not match, with both
sides and their lines, and the JSON `checks` list carries every check the answer speaks about.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from index.store import StoredCheck, StoredFact
from ingest.vocab import load

from .figures import best_entry, stems
from .model import Answer, Query

V = load()
_ORDER = {"FAIL": 0, "UNCERTAIN": 1, "PASS": 2}
RESULT = {
    "PASS": ("一致", "matches"),
    "FAIL": ("不一致", "does not match"),
    "UNCERTAIN": ("无法确认", "cannot be confirmed"),
}


def _named(entry: dict[str, Any], text: str) -> bool:
    low = stems(text)
    return any(w in text for w in entry["zh"]) or any(stems(w) in low for w in entry["en"])


def relation(question: str) -> set[str]:
    """The check names the question's relation stands for; empty: the 表三 balance."""
    named = [e for e in V.tables["consistency"] if _named(e, question)]
    topic = next((set(e["checks"]) for e in named if not e.get("text")), set())  # the most specific one
    text = next((set(e["checks"]) for e in named if e.get("text")), None)
    chosen = topic
    if text is not None:
        return (chosen & text) or (chosen if chosen else text)
    return {
        n for n in chosen if not n.startswith("prose")
    } or chosen  # the tables' own unless the text is named


def _num(v: float | int | None) -> str:
    if v is None:
        return "—"
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def answer_consistency(q: Query, facts: list[StoredFact], checks: list[StoredCheck]) -> Answer:
    zh = q.language == "zh"
    names = relation(q.question)
    if names <= {"balance"}:
        return balance(q, facts, checks)
    _, col, _ = best_entry(V.columns("t3"), q.question)
    found = [c for c in checks if c.name in names]
    if col is not None and col.key != "total":
        found = [c for c in found if c.column == col.key] or found
    _, row, _ = best_entry(V.rows("t4"), q.question)
    if row is not None:  # 行政诉讼 only: its checks, not reconsideration's
        keys = {row.key, *row.sum_of, "行政复议" if row.key == "reconsideration" else "行政诉讼"}
        found = [c for c in found if c.column in keys] or found
    found.sort(key=lambda c: (_ORDER.get(c.status, 3), c.column != "total"))  # failures, then the 总计 column
    if not found:
        text = (
            f"{q.agency}{q.year}年的报告中没有可做这项核对的数字。"
            if zh
            else f"The {q.year} report of {q.agency} has no figures to make this check with."
        )
        return Answer(q.question, "not_found", None, "", text, q.language, q.agency, q.year)
    lines = []
    for c in found[:5]:
        word = RESULT.get(c.status, (c.status, c.status))[0 if zh else 1]
        sides = f"{_num(c.lhs)} 与 {_num(c.rhs)}" if zh else f"{_num(c.lhs)} vs {_num(c.rhs)}"
        flag = "" if c.status == "PASS" else "⚠ "  # a flagged line is kept word for word by the LLM composer
        lines.append(
            f"{flag}{q.agency}{q.year}年：{sides} {word}（{c.status}）。{c.detail}"
            if zh
            else f"{flag}{q.agency} ({q.year}): {sides} — {word} ({c.status}). {c.detail}"
        )
    top = found[0]
    value = top.rhs if top.rhs is not None else top.lhs
    return Answer(
        q.question,
        "answered",
        value,
        "",
        "\n".join(lines),
        q.language,
        q.agency,
        q.year,
        checks=[asdict(c) for c in found[:5]],
    )


def balance(q: Query, facts: list[StoredFact], checks: list[StoredCheck]) -> Answer:
    """一 本年新收 + 二 上年结转 = 三(七)总计 + 四 结转下年度, with every cell cited."""
    from .answer import _fact_dict as fact_dict
    from .answer import plain_check, where

    zh = q.language == "zh"
    col = q.column or "total"
    bal = [c for c in checks if c.name == "balance" and c.column == col]
    if not bal or bal[0].lhs is None:
        text = "报告中没有可核对的表三。" if zh else "The report has no table 三 to check."
        return Answer(
            q.question,
            "not_found",
            None,
            "件",
            text,
            q.language,
            q.agency,
            q.year,
            checks=[asdict(c) for c in bal],
        )
    c = bal[0]
    keys = {("t3", r, col) for r in ("new", "carried_over", "total_handled", "carried_forward")}
    used = [f for f in facts if (f.table, f.row, f.column) in keys]
    word = RESULT.get(c.status, (c.status, c.status))
    n = {f.row: _num(f.value) for f in used}
    new, over, done, fwd = (
        n.get(k, "—") for k in ("new", "carried_over", "total_handled", "carried_forward")
    )
    text = (
        f"{q.agency}{q.year}年表三：一 本年新收 {new} + 二 上年结转 {over} = {_num(c.lhs)}；"
        f"三(七)总计 {done} + 四 结转下年度 {fwd} = {_num(c.rhs)}。{word[0]}（{c.status}）。"
        if zh
        else f"{q.agency} {q.year}, table 三: new {new} + carried over {over} = {_num(c.lhs)}; "
        f"handled (七)总计 {done} + carried forward {fwd} = {_num(c.rhs)}: {word[1]} ({c.status})."
    )
    text += "\n" + "\n".join(where(f, zh) for f in used)
    if c.status != "PASS":
        text += "\n" + plain_check(c, zh)
    return Answer(
        q.question,
        "answered",
        c.lhs,
        "件",
        text,
        q.language,
        q.agency,
        q.year,
        [fact_dict(f) for f in used],
        [asdict(c)],
    )
