"""Held-out evaluations on REAL report pages: each set (tests/heldout3, heldout4, …) holds reports saved
exactly as stored public pages give their text (furniture, cut-off tables and all; sources and the figures
read by hand in reports.json) and journalist questions whose gold was read from that text (expect null =
the text does not give it; a list = the rows of a compare or trend, in the order asked).

Current misses are xfail(strict=True) with their failure kind, read from the set's known_failures.json, so
a fix turns them into XPASS (re-record the file) and a new miss fails. Wrong numbers and the files the
ingest rejects are listed apart there. `python -m tests.test_real_pages SET` re-records a set's
known_failures.json and prints every question's outcome and the figures."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run

TESTS = Path(__file__).resolve().parent
# Each set's size as its evaluator wrote it: questions, of them in Chinese, not_found, report files.
SIZES = {
    "heldout3": (124, 62, 30, 10),
    "heldout4": (125, 62, 24, 12),
    "heldout5": (100, 50, 18, 10),
    "heldout6": (100, 50, 18, 10),
    "heldout7": (100, 50, 18, 10),
}
WRONG = ("wrong number", "answered a not_found", "wrong compare rows")

Row = dict[str, Any]


def _lines(path: Path) -> list[str]:
    return [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


@dataclass
class HeldOut:
    name: str

    @property
    def dir(self) -> Path:
        return TESTS / self.name

    @cached_property
    def questions(self) -> list[Row]:
        return [json.loads(x) for x in _lines(self.dir / "questions.jsonl")]

    @cached_property
    def gold(self) -> list[Row]:
        return list(json.loads((self.dir / "reports.json").read_text(encoding="utf-8")))

    @cached_property
    def known(self) -> dict[str, Any]:
        return dict(json.loads((self.dir / "known_failures.json").read_text(encoding="utf-8")))

    @cached_property
    def expected(self) -> dict[str, tuple[set[str], int]]:
        """What each report is, from its own text: the names the body may be stored under, and the year."""
        return {r["file"]: (set(r["names"]), r["year"]) for r in self.gold}


SETS = {name: HeldOut(name) for name in SIZES}


@dataclass
class Evaluated:
    reports: list[Row]
    answers: dict[str, Row]
    checks: list[Row]
    rejected: list[str]


def evaluate(h: HeldOut, data: Path) -> Evaluated:
    """Ingest the set's reports into `data` and ask every question, as a user would, through the CLI."""
    result = run(data, "ingest", "--no-embed", "--jobs", "1", str(h.dir / "reports"))
    assert result.exit_code in (0, 1), result.output
    rejected = sorted(Path(m).name for m in re.findall(r"^error: (\S+): ", result.output, re.M))
    reports = [json.loads(x) for x in run(data, "reports", "--json").output.splitlines() if x.strip()]
    stdin = "".join(q["q"] + "\n" for q in h.questions)
    lines = [x for x in run(data, "ask", "--json", "-", input=stdin).output.splitlines() if x.startswith("{")]
    assert len(lines) == len(h.questions)
    checks = [json.loads(x) for x in run(data, "check", "--json").output.splitlines() if x.startswith("{")]
    answers = {q["id"]: json.loads(x) for q, x in zip(h.questions, lines)}
    return Evaluated(reports, answers, checks, rejected)


def check_outcome(name: str, checks: list[Row]) -> str:
    """None of these copies gives both sides of a relation that fails: no check may FAIL."""
    failed = [c["name"] for c in checks if c["document"].split("#")[0] == name and c["status"] == "FAIL"]
    return f"false check failure: {', '.join(failed)}" if failed else "ok"


def report_outcome(expected: dict[str, tuple[set[str], int]], name: str, reports: list[Row]) -> str:
    """'ok', or how the report was stored otherwise than its own text says (names, year)."""
    names, year = expected[name]
    got = [r for r in reports if r["name"].split("#")[0] == name]
    if len(got) != 1:
        return f"stored as {len(got)} reports"
    r = got[0]
    stored = {r.get("agency"), r.get("printed"), *(r.get("names") or [])}
    if not names & stored:
        return f"agency {r.get('agency')!r}"
    return "ok" if r.get("year") == year else f"year {r.get('year')}"


def same(a: object, b: object) -> bool:
    return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) < 1e-9


def outcome(q: Row, a: Row) -> tuple[str, object]:
    """('ok' | failure kind, what came back)."""
    want = q["expect"]
    if a.get("status") == "error":
        return "error", a.get("text", "")[:80]
    if isinstance(want, list):
        if a.get("kind") not in ("compare", "rank", "trend"):
            return "compare not recognised", a.get("value")
        # A row with no value is a year or body the store does not hold, said so: not a wrong number.
        values = [row.get("value") for row in a.get("rows", []) if row.get("value") is not None]
        ok = len(values) == len(want) and all(same(v, w) for v, w in zip(values, want))
        return ("ok" if ok else "wrong compare rows"), values
    value = a.get("value") if a.get("status") == "answered" else None
    if want is None:
        return ("ok" if value is None else "answered a not_found"), value
    if value is None:
        return ("not_found" if a.get("status") == "not_found" else f"no figure ({a.get('status')})"), None
    if not same(value, want):
        return "wrong number", value
    return ("ok" if a.get("year") == q["year"] else f"wrong year {a.get('year')}"), value


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Evaluated]:
    """One ingest per set, on first use."""
    done: dict[str, Evaluated] = {}

    def of(name: str) -> Evaluated:
        if name not in done:
            done[name] = evaluate(SETS[name], tmp_path_factory.mktemp(name))
        return done[name]

    return of


def _params(table: str, keys: Callable[[HeldOut], list[tuple[str, Any]]]) -> list[Any]:
    """One case per set and key, a strict xfail where the set's known_failures lists it under `table`."""
    out = []
    for name, h in SETS.items():
        for key, value in keys(h):
            listed = h.known[table].get(key)
            marks = [pytest.mark.xfail(strict=True, reason=listed)] if listed else []
            out.append(pytest.param(name, value, id=f"{name}:{key}", marks=marks))
    return out


def _files(h: HeldOut) -> list[tuple[str, Any]]:
    return [(n, n) for n in h.expected]


@pytest.mark.parametrize(("name", "file"), _params("reports", _files))
def test_report_identity(name: str, file: str, evaluated: Callable[[str], Evaluated]) -> None:
    assert report_outcome(SETS[name].expected, file, evaluated(name).reports) == "ok"


@pytest.mark.parametrize(("name", "q"), _params("questions", lambda h: [(q["id"], q) for q in h.questions]))
def test_question(name: str, q: Row, evaluated: Callable[[str], Evaluated]) -> None:
    assert outcome(q, evaluated(name).answers[q["id"]])[0] == "ok"


@pytest.mark.parametrize(("name", "file"), _params("checks", _files))
def test_consistent_report_fails_no_check(
    name: str, file: str, evaluated: Callable[[str], Evaluated]
) -> None:
    assert check_outcome(file, evaluated(name).checks) == "ok"


@pytest.mark.parametrize("name", SETS)
def test_wrong_numbers_are_the_listed_ones(name: str, evaluated: Callable[[str], Evaluated]) -> None:
    """A wrong number is worse than not_found: every one is listed with the value it gave."""
    answers, h = evaluated(name).answers, SETS[name]
    wrong = {q["id"]: v for q in h.questions for kind, v in [outcome(q, answers[q["id"]])] if kind in WRONG}
    assert wrong == h.known["wrong_numbers"]


@pytest.mark.parametrize("name", SETS)
def test_rejected_files_are_the_listed_ones(name: str, evaluated: Callable[[str], Evaluated]) -> None:
    """Every file here is a real report: a rejected one is a miss, listed so a fix shows."""
    assert evaluated(name).rejected == SETS[name].known["rejected"]


def _zh(q: Row) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in q["q"][:6])


@pytest.mark.parametrize("name", SETS)
def test_question_set_is_as_described(name: str) -> None:
    h, (questions, zh, not_found, files) = SETS[name], SIZES[name]
    assert len(h.questions) == questions and sum(map(_zh, h.questions)) == zh
    assert sum(q["expect"] is None for q in h.questions) == not_found
    assert len(h.gold) == len(list((h.dir / "reports").iterdir())) == files
    assert len({q["id"] for q in h.questions}) == questions


def record(h: HeldOut, data: Path) -> None:
    """Re-record the set's known_failures.json from a fresh run and print every outcome and the figures."""
    e = evaluate(h, data)
    res = {q["id"]: outcome(q, e.answers[q["id"]]) for q in h.questions}
    known = {
        "reports": {n: k for n in h.expected if (k := report_outcome(h.expected, n, e.reports)) != "ok"},
        "checks": {n: k for n in h.expected if (k := check_outcome(n, e.checks)) != "ok"},
        "rejected": e.rejected,
        "questions": {i: k for i, (k, _) in res.items() if k != "ok"},
        "wrong_numbers": {i: v for i, (k, v) in res.items() if k in WRONG},
    }
    text = json.dumps(known, ensure_ascii=False, indent=1) + "\n"
    (h.dir / "known_failures.json").write_text(text, encoding="utf-8")
    for n in h.expected:
        print("report", n, report_outcome(h.expected, n, e.reports), "| checks", check_outcome(n, e.checks))
    print("rejected:", e.rejected)
    tally: Counter[tuple[str, str]] = Counter()
    for q in h.questions:
        kind, v = res[q["id"]]
        score = "right" if kind == "ok" else "wrong" if kind in WRONG else "miss"
        tally[("zh" if _zh(q) else "en", score)] += 1
        print(
            q["id"], "zh" if _zh(q) else "en", q["cat"], kind, "| got", v, "| want", q["expect"], "|", q["q"]
        )
    print("figures:", dict(sorted(tally.items())))


if __name__ == "__main__":
    import tempfile

    for set_name in sys.argv[1:] or SETS:
        with tempfile.TemporaryDirectory() as d:
            record(SETS[set_name], Path(d) / "data")
