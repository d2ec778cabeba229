"""answer(): one function for every question. Numbers come only from stored facts.

Order: resolve agency and year (or say they are ambiguous or not stored) → the template cell
the question names → indicator-table rows and prose numbers whose wording matches → else say
the figure is not in the report, what is stored, and the closest passages. The Answer is data:
what it says is a list of template keys with their values (`says`); bot/render.py writes it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, replace
from datetime import date
from typing import Any

from index.store import Store, StoredCheck, StoredFact
from ingest.checks import states_applications_received
from ingest.vocab import load

from .agencies import resolver_for
from .consistency import answer_consistency
from .model import Answer, Query, Say
from .passages import Search, closest_passages, from_passages
from .stated_guard import for_cell
from .understand import understand
from .wording import by_wording, closest_sentences, units_agree

V = load()
_ASKS_NUMBER = re.compile(
    rf"多少|几\s*(?:{'|'.join(map(re.escape, V.units))})|数量|数目|总额|金额|总数|数[？?]?\s*$"
    r"|how many|how much|number of|amount|total|count|figure|spend|spent|spending|cost|funding|funds|budget",
    re.I,
)
# `work information items?`: a count named with no counting word, unless the question asks which ones
_COUNTED = re.compile(r"^(?!\s*(?:what|which)\b).*\b(?:items|cases|posts|entries|pieces)\b", re.I)
# A question that names a template cell but asks to describe, not count (什么问题, why, how did …).
_DESCRIBE = re.compile(
    r"什么|哪些|怎么|怎样|如何|为什么|为何|情况|措施|问题|\bwhy\b"
    r"|\bhow (?:did|does|do|was|were|is|are)\b|\bdescribe\b|\bexplain\b"
    r"|\bwhat (?:kind|kinds|measures|problems|steps|happened|was done)\b",
    re.I,
)


def answer(question: str, store: Store, today: date | None = None, search: Search | None = None) -> Answer:
    question = question.strip()
    if not question:
        return Answer(question, "error", None, "", [Say("empty_question")])
    resolver = resolver_for(store)
    q = understand(question, resolver, today)
    from .series import table_answer  # trend / compare / rank / derived measures: a table of cited rows

    if (table := table_answer(q, resolver, store)) is not None:
        return replace(table, question=question)  # as typed: q.question may be its simplified reading
    a = _answer(q, store, search)
    if q.agency_note and a.agency == q.agency:  # say which agency was taken for a partial name
        a.says.insert(0, Say("agency_note", {"note": q.agency_note}))
    return replace(a, question=question)


def _answer(q: Query, store: Store, search: Search | None) -> Answer:
    """The agency and year first (not stored, ambiguous), then the figure of that one report."""
    question, lang = q.question, q.language
    if q.agency is None and q.other_place:
        stored = q.at_place or [a for a, _ in store.agencies()]
        args = {"place": q.other_place, "at_place": bool(q.at_place), "stored": stored}
        return Answer(question, "not_found", None, "", [Say("other_place", args)], lang, year=q.year)
    if q.agency is None:
        cands = q.candidates or [a for a, _ in store.agencies()]
        if not cands:
            return Answer(question, "not_found", None, "", [Say("no_reports")], lang)
        return Answer(
            question,
            "ambiguous",
            None,
            "",
            [Say("which_agency"), *_listed(cands)],
            lang,
            year=q.year,
            candidates=cands,
        )
    years = sorted(d.year for d in store.documents(agency=q.agency) if d.year)
    if q.year is None and q.year_note:  # a year named in a way not read: never another year's figure
        says = [Say("year_unread", {"agency": q.agency, "note": q.year_note, "years": years})]
        return Answer(question, "not_found", None, "", says, lang, q.agency)
    if q.year is None:
        if len(years) == 1:
            q.year, q.year_note = years[0], ("只有该年度的报告" if lang == "zh" else "the only year stored")
        else:
            cands = [f"{q.agency} {y}" for y in years]
            return Answer(
                question,
                "ambiguous",
                None,
                "",
                [Say("which_year"), *_listed(cands)],
                lang,
                q.agency,
                candidates=cands,
            )
    if q.year not in years:
        says = [Say("year_not_stored", {"agency": q.agency, "year": q.year, "years": years})]
        return Answer(question, "not_found", None, "", says, lang, q.agency, q.year)
    return _figure(q, store, search)


def _listed(items: list[str]) -> list[Say]:
    return [Say("candidate", {"item": c}) for c in items]


def _figure(q: Query, store: Store, search: Search | None) -> Answer:
    """One report: the cell the question names, the sum of its printed parts, or a stated figure."""
    assert q.agency is not None and q.year is not None  # _answer() resolved both
    doc_id = _one_report(store, q.agency, q.year)
    facts = store.facts(agency=q.agency, year=q.year, doc_id=doc_id)
    checks = store.checks(agency=q.agency, year=q.year, doc_id=doc_id)
    if not (q.measure == "balance" or _asks_number(q)):
        return from_passages(q, search)
    if q.measure == "balance":
        return answer_consistency(q, facts, checks)
    usable = for_cell(q, facts)  # never a cell of another section, nor a sentence about another cell
    cell = _cell(q, usable) if q.table else None
    if cell is not None and not units_agree(q.unit, cell.unit, cell=True):
        cell = None  # 多少万元 is never a count, 多少人次 never a number of cases
    if cell is not None and cell.value is not None:
        return _answered(q, cell, facts, checks)
    if cell is not None:  # the cell is there but empty, '/' or unresolved: say so, never substitute
        return _not_found(q, store, facts, cell, search)
    parts = _parts(q, usable) if q.table else None
    if parts:
        return _summed(q, parts, checks)
    if q.table in ("t3", "t4") and q.column != "total":  # 公民个人提出申请1030件, 行政复议纠错1件: its
        # clause must name the row and the column (the applicant, the result)
        named = [e for e in (*V.rows(q.table), *V.columns(q.table)) if e.key in (q.row, q.column)]
        q.must = [*q.must, *("|".join(w for w in e.zh if len(w) >= 2) for e in named)]
    found = by_wording(q, usable)
    if found is not None:
        return _answered(q, found, facts, checks, missing_cell=cell if q.table else None)
    return _not_found(q, store, facts, cell, search)


def _asks_number(q: Query) -> bool:
    """`How many …`, `多少`; or a template cell named with no counting word (`applications from
    individuals?`), unless the question asks for a description."""
    if _DESCRIBE.search(q.question):
        return bool(_ASKS_NUMBER.search(q.question))
    return bool(_ASKS_NUMBER.search(q.question) or q.table or _COUNTED.search(q.question))


# ------------------------------------------------------------------ lookup
def _one_report(store: Store, agency: str, year: int) -> str | None:
    """The copy to read when one agency-year is stored twice (Store.read_copy)."""
    return store.read_copy(agency, year)


def _cell(q: Query, facts: list[StoredFact]) -> StoredFact | None:
    columns = [q.column] + (
        V.tables["t2_default_columns"].get(q.row, [])[1:] if q.table == "t2" and not q.column_named else []
    )
    for col in columns:
        for f in facts:
            if f.kind == "cell" and (f.table, f.row, f.column) == (q.table, q.row, col):
                return f
    return None


def _parts(q: Query, facts: list[StoredFact]) -> list[StoredFact] | None:
    """The printed cells a group row stands for: （三）不予公开 = its eight reasons; 行政诉讼 = both kinds."""
    entry = next(e for e in V.rows(q.table) if e.key == q.row)
    column = next((c for c in V.columns(q.table) if c.key == q.column), None)
    rows = list(entry.sum_of) or [e.key for e in V.rows(q.table) if e.parent == entry.key]
    if column is not None and column.sum_of:  # 法人或其他组织 = its five printed columns
        keys = [(q.row, c) for c in column.sum_of]
    else:
        keys = [(r, q.column) for r in rows]
    cells = {(f.row, f.column): f for f in facts if f.kind == "cell" and f.table == q.table}
    found = [cells[k] for k in keys if k in cells]
    if not keys or len(found) != len(keys) or all(f.value is None for f in found):
        return None
    if any(f.qualifier == "unresolved" for f in found):
        return None  # a sum over a cell that could not be read would be a guess
    return found


def _summed(q: Query, parts: list[StoredFact], checks: list[StoredCheck]) -> Answer:
    """A total the table does not print, as the sum of the cells it does print, each cited."""
    entry = next(e for e in V.rows(q.table) if e.key == q.row)
    column = next((c.label for c in V.columns(q.table) if c.key == q.column), q.column)
    total = sum(f.value or 0 for f in parts)
    f0 = parts[0]
    cell = {
        "table": q.table,
        "row": q.row,
        "column": q.column,
        "row_label": entry.label,
        "column_label": column,
    }
    by_row = len({f.row for f in parts}) > 1  # summing rows (a group) or columns (法人或其他组织)
    says = [
        Say(
            "sum",
            {
                "agency": f0.agency,
                "year": f0.year,
                "cell": cell,
                "total": total,
                "unit": f0.unit,
                "n": len(parts),
            },
        )
    ]
    says += [
        Say("sum_part", {"part": f.row_label if by_row else f.column_label, "fact": fact_dict(f)})
        for f in parts
    ]
    empties = sum(1 for f in parts if f.value is None)
    if empties:
        says.append(Say("sum_empties", {"n": empties}))
    involved = [asdict(c) for c in checks if c.status != "PASS" and any(_concerns(c, f) for f in parts)]
    says += [Say("check", {"check": c}) for c in involved[:5]]
    return Answer(
        q.question,
        "answered",
        total,
        f0.unit,
        says,
        q.language,
        f0.agency,
        f0.year,
        [fact_dict(f) for f in parts],
        involved,
    )


# ------------------------------------------------------------------ answers
def fact_dict(f: StoredFact) -> dict[str, Any]:
    """A fact as answers carry it (and `ask --json` prints it)."""
    keys = (
        "agency",
        "year",
        "kind",
        "table",
        "row",
        "column",
        "topic",
        "row_label",
        "column_label",
        "value",
        "unit",
        "raw",
        "qualifier",
        "document",
        "line",
        "quote",
        "offset",
    )
    return {k: getattr(f, k) for k in keys}


def _answered(
    q: Query,
    f: StoredFact,
    facts: list[StoredFact],
    checks: list[StoredCheck],
    missing_cell: StoredFact | None = None,
) -> Answer:
    fd = fact_dict(f)
    says = [Say("figure", {"fact": fd, "more": f.qualifier == "more_than"})]
    if q.year_note:
        says.append(Say("year_note", {"note": q.year_note}))
    says += [Say("source", {"fact": fd}), Say("quote", {"fact": fd})]
    if missing_cell is not None or (q.table and f.kind != "cell"):
        says.append(Say("from_text"))
    used = [f, *_context(f, facts, says)]
    involved = [asdict(c) for c in checks if c.status != "PASS" and _concerns(c, f)]
    says += [Say("check", {"check": c}) for c in involved[:5]]
    return Answer(
        q.question,
        "answered",
        f.value,
        f.unit,
        says,
        q.language,
        f.agency,
        f.year,
        [fact_dict(x) for x in used],
        involved,
    )


def _concerns(c: StoredCheck, f: StoredFact) -> bool:
    """A check that speaks about this number: its table's arithmetic, or the prose-vs-table
    comparison when the number is the count of new applications (or that prose sentence)."""
    if c.name.startswith("prose"):
        return (c.name == "prose" and (f.table, f.row, f.column) == ("t3", "new", "total")) or (
            f.kind == "prose" and f.line == c.line
        )
    if c.name == "completeness":
        return f.table == c.table
    return (
        f.kind == "cell" and c.table == f.table and (c.column in (f.column, f.row) or c.name == "carryover")
    )


def _context(f: StoredFact, facts: list[StoredFact], says: list[Say]) -> list[StoredFact]:
    """What a careful journalist needs next to new applications: carried-over, and the prose figure."""
    if not (f.table == "t3" and f.row == "new"):
        return []
    used = []
    carried = next((x for x in facts if (x.table, x.row, x.column) == ("t3", "carried_over", f.column)), None)
    if carried is not None and carried.value is not None:
        used.append(carried)
        says.append(Say("carried_over", {"fact": fact_dict(carried)}))
    if f.column == "total":
        for p in facts:
            if (
                p.kind == "prose"
                and p.unit == "件"
                and p.value != f.value
                and states_applications_received(p.topic)
            ):
                used.append(p)
                says.append(Say("text_differs", {"fact": fact_dict(p), "table_value": f.value}))
    return used


def _not_found(
    q: Query, store: Store, facts: list[StoredFact], cell: StoredFact | None, search: Search | None
) -> Answer:
    """Why there is no figure (a blank cell, or nothing states it), what is stored, the closest text."""
    at = {"agency": q.agency, "year": q.year}
    if cell is not None:
        fd = fact_dict(cell)
        says = [
            Say("blank_cell", {**at, "fact": fd, "qualifier": cell.qualifier}),
            Say("source", {"fact": fd}),
            Say("quote", {"fact": fd}),
        ]
    else:
        says = [Say("not_stated", at)]
        near = closest_sentences(q, facts)
        if near:
            says.append(Say("closest_head"))
            says += [Say("closest", {"fact": fact_dict(f)}) for f in near]
    years = sorted(d.year for d in store.documents(agency=q.agency) if d.year)
    tables = {f.table for f in facts if f.kind == "cell"}
    prose = sum(1 for f in facts if f.kind == "prose")
    says.append(Say("stored", {"agency": q.agency, "years": years, "tables": tables, "prose": prose}))
    passages = closest_passages(q, search)
    if passages:
        says.append(Say("passages_head"))
        says += [Say("passage", {"passage": p}) for p in passages]
    return Answer(
        q.question,
        "not_found",
        None,
        "",
        says,
        q.language,
        q.agency,
        q.year,
        [fact_dict(cell)] if cell is not None else [],
        passages=passages,
    )
