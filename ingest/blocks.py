"""The shared intermediate of the HTML, PDF and DOCX readers: paragraphs and tables (a grid
of cells with spans), rendered to text lines and Rows the way text exports print them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .furniture import furniture_lines
from .model import Cell, Row
from .numbers import parse_cell

MAX_SPAN = 200  # colspan/rowspan beyond this is an error in the page, not a table
TITLE_SEARCH_LINES = 15  # meta looks for the title in the first lines; so does the fallback


@dataclass
class Para:
    text: str


@dataclass
class Table:
    rows: list[list[Cell]]
    page: int = 0


@dataclass
class Block:
    """A reader's output before rendering: paragraphs and tables in reading order."""

    items: list[Para | Table] = field(default_factory=list)

    def para(self, text: str) -> None:
        """A paragraph; one with tabs between its words (laid out with tab stops) is a table row."""
        text = (
            "\t".join(clean_text(t) for t in text.split("\t")).strip("\t")
            if "\t" in text
            else clean_text(text)
        )
        if text.strip():
            self.items.append(Para(text))

    def table(self, rows: list[list[Cell]]) -> None:
        """A grid of cells (spans already expanded): caption rows, layout tables, data rows."""
        rows = [[Cell(clean_text(c.text), c.colspan, c.rowspan) for c in r] for r in rows]
        rows = [r for r in rows if any(c.text for c in r)]
        if not rows:
            return
        width = max(len(r) for r in rows)
        if width == 1 or max(sum(1 for c in r if c.text) for r in rows) == 1 and all_long(rows):
            for r in rows:
                for c in r:
                    self.para(c.text)
            return
        while rows and is_caption(rows[0], width):
            self.para(next(c.text for c in rows[0] if c.text))
            rows = rows[1:]
        if rows:
            self.items.append(Table(rows))


def all_long(rows: list[list[Cell]]) -> bool:
    return all(len(c.text) > 60 for r in rows for c in r if c.text)


def is_caption(row: list[Cell], width: int) -> bool:
    filled = [c for c in row if c.text]
    return len(filled) == 1 and row[0].text != "" and row[0].colspan >= width and width > 1


SPACES = re.compile(r"[\s\u00a0\u3000\u2000-\u200a\u202f\u205f\ufeff]+")
ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060]")


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFFEF
        or 0x3000 <= o <= 0x303F
        or 0x20000 <= o <= 0x3FFFF
    )


def clean_text(text: str) -> str:
    """One line of text: white space runs made single spaces; tabs are cell separators only."""
    return SPACES.sub(" ", ZERO_WIDTH.sub("", text)).strip()


def join_text(parts: Iterable[str]) -> str:
    """Lines of one paragraph or cell as one line: no space where a line broke between CJK
    characters (`全年共受理` + `14件`), a space between two Latin words or numbers."""
    out = ""
    for p in parts:
        p = clean_text(p)
        if not p:
            continue
        if out and not (is_cjk(out[-1]) or is_cjk(p[0])):
            out += " "
        out += p
    return out


def render(blocks: list[Para | Table], title: str) -> tuple[list[str], list[Row]]:
    # furniture: paragraph rules, and the entries of a 相关链接 list after its heading
    texts = [b.text if isinstance(b, Para) else "\t" for b in blocks]
    drop = furniture_lines(texts)
    blocks = [b for i, b in enumerate(blocks) if i not in drop]
    lines: list[str] = []
    rows: list[Row] = []
    if (
        title
        and "报告" in title
        and not any(isinstance(b, Para) and "报告" in b.text for b in blocks[:TITLE_SEARCH_LINES])
    ):
        blocks.insert(0, Para(title))  # the document's own title (HTML <title>, PDF/DOCX properties)
    for b in blocks:
        if isinstance(b, Para):
            n = len(lines) + 1
            if "\t" in b.text:
                cells = [Cell(clean_text(t), line=n) for t in b.text.split("\t")]
                lines.append("\t".join(c.text for c in cells))
                rows.append(Row(cells, n, n, True))
            else:
                lines.append(b.text)
                rows.append(Row([Cell(b.text, line=n)], n, n, False))
            continue
        for r in b.rows:
            n = len(lines) + 1
            cells = [Cell(c.text.replace("\t", " "), c.colspan, c.rowspan, n) for c in r]
            lines.append("\t".join(c.text for c in cells))
            rows.append(Row(cells, n, n, True))
    return lines, rows


class Grid:
    """Rows of (text, colspan, rowspan) → rows of cells on one grid: a spanned cell once, the
    slots it covers (to its right, and below it) as empty cells."""

    def __init__(self) -> None:
        self.rows: list[list[Cell]] = []
        self._below: dict[int, int] = {}  # column → rows still covered by a rowspan from above

    def add(self, specs: list[tuple[str, int, int]]) -> None:
        covered = {c for c, left in self._below.items() if left > 0}
        self._below = {c: left - 1 for c, left in self._below.items() if left > 1}
        cells: dict[int, Cell] = {}
        col = 0
        for text, colspan, rowspan in specs:
            while col in covered or col in cells:
                col += 1
            cells[col] = Cell(text, colspan, rowspan)
            for k in range(1, colspan):
                if col + k not in cells and col + k not in covered:
                    cells[col + k] = Cell("")
            if rowspan > 1:
                for k in range(colspan):
                    self._below[col + k] = max(self._below.get(col + k, 0), rowspan - 1)
            col += colspan
        for c in covered:
            cells.setdefault(c, Cell(""))
        width = max(cells) + 1 if cells else 0
        self.rows.append([cells.get(i, Cell("")) for i in range(width)])


def span_of(value: Any) -> int:
    m = re.match(r"\s*(\d+)", str(value or ""))
    n = int(m.group(1)) if m else 1
    return min(max(n, 1), MAX_SPAN)


def collapse_repeats(rows: list[list[Cell]]) -> list[list[Cell]]:
    """A merged cell some writers repeat in every slot it covers: keep the first, blank the rest
    (labels only; a repeated number is two numbers)."""

    def label(c: Cell) -> bool:
        return len(c.text.strip()) >= 2 and parse_cell(c.text) is None

    for r in rows:
        for j in range(len(r) - 1, 0, -1):
            if label(r[j]) and r[j].text == r[j - 1].text:
                r[j - 1].colspan += r[j].colspan
                r[j] = Cell("")
    for i in range(len(rows) - 1, 0, -1):
        for j, c in enumerate(rows[i]):
            if label(c) and j < len(rows[i - 1]) and rows[i - 1][j].text == c.text:
                rows[i - 1][j].rowspan += c.rowspan
                rows[i][j] = Cell("")
    return rows
