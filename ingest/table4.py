"""表四: its fifteen numbers gathered over the rows that print them (one row of 15, three sub-tables of
5, or digits printed together that its totals cut one way only)."""

from __future__ import annotations

from itertools import product

from .model import Cell, Row
from .numbers import Parsed, grouped_splits, parse_cell, summing_splits
from .table3 import keeps_cells
from .table_facts import FactWriter
from .table_keys import T4_COLS, T4_ROWS


class T4Reader:
    """表四's numbers over its rows, written as facts once all fifteen are in."""

    def __init__(self, writer: FactWriter) -> None:
        self.writer = writer
        self.cells: list[Cell] = []
        self.first: Row | None = None  # the row the first number is on
        self.done = False  # a 表四 was read

    def add(self, row: Row, values: list[Cell]) -> None:
        """表四's numbers, gathered over its rows: one row of 15, or three sub-tables of 5."""
        values = [v for v in values if v.text.strip()] if self.cells or len(values) < 15 else values
        if not values:
            return
        if not self.cells:
            self.first = row
        self.cells.extend(values)
        if len(self.cells) >= 15:
            self.flush()

    def flush(self) -> None:
        if self.cells:
            assert self.first is not None  # set with the first cell
            cells, self.cells = self.cells, []
            self._row(self.first, cells)

    def _row(self, row: Row, values: list[Cell]) -> None:
        vals = list(values)
        while len(vals) > 15 and not vals[0].text.strip():
            vals.pop(0)
        while len(vals) > 15 and not vals[-1].text.strip():
            vals.pop()
        parsed = [parse_cell(v.text) for v in vals]
        if not vals or all(p is not None and p.qualifier == "empty" for p in parsed):
            return
        keys = [(g, c) for g in T4_ROWS for c in T4_COLS]
        self.done = True
        self.writer.out.tables.add("t4")
        known = [p for p in parsed if p is not None]
        if len(vals) == 15 and len(known) == 15:
            for (g, c), cell, p in zip(keys, vals, known):
                self.writer.cell(
                    "t4",
                    g.key,
                    c.key,
                    g.label,
                    c.label,
                    p,
                    cell.text.strip(),
                    cell.line or row.line,
                    row,
                    "件",
                )
            return
        digits = "".join(v.text.strip() for v in vals)
        options = grouped_splits(digits, 3, 5) if digits.isdigit() else []
        if len(vals) == 3 and digits.isdigit():  # three sub-tables, each glued: cut each under its own 总计
            options = [a + b + c for a, b, c in product(*(summing_splits(v.text.strip(), 5) for v in vals))]
        options = [o for o in options if keeps_cells(o, vals, self.writer.alone)]
        for j, (g, c) in enumerate(keys):
            p = Parsed(options[0][j], "", "split") if len(options) == 1 else Parsed(None, "", "unresolved")
            self.writer.cell(
                "t4", g.key, c.key, g.label, c.label, p, digits, vals[0].line or row.line, row, "件"
            )
        if len(options) != 1:
            self.writer.out.notes.append(
                f"表四 (line {row.line}): values '{digits}' cannot be read as 15 numbers unambiguously; "
                "stored as unresolved"
            )
