"""Parsing in worker processes, writing in this one: ingest throughput that grows with the cores.

Why one writer: the duplicate checks, split files, overrides and carry-over checks all read the store
as the documents before them left it, so documents are written in the order given, by the process
holding the writer lock. Workers only turn bytes into reports (`load.parse`), which needs no store.
Files whose bytes the store already decides (unchanged, copies) are not sent to a worker at all; the
writer decides every file again when its turn comes, so a worker's result is only ever a head start.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ingest import Report

    from .load import Labels, LoadResult, _File
    from .store import Store

AHEAD = 4  # files in flight per worker: enough to keep each busy, few enough to bound memory


class Progress(Protocol):
    """What ingest reports per file (a tqdm bar fits)."""

    def update(self, n: int = 1) -> object: ...
    def set_postfix_str(self, s: str = "", refresh: bool = True) -> object: ...
    def close(self) -> object: ...


def parsed_files(
    store: Store, files: list[Path], labels: Labels, jobs: int
) -> Iterator[tuple[Path, _File, list[Report] | LoadResult | None]]:
    """(path, its bytes, its reports or rejection) in the order given; None: the writer parses it."""
    from .load import _read, _skips_parsing, parse

    if jobs <= 1 or len(files) < 2:
        for path in files:
            yield path, _read(path), None
        return
    context = multiprocessing.get_context("fork")  # no fresh interpreter to start: the modules are loaded
    with ProcessPoolExecutor(
        min(jobs, len(files)), mp_context=context, initializer=_worker, initargs=(os.getpid(),)
    ) as pool:
        pending: deque[tuple[Path, _File, Future[list[Report] | LoadResult] | None]] = deque()
        todo = iter(files)
        window = AHEAD * jobs
        while True:
            for path in todo:
                f = _read(path)
                skip = f.failed is not None or _skips_parsing(store, f, labels)
                job = None if skip else pool.submit(parse, f.name, f.data, labels)
                pending.append((path, f, job))
                if len(pending) >= window:
                    break
            if not pending:
                return
            path, f, job = pending.popleft()
            yield path, f, _result(job)


def _result(job: Future[list[Report] | LoadResult] | None) -> list[Report] | LoadResult | None:
    if job is None:
        return None
    try:
        return job.result()
    except Exception:  # a worker died (killed, out of memory): the writer parses the file itself
        return None


def _worker(writer: int) -> None:
    """Ctrl-C is the writer's to handle: it stops between documents and the pool goes with it. A
    worker outlives no writer (killed with -9, it would keep the inherited ingest lock held)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # Linux; elsewhere the check below
    if os.getppid() != writer:
        os._exit(1)


_PR_SET_PDEATHSIG = 1
