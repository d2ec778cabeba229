"""Chroma as the vector store of chunk embeddings, kept equal to the SQLite store by `sync`.

Why sync by id difference: the SQLite store is the truth; Chroma is a derived cache. Embedding
the ids Chroma lacks and deleting the ids the store no longer has is idempotent, so an
interrupted run (Ctrl-C halfway through a national corpus) is finished by running it again,
with no duplicates and no re-embedding of what was done.

Chroma never embeds anything itself (`embedding_function=None`; vectors are always passed in)
and its telemetry is off. One collection per embedding model (`index.embed.collection_name`).
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings

from .embed import collection_name, make_embedder, model_identity

EMBED_BATCH = 32
WRITE_BATCH = 1000


class ChunkLike(Protocol):
    id: str
    doc_id: str
    agency: str | None
    year: int | None
    section: str
    line_start: int
    line_end: int
    kind: str
    text: str


class ChunkSource(Protocol):
    def chunks(self, agency: str | None = None, year: int | None = None) -> Sequence[ChunkLike]: ...


def index_text(c: ChunkLike) -> str:
    """What represents a chunk in both indexes: a context line (agency, year, section) and the
    chunk. Why: most paragraphs never name their agency or year ("我局", "全年") while questions
    do, and the section title says what a paragraph is about. Measured on the sample questions,
    the context line lifts dense recall@5 from 18/28 to 26/28."""
    head = " ".join(x for x in (c.agency or "", f"{c.year}年" if c.year else "", c.section or "") if x)
    return f"{head}\n{c.text}" if head else c.text


_YEAR = re.compile(r"(?:19|20)\d\d\s*年")


def template_form(c: ChunkLike) -> str:
    """The chunk's text without its own agency's name and years: the form a template sentence (a legal
    citation, a fixed heading, "无") takes in every report that repeats it."""
    text = c.text.replace(c.agency, "") if c.agency else c.text
    return _YEAR.sub("年", text)


def embedded_texts(chunks: Sequence[ChunkLike]) -> dict[str, str]:
    """Chunk id → the text its vector is made from. Text that two or more reports share once their own
    names and years are taken out is boilerplate: one vector of that shared form (under its section)
    serves them all, embedded once. Why: such a vector cannot tell reports apart anyway (the agency
    and year filters do, before ranking), and template text is most of what a large corpus repeats.
    Every other chunk is embedded with its context line (`index_text`)."""
    docs: dict[str, set[str]] = {}
    for c in chunks:
        docs.setdefault(template_form(c), set()).add(c.doc_id)
    out = {}
    for c in chunks:
        form = template_form(c)
        shared = len(docs[form]) > 1
        out[c.id] = (f"{c.section}\n{form}" if c.section else form) if shared else index_text(c)
    return out


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class SyncStats:
    added: int = 0
    removed: int = 0
    kept: int = 0
    embedded_texts: int = 0  # distinct texts actually sent to the model
    seconds: float = 0.0


class Vectors:
    """One Chroma collection holding one model's vectors of the store's chunks."""

    def __init__(self, client: Any, embedder: Embeddings) -> None:
        self.client = client
        self.embedder = embedder
        self.identity = model_identity(embedder)
        self.name = collection_name(self.identity)
        self.collection = client.get_or_create_collection(
            self.name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"model": self.identity},
        )

    def count(self) -> int:
        return int(self.collection.count())

    def existing(self) -> dict[str, str]:
        """id → text hash of every stored vector (paged: a national corpus is large)."""
        out: dict[str, str] = {}
        total = self.count()
        for offset in range(0, total, 5000):
            got = self.collection.get(include=["metadatas"], limit=5000, offset=offset)
            for i, m in zip(got["ids"], got["metadatas"] or [{}] * len(got["ids"])):
                out[i] = str((m or {}).get("h", ""))
        return out

    def add(
        self,
        chunks: Sequence[ChunkLike],
        embeddings: Sequence[Sequence[float]],
        texts: Sequence[str] | None = None,
    ) -> None:
        """`texts`: what each vector was made from (default: the chunk's `index_text`)."""
        if not chunks:
            return
        texts = texts or [index_text(c) for c in chunks]
        self.collection.upsert(
            ids=[c.id for c in chunks],
            embeddings=[list(e) for e in embeddings],
            metadatas=[_metadata(c, t) for c, t in zip(chunks, texts)],
            documents=[c.text for c in chunks],
        )

    def embeddings_of(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """Stored vectors by chunk id (paged)."""
        out: dict[str, list[float]] = {}
        for s in range(0, len(ids), WRITE_BATCH):
            got = self.collection.get(ids=list(ids[s : s + WRITE_BATCH]), include=["embeddings"])
            out.update((i, list(e)) for i, e in zip(got["ids"], got["embeddings"]))
        return out

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        for s in range(0, len(ids), WRITE_BATCH):
            self.collection.delete(ids=ids[s : s + WRITE_BATCH])

    def query(
        self,
        text: str,
        k: int = 20,
        agency: str | None = None,
        year: int | None = None,
        allowed_ids: set[str] | None = None,
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) best first, among the chunks of `agency`/`year` only.
        The filter is applied by Chroma before ranking (metadata `where`, the same equality the
        store's filter uses); `allowed_ids`, when given, is a second guard applied after."""
        stored = self.count()
        n = min(k, stored)
        if n <= 0:  # nothing embedded yet (ingested with --no-embed): the caller falls back to BM25
            return []
        kwargs: dict[str, Any] = {}
        where = _where(agency, year)
        if where:
            kwargs["where"] = where
        res = self.collection.query(
            query_embeddings=[self.embedder.embed_query(text)], n_results=n, include=["distances"], **kwargs
        )
        out = []
        for cid, dist in zip(res["ids"][0], res["distances"][0]):
            if allowed_ids is None or cid in allowed_ids:
                out.append((cid, 1.0 - float(dist)))
        # Reports sharing a boilerplate vector tie exactly: their order is the chunk ids', not the index's
        return sorted(out, key=lambda x: (-round(x[1], 6), x[0]))


def _metadata(c: ChunkLike, text: str) -> dict[str, Any]:
    m = {
        "doc_id": c.doc_id,
        "agency": c.agency,
        "year": c.year,
        "section": c.section,
        "line_start": c.line_start,
        "line_end": c.line_end,
        "kind": c.kind,
        "h": text_hash(text),
    }
    return {k: v for k, v in m.items() if v is not None}


def _where(agency: str | None, year: int | None) -> dict[str, Any] | None:
    parts: list[dict[str, Any]] = []
    if agency:
        parts.append({"agency": agency})
    if year:
        parts.append({"year": int(year)})
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"$and": parts}


# ------------------------------------------------------------------ opening


def open_client(location: str | Path) -> Any:
    """`http(s)://host:port` → a Chroma server; anything else is a data dir holding `chroma/`."""
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    loc = str(location)
    if loc.startswith(("http://", "https://")):
        u = urlparse(loc)
        return chromadb.HttpClient(
            host=u.hostname or "localhost",
            port=u.port or (443 if u.scheme == "https" else 8000),
            ssl=u.scheme == "https",
            settings=settings,
        )
    path = Path(loc) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def open_vectors(
    data_dir: str | Path,
    embed_model: str | None = None,
    chroma_url: str | None = None,
    embedder: Embeddings | None = None,
) -> Vectors:
    """The vector store for a data dir (or a Chroma server), for the default or a local model."""
    return Vectors(open_client(chroma_url or data_dir), embedder or make_embedder(embed_model))


# ------------------------------------------------------------------ sync


def sync(
    store: ChunkSource, vectors: Vectors, progress: bool = True, batch_size: int = EMBED_BATCH
) -> SyncStats:
    """Make the collection hold exactly the store's chunks: embed what is missing (or changed),
    delete what is gone. A text already embedded (boilerplate shared with stored reports) is not
    embedded again: its stored vector is reused. Each batch is written as soon as it is embedded."""
    import time

    from tqdm import tqdm

    t0 = time.perf_counter()
    chunks = store.chunks()
    want = {c.id: c for c in chunks}
    texts = embedded_texts(chunks)
    hashes = {cid: text_hash(t) for cid, t in texts.items()}
    have = vectors.existing()
    stale = [cid for cid, h in have.items() if cid not in want or h != hashes[cid]]
    vectors.delete(stale)
    missing = [c for c in chunks if c.id not in have or have[c.id] != hashes[c.id]]
    stats = SyncStats(
        added=len(missing), removed=sum(1 for s in stale if s not in want), kept=len(want) - len(missing)
    )

    by_text: dict[str, list[ChunkLike]] = {}
    for c in missing:
        by_text.setdefault(texts[c.id], []).append(c)
    kept = {h: cid for cid, h in have.items() if cid in want and h == hashes[cid]}
    donors = {t: kept[text_hash(t)] for t in by_text if text_hash(t) in kept}
    reused = vectors.embeddings_of(list(donors.values()))
    todo = [t for t in by_text if donors.get(t) not in reused]
    stats.embedded_texts = len(todo)
    bar = tqdm(
        total=len(missing),
        desc="embedding",
        unit="chunk",
        file=sys.stderr,
        disable=not progress or not missing,
    )

    def write(batch: list[str], vecs: Sequence[Sequence[float]]) -> None:
        group = [(c, v, t) for t, v in zip(batch, vecs) for c in by_text[t]]
        vectors.add([c for c, _, _ in group], [v for _, v, _ in group], [t for _, _, t in group])
        bar.update(len(group))

    try:
        done = [t for t in by_text if donors.get(t) in reused]
        for s in range(0, len(done), WRITE_BATCH):
            write(done[s : s + WRITE_BATCH], [reused[donors[t]] for t in done[s : s + WRITE_BATCH]])
        for s in range(0, len(todo), batch_size):
            write(todo[s : s + batch_size], vectors.embedder.embed_documents(todo[s : s + batch_size]))
    finally:
        bar.close()
    stats.seconds = time.perf_counter() - t0
    return stats
