"""Metadata of the real openings corpus, per field and per trap (the figures of issue 10).

    .venv/bin/python bench/bench_openings.py                      # figures on ../shared/corpus/openings
    .venv/bin/python bench/bench_openings.py tests/openings2 -v   # another corpus folder, every miss
    .venv/bin/python bench/bench_openings.py tests/openings3      # 30 openings collected after the rules

Even- and odd-numbered files are reported apart: rules are tuned on the even ones only, so the odd
half measures reports the rules never saw.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.test_openings import OPENINGS, misses, records


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    corpus = Path(args[0]) if args else OPENINGS
    recs = records(corpus)
    if not recs:
        sys.exit(f"openings corpus not found at {corpus}")
    total: Counter[str] = Counter()
    ok: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    half: Counter[tuple[str, str]] = Counter()
    for r in recs:
        miss = misses(r, corpus)
        n = int(r["file"][:3])
        side = "even" if n % 2 == 0 else "odd"
        half[side, "all"] += 1
        half[side, "ok"] += not miss
        for m in miss:
            fields[m.split()[0]] += 1
        for tag in r["trap_tags"]:
            total[tag] += 1
            ok[tag] += not miss
        if miss and "-v" in sys.argv:
            print(r["file"], "; ".join(miss))
    n_ok = half["even", "ok"] + half["odd", "ok"]
    print(
        f"files fully right: {n_ok}/{len(recs)} (even {half['even', 'ok']}/{half['even', 'all']}, "
        f"odd {half['odd', 'ok']}/{half['odd', 'all']})"
    )
    print("misses by field:", dict(fields))
    for tag, n in total.most_common():
        print(f"  {tag:28s} {ok[tag]:3d}/{n}")


if __name__ == "__main__":
    main()
