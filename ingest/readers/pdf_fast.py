"""A PDF page read with pdfium instead of pdfminer, giving exactly the characters and ruling lines
pdfplumber would give — or nothing, and the page is read by pdfplumber.

pdfminer parses content streams in Python, which is most of the time a PDF takes; pdfium parses
them in C. pdfium's own text is not pdfminer's, though, and the facts must not change:
- pdfium's text page leaves out a text object whose box has no width. A font that is not
  embedded and has no system substitute (STSong-Light on a machine without CJK fonts) has no
  glyph boxes, so a run of one CJK character drawn on its own (a unit column's 件, a 无, a
  wrapped 息) has no width and is dropped. Every text object of the page must have characters
  in pdfium's text page; otherwise the page goes to pdfplumber.
- pdfium's boxes come from its substitute glyphs. pdfminer's box is the advance width from the
  PDF's widths (/W, /Widths) by the font size, from the descent up one font size. So positions
  are taken from pdfium (the origin of each character) and the box and the text from pdfminer's
  own font object for that font (`pdf_widths.py`, built from the page's resources, no content
  stream parsed): the character's code(s), its Unicode text as pdfminer maps it, its width and
  the font's descent. A character pdfminer cannot map to exactly that text with one width sends
  the page to pdfplumber, except a code its predefined CMap lacks (U+00B7 in UniGB-UCS2-H):
  pdfminer drops it without moving on, and so does the fast path where that is certain
  (`_Drops`).
- Only plain pages: no rotation, the media box at the origin and equal to the crop box, upright
  text with one scale on both axes, no form XObjects, ruling lines that are straight lines or
  axis-aligned rectangles (a curve sends the page to pdfplumber).
Ruling lines become pdfplumber's edges, so pdfplumber's own table finder runs on them.

pdfium is given one font directory, holding only `pdf_boxfont.py`'s box font, in place of the
system's: every font a PDF does not embed then has glyph boxes, so pdfium's text page keeps its
runs, and what it substitutes is the same on every machine.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

from .pdf_widths import Font, Fonts, NotPlain

Obj = dict[str, Any]
_EPS = 1e-6


@dataclass
class FastPage:
    """What pdfplumber's table finder and the PDF reader read from a page."""

    chars: list[Obj]
    edges: list[Obj]
    height: float
    bbox: tuple[float, float, float, float]


_FONT_DIRS: Any = None  # kept alive: pdfium holds the pointers it was initialised with


class FastDocument:
    """A PDF opened by pdfium, and pdfminer's fonts of its pages (by object id), read once."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self.fonts: dict[Any, Font] = {}

    def close(self) -> None:
        self.pdf.close()


def open_document(data: bytes) -> FastDocument | None:
    """The document opened by pdfium (with the font directory above), or None."""
    import pypdfium2

    global _FONT_DIRS
    if _FONT_DIRS is None:
        try:
            _FONT_DIRS = _init_pdfium()
        except ImportError:  # no fontTools to write the box font: pdfplumber reads every page
            return None
    try:
        return FastDocument(pypdfium2.PdfDocument(data))
    except pypdfium2.PdfiumError:
        return None


def _init_pdfium() -> Any:
    """Restart pdfium with the box font's directory as its only font directory (pypdfium2 starts
    it with the system's at import; no pdfium object is open yet in a reader process)."""
    from pypdfium2 import _library_scope, raw
    from pypdfium2.internal import bases

    from .pdf_boxfont import font_directory

    folder = font_directory()
    char_p = ctypes.POINTER(ctypes.c_char)
    buffer = ctypes.create_string_buffer(folder.name.encode())
    dirs = (char_p * 2)()  # NULL-terminated
    dirs[0] = ctypes.cast(buffer, char_p)
    _library_scope.destroy_lib()
    raw.FPDF_InitLibraryWithConfig(
        raw.FPDF_LIBRARY_CONFIG(version=2, m_pUserFontPaths=dirs, m_pIsolate=None, m_v8EmbedderSlot=0)
    )
    bases.LIBRARY_AVAILABLE = True
    return (dirs, buffer, folder)


def fast_page(document: FastDocument, index: int, resources: Any) -> FastPage | None:
    """The page's characters and ruling lines as pdfplumber has them, or None."""
    from pypdfium2 import raw

    page = document.pdf[index]
    try:
        height = _plain_box(raw, page)
        width = float(raw.FPDF_GetPageWidthF(page.raw))
        texts, paths = _objects(raw, page)
        chars = _chars(raw, page, texts, Fonts(resources, document.fonts), height)
        edges = [e for p in paths for e in _path_edges(raw, p, height)]
    except NotPlain:
        return None
    finally:
        page.close()
    return FastPage(chars, edges, height, (0.0, 0.0, width, height))


def _plain_box(raw: Any, page: Any) -> float:
    if raw.FPDFPage_GetRotation(page.raw) != 0:
        raise NotPlain
    media = [ctypes.c_float() for _ in range(4)]
    crop = [ctypes.c_float() for _ in range(4)]
    if not raw.FPDFPage_GetMediaBox(page.raw, *media):
        raise NotPlain
    has_crop = raw.FPDFPage_GetCropBox(page.raw, *crop)
    m = [v.value for v in media]
    if abs(m[0]) > _EPS or abs(m[1]) > _EPS or (has_crop and [v.value for v in crop] != m):
        raise NotPlain
    return float(raw.FPDF_GetPageHeightF(page.raw))


def _objects(raw: Any, page: Any) -> tuple[list[Any], list[Any]]:
    texts, paths = [], []
    for k in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, k)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            texts.append(obj)
        elif kind == raw.FPDF_PAGEOBJ_PATH:
            paths.append(obj)
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            raise NotPlain
    return texts, paths


class _Calls:
    """The four pdfium calls made for every character, with plain integer handles: pypdfium2's
    wrappers convert a pointer object on every call, which costs more than the call itself."""

    def __init__(self, raw: Any) -> None:
        def c(name: str, restype: Any, *argtypes: Any) -> Any:
            address = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
            assert address, name
            return ctypes.CFUNCTYPE(restype, *argtypes)(address)

        vp, i, d = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_double)
        self.text_object = c("FPDFText_GetTextObject", vp, vp, i)
        self.generated = c("FPDFText_IsGenerated", i, vp, i)
        self.map_error = c("FPDFText_HasUnicodeMapError", i, vp, i)
        self.origin = c("FPDFText_GetCharOrigin", i, vp, i, d, d)
        self.loose_box = c("FPDFText_GetLooseCharBox", i, vp, i, ctypes.c_void_p)


_CALLS: list[_Calls] = []


class _Rect(ctypes.Structure):
    _fields_ = [
        ("left", ctypes.c_float),
        ("top", ctypes.c_float),
        ("right", ctypes.c_float),
        ("bottom", ctypes.c_float),
    ]


def _chars(raw: Any, page: Any, texts: list[Any], fonts: Fonts, height: float) -> list[Obj]:
    """pdfminer's characters at pdfium's origins, in content-stream order of their text objects.
    Three pdfium calls a character (four for a space): this loop is most of what a page costs."""
    if not _CALLS:
        _CALLS.append(_Calls(raw))
    calls = _CALLS[0]
    generated, text_object, map_error, origin = (
        calls.generated,
        calls.text_object,
        calls.map_error,
        calls.origin,
    )
    textpage = raw.FPDFText_LoadPage(page.raw)
    try:
        handle = ctypes.cast(textpage, ctypes.c_void_p).value
        count = raw.FPDFText_CountChars(textpage)
        text = _page_text(raw, textpage, count)
        by_object: dict[int, list[Obj]] = {}
        styles: dict[int, tuple[Font, float, list[Obj]]] = {}
        x, y = ctypes.c_double(), ctypes.c_double()
        px, py = ctypes.pointer(x), ctypes.pointer(y)
        drops = _Drops()
        for i in range(count):
            ch = text[i]
            if ch in _GENERATED and generated(handle, i):
                continue  # a space or line break pdfium put in; pdfminer has none
            key = text_object(handle, i)
            if not key or map_error(handle, i):
                raise NotPlain
            style = styles.get(key)
            if style is None:
                name, size = _style(raw, textpage, i, raw.FPDFText_GetTextObject(textpage, i))
                style = styles[key] = (fonts.named(name), size, by_object.setdefault(key, []))
            font, size, out = style
            width = font.widths.get(ch)
            if width is None:
                width = font.width(ch)
            origin(handle, i, px, py)
            left = x.value
            if drops.shift:
                left = drops.shifted(key, left)
            if width < 0:  # pdfminer reads nothing here
                drops.add(key, x.value, calls.loose_box(handle, i, drops.box_address))
                continue
            width *= size
            bottom = y.value + font.descent * size
            top = height - bottom - size
            out.append(
                {
                    "object_type": "char",
                    "text": ch,
                    "fontname": font.name,
                    "size": size,
                    "x0": left,
                    "x1": left + width,
                    "y0": bottom,
                    "y1": bottom + size,
                    "top": top,
                    "bottom": height - bottom,
                    "doctop": top,
                    "width": width,
                    "height": size,
                    "upright": True,
                }
            )
    finally:
        raw.FPDFText_ClosePage(textpage)
    order = [ctypes.cast(t, ctypes.c_void_p).value or 0 for t in texts]
    if set(order) != set(by_object):
        raise NotPlain  # a text object pdfium's text page left out (or one it found elsewhere)
    drops.check(order, by_object)
    return [c for k in order for c in by_object[k]]


class _Drops:
    """Characters pdfminer drops (`_dropped`): it reads nothing for their code and does not move on,
    so what follows in the same text object is drawn one advance further left than pdfium has it.
    Only where that is certain: the advance from the dropped character to the next is its width
    (no character spacing or kerning in between), and the next text object does not carry on
    from this one's end (it starts left of the dropped character, as a new line does)."""

    def __init__(self) -> None:
        self.box = _Rect()  # FPDFText_GetLooseCharBox's: the advance width by the PDF's widths
        self.box_address = ctypes.addressof(self.box)
        self.shift: dict[int, float] = {}  # by text object, what its next characters move left
        self.expect: dict[int, float] = {}  # where pdfium has the character after a dropped one
        self.first: dict[int, float] = {}  # the first dropped character's x, by text object

    def add(self, key: int, x: float, boxed: int) -> None:
        """A dropped character at pdfium's x, its loose box just read (if `boxed`)."""
        if not boxed or key in self.expect:
            raise NotPlain  # no box, or two dropped in a row
        width = self.box.right - self.box.left
        self.first.setdefault(key, x)
        self.expect[key] = x + width
        self.shift[key] = self.shift.get(key, 0.0) + width

    def shifted(self, key: int, x: float) -> float:
        if key not in self.shift:
            return x
        expected = self.expect.pop(key, None)
        if expected is not None and abs(x - expected) > 1e-3:
            raise NotPlain
        return x - self.shift[key]

    def check(self, order: list[int], by_object: dict[int, list[Obj]]) -> None:
        for k, key in enumerate(order):
            if key in self.first and k + 1 < len(order):
                after = by_object[order[k + 1]]
                if not after or after[0]["x0"] >= self.first[key] - _EPS:
                    raise NotPlain


_GENERATED = frozenset(" \r\n")  # what pdfium's text page puts in (FPDFText_IsGenerated)


def _page_text(raw: Any, textpage: Any, count: int) -> str:
    """The text page's characters, one per index (a surrogate pair sends the page to pdfplumber)."""
    buffer = ctypes.create_string_buffer(2 * count + 2)
    raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: 2 * count].decode("utf-16-le", "surrogatepass")
    if len(text) != count or any("\ud800" <= ch <= "\udfff" for ch in text):
        raise NotPlain
    return text


def _style(raw: Any, textpage: Any, index: int, obj: Any) -> tuple[bytes, float]:
    """The base font name and the size of a text object, which must be upright at one scale."""
    matrix = raw.FS_MATRIX()
    raw.FPDFText_GetMatrix(textpage, index, matrix)
    if abs(matrix.b) > _EPS or abs(matrix.c) > _EPS or matrix.a <= 0 or abs(matrix.a - matrix.d) > _EPS:
        raise NotPlain
    name = ctypes.create_string_buffer(256)
    raw.FPDFFont_GetBaseFontName(raw.FPDFTextObj_GetFont(obj), name, len(name))
    return name.value, float(raw.FPDFText_GetFontSize(textpage, index) * matrix.d)


def _path_edges(raw: Any, path: Any, height: float) -> list[Obj]:
    """A path's straight lines and axis-aligned rectangles as pdfplumber's edges."""
    from pdfplumber.utils.geometry import line_to_edge, rect_to_edges

    matrix = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(path, matrix)
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    closed: list[bool] = []
    for k in range(raw.FPDFPath_CountSegments(path)):
        segment = raw.FPDFPath_GetPathSegment(path, k)
        operator = raw.FPDFPathSegment_GetType(segment)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        point = (
            matrix.a * x.value + matrix.c * y.value + matrix.e,
            matrix.b * x.value + matrix.d * y.value + matrix.f,
        )
        if operator == raw.FPDF_SEGMENT_MOVETO:
            subpaths.append([point])
            closed.append(False)
        elif operator == raw.FPDF_SEGMENT_LINETO and subpaths and not closed[-1]:
            subpaths[-1].append(point)
        else:
            raise NotPlain  # a curve, or a line after the subpath was closed
        closed[-1] = closed[-1] or bool(raw.FPDFPathSegment_GetClose(segment))
    edges: list[Obj] = []
    for points, close in zip(subpaths, closed):
        kind, corners = _classify(points, close)
        if kind == "line":
            edges.append(line_to_edge(_shape("line", corners, height)))
        else:
            edges += rect_to_edges(_shape("rect", corners, height))
    return edges


def _classify(points: list[tuple[float, float]], close: bool) -> tuple[str, list[tuple[float, float]]]:
    """A subpath as pdfminer's paint_path sees it: a line (`ml`, `mlh`), a rectangle (`mlllh`,
    `mllll` closed, square); anything else is a curve, and the page goes to pdfplumber."""
    pts = points + [points[0]] if close else list(points)
    shape = "m" + "l" * (len(points) - 1) + ("h" if close else "")
    if len(shape) > 3 and shape.endswith("lh") and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"  # a redundant last line back to the start
        pts.pop()
    if shape in ("ml", "mlh"):
        return "line", pts[:2]
    if shape in ("mlllh", "mllll") and pts[0] == pts[4]:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[:4]
        if (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        ):
            return "rect", pts[:4]
    raise NotPlain


def _shape(kind: str, points: list[tuple[float, float]], height: float) -> Obj:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    return {
        "object_type": kind,
        "x0": x0,
        "x1": x1,
        "y0": y0,
        "y1": y1,
        "width": x1 - x0,
        "height": y1 - y0,
        "top": height - y1,
        "bottom": height - y0,
        "doctop": height - y1,
    }
