"""What reading a document's tables yields: cell facts quoted from their rows, and notes."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Cell, Document, Fact, Row
from .numbers import Parsed
from .vocab import squash


@dataclass
class TableResult:
    facts: list[Fact] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tables: set[str] = field(default_factory=set)
    t3_keys: set[str] = field(default_factory=set)


class FactWriter:
    """Cell facts into one TableResult, each quoting its row (a row's quote is built once) as
    printed: a report in traditional characters is read through its simplified copy
    (ingest/script.py), character for character, and quoted from its own lines."""

    def __init__(self, printed: Document) -> None:
        self.doc = printed
        self.out = TableResult()
        self.quotes: dict[int, str] = {}

    def alone(self, cell: Cell) -> bool:
        """A value on a line of its own: one cell of a table printed a cell a line, never several
        numbers run together (those share their line with the row's label)."""
        lines = self.doc.lines
        return 0 < cell.line <= len(lines) and squash(lines[cell.line - 1]) == squash(cell.text)

    def quote(self, row: Row) -> str:
        key = id(row)
        if key not in self.quotes:
            self.quotes[key] = self.doc.quote(row)
        return self.quotes[key]

    def cell(
        self,
        table: str,
        row_key: str,
        col_key: str,
        row_label: str,
        col_label: str,
        p: Parsed,
        raw: str,
        line: int,
        row: Row,
        unit: str,
        topic: str = "",
    ) -> None:
        self.out.facts.append(
            Fact(
                kind="cell",
                table=table,
                row=row_key,
                column=col_key,
                topic=topic,
                row_label=row_label,
                column_label=col_label,
                value=p.value,
                unit=p.unit or unit or "件",
                raw=raw,
                qualifier=p.qualifier,
                line=line,
                quote=self.quote(row),
            )
        )


def padded_readings(values: list[Cell], n: int) -> list[list[Cell]]:
    """The ways a row's values can be its `n` columns when the cells left over are empty ones that pad
    it: a label column of its own before them, the table's width after them. A number is never
    padding; two different readings (`label | | 807 | |` for two columns) leave the row unknown."""
    if len(values) <= n:
        return [list(values)]
    out: dict[tuple[str, ...], list[Cell]] = {}
    for k in range(len(values) - n + 1):
        if not any(c.text.strip() for c in values[:k] + values[k + n :]):
            out.setdefault(tuple(c.text.strip() for c in values[k : k + n]), values[k : k + n])
    return list(out.values())
