"""Scale benchmark: the same figures on corpora of 1,000, 10,000 and 100,000 generated reports.

    .venv/bin/python bench/bench_scale.py                          # 1,000 and 10,000 reports, SQLite
    .venv/bin/python bench/bench_scale.py --sizes 1000,10000,100000 --work /var/tmp/xs   # keeps the corpora
    .venv/bin/python bench/bench_scale.py --pg                     # the same on a throwaway PostgreSQL server
    .venv/bin/python bench/bench_scale.py --db-url postgresql://user@host/postgres   # on a server of yours

A corpus of N reports is N/10 publishers × ten years (2015–2024), as real publishers report
every year: county governments, their bureaus, then towns, in the layouts of tests/synth.py (tab,
cell, pipe, html, glued, md), each year's 上年结转 equal to the year before's 结转下年度. For
each size it prints: facts-only ingest time and rate (reports/s of wall clock and of this
process's CPU), store size, lookup p50/p95 in Chinese and English (and how many lookups gave a
number other than the generated one: must be 0), trend (ten years of one body) and rank (every
publisher of one year) p95, and the peak memory of one `xxgk ask` process answering a lookup, a
trend and a rank. Every figure is followed by its ratio to the first size's figure.
On PostgreSQL (`--db-url` names a server: a database `xxgk_bench_N` is made on it per size, and
dropped first if it is there) the store size is pg_database_size. Targets (issue 14): at 100,000
reports the ingest rate within 20% of the 1,000 rate, lookup p95 ≤ 2× the 1,000 p95, ask ≤ 1 GB.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.agencies import resolver_for  # noqa: E402
from bot.cli import Context  # noqa: E402
from index.load import load_paths  # noqa: E402
from index.store import Store  # noqa: E402
from tests import synth, synth_series  # noqa: E402

YEARS = list(range(2015, 2025))
RANK_YEAR = 2022
CHARS = "东西南北中新安平和兴华阳山河城关清泉林石桥庄台集店岗湖塘寨营"
NEW = ("t3", "new", "total")


def publishers(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """n (agency, county) pairs, as publishers are: a few county governments, many bureaus, more towns."""
    counties = synth.COUNTIES + synth.ONE_CHAR_COUNTIES
    governments = [(c + "人民政府", c) for c in counties]
    bureaus = [(c + b, c) for c in counties for b in synth.BUREAUS]
    towns = sorted({(c + a + b + s + "人民政府", c) for c in counties for a in CHARS for b in CHARS for s in "镇乡"})
    out = rng.sample(governments, min(len(governments), max(1, n // 20)))
    out += rng.sample(bureaus, min(len(bureaus), n * 4 // 10))
    return out + rng.sample(towns, n - len(out))


def write_corpus(folder: Path, n: int, seed: int) -> dict[tuple[str, int], int]:
    """The reports (written once; a second run reuses them) and each one's t3 new/total."""
    truth_file = folder / "truth.json"
    if truth_file.exists():
        return {(a, int(y)): v for a, y, v in json.loads(truth_file.read_text(encoding="utf-8"))}
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    truth: dict[tuple[str, int], int] = {}
    for i, (agency, county) in enumerate(publishers(n // len(YEARS), rng)):
        carried = None
        for year in YEARS:
            s = synth_series.report(rng, agency, county, year, rng.choice(synth.LAYOUTS), carried=carried)
            carried = s.spec.t3["carried_forward"]
            (folder / f"{i:05d}_{year}_{s.name}").write_bytes(s.data)
            truth[(agency, year)] = s.cells[NEW]
    truth_file.write_text(json.dumps([[a, y, v] for (a, y), v in truth.items()], ensure_ascii=False), encoding="utf-8")
    return truth


def database(server_url: str, name: str) -> str:
    """A fresh database on the server; its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    path = server_url.split("?")[0].rsplit("/", 1)
    query = server_url[len(server_url.split("?")[0]):]
    return f"{path[0]}/{name}{query}"


def store_size(location: Path | str) -> int:
    if isinstance(location, str):
        import psycopg

        with psycopg.connect(location) as db:
            return db.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return sum(p.stat().st_size for p in location.parent.glob(location.name + "*"))


def timed(ctx: Context, questions: list[str]) -> tuple[list[float], list]:
    times, answers = [], []
    for q in questions:
        t0 = time.perf_counter()
        answers.append(ctx.answer(q))
        times.append((time.perf_counter() - t0) * 1000)
    return times, answers


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[18] if len(xs) > 1 else xs[0]


def ask_peak_mb(data_dir: Path, db_url: str | None, questions: list[str]) -> float:
    """Peak resident memory of one `xxgk ask --json -` process answering these questions."""
    cmd = [sys.executable, "-m", "bot.cli", "--data-dir", str(data_dir), *(["--db-url", db_url] if db_url else []),
           "ask", "--json", "-"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert proc.stdin is not None
    proc.stdin.write(("\n".join(questions) + "\n").encode())
    proc.stdin.close()
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    return usage.ru_maxrss / 1024


def run_size(n: int, work: Path, server: str | None, lookups: int, repeat: int) -> dict[str, float]:
    corpus = work / f"corpus_{n}"
    t0 = time.perf_counter()
    truth = write_corpus(corpus, n, seed=n)
    print(f"[{n}] corpus: {len(truth)} reports in {corpus} ({time.perf_counter() - t0:.0f} s)", flush=True)
    data_dir = work / f"data_{n}_{'pg' if server else 'sqlite'}"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    db_url = database(server, f"xxgk_bench_{n}") if server else None
    location: Path | str = db_url or data_dir / "facts.sqlite"
    store = Store(location)
    t0, c0 = time.perf_counter(), time.process_time()
    results = load_paths(store, [str(corpus)])
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    facts = sum(r.facts for r in results)
    bad = [r for r in results if r.status not in ("added", "replaced")]
    store.close()
    print(f"[{n}] ingested {len(results)} reports, {facts} facts in {wall:.0f} s; {len(bad)} not added", flush=True)
    ctx = Context(data_dir)
    ctx.db_url = db_url
    rng = random.Random(1)
    keys = rng.sample(sorted(truth), min(lookups, len(truth)))
    english = resolver_for(ctx.store).english_name
    zh = [f"{a}{y}年收到多少政府信息公开申请？" for a, y in keys]
    en = [f"How many applications did the {english(a)} receive in {y}?" for a, y in keys]
    ctx.answer(zh[0])  # warm: imports, vocabulary, the agency index
    zh_ms, zh_answers = timed(ctx, zh)
    en_ms, en_answers = timed(ctx, en)
    wrong = sum(1 for k, a in zip(keys + keys, zh_answers + en_answers)
                if a.value is not None and a.value != truth[k])
    unanswered = sum(1 for a in zh_answers + en_answers if a.value is None)
    body = keys[0][0]
    trend = [f"{body}{YEARS[0]}-{YEARS[-1]}年收到多少政府信息公开申请？"] * repeat
    rank = [f"{RANK_YEAR}年各机关收到的政府信息公开申请排名"] * repeat  # every publisher of the year
    trend_ms, trend_answers = timed(ctx, trend)
    rank_ms, rank_answers = timed(ctx, rank)
    peak = ask_peak_mb(data_dir, db_url, [zh[0], en[0], trend[0], rank[0]])
    print(f"[{n}] lookups: {wrong} wrong, {unanswered} without a number of {2 * len(keys)}; trend rows "
          f"{len(trend_answers[0].rows)}, rank rows {len(rank_answers[0].rows)}", flush=True)
    return {
        "reports": len(results), "facts": facts, "ingest s": wall, "ingest reports/s": len(results) / wall,
        "ingest reports/cpu-s": len(results) / cpu, "store MB": store_size(location) / 1e6,
        "lookup zh p50 ms": statistics.median(zh_ms), "lookup zh p95 ms": p95(zh_ms),
        "lookup en p50 ms": statistics.median(en_ms), "lookup en p95 ms": p95(en_ms),
        "lookups wrong": wrong, "trend p95 ms": p95(trend_ms), "rank p95 ms": p95(rank_ms),
        "rank rows": len(rank_answers[0].rows), "ask peak MB": peak,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated report counts (first: the baseline)")
    ap.add_argument("--work", type=Path, help="keep corpora and stores here (default: a temporary folder)")
    ap.add_argument("--db-url", help="a PostgreSQL server: one database per size is made on it")
    ap.add_argument("--pg", action="store_true", help="start a throwaway PostgreSQL server (tests/pgserver.py)")
    ap.add_argument("--lookups", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="xxgk_scale_"))
    server, pg = args.db_url, None
    if args.pg:
        from tests import pgserver

        pg = pgserver.start()
        if isinstance(pg, str):
            print(pg, file=sys.stderr)
            return 2
        server = pg.url
    try:
        rows = [run_size(int(n), work, server, args.lookups, args.repeat) for n in args.sizes.split(",")]
    finally:
        if pg is not None:
            pg.stop()
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    engine = "PostgreSQL" if server else "SQLite"
    print(f"\n{engine}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; ratio = this size / "
          f"{rows[0]['reports']} reports")
    for key in rows[0]:
        base = rows[0][key]
        cells = [f"{r[key]:>10.1f} ({r[key] / base:5.2f}×)" if base else f"{r[key]:>10.1f}        " for r in rows]
        print(f"{key:24s}" + "  ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
