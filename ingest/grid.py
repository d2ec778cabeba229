"""Statistics sections printed as text, whatever the separators: tokens → rows of the template grid.

A report's tables are fixed grids; its text is that grid with separators lost, added, moved or
glued: a whole section flattened into one paragraph (`规章000行政规范性文件121114…`), one cell per
line with blank lines between, header cells wrapped over two lines, PDF hard line breaks. Here a
statistics section is cut into tokens (labels, values) across its lines, and the labels — the
template's printed labels, matched through vocab.toml — are the anchors: each row label starts a
row and owns the values after it; column labels form header rows; 表四's labels and values are
one row. The table walker (tables.py) then reads these rows as it reads tab-separated ones, and
the tables' arithmetic segments runs of glued digits.

A line is tokenised only when it reads as part of a table: no sentence end `。`, no clauses
separated by commas outside parentheses, a short label part — narrative that mentions a row word
(`收到依申请公开0件，行政复议0件`) stays prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .model import Cell, Row
from .numbers import UNITS, parse_cell
from .script import is_traditional, simplified
from .vocab import find, find_near, load, squash, strip_numbering

V = load()
_G = V.tables["grid"]
_ROW_ENTRIES = V.rows("t2") + V.rows("t3")
_COL_ENTRIES = V.columns("t2") + [c for c in V.columns("t3") if not c.sum_of]
_HEADER_WORDS = tuple(_G["header"])
_T4_WORDS = tuple(_G["t4"])
_PLACEHOLDER = re.compile(_G["placeholder"])
_SECTION = re.compile(r"[一二三四五六七八九]\s*、\s*[^，。\d、]{0,12}?(?:" + "|".join(_G["sections"]) + ")")
_STATS_SECTION = re.compile("|".join(_G["stats_sections"]))
_STRONG = re.compile("|".join(_G["strong"]))
MAX_LABEL = 40  # a table row's label part is short; longer text is narrative
MAX_TABLE_LINE = 4000  # a flattened section is long; a multi-kilobyte line without anchors is not a table

_UNIT_RE = "|".join(map(re.escape, sorted(UNITS, key=len, reverse=True)))
_COUNT_UNITS = "|".join(re.escape(u) for u in V.count_units)
_TOKEN = re.compile(
    r"(?P<pair>[+＋]\s*[(（]?\s*\d+\s*[)）]?\s*[-－]\s*[(（]?\s*\d+\s*[)）]?)"  # 本年增/减 as `+(2) -(1)`
    r"|(?P<incdec>增\s*\d+\s*[项个件]?\s*[,，、]?\s*减\s*\d+\s*[项个件]?)"  # … or as `增2减1`
    r"|(?P<note>[（(][^（()）]{0,80}?[\u4e00-\u9fff][^（()）]{0,80}?[)）])"  # a parenthetical note of a label
    r"|(?P<pnum>[（(]\d{1,2}[)）](?=\s?[\u4e00-\u9fff]))"  # a sub-item numbered （1）
    r"|(?P<ph>(?:数据|列)\s*\d{1,2})"  # OCR'd header placeholders: 数据1 … 数据6, 列1 …
    r"|(?P<num>[+\-－]?\d[\d,，]*(?:\.\d+)?(?:余|多)?(?:万元|亿元|元|(?:"
    + _COUNT_UNITS
    + r")(?![\u4e00-\u9fff]))?)"
    r"|(?P<slash>(?<![\u4e00-\u9fff/／])(?:[/／\\]|[—－\-]{1,2})(?![\u4e00-\u9fff\d/／]))"
    r"|(?P<sep>[\s|｜]+)"
    r"|(?P<ch>.)",
    re.S,
)
_NUMBERED = re.compile(
    r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．])"
)  # a label's number
_NUMBERING_AFTER = re.compile(r"[.、．](?=\s?[\u4e00-\u9fff])")
_CUT = re.compile(
    r"(?<=[\u4e00-\u9fff”\"）)])(?<!第)(?=[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）](?!项)|\d{1,2}[、.．](?!\d)"
    r"|[（(]\d{1,2}[)）])"
    r"|(?=" + _G["t2_item"].replace("(?P<item>", "(?:") + ")"
)


@dataclass
class _Tok:
    kind: str  # L (label piece) | V (value) | S (separator)
    text: str
    line: int


def tokens(segments: list[tuple[str, int]]) -> list[_Tok]:
    """Label pieces and values of lines of text; separators between pieces are kept as `S`."""
    out: list[_Tok] = []
    for text, line in segments:
        buf = ""  # full-width digits are digits to `\d`, and stay as printed (raw on its line)
        for m in _TOKEN.finditer(text):
            kind = m.lastgroup
            s = m.group(0)
            if kind in ("ch", "note", "pnum"):
                buf += s
                continue
            if buf:
                out.append(_Tok("L", buf, line))
                buf = ""
            if kind == "sep":
                out.append(_Tok("S", s, line))
            elif kind == "ph":
                out.append(_Tok("L", squash(s), line))
                out.append(_Tok("S", " ", line))
            elif kind == "num" and _NUMBERING_AFTER.match(text, m.end()):
                if (
                    len(s) > 1 and s.isdigit()
                ):  # `30000032.没有现成信息`: the last digit numbers the next label
                    out.append(_Tok("V", s[:-1], line))
                buf = s[-1] if s.isdigit() else s
            else:
                out.append(_Tok("V", s, line))
        if buf:
            out.append(_Tok("L", buf, line))
        out.append(_Tok("S", "\n", line))
    return out


def _is_header(text: str) -> bool:
    """A column label (or a header word): never a numbered label, which names a row."""
    if _NUMBERED.match(text):
        return False
    s = strip_numbering(text)
    return (
        bool(_PLACEHOLDER.fullmatch(s))
        or s.startswith(_HEADER_WORDS)
        or find(_COL_ENTRIES, s) is not None
        and (find(_ROW_ENTRIES, s) is None or len(s) <= 4)
        or _cut_column(s)
    )


@lru_cache(maxsize=4096)
def _cut_column(s: str) -> bool:
    """A column label that lost its end (`本年增/` for 本年增/减): the start, four characters or more,
    of one column's label and of no other label."""
    if len(s) < 4 or find(_ROW_ENTRIES, s) is not None:
        return False
    return sum(e.label.startswith(s) for e in _COL_ENTRIES) == 1 and not any(
        e.label.startswith(s) for e in _ROW_ENTRIES
    )


def _is_t4(text: str) -> bool:
    return any(w in squash(text) for w in _T4_WORDS)


@lru_cache(maxsize=8192)
def _printed(text: str) -> bool:
    """A label of the template as printed: a row, a column, a header word, 表四's words, an item."""
    s = squash(text)
    return bool(_T2_ITEM.search(s)) or _is_header(s) or _is_t4(s) or find(_ROW_ENTRIES, s) is not None


@lru_cache(maxsize=8192)
def _known(text: str) -> bool:
    """A label of the template, or one with a character misprinted."""
    return _printed(text) or find_near(_ROW_ENTRIES + _COL_ENTRIES, squash(text)) is not None


_T2_ITEM = re.compile(_G["t2_item"])
_T2_ITEM_SPLIT = re.compile("(" + _G["t2_item"].replace("(?P<item>", "(?:") + ")")
_WORDS = sorted(
    {m for e in V.rows("t2") + _COL_ENTRIES for m in e.match} | set(_HEADER_WORDS) | set(_T4_WORDS),
    key=len,
    reverse=True,
)
_WORD_RE = re.compile("|".join(map(re.escape, _WORDS)))
_ALL_WORDS = frozenset(
    w for w in {m for e in _ROW_ENTRIES + _COL_ENTRIES for m in e.match} | set(_WORDS) if len(w) > 1
)
_WORD_LENGTHS = sorted({len(w) for w in _ALL_WORDS})


def _cut_words(piece: str) -> list[str]:
    """An unnumbered run of labels printed together (`信息内容上一年项目数量本年增/减…`): cut at the
    start of every template word; a fragment that names nothing stays with the word before it."""
    if _NUMBERED.match(piece) or _T2_ITEM.match(piece):
        return [piece]
    words = [(m.start(), m.group(0)) for m in _WORD_RE.finditer(piece)]
    if not words:
        return [piece]
    cuts = [0]
    for p, word in words:  # not after a fragment (`或其他组织` is the rest of `法人或其他组织`)
        before = piece[cuts[-1] : p]
        if len(before) <= 2 and not _is_header(word):
            continue  # `其他` + `对外管理服务`: a short word that starts a row label
        if p > cuts[-1] and (_known(before) or len(before) >= 3 or re.fullmatch(r"[（(].*[)）]", before)):
            cuts.append(p)
    bounds = cuts + [len(piece)]
    parts = [piece[a:b] for a, b in zip(bounds, bounds[1:]) if piece[a:b]]
    out: list[str] = []
    for part in parts:
        if out and not _known(part):
            out[-1] += part
        else:
            out.append(part)
    return out


def _labels(run: list[_Tok]) -> list[tuple[str, int]]:
    """A run of label pieces → the labels it prints: pieces wrapped over lines or split by spaces
    (`本年新` / `制作数量`, `商业 企业`) joined when together they name a template label."""
    pieces: list[tuple[str, int]] = []
    for t in run:
        for part in _CUT.split(squash(t.text)):
            for p in _T2_ITEM_SPLIT.split(part):  # `第二十条第（一）项` is a row of its own
                pieces.extend((w, t.line) for w in _cut_words(p) if w)
    out: list[tuple[str, int]] = []
    for i, (text, line) in enumerate(pieces):
        nxt = pieces[i + 1][0] if i + 1 < len(pieces) else ""
        if out and _continues(out[-1][0], text, nxt):
            out[-1] = (out[-1][0] + text, out[-1][1])
        else:
            out.append((text, line))
    return out


@lru_cache(maxsize=8192)
def _spans(a: str, b: str) -> bool:
    """A template word printed across the cut between `a` and `b` (`上一` | `年项目数量`)."""
    s, n = a + b, len(a)
    return any(
        s[i : i + k] in _ALL_WORDS
        for k in _WORD_LENGTHS
        for i in range(max(0, n - k + 1), n)
        if i + k <= len(s)
    )


def _entry(text: str) -> str:
    """The row a label names by a word longer than two characters (其他, 总计 name too much)."""
    s = squash(text)
    e = find(_ROW_ENTRIES, s)
    return e.key if e and any(len(m) > 2 and m in s for m in e.match) else ""


_WHOLE_ROW = {w: e.key for e in V.rows("t2") for w in (*e.match, e.label)}  # a 表二 row named in full


def _continues(prev: str, text: str, nxt: str) -> bool:
    """`text` is the rest of label `prev`, wrapped onto another line or cut by a space."""
    if prev.count("（") + prev.count("(") > prev.count("）") + prev.count(")"):
        return True  # a note that goes on
    if _NUMBERED.fullmatch(prev):
        return True  # `（六）` + `其他处理`
    if _NUMBERED.match(text) or _T2_ITEM.match(text) or _T2_ITEM.search(prev):
        return False  # an item (第二十条第（六）项) is a row of its own, never the start of a label
    if _spans(prev, text):
        return True  # `本年新` + `制作数量`, `商业` + `企业`, `其他对外管理服务` + `事项`
    if not _printed(text):
        return not (nxt and _spans(text, nxt))  # a fragment, unless it starts the next label
    key = _entry(text)
    return (
        bool(key)
        and not _is_header(text)
        and not _is_header(prev)
        and _entry(prev + text) == key
        and (_entry(prev) in ("", key))
        and _WHOLE_ROW.get(strip_numbering(prev), key) == key  # `规章` + `规范性文件`: two rows
    )


def _rows(toks: list[_Tok]) -> list[Row]:
    """Tokens → rows: header labels together, each row label with the values after it."""
    rows: list[Row] = []
    t4: list[Cell] | None = None
    t4_values: list[Cell] = []
    i, n = 0, len(toks)

    def emit(cells: list[Cell]) -> None:
        if cells:  # a label alone that names nothing of the template is text, not a table row
            table = len(cells) > 1 or _known(cells[0].text)
            rows.append(Row(cells, cells[0].line, max(c.line for c in cells), table, plain=table))

    while i < n:
        run: list[_Tok] = []
        while i < n and toks[i].kind != "V":
            if toks[i].kind == "L":
                run.append(toks[i])
            i += 1
        values: list[Cell] = []
        while i < n and toks[i].kind != "L":
            if toks[i].kind == "V":
                values.append(Cell(toks[i].text, line=toks[i].line))
            i += 1
        labels = _labels(run)
        shares = _shares(labels, values)
        header: list[Cell] = []
        for j, (text, line) in enumerate(labels):
            last = j == len(labels) - 1
            if _is_t4(text) or (t4 is not None and (_is_header(text) or not _known(text))):
                if t4 is None:
                    emit(header)
                    header, t4 = [], []
                t4.append(Cell(text, line=line))
                continue
            if t4 is not None:
                emit(t4 + t4_values)  # 表四: its labels, then its numbers in grid order
                t4, t4_values = None, []
            prev_header = bool(header) or (j > 0 and _is_header(labels[j - 1][0]))
            if (
                _is_header(text)
                and not _NUMBERED.match(text)
                and (prev_header or not find(_ROW_ENTRIES, text) or not last)
            ):
                header.append(Cell(text, line=line))
                continue
            emit(header)
            header = []
            if not last or shares:
                emit([Cell(text, line=line)] + shares.get(j, []))
            else:
                emit([Cell(text, line=line)] + values)
                values = []
        if t4 is not None:
            t4_values.extend(values)
        elif not shares:
            emit(header + values)
    if t4 is not None:
        emit(t4 + t4_values)
    return rows


_T3 = V.rows("t3")
_T3_LEAVES = {e.key for e in _T3 if not e.group and e.key not in {x.parent for x in _T3}}


def _shares(labels: list[tuple[str, int]], values: list[Cell]) -> dict[int, list[Cell]]:
    """Rows of 表三 whose labels were printed together, then their numbers (a PDF read column by
    column): k labels, 7·k numbers, each 7 adding up to their 总计 — each label its 7."""
    leaves: list[int] = []
    for j in range(len(labels) - 1, -1, -1):
        e = find(_T3, labels[j][0])  # （六）其他处理 with numbers straight after it has no sub-items
        leaf = e is not None and (e.key in _T3_LEAVES or not e.group and j == len(labels) - 1)
        if not leaf or _is_header(labels[j][0]):
            break
        leaves.insert(0, j)
    if len(leaves) < 2 or len(values) != 7 * len(leaves):
        return {}
    chunks = [values[7 * i : 7 * i + 7] for i in range(len(leaves))]
    for chunk in chunks:
        parsed = (parse_cell(c.text) for c in chunk)
        nums = [p.value for p in parsed if p is not None and isinstance(p.value, int)]
        if len(nums) < 7 or sum(nums[:6]) != nums[6]:  # a cell that is no count, or no sum
            return {}
    return dict(zip(leaves, chunks))


_ITEM_NUMBER = re.compile(r"(?<![\d.])\d{1,2}[.、．](?=[\u4e00-\u9fff])")
_VALUE_IN_LINE = re.compile(rf"\d[\d.,，]*(?:余|多)?(?:{_UNIT_RE})?|[+\-－/／—%]+")


def _tabular(text: str) -> bool:
    """A line that can be part of a printed table rather than narrative."""
    s = squash(text)
    if not s:
        return False
    if "。" in s or len(text) > MAX_TABLE_LINE:
        return False
    bare = _ITEM_NUMBER.sub(
        "", re.sub(r"[（(][^（()）]*[)）]", "", s)
    )  # notes and sub-item numbers: no values
    label = _VALUE_IN_LINE.sub(" ", bare)
    parts = label.split()
    if max((len(p) for p in parts), default=0) <= MAX_LABEL and not re.search(r"[，,；;]", label):
        # numbers with a label that names nothing of the template are a short sentence (`主动公开信息120条`)
        return not re.search(r"\d", bare) or not parts or any(_known(p) or _WORD_RE.search(p) for p in parts)
    return len(_STRONG.findall(s)) >= 2 or len(_WORD_RE.findall(s)) >= 6  # a section flattened into one line


def _split_sections(rows: list[Row], read: _Script) -> list[Row]:
    """Long one-cell rows cut where a section heading or a table starts inside them."""
    out: list[Row] = []
    for r in rows:
        printed = r.cells[0].text if len(r.cells) == 1 else ""
        if r.in_table or len(printed) < 60:
            out.append(r)
            continue
        text = read(printed)
        cuts = {m.start() for m in _SECTION.finditer(text) if m.start() > 0}
        cuts |= {m.end() for m in re.finditer(r"。(?=\s*(?:" + "|".join(_G["strong"]) + "))", text)}
        bounds = [0, *sorted(cuts), len(text)]
        parts = [printed[a:b].strip() for a, b in zip(bounds, bounds[1:])]
        line = r.cells[0].line or r.line
        out.extend(Row([Cell(p, line=line)], r.line, r.end_line, False) for p in parts if p)
    return out


class _Script:
    """How a row's text is read: through its simplified copy when the report prints traditional
    characters (規範性文件, 第二十條), as ingest/script.py reads the whole report. The conversion
    keeps every character's place, so what is cut from the copy is cut from the printed text too."""

    def __init__(self, rows: list[Row]) -> None:
        self.traditional = is_traditional("".join(c.text for r in rows[:100] for c in r.cells))

    def __call__(self, text: str) -> str:
        return simplified([text])[0] if self.traditional else text


def regrid(rows: list[Row]) -> list[Row]:
    """The document's rows with the plain-text parts of its statistics sections as table rows
    (their cells in simplified characters; the other rows as printed)."""
    read = _Script(rows)
    rows = _split_sections(rows, read)
    out: list[Row] = []
    stats = False
    pending: list[Row] = []

    def flush() -> None:
        if pending:
            segs = [(read(r.cells[0].text), r.cells[0].line or r.line) for r in pending]
            out.extend(_rows(tokens(segs)))
            pending.clear()

    for r in rows:
        printed = r.cells[0].text.strip() if len(r.cells) == 1 else ""
        text = read(printed)
        head = _SECTION.match(text) if text else None
        if head:
            flush()
            stats = bool(_STATS_SECTION.search(head.group(0)))
            rest = printed[head.end() :].strip() if len(printed) > MAX_LABEL else ""
            line = r.cells[0].line or r.line
            head_text = printed[: head.end()] if rest else r.cells[0].text
            out.append(Row([Cell(head_text, line=line)], r.line, r.line, False))
            if rest:
                r = Row([Cell(rest, line=line)], r.line, r.end_line, False)
                text = read(rest)
            else:
                continue
        if text and not stats and _STRONG.search(squash(text)):
            stats = True
        if r.in_table or len(r.cells) != 1 or not stats or not _tabular(text):
            flush()
            out.append(r)
            continue
        pending.append(r)
    flush()
    return out
