"""The pre-2019 indicator table (统计指标 | 单位 | 统计数): one indicator a row, indented under its
top-level heading (一、主动公开情况 → （一）主动公开政府信息数), the value the row's first number —
or, on a statistics form with a row-code column (指标名称 | 计量单位 | 代码 | 本期实际 | 本年累计),
the number under the value header, never the code."""

from __future__ import annotations

import re

from .model import Cell, Row
from .numbers import UNITS, parse_cell
from .table_facts import FactWriter
from .vocab import label_key, squash

_HEADING = re.compile(r"^[一二三四五六七八九十]+[、.．]")  # 一、 : a top-level indicator
_CODE = re.compile("代码|编号|序号")
_NOT_VALUE = re.compile("代码|编号|序号|指标|单位|项目")


class IndReader:
    """Indicator rows as facts under `top/indicator` keys, one table per report."""

    def __init__(self, writer: FactWriter) -> None:
        self.writer = writer
        self.top = ""
        self.keys: set[str] = set()
        self.header: list[str] = []  # the table's column labels, by cell

    def start(self, cells: list[Cell]) -> None:
        """The table's header row."""
        self.top, self.header = "", [squash(c.text) for c in cells]

    def values(self, cells: list[Cell]) -> list[Cell]:
        """The value cell of a row of a statistics form: the one under 本年累计 (the year's figure),
        else under the first value column; none when the row's cells do not line up with the
        header (a row code is never the value)."""
        if len(cells) != len(self.header):
            return []
        heads = [i for i, h in enumerate(self.header) if not _NOT_VALUE.search(h)]
        best = [i for i in heads if "累计" in self.header[i]] or heads
        return [cells[best[0]]] if best else []

    def row(self, row: Row, cells: list[Cell], labels: list[int]) -> None:
        if not labels or all(len(squash(cells[i].text)) == 1 for i in labels):
            return  # no label, or the columns' numbering row: 甲 乙 丙 1 2
        label = squash(cells[labels[0]].text)
        rest = cells[labels[0] + 1 :]
        unit = next((squash(c.text) for c in rest if squash(c.text) in UNITS), "")
        if any(_CODE.search(h) for h in self.header):
            rest = self.values(cells)
        value_cell = next(
            (
                c
                for c in rest
                if squash(c.text) not in UNITS
                and (p := parse_cell(c.text)) is not None
                and p.qualifier != "empty"
            ),
            None,
        )
        top = bool(_HEADING.match(label))
        if top:
            self.top = label_key(label)
        if value_cell is None:
            return
        key = label_key(label) if top or not self.top else f"{self.top}/{label_key(label)}"
        base, n = key, 2
        while key in self.keys:
            key, n = f"{base}#{n}", n + 1
        self.keys.add(key)
        parsed = parse_cell(value_cell.text)
        assert parsed is not None
        self.writer.out.tables.add("ind")
        self.writer.cell(
            "ind",
            key,
            "value",
            label,
            "统计数",
            parsed,
            value_cell.text.strip(),
            value_cell.line or row.line,
            row,
            unit,
            topic=label_key(label),
        )
