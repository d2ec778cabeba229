"""Agency, place and year from titles as agencies really write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answer import answer
from index.load import load_paths
from index.store import Store
from ingest import extract
from ingest.readers import read_document
from tests.conftest import SAMPLES

BODY = (SAMPLES / "003_dde6e9dcd5a2f618.txt").read_text(encoding="utf-8").split("\n", 3)[3]


@pytest.mark.parametrize(
    "title,agency,place,province,year",
    [
        ("2020年夏邑县人民政府政府信息公开工作年度报告", "夏邑县人民政府", "夏邑县", "河南省", 2020),
        ("夏邑县人民政府关于2020年政府信息公开工作年度报告", "夏邑县人民政府", "夏邑县", "河南省", 2020),
        (
            "国家税务总局夏邑县税务局2020年政府信息公开工作年度报告",
            "国家税务总局夏邑县税务局",
            "夏邑县",
            "河南省",
            2020,
        ),
        ("商务部2020年政府信息公开工作年度报告", "商务部", None, None, 2020),
        ("睢县民政局2020年度政府信息公开工作年度报告", "睢县民政局", "睢县", "河南省", 2020),
        ("河南县教育局2020年政府信息公开工作年度报告", "河南县教育局", "河南县", "青海省", 2020),
        ("洛阳市西工区民政局2020年政府信息公开工作年度报告", "西工区民政局", "西工区", "河南省", 2020),
        ("河南省夏邑县人民政府2020年政府信息公开工作年度报告", "夏邑县人民政府", "夏邑县", "河南省", 2020),
    ],
)
def test_titles(title: str, agency: str, place: str | None, province: str | None, year: int) -> None:
    """`agency` is the body's canonical name: the same for 洛阳市西工区民政局 and 西工区民政局."""
    doc = read_document("r.txt", (title + "\n\n" + BODY).encode("utf-8"))
    m = extract(doc).meta
    assert (m.agency, m.place, m.province, m.year) == (agency, place, province, year)
    assert m.printed and m.printed in title


def test_the_filing_date_is_not_the_report_year() -> None:
    m = extract(read_document(SAMPLES / "004_c5883498027fb55e.txt")).meta
    assert m.year == 2018  # 填报日期：2019年1月30日 is printed too


@pytest.mark.parametrize("context,county", [("舟山市", "嵊泗县"), ("", None)])
def test_a_county_misspelt_by_ocr_is_read_only_where_its_city_is_named(
    context: str, county: str | None
) -> None:
    text = f"嵊四县公安局2020年政府信息公开工作年度报告\n\n{context}嵊四县公安局现将2020年情况报告如下。\n"
    m = extract(read_document("r.txt", text.encode("utf-8"))).meta
    assert (m.printed, m.county) == ("嵊四县公安局", county)
    assert (m.province == "浙江省") == (county is not None)


@pytest.mark.parametrize("speaker,agency", [("本机关", "西峡县人民政府办公室"), ("我县", "西峡县人民政府")])
def test_a_government_office_named_only_in_the_contact_line(speaker: str, agency: str) -> None:
    """请与西峡县人民政府办公室联系 names the office that publishes when the text speaks as 本机关; a
    government speaking as 我县 has its office answer questions for it."""
    text = (
        f"现将{speaker}2020年度政府信息公开工作情况报告如下。\n一、总体情况\n2020年，{speaker}新收申请18件。\n"
        "如对本报告有任何疑问，请与西峡县人民政府办公室联系（地址：西峡县白羽中路）。\n"
    )
    m = extract(read_document("r.txt", text.encode("utf-8"))).meta
    assert (m.agency, m.county) == (agency, "西峡县")


@pytest.mark.parametrize(
    "name,zone",
    [
        ("合肥经济技术开发区管理委员会", "合肥经开区"),
        ("合肥经开区管委会", "合肥经开区"),
        ("重庆黔江高新技术产业开发区管理委员会", "黔江高新区"),
        ("黔江高新区管委会", "黔江高新区"),
    ],
)
def test_a_zone_named_after_its_city_keeps_that_name(name: str, zone: str) -> None:
    """合肥 + 经济技术开发区: the zone is 合肥经开区 of 合肥市, however the city is printed in the text."""
    from ingest.agency import parse

    ident = parse(name, "安徽省合肥市 重庆市黔江区")
    assert ident is not None and ident.town == zone and ident.canonical == zone + "管理委员会"


def test_namesakes_with_no_evidence_are_left_unresolved() -> None:
    """朝阳区 is Beijing's and Changchun's: only the text naming one decides; a moved unit is one place."""
    from ingest.gazetteer import lookup

    assert lookup("朝阳区") is None and lookup("朝阳区", "北京市").city == "北京市"
    assert lookup("朝阳区", "吉林省长春市").city == "长春市"
    assert lookup("定州市") is not None and lookup("定州市").province == "河北省"


def test_a_report_in_traditional_characters_is_found_and_keeps_its_printed_name() -> None:
    """Republished through a big5 gateway: read as simplified, printed as printed."""
    from zhconv import convert

    text = convert("洛阳市西工区民政局2020年政府信息公开工作年度报告\n\n" + BODY, "zh-hant")
    m = extract(read_document("r.txt", text.encode("utf-8"))).meta
    assert (m.agency, m.printed, m.province, m.year) == ("西工区民政局", "洛陽市西工區民政局", "河南省", 2020)
    assert {"洛陽市西工區民政局", "洛阳市西工区民政局"} <= set(m.names)


def test_a_simplified_report_naming_a_few_convertible_characters_is_left_as_printed() -> None:
    """乾 and 於 are simplified characters too: one report naming them is not converted."""
    title = "乾县民政局2020年政府信息公开工作年度报告"
    m = extract(read_document("r.txt", (title + "\n\n於是" + BODY).encode("utf-8"))).meta
    assert m.printed == "乾县民政局" and m.province == "陕西省"


@pytest.mark.parametrize(
    "sentence",
    [
        "编制城关镇人民政府2020年度政府信息公开工作年度报告",
        "特向社会公布城关镇人民政府2020年度政府信息公开情况",
    ],
)
def test_the_report_naming_itself_prints_the_publisher_over_the_address(sentence: str) -> None:
    """The sentence that names the report names its publisher as the report prints it; the
    address (地址：夏邑县城关镇人民政府) says where it sits."""
    text = (
        f"根据《中华人民共和国政府信息公开条例》要求，{sentence}。\n如有疑问，请与党政办公室联系"
        "（地址：商丘市夏邑县城关镇人民政府，电话：0370-1234567）。\n一、总体情况\n2020年，我镇新收申请3件。\n"
    )
    m = extract(read_document("r.txt", text.encode("utf-8"))).meta
    assert (m.printed, m.county, m.town, m.year) == ("城关镇人民政府", "夏邑县", "城关镇", 2020)


@pytest.mark.parametrize(
    "text,name",
    [
        ("结合木塔乡人民政府", "木塔乡人民政府"),  # a verb before the name
        ("通过阿嘎如泰苏木人民政府", "阿嘎如泰苏木人民政府"),
        ("会同县人民政府", "会同县人民政府"),  # a county whose name starts like a verb (会同)
        ("即墨区教育局", "即墨区教育局"),
    ],
)
def test_a_name_starts_where_the_name_starts(text: str, name: str) -> None:
    from ingest.agency import parse
    from ingest.agency_cues import clean_name

    first = next(
        ident for n, _ in clean_name(text) if (ident := parse(n)) is not None
    )  # as a cue's text is read
    assert first.printed == name


def test_a_bracketed_part_of_a_name_is_printed_with_it() -> None:
    title = "商洛高新区(商丹园区)管理委员会 2023年政府信息公开工作年度报告"
    m = extract(read_document("r.txt", (title + "\n" + BODY).encode("utf-8"))).meta
    assert (m.printed, m.agency, m.city) == (
        "商洛高新区(商丹园区)管理委员会",
        "商洛高新区管理委员会",
        "商洛市",
    )


@pytest.mark.parametrize(
    "lines,printed",
    [
        (
            "2024年南关区永吉街道\n办事处政府信息公开工作年度报告",
            "南关区永吉街道办事处",
        ),  # the kind word wrapped
        (
            "南坑乡人民政府\n2012年政府信息公开工作年度报告",
            "南坑乡人民政府",
        ),  # a name line over the year line
        ("阿尔山市卫生健康委员会2025年\n政府信息公开工作年度报告", "阿尔山市卫生健康委员会"),
    ],
)
def test_a_wrapped_title_is_read_as_one(lines: str, printed: str) -> None:
    m = extract(read_document("r.txt", (lines + "\n" + BODY).encode("utf-8"))).meta
    assert (m.printed, m.cues["agency"]) == (printed, "title")


def test_a_traditional_report_with_no_tables_is_a_report_read_as_simplified(tmp_path: Path) -> None:
    """政府信息公開 is 政府信息公开: the report is kept, its figures answer simplified questions, and
    what is stored for reading (the passages, the printed name) stays as printed."""
    from zhconv import convert

    text = convert(
        "根据《中华人民共和国政府信息公开条例》，特编制洛阳市西工区民政局2021年度政府信息公开工作报告。\n"
        "一、总体情况\n2021年，洛阳市西工区民政局主动公开政务信息356条，收到政府信息公开申请2件。\n",
        "zh-hant",
    )
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    store = Store(tmp_path / "facts.sqlite")
    results = load_paths(store, [str(tmp_path / "r.txt")])
    assert [r.status for r in results] == ["added"], [(r.status, r.reason) for r in results]
    report = extract(read_document(tmp_path / "r.txt"))
    assert report.meta.printed == "洛陽市西工區民政局" and report.meta.agency == "西工区民政局"
    assert "收到政府信息公开申请" in {f.topic for f in report.facts}
    assert any("政府信息公開" in c.text for c in report.chunks)
    assert answer("西工区民政局2021年收到政府信息公开申请多少件？", store).value == 2


def test_a_government_research_office_named_with_its_city_in_the_text() -> None:
    """市政府研究室 in a title broken over two lines; its city only in the text."""
    text = (
        "市政府研究室2020年政府信息公开\n工作年度报告\n一、总体情况\n"
        "2020年，洛阳市政府研究室主动公开信息16条，收到依申请公开请求2件。\n"
    )
    m = extract(read_document("r.txt", text.encode("utf-8"))).meta
    assert (m.agency, m.printed, m.city, m.year) == (
        "洛阳市人民政府研究室",
        "洛阳市政府研究室",
        "洛阳市",
        2020,
    )


def test_an_office_under_two_names_whose_place_a_mirror_replaced_by_its_domain() -> None:
    """现公布example.com委农办(县农业局)…: the domain is no part of the name, 委农办 names no body, the
    bracketed 县农业局 does, and its county is the one the text names (“中国夏邑”县政府门户网站)."""
    text = (
        "根据《中华人民共和国政府信息公开条例》要求，现公布example.com委农办(县农业局)2016年政府信息公开工作年度报告。"
        "本年报的电子版可以在“中国夏邑”县政府门户网站(www.example.com)上下载。\n一、概述\n"
        "2016年，我办(局)主动公开政府信息154条。\n"
    )
    m = extract(read_document("r.txt", text.encode("utf-8"))).meta
    assert (m.agency, m.printed, m.county) == ("夏邑县农业局", "县农业局", "夏邑县")


def test_a_bracketed_name_with_no_county_in_the_text_names_no_place() -> None:
    text = "现公布委农办(县农业局)2016年政府信息公开工作年度报告。\n一、概述\n2016年主动公开政府信息154条。\n"
    m = extract(read_document("r.txt", text.encode("utf-8"))).meta
    assert m.county is None and m.province is None
