"""A concept a report states is asked for in many wordings: each wording of its family (case notices,
penalty case announcements; spot checks, sampling inspections; arrived by post, came in by mail) finds the
same stated figure, a count stated as zero in words (无涉及…行政复议、行政诉讼案件) is a zero, and a money
unit written into an English question is how the figure is counted, not what."""

from __future__ import annotations

import pytest

from bot.answer import answer
from index.store import Store
from tests.conftest import store_of

REPORT = """永康市市场监督管理局2021年政府信息公开工作年度报告
一、总体情况
2021年,永康市市场监督管理局在门户网站公开各类工作信息530条,公示行政处罚案件信息42条,发布食品安全抽检信息18期。
全年编印《永康市场监管公报》6期共300本。
全年产生公文类信息90条,其中主动公开的公文类信息61条,涉及秘密及其他免予公开的公文类信息29条。
局领导通过在线访谈、热线电话与群众交流、释疑解惑25次。全年发布年度工作总结3条。
(二)依申请公开方面。全年收到政府信息公开申请12件(其中网上申请9件,邮寄3件)。
全年无涉及政府信息公开的行政复议、行政诉讼案件。
"""
WHO = "the Yongkang market supervision administration"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return store_of(tmp_path_factory.mktemp("families"), REPORT)


@pytest.mark.parametrize(
    ("question", "value"),
    [
        (f"How many administrative-penalty case notices did {WHO} post in 2021?", 42),
        (f"How many penalty case announcements did {WHO} publish in 2021?", 42),
        (f"How many food-safety sampling inspection notices did {WHO} publish in 2021?", 18),
        (f"How many food safety spot checks did {WHO} publish in 2021?", 18),
        (f"How many copies of the gazette did {WHO} print in 2021?", 300),
        (f"How many official documents did {WHO} produce in 2021?", 90),
        (f"How many official documents did {WHO} generate in 2021?", 90),
        (f"How many document-type items did {WHO} proactively disclose in 2021?", 61),
        (f"How many document items did {WHO} withhold as secret or otherwise exempt in 2021?", 29),
        (f"How many times did officials of {WHO} take questions from the public in 2021?", 25),
        (f"How many times did {WHO} answer questions from the public (Q&A) in 2021?", 25),
        (f"How many work summaries did {WHO} publish in 2021?", 3),
        (f"How many disclosure requests arrived by post at {WHO} in 2021?", 3),
        (f"How many requests came in by mail to {WHO} in 2021?", 3),
        (f"How many administrative reconsideration cases over disclosure did {WHO} have in 2021?", 0),
        (f"How many lawsuits over disclosure did {WHO} face in 2021?", 0),
        ("永康市市场监督管理局2021年行政复议多少件？", 0),
    ],
)
def test_each_wording_of_a_stated_concept_finds_it(store: Store, question: str, value: int) -> None:
    a = answer(question, store)
    assert (a.status, a.value) == ("answered", value), a.text


@pytest.mark.parametrize(
    "question",
    [
        f"How many press conferences did {WHO} hold in 2021?",
        f"How many administrative penalty decisions did {WHO} make in 2021?",  # decisions are not notices
        f"How many copies of the gazette did {WHO} sell in 2021?",
        f"How much did {WHO} spend on the gazette in 2021 (10k yuan)?",
    ],
)
def test_a_concept_the_report_does_not_state_is_not_a_neighbours_figure(store: Store, question: str) -> None:
    assert answer(question, store).value not in (530, 42, 18, 6, 300, 90, 61, 29, 25, 3, 12, 9)
