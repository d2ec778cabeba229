"""Property test: synthetic reports (tests/synth.py) of both templates, in every layout, go through
the public API and come back number for number — every table cell under its canonical key with
its value, unit, qualifier and line, every number of the narrative, agency, place, year and
template, and no failed arithmetic check (the generated tables add up).

Glued rows (digits printed with no separators) must come back either as their true numbers
(qualifier `split`) or, when the digits admit more than one reading that satisfies the table's
arithmetic, as `unresolved` in every cell; which of the two is computed by the generator.

Examples are derandomized (the same reports on every run) and not shrunk; a failure prints the
seed, and `generate(random.Random(seed), layout, template, ...)` rebuilds the report.

Known parser bugs (BUGS, known_bugs()) are left out of the property test for the cases they
break and shown instead by test_known_parser_bug on fixed reports, as strict xfails: when a bug
is fixed its case XPASSes and fails; then drop it from known_bugs().
"""

from __future__ import annotations

import os
import random
from collections import Counter
from functools import lru_cache
from itertools import product

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ingest import Report, extract, read_document
from tests.synth import (
    ONE_CHAR_COUNTIES,
    PATTERNS,
    Synth,
    digit_cuts,
    generate,
    random_spec,
    render,
    result_keys,
    row_readings,
    t3_feasible,
    t3_rows,
    t4_readings,
)

BUGS = {
    "other_2021": "tables.match_t3: the 2021 row `（六）其他处理 | 1.申请人无正当理由逾期不补正…` is stored "
    "as `other` "
    "instead of `other.no_correction` (`other` is not a group, so the sub-label that shares its row is "
    "never looked up among other.*'s children)",
    "pipe": "read._pipe_cells: a `|`-terminated region is read as one stream of cells and a new row starts "
    "at every "
    "label, so multi-cell header rows fall apart: 表二 `信息内容 | 本年新制作数量 | …` leaves t2_header no "
    "columns (every 表二 row dropped); 表三's header cells `其他`/`总计` become rows "
    "other.other/total_handled "
    "(template misread as 2021, the real (七)总计 dropped as 'printed twice'); 表四's numbers join the "
    "header's "
    "`总计` row",
    "glued_t4": "tables.split_paragraph: a 表四 row printed as glued digits on a line of its own "
    "(`000110001000000`) has "
    "no label, so it is not a table row and is dropped; 表四 is missing",
    "glued_inline": "tables.split_paragraph/match_t3: `三、本年度办理结果 （一）予以公开3000003` keeps both "
    "labels in one "
    "cell; find() prefers the longer match 本年度办理结果 (a group) and the 予以公开 row is dropped "
    "(the sub-rows of （三）/（四）/（五） survive only through match_t3's side effects)",
    "pipe_stream": "read._pipe_cells: one `|`-terminated cell per line (as samples/004 prints its indicator "
    "table) "
    "applied to the 2019/2021 template: every header cell is a label, so it becomes a row of its own — "
    "表二's `信息内容 |`, `本年新制作数量 |` … leave t2_header no columns (every 表二 row dropped); 表三's "
    "header `其他 |` becomes other.other (template read as 2021) and `总计 |` becomes total_handled with "
    "empty cells, so the real `（七）总计` is dropped as 'printed twice' and balance/subrows FAIL "
    "(e.g. '28 vs 0'); 表四's 15 number lines attach to its header `总计 |` and 表四 is lost",
    "t2_plain": "tables: 表二 printed as plain lines with spaces (a PDF's text layer: `信息内容 "
    "本年新制作数量 "
    "本年新公开数量 对外公开总数量` / `规章 0 0 0`): the header line is a paragraph without trailing "
    "numbers, so t2_header never runs, t2_cols stays empty and split_paragraph drops every 表二 row "
    "(no 表二 facts at all; a cell with a unit, `5个`, then turns up as a prose fact); a negative "
    "本年增/减 (`行政事业性收费 55 -1`) or a unit (`21项`, `572.5万元`) at the end of such a row would "
    "also defeat _TRAILING_NUMBERS",
    "one_char_county": "meta._AGENCY needs two characters before 县, so 睢县/滑县/萧县/杞县/新县 agencies "
    "are not "
    "recognised in the title; the fallback returns `由睢县…局` (from `由睢县…局编制`) and no place",
}

# (layout id, layout, style) — glued is run with merged group labels on their own line and inline
LAYOUT_CASES = [
    ("tab", "tab", {}),
    ("cell", "cell", {}),
    ("pipe", "pipe", {}),
    ("html", "html", {}),
    ("glued-own", "glued", {"group_own_line": True}),
    ("glued-inline", "glued", {"group_own_line": False}),
    ("md", "md", {}),
    ("pipe-stream", "pipe", {"pipe_stream": True}),
    ("glued-plain", "glued", {"t2_plain": True}),
    *[(p, p, {}) for p in PATTERNS],  # the layouts of real reports (tests/synth_layouts.py)
    ("flat-body", "flat", {"flat_body": True}),
    ("pdfmd-block", "pdfmd", {"label_block": True}),
]
ASPECTS = ["t2", "t3", "t4", "meta", "checks"]


def known_bugs(layout_id: str, template: str, aspect: str) -> list[str]:
    """Open parser bugs (keys of BUGS) that break this case; none are open now."""
    return []


# (bug, aspect) that a bug breaks only in some reports, so no fixed report is sure to show it:
# left out of the property test, but not given a strict xfail of their own.
CONSEQUENCES = {
    ("other_2021", "checks"),  # subrows FAILs only when other.no_correction is not 0
    (
        "t2_plain",
        "meta",
    ),  # a dropped 表二 row is read as prose, and yields a fact only if a cell has a unit (`5个`)
}


def _layout_cases():  # type: ignore[no-untyped-def]
    for layout_id, layout, style in LAYOUT_CASES:
        for template in ("2019", "2021"):
            yield pytest.param(layout_id, layout, style, template, id=f"{layout_id}-{template}")


def _bug_cases():  # type: ignore[no-untyped-def]
    for layout_id, layout, style in LAYOUT_CASES:
        for template in ("2019", "2021"):
            for aspect in ASPECTS:
                bugs = known_bugs(layout_id, template, aspect)
                if not bugs:
                    continue
                if all((b, aspect) in CONSEQUENCES for b in bugs):
                    continue  # shown only by some reports; the bug's main case shows it
                mark = pytest.mark.xfail(strict=True, reason="; ".join(BUGS[b] for b in bugs))
                yield pytest.param(
                    layout,
                    style,
                    template,
                    aspect,
                    id=f"{'+'.join(bugs)}:{layout_id}-{template}-{aspect}",
                    marks=[mark],
                )


@lru_cache(maxsize=512)
def ingest(
    layout: str, style_items: tuple, template: str, seed: int, scale: int, ambiguous: bool
) -> tuple[Synth, Report]:
    s = generate(
        random.Random(seed), layout, template, scale=scale, ambiguous=ambiguous, style=dict(style_items)
    )
    return s, extract(read_document(s.name, data=s.data))


def _repro(layout: str, style: dict, template: str, seed: int, scale: int, ambiguous: bool) -> str:
    return (
        f"generate(random.Random({seed}), {layout!r}, {template!r}, scale={scale}, ambiguous={ambiguous}, "
        f"style={style!r})"
    )


def cell_mismatches(s: Synth, report: Report, table: str) -> list[str]:
    got = {(f.table, f.row, f.column): f for f in report.facts if f.kind == "cell" and f.table == table}
    want = {k: e for k, e in s.expect.items() if k[0] == table}
    out = [f"missing {k}: want {want[k]}" for k in want if k not in got]
    out += [
        f"extra {k}: {got[k].value!r} {got[k].qualifier!r} line {got[k].line}" for k in got if k not in want
    ]
    for k in want.keys() & got.keys():
        e, f = want[k], got[k]
        g = (f.value, f.unit, f.qualifier, f.line if e.line is not None else None)
        w = (e.value, e.unit, e.qualifier, e.line)
        if g != w or type(f.value) is not type(e.value):
            out.append(f"{k}: got {g}, want {w}")
    return sorted(out)


def meta_mismatches(s: Synth, report: Report) -> list[str]:
    """Agency, place, year, template; the narrative's numbers; every fact quotes its line."""
    m = report.meta
    out = []
    if (m.agency, m.place, m.year, m.template) != (s.agency, s.spec.county, s.year, s.template):
        out.append(
            f"meta: got {(m.agency, m.place, m.year, m.template)}, want "
            f"{(s.agency, s.spec.county, s.year, s.template)}"
        )
    got = Counter((f.value, f.unit, f.qualifier) for f in report.facts if f.kind == "prose")
    want = Counter(s.prose)
    if got != want:
        out.append(f"prose: unexpected {dict(got - want)}, missing {dict(want - got)}")
    lines = report.document.lines
    for f in report.facts:
        if f.qualifier in ("empty", "unresolved", "negation"):
            continue
        if not (0 < f.line <= len(lines)) or f.raw not in lines[f.line - 1]:
            out.append(f"fact {f.table}/{f.row}/{f.column} raw {f.raw!r} is not on its line {f.line}")
    return out


def check_mismatches(s: Synth, report: Report) -> list[str]:
    """The generated tables add up, so no arithmetic check may fail."""
    return [f"FAIL {c.name} {c.table} {c.column}: {c.detail}" for c in report.checks if c.status == "FAIL"]


def mismatches(s: Synth, report: Report, aspect: str) -> list[str]:
    if aspect == "meta":
        return meta_mismatches(s, report)
    if aspect == "checks":
        return check_mismatches(s, report)
    return cell_mismatches(s, report, aspect)


# XXGK_SYNTH_EXAMPLES raises the number of reports per layout and template (bench/bench_cells.py
# runs thousands without pytest); the default keeps the suite quick.
SETTINGS = settings(
    max_examples=int(os.environ.get("XXGK_SYNTH_EXAMPLES", "12")),
    derandomize=True,
    database=None,
    deadline=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize("layout_id, layout, style, template", list(_layout_cases()))
@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1), scale=st.sampled_from([0, 3, 9, 30, 120, 600]), ambiguous=st.booleans()
)
def test_every_rendered_number_comes_back(
    layout_id: str, layout: str, style: dict, template: str, seed: int, scale: int, ambiguous: bool
) -> None:
    """Every aspect but those a known parser bug breaks (those are test_known_parser_bug's)."""
    s, report = ingest(layout, tuple(sorted(style.items())), template, seed, scale, ambiguous)
    problems = [
        p
        for aspect in ASPECTS
        if not known_bugs(layout_id, template, aspect)
        for p in mismatches(s, report, aspect)
    ]
    assert not problems, f"{_repro(layout, style, template, seed, scale, ambiguous)}\n" + "\n".join(
        problems[:20]
    )


@pytest.mark.parametrize(
    "layout, style, template, aspect",
    list(_bug_cases())
    or [
        pytest.param(
            None,
            None,
            None,
            None,
            id="none-open",
            marks=pytest.mark.skip(reason="no known parser bug is open"),
        )
    ],
)
def test_known_parser_bug(layout: str, style: dict, template: str, aspect: str) -> None:
    """Fixed reports that show each known bug; strict xfail, so a fix makes this fail: then
    drop the case from known_bugs() and the property test checks the aspect again."""
    problems = []
    for seed, scale in ((1, 30), (2, 9), (3, 120), (4, 3), (5, 30), (6, 600)):
        s, report = ingest(layout, tuple(sorted(style.items())), template, seed, scale, False)
        problems += [
            f"{_repro(layout, style, template, seed, scale, False)}: {p}"
            for p in mismatches(s, report, aspect)[:3]
        ]
    assert not problems, "\n".join(problems[:12])


# ------------------------------------------------------------------ the generator itself


@pytest.mark.parametrize("seed", range(40))
def test_generated_tables_add_up(seed: int) -> None:
    rng = random.Random(seed)
    spec = random_spec(rng, ambiguous=seed % 3 == 0)
    t3 = spec.t3
    results = result_keys(spec.template)
    assert [k for k, _ in t3_rows(spec.template)] == list(t3)
    for key, row in t3.items():
        assert len(row) == 7 and sum(row[:6]) == row[6] and min(row) >= 0, key
    for j in range(7):
        assert t3["new"][j] + t3["carried_over"][j] == t3["total_handled"][j] + t3["carried_forward"][j]
        assert sum(t3[k][j] for k in results) == t3["total_handled"][j]
    for g in range(3):
        assert sum(spec.t4[g * 5 : g * 5 + 4]) == spec.t4[g * 5 + 4]


def test_digit_cuts_enumerates_every_cutting_without_leading_zeros() -> None:
    assert sorted(digit_cuts("1203", 3)) == [(1, 20, 3), (12, 0, 3)]
    assert list(digit_cuts("000", 3)) == [(0, 0, 0)]
    assert list(digit_cuts("00", 3)) == []
    assert row_readings("1000001") == [(1, 0, 0, 0, 0, 0, 1)]
    assert sorted(row_readings("101000011")) == [(1, 0, 10, 0, 0, 0, 11), (10, 1, 0, 0, 0, 0, 11)]


@pytest.mark.parametrize("seed", range(30))
def test_t3_solver_agrees_with_brute_force(seed: int) -> None:
    """t3_feasible against the plain product of every row's readings, on tables small enough for it."""
    rng = random.Random(seed)
    spec = random_spec(rng, rng.choice(["2019", "2021"]), ambiguous=True)
    results = result_keys(spec.template)
    options = {k: row_readings("".join(map(str, v))) for k, v in spec.t3.items()}
    keys = list(options)
    size = 1
    for k in keys:
        size *= len(options[k])
    if size > 20_000:
        pytest.skip("table too large for the brute-force product")
    brute: dict[str, set] = {k: set() for k in keys}
    for combo in product(*(options[k] for k in keys)):
        rows = dict(zip(keys, combo))
        if all(
            rows["new"][j] + rows["carried_over"][j] == rows["total_handled"][j] + rows["carried_forward"][j]
            and sum(rows[k][j] for k in results) == rows["total_handled"][j]
            for j in range(7)
        ):
            for k in keys:
                brute[k].add(rows[k])
    assert t3_feasible(options, results) == brute


@pytest.mark.parametrize(
    "digits",
    ["000000000000000", "000110001000000", "100001000000000", "10000101111000000", "1101111000000101000"],
)
def test_t4_readings_agree_with_brute_force(digits: str) -> None:
    brute = [
        s for s in digit_cuts(digits, 15) if all(sum(s[g * 5 : g * 5 + 4]) == s[g * 5 + 4] for g in range(3))
    ]
    assert sorted(t4_readings(digits)) == sorted(brute)


# ------------------------------------------------------------------ fixed examples


def test_a_glued_table_that_arithmetic_cannot_resolve_is_unresolved_not_guessed() -> None:
    """All 11 applications granted, nothing carried: 一, （一） and （七） all print `101000011`,
    which reads 10+1 or 1+10 alike in every row — the table cannot tell which."""
    spec = random_spec(random.Random(7), "2019", scale=0, style={"group_own_line": True})
    row = (10, 1, 0, 0, 0, 0, 11)
    for key in ("new", "granted", "total_handled"):
        spec.t3[key] = row
    s = render(spec, "glued", random.Random(7))
    report = extract(read_document(s.name, data=s.data))
    assert {k[1] for k, e in s.expect.items() if e.qualifier == "unresolved"} == {
        "new",
        "granted",
        "total_handled",
    }
    assert cell_mismatches(s, report, "t3") == []


def test_a_glued_table_that_arithmetic_resolves_is_split() -> None:
    """The same digits, but 商业企业 also has a refusal: only 10+1 adds up in every column."""
    spec = random_spec(random.Random(7), "2019", scale=0, style={"group_own_line": True})
    spec.t3["new"] = spec.t3["total_handled"] = (10, 2, 0, 0, 0, 0, 12)
    spec.t3["granted"] = (10, 1, 0, 0, 0, 0, 11)
    spec.t3["refused.state_secret"] = (0, 1, 0, 0, 0, 0, 1)
    s = render(spec, "glued", random.Random(7))
    report = extract(read_document(s.name, data=s.data))
    assert all(
        e.qualifier == "split" for k, e in s.expect.items() if k[0] == "t3" and k[1] in ("new", "granted")
    )
    assert cell_mismatches(s, report, "t3") == []


@pytest.mark.parametrize("county", ONE_CHAR_COUNTIES)
def test_one_character_county_names(county: str) -> None:
    s = generate(random.Random(1), "tab", "2019", counties=[county])
    report = extract(read_document(s.name, data=s.data))
    assert (report.meta.agency, report.meta.place) == (s.agency, county)
