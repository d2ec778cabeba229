"""Facts-only ingest throughput on generated reports (tests/synth.py), mixed layouts.

    .venv/bin/python bench/bench_ingest.py                 # 1,000 reports
    .venv/bin/python bench/bench_ingest.py --reports 200   # a quick run
    .venv/bin/python bench/bench_ingest.py --profile       # where extraction spends its time

Measures, on the same files:
  (i)  extraction alone: read_document + extract on bytes already in memory;
  (ii) the full `xxgk ingest --no-embed` path: index.load.load_paths into a fresh SQLite store
       (file read, sha lookup, extraction, one transaction per document), as the command does;
  (iii) with --cli, the command itself in a subprocess (start-up and progress bar included).
(i) single-process; (ii) with `--jobs N` as `xxgk ingest --jobs N` (CPU time then is the writer's).
Target: ≥ 50 reports/s on a 2-core machine.
Wall-clock rates drop when other work shares the CPUs, so the CPU-time rate (reports per
second of this process's CPU time) is printed too, with the load average.
Measured 2026-12-01 (2 cores shared, load 4-6), --jobs 2: 1,000 reports 37.6/s wall, writer CPU
167.7 reports/s; 10,000 reports 21.2/s wall, writer CPU 110.8/s; extraction 67-68 reports/s of CPU at both
sizes. Before the carry-over fix, re-checking every year of an agency on each put was 82% of the
10,000-report writer's time (cProfile).
Reports are written to a temporary directory (kept with --keep DIR). Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.load import load_paths  # noqa: E402
from index.store import Store  # noqa: E402
from ingest import extract, read_document  # noqa: E402
from tests.synth import LAYOUTS, TEXT_LAYOUTS, generate  # noqa: E402

TARGET = 50.0


def write_corpus(directory: Path, n: int, layouts: tuple[str, ...], seed: int) -> list[tuple[Path, str]]:
    rng = random.Random(seed)
    files = []
    for i in range(n):
        layout = layouts[i % len(layouts)]
        s = generate(random.Random(rng.getrandbits(64)), layout)
        path = directory / f"{i:05d}_{s.name}"
        path.write_bytes(s.data)
        files.append((path, layout))
    return files


def bench_extract(files: list[tuple[Path, str]]) -> tuple[float, float, dict[str, list[float]], int]:
    """Wall seconds, CPU seconds, per-layout CPU seconds per report, facts."""
    data = [(p, layout, p.read_bytes()) for p, layout in files]
    per_layout: dict[str, list[float]] = defaultdict(list)
    facts = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for path, layout, raw in data:
        c = time.process_time()
        report = extract(read_document(path, raw))
        per_layout[layout].append(time.process_time() - c)
        facts += len(report.facts)
    return time.perf_counter() - t0, time.process_time() - c0, per_layout, facts


def bench_store(directory: Path, db: Path, jobs: int = 1) -> tuple[float, float, Counter]:
    """Wall seconds, CPU seconds (of the writer; with jobs > 1 the workers' is not in it), statuses."""
    store = Store(db)
    t0, c0 = time.perf_counter(), time.process_time()
    results = load_paths(store, [str(directory)], jobs=jobs)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    store.close()
    return wall, cpu, Counter(r.status for r in results)


def _load() -> str:
    try:
        with open("/proc/loadavg") as f:
            return f.read().split()[0]
    except OSError:
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--layouts", default=",".join(LAYOUTS), help="comma-separated, of: " + ", ".join(LAYOUTS))
    ap.add_argument("--keep", type=Path, help="write the reports and the store here and keep them")
    ap.add_argument("--profile", action="store_true", help="cProfile extraction and print the top functions")
    ap.add_argument("--cli", action="store_true", help="also time `xxgk ingest --no-embed` as a subprocess")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes for (ii), as `ingest --jobs N`")
    args = ap.parse_args()

    layouts = tuple(x for x in args.layouts.split(",") if x)
    if "html" in layouts and importlib.util.find_spec("ingest.readers.html") is None:
        print("note: ingest/readers/html.py is missing; html left out", file=sys.stderr)
        layouts = tuple(x for x in layouts if x != "html") or TEXT_LAYOUTS

    with tempfile.TemporaryDirectory(prefix="xxgk-bench-ingest-") as tmp:
        base = args.keep or Path(tmp)
        corpus, db = base / "reports", base / "facts.sqlite"
        corpus.mkdir(parents=True, exist_ok=True)
        if db.exists():
            db.unlink()

        t = time.perf_counter()
        files = write_corpus(corpus, args.reports, layouts, args.seed)
        size = sum(p.stat().st_size for p, _ in files)
        print(
            f"generated {len(files)} reports ({size / 1e6:.1f} MB; layouts {', '.join(layouts)}) in "
            f"{time.perf_counter() - t:.1f}s"
        )

        if args.profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.enable()
            bench_extract(files)
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)

        seen: dict[str, tuple[Path, str]] = {}
        for p, layout in files:
            seen.setdefault(layout, (p, layout))
        bench_extract(list(seen.values()))  # warm up: lazy imports (HTML reader, bs4, lxml), vocabularies
        load = _load()
        wall, cpu, per_layout, facts = bench_extract(files)
        rate_i, cpu_i = len(files) / wall, len(files) / cpu
        print(
            f"(i)  extraction alone:            {rate_i:7.1f} reports/s wall, {cpu_i:7.1f} reports/s of CPU "
            "time"
            f"  ({wall:.2f}s wall, {cpu:.2f}s CPU, {facts} facts)"
        )
        for layout in layouts:
            ts = per_layout[layout]
            print(
                f"       {layout:6s} CPU per report: median {1000 * statistics.median(ts):6.1f} ms  "
                f"p95 {1000 * sorted(ts)[int(0.95 * (len(ts) - 1))]:6.1f} ms  max {1000 * max(ts):6.1f} ms"
            )

        wall, cpu, statuses = bench_store(corpus, db, args.jobs)
        rate_ii, cpu_ii = len(files) / wall, len(files) / cpu
        print(
            f"(ii) ingest --no-embed --jobs {args.jobs}:    {rate_ii:7.1f} reports/s wall, {cpu_ii:7.1f} "
            "reports/s of CPU time"
            f"  ({wall:.2f}s wall, {cpu:.2f}s CPU; {dict(statuses)}; store {db.stat().st_size / 1e6:.1f} MB)"
        )
        if args.cli:
            data_dir = base / "cli-data"
            t = time.perf_counter()
            proc = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "from bot.cli import main; main()",
                    "--data-dir",
                    str(data_dir),
                    "ingest",
                    "--no-embed",
                    str(corpus),
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            wall = time.perf_counter() - t
            tail = (proc.stdout.strip().splitlines() or [""])[-1]
            print(
                f"(iii) xxgk ingest --no-embed:     {len(files) / wall:7.1f} reports/s wall  ({wall:.2f}s, "
                f"exit {proc.returncode}: {tail})"
            )
        print(
            f"load average at start {load}, at end {_load()} on {os.cpu_count()} CPUs (wall rates fall when "
            "other work shares the CPUs)"
        )
        verdict = "meets" if min(rate_i, rate_ii) >= TARGET else "MISSES"
        print(f"target ≥ {TARGET:.0f} reports/s (wall): {verdict}")


if __name__ == "__main__":
    main()
