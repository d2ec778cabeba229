"""Agency lookup benchmark: agency resolution (and all of `understand()`) over 1,000 / 10,000 /
100,000 generated agencies, and the cost of building the alias index once.

    .venv/bin/python bench/bench_agencies.py                       # 1,000 / 10,000 / 100,000
    .venv/bin/python bench/bench_agencies.py --sizes 1000,10000    # a quick run
    .venv/bin/python bench/bench_answer.py --agencies-only         # the same, from the answer benchmark

Target: p95 at 100,000 agencies ≤ 2 × p95 at 1,000 (the index is one Aho–Corasick automaton, so
a lookup does not grow with the number of agencies). Agencies are AgencyRecords generated directly
(no reports): real counties of the gazetteer, each with its 人民政府, 人民政府办公室, departments of
every kind in ingest/agency_kinds.toml, towns and a street office. Questions name them as
journalists do (full name, short place + abbreviation, pinyin + English kind, bare town) and name
bodies that are not stored; every answer is checked.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.agencies import Resolver  # noqa: E402
from bot.agency_aliases import pinyin, short_place  # noqa: E402
from bot.understand import understand  # noqa: E402
from index.store import AgencyRecord  # noqa: E402
from ingest.vocab import load  # noqa: E402

KINDS = [
    k
    for k in load().tables["agency_kinds"]["kind"]
    if k["name"].endswith(("局", "委员会")) and not k.get("gov")
]  # the departments
_SYLLABLES = "东西南北中新安和平兴华光明阳山水河湖桥林石龙凤金玉文武长青白云花溪"


@dataclass
class Ask:
    text: str
    agency: str | None  # the agency it must resolve to; None: not stored (or several candidates)


def _one_of_each() -> list[dict]:
    """The departments one county has: no two whose names or short forms overlap (a county has a
    水利局 or a 水务局, a 文化和旅游局 or a 文化广电和旅游局, not both)."""
    used: set[str] = set()
    out = []
    for k in KINDS:
        words = {k["name"], *k.get("short", [])}
        if not words & used:
            out.append(k)
            used |= words
    return out


def generate(n: int, rng: random.Random) -> list[AgencyRecord]:
    """n agencies over real counties: government, office, departments, towns, one street office."""
    from ingest.gazetteer import all_names

    places = {p for ps in all_names().values() for p in ps if p.level == "county" and p.city}
    counties = sorted(places, key=lambda p: p.name)
    rng.shuffle(counties)
    out: list[AgencyRecord] = []
    for c in counties * 3:
        lot = [(f"{c.name}人民政府", "人民政府", None), (f"{c.name}人民政府办公室", "人民政府办公室", None)]
        lot += [(f"{c.name}{k['name']}", "局", None) for k in _one_of_each()]
        towns = {"".join(rng.sample(_SYLLABLES, 2)) + w for w in ("镇", "镇", "乡")}
        lot += [(f"{c.name}{t}人民政府", t[-1], t) for t in sorted(towns)]
        street = "".join(rng.sample(_SYLLABLES, 2)) + "街道"
        lot.append((f"{c.city}{c.name}{street}办事处", "街道办事处", street))
        for name, kind, town in lot:
            if len(out) == n:
                return out
            out.append(
                AgencyRecord(name, str(len(out)), kind, c.province, c.city, c.name, town, [name], [2020])
            )
    return out


def questions(records: list[AgencyRecord], n: int, rng: random.Random) -> list[Ask]:
    kinds = {k["name"]: k for k in KINDS}
    out: list[Ask] = []
    while len(out) < n:
        r = rng.choice(records)
        short = short_place(r.county or "") or r.county or ""
        dept = r.agency[len(r.county or "") :]
        k = len(out) % 5
        if k == 0:
            out.append(Ask(f"{r.agency}2020年收到多少政府信息公开申请？", r.agency))
        elif k == 1 and dept in kinds:
            abbr = (kinds[dept].get("short") or [dept])[0]
            out.append(Ask(f"{short}{abbr}2020年新收几件？", None if len(abbr) <= 2 else r.agency))
        elif k == 2 and dept in kinds and kinds[dept].get("en"):
            who = f"{pinyin(short)[0].title()} {kinds[dept]['en'][0]}"
            out.append(Ask(f"How many requests did the {who} receive in 2020?", None))  # pinyin repeats
        elif k == 3 and r.town:
            out.append(Ask(f"{r.town}2020年收到多少申请？", None))  # town names repeat across counties
        elif k == 4:
            out.append(Ask(f"{r.county}人民法院2020年收到多少申请？", None))  # a body that is not stored
    return out


def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def run(sizes: list[int], n_questions: int = 1000, seed: int = 7) -> None:
    print(
        f"agency lookup over generated agencies ({n_questions} questions each): Resolver.resolve() alone, "
        "and understand() (resolution + year + figure words)"
    )
    p95s: dict[int, float] = {}
    for size in sizes:
        rng = random.Random(seed)
        records = generate(size, rng)
        t0 = time.perf_counter()
        resolver = Resolver(records)
        build = time.perf_counter() - t0
        asks = questions(records, n_questions, rng)
        for a in asks[:20]:  # warm-up: pypinyin, vocabulary caches
            understand(a.text, resolver)
        ms, und, wrong, right = [], [], 0, 0
        for a in asks:
            t0 = time.perf_counter()
            resolver.resolve(a.text)
            ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            q = understand(a.text, resolver)
            und.append((time.perf_counter() - t0) * 1000)
            if a.agency is not None:
                right += q.agency == a.agency
                wrong += q.agency not in (None, a.agency)
            elif "人民法院" in a.text:
                wrong += q.agency is not None
        p95s[size] = pct(ms, 95)
        checked = sum(1 for a in asks if a.agency is not None)
        print(
            f"  {size:>7,} agencies: {len(resolver):>8,} aliases, index built in {build:5.2f} s | "
            f"resolve p50 {pct(ms, 50):.3f} p95 {p95s[size]:.3f} max {max(ms):.2f} ms | "
            f"understand p50 {pct(und, 50):.2f} p95 {pct(und, 95):.2f} ms | "
            f"named right {right}/{checked}, another body's answer {wrong}"
        )
    if len(sizes) > 1:
        lo, hi = min(sizes), max(sizes)
        ratio = p95s[hi] / p95s[lo]
        verdict = "PASS" if ratio <= 2 else "MISS"
        print(f"  resolve p95 at {hi:,} / p95 at {lo:,} = {ratio:.2f}: {verdict} (target ≤ 2)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--questions", type=int, default=1000)
    args = ap.parse_args()
    run([int(s) for s in args.sizes.split(",")], args.questions)


if __name__ == "__main__":
    main()
