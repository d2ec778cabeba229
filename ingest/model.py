"""Plain values that flow from the readers to the store: Document in, Facts/Checks/Chunks out.

Every reader (text, HTML, PDF, DOCX) produces the same `Document`: the report rendered as
text lines (the line numbers every provenance points at) plus `rows`, the report seen as a
sequence of rows of cells. A paragraph is a row with one cell; a table row has several.
The extractors never know which file format the document came from.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    line: int = 0  # the line the cell's text is printed on (0: the row's line)


@dataclass
class Row:
    """One row of the document: a paragraph (one cell) or a table row (several cells)."""

    cells: list[Cell]
    line: int  # 1-based line of `Document.lines` where the row starts
    end_line: int = 0  # last line of the row (cell-per-line layouts span several lines)
    in_table: bool = False  # the reader saw table structure (tabs, pipes, <tr>, ruled cells)
    plain: bool = False  # cells cut from plain text (grid.py): a run of digits may be several numbers

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass
class Document:
    path: str
    sha256: str
    format: str  # txt | md | html | pdf | docx
    encoding: str
    lines: list[str]
    rows: list[Row]

    def quote(self, row: Row) -> str:
        """The source text of a row, as printed (tabs shown as ' | ')."""
        end = max(row.end_line, row.line)
        parts = [self.lines[i - 1].strip() for i in range(row.line, end + 1) if self.lines[i - 1].strip()]
        return " ".join(p.replace("\t", " | ").strip(" |") for p in parts)


@dataclass
class Meta:
    agency: str | None = None  # canonical name of the body's identity (the same for every year and spelling)
    agency_id: str | None = None  # stable key of that identity
    printed: str | None = None  # the agency as this report prints it
    kind: str | None = None  # 人民政府 | 人民政府办公室 | 局 | 委员会 | 管委会 | 街道办事处 | 镇 | 乡 | other
    names: list[str] = field(default_factory=list)  # every printed form of the agency in this report
    place: str | None = None  # county/district (or city/province for their own agencies)
    county: str | None = None
    town: str | None = None  # town, street or zone
    city: str | None = None
    province: str | None = None
    year: int | None = None
    template: str = "unknown"  # pre2019 | 2019 | 2021 | unknown
    title: str = ""
    cues: dict[str, str] = field(default_factory=dict)  # field -> the cue it was read from
    warnings: list[str] = field(default_factory=list)


@dataclass
class Fact:
    """One number of a report, with the place it was read from."""

    kind: str  # cell | prose
    table: str  # t2 | t3 | t4 | ind | '' (prose)
    row: str  # canonical row key ('' for prose)
    column: str  # canonical column key ('' for prose)
    topic: str  # normalised topic: prose phrase, or the row label of indicator tables
    row_label: str
    column_label: str
    value: float | int | None
    unit: str
    raw: str  # the cell or number text as printed
    qualifier: (
        str  # '' | more_than (余/多/超过) | about (约) | nearly (近) | empty | slash | unresolved | negation
    )
    line: int
    quote: str
    offset: int = -1  # prose: where the number starts in `quote` (its sentence); -1 for cells

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Check:
    """An arithmetic rule of the report's own tables, evaluated."""

    name: str  # balance | subrows | applicants | t4_group | prose | carryover | completeness
    table: str
    column: str
    status: str  # PASS | FAIL | UNCERTAIN
    lhs: float | None
    rhs: float | None
    detail: str
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Chunk:
    """A passage for retrieval: one piece of one section."""

    text: str
    section: str
    line_start: int
    line_end: int
    kind: str = "text"  # text | table


@dataclass
class Report:
    """Everything ingest learns from one document."""

    document: Document
    meta: Meta
    facts: list[Fact]
    checks: list[Check]
    chunks: list[Chunk]
