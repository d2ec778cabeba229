"""Question → Query: which agency, which year, which figure. Chinese or English.

Agencies are resolved against what is ingested (bot/agencies.py); figures come from the
vocabulary in ingest/vocab.toml.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from ingest.gazetteer import all_names
from ingest.script import simplified
from ingest.vocab import load

from .agencies import Resolution, Resolver, place_named
from .figures import figure, known_english, stem, stems
from .model import Query
from .scope import carry_years, find_agencies, without_table_words

V = load()
_CJK = re.compile(r"[\u4e00-\u9fff]")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_UNITS = "|".join(map(re.escape, V.units))
_UNIT_ASKED = re.compile(rf"(?:多少|几)\s*({_UNITS})")
_SHORT_YEAR = re.compile(r"(?<![\d〇零一二三四五六七八九近前后这每])([012]\d)\s*年(?!度?\d)")
# `how much government information`: an amount of a thing, not of money (`how much did it spend`)
_HOW_MUCH_OF = re.compile(
    r"\bhow much (?:of (?:the )?)?(?:government |public |official )?(?:information|data|content)\b", re.I
)
_ZH_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_ZH_YEAR = re.compile(
    r"(?<![〇零一二三四五六七八九十近前后这每])((?:二[〇零])?[〇零一二][〇零一二三四五六七八九])\s*年"
)
_EN_SHORT_YEAR = re.compile(
    r"['’]([012]\d)\b|\b(?:in|for|during)\s+([012]\d)(?=\s*(?:[:;.?!]|,(?!\d))|\s*$)", re.I
)
# `(10k yuan)`, `in 10,000 yuan`: the unit money is asked in, never words of the figure
_MONEY_EN = re.compile(
    r"[(（]?\s*(?:\bin\s+)?\b(?:"
    + "|".join(
        re.escape(w).replace(r"\ ", r"\s*")
        for w, u in sorted(V.tables["units_en"].items(), key=lambda kv: -len(kv[0]))
        if u in V.money_units and w != "how much"
    )
    + r")\b\s*[)）]?",
    re.I,
)
# A year written some other way (99年, 一九年度 …): named, so never replaced by the only year stored.
_ANY_YEAR = re.compile(r"(?<![\d〇零一二三四五六七八九近前后这每])[\d〇零一二三四五六七八九]{2,4}\s*年(?!代)")
_YEARS = (_YEAR, _ZH_YEAR, _SHORT_YEAR, _EN_SHORT_YEAR)


def _language(question: str) -> str:
    return "zh" if _CJK.search(question) else "en"


def _year(question: str, today: date) -> tuple[int | None, str]:
    q = question.lower()
    m = _YEAR.search(question)
    if m:
        return int(m.group(1)), ""
    m = _ZH_YEAR.search(question) or _SHORT_YEAR.search(question) or _EN_SHORT_YEAR.search(question)
    if m:  # 二〇二〇年, 二〇年, 20年, in '20
        digits = next(g for g in m.groups() if g).translate(_ZH_DIGITS)
        return int(digits if len(digits) == 4 else "20" + digits), ""
    for words, delta in (
        (("去年", "last year", "previous year"), 1),
        (("前年", "year before last"), 2),
        (("今年", "this year"), 0),
    ):
        for w in words:
            if w in q:
                return today.year - delta, f"“{w}” read as {today.year - delta}"
    m = _ANY_YEAR.search(question)
    return None, (m.group(0) if m else "")  # said back by answer(): never another year's figure


def _simplified(question: str) -> str:
    """A question typed in traditional characters (公開財政預決算信息幾條) read as the stored simplified
    copies are; a simplified question is left alone, since a few characters are both (著, 乾)."""
    converted = simplified([question])[0]
    changed = sum(a != b for a, b in zip(question, converted))
    return converted if changed >= 2 and changed * 10 >= len(_CJK.findall(question)) else question


def understand(question: str, agencies: Resolver, today: date | None = None) -> Query:
    today = today or date.today()
    q = Query(question=_simplified(question), language=_language(question))  # answer() shows it as typed
    question = carry_years(unicodedata.normalize("NFKC", q.question))  # ２０１９年 is 2019年
    language = q.language
    q.year, q.year_note = _year(question, today)
    r = agencies.resolve(question)
    q.agency, q.candidates, q.at_place = r.agency, r.candidates, r.at_place
    if r.assumed:
        q.agency_note = (
            f"“{r.assumed}”按{r.agency}理解，已存储的报告中只有它符合"
            if language == "zh"
            else f"“{r.assumed}” taken to mean {r.agency}, the only stored agency it fits"
        )
    q.other_place = r.missing or (place_named(question) if q.agency is None and not q.candidates else "")
    # the words that name the agency are not the figure asked for
    text = _without_spans(question, _name_spans(question, r, agencies))
    for _ in find_agencies(question, agencies)[1:]:  # nor those of the others a comparison names
        text = _without_spans(text, _name_spans(text, agencies.resolve(text), agencies))
    if language == "en":
        text = _MONEY_EN.sub(" ", text)
    for pattern in _YEARS:
        text = pattern.sub(" ", text)
    m = _UNIT_ASKED.search(text)
    if m:
        q.unit = m.group(1)
    elif language == "en":  # "person-times of training" asks for 人次, not 次
        words = stems(question)  # word by word: Luoyuan is not a yuan
        q.unit = next(
            (
                u
                for w, u in V.tables["units_en"].items()
                if stems(w) in words and not (w == "how much" and _HOW_MUCH_OF.search(question))
            ),
            "",
        )
    figure(q, without_table_words(_without_places(text, language)))
    return q


def _name_spans(text: str, r: Resolution, agencies: Resolver) -> list[tuple[int, int]]:
    """Where the question names the agency: the resolver's spans, and the start of the body's own place
    printed before a kind word it found (东湖 of 东湖发改局, when the body is 东湖高新区发展改革局)."""
    place = agencies.place_of(r.agency) if r.agency else ""
    out = []
    for start, end in r.spans:
        k = next((k for k in (4, 3, 2) if start >= k and place.startswith(text[start - k : start])), 0)
        out.append((_name_head(text, start - k), end))
    return out


_HEAD = re.compile(r"[\u4e00-\u9fff]{2,12}$")
_LEVEL_END = ("区", "县", "市", "旗", "镇", "乡", "街道", "岛")


def _name_head(text: str, start: int) -> int:
    """Where a name the resolver read from its end starts: 长兴岛经开 of 长兴岛经开区管委会办公室 (the body
    stored as 区管委会办公室) is its place, never words of the figure asked."""
    m = _HEAD.search(re.split(r"[年的和与及在]", text[:start])[-1])
    if m and (text[start : start + 1] in _LEVEL_END or m.group(0).endswith(_LEVEL_END)):
        return start - len(m.group(0))
    return start


def _without_spans(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in reversed(_merged(spans)):
        text = text[:start] + " " + text[end:]
    return text


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans as one (ecology and environment · environment bureau), in order."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


_EN_LEVELS = re.compile(
    r"\b(?:province|provincial|city|municipal|county|district|prefecture"
    r"|banner|league|township|town|sub-?district)\b",
    re.I,
)
_NAME = re.compile(r"(?:(?<=[a-z,;:] )|(?<=\())[A-Z][A-Za-z'’]*\b")  # (Hukou county) is a place too


def _without_places(text: str, language: str) -> str:
    """Places named in the question are not the figure asked for: every gazetteer name (郑州市 in
    郑州市各区县…, whether or not a body there is stored), and in English the capitalised names after
    the first word that the vocabulary does not know, and the level words (Zhengzhou district)."""
    if language == "en":  # a capitalised word the vocabulary knows (WeChat, Weibo) stays
        known = known_english()
        text = _NAME.sub(lambda m: m.group(0) if stem(m.group(0).lower()) in known else " ", text)
        return _EN_LEVELS.sub(" ", text)
    text = _EN_LEVELS.sub(" ", text)  # an English question glossing a term (overview (概况) items)
    names = all_names()
    out, i = [], 0
    while i < len(text):
        n = next((n for n in range(min(12, len(text) - i), 1, -1) if text[i : i + n] in names), 0)
        out.append(" " if n else text[i])
        i += n or 1
    return "".join(out)
