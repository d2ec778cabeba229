"""A report page saved as the script that builds it: the markup is a JavaScript string.

Some sites serve a report as a script (`let content = "<p style=\\"…\\">…</p><table>…";`), and a copy
saved as .txt is that script: menus as JS arrays, and the whole report, tables and all, as one string
literal with its quotes, slashes and newlines escaped. Read as text it yields no table cells and prose
full of tags; read as HTML, escaped attribute quotes break the tables. So when one string literal holds
most of a file's markup, that literal, unescaped, is the page.
"""

from __future__ import annotations

import re

_LITERAL = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`(?:[^`\\]|\\.)*`', re.S)
_TAG = re.compile(r"<\\?/?[a-zA-Z][^<>]{0,1000}>")
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\n|.)", re.S)
_ASSIGNED = ("=", ":", "(", ",", "+", "[")  # a string given to a variable, a key, a call
_SIMPLE = {"n": "\n", "r": "\n", "t": "\t", "b": "", "f": "", "v": "", "0": "", "\n": ""}


def page_in_script(text: str) -> str:
    """The page a script's largest markup string holds, unescaped; the text itself when no string
    literal holds most of its tags (an ordinary page, whose scripts are its furniture)."""
    tags = len(_TAG.findall(text))
    if tags < 8 or text.lstrip().startswith("<"):
        return text  # a page that starts as a page is one, whatever its scripts hold
    assigned = (m for m in _LITERAL.finditer(text) if text[: m.start()].rstrip()[-1:] in _ASSIGNED)
    best = max((m.group(0) for m in assigned), key=lambda s: len(_TAG.findall(s)), default="")
    if len(_TAG.findall(best)) * 2 <= tags:
        return text
    return _unescaped(best[1:-1])


def _unescaped(body: str) -> str:
    """JavaScript's escapes: \\" \\' \\/ \\\\ \\n \\t \\uXXXX \\xXX; a line continuation is nothing."""

    def one(m: re.Match[str]) -> str:
        e = m.group(1)
        if e[0] in "ux" and len(e) > 1:
            return chr(int(e[1:], 16))
        return _SIMPLE.get(e, e)

    return _ESCAPE.sub(one, body)
