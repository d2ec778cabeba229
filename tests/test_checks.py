"""The reports' own arithmetic: Xiayi 2020 balances; a copy with one cell changed does not."""

from __future__ import annotations

import re
from pathlib import Path

from ingest import extract, read_document
from tests.conftest import SAMPLES, run

XIAYI = SAMPLES / "003_dde6e9dcd5a2f618.txt"


def checks_of(path: Path) -> dict[tuple[str, str], str]:
    return {(c.name, c.column): c.status for c in extract(read_document(path)).checks}


def test_xiayi_2020_tables_add_up() -> None:
    checks = checks_of(XIAYI)
    for col in ("natural_person", "business", "total"):
        assert checks[("balance", col)] == "PASS"
        assert checks[("subrows", col)] == "PASS"
    assert checks[("applicants", "new")] == "PASS"
    assert checks[("t4_group", "reconsideration")] == "PASS"
    assert "FAIL" not in checks.values()


def test_xiayi_prose_14_is_flagged_as_new_plus_carried_over() -> None:
    prose = [c for c in extract(read_document(XIAYI)).checks if c.name == "prose"]
    assert len(prose) == 1 and prose[0].status == "UNCERTAIN"
    assert (prose[0].lhs, prose[0].rhs) == (14, 12)
    assert "上年结转" in prose[0].detail


def test_a_broken_copy_fails_the_balance_check_with_both_sides_shown(tmp_path: Path) -> None:
    text = XIAYI.read_text(encoding="utf-8").replace(
        "一、本年新收政府信息公开申请数量\t10\t2\t0\t0\t0\t0\t12",
        "一、本年新收政府信息公开申请数量\t10\t2\t0\t0\t0\t0\t13",
    )
    broken = tmp_path / "xiayi_broken.txt"
    broken.write_text(text, encoding="utf-8")
    checks = [c for c in extract(read_document(broken)).checks if c.name == "balance" and c.column == "total"]
    assert checks[0].status == "FAIL" and (checks[0].lhs, checks[0].rhs) == (15, 14)
    result = run(tmp_path / "d", "ingest", "--no-embed", str(broken))
    assert "3 checks failed" in result.output  # balance, applicant sum of 一, and the prose 14
    listing = run(tmp_path / "d", "check").output.splitlines()
    assert listing[0].startswith("FAIL") and "15 vs 14" in listing[0]


def test_cut_off_table_is_kept_and_recorded_as_incomplete() -> None:
    checks = extract(read_document(SAMPLES / "000_c91177d96d0353ab.txt")).checks
    incomplete = [c for c in checks if c.name == "completeness"]
    assert any("表三 is incomplete" in c.detail and "new" in c.detail for c in incomplete)


def test_consecutive_years_carry_over(tmp_path: Path) -> None:
    """Year N 结转下年度 must equal year N+1 上年结转 once both reports are ingested."""
    text = XIAYI.read_text(encoding="utf-8")
    later = text.replace("2020", "2021").replace(
        "二、上年结转政府信息公开申请数量\t2\t0\t0\t0\t0\t0\t2",
        "二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1",
    )
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "x2020.txt").write_text(text, encoding="utf-8")
    (tmp_path / "r" / "x2021.txt").write_text(later, encoding="utf-8")
    run(tmp_path / "d", "ingest", "--no-embed", str(tmp_path / "r"))
    lines = [ln for ln in run(tmp_path / "d", "check").output.splitlines() if "结转下年度" in ln]
    assert lines and all(ln.startswith("FAIL") for ln in lines[:2])
    assert any("2020 结转下年度 = 2021 上年结转: 0 vs 1" in ln for ln in lines)


def test_a_report_without_agency_or_year_is_stored_flagged_and_listed(tmp_path: Path) -> None:
    text = (
        XIAYI.read_text(encoding="utf-8")
        .replace("夏邑县人民政府", "本机关")
        .replace("夏邑县", "本县")
        .replace("2020", "本")
    )
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "report.txt").write_text(text, encoding="utf-8")
    result = run(tmp_path / "d", "ingest", "--no-embed", str(tmp_path / "r"))
    assert result.exit_code == 0 and "1 added" in result.output
    assert "agency not found in the text; pass --agency" in result.output
    flagged = [
        line for line in run(tmp_path / "d", "check").output.splitlines() if line.startswith("FLAGGED")
    ]
    assert flagged == ["FLAGGED\treport.txt: agency unknown — re-ingest with --agency/--year"]
    fixed = run(
        tmp_path / "d",
        "ingest",
        "--no-embed",
        "--agency",
        "夏邑县人民政府",
        "--year",
        "2020",
        str(tmp_path / "r" / "report.txt"),
    )
    assert "1 replaced" in fixed.output
    assert not [
        line for line in run(tmp_path / "d", "check").output.splitlines() if line.startswith("FLAGGED")
    ]
    assert run(tmp_path / "d", "reports").output.startswith(
        "夏邑县人民政府\t夏邑县人民政府\t河南省 商丘市 夏邑县\t2020"
    )


def test_prose_about_one_kind_of_applicant_is_not_compared_with_the_total(tmp_path: Path) -> None:
    text = XIAYI.read_text(encoding="utf-8").replace(
        "全部依据《政府信息公开条例》及时予以答复。",
        "其中自然人申请10件，全部依据《政府信息公开条例》及时予以答复。",
    )
    (tmp_path / "x.txt").write_text(text, encoding="utf-8")
    prose = [c for c in extract(read_document(tmp_path / "x.txt")).checks if c.name == "prose"]
    assert [(c.lhs, c.status) for c in prose] == [(14, "UNCERTAIN")]


def _t3_with(replace: list[tuple[str, str]], blank_totals: bool = False) -> dict[tuple[str, str], object]:
    """Xiayi 2020 with some cells changed, or with the 总计 cell of every sub-row of 三 left blank."""
    lines = XIAYI.read_text(encoding="utf-8").split("\n")
    first = next(i for i, ln in enumerate(lines) if ln.startswith("三、本年度办理结果"))
    last = next(i for i, ln in enumerate(lines) if "(七) 总计" in ln)
    if blank_totals:
        lines = [re.sub(r"\t\d+$", "\t", ln) if first <= i < last else ln for i, ln in enumerate(lines)]
    text = "\n".join(lines)
    for old, new in replace:
        assert old in text
        text = text.replace(old, new)
    return {(c.name, c.column): c for c in extract(read_document("x.txt", text.encode("utf-8"))).checks}


def test_a_total_column_left_blank_is_unknown_not_zero() -> None:
    """Sub-rows of 三 whose 总计 cells are blank (as shanghai 2019 prints them) do not add up to 0."""
    checks = _t3_with([], blank_totals=True)
    blank = checks[("subrows", "total")]
    assert blank.status == "UNCERTAIN" and blank.rhs == 14 and "blank" in blank.detail
    assert not [c for c in checks.values() if c.status == "FAIL"]


def test_a_blank_cell_may_fill_a_gap_but_never_excuses_an_excess() -> None:
    blank_cell = ("1.信访举报投诉类申请\t0\t", "1.信访举报投诉类申请\t\t")
    short = _t3_with([("(一) 予以公开\t\t3\t", "(一) 予以公开\t\t1\t"), blank_cell])
    over = _t3_with([("(一) 予以公开\t\t3\t", "(一) 予以公开\t\t5\t"), blank_cell])
    gap, excess = short[("subrows", "natural_person")], over[("subrows", "natural_person")]
    assert (gap.status, gap.lhs, gap.rhs) == ("UNCERTAIN", 10, 12) and "may hold the difference" in gap.detail
    assert (excess.status, excess.lhs, excess.rhs) == ("FAIL", 14, 12) and "不一致" in excess.detail
