"""Held-out evaluation: 12 hand-written reports and ~140 journalist questions the parser was not tuned on.

The reports (tests/heldout/reports/) and the expected answers (tests/heldout/questions.jsonl) were written
from the report texts alone, without reading the parser. A question the product gets wrong today is an
xfail(strict=True) listed in tests/heldout/known_failures.json with the kind of failure, so the suite is
green and a fix flips it (XPASS fails: then delete its line). A WRONG NUMBER (a value other than the
expected one, or a number where the report states none) is the worst kind and is listed as such.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run

HELDOUT = Path(__file__).resolve().parent / "heldout"
_LINES = (HELDOUT / "questions.jsonl").read_text(encoding="utf-8").splitlines()
QUESTIONS = [json.loads(line) for line in _LINES if line.strip()]
KNOWN: dict[str, str] = json.loads((HELDOUT / "known_failures.json").read_text(encoding="utf-8"))
# What each report is, as its text says (identity accepted as printed or as the canonical name).
REPORTS = json.loads((HELDOUT / "reports.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def heldout(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Ingest the held-out reports once (facts only) and ask every question in one `ask --json -` run."""
    data = tmp_path_factory.mktemp("heldout")
    ingest = run(data, "ingest", "--no-embed", str(HELDOUT / "reports"))
    reports = {
        Path(r["name"]).name.split("#")[0]: r
        for r in map(json.loads, run(data, "reports", "--json").output.splitlines())
    }
    asked = run(data, "ask", "--json", "-", input="".join(q["q"] + "\n" for q in QUESTIONS))
    answers = [json.loads(line) for line in asked.output.splitlines() if line.startswith("{")]
    assert len(answers) == len(QUESTIONS), asked.output[-2000:]
    by_id = dict(zip((q["id"] for q in QUESTIONS), answers))
    return {"data": data, "ingest": ingest, "reports": reports, "answers": by_id}


def _close(a: Any, b: Any) -> bool:
    return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) < 1e-6


def _check_status(answer: dict[str, Any]) -> str | None:
    statuses = {c.get("status") for c in answer.get("checks") or []}
    return "FAIL" if "FAIL" in statuses else "PASS" if "PASS" in statuses else None


def _miss_kind(a: dict[str, Any]) -> str:
    status = a.get("status")
    if status == "answered":
        return "question not understood: passages instead of a figure"
    if status == "not_found" and not a.get("agency"):
        return "agency not resolved"
    return f"status {status}"


def verdict(q: dict[str, Any], a: dict[str, Any]) -> str:
    """'ok', or the failure kind and what came back (WRONG NUMBER first: it is the failure that matters)."""
    value, status = a.get("value"), a.get("status")
    if q["cat"] == "compare":
        # agencies in scope with no report that year are rows that say so: not part of the answer's values
        got = [r.get("value") for r in a.get("rows") or [] if r.get("status") != "no_report"]
        if not got:
            return f"no table: status {status}, kind {a.get('kind')!r}, value {value}"
        want = q["expect"]
        same = got == want if a.get("kind") == "trend" else sorted(got, key=str) == sorted(want, key=str)
        if same:
            return "ok"
        if len(got) == len(want) and all(v is None or v in want for v in got):
            return f"incomplete table: got {got}, expected {want}"
        return f"WRONG NUMBER (table): got {got} ({a.get('kind')}), expected {want}"
    if q["cat"] == "consistency":
        got = _check_status(a)
        return "ok" if got == q["expect"] else f"consistency: got {got} ({status}), expected {q['expect']}"
    if q["expect"] == "not_found":
        if value is None:
            return "ok"
        return f"WRONG NUMBER (invented): got {value} for {a.get('agency')} {a.get('year')}"
    if value is None:
        return f"missed ({_miss_kind(a)}): agency {a.get('agency')!r}, year {a.get('year')}"
    if _close(value, q["expect"]):
        return "ok"
    return (
        f"WRONG NUMBER: got {value} for {a.get('agency')} {a.get('year')}, expected {q['expect']}"
        f" ({q['note']})"
    )


def _known(key: str) -> list[Any]:
    return [pytest.mark.xfail(strict=True, reason=KNOWN[key])] if key in KNOWN else []


@pytest.mark.parametrize("q", [pytest.param(q, id=q["id"], marks=_known(q["id"])) for q in QUESTIONS])
def test_heldout_question(heldout: dict[str, Any], q: dict[str, Any]) -> None:
    result = verdict(q, heldout["answers"][q["id"]])
    assert result == "ok", f"{q['q']}: {result}"


@pytest.mark.parametrize(
    "name", [pytest.param(n, id=f"agency-{n[:2]}", marks=_known(f"agency:{n}")) for n in REPORTS]
)
def test_heldout_agency(heldout: dict[str, Any], name: str) -> None:
    want = REPORTS[name]
    got = heldout["reports"].get(name)
    assert got, f"{name} not ingested: {heldout['ingest'].output[-1500:]}"
    accepted = {want["agency"], *want["aliases"]}
    names = (got.get("agency"), got.get("printed"))
    assert names[0] in accepted or names[1] in accepted, names


@pytest.mark.parametrize(
    "name", [pytest.param(n, id=f"year-{n[:2]}", marks=_known(f"year:{n}")) for n in REPORTS]
)
def test_heldout_year(heldout: dict[str, Any], name: str) -> None:
    got = heldout["reports"].get(name)
    assert got and got.get("year") == REPORTS[name]["year"], got and got.get("year")


def test_heldout_consecutive_years_are_one_body(heldout: dict[str, Any]) -> None:
    """成都市武侯区人民政府 (2021) and 武侯区人民政府 (2022) are one identity."""
    wuhou = [r for n, r in heldout["reports"].items() if n.startswith(("07_", "08_"))]
    assert len(wuhou) == 2 and wuhou[0]["agency_id"] == wuhou[1]["agency_id"], wuhou


@pytest.fixture(scope="module")
def stored_cells(heldout: dict[str, Any]) -> dict[str, dict[tuple[str, str, str], Any]]:
    """Every stored table cell, by report file and (table, row, column)."""
    facts = run(heldout["data"], "facts", "--json").output.splitlines()
    cells: dict[str, dict[tuple[str, str, str], Any]] = {}
    for f in map(json.loads, facts):
        if f["kind"] == "cell":
            doc = cells.setdefault(f["document"].split("#")[0], {})
            doc[(f["table"], f["row"], f["column"])] = f["value"]
    return cells


def cell_misses(want: list[list[Any]], got: dict[tuple[str, str, str], Any]) -> tuple[list[str], list[str]]:
    """(wrong cells, missing cells) of one report, against the cells its text prints."""
    wrong, missing = [], []
    for table, row, column, value in want:
        have = got.get((table, row, column))
        if have is None:
            missing.append(f"{table} {row}·{column}")
        elif not _close(have, value):
            wrong.append(f"{table} {row}·{column}: got {have}, printed {value}")
    return wrong, missing


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, id=f"cells-{n[:2]}-{REPORTS[n]['layout']}", marks=_known(f"cells:{n}"))
        for n in REPORTS
    ],
)
def test_heldout_table_cells(stored_cells: dict[str, Any], name: str) -> None:
    """Every printed cell of tables 二, 三 and 四 is stored with the printed value, in every layout."""
    wrong, missing = cell_misses(REPORTS[name]["cells"], stored_cells.get(name, {}))
    assert not wrong and not missing, (wrong[:10], missing[:10])
