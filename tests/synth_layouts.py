"""The thirteen layouts real reports print their statistics tables in, for tests/synth.py: the same
generated report (`Spec`) rendered the way text comes out of web pages, PDFs and OCR, with
every number a correct reader must get back (or `unresolved` where the digits, run together,
admit more than one reading under the table's own arithmetic).

- ``flat``      each statistics section one paragraph: labels and values with no separator, digit
                runs glued, sub-item numbering glued onto the previous row's digits
                (`30000032.没有现成信息…`); style ``flat_body``: the whole body one line;
- ``blank``     one cell per line, blank lines between, no tab, labels wrapped over two lines
                (`本年新` / `制作数量`), values with stray spaces; style ``cut_header``: 表二 headers
                that lost their last character (`本年增/`);
- ``fragment``  a saved page body: an HTML fragment (`<div>`/`<p>`, no <html>/<body>), one line;
- ``colspan``   HTML whose 表二 cells span two columns (label, header and value cells);
- ``pdfmd``     Markdown from a PDF: page footers (`— 1 —`, `第 2 页`) inside the text and the
                tables, sentences broken at a comma, header cells wrapped, row labels on a line
                of their own above their values (style ``label_block``: two rows' labels, then
                their numbers);
- ``ocr``       OCR'd tables: applicant headers replaced by `数据1 … 数据6 总计` or `列1 … 列7`;
- ``t4split``   表四 as three 5-cell sub-tables under their own headings;
- ``signed``    non-numeric value cells: `+(2) -(1)` / `增2减1` for 本年增/减, `/`, `—`, `－`,
                `1,234`, `1 234`, full-width digits;
- ``typo``      one character misprinted in some labels of five characters or more, numbering
                left off some rows;
- ``narrative`` narrative lines with table words and numbers inside the statistics sections
                (`本年度收到政府信息公开申请5件，行政复议0件，行政诉讼0件`), tables as plain text;
- ``dropped``   one cell per line with the empty cells left out (a page that lost its empty <td>s):
                zero cells printed empty, then gone; a row with fewer numbers than columns can
                only come back unresolved. Styles: ``gaps`` a blank line between cells,
                ``char_header`` 表三's header cells one character (or two) a line (`自` / `然` /
                `人`), ``dedup`` 信息内容 printed once and （六）'s header left out (as （五）'s);
- ``traditional`` another text layout printed in traditional characters (規範性文件, 第二十條);
                style ``gloss``: a mirror's pinyin glosses after some characters (數(shù)量);
- ``pipecells`` a web page copied as text, a cell a line ending in ` |`: an empty cell a lone `|`,
                a row padded out to the table's width by a line of pipes (`||`, `|||`); styles
                ``lone_pad``: a row one cell short padded by a lone `|`; ``item_wrap``: items
                printed `第二十条第(一项)`.

The generator knows nothing about the parser: it writes text and says what is in it.
Import it through tests.synth (which registers these renderers), not on its own.
"""

from __future__ import annotations

import random
import re

import zhconv

from tests.synth import (
    SECTIONS,
    T3_COLUMNS,
    T3_NOTE,
    T4_PARTS,
    Cell,
    Expect,
    Key,
    Spec,
    _expect_cells,
    _expect_t2,
    _expect_t4,
    _Out,
    _render_html,
    _render_tab,
    _t2_item,
    _t3_cells,
    _t3_header,
    _t3_labels,
    _text_report,
    digit_cuts,
    result_keys,
    row_readings,
    t3_feasible,
    t4_readings,
)

_PLAIN_INT = re.compile(r"^\d+$")
_TYPO_CHARS = "甲乙丙丁戊己庚辛壬癸"


# ------------------------------------------------------------------ shared: glued readings


def _t3_glued_expect(spec: Spec, expect: dict[Key, Expect], lines: dict[str, int]) -> None:
    """Every 表三 row printed as one run of digits: its true numbers when the table's arithmetic
    leaves one reading of it, else unresolved."""
    options = {k: row_readings("".join(map(str, v))) for k, v in spec.t3.items()}
    feasible = t3_feasible(options, result_keys(spec.template))
    for key, values in spec.t3.items():
        assert values in feasible[key]
        one = len(feasible[key]) == 1
        cells = [
            Cell(str(v), v, "件", "split") if one else Cell("", None, "件", "unresolved") for v in values
        ]
        _expect_cells(expect, "t3", key, T3_COLUMNS, cells, [lines[key]] * 7)


def _t4_glued_expect(spec: Spec, expect: dict[Key, Expect], line: int) -> None:
    readings = t4_readings("".join(map(str, spec.t4)))
    one = len(readings) == 1
    cells = [Cell(str(v), v, "件", "split") if one else Cell("", None, "件", "unresolved") for v in spec.t4]
    _expect_t4(expect, cells, [line] * 15)


def _t2_glued(cells: list[Cell]) -> tuple[str, list[Cell]]:
    """A 表二 row's values as a flattened paragraph prints them: plain whole numbers run together,
    anything else (a sign, a decimal, a unit, a comma) set apart by a space; what can be read."""
    if len(cells) > 1 and all(_PLAIN_INT.match(c.text) for c in cells):
        digits = "".join(c.text for c in cells)
        cuts = list(digit_cuts(digits, len(cells)))
        if len(cuts) == 1:
            return digits, [Cell(c.text, c.value, c.unit, "split") for c in cells]
        return digits, [Cell("", None, c.unit, "unresolved") for c in cells]
    return " ".join(c.text for c in cells) + " ", cells


# ------------------------------------------------------------------ flat


def _render_flat(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    paren = str(spec.style["paren"])

    def t2(out: _Out) -> None:
        line = out.next
        text = ""
        for item, columns, rows in spec.t2:
            text += _t2_item(item, paren) + "信息内容" + "".join(c for _, c in columns)
            for rkey, rlabel, cells in rows:
                printed, got = _t2_glued(cells)
                text += rlabel + printed
                _expect_t2(expect, rkey, columns, got, [line] * len(cells))
        out.add(text)

    def t3(out: _Out) -> None:
        line = out.next
        text = (
            T3_NOTE + "申请人情况" + "".join(_t3_header(spec)[:1] + ["法人或其他组织"] + _t3_header(spec)[1:])
        )
        for key, _path, printed in _t3_labels(spec):
            text += "".join(p for p in printed if p) + "".join(map(str, spec.t3[key]))
        out.add(text)
        _t3_glued_expect(spec, expect, {k: line for k in spec.t3})

    def t4(out: _Out) -> None:
        line = out.add(
            "行政复议行政诉讼"
            + "".join(T4_PARTS)
            + "未经复议直接起诉复议后起诉"
            + "".join(T4_PARTS * 2)
            + "".join(map(str, spec.t4))
        )
        _t4_glued_expect(spec, expect, line)

    text, prose = _text_report(spec, lambda out, s: (t2, t3, t4)[s - 1](out), expect)
    if spec.style.get("flat_body"):
        text = _one_line_body(text, expect)
    return text, prose


def _one_line_body(text: str, expect: dict[Key, Expect]) -> str:
    """Sections 一 to 四 as one line (a page whose paragraphs lost their breaks)."""
    lines = text.split("\n")
    start = next(i for i, s in enumerate(lines) if s == SECTIONS[0])
    end = next(i for i, s in enumerate(lines) if s == SECTIONS[4])
    for e in expect.values():
        if e.line is not None and start < e.line <= end:
            e.line = start + 1
    body = "".join(s.strip() for s in lines[start:end])
    return "\n".join(lines[:start] + [body] + lines[end:])


# ------------------------------------------------------------------ blank


def _wrap_label(text: str, rng: random.Random, p: float = 0.3) -> list[str]:
    """A label, sometimes broken over two lines (not inside its numbering)."""
    m = re.match(
        r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]\s?|\d+[.、．]\s?)?", text
    )
    head = m.end() if m else 0
    body = text[head:]
    if len(body) < 4 or rng.random() > p or "（" in body or "(" in body:
        return [text]
    cut = rng.randint(2, len(body) - 2)
    return [text[: head + cut], body[cut:]]


def _render_blank(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    paren = str(spec.style["paren"])

    def cell(out: _Out, text: str) -> int:
        out.add()
        return out.add(rng.choice(["", " ", "  "]) + text + rng.choice(["", " "]))

    def label(out: _Out, text: str) -> None:
        for part in _wrap_label(text, rng):
            out.add()
            out.add(part)

    cut = bool(spec.style.setdefault("cut_header", rng.random() < 0.4))

    def t2(out: _Out) -> None:
        for item, columns, rows in spec.t2:
            label(out, _t2_item(item, paren))
            label(out, "信息内容")
            for _, c in columns:
                if cut and rng.random() < 0.5 and len(c) >= 5 and "（" not in c:
                    out.add()
                    out.add(c[:-1])  # a header that lost its last character: `本年增/` for 本年增/减
                else:
                    label(out, c)
            for rkey, rlabel, cells in rows:
                label(out, rlabel)
                lines = [cell(out, c.text) for c in cells]
                _expect_t2(expect, rkey, columns, cells, lines)

    def t3(out: _Out) -> None:
        out.add(T3_NOTE)
        label(out, "申请人情况")
        header = _t3_header(spec)
        for text in [header[0], "法人或其他组织", header[6]] + header[1:6]:
            label(out, text)
        for key, _path, printed in _t3_labels(spec):
            for p in printed:
                if p:
                    label(out, p)
            cells = _t3_cells(spec, key, allow_blank=False)
            _expect_cells(expect, "t3", key, T3_COLUMNS, cells, [cell(out, c.text) for c in cells])

    def t4(out: _Out) -> None:
        for text in ["行政复议", "行政诉讼"] + T4_PARTS + ["未经复议直接起诉", "复议后起诉"] + T4_PARTS * 2:
            label(out, text)
        cells = [Cell(str(v), v) for v in spec.t4]
        _expect_t4(expect, cells, [cell(out, c.text) for c in cells])

    return _text_report(spec, lambda out, s: (t2, t3, t4)[s - 1](out), expect)


# ------------------------------------------------------------------ fragment, colspan (HTML)


def _render_fragment(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    """The article's HTML only, on one line, as a page body saved by a crawler."""
    text, prose = _render_html(spec, rng, expect)
    body = text[text.index('<div class="article">') : text.index('<div class="footer">')]
    return body.replace("\n", ""), prose


def _render_colspan(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    text, prose = _render_html(spec, rng, expect)
    for _item, columns, rows in spec.t2:
        span = rng.choice(["label", "first"])
        for label in ["信息内容"] + [r for _, r, _ in rows]:
            if span == "label":  # the label column two wide: every value one slot to the right
                text = text.replace(f"<tr><td>{label}</td>", f'<tr><td colspan="2">{label}</td>', 1)
        if span == "first":  # the first column two wide, in the header and in each row
            header = columns[0][1]
            text = text.replace(f"<td>{header}</td>", f'<td colspan="2">{header}</td>', 1)
            for _, rlabel, cells in rows:
                text = text.replace(
                    f"<tr><td>{rlabel}</td><td>{cells[0].text}</td>",
                    f'<tr><td>{rlabel}</td><td colspan="2">{cells[0].text}</td>',
                    1,
                )
    return text, prose


# ------------------------------------------------------------------ pdfmd


def _render_pdfmd(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    paren = str(spec.style["paren"])
    page = [1]

    def footer(out: _Out) -> None:
        if rng.random() < 0.15:
            out.add()
            out.add(rng.choice([f"— {page[0]} —", f"第 {page[0]} 页", f"- {page[0]} -"]))
            out.add()
            page[0] += 1

    def label(out: _Out, text: str) -> None:
        for part in _wrap_label(text, rng, 0.2):
            out.add(part)

    def values(out: _Out, cells: list[Cell]) -> int:
        return out.add(" ".join(c.text for c in cells))

    def t2(out: _Out) -> None:
        for item, columns, rows in spec.t2:
            out.add(_t2_item(item, paren))
            label(out, "信息内容")
            for _, c in columns:
                label(out, c)
            for rkey, rlabel, cells in rows:
                footer(out)
                label(out, rlabel)
                line = values(out, cells)
                _expect_t2(expect, rkey, columns, cells, [line] * len(cells))

    def t3(out: _Out) -> None:
        out.add(T3_NOTE)
        header = _t3_header(spec)
        out.add("申请人情况")
        out.add(f"{header[0]} 法人或其他组织 {header[6]}")
        out.add(" ".join(header[1:6]))
        labels = _t3_labels(spec)
        i = 0
        while i < len(labels):
            footer(out)
            # style label_block: two sub-rows' labels, then their two lines of numbers (read by column)
            k = (
                2
                if spec.style.get("label_block")
                and i + 1 < len(labels)
                and sum(map(bool, labels[i + 1][2])) == 1
                else 1
            )
            for _key, _path, printed in labels[i : i + k]:
                for p in printed:
                    if p:
                        label(out, p)
            for key, _path, _printed in labels[i : i + k]:
                cells = _t3_cells(spec, key, allow_blank=False)
                line = values(out, cells)
                _expect_cells(expect, "t3", key, T3_COLUMNS, cells, [line] * 7)
            i += k

    def t4(out: _Out) -> None:
        out.add("行政复议 行政诉讼")
        out.add(" ".join(T4_PARTS) + " 未经复议直接起诉 复议后起诉")
        out.add(" ".join(T4_PARTS * 2))
        footer(out)
        cells = [Cell(str(v), v) for v in spec.t4]
        line = values(out, cells)
        _expect_t4(expect, cells, [line] * 15)

    text, prose = _text_report(spec, lambda out, s: (t2, t3, t4)[s - 1](out), expect, md=True)
    return _break_sentences(text, rng, expect), prose


def _break_sentences(text: str, rng: random.Random, expect: dict[Key, Expect]) -> str:
    """Prose lines broken after a comma, as a PDF's lines end; the lines below move down."""
    out: list[str] = []
    moved: dict[int, int] = {}
    for n, line in enumerate(text.split("\n"), 1):
        moved[n] = len(out) + 1
        commas = [m.end() for m in re.finditer("，", line)]
        if len(line) > 40 and commas and "\t" not in line and rng.random() < 0.6:
            cut = rng.choice(commas)
            out += [line[:cut], line[cut:]]
        else:
            out.append(line)
    for e in expect.values():
        if e.line is not None:
            e.line = moved[e.line]
    return "\n".join(out)


# ------------------------------------------------------------------ ocr, t4split, signed, typo (tab-based)


def _render_ocr(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    text, prose = _render_tab(spec, rng, expect)
    lines = text.split("\n")
    first = next(i for i, s in enumerate(lines) if "申请人情况" in s)
    if rng.random() < 0.5:
        header = "\t".join([f"数据{i}" for i in range(1, 7)] + ["总计"])
    else:
        header = "\t".join(f"列{i}" for i in range(1, 8))
    # the three header lines (申请人情况 / 自然人 … / 商业企业 …) become one line of placeholders
    lines[first : first + 3] = ["", "\t" + header, ""]
    return "\n".join(lines), prose


def _render_t4split(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    text, prose = _render_tab(spec, rng, expect)
    lines = text.split("\n")
    start = next(i for i, s in enumerate(lines) if s.startswith("行政复议\t"))
    headings = ["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"]
    new: list[str] = []
    for g, heading in enumerate(headings):
        new += [heading, "\t".join(T4_PARTS), "\t".join(map(str, spec.t4[g * 5 : g * 5 + 5]))]
    lines[start : start + 4] = new
    for g, group in enumerate(["reconsideration", "litigation_direct", "litigation_after"]):
        for col in ["upheld", "corrected", "other", "pending", "total"]:
            expect[("t4", group, col)].line = start + 3 + 3 * g
    return "\n".join(lines), prose


_FW = str.maketrans("0123456789", "０１２３４５６７８９")


def _render_signed(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    """Table 二's 本年增/减 as both sides, some zero cells as a dash or slash, big numbers with a
    comma or a space, some 表三 numbers in full-width digits."""
    for _, columns, rows in spec.t2:
        for i, (rkey, rlabel, cells) in enumerate(rows):
            new = []
            for (ckey, _), c in zip(columns, cells):
                if ckey == "change":
                    v = int(c.value or 0)
                    inc, dec = (v + (k := rng.randint(0, 3)), k) if v >= 0 else (0, -v)
                    text = rng.choice([f"+({inc}) -({dec})", f"增{inc}减{dec}", f"+{inc} -{dec}"])
                    c = Cell(text, v)
                elif c.value == 0 and rng.random() < 0.3:
                    c = Cell(rng.choice(["/", "—", "－"]), None, c.unit, "slash")
                elif isinstance(c.value, int) and c.value >= 1000 and c.text.isdigit():
                    c = Cell(rng.choice([f"{c.value:,}", f"{c.value:,}".replace(",", " ")]), c.value, c.unit)
                new.append(c)
            rows[i] = (rkey, rlabel, new)
    text, prose = _render_tab(spec, rng, expect)
    lines = text.split("\n")
    for k, e in expect.items():
        if k[0] == "t3" and isinstance(e.value, int) and e.line and rng.random() < 0.3:
            cells = lines[e.line - 1].split("\t")
            values = [i for i, c in enumerate(cells) if c.isdigit()]
            j = values[-7 + T3_COLUMNS.index(k[2])] if len(values) >= 7 else None
            if j is not None and cells[j] == str(e.value):
                cells[j] = cells[j].translate(_FW)
                lines[e.line - 1] = "\t".join(cells)
    return "\n".join(lines), prose


def _typo(label: str, rng: random.Random) -> str:
    m = re.match(
        r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]\s?|\d+[.、．]\s?)?", label
    )
    head = m.end() if m else 0
    body = re.sub(r"[（(].*", "", label[head:])
    if len(body) < 5:  # shorter labels are one character from each other (予以公开 / 不予公开)
        return label
    i = head + rng.randrange(len(body))
    return label[:i] + rng.choice(_TYPO_CHARS) + label[i + 1 :]


def _render_typo(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    text, prose = _render_tab(spec, rng, expect)
    lines = text.split("\n")
    labels = sorted(
        {c for s in lines if "\t" in s for c in s.split("\t") if len(re.sub(r"[^\u4e00-\u9fff]", "", c)) >= 4}
    )
    for label in rng.sample(labels, min(3, len(labels))):
        wrong = (
            _typo(label, rng)
            if rng.random() < 0.7
            else re.sub(r"^(?:[（(][一二三四五六七八九十]+[)）]\s?|\d+[.、．]\s?)", "", label)
        )
        lines = [re.sub(rf"(?<![^\t]){re.escape(label)}(?![^\t])", wrong, s) for s in lines]
    return "\n".join(lines), prose


# ------------------------------------------------------------------ narrative


def _render_narrative(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    """Tables as plain text (numbers set apart by spaces), with narrative lines that name table
    rows and end in numbers inside the sections of the tables."""
    from tests.synth import _render_glued

    spec.style["t2_plain"] = True
    text, prose = _render_glued(spec, rng, expect)
    new, carried, t4 = spec.t3["new"][6], spec.t3["carried_over"][6], spec.t4
    lines = text.split("\n")
    said = []
    for heading, sentence, numbers in [
        (
            SECTIONS[2],
            f"本年度收到政府信息公开申请{new}件，上年结转{carried}件，行政复议{t4[4]}件，行政诉"
            f"讼{t4[9] + t4[14]}件",
            [(new, "件", ""), (carried, "件", ""), (t4[4], "件", ""), (t4[9] + t4[14], "件", "")],
        ),
        (
            SECTIONS[3],
            f"全年政府信息公开行政复议{t4[4]}件，行政诉讼{t4[9]}件，复议后起诉{t4[14]}件",
            [(t4[4], "件", ""), (t4[9], "件", ""), (t4[14], "件", "")],
        ),
    ]:
        at = lines.index(heading) + 1
        lines.insert(at, sentence)
        for e in expect.values():
            if e.line is not None and e.line > at:
                e.line += 1
        said += numbers
    return "\n".join(lines), prose + said


# ------------------------------------------------------------------ dropped, traditional


def _kept(cells: list[Cell], rng: random.Random, p: float) -> list[bool]:
    """Which cells the page still prints: a zero cell was printed empty (with probability `p`)."""
    return [c.value != 0 or rng.random() > p for c in cells]


def _left_out(cells: list[Cell], kept: list[bool]) -> list[Cell]:
    """What a reader can know of a row some of whose cells were left out: all there (the cells),
    none there (every cell empty), or some (which is which is unknown: unresolved)."""
    if all(kept):
        return cells
    qualifier = "empty" if not any(kept) else "unresolved"
    return [Cell("", None, "件", qualifier) for _ in cells]


def _render_dropped(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    paren = str(spec.style["paren"])
    gaps = bool(spec.style.setdefault("gaps", rng.random() < 0.5))
    char_header = bool(spec.style.setdefault("char_header", rng.random() < 0.5))
    dedup = bool(spec.style.setdefault("dedup", rng.random() < 0.5))
    p = rng.choice([0.3, 0.7, 1.0])

    def put(out: _Out, text: str) -> int:
        if gaps:
            out.add()
        return out.add(text)

    def label(out: _Out, text: str) -> None:
        for part in _wrap_label(text, rng, 0.2):
            put(out, part)

    def values(out: _Out, cells: list[Cell]) -> tuple[list[Cell], list[int | None]]:
        kept = _kept(cells, rng, p)
        lines = [put(out, c.text) if k else None for c, k in zip(cells, kept)]
        got = _left_out(cells, kept)
        return got, lines if got is cells else [None] * len(cells)

    def t2(out: _Out) -> None:
        before: list[tuple[str, str]] = []
        for n, (item, columns, rows) in enumerate(spec.t2):
            label(out, _t2_item(item, paren))
            if not (dedup and columns == before and item == "（六）"):
                if not (dedup and n):
                    label(out, "信息内容")
                for _, c in columns:
                    label(out, c)
            before = columns
            for rkey, rlabel, cells in rows:
                label(out, rlabel)
                got, lines = values(out, cells)
                _expect_t2(expect, rkey, columns, got, lines)

    def header(out: _Out, text: str) -> None:
        if not char_header or len(text) > 4:
            label(out, text)
            return
        step = 1 if len(text) <= 3 else 2  # `自` / `然` / `人`, `商业` / `企业`
        for i in range(0, len(text), step):
            put(out, text[i : i + step])

    def t3(out: _Out) -> None:
        out.add(T3_NOTE)
        label(out, "申请人情况")
        names = _t3_header(spec)
        for text in [names[0], "法人或其他组织", names[6]] + names[1:6]:
            header(out, text)
        for key, _path, printed in _t3_labels(spec):
            for text in printed:
                if text:
                    label(out, text)
            got, lines = values(out, _t3_cells(spec, key, allow_blank=False))
            _expect_cells(expect, "t3", key, T3_COLUMNS, got, lines)

    def t4(out: _Out) -> None:
        for text in ["行政复议", "行政诉讼"] + T4_PARTS + ["未经复议直接起诉", "复议后起诉"] + T4_PARTS * 2:
            label(out, text)
        got, lines = values(out, [Cell(str(v), v) for v in spec.t4])
        if got[0].qualifier != "empty":  # a 表四 with no number printed is no 表四
            _expect_t4(expect, got, lines)

    return _text_report(spec, lambda out, s: (t2, t3, t4)[s - 1](out), expect)


def _render_pipecells(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    paren = str(spec.style["paren"])
    p = rng.choice([0.0, 0.5, 1.0])  # how often a zero cell is printed empty
    lone = bool(spec.style.setdefault("lone_pad", rng.random() < 0.5))
    item_wrap = bool(spec.style.setdefault("item_wrap", rng.random() < 0.5))

    def row(out: _Out, texts: list[str], width: int, alone: bool = True) -> list[int]:
        """A row, a cell a line; then the pipes of the cells a wider table gives it (style
        ``lone_pad``, 表二: one cell short is padded by a lone pipe, an empty cell of its own)."""
        lines = [out.add(f"{t} |" if t else "|") for t in texts]
        if width - len(texts) > 1 and rng.random() < 0.8:
            out.add("|" * (width - len(texts)))
        elif width - len(texts) == 1 and lone and alone:
            out.add("|")
        return lines

    def padded(got: list[Cell]) -> list[Cell]:
        """A 表二 row padded by a lone pipe whose first cell is empty: `label | | 807 | |` is two
        readings (the pad before or after 807), so a reader can only leave it unresolved."""
        if lone and len(got) == 2 and not got[0].text and got[1].text:
            return [Cell("", None, c.unit, "unresolved") for c in got]
        return got

    def item_label(item: str) -> str:
        """`第二十条第（一）项`, or (style ``item_wrap``) `第二十条第(一项)`."""
        return f"第二十条第({item.strip('（）')}项)" if item_wrap else _t2_item(item, paren)

    def shown(cells: list[Cell]) -> list[Cell]:
        return [Cell("", None, "件", "empty") if c.value == 0 and rng.random() < p else c for c in cells]

    def t2(out: _Out) -> None:
        for item, columns, rows in spec.t2:
            row(out, [item_label(item)], 4)
            row(out, ["信息内容"] + [c for _, c in columns], 4)
            for rkey, rlabel, cells in rows:
                got = shown(cells)
                lines = row(out, [rlabel] + [c.text for c in got], 4)
                known = padded(got)
                _expect_t2(expect, rkey, columns, known, lines[1:] if known is got else [None] * len(got))

    def t3(out: _Out) -> None:
        header = _t3_header(spec)
        row(out, [T3_NOTE, "申请人情况"], 10)
        row(out, ["自然人", "法人或其他组织", "总计"], 10)
        row(out, header[1:6], 10)
        for key, _path, printed in _t3_labels(spec):
            labels = [t for t in printed if t]
            got = shown(_t3_cells(spec, key, allow_blank=False))
            if all(c.qualifier == "empty" for c in got):
                got = _t3_cells(spec, key, allow_blank=False)  # a row of seven lone pipes: drawn as zeros
            # never a lone pipe here: the 表三 reader takes an empty cell before a row's numbers for a
            # label column (HTML tables print them), so `予以公开 | | 5 | … | |` is an open limitation
            lines = row(out, labels + [c.text for c in got], 10, alone=False)
            _expect_cells(expect, "t3", key, T3_COLUMNS, got, lines[len(labels) :])

    def t4(out: _Out) -> None:
        row(out, ["行政复议", "行政诉讼"], 15)
        row(out, T4_PARTS + ["未经复议直接起诉", "复议后起诉"], 15)
        row(out, T4_PARTS * 2, 15)
        got = shown([Cell(str(v), v) for v in spec.t4])
        if all(c.qualifier == "empty" for c in got):
            got = [Cell(str(v), v) for v in spec.t4]
        _expect_t4(expect, got, row(out, [c.text for c in got], 15))

    return _text_report(spec, lambda out, s: (t2, t3, t4)[s - 1](out), expect)


_BASES = ("tab", "cell", "blank", "dropped", "pdfmd")


def _render_traditional(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    """A report republished in traditional characters: a text layout, converted character for
    character (so every line keeps its place)."""
    from tests.synth import _RENDERERS

    base = str(spec.style.setdefault("base", rng.choice(_BASES)))
    gloss = bool(spec.style.setdefault("gloss", rng.random() < 0.5))
    text, prose = _RENDERERS[base](spec, rng, expect)
    lines = [zhconv.convert(line, "zh-hant") for line in text.split("\n")]
    if gloss:
        lines = [_glossed(line, rng) for line in lines]
    return "\n".join(lines), prose


def _glossed(line: str, rng: random.Random) -> str:
    """A mirror's pinyin glosses after some characters: 數(shù)量, 鄉(xiāng)."""
    from pypinyin import Style, pinyin

    return "".join(
        f"{ch}({pinyin(ch, style=Style.TONE)[0][0]})"
        if "\u4e00" <= ch <= "\u9fff" and rng.random() < 0.08
        else ch
        for ch in line
    )


PATTERN_RENDERERS = {
    "flat": _render_flat,
    "blank": _render_blank,
    "fragment": _render_fragment,
    "colspan": _render_colspan,
    "pdfmd": _render_pdfmd,
    "ocr": _render_ocr,
    "t4split": _render_t4split,
    "signed": _render_signed,
    "typo": _render_typo,
    "narrative": _render_narrative,
    "dropped": _render_dropped,
    "traditional": _render_traditional,
    "pipecells": _render_pipecells,
}
PATTERNS = tuple(PATTERN_RENDERERS)
