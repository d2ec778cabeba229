"""Trend, compare, rank and derived measures on a generated multi-year, multi-agency corpus,
through `xxgk ask --json`; every expected value is computed here from the generator's numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import synth_series as ss
from tests.test_ask import ask_json

NEW = ("t3", "new", "total")


def stored_name(d: Path) -> dict[str, str]:
    """The store's name of each body by the name its report prints: one body, one name, whichever
    form a year prints (郑州市金水区人民政府 may be stored as 金水区人民政府)."""
    from tests.conftest import run

    docs = [json.loads(line) for line in run(d, "reports", "--json").output.splitlines()]
    return {doc["printed"]: doc["agency"] for doc in docs}


def expected_cell(r: ss.Report, key: tuple[str, str, str]) -> float | int | None:
    e = r.expect.get(key)
    return None if e is None or e.qualifier == "unresolved" else e.value


def expected_group(r: ss.Report, table: str, row: str, column: str) -> float | int | None:
    """A row printed only as sub-items (（三）不予公开) is their sum; a blank part means no value."""
    if (table, row, column) in r.expect:
        return expected_cell(r, (table, row, column))
    parts = [k for k in r.expect if k[0] == table and k[1].startswith(row + ".") and k[2] == column]
    values = [expected_cell(r, k) for k in parts]
    return None if not parts or any(v is None for v in values) else sum(values)  # type: ignore[arg-type]


def expected_rate(
    r: ss.Report | None, num: list[tuple[str, str, str]], den: list[tuple[str, str, str]]
) -> float | None:
    if r is None:
        return None
    n = [expected_group(r, *k) for k in num]
    d = [expected_group(r, *k) for k in den]
    if any(v is None for v in n + d) or not sum(d):  # type: ignore[arg-type]
        return None
    return round(sum(n) / sum(d) * 100, 2)  # type: ignore[arg-type]


def cited(row: dict, report: ss.Report) -> bool:
    return bool(row["facts"]) and all(
        f["document"] == report.path.name and f["line"] and f["quote"] for f in row["facts"]
    )


@pytest.mark.parametrize(
    "question",
    ["固始县历年收到多少政府信息公开申请？", "How many applications did Gushi receive over the years?"],
)
def test_trend_has_one_cited_row_per_year_and_says_which_years_are_missing(series, question: str) -> None:
    c, d = series
    a = ask_json(d, [question])[0]
    reports = c.of(ss.GOVERNMENT)
    assert (a["status"], a["kind"], a["agency"]) == ("answered", "trend", ss.GOVERNMENT)
    assert [r["year"] for r in a["rows"]] == ss.GOV_YEARS  # ascending, the missing year included
    for row in a["rows"]:
        y = row["year"]
        if y == ss.NOT_PUBLISHED:
            assert (row["status"], row["value"], row["facts"]) == ("no_report", None, [])
        elif y == ss.NO_T3:  # the table is gone: the narrative's count, cited as a sentence
            assert row["value"] == reports[y].synth.spec.t3["new"][6] and row["facts"][0]["kind"] == "prose"
        else:
            assert (row["status"], row["value"]) == ("stated", reports[y].cells[NEW]) and cited(
                row, reports[y]
            )
    assert str(ss.NOT_PUBLISHED) in a["text"] and (
        "没有该年度的报告" in a["text"] or "no report" in a["text"]
    )


def test_trend_since_a_year_and_a_range(series) -> None:
    c, d = series
    since, span = ask_json(d, ["固始县2021年以来行政复议多少件？", "固始县2016-2018年收到多少申请？"])
    assert [r["year"] for r in since["rows"]] == [2021, 2022, 2023, 2024]
    assert [r["value"] for r in since["rows"]] == [
        c.reports[(ss.GOVERNMENT, y)].cells[("t4", "reconsideration", "total")]
        for y in (2021, 2022, 2023, 2024)
    ]
    assert [r["year"] for r in span["rows"]] == [2016, 2017, 2018] and span["rows"][1]["value"] is None


@pytest.mark.parametrize(
    "question,names,fewest",
    [
        (
            "固始县民政局和夏邑县民政局、霍邱县民政局2022年行政复议多少件？对比一下",
            ["固始县民政局", "夏邑县民政局", "霍邱县民政局"],
            False,
        ),
        (
            "Which had fewer reconsiderations in 2022, Gushi civil affairs bureau or Xiayi civil affairs "
            "bureau?",
            ["固始县民政局", "夏邑县民政局"],
            True,
        ),
    ],
)
def test_compare_named_agencies_in_the_order_named_unless_asked_which_is_fewer(
    series, question: str, names: list[str], fewest: bool
) -> None:
    c, d = series
    a = ask_json(d, [question])[0]
    want = [(c.reports[(n, 2022)].cells[("t4", "reconsideration", "total")], n) for n in names]
    if fewest:
        want.sort(key=lambda vn: (vn[0], vn[1]))
    assert a["kind"] == "compare" and [(r["value"], r["agency"]) for r in a["rows"]] == want
    assert all(r["year"] == 2022 and cited(r, c.reports[(r["agency"], 2022)]) for r in a["rows"])


def test_rank_the_towns_of_one_county(series) -> None:
    c, d = series
    a = ask_json(d, ["2022年固始县各镇收到多少政府信息公开申请？排名"])[0]
    towns = {"固始县" + t + "人民政府" for t in ss.TOWNS}
    want = sorted(((c.reports[(n, 2022)].cells[NEW], n) for n in towns), key=lambda vn: (-vn[0], vn[1]))
    assert a["kind"] == "rank" and [(r["value"], r["agency"]) for r in a["rows"]] == want
    assert (a["agency"], a["value"]) == (want[0][1], want[0][0])


def test_rank_the_districts_and_counties_of_a_city_fewest_first(series) -> None:
    c, d = series
    most, fewest = ask_json(d, ["郑州市各区县2022年收到申请排名", "郑州市各区县2022年哪个收到的申请最少？"])
    name = stored_name(d)
    want = sorted(
        ((c.reports[(n, 2022)].cells[NEW], name[n]) for n in ss.ZHENGZHOU), key=lambda vn: (-vn[0], vn[1])
    )
    assert [(r["value"], r["agency"]) for r in most["rows"]] == want  # 夏邑县 (商丘市) is not among them
    assert [r["value"] for r in fewest["rows"]] == sorted(v for v, _ in want)


def test_rank_in_english_by_kind_and_level_top_n(series) -> None:
    c, d = series
    a = ask_json(d, ["Top 3 county civil affairs bureaus by applications received in 2022"])[0]
    want = sorted(
        ((c.reports[(cty + "民政局", 2022)].cells[NEW], cty + "民政局") for cty in ss.BUREAU_COUNTIES),
        key=lambda vn: (-vn[0], vn[1]),
    )[:3]
    assert a["kind"] == "rank" and [(r["value"], r["agency"]) for r in a["rows"]] == want


GRANT = [("t3", "granted", "total"), ("t3", "partial", "total")]
HANDLED = [("t3", "total_handled", "total")]


@pytest.mark.parametrize("question", ["固始县历年公开率", "Gushi disclosure rate over the years"])
def test_disclosure_rate_trend_shows_formula_and_never_uses_blank_cells(series, question: str) -> None:
    c, d = series
    a = ask_json(d, [question])[0]
    reports = c.of(ss.GOVERNMENT)
    assert "÷" in a["text"]  # the formula is shown
    for row in a["rows"]:
        want = expected_rate(reports.get(row["year"]), GRANT, HANDLED)
        assert row["value"] == want, row
        assert (row["status"] == "stated") == (want is not None)
        if want is not None:
            assert row["unit"] == "%" and {(f["table"], f["row"], f["column"]) for f in row["facts"]} == set(
                GRANT + HANDLED
            )


@pytest.mark.parametrize(
    "question,num,den",
    [
        ("2022年各县民政局不予公开率排名", [("t3", "refused", "total")], HANDLED),
        ("2022年各县民政局无法提供率排名", [("t3", "unable", "total")], HANDLED),
        (
            "2022年各县民政局复议纠错率排名",
            [("t4", "reconsideration", "corrected")],
            [("t4", "reconsideration", "total")],
        ),
        (
            "rank all county civil affairs bureaus by litigation correction rate in 2022",
            [("t4", "litigation_direct", "corrected"), ("t4", "litigation_after", "corrected")],
            [("t4", "litigation_direct", "total"), ("t4", "litigation_after", "total")],
        ),
    ],
)
def test_derived_measures_rank(series, question: str, num: list, den: list) -> None:
    c, d = series
    a = ask_json(d, [question])[0]
    got = {r["agency"]: r["value"] for r in a["rows"]}
    assert set(got) == {cty + "民政局" for cty in ss.BUREAU_COUNTIES}
    assert got == {n: expected_rate(r, num, den) for n, r in c.in_year(2022).items() if n in got}
    values = [r["value"] for r in a["rows"] if r["value"] is not None]
    assert values == sorted(values, reverse=True)


def test_application_growth_year_on_year(series) -> None:
    c, d = series
    a = ask_json(d, ["固始县历年申请增长"])[0]
    reports = c.of(ss.GOVERNMENT)
    for row in a["rows"]:
        now, before = reports.get(row["year"]), reports.get(row["year"] - 1)
        a_, b_ = (expected_cell(now, NEW) if now else None), (expected_cell(before, NEW) if before else None)
        want = round((a_ - b_) / b_ * 100, 2) if a_ is not None and b_ else None
        assert row["value"] == want, row


def test_a_derived_measure_of_one_report_is_answered_with_its_cells(series) -> None:
    c, d = series
    a = ask_json(d, ["固始县2021年公开率是多少？"])[0]
    assert (
        a["value"] == expected_rate(c.reports[(ss.GOVERNMENT, 2021)], GRANT, HANDLED) and len(a["rows"]) == 1
    )
    assert "（予以公开 + 部分公开）÷ 办理结果总计" in a["text"]


def test_a_single_figure_question_is_not_a_table(series) -> None:
    c, d = series
    a = ask_json(d, ["固始县民政局2021年收到多少政府信息公开申请？"])[0]
    assert (a["kind"], a["rows"], a["value"]) == ("", [], c.reports[("固始县民政局", 2021)].cells[NEW])


def test_failed_checks_are_marked_on_their_row(facts_dir: Path) -> None:
    a = ask_json(facts_dir, ["2020年哪个机关收到的政府信息公开申请最多？"])[0]
    xiayi = next(r for r in a["rows"] if r["agency"] == "夏邑县人民政府")
    assert [c["status"] for c in xiayi["checks"]] == [
        "UNCERTAIN"
    ]  # the narrative's 14 against the table's 12
    block = a["text"].split("1. 夏邑县人民政府")[1].split("\n2. ")[0]
    assert "⚠" in block


def test_a_report_stored_twice_is_one_row(tmp_path: Path) -> None:
    from tests.conftest import SAMPLES, run

    (tmp_path / "r").mkdir()
    for name in ("001_f231fb5974ae7f54.txt", "003_dde6e9dcd5a2f618.txt"):
        (tmp_path / "r" / name).write_bytes((SAMPLES / name).read_bytes())
    text = (SAMPLES / "003_dde6e9dcd5a2f618.txt").read_text(encoding="utf-8")
    (tmp_path / "r" / "003_copy.txt").write_text(
        text + "\n（网页版）\n", encoding="utf-8"
    )  # the same report, other bytes
    run(tmp_path / "d", "ingest", "--no-embed", str(tmp_path / "r"))
    a = ask_json(tmp_path / "d", ["2020年夏邑县和西工区民政局收到多少申请？"])[0]
    assert [(r["agency"], r["value"]) for r in a["rows"]] == [("夏邑县人民政府", 12), ("西工区民政局", 0)]


def test_a_long_lived_store_sees_reports_ingested_by_another_process(tmp_path: Path) -> None:
    """The Telegram bot keeps its store open while `xxgk ingest` adds reports."""
    from index.series import stored_copies
    from index.store import Store
    from tests.conftest import SAMPLES, run

    run(tmp_path / "d", "ingest", "--no-embed", str(SAMPLES / "001_f231fb5974ae7f54.txt"))
    bot_store = Store(tmp_path / "d" / "facts.sqlite")
    assert [a for a, _ in stored_copies(bot_store).docs] == ["西工区民政局"]
    run(tmp_path / "d", "ingest", "--no-embed", str(SAMPLES / "003_dde6e9dcd5a2f618.txt"))
    assert sorted(a for a, _ in stored_copies(bot_store).docs) == ["夏邑县人民政府", "西工区民政局"]
    bot_store.close()


@pytest.mark.parametrize(
    "question,agencies,years",
    [
        (
            "郑州市各区县哪个不予公开率最高",
            set(ss.ZHENGZHOU),
            [ss.RANK_YEAR],
        ),  # no year: the latest stored, said
        (
            "which Zhengzhou district government had the most applications in 2022",
            set(ss.ZHENGZHOU[:4]),
            [2022],
        ),
        ("固始县近五年收到的申请", {ss.GOVERNMENT}, [2020, 2021, 2022, 2023, 2024]),
        ("比较固始县民政局与光山县民政局的公开率", {"固始县民政局", "光山县民政局"}, [ss.RANK_YEAR]),
    ],
)
def test_scope_and_years_read_from_the_question(
    series, question: str, agencies: set[str], years: list[int]
) -> None:
    _, d = series
    a = ask_json(d, [question])[0]
    name = stored_name(d)
    assert {r["agency"] for r in a["rows"]} == {name.get(n, n) for n in agencies} and sorted(
        {r["year"] for r in a["rows"]}
    ) == years
