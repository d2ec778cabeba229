"""Figures the text states, asked across years or bodies and in English: a trend or compare is built from
the sentences as a single answer reads them (each row cited, a year not stored said so), 分别 keeps the
bodies in the order asked, and a clause counting something else is never the answer."""

from __future__ import annotations

import pytest

from bot.answer import answer
from index.load import load_paths
from index.store import Store

TOWN = """{place}{year}年政府信息公开工作年度报告
一、总体情况
{year}年,{place}认真贯彻落实《中华人民共和国政府信息公开条例》。
(一)主动公开。全年主动公开政府信息{total}条。其中:法定主动公开内容{legal}条,工作信息类{work}条,通知公告{notice}条。
通过传统媒体、信息公开栏等平台公开信息{board}条。
(二)依申请公开。全年收到信息公开申请{asked}件,其中信函申请{letters}件;申请信息已公开的{public}件。
2024年完成信息公开{done}件,其中公示处罚决定类{penalty}件,通知公告类{notice2}件。
(三)行政复议和行政诉讼。因依申请公开引起行政复议{review}件、行政诉讼0件,其中行政复议纠错{fixed}件。
"""
KEYS = "total legal work notice board asked letters public done penalty notice2 review fixed".split()
REPORTS = {  # the figures of each report, in KEYS order
    ("桐庐县青石镇", 2022): (300, 120, 90, 7, 41, 5, 3, 2, 60, 31, 11, 2, 1),
    ("桐庐县青石镇", 2024): (410, 150, 95, 9, 52, 8, 4, 3, 70, 33, 12, 3, 2),
    ("桐庐县白沙镇", 2024): (250, 100, 60, 4, 23, 21, 6, 5, 40, 15, 6, 1, 0),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    d = tmp_path_factory.mktemp("stated")
    for (place, year), v in REPORTS.items():
        text = TOWN.format(place=place, year=year, **dict(zip(KEYS, v)))
        (d / f"{place}_{year}.txt").write_text(text, encoding="utf-8")
    s = Store(d / "facts.sqlite")
    load_paths(s, sorted(str(p) for p in d.glob("*.txt")))
    return s


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("How many items did Qingshi town (Tonglu county) proactively publish in 2022?", 300),
        ("Qingshi town 2022: how many work-information items?", 90),
        ("Qingshi town 2022: how many items of statutory proactive-disclosure content?", 120),
        ("How many notices did Qingshi town publish in 2022?", 7),
        ("Qingshi 2022: how many items went out through traditional media and notice boards?", 41),
        ("How many requests by letter did Qingshi town get in 2022?", 3),
        ("青石镇2022年申请信息已公开的有几件？", 2),
        ("青石镇2022年行政复议纠错几件？", 1),
    ],
)
def test_english_and_general_words_find_the_stated_figure(store: Store, question: str, value: int) -> None:
    a = answer(question, store)
    assert (a.status, a.value, a.year) == ("answered", value, 2022), a.text


@pytest.mark.parametrize(
    "question",
    [
        "青石镇2022年行政诉讼纠错几件？",  # the 1 corrected is a review's
        "How many penalty-decision notices did Qingshi town publish in 2024?",  # not the 通知公告类 12
    ],
)
def test_a_clause_counting_something_else_is_never_the_answer(store: Store, question: str) -> None:
    assert answer(question, store).value is None


def test_two_years_of_a_stated_figure_are_a_trend_each_row_cited(store: Store) -> None:
    both = "青石镇2022年和2024年主动公开政府信息分别多少条？"
    for q in (both, "Qingshi town proactive disclosure, 2022 vs 2024"):
        a = answer(q, store)
        assert a.kind == "trend" and [(r["year"], r["value"]) for r in a.rows] == [(2022, 300), (2024, 410)]
        assert all(r["facts"] and r["facts"][0]["quote"] for r in a.rows)
    span = answer("Qingshi town proactive disclosure trend 2022-2024", store)
    assert [(r["year"], r["value"], r["status"]) for r in span.rows][1] == (2023, None, "no_report")


def test_two_bodies_compared_keep_the_order_asked_unless_asked_which_is_more(store: Store) -> None:
    a = answer("2024年青石镇和白沙镇收到的信息公开申请分别多少件？", store)
    assert a.kind == "compare" and [r["value"] for r in a.rows] == [8, 21]
    plain = answer("2024年青石镇和白沙镇收到的信息公开申请对比", store)
    assert [r["value"] for r in plain.rows] == [8, 21]  # a plain compare: as named too
    most = answer("2024年青石镇和白沙镇哪个收到的信息公开申请更多？", store)
    assert [r["value"] for r in most.rows] == [21, 8]  # which has more: most first
