"""A table cell answered from a sentence, when the report's table is lost: the cell's own value or
not_found, never another figure. The reports (tests/synth_stated.py) state many figures of each
table's section in real wording, so a sentence about the year's new disclosures (主动公开规章13件) is
there to be taken for the total, and one about applications deferred (顺延到下年度答复) for a lawsuit
still pending."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot.answer import answer
from index.load import load_paths
from index.store import Store
from ingest.vocab import load, strip_numbering
from tests.synth_stated import Key, Stated, stated_report

V = load()
AGENCIES = ["固始县民政局", "临泉县财政局", "舒城县教育局", "光山县卫生健康委员会"]


def _entry(table: str, kind: str, key: str):  # type: ignore[no-untyped-def]
    entries = V.rows(table) if kind == "row" else V.columns(table)
    return next(e for e in entries if e.key == key)


def questions(r: Stated, key: Key) -> list[str]:
    """The cell asked in Chinese by its printed labels, and in English by the vocabulary's words."""
    table, row, column = key
    re_, ce = _entry(table, "row", row), _entry(table, "column", column)
    label = strip_numbering(re_.label).replace("·", "")
    col = "" if column == "total" and table == "t3" else ce.label
    zh = f"{r.agency}{r.year}年{label}{col}是多少？"
    en_col = "" if column == "total" and table == "t3" else ce.en[0]
    en = f"{r.agency} {r.year}: how many {re_.en[0]} {en_col}?".replace("  ", " ")
    return [zh, en]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, list[Stated]]:
    d = tmp_path_factory.mktemp("stated_guard")
    rng = random.Random(7)
    made = [stated_report(rng, agency, 2018 + i) for i, agency in enumerate(AGENCIES)]
    for i, r in enumerate(made):
        (d / f"r{i}.txt").write_text(r.text, encoding="utf-8")
    s = Store(d / "facts.sqlite")
    load_paths(s, sorted(str(p) for p in d.glob("r*.txt")))
    return s, made


def test_a_cell_answered_from_prose_is_its_own_value_or_none(reports: tuple[Store, list[Stated]]) -> None:
    store, made = reports
    wrong, right = [], 0
    for r in made:
        for key, value in r.cells.items():
            for q in questions(r, key):
                a = answer(q, store)
                if a.status == "answered" and a.value != value:
                    wrong.append(f"{q} -> {a.value} (cell {value})")
                right += a.value == value
    assert not wrong, "\n".join(wrong)
    assert right >= 20  # the cells a sentence states truthfully are still answered


def test_the_years_new_disclosures_are_not_the_total(reports: tuple[Store, list[Stated]]) -> None:
    store, made = reports
    r = next(r for r in made if ("t2", "regulations", "new_published") in r.stated)
    q = f"How many rules (规章) were publicly available in total at {r.agency} in {r.year}?"
    a = answer(q, store)
    stated = ("t2", "regulations", "total_published") in r.stated
    assert (a.value if stated else a.status) == (
        r.cells[("t2", "regulations", "total_published")] if stated else "not_found"
    )
    assert (
        answer(f"{r.agency}{r.year}年主动公开规章多少件？", store).value
        == r.cells[("t2", "regulations", "new_published")]
    )


def test_a_lawsuit_question_is_never_answered_from_deferred_applications(
    reports: tuple[Store, list[Stated]],
) -> None:
    store, made = reports
    for r in made:
        q = f"{r.agency} {r.year}: FOI lawsuits filed directly that were still pending at year end?"
        a = answer(q, store)
        assert a.value in (None, r.cells[("t4", "litigation_direct", "pending")]), a.text


def test_generated_reports_print_no_table(tmp_path: Path) -> None:
    r = stated_report(random.Random(1))
    (tmp_path / "r.txt").write_text(r.text, encoding="utf-8")
    s = Store(tmp_path / "facts.sqlite")
    load_paths(s, [str(tmp_path / "r.txt")])
    assert not [f for f in s.facts() if f.kind == "cell" and f.table in ("t2", "t3", "t4")]


def test_a_lawsuit_question_is_never_answered_by_a_cell_of_table_three(tmp_path: Path) -> None:
    """`lawsuits … still pending at year end` read as table 三's 结转下年度: not that cell's figure."""
    from tests.synth import generate

    s = generate(random.Random(3), "tab")
    (tmp_path / s.name).write_bytes(s.data)
    store = Store(tmp_path / "facts.sqlite")
    load_paths(store, [str(tmp_path / s.name)])
    q = f"{s.agency} {s.year}: FOI lawsuits filed directly that were still pending at year end?"
    assert answer(q, store).value in (None, s.cells[("t4", "litigation_direct", "pending")])
    carried = s.cells[("t3", "carried_forward", "total")]
    assert answer(f"{s.agency}{s.year}年结转下年度继续办理多少件？", store).value == carried
