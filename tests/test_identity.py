"""One body, two printed names in two years: ingested through the CLI, it is one agency to
`xxgk reports`, to the store's agency records, to the carry-over check and to questions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from index.store import Store
from tests.conftest import SAMPLES, open_store, run
from tests.test_ask import ask_json

XIAYI = SAMPLES / "003_dde6e9dcd5a2f618.txt"


@pytest.fixture(scope="module")
def two_names(tmp_path_factory: pytest.TempPathFactory, engine: Callable[[Path], Path]) -> Path:
    """夏邑县人民政府 2020 as published, and the next year's report printed 商丘市夏邑县人民政府 (on
    each engine)."""
    d = tmp_path_factory.mktemp("identity")
    text = XIAYI.read_text(encoding="utf-8")
    later = text.replace("2020", "2021").replace("夏邑县人民政府2021年", "商丘市夏邑县人民政府2021年")
    (d / "r").mkdir()
    (d / "r" / "2020.txt").write_text(text, encoding="utf-8")
    (d / "r" / "2021.txt").write_text(later, encoding="utf-8")
    result = run(engine(d / "data"), "ingest", "--no-embed", str(d / "r"))
    assert result.exit_code == 0, result.output
    return d / "data"


def test_both_reports_are_one_identity_with_both_names(two_names: Path) -> None:
    store = open_store(two_names)
    [rec] = store.agency_records()
    assert rec.agency == "夏邑县人民政府" and rec.years == [2020, 2021] and rec.kind == "人民政府"
    assert {"夏邑县人民政府", "商丘市夏邑县人民政府"} <= set(rec.names)
    assert (rec.province, rec.city, rec.county, rec.town) == ("河南省", "商丘市", "夏邑县", None)
    docs = [json.loads(line) for line in run(two_names, "reports", "--json").output.splitlines()]
    assert {d["printed"] for d in docs} == {"夏邑县人民政府", "商丘市夏邑县人民政府"}
    assert {d["agency"] for d in docs} == {"夏邑县人民政府"} and len({d["agency_id"] for d in docs}) == 1
    assert all(d["cues"]["agency"] == "title" and d["cues"]["year"] for d in docs)


def test_the_carry_over_check_runs_across_the_two_names(two_names: Path) -> None:
    lines = [line for line in run(two_names, "check", "--all").output.splitlines() if "结转下年度" in line]
    assert any("2020 结转下年度 = 2021 上年结转" in line for line in lines)


@pytest.mark.parametrize(
    "question,year",
    [
        ("夏邑县人民政府2021年收到多少政府信息公开申请？", 2021),
        ("商丘市夏邑县人民政府2020年收到多少政府信息公开申请？", 2020),
        ("夏邑县2021年收到多少政府信息公开申请？", 2021),
    ],
)
def test_a_question_naming_either_name_or_the_bare_place_reaches_it(
    two_names: Path, question: str, year: int
) -> None:
    a = ask_json(two_names, [question])[0]
    assert a["status"] == "answered" and a["value"] == 12, a["text"]
    assert (a["facts"][0]["agency"], a["facts"][0]["year"]) == ("夏邑县人民政府", year)


def test_an_older_store_gets_the_identity_columns(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "facts.sqlite")
    db.execute(
        "CREATE TABLE documents (id TEXT PRIMARY KEY, path TEXT NOT NULL, name TEXT NOT NULL, sha256 TEXT "
        "NOT NULL "
        "UNIQUE, format TEXT, encoding TEXT, agency TEXT, place TEXT, city TEXT, province TEXT, year "
        "INTEGER, "
        "template TEXT, title TEXT, warnings TEXT, ingested_at TEXT)"
    )
    db.commit()
    db.close()
    assert run(tmp_path, "ingest", "--no-embed", str(XIAYI)).exit_code == 0
    [rec] = Store(tmp_path / "facts.sqlite").agency_records()
    assert rec.agency == "夏邑县人民政府" and rec.county == "夏邑县"


def test_place_and_year_overrides_are_checked_and_applied(tmp_path: Path) -> None:
    bad = run(tmp_path, "ingest", "--no-embed", "--place", "不存在县", str(XIAYI))
    assert bad.exit_code == 2 and "--place '不存在县'" in bad.output and "Traceback" not in bad.output
    assert run(tmp_path, "ingest", "--no-embed", "--year", "1999", str(XIAYI)).exit_code == 2
    ok = run(tmp_path, "ingest", "--no-embed", "--place", "text:城关片区", str(XIAYI))
    assert ok.exit_code == 0, ok.output
    [doc] = [json.loads(line) for line in run(tmp_path, "reports", "--json").output.splitlines()]
    assert (doc["place"], doc["town"], doc["cues"]["place"]) == ("城关片区", "城关片区", "override")


def test_cues_that_name_two_bodies_are_said_at_ingest_and_in_reports(tmp_path: Path) -> None:
    text = XIAYI.read_text(encoding="utf-8").replace(
        "一、总体情况", "如对本报告有疑问，请与夏邑县民政局联系。\n一、总体情况", 1
    )
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    result = run(tmp_path / "d", "ingest", "--no-embed", str(tmp_path / "r.txt"))
    assert (
        "cues disagree on the agency: title says 夏邑县人民政府, contact line says 夏邑县民政局"
        in result.output
    )
    assert "warning: cues disagree" in run(tmp_path / "d", "reports").output


def test_two_bodies_printing_one_name_stay_two(tmp_path: Path, engine: Callable[[Path], Path]) -> None:
    """朝阳区人民政府 of 北京市 and of 长春市: two identities, each named with its city."""
    for city, n in (("北京市", 1), ("长春市", 2)):
        body = (
            f"朝阳区人民政府2021年政府信息公开工作年度报告\n本报告依据{city}的要求编制，统计期限"
            "为2021年1月1日至12月31日。\n"
        )
        (tmp_path / f"{n}.txt").write_text(body * 2, encoding="utf-8")
    d = engine(tmp_path / "d")
    assert run(d, "ingest", "--no-embed", str(tmp_path / "1.txt"), str(tmp_path / "2.txt")).exit_code == 0
    records = open_store(d).agency_records()
    assert sorted((r.agency, r.city) for r in records) == [
        ("北京市朝阳区人民政府", "北京市"),
        ("长春市朝阳区人民政府", "长春市"),
    ]


@pytest.mark.parametrize(
    "question",
    [
        "商丘市夏邑县人民政府历年收到多少政府信息公开申请？",
        "How many applications did Xiayi receive over the years?",
    ],
)
def test_a_trend_runs_over_both_printed_names(two_names: Path, question: str) -> None:
    """One row a year, whichever name each year's report prints (the 2021 copy repeats 2020's table)."""
    [a] = ask_json(two_names, [question])
    assert (a["kind"], a["agency"]) == ("trend", "夏邑县人民政府")
    assert [(r["year"], r["value"]) for r in a["rows"]] == [(2020, 12), (2021, 12)]
    assert {r["facts"][0]["document"] for r in a["rows"]} == {"2020.txt", "2021.txt"}
