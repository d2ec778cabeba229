"""Text and Markdown files → lines and rows: decoding, and the text layouts of exported tables.

A text export prints a table in one of several ways; each becomes rows of cells here so that
the table extractor sees one shape:
- tab-separated rows (`label⇥0⇥0⇥0`), including leading empty cells that shift the numbers;
- one cell per line (`⇥label` / `⇥0` …, blank line between rows, a line without the leading
  tab continues the previous cell: `⇥其` + `他`);
- `|`-terminated cells (`label |`, `条 |`, `395 |`, `|` an empty cell, `||` / `|||` the empty cells
  that pad a row out and end it), grouped into rows
  by their labels;
- Markdown pipe tables (`| a | b |`).
"""

from __future__ import annotations

import re

from ..furniture import blank_furniture
from ..model import Cell, Row
from ..numbers import UNITS, parse_cell
from .errors import ReadError

_CJK = re.compile(r"[\u4e00-\u9fff]")


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name. UTF-8 first; the GBK family is decoded as GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as e:
        raise ReadError(f"unreadable encoding (neither UTF-8 nor GB18030 at byte {e.start})") from None
    if len(_CJK.findall(text)) < len(text) * 0.05:
        raise ReadError("unreadable encoding (not UTF-8; as GB18030 it is not Chinese text)")
    return text, "gb18030"


def read_text(data: bytes) -> tuple[list[str], list[Row], str]:
    """Lines, rows and the encoding of a text or Markdown file; binary data is refused."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("binary file, not text")
    text, encoding = decode(data)
    if _control_ratio(text) > 0.05:
        raise ReadError("binary file, not text")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = blank_furniture(lines)  # web-page furniture copied along; line numbers kept
    return lines, text_rows(lines), encoding


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f" or ch == "\ufffd")
    return bad / max(1, len(sample))


# ------------------------------------------------------------------ text layouts

_ONE_CELL = re.compile(r"^\t[^\t]*$")
_MD_SEP = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


def _is_cell_line(line: str) -> bool:
    return bool(_ONE_CELL.match(line))


def _is_pipe_line(line: str) -> bool:
    s = line.strip()
    return (bool(s) and set(s) == {"|"}) or (s.endswith("|") and not s.startswith("|"))


def _is_md_row(line: str) -> bool:
    s = line.strip()
    return len(s) > 2 and s.startswith("|") and s.endswith("|") and s != "||"


def text_rows(lines: list[str]) -> list[Row]:
    rows: list[Row] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
        elif _is_cell_line(line) and _cell_region_ahead(lines, i):
            i = _cell_per_line(lines, i, rows)
        elif _is_pipe_line(line):
            i = _pipe_cells(lines, i, rows)
        elif _is_md_row(line):
            if not _MD_SEP.match(line.strip()):
                parts = [p.strip() for p in line.strip()[1:-1].split("|")]
                rows.append(Row([Cell(p, line=i + 1) for p in parts], i + 1, i + 1, True))
            i += 1
        elif "\t" in line.strip(" ") and not _is_cell_line(line) and _short_cells(line):
            parts = line.rstrip("\n").split("\t")
            rows.append(Row([Cell(p.strip(), line=i + 1) for p in parts], i + 1, i + 1, True))
            i += 1
        else:
            text = line.strip().lstrip("#").strip().replace("\t", " ")
            rows.append(Row([Cell(text, line=i + 1)], i + 1, i + 1, False))
            i += 1
    return rows


MAX_CELL = 300  # a table cell is short: a stray tab in a long paragraph does not make it a row


def _short_cells(line: str) -> bool:
    return max(len(p) for p in line.split("\t")) <= MAX_CELL


def _cell_region_ahead(lines: list[str], i: int) -> bool:
    """A one-cell-per-line table has several such lines close together."""
    seen = 0
    for line in lines[i : i + 12]:
        if _is_cell_line(line):
            seen += 1
        elif line.strip() and len(line.strip()) > 3:
            break
    return seen >= 3


def _cell_per_line(lines: list[str], i: int, rows: list[Row]) -> int:
    n = len(lines)
    cells: list[Cell] = []

    def flush(end: int) -> None:
        if cells:
            in_table = len(cells) > 1
            rows.append(Row(list(cells), cells[0].line, end, in_table))
            cells.clear()

    last = i
    while i < n:
        line = lines[i]
        if not line.strip() and not _is_cell_line(line):
            flush(last)
        elif _is_cell_line(line):
            cells.append(Cell(line[1:].strip(), line=i + 1))
            last = i + 1
        elif cells and len(line.strip()) <= 3 and "\t" not in line:
            cells[-1].text += line.strip()  # a label wrapped onto the next line: `⇥总` + `计`
            last = i + 1
        else:
            break
        i += 1
    flush(last)
    return i


_NOT_LABELS = {"单位", "计量单位", "统计数", "数量", "数值", "数据", *UNITS}


def _is_label(cell: Cell) -> bool:
    return cell.text != "" and parse_cell(cell.text) is None and cell.text.replace(" ", "") not in _NOT_LABELS


def _leading_labels(cells: list[Cell]) -> int:
    """How many labels a run of cells starts with, when only empty cells follow them (a header
    padded out to the table's width: `本年增/减 |` + `|`); 0 once a value has been printed."""
    k = 0
    while k < len(cells) and _is_label(cells[k]):
        k += 1
    return k if all(not c.text for c in cells[k:]) else 0


def _pipe_cells(lines: list[str], i: int, rows: list[Row]) -> int:
    """`label |` / `条 |` / `395 |` lines: cells in a stream, a row starts at each label."""
    n = len(lines)
    current: list[Cell] = []

    def flush() -> None:
        if current:
            rows.append(Row(list(current), current[0].line, current[-1].line, True))
            current.clear()

    while i < n and (_is_pipe_line(lines[i]) or not lines[i].strip()):
        s = lines[i].strip()
        if len(s) > 1 and set(s) == {"|"}:  # `||`, `|||`: the empty cells a row is padded with; it ends
            flush()
            i += 1
            continue
        parts = [] if not s else s.split("|")[:-1]  # `|` alone: one empty cell
        if s.endswith("||") and parts[0].strip() and not any(p.strip() for p in parts[1:]):
            parts = parts[:1]  # `0 | ||`: one cell and its colspan's padding, not a row of its own
        if len(parts) > 1:  # a whole row on one line: `信息内容 | 本年新制作数量 | … |`
            flush()
            rows.append(Row([Cell(p.strip(), line=i + 1) for p in parts], i + 1, i + 1, True))
        for p in parts if len(parts) == 1 else []:
            cell = Cell(p.strip(), line=i + 1)
            labels = _leading_labels(current)
            if _is_label(cell) and current and labels < len(current):
                flush()  # a label after values starts a row
            elif cell.text and labels > 1 and not _is_label(cell):
                owner = current[labels - 1 :]  # a run of labels (and the empty cells that pad it): the last
                del current[labels - 1 :]  # label owns the values, the rest are a header
                flush()
                current.extend(owner)
            current.append(cell)
        i += 1
    flush()
    return i
