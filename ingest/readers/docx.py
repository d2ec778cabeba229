"""DOCX → blocks from the document XML in body order: merged cells once, Word numbering restored."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..blocks import MAX_SPAN, Block, Para, Table, clean_text, collapse_repeats, join_text
from ..model import Cell
from ..script import says_report
from .docx_numbering import Numbering, W
from .errors import ReadError
from .html import read_html  # altChunk: HTML embedded in a DOCX

# ------------------------------------------------------------------ DOCX

MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CONTAINERS = {
    W + "sdt",
    W + "sdtContent",
    W + "customXml",
    W + "smartTag",
    W + "ins",
    W + "moveTo",
    W + "hyperlink",
    W + "fldSimple",
    W + "dir",
    W + "bdo",
}
_SKIP = {
    W + "del",
    W + "moveFrom",
    W + "txbxContent",
    MC_FALLBACK,
    W + "instrText",
    W + "delText",
    W + "pPr",
    W + "rPr",
    W + "sectPr",
    W + "tblPr",
    W + "trPr",
    W + "tcPr",
    W + "footnoteReference",
    W + "endnoteReference",
    W + "commentReference",
}


MAX_UNZIPPED = 256 * 1024 * 1024  # a DOCX that inflates beyond this is a zip bomb, not a report


def read_docx(data: bytes) -> tuple[list[Para | Table], str, str]:
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
        raise ReadError(
            f"DOCX inflates to {inflated // 1_000_000} MB (> {MAX_UNZIPPED // 1_000_000} MB); refused"
        )
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    out = Block()
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as e:
        if "not a Word file" not in str(e):  # .docm / .dotx / odd WPS content types: read the body directly
            raise ReadError(f"damaged DOCX (ValueError: {str(e)[:120]})") from None
        _docx_blocks(_docx_body(zf), out, _Docx(None, Numbering(zf)))
        return out.items, "", "docx"
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile) as e:
        raise ReadError(f"damaged DOCX ({type(e).__name__}: {e})") from None
    except Exception as e:  # a broken XML part
        raise ReadError(f"damaged DOCX ({type(e).__name__}: {str(e)[:120]})") from None
    try:
        title = clean_text(document.core_properties.title or "")
    except Exception:
        title = ""
    _docx_blocks(document.element.body, out, _Docx(document, Numbering(zf)))
    return out.items, title if says_report(title) else "", "docx"


def _docx_body(zf: zipfile.ZipFile) -> Any:
    from lxml import etree

    try:
        parser = etree.XMLParser(resolve_entities=False, huge_tree=False)
        root = etree.fromstring(zf.read("word/document.xml"), parser)
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


@dataclass
class _Docx:
    document: Any  # python-docx Document, or None when python-docx refused the package
    numbering: Numbering


def _docx_blocks(parent: Any, out: Block, ctx: _Docx) -> None:
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
        return "\t".join(join_text(seg.split("\n")) for seg in text.strip("\t ").split("\t"))
    return join_text(text.replace("\t", " ").split("\n"))


def _docx_cell_text(tc: Any, ctx: _Docx) -> str:
    texts: list[str] = []
    for el in tc.iter(W + "p"):
        t = (ctx.numbering.label(el) + _docx_para_text(el)).replace("\t", " ")
        if t:
            texts.append(t)
    return join_text(texts)


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


def _docx_table(tbl: Any, out: Block, ctx: _Docx) -> None:
    trs = list(_docx_children(tbl, W + "tr"))
    rows_tc = [list(_docx_children(tr, W + "tc")) for tr in trs]
    nested = any(tc.find(".//" + W + "tbl") is not None for row in rows_tc for tc in row)
    if nested or all(len(r) <= 1 for r in rows_tc):
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
    out.table(collapse_repeats(grid))


def _docx_alt_chunk(el: Any, out: Block, ctx: _Docx) -> None:
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
        blocks, _, _ = read_html(blob)
        out.items.extend(blocks)
