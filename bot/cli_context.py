"""What every `xxgk` command shares: the data dir, and the stores opened on first use."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from collections.abc import Callable

    from index.store import Store
    from index.vectors import Vectors

    from .model import Answer


def default_data_dir() -> Path:
    if os.environ.get("XXGK_DATA_DIR"):
        return Path(os.environ["XXGK_DATA_DIR"])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "xxgk"


class Context:
    """What every command shares: the data dir, and the stores opened on first use."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._store: Store | None = None
        self._vectors: Vectors | None = None
        self.chroma_url: str | None = None
        self.db_url: str | None = None  # PostgreSQL instead of <data_dir>/facts.sqlite
        self.embed_model: str | None = None
        self.llm: str | None = None  # --llm; None: XXGK_LLM decides
        self.writable = False  # only `ingest` writes; the read commands never create or change anything

    @property
    def store(self) -> Store:
        if self._store is None:
            from index.store import Store, location

            self._store = Store(location(self.data_dir, self.db_url), readonly=not self.writable)
        return self._store

    def vectors(self) -> Vectors | None:
        """The vector store, opened (and the embedding model loaded) only when a search needs it."""
        if self._vectors is None and (self.chroma_url or (self.data_dir / "chroma").exists()):
            from index.vectors import open_vectors

            self._vectors = open_vectors(self.data_dir, self.embed_model, self.chroma_url)
        return self._vectors

    def search(self, query: str, agency: str | None, year: int | None, k: int) -> list[Any]:
        from index.retrieve import search

        return search(self.store, self.vectors(), query, agency, year, k)

    def answer(self, question: str, stream: Callable[[str], None] | None = None) -> Answer:
        from bot.answer import answer

        a = answer(question, self.store, search=self.search)
        # optional LLM wording (XXGK_LLM / --llm), number-guarded; unset: `a` as is
        from bot.compose import compose

        return compose(a, self.store, self.search, self.llm, stream)


def echo_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, default=str))
