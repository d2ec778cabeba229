"""Rows of cells → table facts under canonical keys, for all three template generations.

Rows are recognised by their labels, not by their position: a label names its row (matched
against the vocabulary), and the cells after the last label are that row's values. This one
rule survives merged and split headers, group labels printed only on the first sub-row, and
extra empty cells that shift numbers. Arithmetic recovers numbers printed with no separators
(`640020470` for seven columns) only where it leaves exactly one answer.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .model import Cell, Document, Row
from .numbers import UNITS, Parsed, digit_splits, parse_cell
from .table3 import T3Row, read_t3_row, write_t3
from .table4 import T4Reader
from .table_facts import FactWriter, TableResult, padded_readings
from .table_ind import IndReader
from .table_keys import T2_COLS, T2_ROWS, T3_COLS, T3_ROWS, T3_STRONG, T3_TOP, V
from .vocab import Entry, find, find_fragment, find_near, label_key, squash, strip_numbering

_PARENTS = {e.parent for e in T3_ROWS if e.parent}
_T2_ITEM = re.compile(V.tables["grid"]["t2_item"])
_CJK = re.compile(r"[\u4e00-\u9fff]")
_HEADING = re.compile(r"^[一二三四五六七八九十]+[、.．]")  # 一、 : a section heading or a top-level row
_PLACEHOLDER = re.compile(V.tables["grid"]["placeholder"])
_TABLE_WORD = re.compile("|".join(V.tables["grid"]["strong"]))
_T4_LABEL = re.compile("|".join(V.tables["grid"]["t4"]) + "|总计|合计")
_T2_TEMPLATES: dict[str, dict[str, list[str]]] = V.tables["grid"]["t2_columns"]
_UNIT_IN_HEADER = re.compile(r"单位[:：]\s*([\u4e00-\u9fff]+)")


def extract_tables(doc: Document, printed: Document | None = None) -> TableResult:
    """The tables of `doc` (as read: in simplified characters); facts quote `printed` (as printed)."""
    return _Walker(doc, printed or doc).run()


def _find(entries: list[Entry], text: str) -> Entry | None:
    """A label as printed, or with one character misprinted."""
    return find(entries, text) or find_near(entries, text)


@lru_cache(maxsize=4096)
def _column_label(text: str) -> bool:
    """A label of a 表二 column, not of a row."""
    return _find(T2_COLS, text) is not None and _find(T2_ROWS, text) is None


def _cut_header(text: str, seen: int, count: int) -> Entry | None:
    """A 表二 header cut short (本年新 | 本年新 for 本年新制作数量 | 本年新公开数量): the columns whose
    labels it starts, in the template's order, when it is printed once for each of them."""
    cut = [e for e in T2_COLS if len(text) >= 3 and e.label.startswith(text)]
    return cut[seen] if len(cut) == count else None


def _unpad(cells: list[Cell]) -> list[Cell]:
    """A row without the empty slots a spanned value covers (the readers place a spanned cell
    once and pad after it), so a value's colspan does not push the next values one column on.
    Labels keep their padding: the label columns are told apart from the values by the walker."""
    out: list[Cell] = []
    skip = 0
    for c in cells:
        if skip and not c.text.strip():
            skip -= 1
            continue
        p = parse_cell(c.text) if c.colspan > 1 else None
        skip = c.colspan - 1 if p is not None and p.qualifier != "empty" else 0
        out.append(c)
    return out


def _is_group(e: Entry) -> bool:
    """A row that has sub-items: (三)(四)(五), and (六)其他处理 in the 2021 template."""
    return e.group or e.key in _PARENTS


def _labels(cells: list[Cell]) -> list[int]:
    """Cells that name a row: Chinese text that is not a number or a unit. `1O` or `N/A` where a
    number should be is a value that cannot be read, not part of the row's name."""
    return [
        i
        for i, c in enumerate(cells)
        if _CJK.search(c.text) and parse_cell(c.text) is None and squash(c.text) not in UNITS
    ]


class _Walker:
    def __init__(self, doc: Document, printed: Document) -> None:
        self.doc = doc
        self.writer = FactWriter(printed)
        self.out = self.writer.out
        self.ctx: str | None = None
        self.section: str | None = None
        self.t2_item = ""
        self.t2_cols: list[tuple[str, str, str]] = []
        self.t2_read: dict[str, list[str]] = {}  # item → the column keys its header printed
        self.t3_group: Entry | None = None
        self.t3_open: tuple[Entry, Row, list[str]] | None = None  # a row that may be a group or a row
        self.t3: dict[str, T3Row] = {}
        self.t3_collabels = [c.label for c in T3_COLS]
        self.ind = IndReader(self.writer)
        self.section_lines: dict[str, list[int]] = {}  # section of a table → its first and last line
        self.printed: set[str] = set()  # sections that print a table's labels
        self.t4 = T4Reader(self.writer)

    # ------------------------------------------------------------------ walk
    def run(self) -> TableResult:
        for row in self.doc.rows:
            self.row(row)
        self.t4.flush()
        write_t3(self.t3, self.t3_collabels, self.writer)
        for table, (a, b) in self.section_lines.items():
            if table in self.printed and not any(f.table == table for f in self.out.facts):
                self.out.notes.append(f"{V.title(table)}: its section (lines {a}–{b}) yields no table cells")
        return self.out

    def row(self, row: Row) -> None:
        """One row, read by what its labels name in the table being read. Kept as one ordered list of
        tests on purpose: the order is the rule (an OCR'd header before an indicator header before a
        表二 item before 表四's labels before 表三's), which split up would hide."""
        if self.section:
            self.section_lines[self.section][1] = max(row.end_line, row.line)
            if self.section not in self.printed and any(_TABLE_WORD.search(c.text) for c in row.cells):
                self.printed.add(self.section)  # the section prints a table's labels
        if not row.in_table:
            self.text_row(row)
            return
        plain = row.plain  # cut from text without separators (grid.py)
        cells = _unpad(row.cells)
        labels = _labels(cells)
        texts = [squash(cells[i].text) for i in labels]
        joined = "".join(texts)
        if sum(bool(_PLACEHOLDER.fullmatch(t)) for t in texts) >= 3:
            self.ctx = "t3"  # OCR'd applicant headers (数据1 … 数据6 总计): a header, its 总计 too
            return

        if any("统计指标" in t for t in texts) or (
            "指标" in joined and "单位" in "".join(squash(c.text) for c in cells)
        ):
            self.ctx = "ind"
            self.ind.start(cells)
            return
        if self.ctx == "ind":
            self.ind.row(row, cells, labels)
            return
        item = _T2_ITEM.search(joined)
        if item:
            self.start_t2(item.group(1))
        header = next(
            (
                i
                for i, t in zip(labels, texts)
                if len(t) >= 4 and sum(a != b for a, b in zip(t, "信息内容")) <= 1
            ),
            None,
        )
        if self.ctx == "t2" and header is not None:
            last = labels[-1]
            if last > header and _find(T2_ROWS, texts[-1]) and not _column_label(texts[-1]):
                # a row with all its cells empty, run on into the header (`…本年增/减 | 行政事业性收费 | |`)
                self.t2_header(cells[:last], header)
                self.t2_row(row, texts[-1:], cells[last + 1 :], plain)
                return
            self.t2_header(cells, header)
            return
        if self.ctx == "t2" and self.t2_columns_only(cells, labels, texts):
            self.t2_header(cells, -1)  # a header printed without its 信息内容
            return
        if item:
            return
        if (
            "行政复议" in joined
            and ("行政诉讼" in joined or "结果维持" in joined)
            or sum(t in ("结果维持", "结果纠正", "其他结果", "尚未审结") for t in texts) >= 2
        ):
            self.ctx = "t4"
            self.t4.add(row, cells[labels[-1] + 1 :])  # numbers printed straight after the header
            return
        if self.ctx == "t4" and texts and all(_T4_LABEL.search(t) for t in texts):
            self.t4.add(row, cells[labels[-1] + 1 :])  # a sub-table's heading or header: 复议后起诉 …
            return
        if labels:
            self.t4.flush()  # a label that is not 表四's: its numbers so far are all there are
        named = sum(1 for t in texts if _find(T3_COLS, t))
        if "申请人情况" in joined or named >= 3 or self.t3_header_like(cells, labels, texts):
            self.ctx = "t3"
            for t in texts:
                if "社会" in t and "组织" in t:
                    self.t3_collabels[3] = t
            return
        values = cells[labels[-1] + 1 :] if labels else cells
        if not labels:
            if self.ctx == "t4" or (self.section == "t4" and not self.t4.done):
                self.t4.add(row, values)
            return
        entry = self.match_t3(texts, len(values))
        if entry is not None:
            self.ctx = "t3"
            opened, self.t3_open = self.t3_open, None
            if opened and entry.parent != opened[0].key:  # （六）其他处理 had no sub-items: a row, all empty
                self.t3_row(opened[0], opened[1], opened[2], [])
            if entry.group or (_is_group(entry) and not values):
                self.t3_group = entry  # a group label on a row of its own
                self.t3_open = None if entry.group else (entry, row, texts)
            else:
                self.t3_row(entry, row, texts, values)
            return
        if self.ctx == "t2" and (self.t2_cols or self.t2_template_columns()):
            self.t2_row(row, texts, values, plain)

    def text_row(self, row: Row) -> None:
        """A line outside any table: a section heading, or a 表二 item named in the text."""
        text = squash(row.cells[0].text)
        if _HEADING.match(text) and not find(T3_STRONG, text):
            self.heading(text, row.line)
            return
        if self.ctx == "ind":
            self.ctx = None
        item = _T2_ITEM.search(text)
        if item:
            self.start_t2(item.group(1))

    def t3_header_like(self, cells: list[Cell], labels: list[int], texts: list[str]) -> bool:
        """Applicant column labels and no numbers, one of them misprinted (`法人或其甲组织 总计`)."""
        if len(texts) < 2 or any(c.text.strip() for c in cells[labels[-1] + 1 :]):
            return False
        cols = [t for t in texts if len(t) <= 8 and strip_numbering(t) == t and _find(T3_COLS, t)]
        return len(cols) >= len(texts) - 1

    def heading(self, text: str, line: int) -> None:
        self.t4.flush()
        self.ctx = None
        if "主动公开" in text:
            self.section = "t2"
        elif "申请" in text and ("收到" in text or "处理" in text):
            self.section, self.ctx = "t3", "t3"
        elif "行政复议" in text or "行政诉讼" in text:
            self.section, self.ctx = "t4", "t4"
        else:
            self.section = None
        if self.section:
            self.section_lines.setdefault(self.section, [line, line])

    # ------------------------------------------------------------------ table 二
    def start_t2(self, item: str) -> None:
        self.t4.flush()
        self.ctx, self.t2_item, self.t2_cols = "t2", item, []
        self.out.tables.add("t2")

    def t2_columns_only(self, cells: list[Cell], labels: list[int], texts: list[str]) -> bool:
        """A row of 表二 column labels and nothing else (`本年处理决定数量`)."""
        return (
            bool(texts)
            and not any(c.text.strip() for c in cells[labels[-1] + 1 :])
            and all(map(_column_label, texts))
        )

    def t2_template_columns(self) -> bool:
        """An item printed with no header row of its own (a page that dropped its repeated lines):
        the columns the template gives the item, when the headers printed so far fit one template
        generation and one only (in both, （六） has the columns of （五）)."""
        fits = [
            items
            for items in _T2_TEMPLATES.values()
            if all(items.get(i) == keys for i, keys in self.t2_read.items())
        ]
        if not self.t2_read or len(fits) != 1 or self.t2_item not in fits[0]:
            return False
        cols = {e.key: e for e in T2_COLS}
        self.t2_cols = [(k, cols[k].label, cols[k].unit) for k in fits[0][self.t2_item]]
        self.out.notes.append(
            f"表二 第二十条第（{self.t2_item}）项 prints no header row: read with the columns its template "
            f"gives it ({' / '.join(c for _, c, _ in self.t2_cols)})"
        )
        return True

    def t2_header(self, cells: list[Cell], first: int) -> None:
        cols = []
        texts = [t for t in (squash(c.text) for c in cells[first + 1 :]) if t]
        for i, t in enumerate(texts):
            e = _find(T2_COLS, t) or _cut_header(t, texts[:i].count(t), texts.count(t))
            unit = _UNIT_IN_HEADER.search(t)
            cols.append((e.key if e else label_key(t), t, unit.group(1) if unit else (e.unit if e else "")))
        self.t2_cols = cols
        self.t2_read[self.t2_item] = [k for k, _, _ in cols]

    def t2_row(self, row: Row, texts: list[str], values: list[Cell], plain: bool = False) -> None:
        """`plain`: the row was printed as text with no cell separators, so fewer numbers than
        columns means they may be glued together (`3111.1` for 3 and 111.1), not missing."""
        label = texts[-1]
        e = _find(T2_ROWS, label)
        if e is None and not any(v.text.strip() for v in values):
            return  # text that names no row of 表二 and holds no number (a cut-off label of the next table)
        key = e.key if e else label_key(label)
        n = len(self.t2_cols)
        readings = padded_readings(values, n)
        vals = readings[0] if len(readings) == 1 else list(values)
        while len(vals) > n and vals and not vals[0].text.strip():
            vals.pop(0)  # more numbers than columns: the empty cells before them are label columns
        digits = vals[0].text.strip() if vals else ""
        printed = [v for v in vals if v.text.strip()]
        if (
            n > 1
            and len(digits) > 1
            and digits.isdigit()
            and len(printed) == 1
            and (plain or len(vals) == 1)
            and not self.writer.alone(vals[0])
        ) and self.t2_digit_run(row, key, label, digits, vals[0].line or row.line):
            return
        if plain and len(printed) > n:  # more numbers than columns on a row cut from text: which are its own?
            self.out.notes.append(
                f"表二 {label} (line {row.line}): {len(printed)} numbers for {n} columns; stored as "
                "unresolved"
            )
        glued = plain and (0 < len(printed) < n or len(printed) > n)
        shifted = not plain and len(readings) > 1
        if shifted:
            self.out.notes.append(
                f"表二 {label} (line {row.line}): {len(vals)} cells for {n} columns, padded with empty cells "
                "before or after its numbers: which are its columns is unknown; stored as unresolved"
            )
        if glued and len(printed) < n:
            self.out.notes.append(
                f"表二 {label} (line {row.line}): '{' '.join(v.text for v in vals)}' for {n} columns "
                "(numbers printed together, or empty cells left out): which column is which is unknown; "
                "stored as unresolved"
            )
        for j, (ckey, clabel, cunit) in enumerate(self.t2_cols):
            cell = vals[j] if j < len(vals) else Cell("", line=row.line)
            parsed = (
                Parsed(None, "", "unresolved")
                if glued or shifted
                else parse_cell(cell.text) or Parsed(None, "", "unresolved")
            )
            self.writer.cell(
                "t2", key, ckey, label, clabel, parsed, cell.text.strip(), cell.line or row.line, row, cunit
            )
        self.out.tables.add("t2")

    def t2_digit_run(self, row: Row, key: str, label: str, digits: str, line: int) -> bool:
        """One run of digits for all the columns (`规章000`: one cell for three): its cells, when the
        digits can be cut at all (unresolved unless one way only)."""
        splits = list(digit_splits(digits, len(self.t2_cols), limit=3))
        if not splits:
            return False
        self.out.tables.add("t2")
        for j, (ckey, clabel, cunit) in enumerate(self.t2_cols):
            value = splits[0][j] if len(splits) == 1 else None
            parsed = Parsed(value, "", "split" if len(splits) == 1 else "unresolved")
            self.writer.cell("t2", key, ckey, label, clabel, parsed, digits, line, row, cunit)
        if len(splits) != 1:
            self.out.notes.append(
                f"表二 {label} (line {row.line}): digits {digits} printed without separators can be "
                f"read {len(splits)} ways; stored as unresolved"
            )
        return True

    # ------------------------------------------------------------------ table 三
    def match_t3(self, texts: list[str], n_values: int) -> Entry | None:
        """The row a set of labels names; sub-items are read within the current group."""
        found: Entry | None = None
        group = self.t3_group
        for t in texts:
            children = [e for e in T3_ROWS if group and e.parent == group.key]
            e = _find(children, t) if children else None
            if e is None:
                pool = T3_TOP if self.ctx == "t3" else T3_STRONG
                e = _find(pool, t)
            if e is None and found is None and group is None and self.ctx == "t3":
                e = _find([x for x in T3_ROWS if x.parent], t)  # a sub-item whose group label was lost
            if e is not None:
                found = e
                if _is_group(e):
                    group = e
        if found is None and n_values >= 5:
            found = find_fragment(T3_ROWS, texts[-1])
        if found is not None and _is_group(found):
            self.t3_group = found
        elif found is not None and found.parent:
            self.t3_group = next(e for e in T3_ROWS if e.key == found.parent)
        elif found is not None and found.key not in ("results",):
            self.t3_group = None
        return found

    def t3_row(self, entry: Entry, row: Row, texts: list[str], values: list[Cell]) -> None:
        if entry.key in self.t3:
            self.out.notes.append(
                f"表三 {entry.label} printed twice (lines {self.t3[entry.key].row.line} and {row.line}); the "
                "first is kept"
            )
            return
        self.t3[entry.key] = read_t3_row(entry.key, " ".join(texts), row, values, self.writer.alone)
        self.out.tables.add("t3")
