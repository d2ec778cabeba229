"""ingest: report files → Documents → facts, checks and chunks. It never answers questions.

Public functions:
- `read_document(path, data=None) -> Document`  (raises `ReadError` naming the reason)
- `extract(doc, agency=None, year=None, place=None) -> Report`
- `carryover_check(earlier_facts, later_facts, years) -> list[Check]`
"""

from __future__ import annotations

from .checks import carryover_check, completeness, coverage, prose_checks, sign_checks, table_checks
from .meta import find_meta
from .model import Check, Chunk, Document, Fact, Meta, Report
from .narrative import narrative_checks
from .prose import extract_prose
from .readers import ReadError, read_document
from .script import as_printed, reading
from .tables import extract_tables

__all__ = [
    "read_document",
    "extract",
    "carryover_check",
    "ReadError",
    "Report",
    "Document",
    "Fact",
    "Check",
    "Chunk",
    "Meta",
]


def extract(
    doc: Document, agency: str | None = None, year: int | None = None, place: str | None = None
) -> Report:
    """Every number of one report as facts, the tables' checks, and retrieval chunks."""
    from .chunks import chunk  # chunking is the retrieval side's concern; kept out of import time

    text = reading(doc)  # a report printed in traditional characters is read as simplified
    tables = extract_tables(text, printed=doc)  # facts quote the lines as printed
    facts = tables.facts + extract_prose(text)
    meta = find_meta(doc, facts, agency, year, place)
    meta.warnings.extend(tables.notes)
    checks = (
        table_checks(facts)
        + prose_checks(facts)
        + narrative_checks(facts)
        + completeness(tables.t3_keys, tables.tables, meta.template)
    )
    checks += sign_checks(facts)
    checks.append(coverage(facts, tables.tables))
    _raw_as_printed(facts, doc, text)
    return Report(doc, meta, facts, checks, chunk(doc, facts))


def _raw_as_printed(facts: list[Fact], doc: Document, text: Document) -> None:
    """Each fact's printed text as the report prints it (`26餘`), not as it was read (`26余`)."""
    if text is doc:
        return
    for f in facts:
        if 0 < f.line <= len(doc.lines):
            f.raw = as_printed(f.raw, [doc.lines[f.line - 1]], [text.lines[f.line - 1]])
