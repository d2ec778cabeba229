"""Section-aware chunking: on the five samples (read and extracted by ingest) and on small
documents built here for the cases the samples do not show."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest import read_document
from ingest.chunks import MAX_CHARS, TABLE_MAX_CHARS, chunk
from ingest.model import Cell, Chunk, Document, Fact, Row
from ingest.readers.text import text_rows
from ingest.tables import extract_tables

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.txt"))
_HEADING = re.compile(r"^\s*(#+\s*)?([一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）])")


def _doc(text: str) -> Document:
    lines = text.split("\n")
    return Document("t.txt", "0" * 64, "txt", "utf-8", lines, text_rows(lines))


@pytest.fixture(scope="module", params=[p.name[:3] for p in SAMPLES])
def sample(request: pytest.FixtureRequest) -> tuple[Document, list[Chunk]]:
    path = next(p for p in SAMPLES if p.name.startswith(request.param))
    doc = read_document(path)
    return doc, chunk(doc, extract_tables(doc).facts)


def test_line_ranges_point_at_the_text(sample: tuple[Document, list[Chunk]]) -> None:
    doc, chunks = sample
    assert chunks
    for c in chunks:
        assert 1 <= c.line_start <= c.line_end <= len(doc.lines)
        if c.kind == "text":
            source = "".join(re.sub(r"\s+", "", ln) for ln in doc.lines[c.line_start - 1 : c.line_end])
            for para in c.text.split("\n"):
                assert re.sub(r"\s+", "", para).lstrip("#") in source, (c.line_start, para[:40])


def test_chunks_stay_inside_one_section(sample: tuple[Document, list[Chunk]]) -> None:
    doc, chunks = sample
    for c in chunks:
        if c.kind != "text":
            continue
        inner = [ln for ln in doc.lines[c.line_start : c.line_end] if ln.strip()]  # after the first line
        assert not [ln for ln in inner if _HEADING.match(ln) and len(ln.strip()) <= 30], (
            c.section,
            c.line_start,
        )
        assert len(c.text) <= MAX_CHARS + 1


def test_no_digit_soup_and_one_short_chunk_per_table(sample: tuple[Document, list[Chunk]]) -> None:
    _, chunks = sample
    tables = [c for c in chunks if c.kind == "table"]
    titles = [c.text.split(":")[0] for c in tables]
    assert len(titles) == len(set(titles))
    for c in tables:
        assert len(c.text) <= TABLE_MAX_CHARS + 2
    for c in chunks:
        assert not re.search(r"(\d+\s+){4}\d+", c.text), c.text[:80]


def test_sample_specifics() -> None:
    def of(prefix: str) -> list[Chunk]:
        doc = read_document(next(p for p in SAMPLES if p.name.startswith(prefix)))
        return chunk(doc, extract_tables(doc).facts)

    xiayi = of("003")
    t3 = [c for c in xiayi if c.kind == "table" and c.text.startswith("表三")]
    assert (
        len(t3) == 1
        and "本年新收 总计 12" in t3[0].text
        and t3[0].section == "三、收到和处理政府信息公开申请情况"
    )
    assert (t3[0].line_start, t3[0].line_end) == (47, 71)
    apply = next(c for c in xiayi if "受理依申请政府信息公开14件" in c.text)
    assert (
        apply.section == "一、总体情况 > (二)依申请公开办理情况" and apply.line_start == apply.line_end == 11
    )

    xifeng = of("004")
    assert not [
        c for c in xifeng if re.search("版权所有|ICP|技术支持|网站标识码|主办单位|联系电话|填报人", c.text)
    ]
    ind = [c for c in xifeng if c.kind == "table"]
    assert len(ind) == 1 and "主动公开政府信息数 395条" in ind[0].text
    assert any(c.section == "一、概述 > (一)健全完善领导机制" for c in xifeng)

    xigong = of("001")  # markdown headings, and `1.` sub-headings
    assert any(c.section == "一、总体情况 > (一)主动公开情况 > 1.强化信息公开组织领导" for c in xigong)
    numbered = next(c for c in xigong if "主动公开各类政府信息条" in c.text)
    assert numbered.section == "一、总体情况 > (一)主动公开情况"  # item 3 has no title: not under item 2

    henan = of("002")  # one cell per line: the table lines never leak into text chunks
    assert all(c.line_end < 17 or c.line_start > 401 or c.kind == "table" for c in henan)


def test_furniture_and_navigation_are_skipped() -> None:
    doc = _doc(
        "当前位置：首页 > 政务公开 > 年度报告\n"
        "某县民政局2022年政府信息公开工作年度报告\n"
        "一、总体情况\n"
        "2022年，我局主动公开政府信息120条。\n"
        "【打印】【关闭】\n"
        "主办单位：某县人民政府办公室 联系方式：0000-1234567\n"
        "某县人民政府版权所有 京ICP备12345678号 公安备案号 11010502000000\n"
        "技术支持：某某科技有限公司 网站标识码：1100000001\n"
        "打印\n"
        "关闭"
    )
    chunks = chunk(doc, [])
    text = "\n".join(c.text for c in chunks)
    assert "主动公开政府信息120条" in text
    for junk in ("当前位置", "打印", "主办单位", "版权所有", "技术支持", "网站标识码"):
        assert junk not in text


def test_long_paragraph_is_split_at_sentence_ends() -> None:
    sentence = "我局坚持以公开为常态、不公开为例外，不断完善政务公开制度，推动政务公开工作取得新成效。"
    doc = _doc(
        "一、总体情况\n" + sentence * 20 + "\n（一）主动公开情况\n全年主动公开信息88条；其中政策解读5条。"
    )
    chunks = chunk(doc, [])
    first = [c for c in chunks if c.section == "一、总体情况"]
    assert len(first) > 1 and all(c.text.endswith("。") for c in first)
    assert all(len(c.text) <= MAX_CHARS for c in first)
    assert all((c.line_start, c.line_end) == (2, 2) for c in first)
    sub = [c for c in chunks if c.section == "一、总体情况 > （一）主动公开情况"]
    assert len(sub) == 1 and sub[0].text == "全年主动公开信息88条；其中政策解读5条。"


def test_small_paragraphs_are_packed_within_the_section() -> None:
    doc = _doc("五、存在的主要问题及改进情况\n一是人员不足。\n\n二是培训不够。\n六、其他需要报告的事项\n无")
    chunks = chunk(doc, [])
    assert [(c.section, c.text, c.line_start, c.line_end) for c in chunks] == [
        ("五、存在的主要问题及改进情况", "一是人员不足。\n二是培训不够。", 2, 4),
        ("六、其他需要报告的事项", "无", 6, 6),
    ]


def test_table_chunk_is_built_from_facts() -> None:
    lines = [
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量\t3\t0\t3",
        "四、结转下年度继续办理\t0\t0\t0",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
    rows = (
        [Row([Cell(lines[0])], 1, 1, False)]
        + [Row([Cell(x) for x in lines[i].split("\t")], i + 1, i + 1, True) for i in (1, 2)]
        + [Row([Cell(lines[3])], 4, 4, False)]
    )
    doc = Document("t.txt", "0" * 64, "txt", "utf-8", lines, rows)

    def fact(row: str, col: str, value: int, line: int) -> Fact:
        return Fact("cell", "t3", row, col, "", row, col, value, "件", str(value), "", line, "")

    facts = [
        fact("new", "natural_person", 3, 2),
        fact("new", "total", 3, 2),
        fact("carried_forward", "total", 0, 3),
    ]
    chunks = chunk(doc, facts)
    assert [(c.kind, c.line_start, c.line_end, c.section) for c in chunks] == [
        ("table", 2, 3, "三、收到和处理政府信息公开申请情况")
    ]
    assert (
        chunks[0].text
        == "表三 收到和处理政府信息公开申请情况: 本年新收 总计 3; 结转下年度继续办理 总计 0; 本年新收 自然人 "
        "3"
    )


def test_pure_and_deterministic() -> None:
    doc = read_document(SAMPLES[0])
    facts = extract_tables(doc).facts
    assert chunk(doc, facts) == chunk(doc, facts)
