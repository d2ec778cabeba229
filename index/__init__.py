"""index: stores what ingest extracted and finds it again. It never parses or answers.

Public pieces:
- `store.Store(path, readonly=False)`: the facts store, a SQLite file or a `postgresql://` URL (`pg.py`)
  (`put(report)`, `facts()`, `checks()`, `chunks()`, `documents()`); `StoreError` says why it cannot be
  opened or written; `store.location(data_dir, db_url)` is where a data dir's facts are
- `load.writer_lock(data_dir, notify)`: one ingest at a time per data dir
- `load.load_paths(store, paths)`: files and folders → store, one transaction per document
- `vectors.open_vectors(data_dir)` / `vectors.sync(store, vectors)`: chunk embeddings in Chroma
- `retrieve.search(store, vectors, query, agency, year, k)`: hybrid BM25 + dense passages
"""
