"""Files and folders → the store, one document per transaction; bad files are named and skipped.

A file that cannot be read gets one line naming it and the reason, and the run goes on (`files.py`
says which files are read and how their names are printed).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import re
import sqlite3
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ingest import Document, ReadError, Report, extract, read_document
from ingest.script import reading
from ingest.split import refuse_pasted_pages, renumber, split_document

from .files import SUFFIXES, kind_of, read_capped, shown, why
from .pool import Progress, parsed_files
from .store import Store, StoreError


@dataclass
class LoadResult:
    path: str  # the stored document's name: the file, or `FILE#k`, the k-th report of a file holding several
    status: str  # added | replaced | unchanged | duplicate of … | rejected | skipped
    reason: str = ""
    doc_id: str = ""
    facts: int = 0
    failed_checks: int = 0
    warnings: list[str] = field(default_factory=list)
    file: str = ""  # the file it came from

    def __post_init__(self) -> None:
        self.file = self.file or self.path


# ------------------------------------------------------------------ finding the files


def expand(paths: list[str]) -> Iterator[Path | LoadResult]:
    """Files as given, and the report-like files inside folders (sorted, hidden ones skipped); what
    cannot be read in a folder comes out as a result: an unreadable subfolder is an error, a broken
    or looping link and a pipe or device are skipped with a warning."""
    for p in map(Path, paths):
        try:
            is_dir = stat.S_ISDIR(p.stat().st_mode)
        except OSError:
            is_dir = False  # load_file names the reason
        if is_dir:
            yield from _walk(p, set())
        else:
            yield p


def _walk(folder: Path, seen: set[tuple[int, int]]) -> Iterator[Path | LoadResult]:
    try:
        st = folder.stat()
        if (st.st_dev, st.st_ino) in seen:
            yield LoadResult(shown(folder), "skipped", "symbolic link loop (a folder already read)")
            return
        seen.add((st.st_dev, st.st_ino))
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        yield LoadResult(shown(folder), "rejected", f"folder cannot be read: {why(e)}")
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        try:
            st = path.stat()
        except OSError as e:
            if path.suffix.lower() in SUFFIXES or entry.is_symlink():
                reason = "broken symbolic link" if e.errno == errno.ENOENT else why(e)
                yield LoadResult(shown(path), "skipped", reason)
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path, seen)
        elif path.suffix.lower() not in SUFFIXES:
            continue
        elif stat.S_ISREG(st.st_mode):
            yield path
        else:
            yield LoadResult(shown(path), "skipped", f"{kind_of(st.st_mode)}, not a file")


# ------------------------------------------------------------------ one file


def load_file(
    store: Store, path: Path, agency: str | None = None, year: int | None = None, place: str | None = None
) -> list[LoadResult]:
    """One file → its report(s) in the store. More than one result when the file holds several reports."""
    return _write(store, _read(path), Labels(agency, year, place))


@dataclass(frozen=True)
class Labels:
    """--agency/--year/--place: what the user says of one file."""

    agency: str | None = None
    year: int | None = None
    place: str | None = None

    def __bool__(self) -> bool:
        return bool(self.agency or self.year or self.place)


@dataclass
class _File:
    """A file's bytes as read by the writer, or why they could not be read."""

    name: str
    data: bytes = b""
    sha256: str = ""
    failed: LoadResult | None = None


def _read(path: Path) -> _File:
    name = shown(path)
    try:
        data = read_capped(path)
    except OSError as e:
        return _File(name, failed=LoadResult(name, "rejected", why(e)))
    except ReadError as e:
        return _File(name, failed=LoadResult(name, "rejected", str(e)))
    return _File(name, data, hashlib.sha256(data).hexdigest())


def _skips_parsing(store: Store, f: _File, labels: Labels) -> bool:
    """The store already decides this file without its text: a copy, or the same bytes unrelabelled."""
    known = store.find_sha(f.sha256)
    return known is not None and (known[1] != f.name or not labels)


def parse(name: str, data: bytes, labels: Labels) -> list[Report] | LoadResult:
    """A file's bytes → its reports, or the rejection naming why. Needs no store: runs in any process."""
    try:
        refuse_pasted_pages(data)
        parts = split_document(read_document(name, data))
        reports = [_extract(part, offset, labels.agency, labels.year, labels.place) for part, offset in parts]
        _refuse_same_labels(reports, [offset + 1 for _, offset in parts])
    except OSError as e:
        return LoadResult(name, "rejected", why(e))
    except ReadError as e:
        return LoadResult(name, "rejected", str(e))
    except RecursionError:
        return LoadResult(name, "rejected", "structure nested too deeply to read")
    except Exception as e:  # a reader's own failure on a strange file: this file only, named, the run goes on
        return LoadResult(name, "rejected", f"cannot be read ({type(e).__name__}: {e})")
    return reports


def _write(
    store: Store, f: _File, labels: Labels, parsed: list[Report] | LoadResult | None = None
) -> list[LoadResult]:
    """The writer's half of a file: the duplicate decision against the store as it is now, then the
    reports (`parsed` by a worker, or parsed here when none was)."""
    if f.failed is not None:
        return [f.failed]
    known = store.find_sha(f.sha256)
    if known is not None and known[1] != f.name:  # another file's bytes: never relabelled
        return [_duplicate(store, f.name, known, relabel=bool(labels))]
    if known is not None and not labels:
        return [LoadResult(f.name, "unchanged", "", known[0])]
    reports = parse(f.name, f.data, labels) if parsed is None else parsed
    if isinstance(reports, LoadResult):
        return [reports]
    results = [_store(store, r, f.name, force=bool(labels)) for r in reports]
    stale = [p for p in store.paths_of(f.name) if p not in {r.path for r in results}]
    if stale:  # the file now holds fewer reports (or one instead of several): the others are no longer in it
        store.remove(stale)
    return results


def _duplicate(store: Store, name: str, known: tuple[str, str], relabel: bool) -> LoadResult:
    result = LoadResult(name, f"duplicate of {known[1]}", "", known[0])
    if relabel:
        result.warnings.append(
            f"--agency/--year not applied: they relabel only the file given; ingest {known[1]} with them"
        )
    gone = store.remove(store.paths_of(name))
    if gone:  # the file was overwritten with another file's bytes: what it held before is no longer in it
        labels = ", ".join(f"{d.agency or '?'} {d.year or '?'}" for d in gone)
        result.warnings.append(
            f"its previous report ({labels}) is removed from the store: the file no longer holds it"
        )
    return result


_SUBJECT = re.compile(r"信息公开|政务公开")


def _extract(
    doc: Document, offset: int, agency: str | None, year: int | None, place: str | None = None
) -> Report:
    """A report, or ReadError when the text is not one (each report of a file is judged on its own)."""
    report = extract(doc, agency=agency, year=year, place=place)
    renumber(report, offset)
    lines = reading(doc).lines  # 政府信息公開, 報告: traditional characters read as simplified
    part = f"report at line {offset + 1}: " if offset else ""
    cells = any(f.kind == "cell" for f in report.facts)
    numbers = [f for f in report.facts if f.value is not None or f.kind == "cell"]
    if not numbers and report.meta.agency is None and "报告" not in "".join(lines[:40]):
        raise ReadError(part + "no report found (no statistics tables, no agency, no 报告 heading)")
    if not cells and not _SUBJECT.search("".join("".join(lines).split())):
        raise ReadError(
            part + "not a 政府信息公开 report (no statistics tables; "
            "the text never mentions 政府信息公开 or 政务公开)"
        )
    text = sum(len(line.strip()) for line in doc.lines)
    if not report.facts:
        report.meta.warnings.append(
            f"no numbers at all ({text} characters of text): only a title, or the report's body is missing"
        )
    elif not cells:
        report.meta.warnings.append(
            "no statistics tables found (表二/表三/表四): only the numbers stated in the text are stored"
        )
    return report


def _refuse_same_labels(reports: list[Report], starts: list[int]) -> None:
    """Two reports of a file under one agency and year: one report's numbers under another's name."""
    labels = [(r.meta.agency, r.meta.year) for r in reports]
    for label in {x for x in labels if labels.count(x) > 1}:
        lines = ", ".join(str(n) for n, x in zip(starts, labels) if x == label)
        agency, year = label[0] or "(agency unknown)", label[1] or "(year unknown)"
        raise ReadError(
            f"holds {labels.count(label)} reports labelled {agency} {year} "
            f"(starting at lines {lines}): split the file, one report per file"
        )


def _store(store: Store, report: Report, name: str, force: bool) -> LoadResult:
    doc, meta = report.document, report.meta
    mine = set(store.paths_of(name))
    twins = (
        [
            d.name
            for d in store.documents(meta.agency, meta.year)
            if d.path not in mine and d.sha256 != doc.sha256
        ]
        if meta.agency and meta.year
        else []
    )
    if twins:  # recorded before the write, so the document keeps the warning
        meta.warnings.append(
            f"another report of {meta.agency} {meta.year} is stored ({', '.join(twins)}); "
            "answers read the copy with the most table cells"
        )
    if doc.path != name:
        meta.warnings.insert(0, f"this file holds several reports: stored as {doc.path}")
    status, doc_id = store.put(report, force=force)
    failed = sum(1 for c in report.checks if c.status == "FAIL")
    incomplete = [
        c.detail for c in report.checks if c.name == "completeness" and c.status != "PASS"
    ]  # tables cut off: say so now
    return LoadResult(
        doc.path, status, "", doc_id, len(report.facts), failed, meta.warnings + incomplete, name
    )


def load_paths(
    store: Store,
    paths: list[str],
    agency: str | None = None,
    year: int | None = None,
    progress: Callable[[int], Progress] | None = None,
    place: str | None = None,
    jobs: int = 1,
) -> list[LoadResult]:
    """Files and folders → the store, in order. `jobs` > 1 parses in that many worker processes while
    this one alone writes, one transaction per document, exactly as a single process would."""
    found = list(expand(paths))
    files = [f for f in found if isinstance(f, Path)]
    out = [f for f in found if isinstance(f, LoadResult)]
    labels = Labels(agency, year, place)
    bar = progress(len(files)) if progress else None
    facts = 0
    try:
        for path, f, parsed in parsed_files(store, files, labels, jobs):
            try:
                results = _write(store, f, labels, parsed)
            except (OSError, sqlite3.Error) as e:  # the store failed (disk full, read-only) on this file
                reason = why(e) if isinstance(e, OSError) else str(e)
                raise StoreError(
                    f"cannot write the store while storing {shown(path)} ({reason}); the files "
                    "before it are stored: free space or fix the data dir and run the same "
                    "command again"
                ) from None
            out.extend(results)
            if bar is not None:
                facts += sum(r.facts for r in results if r.status in ("added", "replaced"))
                bar.set_postfix_str(f"{facts} facts", refresh=False)
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return out


# ------------------------------------------------------------------ one writer at a time


@contextmanager
def writer_lock(data_dir: Path, notify: Callable[[str], None]) -> Iterator[None]:
    """Ingests into one data dir run one at a time: a second one says so and waits for the first."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        f = (data_dir / "ingest.lock").open("a+")
    except OSError as e:
        raise StoreError(f"cannot write to {shown(data_dir)}: {why(e)}") from None
    with f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip() or "?"
            notify(f"another ingest (pid {holder}) is writing to {shown(data_dir)}; waiting for it to finish")
            fcntl.flock(f, fcntl.LOCK_EX)
        f.seek(0)
        f.truncate()
        f.write(str(os.getpid()))
        f.flush()
        yield
