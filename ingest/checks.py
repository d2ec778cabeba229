"""The tables' own arithmetic, evaluated: PASS, FAIL or UNCERTAIN with both sides shown.

A report that breaks its own 第一项加第二项之和，等于第三项加第四项之和 is news, so every
rule is stored with the numbers on both sides and their lines. A blank cell is unknown, not 0:
the sides agree when the blanks may be 0, and a gap the blanks on the smaller side could fill is
UNCERTAIN, never FAIL (a side left wholly blank is said to be blank, not to disagree); missing or
unresolved cells make a rule UNCERTAIN too. A FAIL's detail says 不一致 / does not match, so
every interface that shows the detail says it. Narrative rules live in ingest/narrative.py.
"""

from __future__ import annotations

from .model import Check, Fact
from .table_keys import RESULT_KEYS_2019 as RESULTS_2019
from .table_keys import T3_COLS, T4_ROWS
from .table_keys import T3_LEAVES as _T3_LEAF_ENTRIES

T3_LEAVES = [e.key for e in _T3_LEAF_ENTRIES]
T4_PARTS = ["upheld", "corrected", "other", "pending"]
_RECEIVED = ("受理", "收到", "接到", "新收")
_NOT_ALL = (
    "自然人",
    "企业",
    "法人",
    "组织",
    "予以公开",
    "部分公开",
    "不予",
    "无法提供",
    "复议",
    "诉讼",
    "答复",
    "办结",
    "结转",
    "其中",  # 收到申请44件（其中网上申请42件: the topic of 42 runs back over its total
    "含",
)


def states_applications_received(topic: str) -> bool:
    """Prose that states how many applications came in, all applicants together
    (全年共受理依申请政府信息公开14件), not one kind of applicant or outcome, nor one part of them."""
    return "申请" in topic and any(w in topic for w in _RECEIVED) and not any(w in topic for w in _NOT_ALL)


class _Cells:
    def __init__(self, facts: list[Fact]) -> None:
        self.by_key = {(f.table, f.row, f.column): f for f in facts if f.kind == "cell"}

    def get(self, table: str, row: str, column: str) -> Fact | None:
        return self.by_key.get((table, row, column))


def _evaluate(
    name: str, table: str, column: str, lhs_facts: list[Fact | None], rhs_facts: list[Fact | None], rule: str
) -> Check | None:
    facts = lhs_facts + rhs_facts
    present = [f for f in facts if f is not None]
    if not present:
        return None
    line = min(f.line for f in present)
    unresolved = sum(1 for f in present if f.qualifier == "unresolved")
    if len(present) < len(facts) or unresolved:
        missing = len(facts) - len(present)
        return Check(
            name,
            table,
            column,
            "UNCERTAIN",
            None,
            None,
            f"{rule}: {missing} cell(s) missing, {unresolved} unresolved",
            line,
        )
    empties = sum(1 for f in present if f.value is None)
    if empties == len(present):
        return None  # a row left blank states nothing to check
    # every cell is present from here on
    lhs: float = sum(f.value or 0 for f in lhs_facts if f is not None)
    rhs: float = sum(f.value or 0 for f in rhs_facts if f is not None)
    lines = f"lines {_lines(lhs_facts)} vs {_lines(rhs_facts)}"
    blank_lhs, blank_rhs = (all(f.value is None for f in s if f is not None) for s in (lhs_facts, rhs_facts))
    if (lhs and blank_rhs) or (rhs and blank_lhs):  # a side left wholly blank states nothing
        said = (
            f"the right-hand cell is blank (总计单元格为空 / the total cell is blank); parts {_num(lhs)}"
            if blank_rhs
            else f"the left-hand cells are blank (各项单元格为空 / the parts are blank); total {_num(rhs)}"
        )
        lhs_out, rhs_out = (None, _num(rhs)) if blank_lhs else (_num(lhs), None)
        return Check(name, table, column, "UNCERTAIN", lhs_out, rhs_out, f"{rule}: {said}; {lines}", line)
    # a blank is unknown, not 0: a gap the blanks on the smaller side could fill is no contradiction
    smaller = lhs_facts if lhs < rhs else rhs_facts
    fill = lhs != rhs and any(f.value is None for f in smaller if f is not None)
    note = f" ({empties} blank cell(s))" if empties else ""
    if fill:
        note += " (空白单元格可能含差额 / the blank cells on the smaller side may hold the difference)"
    detail = f"{rule}: {_num(lhs)} vs {_num(rhs)}{note}; {lines}"
    return verdict(name, table, column, lhs, rhs, detail, line, uncertain=fill)


def _lines(facts: list[Fact | None]) -> str:
    return ",".join(str(n) for n in sorted({f.line for f in facts if f is not None}))


def verdict(
    name: str,
    table: str,
    column: str,
    lhs: float,
    rhs: float,
    detail: str,
    line: int,
    uncertain: bool = False,
) -> Check:
    """PASS when both sides agree; else FAIL (said as 不一致 / does not match) or UNCERTAIN."""
    if lhs == rhs:
        return Check(name, table, column, "PASS", _num(lhs), _num(rhs), detail, line)
    status = "UNCERTAIN" if uncertain else "FAIL"
    word = "无法确认一致 / cannot be confirmed" if uncertain else "不一致 / does not match"
    return Check(name, table, column, status, _num(lhs), _num(rhs), f"{detail} — {word}", line)


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else round(x, 6)


def table_checks(facts: list[Fact]) -> list[Check]:
    c = _Cells(facts)
    out: list[Check | None] = []
    has_t3 = any(k[0] == "t3" for k in c.by_key)
    if has_t3:
        other = [k for k in T3_LEAVES if k.startswith("other.") and c.get("t3", k, "total")]
        results = RESULTS_2019 if not other else [k for k in RESULTS_2019 if k != "other"] + other
        for col in T3_COLS:
            k = col.key
            out.append(
                _evaluate(
                    "balance",
                    "t3",
                    k,
                    [c.get("t3", "new", k), c.get("t3", "carried_over", k)],
                    [c.get("t3", "total_handled", k), c.get("t3", "carried_forward", k)],
                    f"表三 {col.label}: 一+二 = 三(七)总计+四",
                )
            )
            out.append(
                _evaluate(
                    "subrows",
                    "t3",
                    k,
                    [c.get("t3", r, k) for r in results],
                    [c.get("t3", "total_handled", k)],
                    f"表三 {col.label}: sum of 三's sub-rows = (七)总计",
                )
            )
        rows = sorted({key[1] for key in c.by_key if key[0] == "t3"}, key=T3_LEAVES.index)
        for r in rows:
            parts = [c.get("t3", r, col.key) for col in T3_COLS[:-1]]
            out.append(
                _evaluate(
                    "applicants",
                    "t3",
                    r,
                    parts,
                    [c.get("t3", r, "total")],
                    f"表三 {r}: applicant columns = 总计",
                )
            )
    for g in T4_ROWS:
        out.append(
            _evaluate(
                "t4_group",
                "t4",
                g.key,
                [c.get("t4", g.key, p) for p in T4_PARTS],
                [c.get("t4", g.key, "total")],
                f"表四 {g.label}: 维持+纠正+其他+未审结 = 总计",
            )
        )
    return [x for x in out if x is not None]


def prose_checks(facts: list[Fact]) -> list[Check]:
    """Prose that states the number of applications, against table 三."""
    c = _Cells(facts)
    new, carried = c.get("t3", "new", "total"), c.get("t3", "carried_over", "total")
    if new is None or new.value is None:
        return []
    out = []
    for f in facts:
        if f.kind != "prose" or f.unit != "件" or not states_applications_received(f.topic):
            continue
        both = new.value + (carried.value or 0 if carried else 0)
        if f.value == new.value:
            status, why = "PASS", f"prose {f.value} = 表三 本年新收 {new.value}"
        elif f.value == both:
            status, why = (
                "UNCERTAIN",
                f"prose {f.value} ≠ 表三 本年新收 {new.value}; it equals 本年新收 + 上年结转 "
                f"({new.value}+{carried.value if carried else 0})",
            )
        else:
            status, why = "FAIL", f"prose {f.value} ≠ 表三 本年新收 {new.value}"
        out.append(Check("prose", "t3", "total", status, f.value, new.value, f"{why} — “{f.quote}”", f.line))
    return out


def carryover_check(earlier: list[Fact], later: list[Fact], years: tuple[int, int]) -> list[Check]:
    """Year N 结转下年度 must equal year N+1 上年结转, column by column."""
    a, b = _Cells(earlier), _Cells(later)
    out = []
    for col in T3_COLS:
        fwd, over = a.get("t3", "carried_forward", col.key), b.get("t3", "carried_over", col.key)
        chk = _evaluate(
            "carryover",
            "t3",
            col.key,
            [fwd],
            [over],
            f"表三 {col.label}: {years[0]} 结转下年度 = {years[1]} 上年结转",
        )
        if chk is not None:
            chk.line = over.line if over else 0
            out.append(chk)
    return out


def completeness(t3_keys: set[str], tables: set[str], template: str) -> list[Check]:
    """A table cut off mid-way is kept; what is missing is recorded."""
    if "t3" not in tables:
        return []
    if template == "2021":
        expected = [k for k in T3_LEAVES if k != "other"]
    else:
        expected = [k for k in T3_LEAVES if not k.startswith("other.")]
    missing = [k for k in expected if k not in t3_keys]
    out = []
    if missing:
        out.append(
            Check(
                "completeness",
                "t3",
                "",
                "UNCERTAIN",
                None,
                None,
                f"表三 is incomplete: {len(missing)} of {len(expected)} rows are missing "
                f"({', '.join(missing)})",
            )
        )
    if "t4" not in tables:
        out.append(
            Check(
                "completeness",
                "t4",
                "",
                "UNCERTAIN",
                None,
                None,
                "表四 is missing from this copy of the report",
            )
        )
    return out


def sign_checks(facts: list[Fact]) -> list[Check]:
    """A count printed negative (`-3`) is a typo or a broken export, never a count: flagged, not trusted.
    表二's 本年增/减 column is the one place a minus sign belongs."""
    negative = [f for f in facts if f.kind == "cell" and (f.value or 0) < 0 and f.column != "change"]
    return [
        Check(
            "sign",
            f.table,
            f.column,
            "FAIL",
            f.value,
            0,
            f"{f.row_label} / {f.column_label}: a count cannot be negative ({f.raw})",
            f.line,
        )
        for f in negative
    ]


_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四", "ind": "统计表"}


def coverage(facts: list[Fact], tables: set[str]) -> Check:
    """One line per report: which tables were found, how many cells, how many unresolved."""
    cells = [f for f in facts if f.kind == "cell"]
    unresolved = sum(1 for f in cells if f.qualifier == "unresolved")
    found = [t for t in _NAMES if t in tables]
    detail = (
        f"tables found: {'、'.join(_NAMES[t] for t in found) or 'none'}; {len(cells)} cells, "
        f"{unresolved} unresolved"
    )
    status = "UNCERTAIN" if unresolved else "PASS"  # a missing table has its own line (completeness above)
    return Check(
        "completeness", "report", "", status, len(cells) - unresolved, len(cells), detail
    )  # no fact's table
