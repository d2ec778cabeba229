"""Questions through the product's own interface: `xxgk ask --json -` after ingesting the samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run

SEEDS = Path(__file__).resolve().parent / "seed_questions.jsonl"


def ask_json(data_dir: Path, questions: list[str]) -> list[dict]:
    result = run(data_dir, "ask", "--json", "-", input="\n".join(questions) + "\n")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_every_seed_question_passes(engine_facts_dir: Path) -> None:
    seeds = [json.loads(line) for line in SEEDS.read_text(encoding="utf-8").splitlines() if line.strip()]
    answers = ask_json(engine_facts_dir, [s["question"] for s in seeds])
    assert [a["question"] for a in answers] == [s["question"] for s in seeds]  # one object per line, in order
    failures = []
    for s, a in zip(seeds, answers):
        if s["answer"] is None:
            ok = a["status"] == "not_found" and a["value"] is None
        else:
            ok = a["status"] == "answered" and a["value"] == s["answer"] and a["facts"]
        if not ok:
            failures.append((s["id"], s["answer"], a["status"], a["value"], a["text"][:120]))
    assert failures == []


def test_answer_json_carries_provenance_of_every_number(engine_facts_dir: Path) -> None:
    a = ask_json(engine_facts_dir, ["夏邑县2020年收到多少政府信息公开申请？"])[0]
    for key in ("question", "status", "value", "unit", "text", "facts", "checks", "passages", "candidates"):
        assert key in a
    cell = a["facts"][0]
    assert (cell["agency"], cell["year"], cell["table"], cell["row"], cell["column"], cell["value"]) == (
        "夏邑县人民政府",
        2020,
        "t3",
        "new",
        "total",
        12,
    )
    assert cell["document"] == "003_dde6e9dcd5a2f618.txt" and cell["line"] == 47 and "12" in cell["quote"]
    assert "上年结转 2" in a["text"] and "14件" in a["text"]  # carried over and the prose figure that differs
    assert any(c["name"] == "prose" for c in a["checks"])


@pytest.mark.parametrize(
    "question,lang_word",
    [
        ("How many applications did the Huoqiu civil affairs bureau receive in 2020?", "Source"),
        ("霍邱县民政局2020年收到多少申请？", "来源"),
    ],
)
def test_reply_in_the_language_of_the_question(facts_dir: Path, question: str, lang_word: str) -> None:
    a = ask_json(facts_dir, [question])[0]
    assert a["status"] == "answered" and a["value"] == 0 and lang_word in a["text"]


def test_ambiguous_agency_lists_the_candidates(engine_facts_dir: Path) -> None:
    a = ask_json(engine_facts_dir, ["2020年收到多少政府信息公开申请？"])[0]
    assert a["status"] == "ambiguous" and a["value"] is None
    assert "夏邑县人民政府" in a["candidates"] and "霍邱县民政局" in a["candidates"]


def test_bare_place_with_one_report_is_answered_saying_which_agency_was_assumed(facts_dir: Path) -> None:
    a = ask_json(facts_dir, ["霍邱2020年收到多少申请？"])[0]
    assert (a["status"], a["agency"], a["value"]) == ("answered", "霍邱县民政局", 0)
    assert a["text"].splitlines()[0] == "（机关：“霍邱”按霍邱县民政局理解，已存储的报告中只有它符合）"


def test_henan_province_is_not_henan_county(facts_dir: Path) -> None:
    a = ask_json(facts_dir, ["河南省2021年收到多少政府信息公开申请？"])[0]
    assert a["status"] == "not_found" and a["value"] is None and "没有存储河南省的报告" in a["text"]


def test_a_place_with_no_report_is_named_not_guessed(facts_dir: Path) -> None:
    a = ask_json(facts_dir, ["北京市2020年收到多少申请？"])[0]
    assert (a["status"], a["value"], a["candidates"]) == ("not_found", None, []) and "北京市" in a["text"]


def test_not_found_says_what_is_stored_and_never_invents_a_number(facts_dir: Path) -> None:
    a = ask_json(facts_dir, ["夏邑县2019年收到多少政府信息公开申请？"])[0]
    assert a["status"] == "not_found" and a["value"] is None and "2020" in a["text"]
    b = ask_json(facts_dir, ["西工区民政局2020年予以公开多少件？"])[0]  # the report leaves these cells empty
    assert b["status"] == "not_found" and b["value"] is None and "空" in b["text"]


def test_last_year_resolves_against_today_and_says_so(facts_dir: Path) -> None:
    from datetime import date

    from bot.answer import answer
    from index.store import Store

    a = answer(
        "How many applications did Xiayi receive last year?",
        Store(facts_dir / "facts.sqlite"),
        today=date(2021, 3, 1),
    )
    assert a.value == 12 and "2020" in a.text and "last year" in a.text


def test_human_answer_prints_value_source_and_quote(facts_dir: Path) -> None:
    out = run(
        facts_dir, "ask", "How many information disclosure applications did Xiayi receive in 2020?"
    ).output
    assert "12" in out and "line 47" in out and "Quote:" in out


def test_other_questions_get_passages_not_numbers(facts_dir: Path) -> None:
    a = ask_json(facts_dir, ["夏邑县2020年存在什么问题？"])[0]
    assert a["status"] == "answered" and a["value"] is None and a["facts"] == []
    assert a["passages"] and all(p["document"] == "003_dde6e9dcd5a2f618.txt" for p in a["passages"])
    assert "问题" in a["text"].splitlines()[1]  # the most relevant sentence comes first


def test_the_longest_most_specific_agency_wins(tmp_path: Path) -> None:
    """夏邑县民政局 is not 夏邑县人民政府; a bare 夏邑 means the 人民政府 when it is ingested."""
    from tests.conftest import SAMPLES

    reports = tmp_path / "r"
    reports.mkdir()
    text = (SAMPLES / "003_dde6e9dcd5a2f618.txt").read_text(encoding="utf-8")
    (reports / "gov.txt").write_text(text, encoding="utf-8")
    bureau = text.replace("夏邑县人民政府", "夏邑县民政局").replace(
        "\t10\t2\t0\t0\t0\t0\t12", "\t7\t2\t0\t0\t0\t0\t9"
    )
    (reports / "bureau.txt").write_text(bureau, encoding="utf-8")
    d = tmp_path / "d"
    run(d, "ingest", "--no-embed", str(reports))
    answers = ask_json(
        d,
        [
            "夏邑县民政局2020年收到多少政府信息公开申请？",
            "夏邑2020年收到多少政府信息公开申请？",
            "How many applications did the Xiayi civil affairs bureau receive in 2020?",
            "How many applications did Xiayi receive in 2020?",
        ],
    )
    assert [(a["agency"], a["value"]) for a in answers] == [
        ("夏邑县民政局", 9),
        ("夏邑县人民政府", 12),
        ("夏邑县民政局", 9),
        ("夏邑县人民政府", 12),
    ]


def test_the_same_report_in_two_formats_is_not_counted_twice(tmp_path: Path) -> None:
    from tests.conftest import SAMPLES

    reports = tmp_path / "r"
    reports.mkdir()
    text = (SAMPLES / "003_dde6e9dcd5a2f618.txt").read_text(encoding="utf-8")
    (reports / "xiayi.txt").write_text(text, encoding="utf-8")
    (reports / "xiayi_gb.txt").write_bytes(text.encode("gb18030"))
    result = run(tmp_path / "d", "ingest", "--no-embed", str(reports))
    assert "another report of 夏邑县人民政府 2020 is stored" in result.output
    a = ask_json(tmp_path / "d", ["夏邑县2020年收到多少政府信息公开申请？"])[0]
    assert a["value"] == 12 and len({f["document"] for f in a["facts"]}) == 1


@pytest.mark.parametrize(
    "question,value,row",
    [
        (
            "夏邑县2020年无法提供的申请有多少件？",
            11,
            "unable.not_held",
        ),  # a group: the sum of its printed sub-rows
        (
            "How many lawsuits were filed against Xiayi in 2020?",
            1,
            "litigation_direct",
        ),  # both kinds of lawsuit
        (
            "How many applications did Xiayi answer in 2020?",
            14,
            "total_handled",
        ),  # 'answer' names the row, 'applications' only the subject
        ("What was Xiayi's procurement spending in 2020?", 111.1, "procurement"),
        (
            "霍邱县民政局2020年因国家秘密不予公开多少件？",
            0,
            "refused.state_secret",
        ),  # the sub-item beats its group
        ("夏邑县2020年商业企业提出了多少申请？", 2, "new"),
    ],
)
def test_figures_named_in_other_words(facts_dir: Path, question: str, value: float, row: str) -> None:
    a = ask_json(facts_dir, [question])[0]
    assert (a["status"], a["value"], a["facts"][0]["row"]) == ("answered", value, row)


def test_a_sum_cites_every_cell_it_adds(facts_dir: Path) -> None:
    a = ask_json(facts_dir, ["夏邑县2020年无法提供的申请有多少件？"])[0]
    assert [f["value"] for f in a["facts"]] == [6, 0, 5] and [f["line"] for f in a["facts"]] == [60, 61, 62]
    assert "之和" in a["text"]


def test_legal_persons_and_other_organisations_is_the_sum_of_five_columns(facts_dir: Path) -> None:
    a = ask_json(facts_dir, ["夏邑县2020年法人或其他组织提出多少申请？"])[0]
    assert a["value"] == 2 and [f["column"] for f in a["facts"]] == [
        "business",
        "research",
        "nonprofit",
        "legal_service",
        "other_org",
    ]


def test_which_agency_had_the_most_ranks_the_same_cell_across_reports(facts_dir: Path) -> None:
    a = ask_json(facts_dir, ["2020年哪个机关收到的政府信息公开申请最多？"])[0]
    assert (a["status"], a["agency"], a["value"]) == ("answered", "夏邑县人民政府", 12)
    assert a["kind"] == "rank" and [(r["agency"], r["value"], r["status"]) for r in a["rows"]] == [
        ("夏邑县人民政府", 12, "stated"),
        ("西工区民政局", 0, "stated"),
        ("霍邱县民政局", 0, "stated"),
        ("息烽县民政局", None, "no_report"),
        ("河南县民政局", None, "no_report"),
    ]  # no 2020 report: said, not skipped
    assert [f["kind"] for f in a["facts"]] == [
        "cell",
        "cell",
        "prose",
    ]  # 霍邱's table is cut off: its sentence, as a single answer reads it


def _xiayi_variant(tmp_path: Path, old: str, new: str) -> Path:
    from tests.conftest import SAMPLES

    text = (SAMPLES / "003_dde6e9dcd5a2f618.txt").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "x.txt").write_text(text.replace(old, new), encoding="utf-8")
    run(tmp_path / "d", "ingest", "--no-embed", str(tmp_path / "r"))
    return tmp_path / "d"


def test_an_unreadable_cell_is_explained_never_replaced_by_a_prose_total(tmp_path: Path) -> None:
    d = _xiayi_variant(tmp_path, "\t10\t2\t0\t0\t0\t0\t12", "\t1O\t2\t0\t0\t0\t0\t12")
    a = ask_json(d, ["夏邑县2020年自然人提出了多少件申请？"])[0]
    assert (a["status"], a["value"]) == ("not_found", None) and "14" not in a["text"].split("\n")[0]


def test_a_sum_over_an_unresolved_cell_is_not_given(tmp_path: Path) -> None:
    d = _xiayi_variant(
        tmp_path, "1.本机关不掌握相关政府信息\t4\t2\t0\t0\t0\t0\t6", "1.本机关不掌握相关政府信息\t4\t2"
    )
    a = ask_json(d, ["夏邑县2020年无法提供多少件？"])[0]
    assert a["value"] != 5 and a["status"] != "answered"


def test_one_applicant_column_carries_no_warning_about_the_total(facts_dir: Path) -> None:
    a = ask_json(facts_dir, ["夏邑县2020年自然人提出了多少件申请？"])[0]
    assert a["value"] == 10 and a["checks"] == [] and "⚠" not in a["text"]


def test_facts_table_prose_lists_only_prose(facts_dir: Path) -> None:
    lines = run(facts_dir, "facts", "--table", "prose", "--json").output.splitlines()
    assert lines and all(json.loads(line)["kind"] == "prose" for line in lines)


def test_the_agency_kind_words_do_not_name_a_figure(tmp_path: Path) -> None:
    """'market regulation' names the bureau (市场监督管理局), not 表二's 规章 (regulations)."""
    d = _xiayi_variant(tmp_path, "夏邑县人民政府2020年", "夏邑县市场监督管理局2020年")
    a = ask_json(d, ["How many applications did the Xiayi market regulation bureau receive in 2020?"])[0]
    assert (a["agency"], a["value"], a["facts"][0]["row"]) == ("夏邑县市场监督管理局", 12, "new")
