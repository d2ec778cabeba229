"""The one font pdfium may substitute for a font a PDF does not embed: every character (U+0020 and
up) is the same square glyph.

pdfium's text page leaves out a text object whose glyph boxes have no width, so a font that is not
embedded needs a substitute with glyphs (without one, a CJK character drawn on its own, as a unit
column's 件, is dropped). Nothing else is read from the substitute: a character's position comes
from the PDF's widths, its box and text from pdfminer's font (`pdf_fast.py`). A real CJK font
(Noto Sans CJK, 19 MB of CFF outlines) made pdfium read the file for every PDF and interpret an
outline for every character, most of what a page cost; this one is 640 bytes of TrueType, written
when pdfium starts, and the same on every machine.
"""

from __future__ import annotations

import struct
import tempfile
from pathlib import Path

_EM = 1000
_BOX = [(50, -120), (50, 880), (950, 880), (950, -120)]  # inside the em square, on the baseline
_CODE_PAGES = (0, 17, 18, 19, 20, 21)  # Latin 1, JIS, GB 2312, Korean, Big5, Johab: pdfium asks by these


def font_directory() -> tempfile.TemporaryDirectory[str]:
    """A directory holding the box font; it is removed when the object is collected."""
    folder = tempfile.TemporaryDirectory(prefix="xxgk-pdfium-font-")
    _write(Path(folder.name) / "xxgk-box.ttf")
    return folder


def _write(path: Path) -> None:
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    def box() -> object:
        pen = TTGlyphPen(None)
        pen.moveTo(_BOX[0])
        for point in _BOX[1:]:
            pen.lineTo(point)
        pen.closePath()
        return pen.glyph()  # and empties the pen

    names = [".notdef", "box"]
    fb = FontBuilder(_EM, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({0x20: "box"})  # replaced below; setupOS2 reads it
    fb.setupGlyf({name: box() for name in names})
    fb.setupHorizontalMetrics({name: (_EM, _BOX[0][0]) for name in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "XxgkBox", "styleName": "Regular"})
    fb.setupOS2(
        sTypoAscender=880,
        sTypoDescender=-120,
        usWinAscent=880,
        usWinDescent=120,
        ulCodePageRange1=sum(1 << bit for bit in _CODE_PAGES),
    )
    fb.setupPost()
    fb.font["cmap"] = _cmap(DefaultTable("cmap"))
    fb.save(str(path))


def _cmap(table: object) -> object:
    """A cmap of one format-13 subtable (Windows, full Unicode): U+0020..U+10FFFF → glyph 1. fontTools
    would build it from a dict of a million code points; these are its 40 bytes."""
    subtable = struct.pack(">HHIII3I", 13, 0, 28, 0, 1, 0x20, 0x10FFFF, 1)
    table.data = struct.pack(">HHHHI", 0, 1, 3, 10, 12) + subtable  # type: ignore[attr-defined]
    return table
