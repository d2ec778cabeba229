"""Two reports in one file (two agencies, or two years of one agency, pasted together as text or
printed as one PDF) are stored as two reports, each under its own agency and year with the file's
line numbers, or the file is refused; never one report holding both."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ingest.split import find_parts
from tests.conftest import SAMPLES, run
from tests.render import base_year, blocks_of_text, to_pdf, with_year

XIAYI = SAMPLES / "003_dde6e9dcd5a2f618.txt"  # 夏邑县人民政府 2020
XIGONG = SAMPLES / "001_f231fb5974ae7f54.txt"  # 西工区民政局 2020: 城市低保 8615条
OPENINGS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "openings"


def text(p: Path) -> str:
    return p.read_text(encoding="utf-8")


def reports(d: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in run(d, "reports", "--json").output.splitlines()]


def facts(d: Path, *args: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in run(d, "facts", "--json", *args).output.splitlines()]


def test_two_agencies_pasted_into_one_text_file_are_two_reports(tmp_path: Path) -> None:
    both = tmp_path / "两份报告.txt"
    both.write_text(text(XIGONG) + "\n" + text(XIAYI), encoding="utf-8")
    first_lines = len(text(XIGONG).split("\n"))
    d = tmp_path / "data"
    result = run(d, "ingest", "--no-embed", str(both))
    assert result.exit_code == 0, result.output
    assert "1 file(s) (2 reports or entries): 2 added" in result.stdout
    docs = {r["agency"]: r for r in reports(d)}
    assert set(docs) == {"西工区民政局", "夏邑县人民政府"}
    assert (
        docs["西工区民政局"]["name"] == "两份报告.txt#1"
        and docs["夏邑县人民政府"]["name"] == "两份报告.txt#2"
    )
    assert all("this file holds several reports" in r["warnings"][0] for r in docs.values())

    # each report's facts are its own, with the line numbers of the file
    xiayi = facts(d, "--agency", "夏邑县人民政府")
    new = next(f for f in xiayi if (f["table"], f["row"], f["column"]) == ("t3", "new", "total"))
    assert new["value"] == 12 and new["line"] == first_lines + 47
    assert (
        both.read_text(encoding="utf-8")
        .split("\n")[new["line"] - 1]
        .startswith("一、本年新收政府信息公开申请数量")
    )
    assert not any("8615" in f["raw"] for f in xiayi)
    answer = run(d, "ask", "--json", "西工区民政局2020年公示城市低保信息多少条？")
    assert json.loads(answer.output)["value"] == 8615


def test_two_years_of_one_agency_in_one_pdf(tmp_path: Path) -> None:
    year = base_year(text(XIAYI))
    merged = text(XIAYI) + "\n" + with_year(text(XIAYI), year, year - 1).replace("\t12\n", "\t13\n", 1)
    pdf = tmp_path / "夏邑两年.pdf"
    pdf.write_bytes(to_pdf(blocks_of_text(merged)))
    d = tmp_path / "data"
    result = run(d, "ingest", "--no-embed", str(pdf))
    assert result.exit_code == 0, result.output
    assert sorted((r["agency"], r["year"]) for r in reports(d)) == [
        ("夏邑县人民政府", year - 1),
        ("夏邑县人民政府", year),
    ]
    for y in (year, year - 1):
        t3 = facts(d, "--year", str(y), "--table", "t3")
        new = [f for f in t3 if f["row"] == "new" and f["column"] == "total"]
        assert len(new) == 1
    assert result.stdout.count("added") == 1 and "2 added" in result.stdout


def test_a_merged_file_does_not_displace_a_correct_copy(facts_dir: Path, tmp_path: Path) -> None:
    d = tmp_path / "data"
    shutil.copytree(facts_dir, d)
    q = "夏邑县2020年收到多少政府信息公开申请？"
    before = json.loads(run(d, "ask", "--json", q).output)
    merged = tmp_path / "merged.txt"
    merged.write_text(text(XIAYI) + "\n\n" + text(XIGONG), encoding="utf-8")
    result = run(d, "ingest", "--no-embed", str(merged))
    assert result.exit_code == 0, result.output
    after = json.loads(run(d, "ask", "--json", q).output)
    assert after["value"] == before["value"] == 12
    xiayi = facts(d, "--agency", "夏邑县人民政府")
    assert not any("8615" in f["raw"] for f in xiayi), "another bureau's figure under 夏邑's name"


def test_the_same_report_twice_in_one_file_is_refused(facts_dir: Path, tmp_path: Path) -> None:
    twice = tmp_path / "twice.txt"
    twice.write_text(text(XIAYI) + "\n" + text(XIAYI), encoding="utf-8")  # the title is on line 3 of each
    result = run(tmp_path / "data", "ingest", "--no-embed", str(twice))
    assert result.exit_code == 1
    second = len(text(XIAYI).split("\n")) + 3
    assert result.stderr.strip().splitlines() == [
        f"error: {twice}: holds 2 reports labelled 夏邑县人民政府 2020 (starting at lines 1, {second}):"
        " split the file, one report per file"
    ]


def test_two_statistics_tables_with_no_second_report_start_are_refused(tmp_path: Path) -> None:
    lines = text(XIAYI).split("\n")
    table = lines[43:72]  # 三、's table alone, pasted a second time under the first
    bad = tmp_path / "two-tables.txt"
    bad.write_text("\n".join(lines[:72] + table + lines[72:]), encoding="utf-8")
    result = run(tmp_path / "data", "ingest", "--no-embed", str(bad))
    assert result.exit_code == 1
    assert "holds 2 statistics tables (表三, lines 47, 76)" in result.stderr
    assert "cannot be told apart" in result.stderr


def test_a_file_that_no_longer_holds_two_reports_leaves_only_one(tmp_path: Path) -> None:
    f = tmp_path / "report.txt"
    f.write_text(text(XIGONG) + "\n" + text(XIAYI), encoding="utf-8")
    d = tmp_path / "data"
    assert run(d, "ingest", "--no-embed", str(f)).exit_code == 0
    again = run(d, "ingest", "--no-embed", str(f)).stdout
    assert again.startswith("1 file(s) (2 reports or entries): 0 added, 0 replaced, 2 unchanged")
    f.write_text(text(XIAYI), encoding="utf-8")
    assert run(d, "ingest", "--no-embed", str(f)).exit_code == 0
    assert [(r["name"], r["agency"]) for r in reports(d)] == [("report.txt", "夏邑县人民政府")]


def test_one_report_is_never_split() -> None:
    """Every sample and every real report opening (titles printed twice, breadcrumbs, outlines
    repeated as headings) is one report."""
    files = sorted(SAMPLES.glob("*.txt")) + (sorted(OPENINGS.glob("*.txt")) if OPENINGS.is_dir() else [])
    if len(files) == 5:
        pytest.skip(f"the openings corpus is absent ({OPENINGS}); only the samples were checked")
    split = [f.name for f in files if len(find_parts(f.read_text(encoding="utf-8").split("\n"))) != 1]
    assert split == []


def test_every_pair_of_samples_splits_where_the_second_begins() -> None:
    samples = sorted(SAMPLES.glob("*.txt"))
    for a in samples:
        for b in samples:
            first = text(a).split("\n")
            parts = find_parts(first + text(b).split("\n"))
            assert len(parts) == 2, (a.name, b.name)
            assert len(first) <= parts[1].start <= len(first) + 3, (a.name, b.name, parts)


def test_generated_reports_pasted_in_pairs_are_stored_apart(tmp_path: Path) -> None:
    """Reports the rules were not written on (tests/synth.py, every text layout), pasted two by two:
    each pair is two reports with the agencies and years the generator gave them."""
    import random

    from index.load import load_file
    from index.store import Store
    from tests.synth import TEXT_LAYOUTS, generate

    rng = random.Random(2026)
    store = Store(tmp_path / "facts.sqlite")
    for i in range(24):
        layout = TEXT_LAYOUTS[i % len(TEXT_LAYOUTS)]
        a, b = generate(rng, layout), generate(rng, layout)
        p = tmp_path / f"pair{i}.txt"
        p.write_text(a.text.rstrip("\n") + "\n\n" + b.text, encoding="utf-8")
        results = load_file(store, p)
        got = sorted((d.agency, d.year) for d in store.documents() if d.path.startswith(f"{p}#"))
        want = sorted({(a.spec.agency, a.spec.year), (b.spec.agency, b.spec.year)})
        assert [r.status for r in results] == ["added", "added"] and got == want, (layout, got, want)
