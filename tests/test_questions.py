"""Questions as journalists phrase them, on a generated report whose every number is known."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.answer import answer
from index.load import load_paths
from ingest.vocab import load
from tests.conftest import open_store
from tests.synth import generate

V = load()

ASKED = [
    ("{a}{y}年共收到政府信息公开申请多少件？", ("t3", "new", "total")),
    ("{a}{y}年新收申请数？", ("t3", "new", "total")),
    ("{a}{y}年公民申请了多少件？", ("t3", "new", "natural_person")),
    ("{a}{y}年企业提交了多少申请？", ("t3", "new", "business")),
    ("{a}{y}年予以公开的申请有多少？", ("t3", "granted", "total")),
    ("{a}{y}年部分公开多少件？", ("t3", "partial", "total")),
    ("{a}{y}年因属于国家秘密不予公开的有多少件？", ("t3", "refused.state_secret", "total")),
    ("{a}{y}年因保护第三方合法权益不予公开多少件？", ("t3", "refused.third_party", "total")),
    ("{a}{y}年有多少件申请因本机关不掌握相关政府信息无法提供？", ("t3", "unable.not_held", "total")),
    ("{a}{y}年信访举报投诉类申请不予处理多少件？", ("t3", "not_processed.complaint", "total")),
    ("{a}{y}年重复申请多少件？", ("t3", "not_processed.repeat", "total")),
    ("{a}{y}年结转到下一年的申请有多少？", ("t3", "carried_forward", "total")),
    ("{a}{y}年上年结转的申请多少件？", ("t3", "carried_over", "total")),
    ("{a}{y}年行政复议多少件？", ("t4", "reconsideration", "total")),
    ("{a}{y}年行政复议结果维持多少件？", ("t4", "reconsideration", "upheld")),
    ("{a}{y}年行政复议尚未审结的有多少？", ("t4", "reconsideration", "pending")),
    ("{a}{y}年未经复议直接起诉的行政诉讼有多少件？", ("t4", "litigation_direct", "total")),
    ("{a}{y}年行政处罚决定有多少？", ("t2", "penalties", "decisions")),
    ("{a}{y}年行政强制处理决定数量？", ("t2", "enforcement", "decisions")),
    ("{a}{y}年行政许可多少件？", ("t2", "licensing", "decisions")),
    ("{a}{y}年新制作规范性文件多少件？", ("t2", "normative_documents", "new_made")),
    ("{a}{y}年政府集中采购项目数量？", ("t2", "procurement", "procurement_items")),
    ("{a}{y}年主动公开了多少件规范性文件？", ("t2", "normative_documents", "new_published")),  # that year's
    ("{a}{y}年累计主动公开规范性文件多少件？", ("t2", "normative_documents", "total_published")),  # held
    ("{a}{y}年规范性文件对外公开总数量？", ("t2", "normative_documents", "total_published")),
    ("How many requests did {a} receive in {y}?", ("t3", "new", "total")),
    ("How many applications from individuals did {a} get in {y}?", ("t3", "new", "natural_person")),
    ("How many applications were partially disclosed by {a} in {y}?", ("t3", "partial", "total")),
    ("In {y}, how many applications did {a} grant in full?", ("t3", "granted", "total")),
    ("How many requests did {a} reject as state secrets in {y}?", ("t3", "refused.state_secret", "total")),
    (
        "How many applications were carried forward to the next year by {a} in {y}?",
        ("t3", "carried_forward", "total"),
    ),
    ("How many administrative reconsiderations did {a} face in {y}?", ("t4", "reconsideration", "total")),
    ("How many administrative penalty decisions did {a} make in {y}?", ("t2", "penalties", "decisions")),
    ("How many licensing decisions did {a} make in {y}?", ("t2", "licensing", "decisions")),
    ("What was the total procurement amount of {a} in {y}?", ("t2", "procurement", "procurement_amount")),
    ("How many repeat applications did {a} receive in {y}?", ("t3", "not_processed.repeat", "total")),
    (
        "How many applications could {a} not provide because it did not hold the information in {y}?",
        ("t3", "unable.not_held", "total"),
    ),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, engine: Callable[[Path], Path]):  # type: ignore[no-untyped-def]
    d = engine(tmp_path_factory.mktemp("q"))
    s = generate(random.Random(7), "tab", "2019")
    (d / s.name).write_bytes(s.data)
    store = open_store(d)
    assert load_paths(store, [str(d / s.name)])[0].status == "added"
    doc = store.documents()[0]
    return store, s.cells, doc.agency, doc.year


@pytest.mark.parametrize("template,key", ASKED, ids=[t[:40] for t, _ in ASKED])
def test_question_finds_the_cell(report, template: str, key: tuple[str, str, str]) -> None:  # type: ignore[no-untyped-def]
    store, cells, agency, year = report
    a = answer(template.format(a=agency, y=year), store)
    got = a.facts[0]
    assert (a.status, a.value, (got["table"], got["row"], got["column"])) == ("answered", cells[key], key)


def test_english_with_pinyin_place_and_agency_kind(report) -> None:  # type: ignore[no-untyped-def]
    from bot.agencies import resolver_for

    store, cells, agency, year = report
    got = answer(
        f"How many applications did the {resolver_for(store).english_name(agency)} receive in {year}?", store
    )
    assert (got.agency, got.value) == (agency, cells[("t3", "new", "total")])


def _understood(question: str):  # type: ignore[no-untyped-def]
    from bot.agencies import Resolver
    from bot.understand import understand

    return understand(question, Resolver([]))  # no agency stored: the whole question is about the figure


@pytest.mark.parametrize(
    "question,row",
    [
        (
            "How many lawsuits filed directly (without prior administrative review) were there in 2020?",
            "litigation_direct",
        ),
        ("How many administrative reviews were there in 2020?", "reconsideration"),
        ("How many requests were fully granted in 2020?", "granted"),
        ("How many requests closed in 2020?", "total_handled"),
        ("2020年（六）其他处理中的3.其他有多少件？", "other.other"),
        ("2020年不予公开第4项多少件？", "refused.third_party"),
        ("2020年直接起诉和复议后起诉合计多少件？", "litigation"),
        ("How many lawsuits of both kinds were filed in 2020?", "litigation"),
    ],
)
def test_figure_words_by_stem_sub_row_and_sum(question: str, row: str) -> None:
    assert _understood(question).row == row


def test_a_generic_word_does_not_pick_a_template_row() -> None:
    q = _understood("2020年办理人大代表建议多少件？")
    assert q.table == "" and "人大代表" in q.words


def test_english_answers_gloss_the_row_and_column(facts_dir) -> None:  # type: ignore[no-untyped-def]
    a = answer("How many requests did Xiayi grant in full in 2020?", open_store(facts_dir))
    assert a.value == 3 and "予以公开 (granted in full)" in a.text and "总计 (total)" in a.text


def test_units_named_in_english_are_read_word_by_word() -> None:
    assert _understood("How many person-times attended the training in 2020?").unit == "人次"
    assert _understood("How many requests did Luoyuan receive in 2020?").unit == ""  # not a yuan


@pytest.mark.parametrize(
    "question", ["Xiayi 2020: requests carried over into 2021?", "夏邑县2020年结转到2021年的申请有几件？"]
)
def test_the_year_a_carry_over_goes_to_is_not_the_report_year(question: str) -> None:
    q = _understood(question)
    assert (q.year, q.table, q.row) == (2020, "t3", "carried_forward")


@pytest.fixture(scope="module")
def applicants(tmp_path_factory: pytest.TempPathFactory, engine: Callable[[Path], Path]):  # type: ignore[no-untyped-def]
    """A generated report whose 表三 applicant columns of new requests all differ, none zero: a question
    given another column's figure shows."""
    s = next(
        s
        for s in (generate(random.Random(seed), "tab", "2019") for seed in range(500))
        if len(new := [v for k, v in s.cells.items() if k[:2] == ("t3", "new")]) == 7
        and len(set(new)) == 7
        and 0 not in new
    )
    d = engine(tmp_path_factory.mktemp("applicants"))
    (d / s.name).write_bytes(s.data)
    store = open_store(d)
    assert load_paths(store, [str(d / s.name)])[0].status == "added"
    doc = store.documents()[0]
    return store, s.cells, doc.agency, doc.year


def _applicant_questions() -> list[tuple[str, str]]:
    """Every applicant column of 表三 as a journalist names it: each of its words, the printed label in
    quotes (`“其他”类法人或组织`), in Chinese and English."""
    out: list[tuple[str, str]] = []
    for col in V.columns("t3"):
        out += [(f"{{a}}{{y}}年{w}提出的新申请有几件？", col.key) for w in col.zh]
        out += [(f"How many new requests did {w} file with {{a}} in {{y}}?", col.key) for w in col.en]
        if col.sum_of:
            continue
        out.append((f"{{a}}{{y}}年“{col.label}”提出的新申请有几件？", col.key))
        if col.key not in ("total", "natural_person"):
            out.append((f"{{a}}{{y}}年“{col.label}”类法人或组织提出的新申请有几件？", col.key))
            out.append((f"{{a}}{{y}}年法人或其他组织中“{col.label}”提出的新申请有几件？", col.key))
            out.append((f"{{a}}{{y}}年{col.label}类法人提出的新申请有几件？", col.key))
            head = col.gloss.split()[0]  # `other legal persons`: the column, or no answer; never the group's
            out.append((f"How many new requests did {head} legal persons file with {{a}} in {{y}}?", col.key))
    return out


@pytest.mark.parametrize("template,column", _applicant_questions())
def test_no_applicant_column_is_answered_with_another_columns_figure(  # type: ignore[no-untyped-def]
    applicants, template: str, column: str
) -> None:
    store, cells, agency, year = applicants
    a = answer(template.format(a=agency, y=year), store)
    assert a.status in ("answered", "not_found"), a.text
    if a.status == "answered":
        parts = next(c.sum_of for c in V.columns("t3") if c.key == column)
        want = sum(cells[("t3", "new", c)] for c in parts) if parts else cells[("t3", "new", column)]
        assert a.value == want, a.text


def test_most_applicant_questions_are_answered(applicants) -> None:  # type: ignore[no-untyped-def]
    store, _, agency, year = applicants
    asked = _applicant_questions()
    answered = sum(answer(t.format(a=agency, y=year), store).status == "answered" for t, _ in asked)
    assert answered >= 0.9 * len(asked)
