"""A stated figure answers only what the question's words name: the report's own wording (接收, 2022年结转,
结转2024年) is read as the template's, a negated word (不予公开) is not the word asked, and an English
noun no phrase of the vocabulary translates leaves the question unanswered rather than matched on the
rest. Short names of a commission (洛阳住建委) find the stored body."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answer import answer
from index.load import load_paths
from index.store import Store
from ingest.agency import parse
from tests.conftest import store_of

REPORT = """洛阳市住建委2023年政府信息公开工作年度报告
一、总体情况
2023年,洛阳市住建委认真贯彻落实《中华人民共和国政府信息公开条例》。
(一)主动公开方面。全年主动公开政府信息500条,其中政府文件40份,政务动态类信息300条。
(二)依申请公开方面。全年接收政府信息公开申请120件,2022年结转8件;全年办理110件,结转2024年18件。
其中属于公开范围70件,不予公开9件。
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return store_of(tmp_path_factory.mktemp("wording"), REPORT)


def test_a_commission_printed_short_is_stored_under_its_full_name(store: Store) -> None:
    assert [a for a, _ in store.agencies()] == ["洛阳市住房和城乡建设委员会"]  # never 住建委员会
    assert parse("绵阳市卫健委").canonical == "绵阳市卫生健康委员会"  # type: ignore[union-attr]
    for q in ("洛阳住建委2023年收到多少政府信息公开申请？", "洛阳市住建委2023年收到多少政府信息公开申请？"):
        assert answer(q, store).value == 120, q


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("洛阳市住建委2023年上年结转多少件？", 8),
        ("洛阳市住建委2023年结转下年度继续办理多少件", 18),
        ("How many requests did the Luoyang housing commission carry over from 2022?", 8),
        ("Luoyang housing commission 2023: requests carried forward into 2024?", 18),
        ("How many government documents did the Luoyang housing commission publish in 2023?", 40),
        (
            "How many items of information did the Luoyang housing commission disclose in 2023?",
            500,
        ),  # not 不予公开
    ],
)
def test_the_reports_own_wording_is_the_templates(store: Store, question: str, value: int) -> None:
    a = answer(question, store)
    assert (a.status, a.value, a.year) == ("answered", value, 2023)


@pytest.mark.parametrize(
    "question",
    [
        "How many news items did the Luoyang housing commission publish in 2023?",  # not the 500 in total
        "How many other documents did the Luoyang housing commission publish in 2023?",  # not the 40
        "洛阳市住建委2023年公开了多少条通知公告？",  # not the 500 in total
    ],
)
def test_a_figure_the_words_do_not_name_is_never_given(store: Store, question: str) -> None:
    assert answer(question, store).value not in (500, 40, 9)


def test_a_street_printed_without_its_office_word_is_a_street() -> None:
    assert parse("中山街").canonical == "中山街道办事处"  # type: ignore[union-attr]
    assert parse("本街") is None and parse("解放大街") is None  # the report speaking of itself; a road
    assert parse("乡镇") is None  # a menu entry of the site (> 乡镇信息公开年度报告), no body


def test_a_category_line_above_the_title_is_not_the_publisher(tmp_path: Path) -> None:
    text = (
        "当前位置:首页\n> 信息公开年度报告\n> 乡镇信息公开年度报告\n"
        "洛阳市偃师区山化镇2023年政府信息公开年度报告\n" + REPORT
    )
    (tmp_path / "t.txt").write_text(
        text.replace("洛阳市住建委2023年政府信息公开工作年度报告\n", ""), encoding="utf-8"
    )
    s = Store(tmp_path / "facts.sqlite")
    load_paths(s, [str(tmp_path / "t.txt")])
    assert [a for a, _ in s.agencies()][0].endswith("山化镇人民政府")
