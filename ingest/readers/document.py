"""Bytes → Document: one entry point for every format.

HTML, PDF and DOCX become text lines + rows of cells, the same shape the text reader makes.

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
PDF: pdfium (pypdfium2) for each page it reads exactly as pdfminer would, pdfplumber for the
others (`pdf_fast.py`); no OCR (no text layer → ReadError). Ruled tables by their lines; unruled ones
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

import hashlib
from pathlib import Path

from ..blocks import render
from ..grid import regrid
from ..model import Document, Row
from .docx import read_docx
from .errors import ReadError
from .html import read_html
from .pdf import read_pdf
from .sniff import sniff
from .text import read_text


def read_document(path: str | Path, data: bytes | None = None) -> Document:
    """Read a report file of any supported format into a Document."""
    path = Path(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as e:
            raise ReadError(f"cannot open: {e.strerror}") from None
    if not data.strip():
        raise ReadError("empty file")
    sha = hashlib.sha256(data).hexdigest()
    fmt = sniff(data, path.name)
    lines, rows, encoding = read_text(data) if fmt in ("txt", "md") else read_rendered(fmt, data)
    return Document(str(path), sha, fmt, encoding, lines, regrid(rows))


def read_rendered(fmt: str, data: bytes) -> tuple[list[str], list[Row], str]:
    """Lines, rows and the encoding (or format) of an HTML, PDF or DOCX file."""
    if fmt == "html":
        blocks, title, encoding = read_html(data)
    elif fmt == "pdf":
        blocks, title = read_pdf(data)
        encoding = "pdf"
    elif fmt == "docx":
        blocks, title, encoding = read_docx(data)
    elif fmt == "doc":
        raise ReadError(
            "legacy Office file (OLE2: Word 97-2003 .doc, .wps or .xls); not supported — "
            "save it as DOCX or PDF"
        )
    else:
        raise ReadError(f"unsupported format: {fmt}")
    lines, rows = render(blocks, title)
    if not any(line.strip() for line in lines):
        raise ReadError("no text in the document")
    return lines, rows, encoding
