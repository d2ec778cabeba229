"""表三's rows: the readings their printed values allow, and the table's own arithmetic (new + carried
over = handled + carried forward; the results add up to handled) to choose among them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import product

from .model import Cell, Row
from .numbers import Parsed, parse_cell, summing_splits
from .table_facts import FactWriter
from .table_keys import RESULT_KEYS_2019, T3_COLS

Whole = Callable[[Cell], bool]  # a cell that is one number, whatever its digits


@dataclass
class T3Row:
    key: str
    label: str
    row: Row
    cells: list[Cell]  # 7 cells when aligned; the printed value cells otherwise
    options: list[tuple[Parsed, ...]]  # possible readings; exactly one when resolved
    how: str = ""  # '' | split | window


def read_t3_row(key: str, label: str, row: Row, values: list[Cell], alone: Whole) -> T3Row:
    """A row's printed values and their readings: one when aligned with the seven columns, several
    when extra cells or digits printed together leave more than one alignment. `alone`: a cell
    that is one number whatever its digits (FactWriter.alone)."""
    vals = list(values)
    while len(vals) > 7 and not vals[0].text.strip():
        vals.pop(0)
    while len(vals) > 7 and not vals[-1].text.strip():
        vals.pop()
    parsed = [p for p in (parse_cell(v.text) for v in vals) if p is not None]
    r = T3Row(key, label, row, vals, [])
    if len(parsed) < len(vals):  # a cell that is not a number
        r.options = []
    elif len(vals) == 7:
        r.options = [tuple(parsed)]
    elif all(p.qualifier == "empty" for p in parsed):
        r.cells = vals + [Cell("", line=row.line) for _ in range(7 - len(vals))]
        r.options = [tuple(Parsed(None, "", "empty") for _ in range(7))]
    elif len(vals) > 7:
        windows = {tuple(parsed[i : i + 7]) for i in range(len(vals) - 6)}
        r.options, r.how = list(windows), "window"
        if len(windows) == 1:
            r.cells = vals[len(vals) - 7 :]
    else:
        digits = "".join(v.text.strip() for v in vals)
        if digits.isdigit() and len(vals) < 7:
            splits = [s for s in summing_splits(digits, 7) if keeps_cells(s, vals, alone)]
            r.options = [tuple(Parsed(x, "", "split") for x in s) for s in splits]
            r.how = "split"
    return r


def keeps_cells(split: tuple[int, ...], cells: list[Cell], alone: Whole) -> bool:
    """A cutting of the digits of the cells that cuts between every two of them and, when there
    are several, never inside one printed alone on its line: digits printed apart (one cell per
    line, a page that left its empty cells out) are never one number, and a number on a line of
    its own among them is one. (A single run of digits on its own line is a row printed glued.)"""
    ends, at = set(), 0
    for x in split:
        at += len(str(x))
        ends.add(at)
    at = 0
    for c in cells:
        start, at = at, at + len(c.text.strip())
        if at not in ends or (len(cells) > 1 and alone(c) and any(start < e < at for e in ends)):
            return False
    return True


def write_t3(rows: dict[str, T3Row], collabels: list[str], writer: FactWriter) -> None:
    """The rows' facts once the whole table is read: a row with one reading gets its cells, any other
    row unresolved cells and a note saying why."""
    if not rows:
        return
    resolve_jointly(rows)
    shifted = []
    for key, r in rows.items():
        writer.out.t3_keys.add(key)
        printed = " ".join(c.text.strip() for c in r.cells).strip()
        if len(r.options) == 1 and (r.how != "window" or len(r.cells) == 7):
            reading = r.options[0]
            for j, col in enumerate(T3_COLS):
                cell = r.cells[j] if r.how != "split" else r.cells[0]
                raw = printed if r.how == "split" else cell.text.strip()
                writer.cell(
                    "t3",
                    key,
                    col.key,
                    r.label,
                    collabels[j],
                    reading[j],
                    raw,
                    cell.line or r.row.line,
                    r.row,
                    "件",
                )
            if r.how == "window" and any(c.text.strip() for c in r.cells):
                shifted.append(r.row.line)
        else:
            for j, col in enumerate(T3_COLS):
                writer.cell(
                    "t3",
                    key,
                    col.key,
                    r.label,
                    collabels[j],
                    Parsed(None, "", "unresolved"),
                    printed,
                    r.row.line,
                    r.row,
                    "件",
                )
            why = f"can be read {len(r.options)} ways" if r.options else "cannot be aligned with the columns"
            writer.out.notes.append(
                f"表三 {r.label} (line {r.row.line}): values '{printed}' {why}; stored as unresolved"
            )
    if shifted:
        writer.out.notes.append(
            f"表三: {len(shifted)} row(s) (lines {', '.join(map(str, shifted))}) print more values than "
            "columns; every alignment reads the same, so they stand"
        )


def resolve_jointly(t3: dict[str, T3Row]) -> None:
    """Pick among the readings of 表三's rows by the table's own arithmetic."""
    ambiguous = [r for r in t3.values() if len(r.options) > 1]
    if not ambiguous:
        return
    size = 1
    for r in ambiguous:
        size *= len(r.options)
    if size > 200_000:
        return
    fixed = {k: r.options[0] for k, r in t3.items() if len(r.options) == 1}
    results = [k for k in RESULT_KEYS_2019 if k in t3 or k == "other"]
    if any(k.startswith("other.") for k in t3):
        results = [k for k in results if k != "other"] + [k for k in t3 if k.startswith("other.")]
    consistent = []
    for combo in product(*(r.options for r in ambiguous)):
        rows = dict(fixed)
        rows.update({r.key: c for r, c in zip(ambiguous, combo)})
        if _consistent(rows, results):
            consistent.append(combo)
    for i, r in enumerate(ambiguous):
        readings = {combo[i] for combo in consistent}
        r.options = list(readings) if consistent else r.options
        if len(readings) == 1 and r.how == "window":
            j = next(
                k
                for k in range(len(r.cells) - 6)
                if tuple(parse_cell(c.text) for c in r.cells[k : k + 7]) == r.options[0]
            )
            r.cells = r.cells[j : j + 7]


def _consistent(rows: dict[str, tuple[Parsed, ...]], results: list[str]) -> bool:
    def v(key: str, j: int) -> float | None:
        r = rows.get(key)
        if r is None:
            return None
        return r[j].value if r[j].value is not None else 0

    for j in range(7):
        new, carried, handled, forward = (
            v(k, j) for k in ("new", "carried_over", "total_handled", "carried_forward")
        )
        if (
            new is not None
            and carried is not None
            and handled is not None
            and forward is not None
            and new + carried != handled + forward
        ):
            return False
        subs = [v(k, j) for k in results]
        known = [s for s in subs if s is not None]
        if handled is not None and len(known) == len(subs) and sum(known) != handled:
            return False
    return True
