"""PDF → blocks: characters and ruling lines per page (pdfium where it reads a page exactly as
pdfminer would, `pdf_fast.py`; pdfplumber otherwise), tables by pdfplumber's table finder, then
`pdf_layout.py` makes paragraphs and rows."""

from __future__ import annotations

import io
import os
import time
from bisect import bisect_left
from operator import itemgetter
from typing import Any, cast

from ..blocks import Para, Table, clean_text, join_text
from ..model import Cell
from ..script import says_report
from .errors import ReadError
from .pdf_fast import fast_page, open_document
from .pdf_layout import PdfPage, pdf_blocks, pdf_lines

PDF_SECONDS = 60.0  # one PDF's reading time, checked between pages: a report page takes well under a second


def read_pdf(data: bytes) -> tuple[list[Para | Table], str]:
    """Blocks and the title property. Damaged, encrypted and scanned files → ReadError; a file that
    takes longer than PDF_SECONDS is refused, naming the page it stopped at."""
    from pdfplumber.utils.exceptions import PdfminerException

    pdf = _open(data)
    fast = _pdfium(data)
    deadline = time.monotonic() + PDF_SECONDS
    with pdf:
        try:
            pages = pdf.pages
            title = _pdf_meta_title(pdf.metadata)
            if not pages:
                raise ReadError("PDF has no pages")
            per_page = []
            chars = cid = 0
            for number, page in enumerate(pages):
                if time.monotonic() > deadline:
                    raise ReadError(
                        f"PDF takes longer than {PDF_SECONDS:g} s to read (stopped at page "
                        f"{number + 1} of {len(pages)}); not read"
                    )
                texts, read = _read_page(page, number, fast)
                chars += len(texts)
                cid += sum(1 for t in texts if t.startswith("(cid:"))
                per_page.append(read)
        except ReadError:
            raise
        except PdfminerException as e:
            raise ReadError(_pdf_error(e.args[0] if e.args else e)) from None
        except Exception as e:
            raise ReadError(_pdf_error(e)) from None
        finally:
            if fast is not None:
                fast.close()
    if chars == 0:
        raise ReadError("no text layer (scanned PDF?); OCR is not supported")
    if cid > chars * 0.3:
        raise ReadError("text layer without Unicode mapping (glyph ids only); OCR is not supported")
    return pdf_blocks(per_page), title


def _open(data: bytes) -> Any:
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    if b"%%EOF" not in data[-4096:]:
        raise ReadError("truncated or damaged PDF (no %%EOF end marker)")
    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as e:
        raise ReadError(_pdf_error(e.args[0] if e.args else e)) from None
    except Exception as e:  # pdfminer raises bare exceptions on some damaged files
        raise ReadError(_pdf_error(e)) from None


def _pdfium(data: bytes) -> Any:
    """The document opened by pdfium for the fast path, or None (pdfplumber reads every page)."""
    return None if os.environ.get("XXGK_PDF_FAST", "1") == "0" else open_document(data)


def _read_page(page: Any, number: int, fast: Any) -> tuple[list[str], PdfPage]:
    """A page's character texts (for the scanned-PDF checks) and its lines and tables: by pdfium
    when it reads the page as pdfplumber would (`pdf_fast`), else by pdfplumber."""
    from pdfplumber.table import TableFinder, TableSettings

    read = None
    if fast is not None:
        try:
            read = fast_page(fast, number, page.page_obj.resources)
        except Exception:  # a page pdfium cannot read is pdfplumber's, as without the fast path
            read = None
    if read is not None and not _doubled(read.chars):
        finder = TableFinder(cast(Any, read), TableSettings.resolve(None))  # needs chars, edges, bbox
        tables = _tables(finder.tables)
        return [c["text"] for c in read.chars], _page_items(read.chars, tables, number, read.height)
    texts = [str(c.get("text", "")) for c in page.chars]
    if _doubled(page.chars):
        page = page.dedupe_chars(tolerance=1)  # "fake bold": the same glyphs drawn twice, a hair apart
    items = _page_items(page.chars, _tables(page.find_tables()), number, float(page.height))
    page.flush_cache()
    return texts, items


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
        t = _decoded(t)
    return clean_text(str(t)) if says_report(str(t)) else ""


def _decoded(data: bytes) -> str:
    for enc in ("utf-16", "utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return ""


def _doubled(chars: list[dict[str, Any]]) -> bool:
    """Some visible character drawn again within a point of itself."""
    rows: dict[tuple[str, int], set[int]] = {}
    for c in chars:
        text, y, x = c["text"], round(c["top"]), round(c["x0"])
        if text.strip():
            for dy in (-1, 0, 1):
                xs = rows.get((text, y + dy))
                if xs is not None and (x in xs or x - 1 in xs or x + 1 in xs):
                    return True
        rows.setdefault((text, y), set()).add(x)
    return False


def _tables(found: list[Any]) -> list[Any]:
    return [t for t in found if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]


def _page_items(chars: list[dict[str, Any]], tables: list[Any], number: int, height: float) -> PdfPage:
    """Text lines outside the tables, and the tables, in reading order."""
    text_chars = _outside(chars, [t.bbox for t in tables])
    items: list[tuple[float, Any]] = [(ln.top, ln) for ln in pdf_lines(text_chars, number)]
    for t in tables:
        items.append((t.bbox[1], Table(_pdf_table(t), number)))
    items.sort(key=lambda it: it[0])
    return PdfPage(number, height, items)


def _outside(chars: list[dict[str, Any]], boxes: list[Any]) -> list[dict[str, Any]]:
    """The characters whose middle is in none of the boxes (edges included)."""
    if not boxes:
        return chars
    out = []
    for c in chars:
        cy = (c["top"] + c["bottom"]) / 2
        for x0, top, x1, bottom in boxes:
            if top <= cy <= bottom and x0 <= (c["x0"] + c["x1"]) / 2 <= x1:
                break
        else:
            out.append(c)
    return out


def _pdf_table(t: Any) -> list[list[Cell]]:
    boxes = [list(r.cells) for r in t.rows]
    texts = _cell_texts(t.page.chars, boxes)
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
            row.append(Cell(join_text(text.split("\n")), colspan, rowspan))
        out.append(row)
    return out


def _cell_texts(chars: list[dict[str, Any]], boxes: list[list[Any]]) -> list[list[str | None]]:
    """pdfplumber's Table.extract: each cell's text from the characters whose middle is inside it
    (in page order), without testing every character against every row and cell."""
    from pdfplumber.utils.text import extract_text

    mids = sorted(((c["top"] + c["bottom"]) / 2, k, (c["x0"] + c["x1"]) / 2) for k, c in enumerate(chars))
    ys = [m[0] for m in mids]
    out: list[list[str | None]] = []
    for row in boxes:
        texts: list[str | None] = []
        for box in row:
            if box is None:
                texts.append(None)
                continue
            x0, top, x1, bottom = box
            inside = sorted(
                k for _, k, x in mids[bisect_left(ys, top) : bisect_left(ys, bottom)] if x0 <= x < x1
            )
            cell = [chars[k] for k in inside]
            texts.append((_one_line(cell) or extract_text(cell)) if cell else "")
        out.append(texts)
    return out


def _one_line(chars: list[dict[str, Any]]) -> str | None:
    """pdfplumber's extract_text (default settings) of characters all on one baseline, upright,
    none blank: sorted left to right, a space where the gap is over x_tolerance (3). None for
    any other characters, which go to extract_text itself."""
    from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, LIGATURES

    top = chars[0]["top"]
    if any(c["top"] != top or not c["upright"] or not c["text"] or c["text"].isspace() for c in chars):
        return None
    out: list[str] = []
    right = None
    for c in sorted(chars, key=itemgetter("x0")):
        if right is not None and c["x0"] > right + DEFAULT_X_TOLERANCE:
            out.append(" ")
        out.append(LIGATURES.get(c["text"], c["text"]))
        right = c["x1"]
    return "".join(out)
