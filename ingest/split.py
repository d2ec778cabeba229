"""Several reports in one file: found by a second run of the report template, cut apart, never merged.

Two agencies' reports (or two years of one agency) pasted into one text file or printed as one PDF
must not become one report: the second report's numbers would be answered under the first one's
name. A report opens with its title (…政府信息公开工作年度报告) or its outline (一、总体情况 /
一、概述) and holds one statistics table (表三's 本年新收政府信息公开申请数量, or the pre-2019
统计指标 table). A title starts a new report once the current one has shown a body (an outline
line or a statistics table); an outline line once it has gone past its first section (二、…, or a
statistics table). So a title or outline printed twice, web-page breadcrumbs or a closing 附件 line
never split a report, and a cut with no body after it is undone. Two statistics tables with no
report start between them cannot be told apart: the file is refused.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from .gloss import unglossed_lines
from .model import Chunk, Document, Report, Row
from .readers import ReadError
from .script import simplified

_TITLE = re.compile(r"^.{2,60}?(?:信息公开|政务公开).{0,16}报告$")
_NOT_TITLE = re.compile(r"[。，；《]|^附件|^关于|通知$")
_OUTLINE = re.compile(r"^一[、.．,，]?(?:总体情况|概述|总述|基本情况)")
_STATS = re.compile(
    r"^\|?(?:[一1][、.．])?本年新收政府信息公开申请数量[^。，]*$|^统计指标"
)  # a table row, not prose
_LATER = re.compile(r"^[二三四五六七八九][、.．]")  # a later section (or table row) of the report


@dataclass(frozen=True)
class Part:
    """Lines [start, end) of the file (0-based) that hold one report."""

    start: int
    end: int


def _squeeze(line: str) -> str:
    return re.sub(r"\s+", "", line).lstrip("#*").rstrip("：:")


def _kinds(line: str) -> set[str]:
    s = _squeeze(line)
    out = set()
    if len(s) <= 80 and _TITLE.match(s) and not _NOT_TITLE.search(s):
        out.add("title")
    if _OUTLINE.match(s):
        out.add("outline")
    if _STATS.match(s):
        out.add("stats")
    if _LATER.match(s):
        out.add("later")
    return out


def find_parts(lines: list[str]) -> list[Part]:
    """The reports in a file's lines, in order; one part for an ordinary report.
    Raises ReadError when a second statistics table has no report of its own."""
    read = simplified(unglossed_lines(lines))  # 年度報告(gào) is 年度报告
    marks = [(i, _kinds(line)) for i, line in enumerate(read)]
    marks = [(i, k) for i, k in marks if k]
    starts, body, passed = [0], False, False  # the current report has shown a body / gone past its 一、
    for i, kinds in marks:
        if ("title" in kinds and body) or ("outline" in kinds and passed):
            starts.append(i)
            body = passed = False
        body = body or bool(kinds & {"outline", "stats"})
        passed = passed or bool(kinds & {"stats", "later"})
    bounds = list(zip(starts, starts[1:] + [len(lines)]))
    parts: list[Part] = []
    for start, end in bounds:
        shown = any(k & {"outline", "stats"} for i, k in marks if start <= i < end)
        if parts and not shown:  # a closing title line with no report after it belongs to the last one
            parts[-1] = Part(parts[-1].start, end)
        else:
            parts.append(Part(start, end))
    for p in parts:
        tables = [i + 1 for i, k in marks if p.start <= i < p.end and "stats" in k]
        if len(tables) > 1:
            at = ", ".join(map(str, tables))
            raise ReadError(
                f"holds {len(tables)} statistics tables (表三, lines {at}) with no second report "
                "title or 一、总体情况 between them: two reports cannot be told apart; "
                "split the file into one report per file"
            )
    return parts


_SECOND_PAGE = re.compile(
    rb"</html\s*>\s*(?:\xef\xbb\xbf)?\s*(?:<!doctype[^>]*>\s*)?<html[\s>]", re.IGNORECASE
)


def refuse_pasted_pages(data: bytes) -> None:
    """Two HTML pages pasted into one file: the parser would read the first one and drop the second."""
    found = len(_SECOND_PAGE.findall(data))
    if found:
        raise ReadError(
            f"holds {found + 1} HTML pages one after another (a second <html> after </html>): "
            "its second report would be lost; split the file, one page per file"
        )


def split_document(doc: Document) -> list[tuple[Document, int]]:
    """One Document per report in the file, with the file line its line 1 is on (minus one): the
    part's lines renumbered from 1, path `FILE#k`, a hash of its own (documents are keyed by hash)."""
    parts = find_parts(doc.lines)
    if len(parts) == 1:
        return [(doc, 0)]
    out = []
    for k, p in enumerate(parts, 1):
        rows = [_shift_row(r, -p.start) for r in doc.rows if p.start < r.line <= p.end]
        sha = hashlib.sha256(f"{doc.sha256}#{k}".encode()).hexdigest()
        part = Document(f"{doc.path}#{k}", sha, doc.format, doc.encoding, doc.lines[p.start : p.end], rows)
        out.append((part, p.start))
    return out


def renumber(report: Report, offset: int) -> None:
    """Facts, checks and passages of a part point at the lines of the file, as the user sees it."""
    if not offset:
        return
    for f in report.facts:
        f.line += offset if f.line else 0
    for c in report.checks:
        c.line += offset if c.line else 0
    report.chunks[:] = [
        Chunk(c.text, c.section, c.line_start + offset, c.line_end + offset, c.kind) for c in report.chunks
    ]


def _shift_row(row: Row, by: int) -> Row:
    cells = [replace(c, line=c.line + by if c.line else 0) for c in row.cells]
    return Row(cells, row.line + by, row.end_line + by if row.end_line else 0, row.in_table)
