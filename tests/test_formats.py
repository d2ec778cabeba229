"""Reports as they really arrive: the same report as an HTML page, a DOCX, a ruled PDF, an unruled
PDF and GB18030 text gives the same table facts as the text export it was rendered from.

The renderings are made here (tests/render.py) from samples/*.txt: HTML with the web site's
furniture around the report and colspan/rowspan for merged labels, DOCX with merged cells, PDF
with grid lines and a table continued on the next page under its repeated header.
"""

from __future__ import annotations

import io
import random
from collections import Counter
from pathlib import Path

import pytest

from ingest import ReadError, extract, read_document
from ingest.readers.document import read_rendered
from tests.conftest import SAMPLES, golden, sample_paths
from tests.render import (
    FURNITURE_MARKERS,
    Para,
    Table,
    blocks_of,
    blocks_of_text,
    scanned_pdf,
    to_blank,
    to_docx,
    to_flat,
    to_fragment,
    to_html,
    to_pdf,
    to_pdf_markdown,
)

pytest.importorskip(
    "reportlab", reason="reportlab renders the test PDFs: install the test extra (pip install -e '.[test]')"
)

XIAYI = SAMPLES / "003_dde6e9dcd5a2f618.txt"
TITLE = "夏邑县人民政府2020年政府信息公开工作年度报告"


def cells(report) -> Counter:  # type: ignore[no-untyped-def]
    return Counter(
        (f.table, f.row, f.column, f.value, f.unit, f.qualifier) for f in report.facts if f.kind == "cell"
    )


def prose(report) -> Counter:  # type: ignore[no-untyped-def]
    return Counter((f.value, f.unit, f.qualifier) for f in report.facts if f.kind == "prose")


def meta(report) -> tuple:  # type: ignore[no-untyped-def]
    m = report.meta
    return (m.agency, m.place, m.province, m.year, m.template)


RENDERINGS = {
    "html": lambda b: ("report.html", to_html(b, charset="gb2312")),
    "docx": lambda b: ("report.docx", to_docx(b)),
    "pdf": lambda b: ("report.pdf", to_pdf(b, ruled=True, split_table="(本列")),
    "pdf-unruled": lambda b: ("report.pdf", to_pdf(b, ruled=False)),
}


@pytest.fixture(scope="module")
def xiayi():  # type: ignore[no-untyped-def]
    return extract(read_document(XIAYI))


@pytest.fixture(scope="module", params=list(RENDERINGS), ids=list(RENDERINGS))
def rendered(request, tmp_path_factory):  # type: ignore[no-untyped-def]
    name, data = RENDERINGS[request.param](blocks_of(XIAYI))
    path = tmp_path_factory.mktemp(request.param) / name
    path.write_bytes(data)
    return request.param, extract(read_document(path))


# ------------------------------------------------------------------ golden: Xiayi 2020 in every format


def test_same_table_facts_as_the_text_export(rendered, xiayi) -> None:  # type: ignore[no-untyped-def]
    fmt, report = rendered
    assert report.document.format == fmt.split("-")[0]
    got, want = cells(report), cells(xiayi)
    assert want - got == Counter(), f"{fmt}: cells missing"
    assert got - want == Counter(), f"{fmt}: cells the report does not have"
    assert sum(want.values()) == len(golden(XIAYI.name)["cells"])


def test_same_prose_numbers_and_metadata(rendered, xiayi) -> None:  # type: ignore[no-untyped-def]
    fmt, report = rendered
    assert prose(report) == prose(xiayi), fmt
    assert meta(report) == meta(xiayi) == ("夏邑县人民政府", "夏邑县", "河南省", 2020, "2019")


def test_same_checks(rendered, xiayi) -> None:  # type: ignore[no-untyped-def]
    fmt, report = rendered
    key = lambda r: sorted((c.name, c.table, c.column, c.status, c.lhs, c.rhs) for c in r.checks)  # noqa: E731
    assert key(report) == key(xiayi), fmt


def test_every_fact_points_at_its_rendered_line(rendered) -> None:  # type: ignore[no-untyped-def]
    _, report = rendered
    doc = report.document
    for row in doc.rows:
        assert (
            doc.lines[row.line - 1] == "\t".join(row.texts)
            if row.in_table
            else doc.lines[row.line - 1] == row.cells[0].text
        )
        assert all(c.line == row.line for c in row.cells)
    for f in report.facts:
        if f.kind == "cell" and f.qualifier not in ("empty", "unresolved"):
            assert f.raw in doc.lines[f.line - 1].split("\t"), (f.raw, doc.lines[f.line - 1])
        assert f.quote


def test_gb18030_text_is_the_same_document() -> None:
    data = XIAYI.read_text(encoding="utf-8").encode("gb18030")
    doc = read_document("xiayi-gbk.txt", data)
    assert doc.encoding == "gb18030"
    original = read_document(XIAYI)
    assert doc.lines == original.lines
    assert cells(extract(doc)) == cells(extract(original))


@pytest.mark.parametrize("sample", sample_paths(), ids=lambda p: p.stem[:3])
@pytest.mark.parametrize("fmt", ["html", "docx", "pdf", "pdf-unruled"])
def test_every_sample_survives_every_format(sample: Path, fmt: str, tmp_path: Path) -> None:
    """All five samples (tab rows, one cell per line, `|` cells, a cut-off table, Markdown). In
    the unruled PDF, blank cells are not printed at all: sample 002's table 三 has no numbers in
    most rows, and 000's cut-off row `不计其他情形)` has only blanks after it; the columns the
    other rows line up on give them back."""
    name, data = RENDERINGS[fmt](blocks_of(sample))
    path = tmp_path / name
    path.write_bytes(data)
    report, want = extract(read_document(path)), extract(read_document(sample))
    assert cells(report) == cells(want)
    assert prose(report) == prose(want)
    assert meta(report) == meta(want)


# ------------------------------------------------------------------ HTML


def html_doc(data: bytes):  # type: ignore[no-untyped-def]
    return read_document("page.html", data)


def test_html_furniture_is_dropped_and_report_text_kept() -> None:
    blocks = blocks_of(XIAYI)
    doc = html_doc(to_html(blocks, title=f"{TITLE}_夏邑县人民政府"))
    text = "\n".join(doc.lines)
    for marker in FURNITURE_MARKERS:
        assert marker not in text, marker
    for b in blocks:
        if isinstance(b, Para):
            assert b.text in doc.lines, b.text
    assert doc.lines[0] == TITLE


def test_html_furniture_only_page_is_rejected() -> None:
    page = (
        "<html><body><div class='nav'>首页 政务公开</div><div>当前位置：首页 &gt; 政务公开</div>"
        "<footer>版权所有 夏邑县人民政府 豫ICP备05012345号</footer></body></html>"
    )
    with pytest.raises(ReadError, match="no text"):
        html_doc(page.encode())


@pytest.mark.parametrize(
    "declared, encoding, expect",
    [
        ("gb2312", "gb18030", "gb18030"),  # GBK family read as GB18030: 镕 is outside GB2312
        ("", "gb18030", "gb18030"),  # no declaration: detected
        ("utf-8", "gb18030", "gb18030"),  # wrongly declared
        ("gb2312", "utf-8", "utf-8"),  # a page declaring gb2312 served as UTF-8
        ("", "utf-8", "utf-8"),
    ],
)
def test_html_charset(declared: str, encoding: str, expect: str) -> None:
    meta_tag = f'<meta charset="{declared}">' if declared else ""
    page = f"<html><head>{meta_tag}<title>t</title></head><body><p>朱镕基路1号 夏邑县人民政府2020年政府信息公开工作年度报告</p></body></html>"
    doc = html_doc(page.encode(encoding))
    assert doc.encoding == expect
    assert doc.lines == ["朱镕基路1号 夏邑县人民政府2020年政府信息公开工作年度报告"]


# A table 三 as government sites print it: merged header, the group label over its sub-rows,
# <th>, &nbsp; for empty cells, a label broken by <br>, Word's <p><span> inside cells.
NATIONAL_T3 = """<html><head><meta charset="utf-8"><title>x</title></head><body>
<p>三、收到和处理政府信息公开申请情况</p>
<table border="1"><thead>
<tr><th colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th><th colspan="7">申请人情况</th></tr>
<tr><th rowspan="2">自然人</th><th colspan="5">法人或其他组织</th><th rowspan="2">总计</th></tr>
<tr><th>商业<br>企业</th><th>科研机构</th><th>社会公益组织</th><th>法律服务机构</th><th>其他</th></tr>
</thead><tbody>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>10</td><td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td>12</td></tr>
<tr><td colspan="3">二、上年结转政府信息公开申请数量</td><td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>2</td></tr>
<tr><td rowspan="6">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>3</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>3</td></tr>
<tr><td colspan="2">（二）部分公开（区分处理的，只计这一情形，不计其他情形）</td><td>&nbsp;</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td rowspan="3">（三）不予公开</td><td>1．属于国家秘密</td><td><p class="MsoNormal"><span>1</span></p></td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>
<tr><td>2．其他法律行政法规禁止公开</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>3．危及“三安全一稳定”</td><td>4</td><td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td>6</td></tr>
<tr><td colspan="2">（七）总计</td><td>8</td><td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td>10</td></tr>
<tr><td colspan="3">四、结转下年度继续办理</td><td>4</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>4</td></tr>
</tbody></table></body></html>"""


def test_html_rowspan_and_colspan_place_each_label_once() -> None:
    doc = html_doc(NATIONAL_T3.encode())
    row = next(r for r in doc.rows if r.in_table and "（三）不予公开" in r.texts)
    i = row.texts.index("（三）不予公开")
    assert row.cells[i].rowspan == 3 and row.texts[0] == ""  # 三、本年度办理结果 spans down into this row
    below = doc.rows[doc.rows.index(row) + 1]
    assert below.texts[:3] == ["", "", "2．其他法律行政法规禁止公开"]  # spanned slots left empty
    header = next(r for r in doc.rows if "申请人情况" in r.texts)
    assert (
        header.texts
        == ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "", "申请人情况"]
        + [""] * 6
    )
    assert header.cells[0].colspan == 3 and header.cells[0].rowspan == 3
    assert (
        "商业企业" in doc.lines[doc.rows.index(header) + 2]
    )  # <br> inside a CJK label joins without a space

    facts = {(f.row, f.column): (f.value, f.qualifier) for f in extract(doc).facts if f.table == "t3"}
    assert facts[("new", "natural_person")] == (10, "")
    assert facts[("refused.state_secret", "natural_person")] == (1, "")
    assert facts[("refused.state_secret", "total")] == (1, "")
    assert facts[("refused.security", "total")] == (6, "")
    assert facts[("partial", "natural_person")] == (None, "empty")  # &nbsp;
    assert facts[("carried_forward", "total")] == (4, "")


def test_html_page_laid_out_with_tables() -> None:
    """The whole page in a layout table (menu cell + content cell), the statistics table nested."""
    inner = to_html(blocks_of(XIAYI), furniture=False).decode()
    body = inner[inner.index("<body>") + 6 : inner.index("</body>")]
    page = f"""<html><head><meta charset="utf-8"></head><body><table width="1000"><tr>
<td width="200" class="left-menu"><a>首页</a><br><a>走进夏邑</a></td><td width="800">{body}</td></tr>
<tr><td colspan="2">版权所有：夏邑县人民政府 豫ICP备05012345号</td></tr></table></body></html>"""
    report = extract(html_doc(page.encode()))
    assert cells(report) == cells(extract(read_document(XIAYI)))
    assert not any("版权所有" in line or "走进夏邑" in line for line in report.document.lines)
    # a data table's cells are never furniture, whatever their class says
    page = (
        "<html><body><p>某县民政局2020年政府信息公开工作年度报告</p><table><tr><td class='top-line'>规章</td>"
        "<td class='bottom'>0</td><td>1</td><td class='print'>2</td></tr></table></body></html>"
    )
    assert html_doc(page.encode()).lines[-1] == "规章\t0\t1\t2"


def test_html_title_from_the_title_element_when_the_body_has_none() -> None:
    blocks = [b for b in blocks_of(XIAYI) if not (isinstance(b, Para) and b.text == TITLE)]
    doc = html_doc(to_html(blocks, title=f"{TITLE} - 夏邑县人民政府门户网站"))
    assert doc.lines[0] == TITLE
    assert meta(extract(doc))[3] == 2020


def test_related_links_in_text_are_blanked_keeping_line_numbers() -> None:
    text = (
        XIAYI.read_text(encoding="utf-8")
        + "\n相关链接：\n夏邑县人民政府2019年政府信息公开工作年度报告\n夏邑县人民政府2018年政府信息公开工作年度报告\n"
        "主办单位：夏邑县人民政府办公室\n版权所有 夏邑县人民政府 豫ICP备05012345号\n"
    )
    doc = read_document("page.txt", text.encode())
    original = read_document(XIAYI)
    assert doc.lines[: len(original.lines)] == original.lines
    assert all(not line for line in doc.lines[len(original.lines) :])


def test_text_furniture_rules_leave_report_sentences_alone() -> None:
    sentence = (
        "2020年，我县政府网站进行了改版升级，技术支持单位按照要求在页面底部标注了网站标识码和ICP备案编号，全面规范网站管理，"
        "确保网站安全稳定运行，全年未发生网络安全事故，网站主办单位名称、联系方式均按要求公开。"
    )
    doc = read_document(
        "r.txt",
        f"夏邑县人民政府2020年政府信息公开工作年度报告\n{sentence}\n当前位置：首页 > 政务公开\n".encode(),
    )
    assert doc.lines == ["夏邑县人民政府2020年政府信息公开工作年度报告", sentence, "", ""]


# ------------------------------------------------------------------ DOCX


def test_docx_merged_cells_are_placed_once(tmp_path: Path) -> None:
    import docx

    data = to_docx(blocks_of(XIAYI))
    naive = docx.Document(__import__("io").BytesIO(data))
    t3 = next(t for t in naive.tables if any("申请人情况" in c.text for c in t.rows[0].cells))
    assert [c.text for c in t3.rows[0].cells].count("申请人情况") > 1  # python-docx repeats a merged cell
    doc = read_document("r.docx", data)
    header = next(r for r in doc.rows if "申请人情况" in r.texts)
    assert header.texts.count("申请人情况") == 1
    assert header.cells[header.texts.index("申请人情况")].colspan > 1
    refused = next(r for r in doc.rows if "(三) 不予公开" in r.texts)
    assert refused.cells[refused.texts.index("(三) 不予公开")].rowspan == 8
    # body order: the heading of table 三 comes between table 二 and table 三
    at = {
        t: next(i for i, line in enumerate(doc.lines) if t in line)
        for t in ("政府集中采购", "三、收到和处理政府信息公开申请情况", "申请人情况")
    }
    assert at["政府集中采购"] < at["三、收到和处理政府信息公开申请情况"] < at["申请人情况"]


def test_docx_labels_repeated_in_separate_cells_are_collapsed() -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("某县民政局2020年政府信息公开工作年度报告")
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    t = d.add_table(rows=4, cols=15)
    rows = [
        ["行政复议"] * 5 + ["行政诉讼"] * 10,
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
        + ["未经复议直接起诉"] * 5
        + ["复议后起诉"] * 5,
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3,
        [str(x) for x in (0, 1, 0, 0, 1, 2, 0, 0, 0, 2, 0, 0, 0, 1, 1)],
    ]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    buf = __import__("io").BytesIO()
    d.save(buf)
    doc = read_document("r.docx", buf.getvalue())
    assert doc.lines[2] == "行政复议" + "\t" * 5 + "行政诉讼" + "\t" * 9
    # the sub-labels of 行政复议 repeated under themselves are one merged cell; a row of different labels stays
    assert doc.lines[4] == "\t" * 5 + "\t".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)
    facts = {(f.row, f.column): f.value for f in extract(doc).facts if f.table == "t4"}
    assert facts[("reconsideration", "corrected")] == 1 and facts[("litigation_direct", "upheld")] == 2
    assert facts[("litigation_after", "total")] == 1


def test_docx_tab_stop_paragraphs_are_table_rows() -> None:
    import docx

    d = docx.Document()
    for line in [
        "某县民政局2020年政府信息公开工作年度报告",
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
        "规章\t0\t0\t0",
        "规范性文件\t3\t3\t12",
    ]:
        d.add_paragraph(line)
    buf = __import__("io").BytesIO()
    d.save(buf)
    doc = read_document("r.docx", buf.getvalue())
    facts = {(f.row, f.column): f.value for f in extract(doc).facts if f.table == "t2"}
    assert facts[("normative_documents", "total_published")] == 12


def test_zip_that_is_not_a_docx() -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ReadError, match="not a DOCX.*XLSX"):
        read_document("r.docx", buf.getvalue())


def test_legacy_word_doc_is_named() -> None:
    with pytest.raises(ReadError, match=r"\.doc"):
        read_document("r.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))


# ------------------------------------------------------------------ PDF


@pytest.fixture(scope="module")
def ruled_pdf() -> bytes:
    return to_pdf(blocks_of(XIAYI), ruled=True, split_table="(本列")


def test_pdf_table_continued_on_the_next_page_is_joined_under_its_header(ruled_pdf: bytes) -> None:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(ruled_pdf)) as pdf:
        pages = [p for p in pdf.pages if "申请人情况" in (p.extract_text() or "")]
    assert len(pages) == 2, "table 三 must start on one page and continue, header repeated, on the next"
    doc = read_document("r.pdf", ruled_pdf)
    assert sum("申请人情况" in line for line in doc.lines) == 1
    start = next(i for i, line in enumerate(doc.lines) if "申请人情况" in line)
    end = next(i for i, line in enumerate(doc.lines) if line.startswith("四、结转下年度继续办理"))
    assert all("\t" in line for line in doc.lines[start : end + 1])  # one table, no page furniture inside
    assert not any(line.strip("- ").isdigit() for line in doc.lines)  # page numbers dropped


def test_pdf_wrapped_paragraph_lines_are_joined(ruled_pdf: bytes) -> None:
    doc = read_document("r.pdf", ruled_pdf)
    original = read_document(XIAYI)
    para = next(line for line in original.lines if "5863条" in line)
    assert para in doc.lines


def test_pdf_without_text_layer_is_refused() -> None:
    with pytest.raises(ReadError, match=r"no text layer \(scanned PDF\?\); OCR is not supported"):
        read_document("scan.pdf", scanned_pdf())


def test_truncated_pdf_is_refused(ruled_pdf: bytes) -> None:
    for cut in (len(ruled_pdf) // 2, len(ruled_pdf) - 10, 600):
        with pytest.raises(ReadError, match="truncated|damaged"):
            read_document("cut.pdf", ruled_pdf[:cut])


def test_damaged_pdf_is_refused(ruled_pdf: bytes) -> None:
    data = ruled_pdf[:200] + bytes(len(ruled_pdf) - 400) + ruled_pdf[-200:]
    with pytest.raises(ReadError, match="damaged|no text layer"):
        read_document("bad.pdf", data)


def test_encrypted_pdf_is_named() -> None:
    import io

    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("secret", "owner"))
    c.drawString(72, 720, "report")
    c.save()
    with pytest.raises(ReadError, match="encrypted"):
        read_document("locked.pdf", buf.getvalue())


def test_read_rendered_returns_lines_rows_encoding() -> None:
    lines, rows, encoding = read_rendered(
        "html", to_html(blocks_of_text("标题报告\n\n规章\t0\t0\t0\n规范性文件\t1\t2\t3\n"), furniture=False)
    )
    assert encoding == "utf-8"
    assert lines[-2:] == ["规章\t0\t0\t0", "规范性文件\t1\t2\t3"]
    assert [r.in_table for r in rows] == [False, True, True]
    assert isinstance(blocks_of_text("a\tb")[0], Table)


def test_docx_python_docx_refuses_is_still_read() -> None:
    """A macro-enabled or template Word file (.docm/.dotx content type): python-docx says 'not a
    Word file'; its body is read from word/document.xml directly."""
    import io
    import zipfile

    src, out = zipfile.ZipFile(io.BytesIO(to_docx(blocks_of(XIAYI)))), io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            blob = src.read(item)
            if item.filename == "[Content_Types].xml":
                blob = blob.replace(
                    b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"
                )
            z.writestr(item, blob)
    assert cells(extract(read_document("r.docx", out.getvalue()))) == cells(extract(read_document(XIAYI)))


def test_docx_that_inflates_too_far_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest.readers import docx as docx_reader

    monkeypatch.setattr(docx_reader, "MAX_UNZIPPED", 10_000)
    with pytest.raises(ReadError, match="inflates to"):
        read_document("r.docx", to_docx([Para("某县民政局2020年政府信息公开工作年度报告")]))


def test_pdf_fake_bold_is_read_once() -> None:
    """Chinese PDFs often embolden by drawing the same glyphs twice, a fraction of a point apart."""
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for dx in (0, 0.4):
        c.setFont("STSong-Light", 14)
        c.drawString(72 + dx, 760, TITLE)
    c.setFont("STSong-Light", 10)
    c.drawString(72, 730, "二、主动公开政府信息情况")
    c.drawString(72, 710, "第二十条第（一）项")
    xs, ys = [72, 180, 280, 380, 480], [700, 680, 660, 640]
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    rows = [
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", "0", "0", "0"],
        ["规范性文件", "4", "4", "9"],
    ]
    for r, row in enumerate(rows):
        for col, text in enumerate(row):
            for dx in (0, 0.3) if r == 0 else (0,):
                c.drawString(xs[col] + 4 + dx, ys[r] - 14, text)
    c.save()
    doc = read_document("bold.pdf", buf.getvalue())
    assert doc.lines[0] == TITLE
    assert doc.lines[3] == "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量"
    facts = {(f.row, f.column): f.value for f in extract(doc).facts if f.table == "t2"}
    assert facts[("normative_documents", "total_published")] == 9


def test_title_broken_over_two_lines_is_one_line() -> None:
    """Word's HTML export (`<br>` in a centred title, <o:p>, conditional comments) and a PDF with
    a centred two-line title: the title is one line, so agency and year come from it."""
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    word_html = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312"><!--[if gte mso 9]><xml><o:DocumentProperties>
<o:Author>admin</o:Author></o:DocumentProperties></xml><![endif]--></head><body lang=ZH-CN><div class=WordSection1>
<p class=MsoNormal align=center><b><span style='font-size:22.0pt'>夏邑县人民政府2020年政府信息公开<br>工作年度报告<o:p></o:p></span></b></p>
<p class=MsoNormal style='text-indent:32.0pt'><span>全年共受理依申请政府信息公开</span><span lang=EN-US>14</span><span>件。<br>其中1件引起复议。</span></p>
</div></body></html>"""
    doc = read_document("w.html", word_html.encode("gb18030"))
    assert doc.lines == [TITLE, "全年共受理依申请政府信息公开14件。", "其中1件引起复议。"]

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 20)
    c.drawCentredString(297, 760, "夏邑县人民政府2020年政府信息公开")
    c.drawCentredString(297, 736, "工作年度报告")
    c.setFont("STSong-Light", 10)
    c.drawString(72, 700, "一、总体情况")
    c.drawString(92, 684, "全年共受理依申请政府信息公开14件。")
    c.save()
    doc = read_document("t.pdf", buf.getvalue())
    assert doc.lines == [TITLE, "一、总体情况", "全年共受理依申请政府信息公开14件。"]
    assert meta(extract(doc))[0] == "夏邑县人民政府"


def numbered_docx() -> bytes:
    """Xiayi as a Word file whose headings are numbered by Word (`一、` `(一)` come from the
    numbering definitions, not from the text), as most Word reports are."""
    import io
    import re

    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    d = docx.Document(io.BytesIO(to_docx(blocks_of(XIAYI))))
    numbering = d.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="(%2)"/></w:lvl>'
        "</w:abstractNum>"
    )
    first = numbering.find(qn("w:num"))
    first.addprevious(abstract) if first is not None else numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for p in d.paragraphs:
        m = re.match(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\) )(.*)$", p.text)
        if not m:
            continue
        level = 0 if "、" in p.text[:4] else 1
        p.text = m.group(1)
        p._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_automatic_numbering_is_part_of_the_text(xiayi) -> None:  # type: ignore[no-untyped-def]
    import docx

    data = numbered_docx()
    plain = [p.text for p in docx.Document(__import__("io").BytesIO(data)).paragraphs]
    assert "总体情况" in plain and "一、总体情况" not in plain  # python-docx does not show Word's numbers
    doc = read_document("numbered.docx", data)
    for heading in ("一、总体情况", "三、收到和处理政府信息公开申请情况", "六、其他需要报告的事项"):
        assert heading in doc.lines
    assert any(line.startswith("(二)依申请公开办理情况。截止2020年12月底") for line in doc.lines)
    assert any(line.startswith("(一)思想认识方面") for line in doc.lines)  # numbering restarts under 五、
    report = extract(doc)
    assert cells(report) == cells(xiayi) and prose(report) == prose(xiayi) and meta(report) == meta(xiayi)


# ------------------------------------------------------------------ the samples in the layouts of real reports

LAYOUTS = {"flat": to_flat, "blank": to_blank, "pdfmd": to_pdf_markdown, "fragment": to_fragment}


@pytest.mark.parametrize(
    "sample", [p for p in sample_paths() if not p.name.startswith("004_")], ids=lambda p: p.stem[:3]
)
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_sample_in_every_real_layout_gives_its_facts_or_unresolved(sample: Path, layout: str) -> None:
    """Sample 004's indicator table has no template grid, so it is left out. A page body gives
    every cell back; one cell per line and PDF Markdown every cell they print (neither can print
    an empty cell); a flattened table as its arithmetic cuts the digits run together, or
    `unresolved` — never as another number."""
    want = {(f.table, f.row, f.column): f for f in extract(read_document(sample)).facts if f.kind == "cell"}
    name = sample.stem + (".shtml" if layout == "fragment" else ".txt")
    got = {
        (f.table, f.row, f.column): f
        for f in extract(read_document(name, LAYOUTS[layout](blocks_of(sample)))).facts
        if f.kind == "cell"
    }
    assert not [k for k in got if k not in want]
    wrong = [k for k in got if got[k].value is not None and got[k].value != want[k].value]
    assert wrong == []
    if layout == "fragment":
        assert {k: (f.value, f.qualifier) for k, f in got.items()} == {
            k: (f.value, f.qualifier) for k, f in want.items()
        }
    elif layout != "flat":
        printed = [k for k, f in want.items() if f.value is not None]
        assert [k for k in printed if k not in got or got[k].value != want[k].value] == []
    elif sample.name.startswith("003_"):  # Xiayi's tables 三 and 四 add up: their arithmetic cuts every run
        assert all(got[k].value == f.value for k, f in want.items() if k[0] in ("t3", "t4"))


def test_each_report_gets_one_completeness_line() -> None:
    checks = [
        c for c in extract(read_document(XIAYI)).checks if c.name == "completeness" and c.table == "report"
    ]
    assert [(c.status, c.detail) for c in checks] == [
        ("PASS", "tables found: 表二、表三、表四; 198 cells, 0 unresolved")
    ]
    glued = XIAYI.read_text(encoding="utf-8").replace("\t", "")  # digits run together: some cannot be cut
    line = [c for c in extract(read_document("x.txt", glued.encode("utf-8"))).checks if c.table == "report"]
    assert [c.status for c in line] == ["UNCERTAIN"] and line[0].detail.startswith(
        "tables found: 表二、表三、表四; 198 cells, "
    )


def test_a_table_section_that_yields_no_cells_is_a_warning_naming_its_lines() -> None:
    text = XIAYI.read_text(encoding="utf-8")
    start, end = text.index("(本列数据"), text.index("四、政府信息公开行政复议")
    garbled = text[:start] + "申请人情况\n" + "\n".join("？？？" for _ in range(5)) + "\n" + text[end:]
    report = extract(read_document("xiayi.txt", garbled.encode("utf-8")))
    assert not any(f.table == "t3" for f in report.facts)
    assert any(
        w.startswith("表三") and "yields no table cells" in w and "lines 42–" in w
        for w in report.meta.warnings
    )


@pytest.mark.parametrize(
    "headers, template",
    [
        ("本年制发件数 本年废止件数 现行有效件数", "2021"),
        ("本年新 制作数量 本年新 公开数量 对外公开 总数量", "2019"),
    ],
)
def test_template_from_table_two_headers_when_no_table_is_read(headers: str, template: str) -> None:
    text = f"某县民政局2022年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项\n信息内容 {headers}\n"
    text += "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\n"  # both templates print this row
    assert extract(read_document("cut.txt", text.encode("utf-8"))).meta.template == template


@pytest.mark.parametrize(
    "name, head",
    [("page.shtml", "<p>政府信息公开</p>"), ("page.txt", '<div class="article"><p>政府信息公开')],
)
def test_a_saved_page_body_is_read_as_html(name: str, head: str) -> None:
    blocks = blocks_of(XIAYI)
    body = to_fragment(blocks).decode()
    doc = read_document(name, (head + body).encode("utf-8"))
    assert doc.format == "html" and max(len(r.cells) for r in doc.rows) > 1
    assert cells(extract(doc)) == cells(extract(read_document(XIAYI)))


def test_page_numbers_of_a_converted_pdf_are_furniture() -> None:
    text = XIAYI.read_text(encoding="utf-8").replace(
        "二、主动公开政府信息情况", "— 2 —\n第 3 页\n二、主动公开政府信息情况"
    )
    doc = read_document("xiayi.md", text.encode("utf-8"))
    assert not any(line.strip() in ("— 2 —", "第 3 页") for line in doc.lines)


def _ocr_headers(text: str) -> str:
    """The applicant headers (three lines from the 勾稽关系 note) as an OCR tool prints them."""
    lines = text.split("\n")
    i = next(n for n, line in enumerate(lines) if "勾稽关系" in line)
    lines[i : i + 3] = ["\t" + "\t".join([f"数据{k}" for k in range(1, 7)] + ["总计"])]
    return "\n".join(lines)


def _misprints(text: str) -> str:
    return (
        text.replace("本机关不掌握", "本机关丁掌握")
        .replace("上一年项目数量", "上一年项日数量")
        .replace("社会公益组织", "社会公益组识")
    )


def _narrative(text: str) -> str:
    """Narrative with table words and numbers inside the tables' sections."""
    return text.replace(
        "三、收到和处理政府信息公开申请情况",
        "三、收到和处理政府信息公开申请情况\n本年度收到申请12件，行政复议1件，行政诉讼1件",
    ).replace(
        "四、政府信息公开行政复议、行政诉讼情况",
        "四、政府信息公开行政复议、行政诉讼情况\n全年行政复议1件，行政诉讼1件",
    )


@pytest.mark.parametrize(
    "change", [_ocr_headers, _misprints, _narrative], ids=lambda f: f.__name__.strip("_")
)
@pytest.mark.parametrize(
    "sample", [p for p in sample_paths() if p.name[:3] in ("001", "003")], ids=lambda p: p.stem[:3]
)
def test_samples_with_ocr_headers_misprints_or_narrative_in_the_tables_give_the_same_cells(
    change, sample: Path
) -> None:  # type: ignore[no-untyped-def]
    text = sample.read_text(encoding="utf-8")
    assert change(text) != text
    assert cells(extract(read_document(sample.name, change(text).encode("utf-8")))) == cells(
        extract(read_document(sample))
    )


def test_pdf_over_its_time_limit_is_refused_with_the_reason(
    ruled_pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ingest.readers import pdf as pdf_reader

    monkeypatch.setattr(pdf_reader, "PDF_SECONDS", -1)
    with pytest.raises(
        ReadError, match=r"PDF takes longer than -1 s to read \(stopped at page 1 of \d+\); not read"
    ):
        read_document("slow.pdf", ruled_pdf)


PdfReading = tuple[list[str], list[list[tuple[str, int, int]]], list[str]]


def _read_pdf(data: bytes, monkeypatch: pytest.MonkeyPatch, fast: bool) -> PdfReading:
    monkeypatch.setenv("XXGK_PDF_FAST", "1" if fast else "0")
    doc = read_document("r.pdf", data)
    rows = [[(c.text, c.colspan, c.rowspan) for c in r.cells] for r in doc.rows]
    return doc.lines, rows, sorted(map(repr, extract(doc).facts))


def _fast_pages(data: bytes) -> list[bool]:
    import pdfplumber

    from ingest.readers.pdf_fast import fast_page, open_document

    document = open_document(data)
    assert document is not None
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        fast = [fast_page(document, k, p.page_obj.resources) is not None for k, p in enumerate(pdf.pages)]
    document.close()
    return fast


@pytest.mark.parametrize("sample", sample_paths(), ids=lambda p: p.name[:3])
@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_pdf_fast_path_reads_the_same_lines_rows_and_facts_as_pdfplumber(
    sample: Path, ruled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pdfium reads the pages it can read exactly; units printed alone in their cells (件, 条, 无)
    are kept, and a page pdfminer reads differently is left to pdfplumber."""
    data = to_pdf(blocks_of(sample), ruled=ruled, split_table="(本列" if ruled else None)
    assert _read_pdf(data, monkeypatch, fast=True) == _read_pdf(data, monkeypatch, fast=False)
    assert any(_fast_pages(data))


def _boxed_pdf() -> bytes:
    """A table whose cell borders are rectangles (as Word draws them), a unit column of one
    character per cell; on page 2 a `·` that pdfminer's UniGB-UCS2-H map lacks, and on page 3 the
    same with character spacing."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 14)
    c.drawString(72, 780, TITLE)
    c.setFont("STSong-Light", 10)
    c.drawString(72, 750, "三、收到和处理政府信息公开申请情况")
    rows = [
        ["统计指标", "单位", "统计数"],
        ["收到申请数", "件", "14"],
        ["办结数", "件", "12"],
        ["不予公开", "件", "无"],
    ]
    for r, row in enumerate(rows):
        for col, text in enumerate(row):
            x, y = 72 + 140 * col, 720 - 20 * r
            c.rect(x, y, 140, 20)
            c.drawString(x + 4, y + 6, text)
    c.drawString(72, 600, "全年共受理依申请政府信息公开14件。")
    c.showPage()
    c.setFont("STSong-Light", 10)
    c.drawString(72, 700, "开展“5·15政务公开日”活动3场。")
    c.showPage()
    c.setFont("STSong-Light", 10)
    text = c.beginText(72, 700)
    text.setCharSpace(0.5)
    text.textLine("开展“5·15政务公开日”活动3场。")
    c.drawText(text)
    c.save()
    return buf.getvalue()


def test_pdf_fast_path_on_rectangles_and_single_character_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfminer drops the `·` and draws what follows it one advance to the left; the fast path does
    the same where the advance is certain, and leaves the page to pdfplumber where it is not."""
    data = _boxed_pdf()
    assert _fast_pages(data) == [True, True, False]
    lines, rows, facts = _read_pdf(data, monkeypatch, fast=True)
    assert (lines, rows, facts) == _read_pdf(data, monkeypatch, fast=False)
    assert "收到申请数\t件\t14" in lines and "不予公开\t件\t无" in lines
    assert lines[-1] == "开展“515政务公开日”活动3场。" * 2  # the two pages, one paragraph


def test_pdf_cell_text_on_one_line_is_what_pdfplumber_extracts(ruled_pdf: bytes) -> None:
    """The one-line shortcut for a table cell's text gives pdfplumber's extract_text exactly, on
    every cell of a ruled report, and on a line with a wide gap and a ligature; a cell of two
    lines is left to extract_text."""
    import pdfplumber
    from pdfplumber.utils.text import extract_text

    from ingest.readers.pdf import _one_line

    cells = []
    with pdfplumber.open(io.BytesIO(ruled_pdf)) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                for box in (b for r in table.rows for b in r.cells if b is not None):
                    x0, top, x1, bottom = box
                    cell = [
                        c
                        for c in page.chars
                        if x0 <= (c["x0"] + c["x1"]) / 2 < x1 and top <= (c["top"] + c["bottom"]) / 2 < bottom
                    ]
                    cells.append(cell)

    def char(text: str, x0: float, top: float = 10.0) -> dict[str, object]:
        return {
            "text": text,
            "x0": x0,
            "x1": x0 + 5,
            "top": top,
            "doctop": top,
            "bottom": top + 10,
            "upright": True,
        }

    cells.append([char("b", 20), char("a", 0), char("ﬁ", 5)])
    one_line = [(cell, _one_line(cell)) for cell in cells if cell]
    assert sum(1 for _, text in one_line if text is not None) > 100
    assert all(text == extract_text(cell) for cell, text in one_line if text is not None)
    assert _one_line([char("a", 0), char("b", 0, top=30)]) is None


def test_table_two_headers_cut_short_are_the_template_columns_they_start_in_order() -> None:
    """`本年新 | 本年新` printed for 本年新制作数量 | 本年新公开数量; one cut header that starts two
    columns is left as printed."""
    text = (
        "测试县民政局2019年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第(一)项 | ||||\n"
        "信息内容 | 本年新 | 本年新 | 对外公开总数量 | |\n规章 | 1 | 2 | 3 | |\n"
        "第二十条第(五)项 | ||||\n信息内容 | 本年新 | 对外公开总数量 | |\n行政许可 | 4 | 5 | |\n"
    )
    facts = extract(read_document("r.txt", text.encode("utf-8"))).facts
    got = {(f.row, f.column): f.value for f in facts if f.table == "t2"}
    assert {k: got.get(k) for k in [("regulations", "new_made"), ("regulations", "new_published")]} == {
        ("regulations", "new_made"): 1,
        ("regulations", "new_published"): 2,
    }
    assert ("licensing", "new_made") not in got and ("licensing", "new_published") not in got


def test_pipe_cells_padded_to_a_colspan_read_as_one_cell() -> None:
    """Pages saved from sites print a merged cell as `0 | ||` (the cell, then its colspan's empty cells):
    the value still belongs to the label above it."""
    text = "\n".join(
        [
            "某某县2021年政府信息公开工作年度报告",
            "二、主动公开政府信息情况",
            "第二十条第(五)项 | |||",
            "信息内容 |",
            "本年处理决定数量 | ||",
            "行政许可 |",
            "7 | ||",
            "第二十条第(六)项 | |||",
            "信息内容 |",
            "本年处理决定数量 | ||",
            "行政处罚 |",
            "12 | ||",
            "行政强制 |",
            "3 | ||",
        ]
    )
    got = {
        (f.row, f.value) for f in extract(read_document("padded.txt", text.encode())).facts if f.table == "t2"
    }
    assert {("licensing", 7), ("penalties", 12), ("enforcement", 3)} <= got


def _t_cells(text: str) -> dict[tuple[str, str, str], tuple[object, str]]:
    report = extract(read_document("page.txt", text.encode("utf-8")))
    return {(f.table, f.row, f.column): (f.value, f.qualifier) for f in report.facts if f.kind == "cell"}


def test_a_page_that_left_its_empty_cells_out_gives_no_cell_it_cannot_place() -> None:
    """One cell per line with the empty cells gone (a real page, shortened): a one-column item's
    label and number are its cell; `规章` / `0` under three columns cannot be placed; （六）
    printed with no header row of its own has the columns its template gives it, as （五）."""
    text = "\n".join(
        [
            "某区卫生健康局2024年政府信息公开工作年度报告",
            "二、主动公开政府信息情况",
            "第二十条第(一)项",
            "信息内容",
            "本年制发件数",
            "本年废止件数",
            "现行有效件数",
            "规章",
            "0",
            "行政规范性文件",
            "第二十条第(五)项",
            "本年处理决定数量",
            "行政许可",
            "1894",
            "第二十条第(六)项",
            "行政处罚",
            "131",
            "行政强制",
            "第二十条第(八)项",
            "本年收费金额(单位:万元)",
            "行政事业性收费",
            "199.43",
            "三、收到和处理政府信息公开申请情况",
        ]
    )
    got = _t_cells(text)
    assert got[("t2", "licensing", "decisions")] == (1894, "")
    assert got[("t2", "penalties", "decisions")] == (131, "")
    assert got[("t2", "fees", "fee_amount")] == (199.43, "")
    assert {got[("t2", "regulations", c)] for c in ("issued", "repealed", "in_force")} == {
        (None, "unresolved")
    }
    assert got[("t2", "enforcement", "decisions")] == (None, "empty")


def test_a_report_in_traditional_characters_gives_its_cells_quoted_as_printed() -> None:
    """表二 of a page republished in traditional characters, a cell a line with blank lines
    between: read through its simplified copy, quoted as printed."""
    table = "第二十條第(一)項 信息內容 本年新 製作數量 本年新 公開數量 對外公開總數量 規章 0 0 0 規範性文件 10 10 10"
    lines = ["某縣民政局2019年政府信息公開工作年度報告", "二、主動公開政府信息情況"]
    lines += [x for cell in table.split() for x in ("", cell)]
    report = extract(
        read_document("trad.txt", "\n".join(lines + ["三、收到和處理政府信息公開申請情況"]).encode())
    )
    facts = {(f.row, f.column): f for f in report.facts if f.table == "t2"}
    f = facts[("normative_documents", "total_published")]
    assert (f.value, f.quote) == (10, "規範性文件 10 10 10")
    assert facts[("regulations", "new_made")].value == 0


def test_a_lone_pipe_is_an_empty_cell_and_a_line_of_pipes_ends_the_row() -> None:
    """`label |` then a `|` per empty cell, the row padded out by `||` (a real page, shortened):
    the one number printed is the 总计."""
    text = "\n".join(
        [
            "某区统计局2023年政府信息公开工作年度报告",
            "三、收到和处理政府信息公开申请情况",
            "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) |",
            "申请人情况 |",
            "||||||||",
            "自然人 |",
            "法人或其他组织 |",
            "总计 |",
            "|||||||",
            "商业企业 |",
            "科研机构 |",
            "社会公益组织 |",
            "法律服务机构 |",
            "其他 |",
            "|||||",
            "一、本年新收政府信息公开申请数量 |",
            *["|"] * 6,
            "3 |",
            "||",
            "二、上年结转政府信息公开申请数量 |",
            "1 |",
            *["|"] * 5,
            "1 |",
            "||",
        ]
    )
    got = _t_cells(text)
    assert got[("t3", "new", "total")] == (3, "")
    assert {got[("t3", "new", c)] for c in ("natural_person", "business", "other_org")} == {(None, "empty")}
    assert got[("t3", "carried_over", "natural_person")] == (1, "")
    assert got[("t3", "carried_over", "total")] == (1, "")


def test_a_statistics_form_with_a_code_column_is_read_under_its_value_header() -> None:
    """The pre-2019 statistics form (指标名称 | 计量单位 | 代码 | 本期实际 | 本年累计, a real form,
    shortened): the row code is never the value, the year's figure is 本年累计, the columns'
    numbering row (甲 乙 丙 1 2) is no indicator."""
    text = "\n".join(
        [
            "某市某局2016年政府信息公开工作年度报告",
            "一、概述",
            "本局认真落实条例。",
            "指标名称\t计量单位\t代码\t本期实际\t本年累计",
            "甲\t乙\t丙\t1\t2",
            "主动公开信息数\t条\t01\t35\t120",
            "申请总数\t条\t10\t0\t2",
            "行政复议数\t件\t32\t\t",
        ]
    )
    facts = extract(read_document("form.txt", text.encode())).facts
    got = {f.row_label: f.value for f in facts if f.table == "ind"}
    assert got == {"主动公开信息数": 120, "申请总数": 2}


def test_a_pipe_page_with_items_printed_inside_their_parentheses_and_padded_headers_is_read() -> None:
    """A web page copied a cell a line ending in ` |` (a real page, shortened): items printed
    `第二十条第(八项)`, a header one cell short padded by a lone `|`, rows padded the same way."""
    text = "\n".join(
        [
            "某市某局2020年政府信息公开工作年度报告",
            "二、主动公开政府信息情况",
            "第二十条第(一项) |",
            "|||",
            *[f"{t} |" for t in ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开数量"]],
            *[f"{t} |" for t in ["规章", "0", "2", "5", "规范性文件", "1", "3", "7"]],
            "第二十条第(八项) |",
            "|||",
            *[f"{t} |" for t in ["信息内容", "上一年项目数量", "本年增/减"]],
            "|",
            *[f"{t} |" for t in ["行政事业性收费", "4", "0"]],
            "|",
            "第二十条第(九项) |",
            "|||",
            *[f"{t} |" for t in ["信息内容", "采购项目数量", "采购总金额"]],
            "|",
            "政府集中采购 |",
            "|",
            "12 |",
            "|",
            "三、收到和处理政府信息公开申请情况",
        ]
    )
    got = _t_cells(text)
    assert got[("t2", "normative_documents", "total_published")] == (7, "")
    assert got[("t2", "regulations", "new_published")] == (2, "")
    assert got[("t2", "fees", "previous_items")] == (4, "")
    assert got[("t2", "fees", "change")] == (0, "")
    # `政府集中采购 | | 12 | |`: 12 is the amount, or the items with the amount empty: unknown
    assert got[("t2", "procurement", "procurement_items")] == (None, "unresolved")
    assert got[("t2", "procurement", "procurement_amount")] == (None, "unresolved")


def test_a_header_that_lost_its_last_character_still_names_its_column() -> None:
    """One cell per line in traditional characters with pinyin glosses (a real mirror page,
    shortened): `本年增/` is 本年增/减, the column between the two it sits between."""
    cells = ["第二十條第(六)項", "信息內容", "上一年項目數(shù)量", "本年增/", "處理決定數(shù)量"]
    cells += ["行政處罰", "3", "1", "1", "行政強制", "0", "0", "0"]
    text = "\n\n".join(
        ["某縣某鄉(xiāng)人民政府2020年政府信息公開工作年度報告", "二、主動公開政府信息情況", *cells]
    )
    got = _t_cells(text)
    assert got[("t2", "penalties", "previous_items")] == (3, "")
    assert got[("t2", "penalties", "change")] == (1, "")
    assert got[("t2", "penalties", "decisions")] == (1, "")
    assert got[("t2", "enforcement", "decisions")] == (0, "")


@pytest.mark.parametrize(
    "layout, style",
    [
        ("pipecells", {"lone_pad": True, "item_wrap": True}),
        ("blank", {"cut_header": True}),
        ("traditional", {"gloss": True, "base": "blank"}),
        ("traditional", {"gloss": True, "base": "dropped"}),
    ],
)
@pytest.mark.parametrize("seed", range(6))
def test_every_cell_of_a_real_page_layout_comes_back_right_or_unresolved(
    layout: str, style: dict[str, object], seed: int
) -> None:
    """Generated reports in the layouts above: each cell the printed number, or unresolved where
    the generator says the page admits more than one reading — never another number."""
    from tests.synth import generate

    rng = random.Random(seed)
    s = generate(rng, layout, rng.choice(["2019", "2021"]), ambiguous=rng.random() < 0.25, style=dict(style))
    facts = extract(read_document(s.name, data=s.data)).facts
    got = {(f.table, f.row, f.column): f for f in facts if f.kind == "cell"}
    wrong = [
        (key, e.value, got[key].value)
        for key, e in s.expect.items()
        if key in got
        and e.qualifier != "unresolved"
        and got[key].value != e.value
        and got[key].qualifier != "unresolved"
        or key in got
        and e.qualifier == "unresolved"
        and got[key].qualifier != "unresolved"
    ]
    assert not wrong and set(s.expect) <= set(got), (wrong[:5], sorted(set(s.expect) - set(got))[:5])
