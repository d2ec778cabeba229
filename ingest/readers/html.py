"""HTML pages → blocks: charset detection, site furniture removed, tables with their spans."""

from __future__ import annotations

import re
from typing import Any

from ..blocks import ZERO_WIDTH, Block, Grid, Para, Table, clean_text, is_cjk, join_text, span_of
from ..furniture import is_link_list_heading
from ..script import says_report
from .embedded import page_in_script
from .errors import ReadError

# ------------------------------------------------------------------ HTML

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.IGNORECASE)
_GBK_FAMILY = {
    "gb2312",
    "gbk",
    "gb18030",
    "x-gbk",
    "cp936",
    "ms936",
    "windows-936",
    "euc-cn",
    "gb_2312-80",
    "gb_2312",
    "csgb2312",
    "chinese",
    "iso-ir-58",
}

_DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "nav",
    "select",
    "button",
    "input",
    "textarea",
    "svg",
    "canvas",
    "map",
    "head",
    "link",
    "meta",
    "area",
    "audio",
    "video",
    "frameset",
    "frame",
}
_BLOCK_TAGS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "section",
    "article",
    "main",
    "aside",
    "header",
    "footer",
    "address",
    "pre",
    "center",
    "form",
    "fieldset",
    "figure",
    "figcaption",
    "hr",
    "tr",
    "td",
    "th",
    "caption",
    "body",
    "html",
    "legend",
    "details",
    "summary",
    "table",
    "thead",
    "tbody",
    "tfoot",
}
_FURNITURE_CLASS = re.compile(
    r"^(?:[a-z0-9]+[-_])*(nav|navbar|navigation|menu|mainmenu|submenu|breadcrumbs?|crumbs?|bread|position|location|"
    r"weizhi|dqwz|footer|foot|bottom|copyright|banquan|sidebar|share|bdshare|jiathis|print|toolbar|related|relate|"
    r"xglj|friendlinks?|yqlj|topbar|top|skip)(?:[-_][a-z0-9]+)*$"
)
_CSS_UTILITY = re.compile(r"relative|absolute|fixed|static|sticky")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
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
        nor = f" nor the declared {declared}" if declared else ""
        raise ReadError(f"unreadable encoding (HTML is neither UTF-8 nor GB18030{nor})")
    return text, "gb18030"


def read_html(data: bytes) -> tuple[list[Para | Table], str, str]:
    from bs4 import BeautifulSoup

    text, encoding = _decode_html(data)
    text = page_in_script(text)  # a saved script whose string is the page
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as e:  # lxml refuses some broken documents outright
        raise ReadError(f"unparseable HTML ({type(e).__name__}: {e})") from None
    title_tag = soup.find("title")
    title = _html_title(title_tag.get_text(" ") if title_tag else "")
    _strip_html_furniture(soup)
    out = Block()
    root = soup.body or soup
    _flatten_deep_nesting(soup)
    _HtmlWalker(out).walk(root)
    return out.items, title, encoding


_DEEP = 200  # no real page nests this deep; past it the walker would read text only
_TABLE_TAGS = {"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "br", "pre"}


def _flatten_deep_nesting(soup: Any) -> None:
    """Elements nested past _DEEP (unclosed <font>/<div> runs, generated pages) are unwrapped, a block
    element leaving a line break in its place, so the tables inside keep their rows and cells."""
    depth: dict[int, int] = {}
    deep = []
    for tag in soup.find_all(True):  # document order: a parent before its children
        depth[id(tag)] = d = depth.get(id(tag.parent), 0) + 1
        if d > _DEEP and tag.name not in _TABLE_TAGS:
            deep.append(tag)
    for tag in deep:
        if tag.name in _BLOCK_TAGS:
            tag.insert_before(soup.new_tag("br"))
            tag.insert_after(soup.new_tag("br"))
        tag.unwrap()


def _html_title(text: str) -> str:
    parts = [p for p in _TITLE_SPLIT.split(clean_text(text)) if p]
    return next((p for p in parts if says_report(p)), "")


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
    furniture = any(t and _FURNITURE_CLASS.match(t) and not _CSS_UTILITY.search(t) for t in tokens)
    return furniture and not _holds_report(el)


def _holds_report(el: Any) -> bool:
    if el.find("table") is not None:
        return True
    if any(says_report(h.get_text()) for h in el.find_all(["h1", "h2", "h3"])):
        return True
    return len(el.get_text(strip=True)) > 500


def _strip_html_furniture(soup: Any) -> None:
    from bs4.element import NavigableString, Tag

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
                    # not a page laid out in a table
                    data_table = el.name == "table" and el.find("table") is None
                    stack.append((el, in_table or data_table))
            elif type(el) is NavigableString and len(el) < 40 and is_link_list_heading(str(el)):
                headings.append(el)
    # 相关链接 / 友情链接 boxes: the heading and the list that goes with it
    for s in headings:
        el = s.parent
        if el is None or not isinstance(el, Tag) or el.name is None:
            continue
        while (
            el.parent is not None
            and el.parent.name not in ("body", "html", "[document]")
            and not _holds_report(el.parent)
            and len(el.parent.get_text(strip=True)) < 1000
        ):
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
    def __init__(self, out: Block) -> None:
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
        sentences = any(p.endswith(_SENTENCE_END) for p in parts[:-1])
        if len(parts) > 1 and sum(map(len, parts)) <= 60 and not sentences:
            parts = [join_text(parts)]
        for p in parts:
            self.out.para(p)

    def walk(self, node: Any, depth: int = 0) -> None:
        from bs4.element import NavigableString, Tag

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
        layout = (
            table.find("table") is not None or sum(n for n in lengths if n > 300) > sum(lengths) / 2
        )  # a page laid out in columns
        if layout:  # a page laid out with a table: its cells are containers
            for row in cells_of:
                for c in row:
                    self.walk(c, depth + 1)
                    self.flush()
            return
        grid = Grid()
        for row in cells_of:
            grid.add(
                [
                    (self.cell_text(c, depth), span_of(c.get("colspan")), span_of(c.get("rowspan")))
                    for c in row
                ]
            )
        self.out.table(grid.rows)

    def cell_text(self, cell: Any, depth: int) -> str:
        sub = Block()
        walker = _HtmlWalker(sub)
        walker.walk(cell, depth + 1)
        walker.flush()
        return join_text(p.text for p in sub.items if isinstance(p, Para))


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
        if ("\n" in run or "\r" in run) and a and b and (is_cjk(a) or is_cjk(b)):
            return ""
        return " "

    return _WS_RUN.sub(repl, ZERO_WIDTH.sub("", s)).strip()
