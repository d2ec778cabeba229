"""Every table cell from every layout: generated reports (tests/synth.py) of both templates in
each layout, read back and compared cell by cell with what was printed.

    .venv/bin/python bench/bench_cells.py --reports 2000

Per layout it prints the reports, the cells, and how the cells came back: right, WRONG (a number
other than the printed one — must be 0), unresolved where the generator says the digits admit
several readings (right), unresolved where one reading exists (over-cautious), missing, and any
other difference (unit, qualifier, line). Exit status 1 if any cell is wrong or missing.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest import extract, read_document  # noqa: E402
from tests.synth import LAYOUTS, generate  # noqa: E402

STYLES = {
    "flat": [{}, {"flat_body": True}],
    "glued": [{"group_own_line": True}, {"group_own_line": False}, {"t2_plain": True}],
    "pipe": [{}, {"pipe_stream": True}],
    "pdfmd": [{}, {"label_block": True}],
}


def compare(s, report) -> Counter:  # type: ignore[no-untyped-def]
    got = {
        (f.table, f.row, f.column): f
        for f in report.facts
        if f.kind == "cell" and f.table in ("t2", "t3", "t4")
    }
    out: Counter = Counter()
    for key, e in s.expect.items():
        f = got.pop(key, None)
        out["cells"] += 1
        if f is None:
            out["missing"] += 1
        elif e.qualifier == "unresolved":
            out[
                "unresolved (ambiguous)"
                if f.qualifier == "unresolved"
                else "WRONG"
                if f.value != s_true(s, key)
                else "guessed"
            ] += 1
        elif f.qualifier == "unresolved":
            out["unresolved (one reading)"] += 1
        elif f.value != e.value or type(f.value) is not type(e.value):
            out["WRONG"] += 1
        elif (f.unit, f.qualifier, f.line if e.line is not None else None) != (e.unit, e.qualifier, e.line):
            out["other difference"] += 1
        else:
            out["right"] += 1
    out["extra"] += len(got)
    return out


def s_true(s, key) -> object:  # type: ignore[no-untyped-def]
    """The printed value of a cell the generator expects unresolved."""
    table, row, col = key
    if table == "t3":
        return s.spec.t3[row][
            [
                "natural_person",
                "business",
                "research",
                "nonprofit",
                "legal_service",
                "other_org",
                "total",
            ].index(col)
        ]
    if table == "t4":
        g = ["reconsideration", "litigation_direct", "litigation_after"].index(row)
        return s.spec.t4[g * 5 + ["upheld", "corrected", "other", "pending", "total"].index(col)]
    for _, columns, rows in s.spec.t2:
        for rkey, _, cells in rows:
            for (ckey, _), c in zip(columns, cells):
                if (rkey, ckey) == (row, col):
                    return c.value
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--layouts", default=",".join(LAYOUTS))
    args = ap.parse_args()
    layouts = [x for x in args.layouts.split(",") if x]
    rng = random.Random(args.seed)
    stats: dict[str, Counter] = defaultdict(Counter)
    examples: dict[str, str] = {}
    t0 = time.perf_counter()
    for i in range(args.reports):
        layout = layouts[i % len(layouts)]
        style = rng.choice(STYLES.get(layout, [{}]))
        seed, template, ambiguous = rng.getrandbits(32), rng.choice(["2019", "2021"]), rng.random() < 0.25
        s = generate(random.Random(seed), layout, template, ambiguous=ambiguous, style=dict(style))
        c = compare(s, extract(read_document(s.name, data=s.data)))
        c["reports"] += 1
        stats[layout] += c
        if (c["WRONG"] or c["missing"]) and layout not in examples:
            examples[layout] = (
                f"generate(random.Random({seed}), {layout!r}, {template!r}, ambiguous={ambiguous}, "
                f"style={style!r})"
            )
    cols = [
        "reports",
        "cells",
        "right",
        "WRONG",
        "unresolved (ambiguous)",
        "unresolved (one reading)",
        "missing",
        "guessed",
        "other difference",
        "extra",
    ]
    print(f"{'layout':10s} " + " ".join(f"{c[:12]:>12s}" for c in cols) + "  unresolved rate")
    total: Counter = Counter()
    for layout in layouts:
        c = stats[layout]
        total += c
        rate = (c["unresolved (ambiguous)"] + c["unresolved (one reading)"]) / max(1, c["cells"])
        print(f"{layout:10s} " + " ".join(f"{c[k]:12d}" for k in cols) + f"  {100 * rate:6.2f}%")
    rate = (total["unresolved (ambiguous)"] + total["unresolved (one reading)"]) / max(1, total["cells"])
    print(f"{'all':10s} " + " ".join(f"{total[k]:12d}" for k in cols) + f"  {100 * rate:6.2f}%")
    print(f"{sum(s['reports'] for s in stats.values())} reports in {time.perf_counter() - t0:.0f}s")
    for layout, ex in examples.items():
        print(f"first failing {layout}: {ex}")
    return 1 if total["WRONG"] or total["missing"] else 0


if __name__ == "__main__":
    sys.exit(main())
