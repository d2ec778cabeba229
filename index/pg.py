"""The facts store on PostgreSQL: a connection that speaks the store's SQLite SQL.

Store writes its queries once, in SQLite's dialect; this connection translates each query once
(cached) and gives back what sqlite3 gives: rows read by position or by name, ints and floats as
stored, NULLs ordered first, the driver's errors as `sqlite3.DatabaseError` (the type the
callers already catch). The translations:

- `?` placeholders; `executemany` of an INSERT is a COPY (the bulk load of a document's facts);
- the schema: `INTEGER PRIMARY KEY` is an identity column, untyped columns (a fact's value, a
  check's sides) are NUMERIC, TEXT compares byte-wise (`COLLATE "C"`, as SQLite's BINARY);
- `BEGIN IMMEDIATE` takes the writers' lock (one row of `xxgk_generation`, bumped), so a second
  writer waits as it does on SQLite; `PRAGMA data_version` reads that counter, which every
  connection sees change when any of them commits a write;
- `PRAGMA table_info(T)` reads information_schema; `group_concat(x)` is `string_agg`;
- text cannot hold NUL there: a NUL (deep in a text file) is stored as U+FFFD.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.adapt import Dumper, Loader
from psycopg.pq import Format, TransactionStatus
from psycopg.rows import tuple_row

GENERATION = "CREATE TABLE IF NOT EXISTS xxgk_generation (n BIGINT NOT NULL);"


def shown_url(url: str) -> str:
    """The URL as printed in messages: never its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def connect(url: str, readonly: bool, schema: str) -> Connection:
    """A session on the store's database; a writer creates the tables that are missing."""
    db = Connection(url, readonly)
    if not readonly:
        db.create(schema + "\nCREATE INDEX IF NOT EXISTS documents_agency_id ON documents(agency_id);")
    return db


def trouble(url: str, e: sqlite3.DatabaseError) -> str:
    """What a user can do about a database the store cannot use."""
    if str(e).startswith("cannot connect"):
        return str(e)
    if "does not exist" in str(e):
        return f"no reports in {shown_url(url)}: run `xxgk --db-url URL ingest PATH...` first"
    if "read-only" in str(e) or "permission denied" in str(e):
        return f"cannot write to {shown_url(url)} ({e}): ingest into a database you may write to"
    return f"{shown_url(url)} is not a usable xxgk store ({e})"


class DatabaseError(sqlite3.DatabaseError):
    """A PostgreSQL error, raised as the DB-API error the store's callers catch for either engine."""


class _FloatAsNumeric(Dumper):
    """A float parameter goes as NUMERIC text, so 3.0 is stored as 3.0 (a float8 cast would make it 3)."""

    oid = 1700  # numeric
    format = Format.TEXT

    def dump(self, obj: float) -> bytes:
        return repr(obj).encode()


class _NumericAsNumber(Loader):
    """NUMERIC comes back as the int or float that was stored, as SQLite gives it back."""

    def load(self, data: Any) -> int | float:
        s = bytes(data)
        return int(s) if s.lstrip(b"-").isdigit() else float(s)


class _Row(tuple[Any, ...]):
    """A row read by position or by column name, like sqlite3.Row (dict(row) works)."""

    _index: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:
        return tuple.__getitem__(self, self._index[key] if isinstance(key, str) else key)

    def keys(self) -> list[str]:
        return list(self._index)


def _rows(cursor: Any) -> Any:
    names = [c.name for c in cursor.description or ()]
    cls = type("Row", (_Row,), {"_index": {n: i for i, n in enumerate(names)}})
    return cls


class Cursor:
    """The part of sqlite3.Cursor the store uses; `row_factory = None` gives plain tuples."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self.row_factory: Any = True
        self._cur: Any = None

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Cursor:
        self._cur = self._conn._run(sql, args, plain=self.row_factory is None)
        return self

    def fetchone(self) -> Any:
        return self._cur.fetchone()

    def fetchall(self) -> list[Any]:
        rows: list[Any] = self._cur.fetchall()
        return rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cur)


class Connection:
    """One PostgreSQL session in autocommit mode; Store's `writing()` opens each transaction."""

    total_changes = 0  # sqlite3's count of this connection's writes: the generation counter covers them
    row_factory: Any = None  # set by Store as on sqlite3; every row reads by name here

    def __init__(self, url: str, readonly: bool) -> None:
        options = "-c default_transaction_read_only=on" if readonly else ""
        try:
            self._db = psycopg.connect(url, autocommit=True, options=options, connect_timeout=10)
        except psycopg.Error as e:
            raise DatabaseError(f"cannot connect to {shown_url(url)}: {_first_line(e)}") from None
        self._db.adapters.register_dumper(float, _FloatAsNumeric)
        self._db.adapters.register_loader("numeric", _NumericAsNumber)

    def create(self, schema: str) -> None:
        """The store's tables (if missing), in PostgreSQL's types, and the writers' counter row."""
        with _errors():  # under a lock: two first ingests at once must not both create the tables
            self._db.execute(
                "BEGIN; SELECT pg_advisory_xact_lock(7014); "
                + _schema(schema)
                + GENERATION
                + "INSERT INTO xxgk_generation SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM xxgk_generation);"
                " COMMIT"
            )

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Cursor:
        return Cursor(self).execute(sql, args)

    def cursor(self) -> Cursor:
        return Cursor(self)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        m = _INSERT.match(sql)
        if m is None:
            with _errors():
                self._db.cursor().executemany(translate(sql), [_no_nul(r) for r in rows])
            return
        columns = f" ({m['columns']})" if m["columns"] else ""
        with _errors(), self._db.cursor() as cur, cur.copy(f"COPY {m['table']}{columns} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(_no_nul(row))

    def commit(self) -> None:
        self._run("COMMIT", ())

    def rollback(self) -> None:
        if self._db.info.transaction_status != TransactionStatus.IDLE:
            self._run("ROLLBACK", ())

    def close(self) -> None:
        self._db.close()

    def _run(self, sql: str, args: Sequence[Any], plain: bool = False) -> Any:
        with _errors():
            if sql == "BEGIN IMMEDIATE":
                self._db.execute("BEGIN")
                return self._db.execute("UPDATE xxgk_generation SET n = n + 1")  # waits for another writer
            cur = self._db.cursor(row_factory=tuple_row if plain else _rows)
            return cur.execute(translate(sql), _no_nul(args))


def _no_nul(row: Sequence[Any]) -> list[Any]:
    """PostgreSQL text cannot hold NUL (SQLite's can): a NUL in a report's text is stored as U+FFFD."""
    return [v.replace("\x00", "\ufffd") if type(v) is str and "\x00" in v else v for v in row]


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except psycopg.Error as e:
        raise DatabaseError(_first_line(e)) from e


def _first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


_INSERT = re.compile(r"INSERT INTO (?P<table>\w+)(?: \((?P<columns>[\w, ]+)\))? VALUES \([?,]+\)$")
_PRAGMA = {
    "PRAGMA foreign_keys=ON": "SELECT 1",
    "PRAGMA data_version": "SELECT n FROM xxgk_generation",
}
_TABLE_INFO = re.compile(r"PRAGMA table_info\((\w+)\)")


@lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """SQLite SQL of the store → PostgreSQL, for psycopg (`%s` placeholders)."""
    if sql in _PRAGMA:
        return _PRAGMA[sql]
    m = _TABLE_INFO.fullmatch(sql)
    if m:
        return (
            "SELECT ordinal_position - 1, column_name, data_type FROM information_schema.columns"
            f" WHERE table_schema = current_schema() AND table_name = '{m[1]}' ORDER BY ordinal_position"
        )
    sql = re.sub(r"group_concat\(([^()]*)\)", r"string_agg(\1, ',')", sql)
    return _nulls_first(sql).replace("%", "%%").replace("?", "%s")


def _nulls_first(sql: str) -> str:
    """SQLite sorts NULL before every value; PostgreSQL after, unless told."""
    out, pos = [], 0
    for m in re.finditer(r"ORDER BY ", sql):
        if m.start() < pos:
            continue
        i, depth, items, start = m.end(), 0, [], m.end()
        while i <= len(sql):
            c = sql[i] if i < len(sql) else ")"
            if c == "(":
                depth += 1
            elif c == ")" and depth:
                depth -= 1
            elif (
                (c == "," and not depth)
                or (c == ")" and not depth)
                or (not depth and sql.startswith(" LIMIT", i))
            ):
                items.append(sql[start:i].strip())
                start = i + 1
                if c != ",":
                    break
            i += 1
        items = [x + (" NULLS LAST" if x.endswith(" DESC") else " NULLS FIRST") for x in items]
        out += [sql[pos : m.end()], ", ".join(items)]
        pos = i
    return "".join(out) + sql[pos:]


def _schema(schema: str) -> str:
    """SQLite's CREATE statements in PostgreSQL's types."""
    sql = schema.replace("INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
    sql = re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', sql)
    return re.sub(r"(CREATE TABLE [^(]*\()(.*?)(\);)", lambda m: m[1] + _typed(m[2]) + m[3], sql, flags=re.S)


def _typed(columns: str) -> str:
    """An untyped column (SQLite keeps what it is given: a fact's int or float value) is NUMERIC."""
    return re.sub(r"(?m)(^|,)(\s*)(\w+)(?=\s*(,|$))", r"\1\2\3 NUMERIC", columns)
