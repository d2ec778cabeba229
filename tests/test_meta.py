"""Agency, place and year from titles as agencies really write them."""
from __future__ import annotations

import pytest

from ingest import extract
from ingest.read import read_document
from tests.conftest import SAMPLES

BODY = (SAMPLES / "003_dde6e9dcd5a2f618.txt").read_text(encoding="utf-8").split("\n", 3)[3]


@pytest.mark.parametrize("title,agency,place,province,year", [
    ("2020年夏邑县人民政府政府信息公开工作年度报告", "夏邑县人民政府", "夏邑县", "河南省", 2020),
    ("夏邑县人民政府关于2020年政府信息公开工作年度报告", "夏邑县人民政府", "夏邑县", "河南省", 2020),
    ("国家税务总局夏邑县税务局2020年政府信息公开工作年度报告", "国家税务总局夏邑县税务局", "夏邑县", "河南省", 2020),
    ("商务部2020年政府信息公开工作年度报告", "商务部", None, None, 2020),
    ("睢县民政局2020年度政府信息公开工作年度报告", "睢县民政局", "睢县", "河南省", 2020),
    ("河南县教育局2020年政府信息公开工作年度报告", "河南县教育局", "河南县", "青海省", 2020),
    ("洛阳市西工区民政局2020年政府信息公开工作年度报告", "西工区民政局", "西工区", "河南省", 2020),
    ("河南省夏邑县人民政府2020年政府信息公开工作年度报告", "夏邑县人民政府", "夏邑县", "河南省", 2020),
])
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
def test_a_county_misspelt_by_ocr_is_read_only_where_its_city_is_named(context: str, county: str | None) -> None:
    text = f"嵊四县公安局2020年政府信息公开工作年度报告\n\n{context}嵊四县公安局现将2020年情况报告如下。\n"
    m = extract(read_document("r.txt", text.encode("utf-8"))).meta
    assert (m.printed, m.county) == ("嵊四县公安局", county)
    assert (m.province == "浙江省") == (county is not None)
