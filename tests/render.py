"""Render a text report (samples/*.txt) as the files reports really arrive as: an HTML page with
site furniture and merged table cells, a DOCX with merged cells, a ruled or an unruled PDF.

The renderers know nothing about the readers. Tables are taken from the text's tab rows; a
label followed by empty cells becomes a colspan, a label above empty cells of the rows below
it becomes a rowspan (`三、本年度办理结果` over all its sub-rows, `(三) 不予公开` over its eight
items), as the national template is laid out on government web sites and in Word files. Only
empty cells are ever absorbed by a span, so a reader that places each spanned cell once and
leaves the slots it covers empty gets the text's rows back.

Used by tests/test_formats.py, tests/test_crash.py and bench/bench_formats.py.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ingest.numbers import parse_cell
from ingest.readers.text import decode, text_rows

Spec = tuple[str, int, int]  # text, colspan, rowspan


@dataclass
class Para:
    text: str


@dataclass
class Table:
    rows: list[list[str]]


def blocks_of(path: Path | str) -> list[Para | Table]:
    """A text report as paragraphs and tables (runs of tab rows)."""
    text, _ = decode(Path(path).read_bytes())
    return blocks_of_text(text)


def blocks_of_text(text: str) -> list[Para | Table]:
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[Para | Table] = []
    for row in text_rows(lines):
        if row.in_table:
            if out and isinstance(out[-1], Table):
                out[-1].rows.append(row.texts)
            else:
                out.append(Table([row.texts]))
        elif row.cells[0].text.strip():
            out.append(Para(row.cells[0].text.strip()))
    return out


def _label(text: str) -> bool:
    return bool(text.strip()) and parse_cell(text) is None


def _number(text: str) -> bool:
    p = parse_cell(text)
    return p is not None and p.is_number


def spans(
    rows: list[list[str]], pad: bool
) -> tuple[list[list[str]], dict[tuple[int, int], tuple[int, int]], set[tuple[int, int]]]:
    """(grid, {(r, c): (colspan, rowspan)}, absorbed slots). With `pad`, rows are padded to one
    width (DOCX and PDF tables are rectangular); without, each row keeps its own length."""
    width = max(len(r) for r in rows)
    grid = [list(r) + [""] * (width - len(r)) if pad else list(r) for r in rows]
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    absorbed: set[tuple[int, int]] = set()
    for r, row in enumerate(grid):  # rowspans: a label over the empty slots of its sub-rows
        for c, text in enumerate(row):
            if (r, c) in absorbed or not _label(text) or c == len(row) - 1:
                continue
            k = 1
            while (
                r + k < len(grid)
                and c < len(grid[r + k])
                and grid[r + k][c] == ""
                and (r + k, c) not in absorbed
                and any(x.strip() for x in grid[r + k][c + 1 :])
            ):
                k += 1
            if k > 1:
                merged[(r, c)] = (1, k)
                absorbed.update((r + i, c) for i in range(1, k))
    for r, row in enumerate(grid):  # colspans: a label over the empty cells after it
        for c, text in enumerate(row):
            if (r, c) in absorbed or (r, c) in merged or not _label(text):
                continue
            k = 1
            while c + k < len(row) and row[c + k] == "" and (r, c + k) not in absorbed:
                k += 1
            if k > 1:
                merged[(r, c)] = (k, 1)
                absorbed.update((r, c + i) for i in range(1, k))
    return grid, merged, absorbed


# ------------------------------------------------------------------ HTML

FURNITURE_TOP = """<div class="top-bar">欢迎访问夏邑县人民政府网站 <a href="#">登录</a></div>
<header><h1>夏邑县人民政府</h1><p>首页 走进夏邑 政务公开 政务服务 互动交流</p></header>
<nav><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/xxgk">信息公开年报</a></li></ul></nav>
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 政府信息公开工作年度报告</div>
<div class="info">发布时间：2021-01-26 来源：县政府办 浏览次数：1024 【字体：大 中 小】</div>
"""  # noqa: E501 (a real site's page furniture, its long lines as served)
FURNITURE_BOTTOM = """<div class="btns"><a href="javascript:window.print()">【打印】</a> <a href="javascript:window.close()">【关闭】</a></div>
<div class="xglj"><h4>相关链接</h4><ul><li><a href="#">夏邑县人民政府2019年政府信息公开工作年度报告</a></li>
<li><a href="#">夏邑县人民政府2018年政府信息公开工作年度报告</a></li></ul></div>
<footer><p>主办单位：夏邑县人民政府办公室 承办：夏邑县大数据中心</p>
<p>版权所有 © 夏邑县人民政府 豫ICP备05012345号-1 豫公网安备 41142602000123号</p>
<p>技术支持：某某信息技术有限公司 网站标识码：4114260001</p></footer>
<div id="share">分享到：微信 微博</div>
<script>var title = "夏邑县人民政府2017年政府信息公开工作年度报告"; document.write("浏览次数");</script>
<style>.TRS_Editor p { line-height: 2; }</style>
"""  # noqa: E501 (as above)
# Every string of the furniture that must not reach the report's lines.
FURNITURE_MARKERS = [
    "欢迎访问",
    "走进夏邑",
    "当前位置",
    "浏览次数",
    "打印",
    "关闭",
    "相关链接",
    "2019年政府信息公开",
    "2018年政府信息公开",
    "主办单位",
    "版权所有",
    "ICP备",
    "公网安备",
    "技术支持",
    "网站标识码",
    "分享到",
    "2017年",
    "line-height",
]


def to_html(
    blocks: list[Para | Table], charset: str = "utf-8", furniture: bool = True, title: str = ""
) -> bytes:
    body: list[str] = []
    for b in blocks:
        if isinstance(b, Para):
            tag = "h2" if "报告" in b.text and len(b.text) < 60 else "p"
            body.append(f'<{tag} style="text-indent:2em">{html.escape(b.text)}</{tag}>')
            continue
        grid, merged, absorbed = spans(b.rows, pad=False)
        out = [
            '<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">',
            "<tbody>",
        ]
        for r, row in enumerate(grid):
            tds = []
            for c, text in enumerate(row):
                if (r, c) in absorbed:
                    continue
                colspan, rowspan = merged.get((r, c), (1, 1))
                attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + (
                    f' rowspan="{rowspan}"' if rowspan > 1 else ""
                )
                inner = (
                    '<p class="MsoNormal" align="center"><span '
                    f'style="font-size:10.5pt">{html.escape(text)}</span></p>'
                    if text
                    else "&nbsp;"
                )
                tds.append(f'<td{attrs} valign="center">{inner}</td>')
            out.append("<tr>" + "".join(tds) + "</tr>")
        out += ["</tbody>", "</table>"]
        body.append("\n".join(out))
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
    page = (
        f"<!DOCTYPE html>\n<html>\n<head>\n{head}\n<title>{html.escape(title)}</title>\n</head>\n<body>\n"
        + (FURNITURE_TOP if furniture else "")
        + '<div class="main"><div class="TRS_Editor" id="zoom">\n'
        + "\n".join(body)
        + "\n</div></div>\n"
        + (FURNITURE_BOTTOM if furniture else "")
        + "</body>\n</html>\n"
    )
    return page.encode("gb18030" if charset.lower() in ("gb2312", "gbk", "gb18030") else charset)


# ------------------------------------------------------------------ text layouts of real reports


def to_flat(blocks: list[Para | Table]) -> bytes:
    """Each table one paragraph: its printed cells run together with no separator at all."""
    return "\n".join(
        b.text if isinstance(b, Para) else "".join(c.strip() for r in b.rows for c in r) for b in blocks
    ).encode()


def to_blank(blocks: list[Para | Table]) -> bytes:
    """One printed cell per line, a blank line between (an empty cell cannot be printed so)."""
    out: list[str] = []
    for b in blocks:
        out += (
            [b.text, ""]
            if isinstance(b, Para)
            else [x for r in b.rows for c in r if c.strip() for x in (c, "")]
        )
    return "\n".join(out).encode()


def to_pdf_markdown(blocks: list[Para | Table]) -> bytes:
    """Markdown from a PDF: a table row's labels on lines of their own, its numbers on one line
    after them, a page footer every nine rows."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Para):
            out += [b.text, ""]
            continue
        for i, r in enumerate(b.rows):
            printed = [c.strip() for c in r if c.strip()]
            out += [c for c in printed if not _number(c)] + [" ".join(c for c in printed if _number(c))]
            if i % 9 == 8:
                out += ["", f"— {i // 9 + 1} —", ""]
    return "\n".join(x for x in out).encode()


def to_fragment(blocks: list[Para | Table]) -> bytes:
    """The page body a crawler saved: the article's HTML on one line, no <html> or <body>."""
    page = to_html(blocks, furniture=False).decode()
    return page[page.index('<div class="main">') : page.index("</body>")].replace("\n", "").encode()


# ------------------------------------------------------------------ DOCX


def to_docx(blocks: list[Para | Table], title: str = "") -> bytes:
    import docx

    d = docx.Document()
    if title:
        d.core_properties.title = title
    for b in blocks:
        if isinstance(b, Para):
            d.add_paragraph(b.text)
            continue
        grid, merged, _ = spans(b.rows, pad=True)
        t = d.add_table(rows=len(grid), cols=len(grid[0]))
        t.style = "Table Grid"
        for r, row in enumerate(grid):
            for c, text in enumerate(row):
                if text:
                    t.cell(r, c).text = text
        for (r, c), (colspan, rowspan) in merged.items():
            t.cell(r, c).merge(t.cell(r + rowspan - 1, c + colspan - 1))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ PDF

FONT = "STSong-Light"  # one of the Adobe CJK fonts every PDF viewer has: nothing to embed or install


def to_pdf(
    blocks: list[Para | Table],
    ruled: bool = True,
    title: str = "",
    split_table: str | None = None,
    page_numbers: bool = True,
) -> bytes:
    """A ruled PDF (grid lines, merged cells as spans, cell text wrapped) or an unruled one
    (tables as columns of text on a wide page, no lines). `split_table`: the first cell text of
    a table to start near the bottom of a page, so that it continues on the next one with its
    header rows repeated."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15, firstLineIndent=20, wordWrap="CJK")
    head = ParagraphStyle("head", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=6.5, leading=8, wordWrap="CJK")
    size = landscape(A4) if ruled else (1500, 842)
    story: list = []
    for b in blocks:
        if isinstance(b, Para):
            style = head if len(b.text) < 30 else body
            story.append(Paragraph(html.escape(b.text), style))
            story.append(Spacer(1, 4))
            continue
        grid, merged, _ = spans(b.rows, pad=True)
        width = len(grid[0])
        if split_table and grid[0][0].startswith(split_table):
            story += [PageBreak(), Spacer(1, size[1] - 72 - 175)]
        if ruled:
            avail = size[0] - 72
            value_rows = [r for r in grid if any(_number(x) for x in r)]
            label_cols = max(
                [max((c + 1 for c, x in enumerate(r) if _label(x)), default=0) for r in value_rows] + [0]
            )
            lw = min(130.0, avail * 0.5 / label_cols) if label_cols else 0
            widths = [lw] * label_cols + [(avail - lw * label_cols) / max(1, width - label_cols)] * (
                width - label_cols
            )
            data = [[Paragraph(html.escape(x), cell) if x else "" for x in row] for row in grid]
            style = [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), 6.5),
            ]
            style += [("SPAN", (c, r), (c + cs - 1, r + rs - 1)) for (r, c), (cs, rs) in merged.items()]
            header = next((i for i, row in enumerate(grid) if any(_number(x) for x in row)), 0)
            story.append(
                RLTable(
                    data, colWidths=widths, style=TableStyle(style), repeatRows=header if split_table else 0
                )
            )
        else:
            widths = [
                max([pdfmetrics.stringWidth(r[c], FONT, 7) for r in grid] + [10]) + 16 for c in range(width)
            ]
            style = [("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 7)]
            story.append(RLTable(grid, colWidths=widths, style=TableStyle(style)))
        story.append(Spacer(1, 6))

    def number(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        if page_numbers:
            canvas.setFont(FONT, 9)
            canvas.drawCentredString(size[0] / 2, 20, f"- {doc.page} -")

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=size, leftMargin=36, rightMargin=36, topMargin=36, bottomMargin=36, title=title
    )
    doc.build(story, onFirstPage=number, onLaterPages=number)
    return buf.getvalue()


def scanned_pdf() -> bytes:
    """A PDF that is only a picture of a page: shapes and an image, no text objects."""
    import io

    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("L", (200, 100), 255)
    for x in range(20, 180):
        img.putpixel((x, 50), 0)
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawImage(ImageReader(img), 72, 500, 400, 200)
    c.rect(72, 72, 400, 300)
    c.showPage()
    c.save()
    return buf.getvalue()


# ------------------------------------------------------------------ corpora


def base_year(text: str) -> int:
    """The reporting year a sample is about (its most frequent 20xx年)."""
    years = re.findall(r"(20[0-4]\d)\s*年", text)
    return int(max(set(years), key=years.count))


def with_year(text: str, old: int, new: int) -> str:
    return text.replace(f"{old}年", f"{new}年").replace(f"{old} 年", f"{new} 年")


def docx_with_year(data: bytes, old: int, new: int) -> bytes:
    """A DOCX with its year changed in place (python-docx builds merged tables slowly)."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            blob = src.read(item)
            if item.filename == "word/document.xml":
                blob = with_year(blob.decode("utf-8"), old, new).encode("utf-8")
            dst.writestr(item, blob)
    return out.getvalue()


def corpus(folder: Path, samples: list[Path], years: int, kinds: tuple[str, ...]) -> list[Path]:
    """Each sample as `years` reports two years apart (no consecutive years of one agency), the
    file kind cycling through `kinds` (txt, html, pdf, docx)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for s, sample in enumerate(samples):
        text = sample.read_text(encoding="utf-8")
        y0 = base_year(text)
        docx_base = to_docx(blocks_of_text(text)) if "docx" in kinds else b""
        for k in range(years):
            year = y0 - 2 * k
            variant = with_year(text, y0, year)
            kind = kinds[(s + k) % len(kinds)]
            p = folder / f"{sample.stem[:3]}_{year}.{kind}"
            if kind == "txt":
                p.write_text(variant, encoding="utf-8")
            elif kind == "html":
                p.write_bytes(to_html(blocks_of_text(variant)))
            elif kind == "pdf":
                p.write_bytes(to_pdf(blocks_of_text(variant), page_numbers=False))
            else:
                p.write_bytes(docx_with_year(docx_base, y0, year))
            paths.append(p)
    return paths
