"""Which reader a file needs, by its bytes first and its name second."""

from __future__ import annotations

import re
from pathlib import Path


def sniff(data: bytes, name: str) -> str:
    """The format, by content first and by file name second."""
    head = data[:2048].lstrip()
    low = head.lower()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"  # OLE2: Word 97-2003 .doc / WPS / XLS; document.read_rendered names it
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in low or b"<table" in low:
        return "html"
    suffix = Path(name).suffix.lower()
    if (
        suffix in (".html", ".htm", ".shtml", ".xhtml")
        or _EARLY_TAGS.match(low)
        or len(_TAGS.findall(low)) >= 4
    ):
        return "html"  # a saved page body: a fragment that starts with <p>/<div>, no <html> or <body>
    if _mostly_markup(data):
        return "html"  # a page saved as .txt, or a script whose string is the page (embedded.py)
    return "md" if suffix in (".md", ".markdown") else "txt"


def _mostly_markup(data: bytes) -> bool:
    """A quarter of the bytes or more are tags: markup, whatever the file's name or first lines."""
    tags = _MARKUP.findall(data)
    return len(tags) >= 8 and sum(map(len, tags)) * 4 >= len(data)


_EARLY_TAGS = re.compile(rb"^<(?:p|div|span|h[1-6]|section|article|br|font|strong|center)[\s>/]")
_MARKUP = re.compile(rb"<\\?/?[a-zA-Z][^<>]{0,1000}>")
_TAGS = re.compile(rb"</(?:p|div|td|tr|span|h[1-6])>")
