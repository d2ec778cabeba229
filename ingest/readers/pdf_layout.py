"""A PDF's pages (text lines with their positions, and tables) → paragraphs and table rows:
page furniture dropped, wrapped lines joined, unruled tables found by their columns, a table
continued on the next page joined under its header."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..blocks import Block, Para, Table, clean_text, join_text
from ..furniture import is_furniture
from ..model import Cell
from ..numbers import parse_cell

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
    r"|\d+\s*/\s*\d+|(?:page|Page|PAGE)\s*\d+(?:\s*of\s*\d+)?)$"
)
_HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]"
    r"|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]"
    r"|\d{1,2}\s*[.．、](?!\d)|第[一二三四五六七八九十]+[章节条])"
)
CELL_GAP = 1.0  # a gap of this many font sizes (≈ two spaces) between characters separates cells
BAND = 0.08  # top and bottom bands of a page, where running headers and page numbers live


@dataclass
class _PdfLine:
    cells: list[str]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    numeric: bool = False
    row: bool = False  # a one-cell row of an unruled table
    starts: list[float] = field(default_factory=list)  # x0 of each cell

    @property
    def text(self) -> str:
        return " ".join(self.cells)


@dataclass
class PdfPage:
    number: int
    height: float
    items: list[tuple[float, _PdfLine | Table]]


def pdf_lines(chars: list[dict[str, Any]], page: int) -> list[_PdfLine]:
    """Characters → text lines; a line's cells are split where the gap is wider than CELL_GAP."""
    chars = [c for c in chars if c.get("upright", True)]
    if not chars:
        return []
    chars.sort(key=lambda c: (c["top"], c["x0"]))
    groups: list[list[dict[str, Any]]] = []
    for c in chars:
        mid = (c["top"] + c["bottom"]) / 2
        for g in reversed(groups[-3:]):
            top, bottom = g[0]["top"], g[0]["bottom"]
            if top - 0.5 <= mid <= bottom + 0.5:
                g.append(c)
                break
        else:
            groups.append([c])
    lines = []
    for g in groups:
        g.sort(key=lambda c: c["x0"])
        visible = [c for c in g if c["text"].strip()]
        if not visible:
            continue
        size = max(1.0, sorted(c["size"] for c in visible)[len(visible) // 2])
        cells: list[str] = [""]
        starts: list[float] = []
        prev = None
        for c in g:
            ch = c["text"]
            if not ch.strip():
                if cells[-1] and not cells[-1].endswith(" "):
                    cells[-1] += " "
                continue
            if prev is not None:
                gap = c["x0"] - prev["x1"]
                if gap >= CELL_GAP * size:
                    cells.append("")
                    starts.append(c["x0"])
                elif gap > 0.2 * size and cells[-1] and not cells[-1].endswith(" "):
                    cells[-1] += " "
            if prev is None:
                starts.append(c["x0"])
            cells[-1] += ch
            prev = c
        keep = [i for i, x in enumerate(cells) if clean_text(x)]
        cells, starts = [clean_text(cells[i]) for i in keep], [starts[i] for i in keep]
        line = _PdfLine(
            cells,
            visible[0]["x0"],
            visible[-1]["x1"],
            min(c["top"] for c in visible),
            max(c["bottom"] for c in visible),
            size,
            page,
            starts=starts,
        )
        line.numeric = any(_is_number(x) for x in cells)
        lines.append(line)
    return lines


def pdf_blocks(pages: list[PdfPage]) -> list[Para | Table]:
    # running headers/footers: a line in the top/bottom band repeated on several pages, and page numbers
    def band(line: _PdfLine, height: float) -> bool:
        return line.top < height * BAND or line.bottom > height * (1 - BAND)

    def key(text: str) -> str:
        return re.sub(r"\d+", "#", text.replace(" ", ""))

    seen: dict[str, int] = {}
    for p in pages:
        for text in {key(it.text) for _, it in p.items if isinstance(it, _PdfLine) and band(it, p.height)}:
            seen[text] = seen.get(text, 0) + 1
    repeated = {t for t, n in seen.items() if n >= 2 and len(pages) >= 2 and n >= len(pages) / 2}

    seq: list[_PdfLine | Table] = []
    for p in pages:
        page_items: list[_PdfLine | Table] = []
        for _, it in p.items:
            if (
                isinstance(it, _PdfLine)
                and band(it, p.height)
                and (_PAGE_NUMBER.match(it.text) or key(it.text) in repeated)
            ):
                continue
            if isinstance(it, _PdfLine) and is_furniture(it.text):
                continue
            page_items.append(it)
        # a table continued from the previous page: same columns, nothing in between
        first, cont = (seq[-1], page_items[0]) if seq and page_items else (None, None)
        if (
            isinstance(first, Table)
            and isinstance(cont, Table)
            and first.page == p.number - 1
            and _width(first) == _width(cont)
        ):
            page_items.pop(0)
            rows = cont.rows
            k = 0
            while (
                k < len(rows)
                and k < len(first.rows) - 1
                and _texts(rows[k]) == _texts(first.rows[k])
                and not any(_is_number(c.text) for c in rows[k])
            ):
                k += 1  # the header printed again on the new page
            first.rows.extend(rows[k:])
            first.page = p.number
        seq.extend(page_items)
    _mark_text_tables(seq)
    return _pdf_paragraphs(seq, pages)


def _is_number(text: str) -> bool:
    parsed = parse_cell(text)
    return parsed is not None and parsed.is_number


def _width(t: Table) -> int:
    return max(len(r) for r in t.rows)


def _texts(row: list[Cell]) -> list[str]:
    return [c.text.replace(" ", "") for c in row]


def _mark_text_tables(seq: list[_PdfLine | Table]) -> None:
    """An unruled table: lines of several cells. A lone line of several cells with no number in
    it is a paragraph with wide spaces, not a table. A short one-cell line inside a run of such
    lines, at the run's row pitch, is a row whose value cells are empty (`2.重复申请` with
    nothing printed after it)."""
    multi = [isinstance(it, _PdfLine) and len(it.cells) >= 2 for it in seq]
    pitches: dict[int, list[float]] = {}
    for a, b, ma, mb in zip(seq, seq[1:], multi, multi[1:]):
        if ma and mb and isinstance(a, _PdfLine) and isinstance(b, _PdfLine) and a.page == b.page:
            pitches.setdefault(a.page, []).append(b.top - a.top)
    pitch = {p: sorted(v)[len(v) // 2] for p, v in pitches.items()}

    def close(a: _PdfLine | Table, b: _PdfLine | Table) -> bool:
        if not (isinstance(a, _PdfLine) and isinstance(b, _PdfLine)):
            return False
        if a.page != b.page or a.page not in pitch:
            return False
        return 0 < b.top - a.top <= 1.1 * pitch[a.page] + 0.5  # table rows are evenly spaced

    def short(it: _PdfLine | Table) -> bool:
        return (
            isinstance(it, _PdfLine)
            and len(it.cells) == 1
            and len(it.cells[0]) <= 40
            and "。" not in it.cells[0]
        )

    for i, it in enumerate(seq):
        if multi[i] or not short(it):
            continue
        j = i
        while j > 0 and not multi[j - 1] and short(seq[j - 1]) and close(seq[j - 1], seq[j]):
            j -= 1
        k = i
        while k + 1 < len(seq) and not multi[k + 1] and short(seq[k + 1]) and close(seq[k], seq[k + 1]):
            k += 1
        after = k + 1 < len(seq) and multi[k + 1] and close(seq[k], seq[k + 1])
        if j > 0 and multi[j - 1] and close(seq[j - 1], seq[j]) and after:
            columns = seq[j - 1].starts + seq[k + 1].starts  # type: ignore[union-attr]
            if any(abs(it.x0 - x) <= 2 for x in columns):  # type: ignore[union-attr]
                it.row = True  # type: ignore[union-attr]
    rowish = [multi[i] or (isinstance(it, _PdfLine) and it.row) for i, it in enumerate(seq)]
    for i, it in enumerate(seq):
        beside_row = (i > 0 and rowish[i - 1]) or (i + 1 < len(seq) and rowish[i + 1])
        if isinstance(it, _PdfLine) and multi[i] and not it.numeric and not beside_row:
            it.cells = [" ".join(it.cells)]


def _align(lines: list[_PdfLine]) -> list[list[Cell]]:
    """Rows of an unruled table. Where cells start at the same x on several rows, those x are
    the table's columns, and a row whose cells all start on them gets its blank cells back
    (`(六)其他处理` with nothing after it is a row of eight empty cells, not a lone label)."""
    starts = sorted(x for ln in lines for x in ln.starts)
    clusters: list[list[float]] = []
    for x in starts:
        if clusters and x - clusters[-1][-1] <= 1.5:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    columns = [c[0] for c in clusters if len(c) >= 3 and c[-1] - c[0] <= 1.5]
    out = []
    for ln in lines:
        slots = [next((k for k, x in enumerate(columns) if abs(s - x) <= 1.5), None) for s in ln.starts]
        placed = [s for s in slots if s is not None]
        in_columns = len(placed) == len(slots) == len(set(placed)) and placed == sorted(placed)
        if columns and in_columns and len(ln.cells) < len(columns):
            row = [Cell("") for _ in columns]
            for k, text in zip(placed, ln.cells):
                row[k] = Cell(text)
            out.append(row)
        else:
            out.append([Cell(c) for c in ln.cells])
    return out


def _title_continues(a: _PdfLine, b: _PdfLine, left: float, right: float) -> bool:
    """A centred title broken over two lines (`…2020年政府信息公开` / `工作年度报告`)."""

    def centred(x: _PdfLine) -> bool:
        return x.x0 > left + 2 * x.size and abs((x.x0 + x.x1) / 2 - (left + right) / 2) < 2 * x.size

    return (
        a.page == b.page
        and centred(a)
        and centred(b)
        and abs(a.size - b.size) < 0.5
        and 0 < b.top - a.bottom < 1.2 * a.size
        and not a.text.endswith(("。", "：", ":", "）", ")"))
        and not _HEADING_START.match(b.text)
        and len(a.text) + len(b.text) < 60
    )


def _pdf_paragraphs(seq: list[_PdfLine | Table], pages: list[PdfPage]) -> list[Para | Table]:
    """Text lines → paragraphs (a line that runs to the right margin continues on the next line
    unless that one is indented or starts a heading) and unruled table rows."""
    margins: dict[int, tuple[float, float]] = {}
    for p in pages:
        single = [it for _, it in p.items if isinstance(it, _PdfLine) and len(it.cells) == 1]
        if single:
            margins[p.number] = (min(x.x0 for x in single), max(x.x1 for x in single))
    out = Block()
    para: list[_PdfLine] = []
    text_rows: list[_PdfLine] = []

    def flush_para() -> None:
        if para:
            out.para(join_text(x.text for x in para))
            para.clear()

    def flush_rows() -> None:
        if text_rows:
            out.table(_align(text_rows))
            text_rows.clear()

    for it in seq:
        if isinstance(it, Table):
            flush_para()
            flush_rows()
            out.table(it.rows)
            continue
        if len(it.cells) >= 2 or it.row:
            flush_para()
            text_rows.append(it)
            continue
        flush_rows()
        if para:
            last = para[-1]
            left, right = margins.get(last.page, (last.x0, last.x1))
            nleft, _ = margins.get(it.page, (it.x0, it.x1))
            full = last.x1 >= right - 2.2 * last.size
            flush_left = it.x0 <= nleft + 0.6 * it.size
            wrapped = full and flush_left and not _HEADING_START.match(it.text)
            if not (wrapped or _title_continues(last, it, left, right)):
                flush_para()
        para.append(it)
    flush_para()
    flush_rows()
    return out.items
