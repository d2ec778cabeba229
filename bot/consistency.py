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
from .model import Answer, Query, Say

V = load()
_ORDER = {"FAIL": 0, "UNCERTAIN": 1, "PASS": 2}


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


def answer_consistency(q: Query, facts: list[StoredFact], checks: list[StoredCheck]) -> Answer:
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
    at = {"agency": q.agency, "year": q.year}
    if not found:
        return Answer(
            q.question, "not_found", None, "", [Say("no_check_figures", at)], q.language, q.agency, q.year
        )
    says = [Say("relation", {**at, "relation": asdict(c), "status": c.status}) for c in found[:5]]
    top = found[0]
    value = top.rhs if top.rhs is not None else top.lhs
    return Answer(
        q.question,
        "answered",
        value,
        "",
        says,
        q.language,
        q.agency,
        q.year,
        checks=[asdict(c) for c in found[:5]],
    )


def balance(q: Query, facts: list[StoredFact], checks: list[StoredCheck]) -> Answer:
    """一 本年新收 + 二 上年结转 = 三(七)总计 + 四 结转下年度, with every cell cited."""
    from .answer import fact_dict

    col = q.column or "total"
    bal = [c for c in checks if c.name == "balance" and c.column == col]
    if not bal or bal[0].lhs is None:
        return Answer(
            q.question,
            "not_found",
            None,
            "件",
            [Say("no_table3")],
            q.language,
            q.agency,
            q.year,
            checks=[asdict(c) for c in bal],
        )
    c = bal[0]
    keys = {("t3", r, col) for r in ("new", "carried_over", "total_handled", "carried_forward")}
    used = [f for f in facts if (f.table, f.row, f.column) in keys]
    n = {f.row: f.value for f in used}
    sides = dict(
        zip(
            ("new", "over", "done", "fwd"),
            (n.get(k) for k in ("new", "carried_over", "total_handled", "carried_forward")),
        )
    )
    facts_used = [fact_dict(f) for f in used]
    says = [
        Say(
            "balance",
            {"agency": q.agency, "year": q.year, **sides, "lhs": c.lhs, "rhs": c.rhs, "status": c.status},
        )
    ]
    says += [Say("source", {"fact": f}) for f in facts_used]
    if c.status != "PASS":
        says.append(Say("check", {"check": asdict(c)}))
    return Answer(
        q.question, "answered", c.lhs, "件", says, q.language, q.agency, q.year, facts_used, [asdict(c)]
    )
