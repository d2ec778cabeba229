"""Answer benchmark: warm latency of `answer()` for lookup and retrieval questions over a store
of generated reports, and the cold time of one `xxgk ask` as a subprocess.

    .venv/bin/python bench/bench_answer.py                     # 1,000 reports, 500 lookups, 150 retrieval
    .venv/bin/python bench/bench_answer.py --reports 200       # a quick run
    .venv/bin/python bench/bench_answer.py --data-dir /tmp/xb  # keep the store; a second run reuses it
    .venv/bin/python bench/bench_answer.py --profile           # cProfile the loops even when targets are met

Targets: lookup p95 ≤ 50 ms, retrieval-answer p95 ≤ 300 ms, cold `xxgk ask` ≤ 2 s; agency lookup
p95 at 100,000 agencies ≤ 2 × p95 at 1,000 (bench/bench_agencies.py, also `--agencies-only`).

Reports come from tests/synth.py (`generate`) when it is there — every layout, the 2019 and
2021 templates, and the numbers each report states, so the lookups are also checked for the
right value — otherwise from samples/003 with the place, year and a few numbers replaced.
The store holds facts and chunks only (`load_paths`); retrieval answers are BM25-only unless the
data dir has a chroma store (`--embed` builds one: slow, ~8 chunks/s on the CPU).
Everything goes through what the CLI uses: `Context(data_dir).answer(question)`.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import io
import json
import os
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.cli_context import Context  # noqa: E402
from index.load import load_paths  # noqa: E402
from index.store import Store  # noqa: E402
from ingest.vocab import load as load_vocab  # noqa: E402

LOOKUP_P95_MS = 50.0
RETRIEVAL_P95_MS = 300.0
COLD_S = 2.0
MANIFEST = "bench_manifest.json"
SAMPLE = ROOT / "samples" / "003_dde6e9dcd5a2f618.txt"


@dataclass
class Item:
    """One generated report: who and when, and what it states (None: not stated / not checked)."""

    file: str
    agency: str
    county: str
    year: int
    new_total: float | None = None  # 表三 一、本年新收 · 总计
    licensing: float | None = None  # 表二 行政许可 · 处理决定数量
    layout: str = ""


# ------------------------------------------------------------------ counties
def _counties(n: int, rng: random.Random) -> list[str]:
    """Real county names (gazetteer) that a question can name without ambiguity: one place of that
    name, three or more characters, no 自治, and distinct short forms and pinyin."""
    from pypinyin import lazy_pinyin

    from ingest.gazetteer import all_names

    names = sorted(
        n
        for n, places in all_names().items()
        if len(places) == 1
        and places[0].level == "county"
        and n.endswith("县")
        and len(n) >= 3
        and "自治" not in n
    )
    rng.shuffle(names)
    out: list[str] = []
    shorts: set[str] = set()
    pys: set[str] = set()
    for name in names:
        short = name[:-1]
        py = "".join(lazy_pinyin(short))
        if short in shorts or py in pys or any(short in s or s in short for s in shorts):
            continue
        out.append(name)
        shorts.add(short)
        pys.add(py)
        if len(out) == n:
            break
    return out


# ------------------------------------------------------------------ generators
def _load_synth() -> Any | None:
    path = ROOT / "tests" / "synth.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("xxgk_bench_synth", path)
    if spec is None or spec.loader is None:
        return None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up here
    try:
        spec.loader.exec_module(mod)
    except Exception as e:  # a generator being written may not import yet
        print(
            f"note: tests/synth.py does not import ({type(e).__name__}: {e}); "
            "using the sample-copy generator",
            file=sys.stderr,
        )
        return None
    return mod if callable(getattr(mod, "generate", None)) else None


def synth_layouts(synth: Any) -> tuple[str, ...]:
    """Every layout, but the HTML one only when the reader for it is there (ingest/readers/html.py)."""
    if importlib.util.find_spec("ingest.readers.html") is None:
        return tuple(getattr(synth, "TEXT_LAYOUTS", ("tab",)))
    return tuple(synth.LAYOUTS)


def generate_synth(synth: Any, out: Path, n: int, rng: random.Random, counties: list[str]) -> list[Item]:
    items: list[Item] = []
    layouts = synth_layouts(synth)
    seen: set[tuple[str, int]] = set()
    tries = 0
    while len(items) < n:
        tries += 1
        if tries > 50 * n:
            raise SystemExit(f"could not draw {n} distinct (agency, year) pairs; pass more --counties")
        s = synth.generate(random.Random(rng.random()), rng.choice(layouts), counties=counties)
        if (s.agency, s.year) in seen:  # one report per agency and year, so a lookup has one answer
            continue
        seen.add((s.agency, s.year))
        name = f"{len(items):04d}_{s.name}"
        (out / name).write_bytes(s.data)

        def value(key: tuple[str, str, str], s: Any = s) -> float | None:
            e = s.expect.get(key)
            return None if e is None else e.value

        items.append(
            Item(
                name,
                s.agency,
                s.spec.county,
                s.year,
                value(("t3", "new", "total")),
                value(("t2", "licensing", "decisions")),
                s.layout,
            )
        )
    return items


def generate_samples(out: Path, n: int, rng: random.Random, counties: list[str]) -> list[Item]:
    """samples/003 (夏邑县人民政府 2020, tab layout) under other names, years and numbers; the
    table arithmetic stays true (new applications and 予以公开 grow by the same amount)."""
    text = SAMPLE.read_text(encoding="utf-8")
    per = max(1, -(-n // len(counties)))
    items: list[Item] = []
    for county in counties:
        start = rng.randint(2019, 2024 - per + 1) if per <= 6 else 2019
        for year in range(start, start + per):
            if len(items) == n:
                return items
            d = rng.randint(0, 400)
            permit = rng.randint(0, 300_000)
            t = text.replace("夏邑县", county).replace("夏邑", county[:-1]).replace("2020", str(year))
            t = t.replace("主动公开政府信息5863条", f"主动公开政府信息{rng.randint(50, 9000)}条")
            t = t.replace("行政许可\t231\t1\t27269", f"行政许可\t231\t1\t{permit}")
            t = t.replace("数量\t10\t2\t0\t0\t0\t0\t12", f"数量\t{10 + d}\t2\t0\t0\t0\t0\t{12 + d}", 1)
            t = re.sub(r"(予以公开\t\t)3(\t0\t0\t0\t0\t0\t)3", rf"\g<1>{3 + d}\g<2>{3 + d}", t)
            t = t.replace("(七) 总计\t12\t2\t0\t0\t0\t0\t14", f"(七) 总计\t{12 + d}\t2\t0\t0\t0\t0\t{14 + d}")
            t = t.replace("依申请政府信息公开14件", f"依申请政府信息公开{14 + d}件")
            name = f"{len(items):04d}_{county}_{year}.txt"
            (out / name).write_text(t, encoding="utf-8")
            items.append(Item(name, county + "人民政府", county, year, 12 + d, permit, "tab"))
    return items


# ------------------------------------------------------------------ corpus
def build_corpus(
    data_dir: Path, n: int, n_counties: int, seed: int, embed: bool
) -> tuple[list[Item], str, dict[str, Any]]:
    manifest = data_dir / MANIFEST
    info: dict[str, Any] = {}
    if manifest.exists():
        m = json.loads(manifest.read_text(encoding="utf-8"))
        if m["reports"] >= n:
            items = [Item(**x) for x in m["items"]]
            info["reused"] = True
            if embed and not (data_dir / "chroma").exists():
                info["embed_s"] = _embed(data_dir)
            return items, m["generator"], info
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    reports = data_dir / "reports"
    reports.mkdir()
    rng = random.Random(seed)
    synth = _load_synth()
    t0 = time.perf_counter()
    if synth is not None:
        counties = _counties(n_counties, rng)
        items = generate_synth(synth, reports, n, rng, counties)
        generator = (
            f"tests/synth.py generate() — {len(counties)} counties × {len(synth.BUREAUS)} agency kinds, "
            f"layouts {'/'.join(synth_layouts(synth))}"
        )
    else:
        counties = _counties(max(n_counties, -(-n // 3)), rng)
        items = generate_samples(reports, n, rng, counties)
        generator = f"samples/003 copied under {len({i.county for i in items})} county names ({SAMPLE.name})"
    info["generate_s"] = time.perf_counter() - t0

    store = Store(data_dir / "facts.sqlite")
    t0 = time.perf_counter()
    results = load_paths(store, [str(reports)])
    info["ingest_s"] = time.perf_counter() - t0
    info["statuses"] = {
        s: sum(1 for r in results if r.status == s) for s in sorted({r.status.split(" ")[0] for r in results})
    }
    info["facts"] = sum(r.facts for r in results)
    store.close()
    if embed:
        info["embed_s"] = _embed(data_dir)
    manifest.write_text(
        json.dumps(
            {"reports": n, "generator": generator, "items": [i.__dict__ for i in items]}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    return items, generator, info


def _embed(data_dir: Path) -> float:
    from index.vectors import open_vectors, sync

    t0 = time.perf_counter()
    store = Store(data_dir / "facts.sqlite")
    sync(store, open_vectors(data_dir, os.environ.get("XXGK_EMBED_MODEL"), None))
    store.close()
    return time.perf_counter() - t0


# ------------------------------------------------------------------ questions
def _english_kind(agency: str, county: str) -> str:
    kinds = {k["name"]: k.get("en", []) for k in load_vocab().tables["agency_kinds"]["kind"]}
    words = kinds.get(agency[len(county) :])
    return (
        "" if not words else words[0] if " " in words[0] else f"{words[0]} bureau"
    )  # 'audit' alone is a word


def _pinyin(county: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(
        lazy_pinyin(county[:-1] if county.endswith("县") and len(county) > 2 else county)
    ).capitalize()


@dataclass
class Question:
    text: str
    item: Item
    kind: str  # new | licensing | en_new | problems | improve | en_problems
    expect: float | None = None
    result: dict[str, Any] = field(default_factory=dict)


def lookup_questions(items: list[Item], n: int, rng: random.Random) -> list[Question]:
    out = []
    for i in range(n):
        it = rng.choice(items)
        k = i % 3
        if k == 0:
            out.append(Question(f"{it.agency}{it.year}年收到多少政府信息公开申请？", it, "new", it.new_total))
        elif k == 1:
            out.append(
                Question(f"{it.agency}{it.year}年行政许可处理决定数量是多少？", it, "licensing", it.licensing)
            )
        else:
            kind = _english_kind(it.agency, it.county)
            who = (
                f"the {_pinyin(it.county)} {kind}"
                if kind and not it.agency.endswith("人民政府")
                else _pinyin(it.county)
            )
            out.append(
                Question(f"How many applications did {who} receive in {it.year}?", it, "en_new", it.new_total)
            )
    return out


def retrieval_questions(items: list[Item], n: int, rng: random.Random) -> list[Question]:
    out = []
    for i, it in enumerate(rng.sample(items, min(n, len(items)))):
        k = i % 3
        if k == 0:
            out.append(Question(f"{it.agency}{it.year}年存在哪些问题？", it, "problems"))
        elif k == 1:
            out.append(
                Question(
                    f"{it.agency}{it.year}年政府信息公开工作还有哪些不足，下一步怎么改进？", it, "improve"
                )
            )
        else:
            kind = _english_kind(it.agency, it.county)
            who = (
                f"the {_pinyin(it.county)} {kind}"
                if kind and not it.agency.endswith("人民政府")
                else _pinyin(it.county)
            )
            out.append(Question(f"What problems did {who} report for {it.year}?", it, "en_problems"))
    return out


# ------------------------------------------------------------------ timing
def timed(ctx: Context, questions: list[Question]) -> list[float]:
    ms = []
    for q in questions:
        t0 = time.perf_counter()
        a = ctx.answer(q.text)
        ms.append((time.perf_counter() - t0) * 1000)
        q.result = {
            "status": a.status,
            "value": a.value,
            "agency": a.agency,
            "year": a.year,
            "passages": len(a.passages),
        }
    return ms


def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def summary(xs: list[float]) -> str:
    return (
        f"n={len(xs)}  p50 {pct(xs, 50):7.1f} ms   p95 {pct(xs, 95):7.1f} ms   p99 {pct(xs, 99):7.1f} ms   "
        f"max {max(xs):7.1f} ms   mean {statistics.fmean(xs):6.1f} ms"
    )


def verdict(value: float, target: float) -> str:
    return f"{'PASS' if value <= target else 'MISS'} (target ≤ {target:g})"


def lookup_ok(q: Question) -> bool:
    r = q.result
    if r["agency"] != q.item.agency or r["year"] != q.item.year:
        return False
    if q.expect is None:
        return bool(r["status"] == "not_found")
    return (
        r["status"] == "answered"
        and r["value"] is not None
        and abs(float(r["value"]) - float(q.expect)) < 1e-6
    )


def lookup_accuracy(qs: list[Question]) -> str:
    by: dict[str, list[int]] = {}
    for q in qs:
        ok = lookup_ok(q)
        c = by.setdefault(q.kind, [0, 0])
        c[0] += ok
        c[1] += 1
    return ", ".join(f"{k} {ok}/{n}" for k, (ok, n) in by.items())


def statuses(qs: list[Question]) -> str:
    out: dict[str, int] = {}
    for q in qs:
        s = q.result["status"] + ("+passages" if q.result["passages"] else "")
        out[s] = out.get(s, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(out.items()))


def profile(ctx: Context, questions: list[Question], title: str, top: int = 18) -> None:
    pr = cProfile.Profile()
    pr.enable()
    for q in questions:
        ctx.answer(q.text)
    pr.disable()
    buf = io.StringIO()
    st = pstats.Stats(pr, stream=buf)
    st.sort_stats("cumulative").print_stats(top)
    st.sort_stats("tottime").print_stats(top)
    text = re.sub(r"\n\s*\n+", "\n", buf.getvalue())
    text = text.replace(str(ROOT) + "/", "").replace(sys.prefix + "/", "")
    print(f"\n--- cProfile: {title} ({len(questions)} questions) ---")
    print(
        "\n".join(
            line for line in text.splitlines() if not line.startswith(("   Ordered by", "   List reduced"))
        )
    )


# ------------------------------------------------------------------ cold CLI
def cold_asks(data_dir: Path, questions: list[Question], runs: int) -> list[tuple[float, str]]:
    exe = Path(sys.executable).parent / "xxgk"
    cmd0 = [str(exe)] if exe.exists() else [sys.executable, "-m", "bot.cli"]
    out = []
    env = dict(os.environ, XXGK_DATA_DIR=str(data_dir))
    for q in questions[:runs]:
        t0 = time.perf_counter()
        p = subprocess.run(cmd0 + ["ask", q.text], capture_output=True, text=True, env=env, cwd=str(ROOT))
        dt = time.perf_counter() - t0
        first = (p.stdout.strip().splitlines() or [p.stderr.strip()[-200:]])[0]
        out.append((dt, first))
    return out


def baseline_s(args: list[str], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(args, capture_output=True, cwd=str(ROOT))
        best = min(best, time.perf_counter() - t0)
    return best


def import_profile(data_dir: Path, question: str, top: int = 12) -> None:
    env = dict(os.environ, XXGK_DATA_DIR=str(data_dir))
    p = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot.cli", "ask", question],
        capture_output=True,
        text=True,
        env=env,
        cwd=str(ROOT),
    )
    rows = []
    for line in p.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m.group(2)), len(m.group(3)), m.group(4)))
    print(f"\n--- -X importtime: top {top} imports by cumulative time (ms) ---")
    for cum, depth, name in sorted(rows, reverse=True)[:top]:
        print(f"{cum / 1000:8.1f}  {'  ' * max(0, (depth - 1) // 2)}{name}")


# ------------------------------------------------------------------ main
def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument(
        "--counties",
        type=int,
        default=60,
        help="county names to spread the reports over (synth: × 20 agency kinds)",
    )
    ap.add_argument("--lookups", type=int, default=500)
    ap.add_argument("--retrievals", type=int, default=150)
    ap.add_argument("--cold-runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--data-dir", type=Path, help="keep the generated store here (reused when it has enough reports)"
    )
    ap.add_argument(
        "--embed",
        action="store_true",
        help="also embed the chunks (chroma), for BM25 + dense retrieval; slow",
    )
    ap.add_argument(
        "--profile",
        action="store_true",
        help="cProfile the loops and -X importtime the cold run even when targets are met",
    )
    ap.add_argument(
        "--agency-sizes",
        default="1000,10000,100000",
        help="(4) agency lookup over this many generated agencies",
    )
    ap.add_argument("--agencies-only", action="store_true", help="run only (4), the agency lookup benchmark")
    args = ap.parse_args()
    from bench_agencies import run as agency_lookup

    if args.agencies_only:
        agency_lookup([int(n) for n in args.agency_sizes.split(",")])
        return

    tmp = None
    data_dir = args.data_dir
    if data_dir is None:
        tmp = tempfile.mkdtemp(prefix="xxgk-bench-answer-")
        data_dir = Path(tmp) / "data"
    t_all = time.perf_counter()
    try:
        items, generator, info = build_corpus(data_dir, args.reports, args.counties, args.seed, args.embed)
        items = items[: args.reports] if info.get("reused") else items
        rng = random.Random(args.seed + 1)
        store = Store(data_dir / "facts.sqlite")
        docs = store.documents()
        agencies = store.agencies()
        stored = {(d.agency, d.year) for d in docs}
        meta_miss = sum(1 for it in items if (it.agency, it.year) not in stored)
        n_chunks = store.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        n_facts = store.db.execute("SELECT count(*) FROM facts").fetchone()[0]
        store.close()

        print(
            f"xxgk answer benchmark — {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} "
            "(figures are wall-clock; other load inflates them)"
        )
        print(f"  generator : {generator}")
        print(
            f"  store     : {data_dir}  — {len(docs)} reports, {len(agencies)} agencies, {n_facts} facts, "
            f"{n_chunks} chunks"
        )
        if info.get("reused"):
            print("  ingest    : reused an existing store")
        else:
            print(
                f"  ingest    : generated in {info['generate_s']:.1f} s; load_paths {info['ingest_s']:.1f} s "
                f"({len(items) / info['ingest_s']:.0f} reports/s); {info['statuses']}"
            )
        if meta_miss:
            print(
                f"  note      : {meta_miss} generated reports are not stored under their own agency+year "
                "(metadata misread or rejected)"
            )

        ctx = Context(data_dir)
        dense = ctx.vectors() is not None
        mode = (
            "BM25 + dense (chroma store present)"
            if dense
            else "BM25 only (no chroma store; --embed builds one, ~8 chunks/s)"
        )

        lq = lookup_questions(items, args.lookups, rng)
        rq = retrieval_questions(items, args.retrievals, rng)
        # warm-up: imports, vocabulary, jieba dictionary, bm25s, sqlite page cache
        warm = lookup_questions(items, 6, random.Random(0)) + retrieval_questions(items, 3, random.Random(0))
        t0 = time.perf_counter()
        timed(ctx, warm)
        warm_s = time.perf_counter() - t0

        l_ms = timed(ctx, lq)
        r_ms = timed(
            ctx, rq
        )  # each question names a report not searched before: its BM25 index is built here
        r2_ms = timed(ctx, rq[: min(len(rq), 60)])  # the same reports again: filter set cached (≤ 64 kept)

        print(
            f"\n(1) lookups, warm ({len(lq)} questions: zh 收到申请 / zh 行政许可处理决定 / en applications; "
            f"warm-up {warm_s:.2f} s)"
        )
        print(f"    {summary(l_ms)}")
        for kind in ("new", "licensing", "en_new"):
            xs = [m for m, q in zip(l_ms, lq) if q.kind == kind]
            if xs:
                print(f"    {kind:<10} p50 {pct(xs, 50):6.1f} ms  p95 {pct(xs, 95):6.1f} ms")
        print(f"    p95 {pct(l_ms, 95):.1f} ms: {verdict(pct(l_ms, 95), LOOKUP_P95_MS)}")
        print(f"    right value from the right report: {lookup_accuracy(lq)}")
        print(f"    statuses: {statuses(lq)}")
        misses = [q for q in lq if not lookup_ok(q)]
        for q in misses[:4]:
            r = q.result
            print(
                f"    miss: {q.text} [{q.item.layout}] expected {q.expect} → {r['status']} {r['value']} "
                f"({r['agency']} {r['year']})"
            )

        print(f"\n(2) retrieval answers, warm ({len(rq)} questions falling back to passages; {mode})")
        print(f"    first time per report : {summary(r_ms)}")
        print(f"    same reports again    : {summary(r2_ms)}")
        print(f"    p95 {pct(r_ms, 95):.1f} ms: {verdict(pct(r_ms, 95), RETRIEVAL_P95_MS)}")
        print(f"    statuses: {statuses(rq)}")

        cold_qs = lookup_questions(items, args.cold_runs, random.Random(args.seed + 2))
        runs = cold_asks(data_dir, cold_qs, args.cold_runs)
        worst = max(dt for dt, _ in runs)
        py = baseline_s([sys.executable, "-c", "pass"])
        exe = Path(sys.executable).parent / "xxgk"
        helptime = baseline_s([str(exe), "--help"]) if exe.exists() else float("nan")
        print(f"\n(3) cold `xxgk ask` (new process each, store of {len(docs)} reports)")
        for (dt, first), q in zip(runs, cold_qs):
            print(f"    {dt:5.2f} s  {q.text}  →  {first[:70]}")
        print(
            f"    worst {worst:.2f} s: {verdict(worst, COLD_S)}   "
            f"(baselines: python -c pass {py:.2f} s, xxgk --help {helptime:.2f} s)"
        )

        if args.profile or pct(l_ms, 95) > LOOKUP_P95_MS:
            profile(ctx, lq[:60], "lookups")
        if args.profile or pct(r_ms, 95) > RETRIEVAL_P95_MS:
            fresh = retrieval_questions(items, 30, random.Random(args.seed + 3))
            profile(Context(data_dir), fresh, "retrieval answers, fresh Context (includes warm-up)")
        if args.profile or worst > COLD_S:
            import_profile(data_dir, cold_qs[0].text)
        print("\n(4) ", end="")
        agency_lookup([int(n) for n in args.agency_sizes.split(",")])
        print(f"\ntotal {time.perf_counter() - t_all:.0f} s")
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
