"""Traditional characters read as simplified, for finding the publisher only.

Reports republished through big5 gateways print 西藏自治區人民政府; the gazetteer, the kinds and
the cue patterns are simplified. The conversion is one character for one character, so a name
found in the converted text is cut from the original at the same place: the printed name stays
as printed. Simplified text is left alone (a few simplified characters, 乾 or 於, are also keys
of the table), so a text counts as traditional only when many of its characters convert.
"""

from __future__ import annotations

from functools import cache

from zhconv.zhconv import getdict


@cache
def _table() -> dict[int, str]:
    return {ord(k): v for k, v in getdict("zh-hans").items() if len(k) == 1 and len(v) == 1 and k != v}


def is_traditional(text: str) -> bool:
    """At least 10 characters, and 3% of the Chinese ones, are traditional forms."""
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    changed = sum(ord(c) in _table() for c in han)
    return changed >= 10 and changed >= 0.03 * len(han)


def simplified(lines: list[str]) -> list[str]:
    """The lines in simplified characters, each the same length as before."""
    return [line.translate(_table()) for line in lines]


def as_printed(name: str, original: list[str], converted: list[str]) -> str:
    """`name` (found in `converted`) as `original` prints it at the same place."""
    for raw, conv in zip(original, converted):
        if (at := conv.find(name)) >= 0:
            return raw[at : at + len(name)]
    return name
