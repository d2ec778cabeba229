"""Scale benchmark: the same figures at 1,000, 10,000 … 100,000 generated reports, in one run.

    .venv/bin/python bench/bench_scale.py                       # 1,000 and 10,000 reports, SQLite
    nice -n 10 .venv/bin/python bench/bench_scale.py --sizes 1000,10000,25000,50000,100000 --work /tmp/xs
    .venv/bin/python bench/bench_scale.py --pg                  # the same on a throwaway PostgreSQL server
    .venv/bin/python bench/bench_scale.py --db-url postgresql://user@host/postgres   # on a server of yours
    .venv/bin/python bench/bench_scale.py --measure /tmp/xs/data_100000_sqlite \
        --corpus /tmp/xs/corpus_100000 --reports 100000          # the answer figures of a store, again

A corpus of N reports (N the largest size) is N/10 publishers × ten years (2015–2024), as real
publishers report every year: county governments, their bureaus and towns, in random order, in
the layouts of tests/synth.py (tab, cell, pipe, html, glued, md), each year's 上年结转 equal to the
year before's 结转下年度. The corpus is ingested in stretches into one store (1–1,000, then to
10,000 …); at each size, as it is reached, it prints: the last stretch's facts-only ingest rate
(reports/s of wall clock, and per CPU-second of this process and its workers: what a loaded
machine does not change), store size, lookup p50/p95 in Chinese and English (and how many
lookups gave a number other than the generated one: must be 0), trend (ten years of one body)
and rank (every publisher of one year) p95, wall and CPU ms, measured warm in a fresh process,
and one cold `xxgk ask`'s peak memory and time. A run cut short still gives its figures. The
table at the end gives each figure's ratio to the first size's. On PostgreSQL (`--db-url` names
a server: a database `xxgk_bench_N` is made on it, dropped first if it is there) the store size
is pg_database_size. Targets (issue 14): at 100,000 reports the ingest rate per CPU-second
within 20% of the 1,000 rate, lookup p95 ≤ 2× the 1,000 p95, ask ≤ 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.agencies import resolver_for  # noqa: E402
from bot.cli_context import Context  # noqa: E402
from bot.model import Answer  # noqa: E402
from index.load import load_paths  # noqa: E402
from index.store import Store  # noqa: E402
from tests import synth, synth_series  # noqa: E402

YEARS = list(range(2015, 2025))
RANK_YEAR = 2022
CHARS = "东西南北中新安平和兴华阳山河城关清泉林石桥庄台集店岗湖塘寨营"
NEW = ("t3", "new", "total")
Truth = dict[tuple[str, int], "float | int | None"]  # each report's t3 new/total, as generated


def publishers(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """n (agency, county) pairs, as publishers are: a few county governments, many bureaus, more towns;
    in random order, so the first thousand reports of a corpus hold the same mix as the whole."""
    counties = synth.COUNTIES + synth.ONE_CHAR_COUNTIES
    governments = [(c + "人民政府", c) for c in counties]
    bureaus = [(c + b, c) for c in counties for b in synth.BUREAUS]
    towns = sorted(
        {(c + a + b + s + "人民政府", c) for c in counties for a in CHARS for b in CHARS for s in "镇乡"}
    )
    out = rng.sample(governments, min(len(governments), max(1, n // 20)))
    out += rng.sample(bureaus, min(len(bureaus), n * 4 // 10))
    out += rng.sample(towns, n - len(out))
    rng.shuffle(out)
    return out


def write_corpus(folder: Path, n: int, seed: int) -> Truth:
    """The reports (written once; a second run reuses them) and each one's t3 new/total."""
    truth_file = folder / "truth.json"
    if truth_file.exists():
        return read_truth(folder)
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    truth: Truth = {}
    for i, (agency, county) in enumerate(publishers(n // len(YEARS), rng)):
        carried = None
        for year in YEARS:
            s = synth_series.report(rng, agency, county, year, rng.choice(synth.LAYOUTS), carried=carried)
            carried = s.spec.t3["carried_forward"]
            (folder / f"{i:05d}_{year}_{s.name}").write_bytes(s.data)
            truth[(agency, year)] = s.cells[NEW]
    truth_file.write_text(
        json.dumps([[a, y, v] for (a, y), v in truth.items()], ensure_ascii=False), encoding="utf-8"
    )
    return truth


def read_truth(folder: Path, n: int | None = None) -> Truth:
    """The generated t3 new/total of a corpus's first `n` reports (all when None), in file order."""
    rows = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    return {(a, int(y)): v for a, y, v in rows[:n]}


def database(server_url: str, name: str) -> str:
    """A fresh database on the server; its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    path = server_url.split("?")[0].rsplit("/", 1)
    query = server_url[len(server_url.split("?")[0]) :]
    return f"{path[0]}/{name}{query}"


def store_size(location: Path | str) -> int:
    if isinstance(location, str):
        import psycopg

        with psycopg.connect(location) as db:
            row = db.execute("SELECT pg_database_size(current_database())").fetchone()
            return int(row[0]) if row else 0
    return sum(p.stat().st_size for p in location.parent.glob(location.name + "*"))


@dataclass
class Timed:
    """Each answer's time: wall clock, and this process's CPU (what a loaded machine does not inflate)."""

    wall: list[float] = field(default_factory=list)  # ms
    cpu: list[float] = field(default_factory=list)  # ms
    answers: list[Answer] = field(default_factory=list)


def timed(ctx: Context, questions: list[str]) -> Timed:
    out = Timed()
    for q in questions:
        t0, c0 = time.perf_counter(), time.process_time()
        out.answers.append(ctx.answer(q))
        out.wall.append((time.perf_counter() - t0) * 1000)
        out.cpu.append((time.process_time() - c0) * 1000)
    return out


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[18] if len(xs) > 1 else xs[0]


# A child's peak RSS as the kernel counts it starts from the RSS of the process that forked it (this
# one, holding a whole corpus's load results): `xxgk ask` is started by a small Python in between.
_PROBE = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); subprocess.run(sys.argv[1:]); "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(u.ru_maxrss, time.perf_counter() - t, u.ru_utime + u.ru_stime)"
)


def cold_ask(data_dir: Path, db_url: str | None, questions: list[str]) -> tuple[float, float, float]:
    """(peak resident MB, wall s, CPU s) of one `xxgk ask --json -` process answering these questions."""
    cmd = [
        sys.executable,
        "-m",
        "bot.cli",
        "--data-dir",
        str(data_dir),
        *(["--db-url", db_url] if db_url else []),
        "ask",
        "--json",
        "-",
    ]
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE, *cmd],
        cwd=ROOT,
        input="\n".join(questions) + "\n",
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        check=True,
    )
    kb, wall, cpu = probe.stdout.splitlines()[-1].split()  # after the answers, which go to the same pipe
    return int(kb) / 1024, float(wall), float(cpu)


def files_of(corpus: Path) -> list[Path]:
    """The reports in the order ingest reads a folder: publisher by publisher, ten years each."""
    return sorted((p for p in corpus.iterdir() if p.name != "truth.json"), key=lambda p: p.name)


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the --jobs workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def queries(
    n: int, data_dir: Path, db_url: str | None, truth: Truth, lookups: int, repeat: int
) -> dict[str, float]:
    """Lookup, trend and rank latency (warm, in this process: each kind is asked once first) and one
    cold `xxgk ask` process's peak memory and time."""
    ctx = Context(data_dir)
    ctx.db_url = db_url
    rng = random.Random(1)
    keys = rng.sample(sorted(truth), min(lookups, len(truth)))
    english = resolver_for(ctx.store).english_name
    zh = [f"{a}{y}年收到多少政府信息公开申请？" for a, y in keys]
    en = [f"How many applications did the {english(a)} receive in {y}?" for a, y in keys]
    body = keys[0][0]
    trend = [f"{body}{YEARS[0]}-{YEARS[-1]}年收到多少政府信息公开申请？"] * repeat
    rank = [f"{RANK_YEAR}年各机关收到的政府信息公开申请排名"] * repeat  # every publisher of the year
    for q in (zh[0], en[0], trend[0], rank[0]):  # warm: imports, vocabulary, the agency index, the copies
        ctx.answer(q)
    zh_t, en_t = timed(ctx, zh), timed(ctx, en)
    wrong = sum(
        1
        for k, a in zip(keys + keys, zh_t.answers + en_t.answers)
        if a.value is not None and a.value != truth[k]
    )
    unanswered = sum(1 for a in zh_t.answers + en_t.answers if a.value is None)
    trend_t, rank_t = timed(ctx, trend), timed(ctx, rank)
    ctx.store.close()
    peak, cold_wall, cold_cpu = cold_ask(data_dir, db_url, [zh[0], en[0], trend[0], rank[0]])
    print(
        f"[{n}] lookups: {wrong} wrong, {unanswered} without a number of {2 * len(keys)}; trend rows "
        f"{len(trend_t.answers[0].rows)}, rank rows {len(rank_t.answers[0].rows)}",
        flush=True,
    )
    return {
        "lookup zh p50 ms": statistics.median(zh_t.wall),
        "lookup zh p95 ms": p95(zh_t.wall),
        "lookup zh p95 CPU-ms": p95(zh_t.cpu),
        "lookup en p50 ms": statistics.median(en_t.wall),
        "lookup en p95 ms": p95(en_t.wall),
        "lookup en p95 CPU-ms": p95(en_t.cpu),
        "lookups wrong": wrong,
        "trend p95 ms": p95(trend_t.wall),
        "trend p95 CPU-ms": p95(trend_t.cpu),
        "rank p95 ms": p95(rank_t.wall),
        "rank p95 CPU-ms": p95(rank_t.cpu),
        "rank rows": len(rank_t.answers[0].rows),
        "ask peak MB": peak,
        "ask cold s": cold_wall,
        "ask cold CPU-s": cold_cpu,
    }


def measured(
    n: int, data_dir: Path, db_url: str | None, corpus: Path, lookups: int, repeat: int
) -> dict[str, float]:
    """queries() in a fresh process: one that holds what `xxgk ask` or the bot holds, not this one's
    load results (a heap that large makes every answer's garbage collection slower)."""
    cmd = [
        sys.executable,
        __file__,
        "--measure",
        str(data_dir),
        "--corpus",
        str(corpus),
        "--reports",
        str(n),
        "--lookups",
        str(lookups),
        "--repeat",
        str(repeat),
        *(["--db-url", db_url] if db_url else []),
    ]
    out = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True).stdout.splitlines()
    print("\n".join(out[:-1]), flush=True)
    figures: dict[str, float] = json.loads(out[-1])
    return figures


def run(
    sizes: list[int], work: Path, server: str | None, lookups: int, repeat: int, jobs: int
) -> list[dict[str, float]]:
    """One corpus of the largest size, ingested in stretches into one store; at each size in `sizes`
    the figures of the store as it stands (a prefix of the corpus is a whole corpus: every publisher
    in it has all its years). Each checkpoint is printed as it is reached, so a run cut short still
    tells what it measured; the ingest rate is the last stretch's."""
    n = max(sizes)
    corpus = work / f"corpus_{n}"
    t0 = time.perf_counter()
    write_corpus(corpus, n, seed=n)
    files = files_of(corpus)
    print(f"[{n}] corpus: {len(files)} reports in {corpus} ({time.perf_counter() - t0:.0f} s)", flush=True)
    data_dir = work / f"data_{n}_{'pg' if server else 'sqlite'}"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    db_url = database(server, f"xxgk_bench_{n}") if server else None
    location: Path | str = db_url or data_dir / "facts.sqlite"
    rows, done, facts, total_wall, total_cpu = [], 0, 0, 0.0, 0.0
    for size in sorted(sizes):
        store = Store(location)
        t0, c0 = time.perf_counter(), cpu_seconds()
        results = load_paths(store, [str(p) for p in files[done:size]], jobs=jobs)
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        store.close()
        total_wall, total_cpu = total_wall + wall, total_cpu + cpu
        facts += sum(r.facts for r in results)
        bad = [r for r in results if r.status not in ("added", "replaced")]
        stretch = len(results)
        print(
            f"[{size}] ingested {done + 1}-{size}: {stretch / wall:.1f} reports/s wall, "
            f"{1000 * cpu / stretch:.1f} CPU-ms per report ({stretch / cpu:.1f} reports/CPU-s), "
            f"load {os.getloadavg()[0]:.1f}; {len(bad)} not added; {total_wall:.0f} s so far",
            flush=True,
        )
        done = size
        row: dict[str, float] = {
            "reports": size,
            "facts": facts,
            "ingest s (all)": total_wall,
            "stretch reports/s": stretch / wall,
            "stretch reports/cpu-s": stretch / cpu,
            "store MB": store_size(location) / 1e6,
        }
        row.update(measured(size, data_dir, db_url, corpus, lookups, repeat))
        rows.append(row)
        print(f"[{size}] " + ", ".join(f"{k} {v:.1f}" for k, v in row.items()), flush=True)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--sizes", default="1000,10000", help="comma-separated checkpoints (the first: the baseline)"
    )
    ap.add_argument("--work", type=Path, help="keep corpora and stores here (default: a temporary folder)")
    ap.add_argument("--db-url", help="a PostgreSQL server: one database per run is made on it")
    ap.add_argument(
        "--pg", action="store_true", help="start a throwaway PostgreSQL server (tests/pgserver.py)"
    )
    ap.add_argument("--jobs", type=int, default=1, help="ingest worker processes (CPU counts theirs too)")
    ap.add_argument("--lookups", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument(
        "--measure",
        type=Path,
        metavar="DATA_DIR",
        help="only the answer figures of this data dir, "
        "holding the first --reports reports of --corpus; one line of JSON",
    )
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--reports", type=int)
    args = ap.parse_args()
    if args.measure:
        truth = read_truth(args.corpus, args.reports)
        print(json.dumps(queries(args.reports, args.measure, args.db_url, truth, args.lookups, args.repeat)))
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="xxgk_scale_"))
    server, pg = args.db_url, None
    if args.pg:
        from tests import pgserver

        started = pgserver.start()
        if isinstance(started, str):
            print(started, file=sys.stderr)
            return 2
        pg, server = started, started.url
    try:
        rows = run(
            [int(n) for n in args.sizes.split(",")], work, server, args.lookups, args.repeat, args.jobs
        )
    finally:
        if pg is not None:
            pg.stop()
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    engine = "PostgreSQL" if server else "SQLite"
    print(
        f"\n{engine}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; ratio = this size / "
        f"{rows[0]['reports']:.0f} reports"
    )
    for key in rows[0]:
        base = rows[0][key]
        cells = [
            f"{r[key]:>10.1f} ({r[key] / base:5.2f}×)" if base else f"{r[key]:>10.1f}        " for r in rows
        ]
        print(f"{key:24s}" + "  ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
