"""The printed rows and columns of the three statistics tables, as ingest/vocab.toml defines them."""

from __future__ import annotations

from .vocab import load

V = load()
T3_ROWS = V.rows("t3")
T3_COLS = [c for c in V.columns("t3") if not c.sum_of]  # the printed columns
T3_TOP = [e for e in T3_ROWS if not e.parent]
T3_STRONG = [e for e in T3_TOP if e.key != "total_handled"]
T3_LEAVES = [e for e in T3_ROWS if not e.group]
_PARENTS = {e.parent for e in T3_ROWS if e.parent}
T4_ROWS = [e for e in V.rows("t4") if not e.sum_of]  # the printed rows
T4_COLS = V.columns("t4")
T2_ROWS = V.rows("t2")
T2_COLS = V.columns("t2")
RESULT_KEYS_2019 = [
    e.key
    for e in T3_LEAVES
    if e.key not in ("new", "carried_over", "total_handled", "carried_forward")
    and not e.key.startswith("other.")
]
