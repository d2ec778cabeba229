"""A publisher that names itself only relatively (区管委会办公室, 区财政局): the report is of a zone
it names elsewhere in the text (依托长兴岛经济技术开发区门户网站), so the body is that zone's.

A zone's own name is the words before its zone word that are a place's (长兴岛, 大连长兴岛), never
the sentence's verb or time (依托, 全年): jieba's dictionary tells them apart, so no list of verbs
is kept. Only one zone named in the text is taken; two leave the name as it is.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from .agency import Choice, Identity, parse
from .agency_cues import HAN, vocab
from .gazetteer import Place, all_names

_LEVEL = "区"  # the level word a zone (…开发区, …高新区, …新区) is spoken of by: 区管委会, 区财政局
_PLACE_TAGS = ("ns", "nr", "nz", "x")  # a place's, a proper name's, or no word of the dictionary
_FUNCTION = "pcur"  # one-character words of the sentence (在, 和, 的, 该), never a name's


@lru_cache(maxsize=1)
def _zone_runs() -> re.Pattern[str]:
    words = [z for z in vocab().zones if z.endswith(_LEVEL)]
    return re.compile(rf"({HAN}{{1,10}}?)({'|'.join(words)})")


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    return jieba.posseg


def _proper(run: str) -> str:
    """The zone's own name at the end of `run`: its last word, and the place words (or single
    characters of no function word) before it."""
    words = [(w.word, w.flag) for w in _segmenter().cut(run, HMM=False)]
    out = ""
    for i, (word, flag) in enumerate(reversed(words)):
        place = flag.startswith(_PLACE_TAGS) or any(word + s in all_names() for s in ("", "市", "县", "区"))
        glue = len(word) == 1 and flag[:1] not in _FUNCTION  # 塘 of 塘东岛: a character of the name
        if i and len(out) >= 2 and not (place or glue):
            break
        out = word + out
    return out if len(out) >= 2 else ""


def zones_named(flat: str) -> list[str]:
    """The zones the text names in full, outside cited titles (长兴岛经济技术开发区), first named first."""
    text = re.sub(r"《[^》]{0,80}》", "", flat[:4000])
    out: list[str] = []
    for m in _zone_runs().finditer(text):
        lead = re.search(rf"{HAN}{{0,8}}$", text[: m.start(2)])
        proper = _proper(lead.group(0) if lead else "")
        if proper and proper + m.group(2) not in out:
            out.append(proper + m.group(2))
    return out


def _relative(ident: Identity) -> bool:
    """A name with no place of its own that starts with the zone's level word: 区管委会办公室."""
    return (
        ident.province is None
        and ident.town is None
        and ident.printed.startswith(_LEVEL)
        and not any(ident.printed[:n] in all_names() for n in range(2, 9))
    )


def of_zone(choice: Choice, flat: str, around: Place | None) -> Choice:
    """The choice with a relative name read as the body of the one zone the text names."""
    ident = choice.identity
    if ident is None or not _relative(ident):
        return choice
    if around is not None and around.name not in flat:
        around = None  # a unit read from a short form only (七星 of 七星关岛) places no zone
    found: dict[str, tuple[str, Identity]] = {}
    for zone in zones_named(flat):
        full = zone + ident.printed[len(_LEVEL) :]
        rest = flat.replace(zone, "")  # its place is one the text names apart from it (红河岛: no 红河县)
        if (zi := parse(full, rest, around)) is not None and zi.town:
            found.setdefault(zi.key, (full, zi))
    if len(found) != 1:
        return choice
    full, zi = next(iter(found.values()))
    return replace(
        choice,
        identity=replace(zi, printed=ident.printed),
        names=sorted({*choice.names, full}),
    )
