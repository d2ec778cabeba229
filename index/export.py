"""Exports of the facts store for the desk: CSV, XLSX, Parquet, or a datasette-ready SQLite file.

One row per fact with its provenance (report, table, row, column, raw cell text, line, quoted
line) and the report's agency, year and place. Column headers carry the Chinese and the English
name (`机关 agency`) so a spreadsheet reads in either language; `read_back()` maps them back.
The SQLite export keeps English column names and writes `<name>.metadata.json` beside it that
describes every column in both languages (`datasette facts.db -m facts.metadata.json`).
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .store import Store

FORMATS = ("csv", "xlsx", "parquet", "sqlite")
SOURCE = "各机关政府信息公开工作年度报告（xxgk 事实库）"
# (column, 中文, description)
FACT_COLUMNS = [
    ("agency", "机关", "the agency that issued the report"),
    ("agency_id", "机关编号", "stable key of the agency"),
    ("year", "年度", "the year the report is about"),
    ("province", "省", "province"),
    ("city", "市", "city"),
    ("place", "地区", "county / district / place of the agency"),
    ("document", "报告文件", "file name of the report"),
    ("doc_id", "报告编号", "content hash of the report (first 16 hex digits)"),
    ("kind", "类型", "cell (a statistics-table cell) or prose (a number stated in the text)"),
    ("table", "表", "t2 | t3 | t4 | ind (the statistics table), empty for prose"),
    ("row", "行键", "canonical row key"),
    ("column", "列键", "canonical column key"),
    ("row_label", "行名称", "the row label as printed"),
    ("column_label", "列名称", "the column label as printed"),
    ("topic", "主题", "what a prose number is about"),
    ("value", "数值", "the number; empty when the cell holds none"),
    ("unit", "单位", "unit of the number"),
    ("raw", "原文数字", "the cell or number text as printed"),
    ("qualifier", "限定", "'' | more_than (余/多) | empty | slash | unresolved | negation"),
    ("line", "行号", "line of the report's text the number was read from"),
    ("quote", "原文", "the quoted source line"),
]


def header(columns: list[tuple[str, str, str]]) -> list[str]:
    return [f"{zh} {en}" for en, zh, _ in columns]


def fact_records(
    store: Store, agency: str | None = None, year: int | None = None, table: str | None = None
) -> list[dict[str, Any]]:
    """Every stored fact (filtered), joined with its report's agency, year and place."""
    has_id = any(r[1] == "agency_id" for r in store.db.execute("PRAGMA table_info(documents)"))
    sql = (
        f"SELECT d.agency, {'d.agency_id' if has_id else 'NULL'} AS agency_id, d.year, d.province, d.city, "
        "d.place,"
        ' d.name AS document, f.doc_id, f.kind, f.tbl AS "table", f.row, f.col AS "column", f.row_label,'
        " f.column_label, f.topic, f.value, f.unit, f.raw, f.qualifier, f.line, f.quote"
        " FROM facts f JOIN documents d ON d.id=f.doc_id WHERE 1=1"
    )
    args: list[Any] = []
    for cond, value in (("d.agency=?", agency), ("d.year=?", year)):
        if value:
            sql += f" AND {cond}"
            args.append(value)
    if table == "prose":
        sql += " AND f.kind='prose'"
    elif table:
        sql += " AND f.tbl=?"
        args.append(table)
    return [dict(r) for r in store.db.execute(sql + " ORDER BY d.agency, d.year, f.doc_id, f.id", args)]


def write_table(
    path: Path, columns: list[tuple[str, str, str]], records: Iterable[dict[str, Any]], fmt: str
) -> int:
    """Write records as csv, xlsx or parquet with bilingual headers; the number of rows."""
    records = list(records)
    names = [c[0] for c in columns]
    if fmt == "csv":
        path.write_bytes(csv_bytes(columns, records))
    elif fmt == "xlsx":
        from openpyxl import Workbook

        path.open("wb").close()  # an unwritable path is one OSError here, not a half-built workbook's traces
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("xxgk")
        ws.append(header(columns))
        for r in records:
            ws.append([r.get(n) for n in names])
        wb.save(path)
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        data = {h: [_parquet_value(n, r.get(n)) for r in records] for h, n in zip(header(columns), names)}
        types = {
            h: pa.float64() if n == "value" else (pa.int64() if n in ("year", "line") else pa.string())
            for h, n in zip(header(columns), names)
        }
        pq.write_table(pa.table({h: pa.array(v, type=types[h]) for h, v in data.items()}), path)
    else:
        raise ValueError(f"unknown format {fmt!r}; one of csv, xlsx, parquet")
    return len(records)


def _parquet_value(name: str, v: Any) -> Any:
    if v is None or name in ("value", "year", "line"):
        return v
    return str(v)


def csv_bytes(columns: list[tuple[str, str, str]], records: Iterable[dict[str, Any]]) -> bytes:
    """UTF-8 with a BOM, so Excel opens the Chinese text as Chinese."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header(columns))
    for r in records:
        w.writerow(["" if r.get(c[0]) is None else r.get(c[0]) for c in columns])
    return buf.getvalue().encode("utf-8-sig")


def export(
    store: Store,
    fmt: str,
    out: Path,
    agency: str | None = None,
    year: int | None = None,
    table: str | None = None,
) -> int:
    """Write the facts (filtered) to `out`; the number of facts written."""
    records = fact_records(store, agency, year, table)
    if fmt != "sqlite":
        return write_table(out, FACT_COLUMNS, records, fmt)
    _export_sqlite(store, out, records)
    return len(records)


def _export_sqlite(store: Store, out: Path, records: list[dict[str, Any]]) -> None:
    if out.exists():
        out.unlink()
    doc_ids = sorted({r["doc_id"] for r in records})
    marks = ",".join("?" * len(doc_ids))
    db = sqlite3.connect(str(out))
    try:
        names = [c[0] for c in FACT_COLUMNS]
        db.execute(f"CREATE TABLE facts ({', '.join(_quote(n) for n in names)})")
        db.executemany(
            f"INSERT INTO facts VALUES ({','.join('?' * len(names))})",
            [[r[n] for n in names] for r in records],
        )
        doc_cols = [r[1] for r in store.db.execute("PRAGMA table_info(documents)")]
        docs = (
            store.db.execute(f"SELECT * FROM documents WHERE id IN ({marks}) ORDER BY id", doc_ids).fetchall()
            if doc_ids
            else []
        )
        db.execute(f"CREATE TABLE documents ({', '.join(_quote(c) for c in doc_cols)}, PRIMARY KEY (id))")
        db.executemany(
            f"INSERT INTO documents VALUES ({','.join('?' * len(doc_cols))})", [tuple(d) for d in docs]
        )
        check_cols = [
            "doc_id",
            "agency",
            "year",
            "name",
            "tbl",
            "col",
            "status",
            "lhs",
            "rhs",
            "detail",
            "line",
        ]
        checks = (
            store.db.execute(
                "SELECT c.doc_id, d.agency, d.year, c.name, c.tbl, c.col, c.status, c.lhs, c.rhs, c.detail, "
                "c.line"
                f" FROM checks c JOIN documents d ON d.id=c.doc_id WHERE c.doc_id IN ({marks}) ORDER BY c.id",
                doc_ids,
            ).fetchall()
            if doc_ids
            else []
        )
        db.execute(f"CREATE TABLE checks ({', '.join(_quote(c) for c in check_cols)})")
        db.executemany(
            f"INSERT INTO checks VALUES ({','.join('?' * len(check_cols))})", [tuple(c) for c in checks]
        )
        db.execute("CREATE INDEX facts_agency_year ON facts(agency, year)")
        db.commit()
    finally:
        db.close()
    metadata_path(out).write_text(
        json.dumps(metadata(out.stem, doc_cols), ensure_ascii=False, indent=2), encoding="utf-8"
    )


def metadata_path(out: Path) -> Path:
    """xxgk.db → xxgk.metadata.json beside it: its own name, so no other metadata.json is overwritten."""
    return out.with_name(out.stem + ".metadata.json")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def metadata(database: str, doc_cols: list[str]) -> dict[str, Any]:
    """datasette metadata: what each table and column means, in Chinese and English, and the source."""
    facts = {n: f"{zh} — {desc}" for n, zh, desc in FACT_COLUMNS}
    checks = {
        "name": "核对名称 — balance | subrows | applicants | t4_group | prose | carryover | completeness",
        "status": "结果 — PASS | FAIL | UNCERTAIN",
        "lhs": "左边 — computed side",
        "rhs": "右边 — printed side",
        "detail": "说明 — what was compared",
        "tbl": "表 — table",
        "col": "列 — column",
        "line": "行号 — line of the report",
        "doc_id": "报告编号 — report",
        "agency": "机关 — agency",
        "year": "年度 — year",
    }
    docs = {c: c for c in doc_cols} | {
        "agency": "机关 — canonical agency name",
        "year": "年度 — year of the report",
        "name": "报告文件 — file name",
        "sha256": "内容哈希 — content hash",
        "template": "模板 — 2019 | 2021 | pre2019 template of the tables",
    }
    return {
        "title": "政府信息公开工作年度报告 事实库 / facts of government information-disclosure annual "
        "reports",
        "source": SOURCE,
        "description": "Every number of the reports' statistics tables and text, with its provenance.",
        "databases": {
            database: {
                "tables": {
                    "facts": {
                        "description": "每个数字一行，附出处 / one row per fact, with provenance",
                        "columns": facts,
                    },
                    "documents": {"description": "报告 / the reports", "columns": docs},
                    "checks": {
                        "description": "报告自身表格的核对 / the tables' own arithmetic",
                        "columns": checks,
                    },
                }
            }
        },
    }


def read_back(path: Path, fmt: str) -> list[dict[str, Any]]:
    """The records of a csv/xlsx/parquet export, keyed by English column name (for tests and scripts)."""
    body: list[list[Any]]
    if fmt == "csv":
        rows: list[list[Any]] = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        head, body = rows[0], rows[1:]
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        ws = load_workbook(path, read_only=True).active
        assert ws is not None, f"{path}: no worksheet"  # export() always writes one
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        head, body = [str(h) for h in rows[0]], rows[1:]
    else:
        import pyarrow.parquet as pq

        t = pq.read_table(path)
        head, body = t.column_names, [list(r.values()) for r in t.to_pylist()]
    keys = [h.split(" ", 1)[1] for h in head]
    return [dict(zip(keys, r)) for r in body]
