"""answer(): one function for every question. Numbers come only from stored facts.

Order: resolve agency and year (or say they are ambiguous or not stored) → the template cell
the question names → indicator-table rows and prose numbers whose wording matches → else say
the figure is not in the report, what is stored, and the closest passages. The REPL, `ask`
and Telegram only present the Answer.
"""
from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date
from typing import Any, Callable

from index.store import Store, StoredCheck, StoredFact
from ingest.checks import states_applications_received
from ingest.vocab import load

from .consistency import answer_consistency
from .model import Answer, Query
from .agencies import resolver_for
from .understand import understand
from .wording import by_wording, closest_sentences, units_agree

V = load()
Search = Callable[[str, "str | None", "int | None", int], list[Any]]
TABLE_NAMES = {"t2": "表二 主动公开政府信息情况", "t3": "表三 收到和处理政府信息公开申请情况", "t4": "表四 行政复议、行政诉讼情况", "ind": "统计表"}
_QUESTION_WORDS = re.compile(r"多少|是多少|请问|一共|总共|共有|有几|几|吗|呢|了|的|？|\?|，|。|是否|有没有")
_ASKS_NUMBER = re.compile(rf"多少|几\s*(?:{'|'.join(map(re.escape, V.units))})|数量|数目|总额|金额|总数|数[？?]?\s*$|how many|how much|number of|amount|total|count|figure|spend|spent|spending|cost|funding|funds|budget", re.I)
_SENTENCE = re.compile(r"[^。；;！？!?]+[。；;！？!?]?")
# A question that names a template cell but asks to describe, not count (什么问题, why, how did …).
_DESCRIBE = re.compile(r"什么|哪些|怎么|怎样|如何|为什么|为何|情况|措施|问题|\bwhy\b"
                       r"|\bhow (?:did|does|do|was|were|is|are)\b|\bdescribe\b|\bexplain\b"
                       r"|\bwhat (?:kind|kinds|measures|problems|steps|happened|was done)\b", re.I)


def answer(question: str, store: Store, today: date | None = None, search: Search | None = None) -> Answer:
    question = question.strip()
    if not question:
        return Answer(question, "error", None, "", "Empty question. / 请输入问题。")
    resolver = resolver_for(store)
    q = understand(question, resolver, today)
    from .series import table_answer  # trend / compare / rank / derived measures: a table of cited rows

    if (table := table_answer(q, resolver, store)) is not None:
        return table
    a = _answer(q, store, search)
    if q.agency_note and a.agency == q.agency:  # say which agency was taken for a partial name
        a.text = (f"（机关：{q.agency_note}）" if q.language == "zh" else f"(Agency: {q.agency_note}.)") + "\n" + a.text
    return a


def _answer(q: Query, store: Store, search: Search | None) -> Answer:
    question = q.question
    zh = q.language == "zh"
    if q.agency is None and q.other_place:
        here = "该地已存储" if q.at_place else "已存储的机关"
        there = "Stored there" if q.at_place else "Stored agencies"
        stored = "、".join(q.at_place or [a for a, _ in store.agencies()]) or "无"
        text = (f"没有存储{q.other_place}的报告，无法给出数字。{here}：{stored}。" if zh else
                f"No report of {q.other_place} is stored, so there is no figure to give. {there}: {stored}.")
        return Answer(question, "not_found", None, "", text, q.language, year=q.year)
    if q.agency is None:
        cands = q.candidates or [a for a, _ in store.agencies()]
        if not cands:
            return Answer(question, "not_found", None, "", "还没有导入任何报告。" if zh else "No reports are ingested yet.", q.language)
        head = "请指明是哪个机关：" if zh else "Which agency do you mean? Candidates:"
        return Answer(question, "ambiguous", None, "", head + "\n" + "\n".join(f"- {c}" for c in cands), q.language, year=q.year, candidates=cands)
    years = sorted(d.year for d in store.documents(agency=q.agency) if d.year)
    if q.year is None and q.year_note:  # a year named in a way not read: never another year's figure
        listed = ("、" if zh else ", ").join(map(str, years)) or ("无" if zh else "none")
        text = (f"没有{q.agency}“{q.year_note}”的报告，无法给出数字。已存储的年份：{listed}。" if zh else
                f"No report of {q.agency} for “{q.year_note}” is stored, so there is no figure to give. "
                f"Years stored: {listed}.")
        return Answer(question, "not_found", None, "", text, q.language, q.agency)
    if q.year is None:
        if len(years) == 1:
            q.year, q.year_note = years[0], ("只有该年度的报告" if zh else "the only year stored")
        else:
            cands = [f"{q.agency} {y}" for y in years]
            head = "请指明年份：" if zh else "Which year? Stored:"
            return Answer(question, "ambiguous", None, "", head + "\n" + "\n".join(f"- {c}" for c in cands), q.language, q.agency, candidates=cands)
    if q.year not in years:
        stored = "、".join(map(str, years)) or "无"
        text = (f"没有{q.agency}{q.year}年的报告，无法给出数字。已存储的年份：{stored}。" if zh
                else f"No {q.year} report of {q.agency} is stored, so there is no figure to give. Years stored: {', '.join(map(str, years)) or 'none'}.")
        return Answer(question, "not_found", None, "", text, q.language, q.agency, q.year)
    doc_id = _one_report(store, q.agency, q.year)
    facts = store.facts(agency=q.agency, year=q.year, doc_id=doc_id)
    checks = store.checks(agency=q.agency, year=q.year, doc_id=doc_id)
    if not (q.measure == "balance" or _asks_number(q)):
        return _from_passages(q, search)
    if q.measure == "balance":
        return answer_consistency(q, facts, checks)
    cell = _cell(q, facts) if q.table else None
    if cell is not None and not units_agree(q.unit, cell.unit, cell=True):
        cell = None  # 多少万元 is never a count, 多少人次 never a number of cases
    if cell is not None and cell.value is not None:
        return _answered(q, cell, facts, checks)
    if cell is not None:  # the cell is there but empty, '/' or unresolved: say so, never substitute
        return _not_found(q, store, facts, cell, search)
    parts = _parts(q, facts) if q.table else None
    if parts:
        return _summed(q, parts, checks)
    if q.table in ("t3", "t4") and q.column != "total":
        return _not_found(q, store, facts, None, search)  # prose never states one applicant column
    found = by_wording(q, facts)
    if found is not None:
        return _answered(q, found, facts, checks, missing_cell=cell if q.table else None)
    return _not_found(q, store, facts, cell, search)


def _asks_number(q: Query) -> bool:
    """`How many …`, `多少`; or a template cell named with no counting word (`applications from
    individuals?`), unless the question asks for a description."""
    return bool(_ASKS_NUMBER.search(q.question) or (q.table and not _DESCRIBE.search(q.question)))


# ------------------------------------------------------------------ lookup
def _one_report(store: Store, agency: str, year: int) -> str | None:
    """The copy to read when one agency-year is stored twice (Store.read_copy)."""
    return store.read_copy(agency, year)


def _cell(q: Query, facts: list[StoredFact]) -> StoredFact | None:
    columns = [q.column] + (V.tables["t2_default_columns"].get(q.row, [])[1:] if q.table == "t2" and not q.column_named else [])
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
    zh = q.language == "zh"
    entry = next(e for e in V.rows(q.table) if e.key == q.row)
    column = next((c.label for c in V.columns(q.table) if c.key == q.column), q.column)
    total = sum(f.value or 0 for f in parts)
    f0 = parts[0]
    label = f"{entry.label}·{column}" if zh else gloss(q.table, q.row, q.column, entry.label, column)
    by_row = len({f.row for f in parts}) > 1  # summing rows (a group) or columns (法人或其他组织)
    lines = [f"{f0.agency}{f0.year}年{label}：{_num(total)}{f0.unit}（表中没有这一行的合计，下面 {len(parts)} 个单元格之和）。" if zh else
             f"{f0.agency} ({f0.year}) — “{label}”: {_num(total)} {f0.unit} (the table prints no total for this; the sum of the {len(parts)} cells below)."]
    for f in parts:
        part = f.row_label if by_row else f.column_label
        lines.append(f"- {part}：{_num(f.value)}（{where(f, zh)}）" if zh else f"- {part}: {_num(f.value)} ({where(f, zh)})")
    empties = sum(1 for f in parts if f.value is None)
    if empties:
        lines.append(f"注：其中 {empties} 个单元格为空，按 0 计。" if zh else f"Note: {empties} of these cells are empty and count as 0.")
    involved = [c for c in checks if c.status != "PASS" and any(_concerns(c, f) for f in parts)]
    lines += [plain_check(c, zh) for c in involved[:5]]
    return Answer(q.question, "answered", total, f0.unit, "\n".join(lines), q.language, f0.agency, f0.year,
                  [_fact_dict(f) for f in parts], [asdict(c) for c in involved])


def _bigrams(text: str) -> set[str]:
    text = _QUESTION_WORDS.sub(" ", text)
    out = set()
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


# ------------------------------------------------------------------ answers
def _fact_dict(f: StoredFact) -> dict[str, Any]:
    return {k: getattr(f, k) for k in ("agency", "year", "kind", "table", "row", "column", "topic", "row_label", "column_label", "value", "unit", "raw", "qualifier", "document", "line", "quote", "offset")}


def _num(v: float | int | None) -> str:
    if v is None:
        return "—"
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def where(f: StoredFact, zh: bool) -> str:
    """Provenance in words: report, line, and table/row/column or the sentence."""
    if f.kind == "cell":
        labels = f"{f.row_label} · {f.column_label}" if zh else gloss(f.table, f.row, f.column, f.row_label, f.column_label)
        loc = f"{TABLE_NAMES.get(f.table, f.table)} · {labels}"
    else:
        loc = "正文" if zh else "narrative text"
    return (f"来源：{f.document} 第{f.line}行，{loc}" if zh else f"Source: {f.document}, line {f.line}, {loc}")


def gloss(table: str, row: str, column: str, row_label: str, column_label: str) -> str:
    """`一、本年新收… (new applications received) · 总计 (total)`: the Chinese label with its English."""
    def en(entries: list, key: str, label: str) -> str:
        e = next((x for x in entries if x.key == key), None)
        word = e.gloss or (e.en[0] if e.en else "") if e is not None else ""
        return f"{label} ({word})" if word else label
    if table not in ("t2", "t3", "t4"):
        return f"{row_label} · {column_label}"
    return f"{en(V.rows(table), row, row_label)} · {en(V.columns(table), column, column_label)}"


def _answered(q: Query, f: StoredFact, facts: list[StoredFact], checks: list[StoredCheck], missing_cell: StoredFact | None = None) -> Answer:
    zh = q.language == "zh"
    label = f"{f.row_label}·{f.column_label}" if f.kind == "cell" else f.topic
    if not zh and f.kind == "cell":
        label = gloss(f.table, f.row, f.column, f.row_label, f.column_label)
    more = "余" if f.qualifier == "more_than" else ""
    if zh:
        lines = [f"{f.agency}{f.year}年{label}：{_num(f.value)}{more}{f.unit}。"]
    else:
        lines = [f"{f.agency} ({f.year}) — “{label}”: {_num(f.value)}{' (more than)' if more else ''} {f.unit}."]
    if q.year_note:
        lines.append(f"（年份：{q.year_note}）" if zh else f"(Year: {q.year_note}.)")
    lines.append(where(f, zh))
    lines.append(f"原文：“{f.quote}”" if zh else f"Quote: “{f.quote}”")
    if missing_cell is not None or (q.table and f.kind != "cell"):
        lines.append("注：表格中没有这一项（表格缺失或被截断），数字取自上面引用的文字。" if zh else
                     "Note: the table cell for this is missing (the table is absent or cut off); the figure comes from the sentence quoted above.")
    used = [f]
    used += _context(q, f, facts, lines, zh)
    involved = [c for c in checks if c.status != "PASS" and _concerns(c, f)]
    for c in involved[:5]:
        lines.append(plain_check(c, zh))
    return Answer(q.question, "answered", f.value, f.unit, "\n".join(lines), q.language, f.agency, f.year,
                  [_fact_dict(x) for x in used], [asdict(c) for c in involved])


def _concerns(c: StoredCheck, f: StoredFact) -> bool:
    """A check that speaks about this number: its table's arithmetic, or the prose-vs-table
    comparison when the number is the count of new applications (or that prose sentence)."""
    if c.name.startswith("prose"):
        return (c.name == "prose" and (f.table, f.row, f.column) == ("t3", "new", "total")) or (f.kind == "prose" and f.line == c.line)
    if c.name == "completeness":
        return f.table == c.table
    return f.kind == "cell" and c.table == f.table and (c.column in (f.column, f.row) or c.name == "carryover")


def _context(q: Query, f: StoredFact, facts: list[StoredFact], lines: list[str], zh: bool) -> list[StoredFact]:
    """What a careful journalist needs next to new applications: carried-over, and the prose figure."""
    if not (f.table == "t3" and f.row == "new"):
        return []
    used = []
    carried = next((x for x in facts if (x.table, x.row, x.column) == ("t3", "carried_over", f.column)), None)
    if carried is not None and carried.value is not None:
        used.append(carried)
        lines.append(f"另有上年结转 {_num(carried.value)} 件（{where(carried, zh)}）。" if zh else
                     f"Also {_num(carried.value)} carried over from the previous year ({where(carried, zh)}).")
    if f.column == "total":
        for p in facts:
            if p.kind == "prose" and p.unit == "件" and p.value != f.value and states_applications_received(p.topic):
                used.append(p)
                lines.append(f"报告正文另称：“{p.quote}”（{p.value}件，与表格 {_num(f.value)} 件不同）。" if zh else
                             f"The narrative says: “{p.quote}” ({p.value}, not the table's {_num(f.value)}).")
    return used


_CHECK_WORDS = {
    "balance": ("表内数字不平衡：本年新收+上年结转 = {lhs}，办理结果总计+结转下年度 = {rhs}", "the table does not add up: new + carried over = {lhs}, but handled + carried forward = {rhs}"),
    "subrows": ("办理结果各项之和 {lhs} 不等于（七）总计 {rhs}", "the outcome rows add up to {lhs}, not to the (七)总计 of {rhs}"),
    "applicants": ("各类申请人之和 {lhs} 不等于总计 {rhs}", "the applicant columns add up to {lhs}, not to the 总计 of {rhs}"),
    "t4_group": ("复议/诉讼各结果之和 {lhs} 不等于总计 {rhs}", "the reconsideration/lawsuit results add up to {lhs}, not to the 总计 of {rhs}"),
    "prose": ("正文所说的数字（{lhs}）与表格（{rhs}）不同", "the narrative's figure ({lhs}) differs from the table's ({rhs})"),
    "carryover": ("上一年的结转下年度 {lhs} 与本年的上年结转 {rhs} 不一致", "last year's carried-forward count ({lhs}) differs from this year's carried-over count ({rhs})"),
}


def plain_check(c: StoredCheck, zh: bool) -> str:
    """A failed or uncertain check in plain words, with its technical detail after it."""
    words = _CHECK_WORDS.get(c.name)
    status = {"FAIL": ("不一致", "does not match"), "UNCERTAIN": ("存疑", "uncertain")}.get(c.status, (c.status, c.status))[0 if zh else 1]
    if words is None or c.lhs is None or c.rhs is None:
        return f"⚠ {status}：{c.detail}" if zh else f"⚠ {status}: {c.detail}"
    sentence = words[0 if zh else 1].format(lhs=_num(c.lhs), rhs=_num(c.rhs))
    return f"⚠ {status}：{sentence}（{c.detail}）" if zh else f"⚠ {status}: {sentence} ({c.detail})"


def _not_found(q: Query, store: Store, facts: list[StoredFact], cell: StoredFact | None, search: Search | None) -> Answer:
    zh = q.language == "zh"
    lines = []
    if cell is not None:
        why = {"empty": ("该单元格在报告中为空", "the report leaves this cell empty"),
               "slash": ("该单元格在报告中为“/”", "the report prints “/” in this cell"),
               "unresolved": ("该行数字无分隔符且有多种读法，未予猜测", "the row's digits are printed without separators and admit several readings; not guessed")}
        w = why.get(cell.qualifier, ("该单元格没有数字", "the cell holds no number"))
        lines.append((f"{q.agency}{q.year}年报告中，{cell.row_label}·{cell.column_label}：{w[0]}。" if zh else
                      f"In the {q.year} report of {q.agency}, “{cell.row_label}” · “{cell.column_label}”: {w[1]}."))
        lines.append(where(cell, zh))
        lines.append(f"原文：“{cell.quote}”" if zh else f"Quote: “{cell.quote}”")
    else:
        lines.append(f"{q.agency}{q.year}年的报告中没有找到这个数字。" if zh else f"The {q.year} report of {q.agency} does not state this figure.")
        near = closest_sentences(q, facts)
        if near:
            lines.append("最接近的句子（说的不是所问的数字）：" if zh else "Closest sentences (they do not state the figure asked):")
            lines += [f"- 第{f.line}行：“{f.quote}”" if zh else f"- line {f.line}: “{f.quote}”" for f in near]
    tables = sorted({TABLE_NAMES.get(f.table, f.table) for f in facts if f.kind == "cell"})
    years = sorted(d.year for d in store.documents(agency=q.agency) if d.year)
    lines.append((f"已存储：{q.agency} {'、'.join(map(str, years))}年；本报告含 {'、'.join(tables) or '无统计表'}，正文数字 {sum(1 for f in facts if f.kind == 'prose')} 个。" if zh else
                  f"Stored for {q.agency}: {', '.join(map(str, years))}; this report has {', '.join(tables) or 'no statistics tables'} and {sum(1 for f in facts if f.kind == 'prose')} numbers in its text."))
    passages = _passages(q, search)
    if passages:
        lines.append("最接近的段落：" if zh else "Closest passages:")
        lines += [f"- {p['document']} 第{p['line_start']}–{p['line_end']}行：{p['text'][:160]}" if zh else
                  f"- {p['document']} lines {p['line_start']}–{p['line_end']}: {p['text'][:160]}" for p in passages]
    return Answer(q.question, "not_found", None, "", "\n".join(lines), q.language, q.agency, q.year,
                  [_fact_dict(cell)] if cell is not None else [], passages=passages)


def _from_passages(q: Query, search: Search | None) -> Answer:
    """Questions that ask for no number get the report's own words, most relevant sentence first."""
    zh = q.language == "zh"
    passages = _passages(q, search, k=3)
    if not passages:
        return Answer(q.question, "not_found", None, "", "没有找到相关段落。" if zh else "No passage of the report matches.", q.language, q.agency, q.year)
    wanted = _bigrams(q.question) if zh else set()
    lines = [f"{q.agency}{q.year}年报告中最相关的内容：" if zh else f"From the {q.year} report of {q.agency} (no figure asked; the most relevant passages):"]
    for p in passages:
        sentences = [m.group(0).strip() for m in _SENTENCE.finditer(p["text"]) if m.group(0).strip()]
        best = max(sentences, key=lambda s_: len(wanted & _bigrams(s_))) if sentences and wanted else (sentences[0] if sentences else p["text"])
        p["sentence"] = best
        where_ = f"{p['document']} 第{p['line_start']}–{p['line_end']}行 · {p['section']}" if zh else f"{p['document']} lines {p['line_start']}–{p['line_end']} · {p['section']}"
        lines.append(f"- “{best}”（{where_}）" if zh else f"- “{best}” ({where_})")
    return Answer(q.question, "answered", None, "", "\n".join(lines), q.language, q.agency, q.year, passages=passages)


def _passages(q: Query, search: Search | None, k: int = 3) -> list[dict[str, Any]]:
    if search is None:
        return []
    try:
        found = search(q.question, q.agency, q.year, k)
    except Exception:  # retrieval is a help here, never a reason to fail an answer
        return []
    return [{"document": p.document, "agency": p.agency, "year": p.year, "section": p.section, "line_start": p.line_start,
             "line_end": p.line_end, "text": p.text, "score": round(p.score, 4)} for p in found]
