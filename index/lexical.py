"""BM25 over Chinese tokens (jieba search-mode cuts, scored by bm25s).

Why lexical next to dense: numbers, place names and template phrases (`432条`, `霍邱`,
`不予公开`) are exact strings that a small embedding model blurs. Why bm25s's Lucene variant:
its idf stays positive for a term found in half the documents (the classic Robertson idf goes to
zero or below there, and in a corpus of one template, half the chunks share most words).

English questions get a little help: vocabulary words (`applications`, `refused`, …: the tables' rows, the
figures' glossary and the search words of ingest/vocab.toml) and the pinyin of the place names in the
indexed set (`Xiayi` → 夏邑) are added as Chinese tokens.

Why jieba and not rjieba (jieba-rs), measured 2026-12-01 on 12,909 lines (real openings + generated
reports), same added words: rjieba cuts 10× faster (0.64 s vs 6.2 s) but its tokens differ on 204
lines (phone numbers `0851-87221110`, URLs, file ids kept whole), which changes what BM25 matches.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

_WORD = re.compile(r"[0-9a-zA-Z]+(?:\.[0-9]+)?|[\u4e00-\u9fff]")
_ASCII_WORD = re.compile(r"[a-z][a-z'-]+")
_STOP = set(
    "的 了 和 与 及 或 在 是 为 对 等 将 把 被 由 从 以 之 其 我 你 他 她 它 这 那 有 也 都 并 而 于 中 上 "
    "下 个".split()
) | {
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "for",
    "to",
    "and",
    "or",
    "is",
    "are",
    "was",
    "were",
    "did",
    "do",
    "does",
    "how",
    "many",
    "much",
    "what",
    "which",
    "who",
    "when",
    "where",
    "why",
    "its",
    "it",
    "by",
    "with",
    "at",
    "from",
    "this",
    "that",
    "there",
    "their",
    "has",
    "have",
    "had",
    "be",
    "been",
    "any",
}

log = logging.getLogger(__name__)
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _tokenizer() -> Any:  # a jieba.Tokenizer (jieba ships no types)
    """A private jieba tokenizer (the global one may carry other modules' words), with the
    report vocabulary added so that template phrases stay whole as well as cut."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    for w in (
        "依申请",
        "依申请公开",
        "予以公开",
        "部分公开",
        "不予公开",
        "无法提供",
        "不予处理",
        "其他处理",
        "行政复议",
        "行政诉讼",
        "主动公开",
        "政务公开",
        "政府信息公开",
        "上年结转",
        "结转下年度",
        "本年新收",
        "政务新媒体",
        "规范性文件",
        "政府集中采购",
        "行政事业性收费",
        "公众号",
    ):
        tk.add_word(w, freq=20000)
    return tk


def tokenize(text: str) -> list[str]:
    """Search-mode cuts (both `霍邱县` and `霍邱`), lower-cased, without punctuation/stop words."""
    with _lock:  # jieba's tokenizer is not thread-safe while it loads
        tk = _tokenizer()
    out = []
    for tok in tk.cut_for_search(text):
        t = tok.strip().lower()
        if t and t not in _STOP and _WORD.match(t):
            out.append(t)
    return out


def pinyin_names(names: Sequence[str]) -> dict[str, list[str]]:
    """Toneless pinyin of the place-like words in agency names → the Chinese words."""
    try:
        from pypinyin import lazy_pinyin
    except ImportError:  # optional help only
        return {}
    out: dict[str, list[str]] = {}
    for name in names:
        for w in tokenize(name):
            if len(w) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in w):
                key = "".join(lazy_pinyin(w))
                out.setdefault(key, [])
                if w not in out[key]:
                    out[key].append(w)
    return out


@lru_cache(maxsize=1)
def _glossary() -> tuple[list[tuple[re.Pattern[str], list[str]]], dict[str, str]]:
    """English → Chinese search words: the figures' glossary the bot reads (vocab.toml [glossary], one
    copy of that knowledge; a phrase also in the plural), and the words that only help search
    ([search_en]: problems, measures, bureau)."""
    from ingest.vocab import load

    v = load()
    phrases = [
        (
            re.compile(rf"(?<![a-z]){re.escape(en.lower())}(?:s|es)?(?![a-z])"),
            [x for z in zh for x in z.split("|")],
        )
        for en, zh in v.tables["glossary"].items()
    ]
    return phrases, dict(v.tables["search_en"])


@lru_cache(maxsize=1)
def _vocab_en() -> list[tuple[str, list[str]]]:
    """English phrases of the table vocabulary → Chinese labels and synonyms."""
    try:
        from ingest.vocab import label_key, load
    except ImportError:
        return []
    v = load()
    out = []
    for name, table in v.tables.items():
        if not isinstance(table, dict):
            continue
        for e in v.rows(name) + v.columns(name):
            zh = [label_key(e.label)] + list(e.zh)
            for phrase in e.en:
                out.append((phrase.lower(), zh))
    out.sort(key=lambda x: -len(x[0]))
    return out


def query_tokens(query: str, pinyin: dict[str, list[str]] | None = None) -> list[str]:
    """Tokens of a question; English words also bring their Chinese counterparts."""
    tokens = tokenize(query)
    low = query.lower()
    if not re.search(r"[a-z]{3,}", low):
        return tokens
    extra: list[str] = []
    places: list[str] = []
    for phrase, zh in _vocab_en():
        if re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", low):
            for z in zh[:2]:
                extra.extend(tokenize(z))
    glossary, search_words = _glossary()
    for pattern, zh in glossary:
        if pattern.search(low):
            for z in zh:
                extra.extend(tokenize(z))
    for w in _ASCII_WORD.findall(low):
        if w in search_words:
            extra.extend(tokenize(search_words[w]))
        if pinyin and w in pinyin:
            for z in pinyin[w]:
                places.extend(tokenize(z))
    # each added word once (a phrase matched by several synonyms must not outweigh the rest);
    # a place name twice: in a question it is the most selective word
    seen = set(tokens)
    uniq = [t for t in dict.fromkeys(extra + places) if t not in seen]
    return tokens + uniq + list(dict.fromkeys(places))


def chinese_hints(query: str, pinyin: dict[str, list[str]] | None = None) -> str:
    """The Chinese words an English question maps to (`Huoqiu … proactively` → `霍邱 主动公开`);
    empty for a Chinese question. Why: a small multilingual embedding model matches English to
    Chinese only loosely; the dense side gets these words appended to the question."""
    if not re.search(r"[a-zA-Z]{3,}", query):
        return ""
    own = set(tokenize(query))
    words = [t for t in query_tokens(query, pinyin) if t not in own and not t.isascii()]
    # longest first, and no word that is part of one already taken (`主动` inside `主动公开`)
    kept: list[str] = []
    for w in sorted(dict.fromkeys(words), key=len, reverse=True):
        if not any(w in k for k in kept):
            kept.append(w)
    order = {w: i for i, w in enumerate(words)}
    return " ".join(sorted(kept, key=lambda w: order[w]))


@dataclass
class LexicalIndex:
    """BM25 over one fixed list of chunks (one filter set)."""

    ids: list[str]
    retriever: Any = None  # a bm25s.BM25 (bm25s ships no types), None for an empty index
    pinyin: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, ids: list[str], tokens: list[list[str]], names: Sequence[str] = ()) -> LexicalIndex:
        import bm25s

        retriever = None
        if ids:
            retriever = bm25s.BM25(method="lucene")
            retriever.index([t or ["∅"] for t in tokens], show_progress=False)
        return cls(ids, retriever, pinyin_names(sorted(set(names))))

    def search(self, query: str, k: int = 20) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) best first; chunks sharing no token with the query are left out."""
        if self.retriever is None:
            return []
        qt = query_tokens(query, self.pinyin)
        if not qt:
            return []
        scores = np.asarray(self.retriever.get_scores(qt))
        n = min(k, len(scores))
        top = np.argpartition(-scores, n - 1)[:n] if n < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]
