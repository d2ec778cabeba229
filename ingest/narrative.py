"""The narrative's own arithmetic, and the narrative against the tables, stored like table checks.

- parts: `主动公开356条，其中A 120条、B 88条…` — the parts listed after 其中 against the total
  before it. The list ends at the bracket closing round it, and a figure of another stage of a
  request's life (上年结转, 办结, 答复 after 收到…其中…) is read as a part only when that reading
  agrees. Parts that exceed the total do not match; parts that fall short may be a selection
  (UNCERTAIN), and channels (网站, 微博 …) may carry the same item twice (UNCERTAIN).
- handled: 受理 n 件 against 办结/答复 m 件 in the text, using the table's carried-over counts.
- t4: 行政复议 / 行政诉讼 counts stated in the text (or 未发生…) against 表四's totals.
- applicant: `自然人申请10件` against 表三 一、本年新收 of that applicant column.
Each rule keeps both numbers and their lines (a prose side quotes its sentence).
"""

from __future__ import annotations

import re
from itertools import groupby

from .checks import _Cells, states_applications_received, verdict
from .model import Check, Fact
from .vocab import load

V = load()
_CHANNELS = ("通过", "网站", "微博", "微信", "公众号", "客户端", "平台", "渠道", "新媒体", "公报")
_HANDLED = re.compile(r"办结|答复|办理完毕|已办理")
_CLAUSE = re.compile(r"[，,；;。！？、]")
_APPLY = re.compile(r"提出|提交|申请")
# Stages of a request's life: a figure naming another stage than its total's may be no part of it.
_STAGES = {
    "received": ("受理", "收到", "接到", "新收", "接收"),
    "handled": ("办结", "答复", "办理完毕", "已办理", "处理完毕"),
    "carried": ("结转", "顺延", "转入下", "转下"),
}
_OPEN, _CLOSE = "（(〔[【", "）)〕]】"


def _clause(f: Fact) -> str:
    at = max(f.offset, 0)
    start = max((m.end() for m in _CLAUSE.finditer(f.quote, 0, at)), default=0)
    nxt = _CLAUSE.search(f.quote, at + max(1, len(f.raw)))
    return f.quote[start : nxt.start() if nxt else len(f.quote)]


def _side(f: Fact) -> str:
    return f"line {f.line} “{_clause(f)}”"


def _stages(text: str) -> set[str]:
    return {name for name, words in _STAGES.items() if any(w in text for w in words)}


def _depths(text: str) -> list[int]:
    """How deep in brackets each character of `text` is."""
    out, depth = [], 0
    for ch in text:
        depth -= ch in _CLOSE
        out.append(depth)
        depth += ch in _OPEN
    return out


def _readings(quote: str, at: int, total: Fact, after: list[Fact]) -> list[list[Fact]]:
    """The parts of `total` listed after its 其中 (at `at`), shortest reading first: numbers at 其中's
    bracket depth, up to a bracket closing round the list (`（其中：网上申请42件…）上年结转0件`) or
    another unit, cut before each clause naming a stage the total's clause does not (`受理34件，其中信函
    申请26件，网络申请8件，已按时办结33件`). A stage may still be a part (`收到10件，其中1件予以公开…，
    7件结转下年度`), so each cut is one reading."""
    depth = _depths(quote)
    level, own = depth[at], _stages(_clause(total))
    run: list[Fact] = []
    readings = []
    for f in after:
        if min(depth[at : f.offset + 1]) < level or f.unit != total.unit:
            break
        if run and _stages(_clause(f)) - own:
            readings.append(list(run))
        if depth[f.offset] == level:  # deeper: a part's own breakdown (`A 10件（含B 3件）`)
            run.append(f)
    return [*readings, run]


def parts_checks(facts: list[Fact]) -> list[Check]:
    """A total and the parts listed after its 其中, in one sentence or the next one of the paragraph."""
    out = []
    prose = [f for f in facts if f.kind == "prose" and f.qualifier != "negation" and f.value is not None]
    for _, group in groupby(prose, key=lambda f: f.line):
        sentences = [list(g) for _, g in groupby(group, key=lambda f: f.quote)]
        for k, numbers in enumerate(sentences):
            quote = numbers[0].quote
            at = quote.find("其中")
            if at < 0:
                continue
            before = [f for f in numbers if f.offset < at]
            total = before[-1] if before else (sentences[k - 1][-1] if k and at <= 2 else None)
            if total is None:
                continue
            readings = _readings(quote, at, total, [f for f in numbers if f.offset > at])
            agrees = [p for p in readings if len(p) > 1 and sum(f.value or 0 for f in p) == total.value]
            parts = (agrees or readings)[0]  # the reading that agrees, else the shortest
            if len(parts) < 2:
                continue
            got = sum(f.value or 0 for f in parts)  # prose facts always hold a number
            channels = any(w in _clause(f) for f in parts for w in _CHANNELS)
            stated = total.value or 0
            uncertain = got < stated or channels
            why = (
                ""
                if got == stated
                else " (channels may carry one item twice)"
                if channels
                else " (the list may be a selection)"
                if got < stated
                else " (the parts exceed the total)"
            )
            listed = "+".join(str(f.value) for f in parts)
            detail = (
                f"正文 其中各项之和 = 总数 / listed parts = stated total: {listed} = {got} vs {stated}{why}; "
                f"parts {', '.join(_side(f) for f in parts)}; total {_side(total)}"
            )
            out.append(verdict("prose_parts", "", total.topic, got, stated, detail, total.line, uncertain))
    return out


def handled_checks(facts: list[Fact]) -> list[Check]:
    """受理 against 办结 in the text; the table's carried-over and carried-forward counts explain a gap."""
    c = _Cells(facts)
    received = [
        f for f in facts if f.kind == "prose" and f.unit == "件" and states_applications_received(f.topic)
    ]
    handled = [
        f
        for f in facts
        if f.kind == "prose"
        and f.unit == "件"
        and _HANDLED.search(_clause(f))
        and "申请" in f.quote
        and f not in received
    ]
    out = []
    for r in received[:1]:
        for h in handled[:1]:
            over, fwd = c.get("t3", "carried_over", "total"), c.get("t3", "carried_forward", "total")
            o = over.value if over is not None else None
            w = fwd.value if fwd is not None else None
            received_value = r.value if r.value is not None else 0  # a prose fact always holds a number
            known = o is not None and w is not None
            # 受理 may or may not already count last year's carried-over requests: either reading may hold
            readings: list[float] = (
                [received_value + o - w, received_value - w]
                if o is not None and w is not None
                else [received_value]
            )
            expected = h.value if h.value in readings else readings[0]
            note = (
                f" (+ 上年结转 {o}) − 结转下年度 {w} = {' or '.join(map(str, readings))}"
                if known
                else " (no table 三 carry-over to explain a gap)"
            )
            detail = (
                f"正文 受理 vs 办结 / received vs closed: {r.value}{note} vs {h.value}; {_side(r)}; "
                f"{_side(h)}"
            )
            out.append(
                verdict("prose_handled", "t3", "total", expected, h.value or 0, detail, r.line, not known)
            )
    return out


_T4_RESULT = re.compile(r"纠错|纠正|维持|撤销|确认违法|尚未审结|未审结|驳回")


def t4_checks(facts: list[Fact]) -> list[Check]:
    """Reconsideration and lawsuit counts in the text (or their absence) against 表四's totals."""
    c = _Cells(facts)
    recon = c.get("t4", "reconsideration", "total")
    suits = [c.get("t4", r, "total") for r in ("litigation_direct", "litigation_after")]
    out = []
    for f in facts:
        if f.kind != "prose" or f.unit != "件" or f.value is None:
            continue
        text = f.topic if f.qualifier == "negation" else _clause(f)
        sides = []
        if "复议" in text and "复议后" not in text and recon is not None and recon.value is not None:
            sides.append(("行政复议", recon.value, [recon]))
        split = (
            "复议后起诉" in f.quote or "直接起诉" in f.quote
        )  # 行政诉讼0件，复议后起诉20件: one kind, not both
        if _T4_RESULT.search(text):
            continue  # 被行政复议纠错1件 counts one result (结果纠正), not the total
        suit_facts = [s for s in suits if s is not None]
        suit_values = [s.value for s in suit_facts if s.value is not None]
        if "诉讼" in text and not split and len(suit_values) == len(suits):
            sides.append(("行政诉讼", sum(suit_values), suit_facts))
        if f.qualifier != "negation" and len(sides) != 1:
            continue  # a number names one of them, or it is not about them
        for name, value, cells in sides:
            lines = ",".join(str(x.line) for x in cells)
            detail = (
                f"正文 vs 表四 {name} 总计 / text vs table 四: {f.value} vs {value}; {_side(f)}; "
                f"table line {lines}"
            )
            out.append(verdict("prose_t4", "t4", name, f.value, value, detail, f.line))
    return out


def applicant_checks(facts: list[Fact]) -> list[Check]:
    """`自然人申请10件`: an applicant column stated in the text against 表三's new applications."""
    c = _Cells(facts)
    columns = [col for col in V.columns("t3") if col.key not in ("total", "other_org")]
    out = []
    for f in facts:
        if f.kind != "prose" or f.unit != "件" or f.value is None or f.qualifier == "negation":
            continue
        text = _clause(f)
        named = [col for col in columns if any(w in text for w in col.zh)]
        outcome = _HANDLED.search(text) or "公开" in text.replace("依申请公开", "")
        if len(named) != 1 or not _APPLY.search(text) or outcome:
            continue
        col = named[0]
        keys = list(col.sum_of) or [col.key]
        cells = [x for x in (c.get("t3", "new", k) for k in keys) if x is not None]
        values = [x.value for x in cells if x.value is not None]
        if len(values) < len(keys):
            continue
        value = sum(values)
        detail = (
            f"正文 vs 表三 一、本年新收·{col.label} / text vs table 三: {f.value} vs {value}; {_side(f)}; "
            f"table line {cells[0].line}"
        )
        out.append(verdict("prose_applicant", "t3", col.key, f.value, value, detail, f.line))
    return out


def narrative_checks(facts: list[Fact]) -> list[Check]:
    return parts_checks(facts) + handled_checks(facts) + t4_checks(facts) + applicant_checks(facts)
