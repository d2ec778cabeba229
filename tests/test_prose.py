"""Numbers stated in the narrative: where each one sits in its sentence, its unit and qualifier,
and zero-statements bound to what they are about; old data files keep working."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.answer import answer
from index.load import load_paths
from index.store import Store
from ingest import extract, read_document

REPORT = """测试县民政局2021年政府信息公开工作年度报告
一、总体情况
（一）主动公开情况。2021年，我局共主动公开政府信息约356条，开展政务公开日活动3场，发放宣传资料超过200份，
举办培训2批次，参训人员近90人次，处理信访事项5起、投诉2宗。
（二）依申请公开情况。2021年，本局未收到政府信息公开申请，未收到该申请人提交的补正材料。
"""


def _prose(text: str) -> list:
    return [f for f in extract(read_document("t.txt", text.encode("utf-8"))).facts if f.kind == "prose"]


def test_each_number_keeps_its_offset_in_the_sentence() -> None:
    for f in _prose(REPORT):
        if f.qualifier != "negation":
            assert f.quote[f.offset :].startswith(f.raw), (f.raw, f.quote)
    year_first = _prose(
        "2021年共开展培训2021次。"
    )  # the digits also occur in the year: the offset says which
    assert [(f.value, f.offset) for f in year_first] == [(2021, 10)]


def test_counting_units_and_qualifiers_are_kept() -> None:
    got = {(f.value, f.unit, f.qualifier) for f in _prose(REPORT)}
    assert {
        (356, "条", "about"),
        (3, "场", ""),
        (200, "份", "more_than"),
        (2, "批次", ""),
        (90, "人次", "nearly"),
        (5, "起", ""),
        (2, "宗", ""),
    } <= got


def test_a_zero_statement_binds_to_its_subject_not_to_the_applicant() -> None:
    zeros = [f for f in _prose(REPORT) if f.qualifier == "negation"]
    assert [f.topic for f in zeros] == ["未收到政府信息公开申请"]  # 未收到该申请人提交的补正 is not a zero


def test_zeros_said_with_other_negations_and_verbs_are_stored() -> None:
    text = (
        "2023年，全镇未接收到书面提交依申请公开事项，无网上依申请公开事项。"
        "没有因政府信息公开提起行政复议情况。无因政府信息公开工作被提起行政复议或行政诉讼情况。"
        "推行无纸化申请，无需申请人到场，2件无法提供。"
    )
    zeros = [f.topic for f in _prose(text) if f.qualifier == "negation"]
    assert zeros == [
        "全镇未接收到书面提交依申请",
        "无网上依申请",
        "没有因政府信息公开提起行政复议情况",
        "无因政府信息公开工作被提起行政复议或行政诉讼情",
    ]  # 无纸化, 无需, 无法 start no zero


def test_questions_enforce_the_unit_and_the_noun_they_name(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    store = Store(tmp_path / "facts.sqlite")
    load_paths(store, [str(tmp_path / "r.txt")])
    ask = lambda q: answer(q, store)  # noqa: E731
    assert ask("测试县民政局2021年开展政务公开日活动几场？").value == 3
    assert ask("测试县民政局2021年举办培训多少批次？").value == 2
    assert ask("测试县民政局2021年参训人员多少人次？").value == 90
    for q in (
        "测试县民政局2021年举办培训多少场？",
        "测试县民政局2021年开展在线访谈多少场？",
        "测试县民政局2021年公开栏更新多少期？",
    ):
        a = ask(q)
        assert (a.status, a.value) == ("not_found", None), q
    near = ask("测试县民政局2021年举办培训多少场？").text  # the sentences that come closest are shown instead
    assert "最接近的句子" in near and "举办培训2批次" in near


def test_a_data_file_from_before_the_offset_column_still_opens(tmp_path: Path) -> None:
    db = tmp_path / "facts.sqlite"
    con = sqlite3.connect(db)
    con.executescript("""CREATE TABLE facts (id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, kind TEXT,
        tbl TEXT, row TEXT, col TEXT, topic TEXT, row_label TEXT, column_label TEXT, value, unit TEXT,
        raw TEXT, qualifier TEXT, line INTEGER, quote TEXT);""")
    con.close()
    store = Store(db)
    assert "char_offset" in {r["name"] for r in store.db.execute("PRAGMA table_info(facts)")}
