"""Hybrid passage search: BM25 and dense ranks fused by reciprocal rank fusion.

Why RRF: BM25 scores and cosine similarities live on different scales; ranks do not, and RRF
needs no tuning to be robust. Both sides rank exactly the same candidate set — the store's
chunks for the agency/year filter — so a filtered question can never surface another county's
or another year's passage from either side. Without vectors (not embedded yet, `--no-embed`)
the search is BM25 only.

BM25 indexes are built lazily, one per filter set, and cached per store until the store changes
(sqlite's data_version + the connection's own change count); chunk tokens are cached by id, so a
new filter set costs only the BM25 build, not re-tokenising.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from .lexical import LexicalIndex, chinese_hints, tokenize
from .vectors import ChunkLike, ChunkSource, Vectors, index_text

RRF_K = 60
CANDIDATES = 30  # per side, before fusion
MAX_FILTER_SETS = 512


@dataclass
class Passage:
    score: float  # fused RRF score (higher is better)
    agency: str | None
    year: int | None
    doc_id: str
    document: str  # file name
    section: str
    line_start: int
    line_end: int
    text: str
    kind: str
    id: str
    lexical_rank: int | None = None  # 1-based, None when the side did not return it
    dense_rank: int | None = None


@dataclass
class _Entry:
    chunks: list[ChunkLike]
    by_id: dict[str, ChunkLike]
    ids: set[str]
    lexical: LexicalIndex


class _StoreCache:
    def __init__(self) -> None:
        self.fingerprint: Any = None
        self.tokens: dict[str, list[str]] = {}  # index text → tokens
        self.sets: OrderedDict[tuple[str | None, int | None], _Entry] = OrderedDict()
        self.lock = threading.Lock()


_CACHES: WeakKeyDictionary[Any, _StoreCache] = WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def _fingerprint(store: Any) -> Any:
    """Changes whenever any connection commits to the store's database."""
    db = getattr(store, "db", None)
    if db is None:
        fp = getattr(store, "fingerprint", None)
        return fp() if callable(fp) else None
    try:
        return (db.execute("PRAGMA data_version").fetchone()[0], db.total_changes)
    except Exception:  # a closed or foreign connection: no caching beyond this call
        return object()


def candidates(store: ChunkSource, agency: str | None = None, year: int | None = None) -> _Entry:
    """The filtered chunk set with its BM25 index, built once per filter set and store state."""
    with _CACHES_LOCK:
        cache = _CACHES.get(store)
        if cache is None:
            cache = _StoreCache()
            _CACHES[store] = cache
    key = (agency or None, year or None)
    with cache.lock:
        fp = _fingerprint(store)
        if fp != cache.fingerprint:
            cache.fingerprint = fp
            cache.sets.clear()
        entry = cache.sets.get(key)
        if entry is not None:
            cache.sets.move_to_end(key)
            return entry
        chunks = list(store.chunks(agency=key[0], year=key[1]))
        tokens = []
        for c in chunks:
            text = index_text(c)  # agency and year are part of it: a re-ingest with --agency changes it
            t = cache.tokens.get(text)
            if t is None:
                t = tokenize(text)
                cache.tokens[text] = t
            tokens.append(t)
        names = {c.agency for c in chunks if c.agency}
        by_id = {c.id: c for c in chunks}
        entry = _Entry(
            chunks, by_id, set(by_id), LexicalIndex.build([c.id for c in chunks], tokens, sorted(names))
        )
        cache.sets[key] = entry
        while len(cache.sets) > MAX_FILTER_SETS:
            cache.sets.popitem(last=False)
        return entry


def invalidate(store: Any) -> None:
    """Drop the cached indexes of a store (tests, or after writing through another handle)."""
    with _CACHES_LOCK:
        _CACHES.pop(store, None)


def search(
    store: ChunkSource,
    vectors: Vectors | None,
    query: str,
    agency: str | None = None,
    year: int | None = None,
    k: int = 5,
) -> list[Passage]:
    """Ranked passages for a question, restricted to one agency and/or year when given."""
    entry = candidates(store, agency, year)
    if not entry.chunks or not query.strip():
        return []
    n = max(CANDIDATES, 4 * k)
    lexical = entry.lexical.search(query, n)
    dense: list[tuple[str, float]] = []
    if vectors is not None:
        hints = chinese_hints(query, entry.lexical.pinyin)
        dense_query = f"{query} ({hints})" if hints else query
        dense = vectors.query(dense_query, n, agency=agency or None, year=year or None, allowed_ids=entry.ids)
    return fuse(entry.by_id, lexical, dense, k)


def fuse(
    by_id: dict[str, ChunkLike],
    lexical: Sequence[tuple[str, float]],
    dense: Sequence[tuple[str, float]],
    k: int,
) -> list[Passage]:
    """Reciprocal rank fusion of two ranked id lists."""
    scores: dict[str, float] = {}
    lex_rank = {cid: r for r, (cid, _) in enumerate(lexical, 1)}
    den_rank = {cid: r for r, (cid, _) in enumerate(dense, 1)}
    for ranks in (lex_rank, den_rank):
        for cid, r in ranks.items():
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (RRF_K + r)
    order = sorted(scores, key=lambda cid: (-scores[cid], lex_rank.get(cid, 10**9), den_rank.get(cid, 10**9)))
    out = []
    for cid in order[:k]:
        c = by_id[cid]
        out.append(
            Passage(
                score=round(scores[cid], 6),
                agency=c.agency,
                year=c.year,
                doc_id=c.doc_id,
                document=str(getattr(c, "document", "") or ""),
                section=c.section,
                line_start=c.line_start,
                line_end=c.line_end,
                text=c.text,
                kind=c.kind,
                id=c.id,
                lexical_rank=lex_rank.get(cid),
                dense_rank=den_rank.get(cid),
            )
        )
    return out
