"""Document + facts → retrieval chunks that follow the report's own structure.

Why structure-aware: a reader asks about "依申请公开情况" or "存在的主要问题", and the answer
lives under that heading. So a chunk never crosses a heading (一、 / （一） / 1. / markdown #),
carries its section path, and points at the lines it came from. Statistics tables are not
embedded as they are printed (digit soup ranks badly and wastes embedding time): each table
becomes at most one short sentence built from the extracted facts. Page furniture (copyright,
ICP numbers, navigation, contact lines) is dropped.

Pure: no I/O. `chunk(doc, facts)` is the only entry point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .furniture import is_furniture as _page_line
from .model import Chunk, Document, Fact, Row
from .vocab import label_key, load, squash

MAX_CHARS = 360  # ~200 e5 tokens of Chinese: small enough to be specific, large enough for context
TABLE_MAX_CHARS = 260
HEADING_MAX = 30  # a numbered line longer than this is a paragraph, not a heading

_L1 = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")
_L2 = re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[)）]")
_L3 = re.compile(r"^\s*\d{1,2}\s*[.．、](?!\d)")
_MD = re.compile(r"^\s*(#{1,6})\s*")
_RUN_IN = re.compile(r"[。：:；;]")
_SENT_END = re.compile(r"(?<=[。；;！!？?])")
_CLAUSE_END = re.compile(r"(?<=[，,、])")

_SIGN_OFF = re.compile(r"联系方式|联系电话|填报日期|填报人|审核人|单位负责人")  # the tables' footers
_DATE_ONLY = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?$")
_ATTACHMENT = re.compile(r"^附件\s*\d*[:：]?$")
_T2_ITEM = re.compile(r"^第[二2][十0]?条第[（(][一二三四五六七八九十]+[)）]项$")
_TABLE_CAPTION = re.compile(r"(统计表|情况表|附表)$")

_TABLE_ORDER = {"t2": 0, "t3": 1, "t4": 2, "ind": 3}
_T3_SHORT = re.compile(r"政府信息公开申请数量$")


@dataclass
class _Para:
    text: str
    line: int
    end: int


def chunk(doc: Document, facts: list[Fact]) -> list[Chunk]:
    """The chunks of one document, in reading order."""
    table_lines = _table_lines(doc, facts)
    chunks: list[Chunk] = []
    path: list[tuple[int, str]] = []  # (level, title) from outermost to innermost
    paras: list[_Para] = []
    tops: list[tuple[int, str]] = []  # (line, title) of each level-1 heading, for table chunks
    rows = doc.rows

    def flush() -> None:
        if paras:
            chunks.extend(_pack(paras, _section(path)))
            paras.clear()

    for i, row in enumerate(rows):
        if _is_table_row(doc, row, table_lines):
            continue
        text = _row_text(row)
        if not text or _is_furniture(text):
            continue
        heading = _heading(doc, row, text)
        if heading is not None:
            level, title, body = heading
            flush()
            path = [p for p in path if p[0] < level] + [(level, title)]
            if level == 1:
                tops.append((row.line, title))
            if body:
                paras.append(_Para(text, row.line, _end(row)))
            continue
        if _is_table_caption(text, rows, i, doc, table_lines):
            continue
        if _L3.match(text) and path and path[-1][0] == 3:
            flush()  # a new numbered item without a title closes the previous titled item
            path = path[:-1]
        paras.append(_Para(text, row.line, _end(row)))
    flush()

    for c in _table_chunks(facts, rows):
        c.section = next((t for ln, t in reversed(tops) if ln <= c.line_start), "")
        chunks.append(c)
    chunks.sort(key=lambda c: (c.line_start, c.kind != "table"))
    return chunks


# ------------------------------------------------------------------ rows


def _end(row: Row) -> int:
    return max(row.line, row.end_line)


def _row_text(row: Row) -> str:
    text = " ".join(t.strip() for t in row.texts if t.strip())
    return re.sub(r"\s+", " ", text).strip()


def _is_furniture(text: str) -> bool:
    """The readers' page-furniture rules, plus sign-off and contact lines of the tables' footers."""
    if _page_line(text):
        return True
    if len(text) <= 120 and _SIGN_OFF.search(text):
        return True
    s = squash(text)
    return bool(_DATE_ONLY.match(s) or _ATTACHMENT.match(s))


def _spans(rows: list[Row]) -> dict[int, tuple[int, int]]:
    """Every line a row covers → that row's (first, last) line; built once, looked up per fact."""
    out: dict[int, tuple[int, int]] = {}
    for r in rows:
        span = (r.line, _end(r))
        for ln in range(span[0], span[1] + 1):
            out.setdefault(ln, span)
    return out


def _table_lines(doc: Document, facts: list[Fact]) -> set[int]:
    """Lines that hold table cells: a fact was read there, or the reader saw table structure."""
    lines: set[int] = set()
    for row in doc.rows:
        if row.in_table:
            lines.update(range(row.line, _end(row) + 1))
    spans = _spans(doc.rows)
    for ln in {f.line for f in facts if f.kind == "cell" and f.line}:
        a, b = spans.get(ln, (ln, ln))
        lines.update(range(a, b + 1))
    return lines


def _is_table_row(doc: Document, row: Row, table_lines: set[int]) -> bool:
    if row.in_table or row.line in table_lines:
        return True
    raw = doc.lines[row.line - 1] if 0 < row.line <= len(doc.lines) else ""
    if raw.startswith("\t") and len(raw.strip()) <= 40:
        return True  # a lone cell of a one-cell-per-line table
    if raw.rstrip().endswith("|"):
        return True
    text = _row_text(row)
    return bool(text) and _T2_ITEM.match(squash(text)) is not None


def _near_table(rows: list[Row], i: int, doc: Document, table_lines: set[int]) -> bool:
    for j in (i - 1, i + 1, i + 2, i + 3):
        if 0 <= j < len(rows) and _is_table_row(doc, rows[j], table_lines):
            return True
    return False


def _is_table_caption(text: str, rows: list[Row], i: int, doc: Document, table_lines: set[int]) -> bool:
    """Short label lines that belong to a table (`2018年度政府信息公开情况统计表`)."""
    s = squash(text)
    if len(s) > 40 or "。" in s:
        return False
    return bool(_TABLE_CAPTION.search(s)) and _near_table(rows, i, doc, table_lines)


# ------------------------------------------------------------------ headings


def _heading(doc: Document, row: Row, text: str) -> tuple[int, str, str] | None:
    """(level, title, body) when the row opens a section; body is non-empty for run-in headings
    such as `（一）主动公开情况。根据……`."""
    raw = doc.lines[row.line - 1] if 0 < row.line <= len(doc.lines) else text
    md = _MD.match(raw)
    for level, pattern in ((1, _L1), (2, _L2), (3, _L3)):
        if not pattern.match(text):
            continue
        s = squash(text)
        if len(s) <= HEADING_MAX and (s.count("。") <= 1 and (s.endswith("。") or "。" not in s)):
            if level == 3 and not md and len(s) > 20:
                return None
            return level, _title(s), ""
        m = _RUN_IN.search(s)
        if level < 3 and m and m.start() <= HEADING_MAX:
            return level, _title(s[: m.start()]), s[m.end() :]
        return None
    return None  # an unnumbered markdown heading (the report title) stays a paragraph


def _title(s: str) -> str:
    return s.rstrip("。.：:；;，, ")


def _section(path: list[tuple[int, str]]) -> str:
    return " > ".join(t for lvl, t in path if lvl > 0)


# ------------------------------------------------------------------ packing


def _pack(paras: list[_Para], section: str) -> list[Chunk]:
    """Greedy packing of paragraphs (split at sentence ends when too long) into chunks."""
    pieces: list[_Para] = []
    for p in paras:
        if len(p.text) <= MAX_CHARS:
            pieces.append(p)
        else:
            pieces.extend(_Para(t, p.line, p.end) for t in _split_long(p.text))
    out: list[Chunk] = []
    cur: list[_Para] = []
    size = 0
    for p in pieces:
        if cur and size + len(p.text) + 1 > MAX_CHARS:
            out.append(_make(cur, section))
            cur, size = [], 0
        cur.append(p)
        size += len(p.text) + 1
    if cur:
        out.append(_make(cur, section))
    return out


def _make(parts: list[_Para], section: str) -> Chunk:
    return Chunk("\n".join(p.text for p in parts), section, parts[0].line, max(p.end for p in parts), "text")


def _split_long(text: str) -> list[str]:
    sentences = [s for s in _SENT_END.split(text) if s]
    units: list[str] = []
    for s in sentences:
        if len(s) <= MAX_CHARS:
            units.append(s)
            continue
        for c in (x for x in _CLAUSE_END.split(s) if x):
            units.extend(c[i : i + MAX_CHARS] for i in range(0, len(c), MAX_CHARS))
    out: list[str] = []
    cur = ""
    for u in units:
        if cur and len(cur) + len(u) > MAX_CHARS:
            out.append(cur)
            cur = ""
        cur += u
    if cur:
        out.append(cur)
    return out


# ------------------------------------------------------------------ tables


def _table_chunks(facts: list[Fact], rows: list[Row]) -> list[Chunk]:
    """One short linearised chunk per extracted table."""
    by_table: dict[str, list[Fact]] = {}
    for f in facts:
        if f.kind == "cell" and f.table:
            by_table.setdefault(f.table, []).append(f)
    out: list[Chunk] = []
    line_spans = _spans(rows)
    for table in sorted(by_table, key=lambda t: _TABLE_ORDER.get(t, 9)):
        fs = by_table[table]
        spans = [line_spans.get(f.line, (f.line, f.line)) for f in fs if f.line]
        if not spans:
            continue
        text = linearise(table, fs)
        out.append(Chunk(text, "", min(s[0] for s in spans), max(s[1] for s in spans), "table"))
    return out


def linearise(table: str, facts: list[Fact]) -> str:
    """`表三 收到和处理政府信息公开申请情况: 本年新收 总计 12, 自然人 10; …; 其余为0` — the
    non-zero cells first (they carry the information), grouped by row, bounded in length."""
    vocab = load()
    known = table in vocab.tables and table != "ind"
    title = vocab.title(table) if known else "统计指标表"
    rows = {e.key: e.label for e in vocab.rows(table)} if known else {}
    cols = {e.key: e.label for e in vocab.columns(table)} if known else {}
    groups: dict[tuple[int, str], list[str]] = {}
    zeros = 0
    for f in facts:
        if f.value is None:
            continue
        key_zero = (table == "t3" and f.row in _T3_KEY_ROWS and f.column == "total") or (
            table == "t4" and f.column == "total"
        )
        if f.value == 0 and not key_zero:
            zeros += 1
            continue
        priority = 1 if table == "t3" and f.column != "total" else 0
        label, col, num = _item(table, f, rows, cols)
        cell = f"{col} {num}".strip()
        cells = groups.setdefault((priority, label), [])
        if cell not in cells:
            cells.append(cell)
    body = ""
    for (_, label), cells in sorted(groups.items(), key=lambda kv: kv[0][0]):
        item = f"{label} {', '.join(cells)}"
        nxt = f"{body}; {item}" if body else item
        if len(title) + len(nxt) + 8 > TABLE_MAX_CHARS:
            body += " …"
            break
        body = nxt
    if zeros and not body.endswith("…"):
        body = f"{body}; 其余为0" if body else "均为0"
    return f"{title}: {body}"


_T3_KEY_ROWS = {"new", "carried_over", "total_handled", "carried_forward"}
_T3_NAMES = {"total_handled": "办理结果", "carried_forward": "结转下年度继续办理"}


def _item(table: str, f: Fact, rows: dict[str, str], cols: dict[str, str]) -> tuple[str, str, str]:
    if table == "ind":
        label = f.topic or label_key(f.row_label)
        col = ""
    else:
        label = label_key(rows.get(f.row, f.row_label)) or squash(f.row_label)
        if table == "t3":
            label = _T3_NAMES.get(f.row) or _T3_SHORT.sub("", label)
        col = label_key(cols.get(f.column, f.column_label)) if (f.column or f.column_label) else ""
    value = f.value
    num = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if f.qualifier == "more_than":
        num += "余"
    unit = f.unit if f.unit in ("万元", "元") or table == "ind" else ""
    return label, col, num + unit
