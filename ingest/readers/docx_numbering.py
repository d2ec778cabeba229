"""Word's automatic numbering (`一、`, `（一）`, `1.`), read from word/numbering.xml and the styles,
and put back in front of the paragraphs and table labels it numbers."""

from __future__ import annotations

import re
import zipfile
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"  # WordprocessingML


class Numbering:
    """Word's automatic numbering (`一、` `（一）` `1.` typed by Word, not by the author), which
    python-docx leaves out of the text: headings and table labels need it back."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        # (abstractNumId, ilvl) → (numFmt, lvlText, start)
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
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
                self.levels[(aid, ilvl)] = (
                    fmt.get(W + "val", "decimal") if fmt is not None else "decimal",
                    text.get(W + "val", "") if text is not None else "",
                    int(start.get(W + "val", "1")) if start is not None else 1,
                )
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
                self.styles[sid] = (
                    nid.get(W + "val") if nid is not None else None,
                    int(ilvl.get(W + "val", "0")) if ilvl is not None else None,
                )

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
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "ideographTraditional",
        "taiwaneseCounting",
        "chineseLegalSimplified",
        "japaneseCounting",
        "koreanCounting",
    ):
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
        for value, sym in (
            (1000, "M"),
            (900, "CM"),
            (500, "D"),
            (400, "CD"),
            (100, "C"),
            (90, "XC"),
            (50, "L"),
            (40, "XL"),
            (10, "X"),
            (9, "IX"),
            (5, "V"),
            (4, "IV"),
            (1, "I"),
        ):
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
