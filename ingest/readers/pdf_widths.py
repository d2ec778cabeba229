"""pdfminer's own reading of a PDF's fonts, for the fast path (`pdf_fast.py`): the text each code
reads as, its advance width, the font's descent — built from a page's resources, no content
stream parsed — and which codes pdfminer drops."""

from __future__ import annotations

from typing import Any


class NotPlain(Exception):
    """This page is read by pdfplumber."""


class Font:
    """One pdfminer font: the width of each text read in it, worked out once."""

    def __init__(self, font: Any, widths: dict[str, float]) -> None:
        self.font = font
        self.name = font.fontname
        self.descent = font.get_descent()
        self.codes = _codes(font)
        self.widths = widths

    def width(self, text: str) -> float:
        """The advance width per unit of font size; -1 for a character pdfminer drops."""
        if text not in self.widths:
            dropped = self.codes is None and _dropped(self.font, text)
            self.widths[text] = -1.0 if dropped else _width_of(self.font, text, self.codes)
        return self.widths[text]


class Fonts:
    """The fonts of one page, by base font name (pdfium names a character's font by it)."""

    def __init__(self, resources: Any, known: dict[Any, Font]) -> None:
        from pdfminer.pdfinterp import PDFResourceManager
        from pdfminer.pdftypes import resolve1

        manager = PDFResourceManager(caching=False)
        self.by_name: dict[bytes, Font] = {}
        fonts = resolve1((resolve1(resources) or {}).get("Font")) or {}
        for ref in fonts.values():
            spec = resolve1(ref)
            base = resolve1(spec.get("BaseFont"))
            name = getattr(base, "name", str(base)).encode("latin-1", "replace")
            if name in self.by_name or resolve1(spec.get("Subtype")).name == "Type3":
                raise NotPlain  # two fonts under one name, or glyphs drawn as procedures
            key = getattr(ref, "objid", None) or id(spec)
            if key not in known:
                font = manager.get_font(getattr(ref, "objid", None), spec)
                known[key] = Font(font, _shared_widths(spec))
            self.by_name[name] = known[key]

    def named(self, name: bytes) -> Font:
        """The font pdfium names a character's font by."""
        font = self.by_name.get(name)
        if font is None:
            raise NotPlain
        return font


_SHARED: dict[Any, dict[str, float]] = {}  # widths of fonts described by their dictionary alone


def _shared_widths(spec: Any) -> dict[str, float]:
    """The widths worked out for this font dictionary in earlier PDFs (plain numbers: no PDF is
    kept alive), or a fresh table."""
    key = _spec_key(spec, 0)
    if key is None:
        return {}
    if key not in _SHARED and len(_SHARED) >= 256:
        _SHARED.clear()
    return _SHARED.setdefault(key, {})


def _spec_key(obj: Any, depth: int) -> Any:
    """A font dictionary's whole content, when it has no stream (no embedded font program, no
    ToUnicode map): two PDFs that describe a font alike read it alike, so its widths are worked
    out once a process (as for STSong-Light, not embedded, in every PDF reportlab writes with
    it). None for a font that has a stream."""
    from pdfminer.pdftypes import PDFObjRef, PDFStream
    from pdfminer.psparser import PSLiteral

    if isinstance(obj, PDFObjRef):
        obj = obj.resolve()
    if depth > 6 or isinstance(obj, PDFStream):
        return None
    if isinstance(obj, dict):
        items = [(k, _spec_key(v, depth + 1)) for k, v in sorted(obj.items())]
        return None if any(v is None for _, v in items) else ("d", tuple(items))
    if isinstance(obj, list):
        values = [_spec_key(v, depth + 1) for v in obj]
        return None if any(v is None for v in values) else ("l", tuple(values))
    if isinstance(obj, PSLiteral):
        return ("n", obj.name)
    if isinstance(obj, (int, float, bytes, str, bool)):
        return obj
    return None


def _codes(font: Any) -> dict[str, list[int]] | None:
    """Text → the codes that read as it, for fonts whose codes are looked up (None: a predefined
    Unicode CMap, where the code is the text's UTF-16)."""
    from pdfminer.pdffont import PDFCIDFont

    if font.is_vertical():
        raise NotPlain
    if isinstance(font, PDFCIDFont):
        cmap = str(getattr(font.cmap, "attrs", {}).get("CMapName", ""))
        if hasattr(font.cmap, "code2cid"):
            if "UCS2" in cmap or "UTF16" in cmap:
                return None
            raise NotPlain  # a predefined CMap of a legacy encoding (GBK-EUC-H …)
        if font.unicode_map is None:
            raise NotPlain  # Identity-H without ToUnicode: pdfminer prints (cid:N)
        pairs = list(font.unicode_map.cid2unichr.items())
    else:
        pairs = [(c, u) for c in range(256) if (u := _unichr(font, c)) is not None]
    out: dict[str, list[int]] = {}
    for code, text in pairs:
        out.setdefault(text, []).append(code)
    return out


def _dropped(font: Any, text: str) -> bool:
    """pdfminer reads nothing for this character's code and does not advance: a predefined UCS-2
    CMap that lacks it (U+00B7 in UniGB-UCS2-H), the code's first byte a prefix in the CMap and
    its second byte not, so both bytes are consumed. Without a ToUnicode map (pdfminer's map is
    then the character collection's) pdfium's text is the code itself."""
    from pdfminer.cmapdb import FileUnicodeMap

    code = text.encode("utf-16-be")
    table = getattr(font.cmap, "code2cid", None)
    if len(code) != 2 or isinstance(font.unicode_map, FileUnicodeMap) or not isinstance(table, dict):
        return False
    first = table.get(code[0])
    return isinstance(first, dict) and code[1] not in first


def _width_of(font: Any, text: str, codes: dict[str, list[int]] | None) -> float:
    """The one advance width (per unit of font size) pdfminer gives the codes that read as `text`."""
    cids = list(font.decode(text.encode("utf-16-be"))) if codes is None else codes.get(text, [])
    if not cids or any(_unichr(font, c) != text for c in cids):
        raise NotPlain  # pdfminer reads this character differently, or not at all
    widths = {font.char_width(c) for c in cids}
    if len(widths) != 1:
        raise NotPlain
    return float(widths.pop())


def _unichr(font: Any, cid: int) -> str | None:
    from pdfminer.pdffont import PDFUnicodeNotDefined

    try:
        return str(font.to_unichr(cid))
    except (PDFUnicodeNotDefined, KeyError):
        return None
