"""Retrieval benchmark on a generated corpus: embedding speed, our ingest time against a plain
LangChain pipeline on the same files, and warm search latency on 1,000 reports.

    .venv/bin/python bench/bench_retrieval.py                        # defaults below
    .venv/bin/python bench/bench_retrieval.py --full-embed           # every chunk through the model

The corpus is made here from the five sample reports: each generated report takes one sample
and gives it another place name, another year and other numbers (table layout untouched), so
the readers, the table extractor and the chunker see real layouts. Nothing is downloaded.

1. Compare (`--compare-reports`, default 25): our ingest (read, extract, chunk, store, embed,
   Chroma) and the LangChain pipeline (standard splitter, same embedder, Chroma) on the same
   files, both through the real model. Prints chunks embedded per second and the time ratio.
2. Scale (`--reports`, default 1,000): all reports into the store and Chroma, then 200 warm
   searches. Embedding 1,000 reports with a 4-bit e5-small on 2 CPU cores takes about an hour on
   an idle machine, so by default the vectors of chunks that differ only in digits and place
   names are computed once and reused (labelled in the output; search latency does not depend
   on the vector values, and queries are always embedded for real). `--full-embed` embeds all.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.embed import make_embedder  # noqa: E402
from index.load import load_file  # noqa: E402
from index.retrieve import candidates, search  # noqa: E402
from index.store import Store  # noqa: E402
from index.vectors import index_text, open_client, open_vectors, sync  # noqa: E402
from ingest.chunks import MAX_CHARS  # noqa: E402

# sample prefix → (place in the text, agency suffix after the place, report year)
TEMPLATES = {
    "000": ("霍邱", "县民政局", 2020),
    "001": ("西工", "区民政局", 2020),
    "002": ("河南", "县民政局", 2021),
    "003": ("夏邑", "县人民政府", 2020),
    "004": ("息烽", "县民政局", 2018),
}
_CHARS = (
    "安宁平阳新丰泰和清远兴华长乐永定宝山临江东西南北德昌福源广济崇明顺义吉利美溪凤台龙泉云峰桂林松柏金"
    "水石门白沙青田"
)
QUESTIONS = [
    "{agency}{year}年主动公开政府信息多少条",
    "{agency}{year}年收到多少政府信息公开申请",
    "{agency}依申请公开办理情况",
    "{agency}政府信息公开工作存在的主要问题",
    "{agency}行政复议和行政诉讼情况",
    "{agency}政府集中采购项目数量和金额",
    "{agency}政务新媒体和微信公众号",
    "{agency}改进措施",
    "How many disclosure applications did {agency} receive in {year}?",
    "What problems did {agency} report?",
]


def place_names(n: int, rng: random.Random) -> list[str]:
    taken = {p for p, _, _ in TEMPLATES.values()}
    out: list[str] = []
    while len(out) < n:
        name = rng.choice(_CHARS) + rng.choice(_CHARS)
        if name[0] != name[1] and name not in taken:
            taken.add(name)
            out.append(name)
    return out


def _vary_number(m: re.Match[str], rng: random.Random) -> str:
    s = m.group(0)
    if re.fullmatch(r"(19|20)\d\d", s):
        return s  # a year: handled by the year substitution
    if "." in s:
        return f"{float(s) * rng.uniform(0.5, 2.0):.{len(s.split('.')[1])}f}"
    v = int(s)
    if v == 0:
        return "0" if rng.random() < 0.8 else str(rng.randint(1, 9))
    return str(max(1, int(v * rng.uniform(0.5, 2.0))))


def generate(out_dir: Path, n: int, seed: int = 7) -> list[tuple[Path, str, int]]:
    """n report files as (path, agency, year): one place per five reports, five years each."""
    rng = random.Random(seed)
    samples = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))}
    places = place_names((n + 4) // 5, rng)
    out = []
    for i in range(n):
        key = sorted(TEMPLATES)[(i + i // 5) % 5]
        place0, suffix, year0 = TEMPLATES[key]
        place, year = places[i // 5], 2018 + i % 5
        text = samples[key].replace(place0, place)
        text = re.sub(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", lambda m: _vary_number(m, rng), text)
        text = text.replace(str(year0 + 1), "\0").replace(str(year0), str(year)).replace("\0", str(year + 1))
        path = out_dir / f"{i:04d}_{place}{suffix}_{year}.txt"
        path.write_text(text, encoding="utf-8")
        out.append((path, place + suffix, year))
    return out


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))]


def ours(files: list[tuple[Path, str, int]], data_dir: Path, embedder) -> dict:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    store = Store(data_dir / "facts.sqlite")
    for path, agency, year in files:
        for r in load_file(store, path, agency, year):
            if r.status not in ("added", "unchanged"):
                print(f"  {path.name}: {r.status} {r.reason}", file=sys.stderr)
    t_read = time.perf_counter() - t0
    vectors = open_vectors(data_dir, embedder=embedder)
    stats = sync(store, vectors, progress=True)
    total = time.perf_counter() - t0
    return {"store": store, "vectors": vectors, "read_s": t_read, "sync": stats, "total_s": total}


def langchain_baseline(files: list[tuple[Path, str, int]], data_dir: Path, embedder) -> dict:  # type: ignore[no-untyped-def]
    """Read files, a standard splitter, the same embedder, Chroma: what a LangChain tutorial does."""
    from tqdm import tqdm

    try:
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=MAX_CHARS, chunk_overlap=MAX_CHARS // 10)
        split = splitter.split_text
        name = "langchain_text_splitters.RecursiveCharacterTextSplitter"
    except ImportError:
        split = lambda text: _recursive_split(text, MAX_CHARS, MAX_CHARS // 10)  # noqa: E731
        name = "simple recursive splitter (langchain-text-splitters not installed)"
    t0 = time.perf_counter()
    texts, metas = [], []
    for path, agency, year in files:
        for j, piece in enumerate(split(path.read_text(encoding="utf-8"))):
            texts.append(piece)
            metas.append({"source": path.name, "agency": agency, "year": year, "i": j})
    t_split = time.perf_counter() - t0
    col = open_client(data_dir).get_or_create_collection("langchain-baseline", embedding_function=None)
    bar = tqdm(total=len(texts), desc="langchain", unit="chunk", file=sys.stderr)
    for s in range(0, len(texts), 32):
        batch = texts[s : s + 32]
        col.add(
            ids=[f"lc{s + k}" for k in range(len(batch))],
            embeddings=embedder.embed_documents(batch),
            documents=batch,
            metadatas=metas[s : s + 32],
        )
        bar.update(len(batch))
    bar.close()
    return {
        "splitter": name,
        "chunks": len(texts),
        "chars": sum(map(len, texts)),
        "split_s": t_split,
        "total_s": time.perf_counter() - t0,
        "texts": texts,
    }


def model_tokens(embedder, texts: list[str]) -> int | None:  # type: ignore[no-untyped-def]
    """Tokens the model reads for these passages: the load-independent cost of embedding them."""
    count = getattr(getattr(embedder, "_model", None), "token_count", None)
    return sum(count(t) for t in texts) if count else None


def _recursive_split(
    text: str, size: int, overlap: int, seps: tuple[str, ...] = ("\n\n", "\n", "。", " ", "")
) -> list[str]:
    if len(text) <= size:
        return [text] if text.strip() else []
    sep = next((s for s in seps if s and s in text), "")
    parts = text.split(sep) if sep else [text[i : i + size] for i in range(0, len(text), size - overlap)]
    out, cur = [], ""
    for p in parts:
        if len(cur) + len(p) + len(sep) > size and cur:
            out.append(cur)
            cur = cur[-overlap:] if overlap else ""
        cur = f"{cur}{sep}{p}" if cur else p
    if cur.strip():
        out.append(cur)
    return [
        x
        for piece in out
        for x in (
            _recursive_split(piece, size, overlap, seps[1:]) if len(piece) > size and seps[1:] else [piece]
        )
    ]


class ReuseEmbeddings:
    """Real embeddings, computed once per text shape (digits → 0, generated place names → 某)."""

    def __init__(self, inner, places: list[str]) -> None:  # type: ignore[no-untyped-def]
        self.inner = inner
        self.identity = f"{getattr(inner, 'identity', 'model')}-bench-reuse"
        self.places = re.compile("|".join(map(re.escape, sorted(places, key=len, reverse=True))))
        self.memo: dict[str, list[float]] = {}

    def _key(self, text: str) -> str:
        return self.places.sub("某", re.sub(r"\d+(?:\.\d+)?", "0", text))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        keys = [self._key(t) for t in texts]
        todo = {k: t for k, t in zip(keys, texts) if k not in self.memo}
        if todo:
            self.memo.update(zip(todo, self.inner.embed_documents(list(todo.values()))))
        return [self.memo[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def latency(store, vectors, queries, label: str) -> None:  # type: ignore[no-untyped-def]
    for q, agency, year in queries:  # warm: BM25 per filter set built, model and Chroma hot
        search(store, vectors, q, agency=agency, year=year, k=5)
    times = []
    for q, agency, year in queries:
        t = time.perf_counter()
        search(store, vectors, q, agency=agency, year=year, k=5)
        times.append((time.perf_counter() - t) * 1000)
    print(
        f"{label:<44} n={len(times):<4} p50 {pct(times, 50):7.1f} ms   p95 {pct(times, 95):7.1f} ms   max "
        f"{max(times):7.1f} ms"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=int, default=1000, help="corpus size for the search benchmark")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument(
        "--compare-reports",
        type=int,
        default=25,
        help="reports ingested by both pipelines with the real model",
    )
    ap.add_argument(
        "--full-embed", action="store_true", help="embed every chunk of the big corpus with the model"
    )
    ap.add_argument("--embed-model", default=None)
    ap.add_argument("--keep", type=Path, default=None, help="work in this directory and keep it")
    args = ap.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="xxgk-bench-"))
    (work / "corpus").mkdir(parents=True, exist_ok=True)
    try:
        files = generate(work / "corpus", args.reports)
        size = sum(p.stat().st_size for p, _, _ in files)
        print(
            f"corpus: {len(files)} generated reports, {size / 1e6:.1f} MB, {len({a for _, a, _ in files})} "
            "agencies"
        )
        embedder = make_embedder(args.embed_model)
        print(f"embedder: {getattr(embedder, 'identity', type(embedder).__name__)}")

        if args.compare_reports:
            sub = files[: args.compare_reports]
            r = ours(sub, work / "cmp-ours", embedder)
            st = r["sync"]
            print(
                f"[compare, {len(sub)} reports] ours: read+extract+chunk+store {r['read_s']:.1f} s; "
                f"{st.added} chunks "
                f"embedded into Chroma in {st.seconds:.1f} s = {st.added / max(st.seconds, 1e-9):.2f} "
                "chunks/s; "
                f"total {r['total_s']:.1f} s"
            )
            our_texts = [index_text(c) for c in r["store"].chunks()]
            r["store"].close()
            lc = langchain_baseline(sub, work / "cmp-langchain", embedder)
            print(
                f"[compare, {len(sub)} reports] langchain ({lc['splitter']}): {lc['chunks']} chunks, "
                f"{lc['chars'] / 1e6:.2f} M chars; total {lc['total_s']:.1f} s = "
                f"{lc['chunks'] / lc['total_s']:.2f} chunks/s"
            )
            print(f"ratio of ingest time, ours / langchain: {r['total_s'] / lc['total_s']:.2f}")
            ta, tb = model_tokens(embedder, our_texts), model_tokens(embedder, lc["texts"])
            if ta and tb:
                print(
                    f"model tokens embedded, ours / langchain: {ta} / {tb} = {ta / tb:.2f} (independent of "
                    "machine load)"
                )

        places = sorted({p.name.split("_")[1][:2] for p, _, _ in files})
        scale_embedder = embedder if args.full_embed else ReuseEmbeddings(embedder, places)
        r = ours(files, work / "scale", scale_embedder)
        st = r["sync"]
        note = (
            ""
            if args.full_embed
            else f" (vectors reused by text shape: {len(scale_embedder.memo)} computed by the model)"
        )
        print(
            f"[scale, {len(files)} reports] read+extract+chunk+store {r['read_s']:.1f} s; {st.added} chunks "
            "into Chroma "
            f"in {st.seconds:.1f} s{note}"
        )
        store, vectors = r["store"], r["vectors"]
        rng = random.Random(11)
        picks = [rng.choice(files) for _ in range(args.queries)]
        filtered = [(rng.choice(QUESTIONS).format(agency=a, year=y), a, y) for _, a, y in picks]
        t = time.perf_counter()
        candidates(store)  # the unfiltered BM25 index, built once
        print(
            f"BM25 index over all {len(store.chunks())} chunks (tokenising included) built in "
            f"{time.perf_counter() - t:.2f} s"
        )
        latency(store, vectors, filtered, "hybrid, agency+year filter (warm)")
        latency(store, None, filtered, "BM25 only, agency+year filter (warm)")
        latency(
            store, vectors, [(q, None, y) for q, _, y in filtered[:50]], "hybrid, year filter only (warm)"
        )
        latency(store, vectors, [(q, None, None) for q, _, _ in filtered[:50]], "hybrid, no filter (warm)")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
