"""Which stated figures may stand for a missing table cell.

When a report's table is absent or cut off, a sentence may give a cell's figure — but only a sentence
that names what sets that cell apart from its neighbours: the section's subject (诉讼 for a lawsuit cell,
复议 for reconsideration), the row, and the column's qualifier unless the column is the plain count
(对外公开总数 needs 总数/累计, 尚未审结 needs 未审结; 总计 and 本年新公开 need nothing, but then no
neighbour's word may be in the number's clause). `主动公开规章13件` is the year's new disclosures,
never the total; `另有72件申请顺延到下年度答复` never answers a question about lawsuits. The words are
data (ingest/vocab.toml [stated_guard]).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.store import StoredFact
from ingest.vocab import load

from .model import Query
from .wording import _carry, clause

V = load()
G = V.tables["stated_guard"]
_CLAUSE = re.compile(r"[，,；;。！？、]")
_BRACKET = re.compile(r"[（(]")
_LIST_END = re.compile(r"[，,；;。！？]")  # 、 joins the items of one list
_GENERIC = set(V.tables["prose"]["generic_row_words"])  # 答复, 办理: every section's verbs, no neighbour's
_COUNT = re.compile(r"\d\s*(?:" + "|".join(map(re.escape, sorted(V.units, key=len, reverse=True))) + ")")


def for_cell(q: Query, facts: list[StoredFact]) -> list[StoredFact]:
    """The facts a question naming a table cell may be answered from: none when the question names a
    section the cell is not of (lawsuits, read as a cell of table 三); else all but the stated figures
    (sentences, indicator rows) that cannot stand for the cell. Facts unchanged for other questions."""
    if not q.table:
        return facts
    if _misread(q):
        return []
    return [f for f in facts if not (f.kind == "prose" or f.table == "ind") or _stands_for(q, f)]


def _misread(q: Query) -> bool:
    """The question names lawsuits or reconsideration, and the cell's label says neither."""
    label = next((e.label for e in V.rows(q.table) if e.key == q.row), "")
    return any(_asks(w, q.question) and not _any(_zh(w), label) for w in G["asked"].values())


@dataclass
class _Said:
    """Where a number is printed: its clause, its lead-in that counts nothing else with the clause, its
    list (累计公开规章524件、规范性文件368件: 累计 is said of both) and its whole sentence."""

    clause: str
    own: str
    items: str
    sentence: str


def _said(f: StoredFact) -> _Said:
    text, lead = (_carry(x, f.year) for x in clause(f))  # 2022年结转 in a 2023 report is 上年结转
    before = lead[: len(lead) - len(text)]
    own = " ".join([*(c for c in _CLAUSE.split(before) if not _COUNT.search(c)), text])
    items = _from_bracket(_LIST_END.split(lead)[-1], f.raw)
    return _Said(_from_bracket(text, f.raw), own + " " + items, items, f.quote)


def _from_bracket(text: str, raw: str) -> str:
    """答复申请805件（含上年度结转申请18件: the 18's clause starts at the bracket."""
    at = text.find(raw)
    return _BRACKET.split(text[:at])[-1] + text[at:] if at >= 0 else text


def _stands_for(q: Query, f: StoredFact) -> bool:
    said = _said(f)
    return any(_names_cell(q.table, q.row, col, said, f.value == 0) for col in _columns(q))


def _columns(q: Query) -> list[str]:
    """The columns the question may mean: a table 二 row asked without a column has defaults, the
    columns whose words it says (a template's column the question's reading did not choose), and a
    question that asks for no stock (总数, in force) may mean the year's plain count (公开规章13件)."""
    if q.table != "t2" or q.column_named:
        return [q.column]
    of_row = V.tables["t2_columns_of"].get(q.row, [])
    said = [c for c in of_row if _asks(_zh(_col_words(c)), q.question)]  # 发布 of 本年制发 (2021 template)
    defaults = [*said, q.column, *V.tables["t2_default_columns"].get(q.row, [])[1:]]
    if _asks(G["stock"]["asked"], q.question):
        return defaults
    return [*defaults, *(c for c in of_row if not _col_words(c))]


def _names_cell(table: str, row: str, column: str, said: _Said, zero: bool) -> bool:
    """The subject anywhere in the sentence; the row's and the qualifier's words in the number's own
    lead-in, clause or list; once the cell's own words are removed, no word of a neighbouring row left
    in its clause nor of a neighbouring column in its list — unless it states none (未发生行政复议、
    行政诉讼 is 0 of each)."""
    subject, row_words, col_words = _subject(table, row), _required(row), _col_words(column)
    if subject and not _any(subject, said.sentence):
        return False
    if not all(_any(w, said.own) for w in (row_words, col_words) if w):
        return False
    mine = sorted({*subject, *_row_words(table, row), *col_words, *_kin(table, row)}, key=len, reverse=True)
    rows, columns = _neighbours(table, row, column)
    return zero or not (_any(rows, _without(said.clause, mine)) or _any(columns, _without(said.items, mine)))


def _without(text: str, words: list[str]) -> str:
    for w in words:
        text = text.replace(w, " ")
    return text


def _subject(table: str, row: str) -> list[str]:
    return list(G["subject"].get(row) or G["subject"].get(table, []))


def _required(row: str) -> list[str]:
    """The words a sentence must say for the row (直接起诉): what sets it apart from its kin."""
    return list(G["row_words"].get(row, []))


def _row_words(table: str, row: str) -> list[str]:
    """What names the row in a sentence: table 三's rows by the vocabulary's words, others by the guard's."""
    if table == "t3":
        return [w for e in V.rows("t3") if e.key == row for w in e.zh if len(w) >= 2]
    return _required(row)


def _col_words(column: str) -> list[str]:
    return list(G["qualifiers"].get(column, []))


def _kin(table: str, row: str) -> list[str]:
    """The words of a row's parent group (不予公开 for 第三方…不予公开): its context, not a neighbour."""
    parents = [e.parent for e in V.rows(table) if e.key == row and e.parent]
    return [w for p in parents for w in _row_words(table, p)]


def _neighbours(table: str, row: str, column: str) -> tuple[list[str], list[str]]:
    """The words of the other rows, and of the other columns, of the cell's table."""
    rows = [e.key for e in V.rows(table) if e.key != row]
    columns = [e.key for e in V.columns(table) if e.key != column]
    if table == "t2":  # a row of table 二 has only some of its columns
        columns = [c for c in V.tables["t2_columns_of"].get(row, []) if c != column]
    row_words = [w for r in rows for w in (*_subject(table, r), *_row_words(table, r))]
    column_words = [w for c in columns for w in _col_words(c)]
    return [w for w in row_words if w not in _GENERIC], [w for w in column_words if w not in _GENERIC]


def _asks(words: list[str], question: str) -> bool:
    """A section word in the question: Chinese as printed, English as a whole word."""
    return any(
        (w in question) if _zh([w]) else re.search(rf"\b{re.escape(w)}", question, re.I) is not None
        for w in words
    )


def _zh(words: list[str]) -> list[str]:
    return [w for w in words if re.search(r"[\u4e00-\u9fff]", w)]


def _any(words: list[str], text: str) -> bool:
    return any(w in text for w in words)
