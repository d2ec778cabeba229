"""Ingest throughput by file format: HTML, PDF (ruled), PDF (unruled) and DOCX, with text as the
baseline, on a generated corpus (the five samples rendered by tests/render.py, each as several
reporting years).

    .venv/bin/python bench/bench_formats.py                # 10 years × 5 samples = 50 reports per format
    .venv/bin/python bench/bench_formats.py --years 4      # a quick run
    .venv/bin/python bench/bench_formats.py --profile pdf  # where one format's reading spends its time
    .venv/bin/python bench/bench_formats.py --only pdf --only pdf-plumber   # PDFs, fast path on and off

For each format, on the same files, after one warm-up ingest (imports, pdfium's start), reports
per CPU second (process time: steady on a busy machine, unlike wall time) of:
  read      read_document on bytes already in memory (the format reader alone: the PDF path);
  extract   read_document + extract (tables, prose, meta, checks, chunks);
  ingest    index.load.load_paths into a fresh SQLite store, as `xxgk ingest --no-embed` runs (end
            to end: file, read, extract, store); `wall/s` is the same ingest per wall second.
`read ms` and `CPU ms` are CPU ms per report of read and of the whole ingest; `rest ms` is their
difference (extract, the store and the loader: the same work for every format).
`pdf-plumber` and `pdfu-plumber` are the same PDFs read with the pdfium fast path off
(XXGK_PDF_FAST=0: pdfplumber reads every page), for comparison.
Single process, as the command runs. Rendering the corpus is not timed. Nothing is downloaded.

Measured 2026-11-22 on the 2-core machine (shared, load ≈ 4), 50 reports per format, reports
per CPU second for the full ingest: txt 104, html 24, docx 21, pdf (ruled, ~6 pages) 3.4,
pdf unruled 4.4. PDF time is ~80% pdfminer's content-stream parsing inside pdfplumber.
2026-12-01, PDFs, 50 each, reports per CPU second, read / ingest end to end (CPU ms a report):
  main 0f3cab4, load 1.6   ruled 10.8 / 7.9 (126)    unruled 11.2 / 12.3 (81)
  now, load 1.6            ruled 23.5–26.2 / 16.9–17.6 (57–59)  unruled 39.6–39.9 / 23.4–25.5 (39–43)
  now, load 4–5.5          ruled 17–21 / 12–15       unruled 25–30 / 17–20
  (pdfplumber on every page: ruled 6.9 / 5.8; txt for comparison: 545 / 61, rest ms 14.)
CPU time still grows with the machine's load (shared caches), so figures minutes apart differ.
Same lines, rows and facts as with pdfplumber on every page. Where a ruled PDF's reading goes
now (~40 ms a report): pdfium's characters (~13 ms: three ctypes calls a character),
pdfplumber's table finder (~9 ms), cell text, line building, the fake-bold check; pdfium itself
~5 ms. Before, pdfium spent ~30 ms a report on Noto Sans CJK (19 MB read per PDF, a CFF outline
interpreted per character), and sample 002's first page went to pdfplumber (its `·`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.load import load_paths  # noqa: E402
from index.store import Store  # noqa: E402
from ingest import extract, read_document  # noqa: E402
from tests.render import corpus  # noqa: E402

FORMATS = {
    "txt": ("txt",),
    "html": ("html",),
    "pdf": ("pdf",),
    "pdf-unruled": ("pdfu",),
    "docx": ("docx",),
    "pdf-plumber": ("pdf",),
    "pdfu-plumber": ("pdfu",),
}
PLUMBER = {"pdf-plumber": "pdf", "pdfu-plumber": "pdf-unruled"}  # the same files, fast path off


def build(directory: Path, years: int) -> dict[str, list[Path]]:
    samples = sorted((ROOT / "samples").glob("*.txt"))
    out = {}
    for name, kinds in FORMATS.items():
        folder = directory / name
        if name in PLUMBER:
            continue
        if kinds == ("pdfu",):
            out[name] = _unruled(folder, samples, years)
        else:
            out[name] = corpus(folder, samples, years, kinds)
    out.update({name: out[same] for name, same in PLUMBER.items()})
    return out


def _unruled(folder: Path, samples: list[Path], years: int) -> list[Path]:
    from tests.render import base_year, blocks_of_text, to_pdf, with_year

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for sample in samples:
        text = sample.read_text(encoding="utf-8")
        y0 = base_year(text)
        for k in range(years):
            p = folder / f"{sample.stem[:3]}_{y0 - 2 * k}.pdf"
            blocks = blocks_of_text(with_year(text, y0, y0 - 2 * k))
            p.write_bytes(to_pdf(blocks, ruled=False, page_numbers=False))
            paths.append(p)
    return paths


def measure(paths: list[Path], store_dir: Path) -> dict[str, float]:
    """Reports per CPU second of each stage (process time: steady on a shared machine), and the
    ingest's reports per wall second."""
    data = [(p, p.read_bytes()) for p in paths]
    warm = Store(store_dir / "warm.sqlite")  # one-time costs (imports, pdfium's start) left out
    load_paths(warm, [str(paths[0])])
    warm.close()
    c = time.process_time()
    for p, raw in data:
        read_document(p, raw)
    read_cpu = time.process_time() - c
    per_doc = []
    facts = 0
    c = time.process_time()
    for p, raw in data:
        c1 = time.process_time()
        facts += len(extract(read_document(p, raw)).facts)
        per_doc.append(time.process_time() - c1)
    extract_cpu = time.process_time() - c
    store = Store(store_dir / "facts.sqlite")
    t, c = time.perf_counter(), time.process_time()
    results = load_paths(store, [str(paths[0].parent)])
    ingest_s, ingest_cpu = time.perf_counter() - t, time.process_time() - c
    store.close()
    bad = [r for r in results if r.status not in ("added",)]
    assert not bad, [(r.path, r.status, r.reason) for r in bad]
    n = len(paths)
    return {
        "n": n,
        "bytes": sum(len(r) for _, r in data) / n,
        "read": n / read_cpu,
        "extract": n / extract_cpu,
        "ingest_cpu": n / ingest_cpu,
        "ingest": n / ingest_s,
        "read_ms": read_cpu / n * 1000,
        "rest_ms": (ingest_cpu - read_cpu) / n * 1000,
        "cpu_ms": ingest_cpu / n * 1000,
        "p50_ms": statistics.median(per_doc) * 1000,
        "max_ms": max(per_doc) * 1000,
        "facts": facts / n,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--years", type=int, default=10, help="reporting years per sample (reports per format = 5 × years)"
    )
    ap.add_argument("--only", choices=list(FORMATS), action="append", help="formats to run (default: all)")
    ap.add_argument(
        "--profile",
        choices=list(FORMATS),
        help="profile read_document for one format and print the top functions",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        t = time.perf_counter()
        sets = build(tmpd / "in", args.years)
        rendered = sum(len(v) for k, v in sets.items() if k not in PLUMBER)
        print(f"corpus: {rendered} files rendered in {time.perf_counter() - t:.1f}s", file=sys.stderr)
        if args.profile:
            import cProfile
            import pstats

            data = [(p, p.read_bytes()) for p in sets[args.profile]]
            prof = cProfile.Profile()
            prof.enable()
            for p, raw in data:
                read_document(p, raw)
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
            return
        print(
            f"{'format':<12} {'files':>5} {'KB/file':>8} {'read':>6} {'extract':>8} {'ingest':>7} "
            f"{'wall/s':>7} {'read ms':>8} {'rest ms':>8} {'CPU ms':>7} {'p50 ms':>7} {'max ms':>7} "
            f"{'facts':>6}"
        )
        for name in args.only or list(FORMATS):
            store_dir = tmpd / "store" / name
            store_dir.mkdir(parents=True)
            os.environ["XXGK_PDF_FAST"] = "0" if name in PLUMBER else "1"
            m = measure(sets[name], store_dir)
            print(
                f"{name:<12} {m['n']:>5} {m['bytes'] / 1024:>8.1f} {m['read']:>6.1f} {m['extract']:>8.1f} "
                f"{m['ingest_cpu']:>7.1f} {m['ingest']:>7.1f} {m['read_ms']:>8.1f} {m['rest_ms']:>8.1f} "
                f"{m['cpu_ms']:>7.1f} {m['p50_ms']:>7.0f} {m['max_ms']:>7.0f} {m['facts']:>6.0f}"
            )


if __name__ == "__main__":
    main()
