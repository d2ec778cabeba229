"""Trend, compare and rank: one figure across years or agencies, as a table of cited rows.

`table_answer()` is the one routing call answer() makes first: it returns None for a question
about one figure of one report (answer() goes on as before), else an Answer with `kind` and
`rows`. Each row is one agency-year, read the way a single answer reads it (the same cell, the
same sum of printed parts, the same copy of a report stored twice), with its cells cited and
its failed checks named. A year or agency whose report does not state the figure is a row that
says so, never a 0 and never dropped.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from index.series import Copies, Copy, cells, failed_checks, stored_copies
from index.store import Store, StoredCheck, StoredFact
from ingest.vocab import load

from . import derived
from .agencies import Resolver
from .answer import _cell, _concerns, _parts, fact_dict
from .model import Answer, Query, Say
from .render import phrase
from .scope import (
    FEWEST,
    RANK_WORDS,
    Scope,
    carry_years,
    find_agencies,
    may_be_table,
    scope_of,
    top_n,
    years_of,
)
from .stated_guard import for_cell
from .wording import by_wording

V = load()
STATED = "stated"
# a compare that asks which is more: highest first (which is fewer: FEWEST, fewest first)
_WHICH_MORE = re.compile(r"更多|较多|谁|\b(?:more|higher|bigger|larger|greater)\b", re.I)


@dataclass
class Plan:
    kind: str  # trend | compare | rank | value (one derived measure, one report)
    agencies: list[str]
    years: list[int]
    q: Query
    measure: derived.Measure | None = None
    scope: Scope | None = None
    fewest: bool = False
    top: int | None = None
    notes: list[Say] = field(default_factory=list)
    label: str = ""  # the figure's name, as rows and headings print it
    as_named: bool = False  # a compare's rows in the order the bodies are named (not asked which is more)
    docs: list[Copy] = field(default_factory=list)  # one copy of each agency-year asked about
    stored: Copies = field(default_factory=Copies)  # every agency-year's copy


def table_answer(q: Query, resolver: Resolver, store: Store) -> Answer | None:
    """The table answer to a trend/compare/rank question (or a derived measure); None otherwise.
    `q`: the question as understand() read it (its figure); `resolver`: what it was resolved against."""
    plan = _plan(q, resolver, store)
    if plan is None:
        return None
    if isinstance(plan, Answer):
        return plan
    plan.label = label_of(plan)
    return render(plan, rows_of(plan, store))


def _plan(q: Query, resolver: Resolver, store: Store) -> Plan | Answer | None:
    """What a table question asks for (agencies, years, scope, measure), or the answer that it cannot be
    one. Its tests run in the order that decides the kind (compare, rank, trend), so it stays whole."""
    question = carry_years(q.question)  # as understand() read it
    measure = derived.find(question)
    if measure is None and not (q.table and q.row) and not _stated(q) or q.measure == "balance":
        return None
    named = find_agencies(question, resolver)
    if len(named) == 1 and measure is None and not may_be_table(question):
        return None  # one figure of one agency: answer() reads it
    stored = stored_copies(store)
    scope = scope_of(question, stored.places)
    stored_years = sorted({d.year for d in stored.of(named)} if named else stored.by_year)
    years, many = years_of(question, stored_years)
    plan = Plan(
        "",
        named,
        years,
        q,
        measure,
        scope,
        FEWEST.search(question) is not None,
        top_n(question),
        docs=stored.of(named),
        stored=stored,
    )
    # a compare's rows in the order the bodies are named (A和B对比, A vs B, 分别), unless it asks which
    # is more or fewer (哪个最多, which had fewer, rank): then highest (or fewest) first
    plan.as_named = not (plan.fewest or RANK_WORDS.search(question) or _WHICH_MORE.search(question))
    if len(named) >= 2:
        plan.kind = "compare"
    elif scope:
        plan.kind, plan.agencies = "rank", []
        if named and not scope.place:  # 夏邑县各乡镇: the place the question names
            scope.place = next((d.place for d in stored.of(named[:1]) if d.place), "") or ""
    elif len(named) == 1:
        plan.kind = "trend" if many or (measure and not years) else ("value" if measure else "")
    elif RANK_WORDS.search(question):
        plan.kind, plan.scope = "rank", Scope()
    if not plan.kind:
        return None
    if plan.kind == "rank":  # the reports in scope, each scope's worked out once per store generation
        s = plan.scope
        plan.docs = (
            stored.kept(("scope", s.level, s.kind, s.place), s.admits) if s else list(stored.docs.values())
        )
    if plan.kind in ("compare", "rank") and not years:  # the latest year stored for all of them
        if plan.kind == "compare":
            common = set.intersection(*({d.year for d in stored.of([a])} for a in named))
        else:
            common = {d.year for d in plan.docs}
        if not common:
            cands = [str(y) for y in sorted(stored.by_year)]
            return Answer(
                question,
                "ambiguous",
                None,
                "",
                [Say("table_year", {"years": cands})],
                q.language,
                candidates=cands,
            )
        plan.years = [max(common)]
        plan.notes.append(Say("latest_year", {"year": max(common), "kind": plan.kind}))
    if plan.kind == "rank" and len(plan.years) > 1:
        plan.years = plan.years[-1:]
    return plan


# ------------------------------------------------------------------ rows
@dataclass
class Row:
    """One agency-year: the JSON row, and the stored cells and checks behind it."""

    data: dict[str, Any]
    used: list[StoredFact] = field(default_factory=list)
    checks: list[StoredCheck] = field(default_factory=list)

    @property
    def stated(self) -> bool:
        return bool(self.data["status"] == STATED)


def rows_of(plan: Plan, store: Store) -> list[Row]:
    """One row per agency-year, in the order the question implies."""
    growth = plan.measure is not None and plan.measure.growth is not None
    if plan.kind == "rank":
        year = plan.years[0]
        in_scope = plan.docs
        docs = [d for d in in_scope if d.year == year]
        wanted = [(d.agency, year) for d in docs]  # then the agencies in scope with no report that year
        wanted += [(a, year) for a in sorted({d.agency for d in in_scope} - {d.agency for d in docs})]
        if growth:  # the year before, for a year-on-year measure
            names = {d.agency for d in docs}
            docs += [d for d in plan.stored.by_year.get(year - 1, []) if d.agency in names]
    else:
        docs = [d for d in plan.docs if d.agency in plan.agencies]
        wanted = [(a, y) for a in plan.agencies for y in plan.years]
    by_key = {(d.agency, d.year): d for d in docs}
    keys = plan.measure.keys() if plan.measure else derived.figure_keys(plan.q) if plan.q.table else []
    found = cells(store, by_key.values(), keys)
    rows = [_row(plan, store, a, y, by_key, found) for a, y in wanted]
    if plan.kind == "rank" or plan.kind == "compare" and not plan.as_named:
        stated = [r for r in rows if r.stated]
        sign = 1 if plan.fewest else -1
        stated.sort(key=lambda r: (sign * r.data["value"], r.data["agency"], r.data["year"]))
        rows = stated[: plan.top or len(stated)] + [r for r in rows if not r.stated]
    checks = failed_checks(store, [by_key[(r.data["agency"], r.data["year"])] for r in rows if r.used])
    for r in rows:  # provenance and checks, for the rows the answer keeps
        doc = by_key.get((r.data["agency"], r.data["year"]))
        r.checks = [c for c in checks.get(doc.id, []) if any(_concerns(c, f) for f in r.used)] if doc else []
        r.data["facts"], r.data["checks"] = [fact_dict(f) for f in r.used], [asdict(c) for c in r.checks]
    return rows


def _row(
    plan: Plan,
    store: Store,
    agency: str,
    year: int,
    by_key: dict[tuple[str, int], Copy],
    found: dict[str, list[StoredFact]],
) -> Row:
    doc = by_key.get((agency, year))
    data: dict[str, Any] = {
        "agency": agency,
        "agency_id": getattr(doc, "agency_id", None),
        "year": year,
        "label": plan.label,
        "value": None,
        "unit": "%" if plan.measure else "",
        "status": "no_report",
        "facts": [],
        "checks": [],
        "formula": "",
        "note": "",
    }
    if doc is None:
        return Row(data)
    facts = found[doc.id]
    if plan.measure is not None:
        before = by_key.get((agency, year - 1))
        c = derived.compute(plan.measure, facts, found[before.id] if before is not None else None)
        used, data["status"], data["value"], data["formula"] = c.facts, c.status, c.value, c.numbers
        data["note"] = c.reason if plan.q.language == "zh" else c.reason_en
    elif not plan.q.table:  # a figure the text states (主动公开政务信息891条): read as one answer reads it
        said = by_wording(plan.q, store.facts(doc_id=doc.id))
        if said is not None:
            used, data["value"], data["unit"], data["status"] = [said], said.value, said.unit, STATED
        else:
            used, data["status"] = [], "not_stated"
    else:
        used, data["value"], data["unit"], data["status"], data["note"] = _figure(plan.q, facts)
        if data["status"] == "not_stated" and (plan.q.table == "t2" or plan.q.column == "total"):
            # as one answer reads it: the sentence stating it (行政处罚案件信息56条 of 行政处罚)
            said = by_wording(plan.q, for_cell(plan.q, store.facts(doc_id=doc.id)))
            if said is not None:
                used, data["value"], data["unit"], data["status"] = [said], said.value, said.unit, STATED
                data["note"] = phrase("row_from_text", plan.q.language)
    return Row(data, used)


def _stated(q: Query) -> bool:
    """A figure asked by its words, for the sentences that state it (no template cell named)."""
    return bool(q.words or q.terms) and not q.unexplained


def _figure(q: Query, facts: list[StoredFact]) -> tuple[list[StoredFact], Any, str, str, str]:
    """(cells, value, unit, status, note) of a plain figure: the cell a single answer reads, or
    the cited sum of the printed parts a group row stands for."""
    cell = _cell(q, facts)
    if cell is not None and cell.value is not None:
        return [cell], cell.value, cell.unit, STATED, ""
    if cell is not None:
        return [cell], None, cell.unit, "blank", phrase("row_blank", q.language, qualifier=cell.qualifier)
    parts = _parts(q, facts)
    if parts:
        empties = sum(1 for f in parts if f.value is None)
        note = phrase("row_sum_empties" if empties else "row_sum", q.language, n=len(parts), empties=empties)
        return parts, sum(f.value or 0 for f in parts), parts[0].unit, STATED, note
    return [], None, "", "not_stated", ""  # the row's status says it


# ------------------------------------------------------------------ the answer
def label_of(plan: Plan) -> str:
    if plan.measure is not None:
        return plan.measure.label if plan.q.language == "zh" else plan.measure.label_en
    if not plan.q.table:  # a stated figure: the words it is found by
        words = [w.split("|")[0] for w in plan.q.words]
        return (
            plan.q.terms[0]
            if plan.q.terms
            else "、".join(w for w in words if not any(w in o != w for o in words))
        )
    entry = next(e for e in V.rows(plan.q.table) if e.key == plan.q.row)
    column = next((c.label for c in V.columns(plan.q.table) if c.key == plan.q.column), "")
    return f"{entry.label}·{column}" if column else entry.label


def render(plan: Plan, rows: list[Row]) -> Answer:
    """The table answer: its heading, notes and formula, then the rows (bot/render.py writes them)."""
    who = plan.agencies[0] if plan.agencies else ""
    reports = sum(1 for r in rows if r.data["status"] != "no_report")
    order = "named" if plan.as_named else plan.fewest
    head = {"who": who, "label": plan.label, "span": plan.years, "fewest": order, "reports": reports}
    says = [Say(plan.kind, head), *plan.notes]
    if plan.measure is not None:
        formula = {"formula_zh": plan.measure.formula_zh, "formula_en": plan.measure.formula_en}
        says.append(Say("formula", formula))
    says.append(Say("rows", {"kind": plan.kind, "many_years": len(plan.years) > 1}))
    stated = [r for r in rows if r.stated]
    if plan.kind == "rank" and stated:
        ties = [r for r in stated if r.data["value"] == stated[0].data["value"]]
        if len(ties) > 1:
            says.append(Say("ties", {"n": len(ties)}))
    top = stated[0].data if stated else None
    agency = who if plan.kind in ("trend", "value") else (top["agency"] if top else None)
    facts = [f for r in stated[:20] for f in r.data["facts"]]
    return Answer(
        plan.q.question,
        "answered" if stated else "not_found",
        top["value"] if top else None,
        top["unit"] if top else "",
        says,
        plan.q.language,
        agency,
        plan.years[0] if len(plan.years) == 1 else None,
        facts,
        [c for r in rows for c in r.data["checks"]],
        kind="" if plan.kind == "value" else plan.kind,
        rows=[r.data for r in rows],
    )


# ------------------------------------------------------------------ as a spreadsheet
ROW_COLUMNS = [
    ("agency", "机关", "agency"),
    ("agency_id", "机关编号", "agency key"),
    ("year", "年度", "year"),
    ("label", "指标", "the figure"),
    ("value", "数值", "value; empty when the report does not state it"),
    ("unit", "单位", "unit"),
    ("status", "状态", "stated | not_stated | blank | no_report | zero_base | no_previous"),
    ("formula", "计算", "a derived measure's formula with the cited numbers"),
    ("note", "说明", "why there is no value"),
    ("sources", "出处", "report:line, table/row/column and quoted line of each cell used"),
    ("checks", "核对", "failed checks of the cells used"),
]


def answer_records(a: Answer) -> list[dict[str, Any]]:
    """One record per row of a table answer, its provenance flattened to text."""
    out = []
    for r in a.rows:
        sources = [
            f"{f['document']}:{f['line']} {f['table'] or 'prose'}/{f['row_label'] or f['topic']}/"
            f"{f['column_label']} “{f['quote']}”"
            for f in r["facts"]
        ]
        checks = " | ".join(f"{c['status']} {c['detail']}" for c in r["checks"])
        out.append({**r, "sources": " | ".join(sources), "checks": checks})
    return out
