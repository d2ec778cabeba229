"""HTML, PDF and DOCX → text lines + rows of cells, the same shape the text reader makes.

Every reader renders its document as lines: a paragraph is one line, a table row is one line
with its cells joined by tabs. `Row`/`Cell` point at those lines, so provenance works as it
does for text files, and the table extractor sees one shape whatever the format:

- a merged (spanned) cell is placed once, at its first grid slot, and the slots it spans are
  empty cells, as text exports print them (`第二十条第（一）项⇥⇥⇥`, `⇥⇥2.其他法律…⇥0⇥…`);
  the placed cell keeps `colspan`/`rowspan`;
- the first row(s) of a table holding one cell across the whole table are its caption: a
  paragraph, not a table row;
- a "table" of one column, or one whose cells hold other tables or mostly long text, is
  layout: its cells are read as paragraphs;
- page furniture is dropped before anything is rendered (elements here, lines in
  `furniture.py`); when no title line is left near the top, the file's own title (HTML
  <title>, PDF/DOCX properties) becomes line 1.

HTML: BeautifulSoup + lxml; valid UTF-8 is UTF-8, else the declared charset, else GB18030 (the
GBK family is read as GB18030). A short title or label broken by <br> is one line.
PDF: pdfplumber, no OCR (no text layer → ReadError). Ruled tables by their lines; unruled ones
one row per text line, cells split where the gap is about two spaces or more, blank cells put
back where the other rows' cells line up in columns; a table continued on the next page joined
under the first page's header (a repeated header dropped); page numbers and running headers
dropped; wrapped paragraph lines and two-line centred titles joined; "fake bold" (glyphs drawn
twice) read once. Truncated, damaged and encrypted files → ReadError naming the reason.
DOCX: python-docx opens the package, the body is read from its XML in order: gridSpan/vMerge
give the spans (python-docx's API would repeat a merged cell's text in every slot; labels
physically repeated across cells are collapsed too), Word's automatic numbering (`一、`, `（一）`,
`1.`) is put back in front of its paragraphs, a paragraph laid out with tab stops is a table
row. A zip that is not a DOCX, a legacy .doc, or a zip bomb → ReadError.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from .furniture import furniture_lines, is_furniture, is_link_list_heading
from .model import Cell, Row
from .numbers import parse_cell
from .read import ReadError

MAX_SPAN = 200  # colspan/rowspan beyond this is an error in the page, not a table
TITLE_SEARCH_LINES = 15  # meta looks for the title in the first lines; so does the fallback


def read(fmt: str, data: bytes) -> tuple[list[str], list[Row], str]:
    """Lines, rows and the encoding (or format) of an HTML, PDF or DOCX file."""
    if fmt == "html":
        blocks, title, encoding = _read_html(data)
    elif fmt == "pdf":
        blocks, title = _read_pdf(data)
        encoding = "pdf"
    elif fmt == "docx":
        blocks, title, encoding = _read_docx(data)
    elif fmt == "doc":
        raise ReadError("legacy Office file (OLE2: Word 97-2003 .doc, .wps or .xls); not supported — save it as DOCX or PDF")
    else:
        raise ReadError(f"unsupported format: {fmt}")
    lines, rows = _render(blocks, title)
    if not any(line.strip() for line in lines):
        raise ReadError("no text in the document")
    return lines, rows, encoding


# ------------------------------------------------------------------ shared: blocks → lines

@dataclass
class _Para:
    text: str


@dataclass
class _Table:
    rows: list[list[Cell]]
    page: int = 0


@dataclass
class _Block:
    """A reader's output before rendering: paragraphs and tables in reading order."""

    items: list[_Para | _Table] = field(default_factory=list)

    def para(self, text: str) -> None:
        """A paragraph; one with tabs between its words (laid out with tab stops) is a table row."""
        text = "\t".join(_clean(t) for t in text.split("\t")).strip("\t") if "\t" in text else _clean(text)
        if text.strip():
            self.items.append(_Para(text))

    def table(self, rows: list[list[Cell]]) -> None:
        """A grid of cells (spans already expanded): caption rows, layout tables, data rows."""
        rows = [[Cell(_clean(c.text), c.colspan, c.rowspan) for c in r] for r in rows]
        rows = [r for r in rows if any(c.text for c in r)]
        if not rows:
            return
        width = max(len(r) for r in rows)
        if width == 1 or max(sum(1 for c in r if c.text) for r in rows) == 1 and _all_long(rows):
            for r in rows:
                for c in r:
                    self.para(c.text)
            return
        while rows and _is_caption(rows[0], width):
            self.para(next(c.text for c in rows[0] if c.text))
            rows = rows[1:]
        if rows:
            self.items.append(_Table(rows))


def _all_long(rows: list[list[Cell]]) -> bool:
    return all(len(c.text) > 60 for r in rows for c in r if c.text)


def _is_caption(row: list[Cell], width: int) -> bool:
    filled = [c for c in row if c.text]
    return len(filled) == 1 and row[0].text != "" and row[0].colspan >= width and width > 1


_WS = re.compile(r"[\s\u00a0\u3000\u2000-\u200a\u202f\u205f\ufeff]+")
_ZW = re.compile(r"[\u200b-\u200d\u2060]")


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x3000 <= o <= 0x303F or 0x20000 <= o <= 0x3FFFF


def _clean(text: str) -> str:
    """One line of text: white space runs made single spaces; tabs are cell separators only."""
    return _WS.sub(" ", _ZW.sub("", text)).strip()


def _join(parts: Iterable[str]) -> str:
    """Lines of one paragraph or cell as one line: no space where a line broke between CJK
    characters (`全年共受理` + `14件`), a space between two Latin words or numbers."""
    out = ""
    for p in parts:
        p = _clean(p)
        if not p:
            continue
        if out and not (_is_cjk(out[-1]) or _is_cjk(p[0])):
            out += " "
        out += p
    return out


def _render(blocks: list[_Para | _Table], title: str) -> tuple[list[str], list[Row]]:
    # furniture: paragraph rules, and the entries of a 相关链接 list after its heading
    texts = [b.text if isinstance(b, _Para) else "\t" for b in blocks]
    drop = furniture_lines(texts)
    blocks = [b for i, b in enumerate(blocks) if i not in drop]
    lines: list[str] = []
    rows: list[Row] = []
    if title and "报告" in title and not any(isinstance(b, _Para) and "报告" in b.text for b in blocks[:TITLE_SEARCH_LINES]):
        blocks.insert(0, _Para(title))  # the document's own title (HTML <title>, PDF/DOCX properties)
    for b in blocks:
        if isinstance(b, _Para):
            n = len(lines) + 1
            if "\t" in b.text:
                cells = [Cell(_clean(t), line=n) for t in b.text.split("\t")]
                lines.append("\t".join(c.text for c in cells))
                rows.append(Row(cells, n, n, True))
            else:
                lines.append(b.text)
                rows.append(Row([Cell(b.text, line=n)], n, n, False))
            continue
        for r in b.rows:
            n = len(lines) + 1
            cells = [Cell(c.text.replace("\t", " "), c.colspan, c.rowspan, n) for c in r]
            lines.append("\t".join(c.text for c in cells))
            rows.append(Row(cells, n, n, True))
    return lines, rows


class _Grid:
    """Rows of (text, colspan, rowspan) → rows of cells on one grid: a spanned cell once, the
    slots it covers (to its right, and below it) as empty cells."""

    def __init__(self) -> None:
        self.rows: list[list[Cell]] = []
        self._below: dict[int, int] = {}  # column → rows still covered by a rowspan from above

    def add(self, specs: list[tuple[str, int, int]]) -> None:
        covered = {c for c, left in self._below.items() if left > 0}
        self._below = {c: left - 1 for c, left in self._below.items() if left > 1}
        cells: dict[int, Cell] = {}
        col = 0
        for text, colspan, rowspan in specs:
            while col in covered or col in cells:
                col += 1
            cells[col] = Cell(text, colspan, rowspan)
            for k in range(1, colspan):
                if col + k not in cells and col + k not in covered:
                    cells[col + k] = Cell("")
            if rowspan > 1:
                for k in range(colspan):
                    self._below[col + k] = max(self._below.get(col + k, 0), rowspan - 1)
            col += colspan
        for c in covered:
            cells.setdefault(c, Cell(""))
        width = max(cells) + 1 if cells else 0
        self.rows.append([cells.get(i, Cell("")) for i in range(width)])


def _span(value: Any) -> int:
    m = re.match(r"\s*(\d+)", str(value or ""))
    n = int(m.group(1)) if m else 1
    return min(max(n, 1), MAX_SPAN)


def _collapse_repeats(rows: list[list[Cell]]) -> list[list[Cell]]:
    """A merged cell some writers repeat in every slot it covers: keep the first, blank the rest
    (labels only; a repeated number is two numbers)."""
    def label(c: Cell) -> bool:
        return len(c.text.strip()) >= 2 and parse_cell(c.text) is None

    for r in rows:
        for j in range(len(r) - 1, 0, -1):
            if label(r[j]) and r[j].text == r[j - 1].text:
                r[j - 1].colspan += r[j].colspan
                r[j] = Cell("")
    for i in range(len(rows) - 1, 0, -1):
        for j, c in enumerate(rows[i]):
            if label(c) and j < len(rows[i - 1]) and rows[i - 1][j].text == c.text:
                rows[i - 1][j].rowspan += c.rowspan
                rows[i][j] = Cell("")
    return rows


# ------------------------------------------------------------------ HTML

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.I)
_GBK_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "gb_2312-80", "gb_2312", "csgb2312", "chinese", "iso-ir-58"}

_DROP = {"script", "style", "noscript", "template", "iframe", "object", "embed", "nav", "select", "button", "input",
              "textarea", "svg", "canvas", "map", "head", "link", "meta", "area", "audio", "video", "frameset", "frame"}
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "section",
               "article", "main", "aside", "header", "footer", "address", "pre", "center", "form", "fieldset", "figure",
               "figcaption", "hr", "tr", "td", "th", "caption", "body", "html", "legend", "details", "summary", "table",
               "thead", "tbody", "tfoot"}
_FURNITURE_CLASS = re.compile(
    r"^(?:[a-z0-9]+[-_])*(nav|navbar|navigation|menu|mainmenu|submenu|breadcrumbs?|crumbs?|bread|position|location|"
    r"weizhi|dqwz|footer|foot|bottom|copyright|banquan|sidebar|share|bdshare|jiathis|print|toolbar|related|relate|"
    r"xglj|friendlinks?|yqlj|topbar|top|skip)(?:[-_][a-z0-9]+)*$"
)
_CSS_UTILITY = re.compile(r"relative|absolute|fixed|static|sticky")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜—–]|\s-\s|--)\s*")


def _decode_html(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    head = data[:8192]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    declared = m.group(1).decode("ascii", "ignore").lower().strip() if m else ""
    if declared in _GBK_FAMILY:
        declared = "gb18030"
    # valid UTF-8 with non-ASCII bytes is UTF-8, whatever the page declares (GBK text is
    # practically never valid UTF-8; a page declaring gb2312 while serving UTF-8 is common)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for enc in dict.fromkeys([declared, "gb18030"]):
        if not enc or enc in ("utf-8", "utf8"):
            continue
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    text = data.decode("gb18030", errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 100):
        raise ReadError("unreadable encoding (HTML is neither UTF-8 nor GB18030" + (f" nor the declared {declared}" if declared else "") + ")")
    return text, "gb18030"


def _read_html(data: bytes) -> tuple[list[_Para | _Table], str, str]:
    from bs4 import BeautifulSoup

    text, encoding = _decode_html(data)
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as e:  # lxml refuses some broken documents outright
        raise ReadError(f"unparseable HTML ({type(e).__name__}: {e})") from None
    title_tag = soup.find("title")
    title = _html_title(title_tag.get_text(" ") if title_tag else "")
    _strip_html_furniture(soup)
    out = _Block()
    root = soup.body or soup
    _HtmlWalker(out).walk(root)
    return out.items, title, encoding


def _html_title(text: str) -> str:
    parts = [p for p in _TITLE_SPLIT.split(_clean(text)) if p]
    return next((p for p in parts if "报告" in p), "")


def _is_furniture_element(el: Any) -> bool:
    attrs = el.attrs or {}
    style = attrs.get("style") or ""
    if _HIDDEN_STYLE.search(style) or "hidden" in attrs:
        return not _holds_report(el)
    if el.name in ("header", "footer"):
        return el.find_parent(["article", "main"]) is None and not _holds_report(el)
    classes = attrs.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    tokens = [t.lower() for t in classes] + [str(attrs.get("id") or "").lower()]
    return any(t and _FURNITURE_CLASS.match(t) and not _CSS_UTILITY.search(t) for t in tokens) and not _holds_report(el)


def _holds_report(el: Any) -> bool:
    if el.find("table") is not None:
        return True
    if any("报告" in h.get_text() for h in el.find_all(["h1", "h2", "h3"])):
        return True
    return len(el.get_text(strip=True)) > 500


def _strip_html_furniture(soup: Any) -> None:
    from bs4 import NavigableString, Tag

    headings = []
    stack = [(soup, False)]
    while stack:  # top-down: a removed element's subtree is not visited
        node, in_table = stack.pop()
        for el in list(node.children):
            if isinstance(el, Tag):
                # inside a table only scripts and the like go: a cell styled `class="bottom"` is a cell
                if el.name in _DROP or (not in_table and _is_furniture_element(el)):
                    el.decompose()
                else:
                    data_table = el.name == "table" and el.find("table") is None  # not a page laid out in a table
                    stack.append((el, in_table or data_table))
            elif type(el) is NavigableString and len(el) < 40 and is_link_list_heading(str(el)):
                headings.append(el)
    # 相关链接 / 友情链接 boxes: the heading and the list that goes with it
    for s in headings:
        el = s.parent
        if el is None or not isinstance(el, Tag) or el.name is None:
            continue
        while el.parent is not None and el.parent.name not in ("body", "html", "[document]") and not _holds_report(el.parent) \
                and len(el.parent.get_text(strip=True)) < 1000:
            el = el.parent
        if el.name in ("body", "html", "[document]"):
            s.extract()
            continue
        nxt = el.find_next_sibling()
        el.decompose()
        if nxt is not None and nxt.name in ("ul", "ol", "dl") and not _holds_report(nxt):
            nxt.decompose()


_BR = "\x00br\x00"  # a <br> in the text buffer (NUL never comes out of the HTML parser)
_SENTENCE_END = ("。", "；", ";", "！", "？", "：", ":")


class _HtmlWalker:
    def __init__(self, out: _Block) -> None:
        self.out = out
        self.buf: list[str] = []

    def flush(self) -> None:
        """The text since the last block boundary: one paragraph per <br>-separated line, except a
        short title or label broken by <br> (`…2020年政府信息公开<br>工作年度报告`), which is one."""
        if not self.buf:
            return
        parts = [_html_text(p) for p in "".join(self.buf).split(_BR)]
        self.buf = []
        parts = [p for p in parts if p]
        if len(parts) > 1 and sum(map(len, parts)) <= 60 and not any(p.endswith(_SENTENCE_END) for p in parts[:-1]):
            parts = [_join(parts)]
        for p in parts:
            self.out.para(p)

    def walk(self, node: Any, depth: int = 0) -> None:
        from bs4 import NavigableString, Tag

        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:
                    self.buf.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name == "br":
                self.buf.append(_BR)
            elif name == "table":
                self.flush()
                self.table(child, depth)
            elif name == "pre":
                self.flush()
                for line in child.get_text().splitlines():
                    self.out.para(line)
            elif depth > 300:  # pathological nesting: its text, not its structure
                self.buf.append(child.get_text(" "))
            else:
                block = name in _BLOCK_TAGS
                if block:
                    self.flush()
                self.walk(child, depth + 1)
                if block:
                    self.flush()
        if depth == 0:
            self.flush()

    def table(self, table: Any, depth: int) -> None:
        trs = _own_rows(table)
        cells_of = [_tags(tr, ("td", "th")) for tr in trs]
        for caption in _tags(table, ("caption",)):
            self.out.para(_html_text(caption.get_text(" ")))
        lengths = [len(c.get_text(strip=True)) for row in cells_of for c in row]
        layout = table.find("table") is not None or \
            sum(n for n in lengths if n > 300) > sum(lengths) / 2  # a page laid out in columns
        if layout:  # a page laid out with a table: its cells are containers
            for row in cells_of:
                for c in row:
                    self.walk(c, depth + 1)
                    self.flush()
            return
        grid = _Grid()
        for row in cells_of:
            grid.add([(self.cell_text(c, depth), _span(c.get("colspan")), _span(c.get("rowspan"))) for c in row])
        self.out.table(grid.rows)

    def cell_text(self, cell: Any, depth: int) -> str:
        sub = _Block()
        walker = _HtmlWalker(sub)
        walker.walk(cell, depth + 1)
        walker.flush()
        return _join(p.text for p in sub.items if isinstance(p, _Para))


def _tags(el: Any, names: tuple[str, ...]) -> list[Any]:
    return [c for c in el.children if getattr(c, "name", None) in names]


def _own_rows(table: Any) -> list[Any]:
    rows = []
    for child in _tags(table, ("tr", "thead", "tbody", "tfoot")):
        rows.extend([child] if child.name == "tr" else _tags(child, ("tr",)))
    return rows


_WS_RUN = re.compile(r"[ \t\r\n\f\v\u00a0\u3000\u2000-\u200a\u202f\u205f]+")


def _html_text(s: str) -> str:
    """HTML white space: a run is one space, and nothing where the source broke a line between
    two CJK characters (`全年共受理\\n14件` is `全年共受理14件` on the page)."""
    def repl(m: re.Match[str]) -> str:
        run, a, b = m.group(0), m.string[m.start() - 1 : m.start()], m.string[m.end() : m.end() + 1]
        if ("\n" in run or "\r" in run) and a and b and (_is_cjk(a) or _is_cjk(b)):
            return ""
        return " "

    return _WS_RUN.sub(repl, _ZW.sub("", s)).strip()


# ------------------------------------------------------------------ PDF

_PAGE_NUMBER = re.compile(r"^(?:[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|(?:page|Page|PAGE)\s*\d+(?:\s*of\s*\d+)?)$")
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d{1,2}\s*[.．、](?!\d)|第[一二三四五六七八九十]+[章节条])")
CELL_GAP = 1.0  # a gap of this many font sizes (≈ two spaces) between characters separates cells
BAND = 0.08  # top and bottom bands of a page, where running headers and page numbers live


@dataclass
class _PdfLine:
    cells: list[str]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    numeric: bool = False
    row: bool = False  # a one-cell row of an unruled table
    starts: list[float] = field(default_factory=list)  # x0 of each cell

    @property
    def text(self) -> str:
        return " ".join(self.cells)


def _read_pdf(data: bytes) -> tuple[list[_Para | _Table], str]:
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    tail = data[-4096:]
    if b"%%EOF" not in tail:
        raise ReadError("truncated or damaged PDF (no %%EOF end marker)")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as e:
        raise ReadError(_pdf_error(e.args[0] if e.args else e)) from None
    except Exception as e:  # pdfminer raises bare exceptions on some damaged files
        raise ReadError(_pdf_error(e)) from None
    with pdf:
        try:
            pages = pdf.pages
            title = _pdf_meta_title(pdf.metadata)
            if not pages:
                raise ReadError("PDF has no pages")
            per_page = []
            chars = 0
            cid = 0
            for number, page in enumerate(pages):
                chars += len(page.chars)
                cid += sum(1 for c in page.chars if str(c.get("text", "")).startswith("(cid:"))
                per_page.append(_pdf_page(page, number))
                page.flush_cache()
        except ReadError:
            raise
        except PdfminerException as e:
            raise ReadError(_pdf_error(e.args[0] if e.args else e)) from None
        except Exception as e:
            raise ReadError(_pdf_error(e)) from None
    if chars == 0:
        raise ReadError("no text layer (scanned PDF?); OCR is not supported")
    if cid > chars * 0.3:
        raise ReadError("text layer without Unicode mapping (glyph ids only); OCR is not supported")
    return _pdf_blocks(per_page), title


def _pdf_error(e: Any) -> str:
    name = type(e).__name__
    msg = str(e).strip()
    if "Password" in name or "Encrypt" in name or "password" in msg.lower():
        return "encrypted PDF (a password is needed to read it)"
    if "EOF" in name or "Unexpected EOF" in msg or "truncated" in msg.lower():
        return "truncated or damaged PDF (file ends too early)"
    return f"damaged PDF ({name}{': ' + msg[:120] if msg else ''})"


def _pdf_meta_title(meta: Any) -> str:
    t = (meta or {}).get("Title") or ""
    if isinstance(t, bytes):
        for enc in ("utf-16", "utf-8", "gb18030"):
            try:
                t = t.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            t = ""
    return _clean(str(t)) if "报告" in str(t) else ""


@dataclass
class _PdfPage:
    number: int
    height: float
    items: list[tuple[float, _PdfLine | _Table]]


def _doubled(chars: list[dict[str, Any]]) -> bool:
    seen: set[tuple[str, int, int]] = set()
    for c in chars:
        text, y, x = c["text"], round(c["top"]), round(c["x0"])
        if text.strip() and any((text, y + dy, x + dx) in seen for dy in (-1, 0, 1) for dx in (-1, 0, 1)):
            return True
        seen.add((text, y, x))
    return False


def _pdf_page(page: Any, number: int) -> _PdfPage:
    if _doubled(page.chars):
        page = page.dedupe_chars(tolerance=1)  # "fake bold": the same glyphs drawn twice, a hair apart
    tables = []
    for t in page.find_tables():
        rows = t.rows
        if len(rows) < 2 or max(len(r.cells) for r in rows) < 2:
            continue
        tables.append(t)
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    text_page = page.filter(outside) if boxes else page
    items: list[tuple[float, _PdfLine | _Table]] = [(ln.top, ln) for ln in _pdf_lines(text_page.chars, number)]
    for t in tables:
        items.append((t.bbox[1], _Table(_pdf_table(t), number)))
    items.sort(key=lambda it: it[0])
    return _PdfPage(number, float(page.height), items)


def _pdf_lines(chars: list[dict[str, Any]], page: int) -> list[_PdfLine]:
    """Characters → text lines; a line's cells are split where the gap is wider than CELL_GAP."""
    chars = [c for c in chars if c.get("upright", True)]
    if not chars:
        return []
    chars.sort(key=lambda c: (c["top"], c["x0"]))
    groups: list[list[dict[str, Any]]] = []
    for c in chars:
        mid = (c["top"] + c["bottom"]) / 2
        for g in reversed(groups[-3:]):
            top, bottom = g[0]["top"], g[0]["bottom"]
            if top - 0.5 <= mid <= bottom + 0.5:
                g.append(c)
                break
        else:
            groups.append([c])
    lines = []
    for g in groups:
        g.sort(key=lambda c: c["x0"])
        visible = [c for c in g if c["text"].strip()]
        if not visible:
            continue
        size = max(1.0, sorted(c["size"] for c in visible)[len(visible) // 2])
        cells: list[str] = [""]
        starts: list[float] = []
        prev = None
        for c in g:
            ch = c["text"]
            if not ch.strip():
                if cells[-1] and not cells[-1].endswith(" "):
                    cells[-1] += " "
                continue
            if prev is not None:
                gap = c["x0"] - prev["x1"]
                if gap >= CELL_GAP * size:
                    cells.append("")
                    starts.append(c["x0"])
                elif gap > 0.2 * size and cells[-1] and not cells[-1].endswith(" "):
                    cells[-1] += " "
            if prev is None:
                starts.append(c["x0"])
            cells[-1] += ch
            prev = c
        keep = [i for i, x in enumerate(cells) if _clean(x)]
        cells, starts = [_clean(cells[i]) for i in keep], [starts[i] for i in keep]
        line = _PdfLine(cells, visible[0]["x0"], visible[-1]["x1"], min(c["top"] for c in visible), max(c["bottom"] for c in visible), size, page,
                        starts=starts)
        line.numeric = any(parse_cell(x) is not None and parse_cell(x).is_number for x in cells)  # type: ignore[union-attr]
        lines.append(line)
    return lines


def _pdf_table(t: Any) -> list[list[Cell]]:
    texts = t.extract()
    boxes = [list(r.cells) for r in t.rows]
    xs = sorted({round(b[0], 1) for r in boxes for b in r if b is not None})
    ys = sorted({round(b[1], 1) for r in boxes for b in r if b is not None})
    out = []
    for r_text, r_box in zip(texts, boxes):
        row = []
        for text, box in zip(r_text, r_box):
            if box is None or text is None:
                row.append(Cell(""))
                continue
            colspan = max(1, sum(1 for x in xs if box[0] - 0.5 <= x < box[2] - 0.5))
            rowspan = max(1, sum(1 for y in ys if box[1] - 0.5 <= y < box[3] - 0.5))
            row.append(Cell(_join(text.split("\n")), colspan, rowspan))
        out.append(row)
    return out


def _pdf_blocks(pages: list[_PdfPage]) -> list[_Para | _Table]:
    # running headers/footers: a line in the top/bottom band repeated on several pages, and page numbers
    def band(line: _PdfLine, height: float) -> bool:
        return line.top < height * BAND or line.bottom > height * (1 - BAND)

    def key(text: str) -> str:
        return re.sub(r"\d+", "#", text.replace(" ", ""))

    seen: dict[str, int] = {}
    for p in pages:
        for k in {key(it.text) for _, it in p.items if isinstance(it, _PdfLine) and band(it, p.height)}:
            seen[k] = seen.get(k, 0) + 1
    repeated = {k for k, n in seen.items() if n >= 2 and len(pages) >= 2 and n >= len(pages) / 2}

    seq: list[_PdfLine | _Table] = []
    for p in pages:
        page_items: list[_PdfLine | _Table] = []
        for _, it in p.items:
            if isinstance(it, _PdfLine) and band(it, p.height) and (_PAGE_NUMBER.match(it.text) or key(it.text) in repeated):
                continue
            if isinstance(it, _PdfLine) and is_furniture(it.text):
                continue
            page_items.append(it)
        # a table continued from the previous page: same columns, nothing in between
        if page_items and seq and isinstance(page_items[0], _Table) and isinstance(seq[-1], _Table) \
                and seq[-1].page == p.number - 1 and _width(seq[-1]) == _width(page_items[0]):
            first, cont = seq[-1], page_items.pop(0)
            rows = cont.rows
            k = 0
            while k < len(rows) and k < len(first.rows) - 1 and _texts(rows[k]) == _texts(first.rows[k]) and not any(
                    parse_cell(c.text) is not None and parse_cell(c.text).is_number for c in rows[k]):  # type: ignore[union-attr]
                k += 1  # the header printed again on the new page
            first.rows.extend(rows[k:])
            first.page = p.number
        seq.extend(page_items)
    _mark_text_tables(seq)
    return _pdf_paragraphs(seq, pages)


def _width(t: _Table) -> int:
    return max(len(r) for r in t.rows)


def _texts(row: list[Cell]) -> list[str]:
    return [c.text.replace(" ", "") for c in row]


def _mark_text_tables(seq: list[_PdfLine | _Table]) -> None:
    """An unruled table: lines of several cells. A lone line of several cells with no number in
    it is a paragraph with wide spaces, not a table. A short one-cell line inside a run of such
    lines, at the run's row pitch, is a row whose value cells are empty (`2.重复申请` with
    nothing printed after it)."""
    multi = [isinstance(it, _PdfLine) and len(it.cells) >= 2 for it in seq]
    pitches: dict[int, list[float]] = {}
    for a, b, ma, mb in zip(seq, seq[1:], multi, multi[1:]):
        if ma and mb and a.page == b.page:  # type: ignore[union-attr]
            pitches.setdefault(a.page, []).append(b.top - a.top)  # type: ignore[union-attr]
    pitch = {p: sorted(v)[len(v) // 2] for p, v in pitches.items()}

    def close(a: _PdfLine | _Table, b: _PdfLine | _Table) -> bool:
        if not (isinstance(a, _PdfLine) and isinstance(b, _PdfLine)) or a.page != b.page or a.page not in pitch:
            return False
        return 0 < b.top - a.top <= 1.1 * pitch[a.page] + 0.5  # table rows are evenly spaced

    def short(it: _PdfLine | _Table) -> bool:
        return isinstance(it, _PdfLine) and len(it.cells) == 1 and len(it.cells[0]) <= 40 and "。" not in it.cells[0]

    for i, it in enumerate(seq):
        if multi[i] or not short(it):
            continue
        j = i
        while j > 0 and not multi[j - 1] and short(seq[j - 1]) and close(seq[j - 1], seq[j]):
            j -= 1
        k = i
        while k + 1 < len(seq) and not multi[k + 1] and short(seq[k + 1]) and close(seq[k], seq[k + 1]):
            k += 1
        if j > 0 and multi[j - 1] and close(seq[j - 1], seq[j]) and k + 1 < len(seq) and multi[k + 1] and close(seq[k], seq[k + 1]):
            columns = seq[j - 1].starts + seq[k + 1].starts  # type: ignore[union-attr]
            if any(abs(it.x0 - x) <= 2 for x in columns):  # type: ignore[union-attr]
                it.row = True  # type: ignore[union-attr]
    rowish = [multi[i] or (isinstance(it, _PdfLine) and it.row) for i, it in enumerate(seq)]
    for i, it in enumerate(seq):
        if isinstance(it, _PdfLine) and multi[i] and not it.numeric:
            if not ((i > 0 and rowish[i - 1]) or (i + 1 < len(seq) and rowish[i + 1])):
                it.cells = [" ".join(it.cells)]


def _align(lines: list[_PdfLine]) -> list[list[Cell]]:
    """Rows of an unruled table. Where cells start at the same x on several rows, those x are
    the table's columns, and a row whose cells all start on them gets its blank cells back
    (`(六)其他处理` with nothing after it is a row of eight empty cells, not a lone label)."""
    starts = sorted(x for ln in lines for x in ln.starts)
    clusters: list[list[float]] = []
    for x in starts:
        if clusters and x - clusters[-1][-1] <= 1.5:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    columns = [c[0] for c in clusters if len(c) >= 3 and c[-1] - c[0] <= 1.5]
    out = []
    for ln in lines:
        slots = [next((k for k, x in enumerate(columns) if abs(s - x) <= 1.5), None) for s in ln.starts]
        if columns and None not in slots and len(set(slots)) == len(slots) and slots == sorted(slots) and len(ln.cells) < len(columns):
            row = [Cell("") for _ in columns]
            for k, text in zip(slots, ln.cells):
                row[k] = Cell(text)  # type: ignore[index]
            out.append(row)
        else:
            out.append([Cell(c) for c in ln.cells])
    return out


def _title_continues(a: _PdfLine, b: _PdfLine, left: float, right: float) -> bool:
    """A centred title broken over two lines (`…2020年政府信息公开` / `工作年度报告`)."""
    def centred(x: _PdfLine) -> bool:
        return x.x0 > left + 2 * x.size and abs((x.x0 + x.x1) / 2 - (left + right) / 2) < 2 * x.size

    return (a.page == b.page and centred(a) and centred(b) and abs(a.size - b.size) < 0.5 and 0 < b.top - a.bottom < 1.2 * a.size
            and not a.text.endswith(("。", "：", ":", "）", ")")) and not _HEADING_START.match(b.text) and len(a.text) + len(b.text) < 60)


def _pdf_paragraphs(seq: list[_PdfLine | _Table], pages: list[_PdfPage]) -> list[_Para | _Table]:
    """Text lines → paragraphs (a line that runs to the right margin continues on the next line
    unless that one is indented or starts a heading) and unruled table rows."""
    margins: dict[int, tuple[float, float]] = {}
    for p in pages:
        single = [it for _, it in p.items if isinstance(it, _PdfLine) and len(it.cells) == 1]
        if single:
            margins[p.number] = (min(x.x0 for x in single), max(x.x1 for x in single))
    out = _Block()
    para: list[_PdfLine] = []
    text_rows: list[_PdfLine] = []

    def flush_para() -> None:
        if para:
            out.para(_join(x.text for x in para))
            para.clear()

    def flush_rows() -> None:
        if text_rows:
            out.table(_align(text_rows))
            text_rows.clear()

    for it in seq:
        if isinstance(it, _Table):
            flush_para()
            flush_rows()
            out.table(it.rows)
            continue
        if len(it.cells) >= 2 or it.row:
            flush_para()
            text_rows.append(it)
            continue
        flush_rows()
        if para:
            last = para[-1]
            left, right = margins.get(last.page, (last.x0, last.x1))
            nleft, _ = margins.get(it.page, (it.x0, it.x1))
            full = last.x1 >= right - 2.2 * last.size
            flush_left = it.x0 <= nleft + 0.6 * it.size
            wrapped = full and flush_left and not _HEADING_START.match(it.text)
            if not (wrapped or _title_continues(last, it, left, right)):
                flush_para()
        para.append(it)
    flush_para()
    flush_rows()
    return out.items


# ------------------------------------------------------------------ DOCX

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CONTAINERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins", W + "moveTo", W + "hyperlink",
               W + "fldSimple", W + "dir", W + "bdo"}
_SKIP = {W + "del", W + "moveFrom", W + "txbxContent", MC_FALLBACK, W + "instrText", W + "delText", W + "pPr", W + "rPr",
         W + "sectPr", W + "tblPr", W + "trPr", W + "tcPr", W + "footnoteReference", W + "endnoteReference",
         W + "commentReference"}


MAX_UNZIPPED = 256 * 1024 * 1024  # a DOCX that inflates beyond this is a zip bomb, not a report


def _read_docx(data: bytes) -> tuple[list[_Para | _Table], str, str]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
        names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise ReadError(f"damaged DOCX (not a readable zip archive: {e})") from None
    if "word/document.xml" not in names:
        raise ReadError(f"zip archive is not a DOCX ({_zip_kind(zf, names)})")
    inflated = sum(i.file_size for i in infos)
    if inflated > MAX_UNZIPPED:
        raise ReadError(f"DOCX inflates to {inflated // 1_000_000} MB (> {MAX_UNZIPPED // 1_000_000} MB); refused")
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    out = _Block()
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as e:
        if "not a Word file" not in str(e):  # .docm / .dotx / odd WPS content types: read the body directly
            raise ReadError(f"damaged DOCX (ValueError: {str(e)[:120]})") from None
        _docx_blocks(_docx_body(zf), out, _Docx(None, _Numbering(zf)))
        return out.items, "", "docx"
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile) as e:
        raise ReadError(f"damaged DOCX ({type(e).__name__}: {e})") from None
    except Exception as e:  # a broken XML part
        raise ReadError(f"damaged DOCX ({type(e).__name__}: {str(e)[:120]})") from None
    try:
        title = _clean(document.core_properties.title or "")
    except Exception:
        title = ""
    _docx_blocks(document.element.body, out, _Docx(document, _Numbering(zf)))
    return out.items, title if "报告" in title else "", "docx"


def _docx_body(zf: zipfile.ZipFile) -> Any:
    from lxml import etree

    try:
        root = etree.fromstring(zf.read("word/document.xml"), etree.XMLParser(resolve_entities=False, huge_tree=False))
    except (etree.XMLSyntaxError, KeyError, zipfile.BadZipFile, OSError) as e:
        raise ReadError(f"damaged DOCX (word/document.xml: {str(e)[:120]})") from None
    body = root.find(W + "body")
    if body is None:
        raise ReadError("damaged DOCX (word/document.xml has no body)")
    return body


def _zip_kind(zf: zipfile.ZipFile, names: set[str]) -> str:
    if "xl/workbook.xml" in names:
        return "an XLSX spreadsheet"
    if "ppt/presentation.xml" in names:
        return "a PPTX presentation"
    if "mimetype" in names:
        try:
            kind = zf.read("mimetype")[:100].decode("ascii", "ignore")
        except Exception:
            kind = ""
        if "opendocument" in kind:
            return f"an OpenDocument file ({kind}); save it as DOCX"
        if "epub" in kind:
            return "an EPUB book"
    sample = ", ".join(sorted(names)[:3])
    return f"no word/document.xml; it holds {len(names)} file(s): {sample}" if names else "empty zip archive"


class _Numbering:
    """Word's automatic numbering (`一、` `（一）` `1.` typed by Word, not by the author), which
    python-docx leaves out of the text: headings and table labels need it back."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (abstractNumId, ilvl) → (numFmt, lvlText, start)
        self.nums: dict[str, str] = {}  # numId → abstractNumId
        self.starts: dict[tuple[str, int], int] = {}  # (numId, ilvl) → startOverride
        self.styles: dict[str, tuple[str | None, int | None]] = {}  # styleId → (numId, ilvl) of its numPr
        self.based: dict[str, str] = {}
        self.counters: dict[str, list[int]] = {}
        self.started: set[str] = set()
        try:
            self._load(zf)
        except Exception:  # numbering is a nicety: a broken numbering part leaves the text as it is
            self.levels, self.nums = {}, {}

    def _xml(self, zf: zipfile.ZipFile, name: str) -> Any:
        from lxml import etree

        if name not in zf.namelist():
            return None
        return etree.fromstring(zf.read(name), etree.XMLParser(resolve_entities=False))

    def _load(self, zf: zipfile.ZipFile) -> None:
        numbering = self._xml(zf, "word/numbering.xml")
        if numbering is None:
            return
        for a in numbering.iter(W + "abstractNum"):
            aid = a.get(W + "abstractNumId")
            for lvl in a.iter(W + "lvl"):
                ilvl = int(lvl.get(W + "ilvl", "0"))
                fmt = lvl.find(W + "numFmt")
                text = lvl.find(W + "lvlText")
                start = lvl.find(W + "start")
                self.levels[(aid, ilvl)] = (fmt.get(W + "val", "decimal") if fmt is not None else "decimal",
                                            text.get(W + "val", "") if text is not None else "",
                                            int(start.get(W + "val", "1")) if start is not None else 1)
        for n in numbering.iter(W + "num"):
            nid = n.get(W + "numId")
            ref = n.find(W + "abstractNumId")
            if ref is not None:
                self.nums[nid] = ref.get(W + "val")
            for o in n.iter(W + "lvlOverride"):
                so = o.find(W + "startOverride")
                if so is not None:
                    self.starts[(nid, int(o.get(W + "ilvl", "0")))] = int(so.get(W + "val", "1"))
        styles = self._xml(zf, "word/styles.xml")
        for st in styles.iter(W + "style") if styles is not None else []:
            sid = st.get(W + "styleId")
            based = st.find(W + "basedOn")
            if based is not None:
                self.based[sid] = based.get(W + "val")
            numpr = st.find(f"{W}pPr/{W}numPr")
            if numpr is not None:
                nid, ilvl = numpr.find(W + "numId"), numpr.find(W + "ilvl")
                self.styles[sid] = (nid.get(W + "val") if nid is not None else None, int(ilvl.get(W + "val", "0")) if ilvl is not None else None)

    def label(self, p: Any) -> str:
        if not self.nums:
            return ""
        ppr = p.find(W + "pPr")
        if ppr is None:
            return ""
        numpr = ppr.find(W + "numPr")
        nid = ilvl = None
        if numpr is not None:
            n, i = numpr.find(W + "numId"), numpr.find(W + "ilvl")
            nid = n.get(W + "val") if n is not None else None
            ilvl = int(i.get(W + "val", "0")) if i is not None else None
        style = ppr.find(W + "pStyle")
        sid = style.get(W + "val") if style is not None else None
        for _ in range(10):  # the style's numbering, through basedOn
            if nid is not None and ilvl is not None or sid is None:
                break
            snid, silvl = self.styles.get(sid, (None, None))
            nid = nid if nid is not None else snid
            ilvl = ilvl if ilvl is not None else silvl
            sid = self.based.get(sid)
        if nid is None or nid == "0" or nid not in self.nums:
            return ""
        ilvl = min(ilvl or 0, 8)
        aid = self.nums[nid]
        if aid not in self.counters:
            self.counters[aid] = [self.levels.get((aid, k), ("", "", 1))[2] - 1 for k in range(9)]
        counts = self.counters[aid]
        if nid not in self.started:  # a list that restarts its numbering (startOverride)
            self.started.add(nid)
            for (onid, olvl), start in self.starts.items():
                if onid == nid:
                    counts[olvl] = start - 1
        counts[ilvl] += 1
        for k in range(ilvl + 1, 9):
            counts[k] = self.levels.get((aid, k), ("", "", 1))[2] - 1
        fmt, text, _ = self.levels.get((aid, ilvl), ("decimal", f"%{ilvl + 1}.", 1))
        if fmt in ("bullet", "none") or not text:
            return ""

        def level(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            kfmt = self.levels.get((aid, k), ("decimal", "", 1))[0]
            return _number_format(max(counts[k], 0), kfmt if k != ilvl else fmt)

        label = re.sub(r"%([1-9])", level, text)
        return label + (" " if label and label[-1].isalnum() and label.isascii() else "")


_CN_DIGITS = "零一二三四五六七八九"


def _number_format(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCounting",
               "chineseLegalSimplified", "japaneseCounting", "koreanCounting"):
        if n < 10:
            return _CN_DIGITS[n]
        if n < 100:
            tens, ones = divmod(n, 10)
            return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
        return str(n)
    if fmt in ("upperLetter", "lowerLetter") and n > 0:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 0 < n < 4000:
        out = ""
        for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                           (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
            while n >= value:
                out, n = out + sym, n - value
        return out if fmt == "upperRoman" else out.lower()
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) - ord("0") + 0xFF10) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


@dataclass
class _Docx:
    document: Any  # python-docx Document, or None when python-docx refused the package
    numbering: _Numbering


def _docx_blocks(parent: Any, out: _Block, ctx: _Docx) -> None:
    for el in parent.iterchildren():
        tag = el.tag
        if tag == W + "p":
            out.para(ctx.numbering.label(el) + _docx_para_text(el))
        elif tag == W + "tbl":
            _docx_table(el, out, ctx)
        elif tag in (W + "sdt", W + "sdtContent", W + "customXml"):
            _docx_blocks(el, out, ctx)
        elif tag == W + "altChunk":
            _docx_alt_chunk(el, out, ctx)


def _docx_para_text(p: Any) -> str:
    """The visible text of a paragraph; a tab stays a tab (text laid out with tab stops is a
    table row, as in text exports); line breaks inside it join like wrapped lines."""
    parts: list[str] = []

    def walk(el: Any) -> None:
        for ch in el.iterchildren():
            tag = ch.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == W + "r":
                rpr = ch.find(W + "rPr")
                if rpr is not None:
                    v = rpr.find(W + "vanish")
                    if v is not None and v.get(W + "val", "true") not in ("0", "false", "off"):
                        continue
                walk(ch)
            elif tag == W + "t":
                parts.append(ch.text or "")
            elif tag == W + "tab" or tag == W + "ptab":
                parts.append("\t")
            elif tag in (W + "br", W + "cr"):
                if ch.get(W + "type") != "page":
                    parts.append("\n")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
            else:
                walk(ch)

    walk(p)
    text = "".join(parts)
    if "\t" in text.strip("\t "):
        return "\t".join(_join(seg.split("\n")) for seg in text.strip("\t ").split("\t"))
    return _join(text.replace("\t", " ").split("\n"))


def _docx_cell_text(tc: Any, ctx: _Docx) -> str:
    texts: list[str] = []
    for el in tc.iter(W + "p"):
        t = (ctx.numbering.label(el) + _docx_para_text(el)).replace("\t", " ")
        if t:
            texts.append(t)
    return _join(texts)


def _docx_children(el: Any, tag: str) -> Iterator[Any]:
    """Children with `tag`, looking through content controls and custom XML wrappers."""
    for ch in el.iterchildren():
        if ch.tag == tag:
            yield ch
        elif ch.tag in (W + "sdt", W + "sdtContent", W + "customXml"):
            yield from _docx_children(ch, tag)


def _docx_int(el: Any, path: str, default: int = 0) -> int:
    x = el.find(path)
    if x is None:
        return default
    try:
        return int(x.get(W + "val", default))
    except ValueError:
        return default


def _docx_table(tbl: Any, out: _Block, ctx: _Docx) -> None:
    trs = list(_docx_children(tbl, W + "tr"))
    rows_tc = [list(_docx_children(tr, W + "tc")) for tr in trs]
    if any(tc.find(".//" + W + "tbl") is not None for row in rows_tc for tc in row) or all(len(r) <= 1 for r in rows_tc):
        for row in rows_tc:  # layout: a table used as a frame around the text
            for tc in row:
                _docx_blocks(tc, out, ctx)
        return
    grid: list[list[Cell]] = []
    origin: dict[int, Cell] = {}  # column → the cell a vertical merge started at
    for tr, tcs in zip(trs, rows_tc):
        trpr = tr.find(W + "trPr")
        col = _docx_int(trpr, W + "gridBefore") if trpr is not None else 0
        row = [Cell("") for _ in range(col)]
        for tc in tcs:
            tcpr = tc.find(W + "tcPr")
            span = min(MAX_SPAN, max(1, _docx_int(tcpr, W + "gridSpan", 1))) if tcpr is not None else 1
            vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
            hmerge = tcpr.find(W + "hMerge") if tcpr is not None else None
            if hmerge is not None and hmerge.get(W + "val", "continue") == "continue" and row:
                row.extend(Cell("") for _ in range(span))  # legacy horizontal merge: a spanned slot
                col += span
                continue
            if vmerge is not None and vmerge.get(W + "val", "continue") == "continue" and col in origin:
                origin[col].rowspan += 1
                row.extend(Cell("") for _ in range(span))
            else:
                cell = Cell(_docx_cell_text(tc, ctx), span, 1)
                row.append(cell)
                row.extend(Cell("") for _ in range(span - 1))
                if vmerge is not None:
                    origin[col] = cell
                else:
                    origin.pop(col, None)
            col += span
        grid.append(row)
    out.table(_collapse_repeats(grid))


def _docx_alt_chunk(el: Any, out: _Block, ctx: _Docx) -> None:
    """An HTML (or MHT) part embedded as a whole: some web systems export DOCX this way."""
    if ctx.document is None:
        return
    rid = el.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    try:
        part = ctx.document.part.related_parts[rid]
        blob = part.blob
    except Exception:
        return
    if b"<" in blob[:2048]:
        blocks, _, _ = _read_html(blob)
        out.items.extend(blocks)
