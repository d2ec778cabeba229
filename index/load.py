"""Files and folders → the store, one document per transaction; bad files are named and skipped."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ingest import ReadError, extract, read_document

from .store import Store

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".shtml", ".xhtml", ".jhtml", ".pdf", ".docx", ".doc", ".wps", ""}
MAX_BYTES = 20 * 1024 * 1024  # no real report is larger; a larger file is refused, not read


@dataclass
class LoadResult:
    path: str
    status: str  # added | replaced | unchanged | duplicate of … | rejected
    reason: str = ""
    doc_id: str = ""
    facts: int = 0
    failed_checks: int = 0
    warnings: list[str] = field(default_factory=list)


def expand(paths: list[str]) -> Iterator[Path]:
    """Files as given, and the report-like files inside folders (sorted, hidden ones skipped)."""
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts) and f.suffix.lower() in SUFFIXES:
                    yield f
        else:
            yield p


def load_file(store: Store, path: Path, agency: str | None = None, year: int | None = None) -> LoadResult:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ReadError(f"file too large ({path.stat().st_size // 1_000_000} MB > {MAX_BYTES // 1_000_000} MB); not a single report")
        data = path.read_bytes()
        known = store.find_sha(hashlib.sha256(data).hexdigest())
        if known is not None and not (agency or year):  # with overrides the same bytes are read again
            status = "unchanged" if known[1] == str(path) else f"duplicate of {known[1]}"
            return LoadResult(str(path), status, "", known[0])
        doc = read_document(path, data)
        report = extract(doc, agency=agency, year=year)
    except FileNotFoundError:
        return LoadResult(str(path), "rejected", "no such file")
    except IsADirectoryError:
        return LoadResult(str(path), "rejected", "is a directory")
    except PermissionError:
        return LoadResult(str(path), "rejected", "permission denied")
    except ReadError as e:
        return LoadResult(str(path), "rejected", str(e))
    numbers = [f for f in report.facts if f.value is not None or f.kind == "cell"]
    if not numbers and report.meta.agency is None and "报告" not in "".join(doc.lines[:40]):
        return LoadResult(str(path), "rejected", "no report found (no statistics tables, no agency, no 报告 heading)")
    if not any(f.kind == "cell" for f in report.facts) and not _SUBJECT.search("".join("".join(doc.lines).split())):
        return LoadResult(str(path), "rejected", "not a 政府信息公开 report (no statistics tables; the text never mentions 政府信息公开 or 政务公开)")
    meta = report.meta
    twins = [d.name for d in store.documents(meta.agency, meta.year) if d.path != str(path) and d.sha256 != doc.sha256] if meta.agency and meta.year else []
    if twins:  # recorded before the write, so the document keeps the warning
        meta.warnings.append(f"another report of {meta.agency} {meta.year} is stored ({', '.join(twins)}); answers read the copy with the most table cells")
    status, doc_id = store.put(report, force=bool(agency or year))
    failed = sum(1 for c in report.checks if c.status == "FAIL")
    incomplete = [c.detail for c in report.checks if c.name == "completeness" and c.status != "PASS"]  # say so at ingest
    return LoadResult(str(path), status, "", doc_id, len(report.facts), failed, report.meta.warnings + incomplete)


_SUBJECT = re.compile(r"信息公开|政务公开")


def load_paths(store: Store, paths: list[str], agency: str | None = None, year: int | None = None,
               progress: Callable[[Iterator[Path], int], Iterator[Path]] | None = None) -> list[LoadResult]:
    files = list(expand(paths))
    it: Iterator[Path] = progress(iter(files), len(files)) if progress else iter(files)
    return [load_file(store, f, agency, year) for f in it]
