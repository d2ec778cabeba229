"""Where the Telegram bot's answers come from, and the answers it remembers.

Every text message is a question for the same `answer()` the CLI uses. It runs in a worker thread
(`asyncio.to_thread`) so the event loop keeps polling and replying; each worker thread opens its
own `Store` on `<data_dir>/facts.sqlite` (an sqlite3 connection may only be used by the thread
that opened it), while passage search (BM25 indexes, the embedding model) is shared by all.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from .model import Answer
from .tg_settings import Settings

log = logging.getLogger("xxgk.telegram")
KEPT = 5000  # answers (and chats) remembered for the Sources button, /source and /chart


class _SharedChunks:
    """The passage-search view of the store, one object for all worker threads.

    index.retrieve caches BM25 indexes per store object; handing it each thread's own Store would
    build every index once per thread. This object reads through the calling thread's Store, and
    its fingerprint (the stored documents and when each was written; chunks change only with them)
    is the same from every connection, so each index is built once and shared (BM25 scoring only reads it).
    """

    def __init__(self, store: Callable[[], Any]) -> None:
        self._store = store

    def chunks(self, agency: str | None = None, year: int | None = None) -> Any:
        return self._store().chunks(agency=agency, year=year)

    def fingerprint(self) -> Any:
        return self._store().fingerprint()


class _SharedVectors:
    """One vector store (and embedding model) for all worker threads, queried one at a time."""

    def __init__(self, vectors: Any) -> None:
        self._vectors, self._lock = vectors, threading.Lock()

    def query(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return self._vectors.query(*args, **kwargs)


class Answering:
    """`xxgk ask`'s answer() for the bot's worker threads: a Store per thread, one search for all."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._local = threading.local()
        self._vectors: Any = None
        self._chunks = _SharedChunks(self.store)
        self._vectors_lock = threading.Lock()
        self._vectors_tried = False

    def store(self) -> Any:
        """This thread's Store (sqlite3 connections are per thread)."""
        st = getattr(self._local, "store", None)
        if st is None:
            from index.store import Store, location

            location_ = location(self.settings.data_dir, self.settings.db_url)
            st = self._local.store = Store(location_, readonly=True)
        return st

    def answer(self, question: str, store: Any) -> Answer:
        """What `xxgk ask` does: answer() with the same passage search (this thread's store,
        shared vectors)."""
        from .answer import answer
        from .compose import (
            compose,  # the optional LLM's wording, guarded; a no-op without XXGK_LLM
        )

        if not self.settings.search:
            return compose(answer(question, store), store, None)
        from index.retrieve import search

        vectors = self.open_vectors()

        def find(q: str, agency: str | None, year: int | None, k: int) -> list[Any]:
            return search(self._chunks, vectors, q, agency, year, k)

        return compose(answer(question, store, search=find), store, find)

    def warm_up(self) -> None:
        """Load what the first answer would otherwise wait for (imports, tokenizer dictionaries)."""
        t0 = time.perf_counter()
        try:
            from .answer import answer

            answer("2020", self.store())
            if self.settings.search:
                import index.retrieve  # noqa: F401
                from index.lexical import tokenize

                tokenize("政府信息公开工作年度报告")  # loads the tokenizer's dictionary
                self.open_vectors()  # the embedding model, when the data dir has embeddings
        except Exception as e:  # only a warm-up; the real question will report real problems
            log.debug("warm-up: %s: %s", type(e).__name__, e)
        log.debug("warm-up took %.0f ms", (time.perf_counter() - t0) * 1000)

    def open_vectors(self) -> Any:
        with self._vectors_lock:
            if not self._vectors_tried:
                self._vectors_tried = True
                s = self.settings
                if s.chroma_url or (s.data_dir / "chroma").exists():
                    try:
                        from index.vectors import open_vectors

                        self._vectors = _SharedVectors(open_vectors(s.data_dir, s.embed_model, s.chroma_url))
                    except Exception as e:  # BM25 alone still finds passages
                        log.warning("passage search without embeddings (%s: %s)", type(e).__name__, e)
            return self._vectors


class AnswerMemory:
    """The answers a Sources button, /source and /chart refer to: the last KEPT, and each chat's last."""

    def __init__(self) -> None:
        self._answers: OrderedDict[int, tuple[int, Answer]] = OrderedDict()  # answer id → (chat, answer)
        self._last: OrderedDict[int, int] = OrderedDict()  # chat → last answer id
        self._next_id = 1

    def remember(self, chat_id: int, a: Answer) -> int:
        aid = self._next_id
        self._next_id += 1
        self._answers[aid] = (chat_id, a)
        while len(self._answers) > KEPT:
            self._answers.popitem(last=False)
        self._last[chat_id] = aid
        self._last.move_to_end(chat_id)
        while len(self._last) > KEPT:
            self._last.popitem(last=False)
        return aid

    def get(self, aid: int, chat_id: int) -> Answer | None:
        """Answer `aid` if it is still kept and was given in this chat."""
        found = self._answers.get(aid)
        return found[1] if found is not None and found[0] == chat_id else None

    def last(self, chat_id: int) -> Answer | None:
        aid = self._last.get(chat_id)
        return self.get(aid, chat_id) if aid is not None else None
