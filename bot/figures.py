"""Which figure a question asks for: a template cell, a measure, or the question's own words.

The vocabulary (ingest/vocab.toml) names the template's rows and columns; the question's own
content words are kept next to it, because a report states many figures the template has no
row for (访谈, 公开栏, 低保). English is matched by stem (reviews/review, filed/file), and words
inside a negating or qualifying parenthesis — `(without prior administrative review)` — are
not read as the figure asked. A named sub-row (`（六）其他处理中的3.其他`) is that sub-row; a sum
asked for (`合计`, `两类诉讼`, `both kinds`) is the sum row.
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.lexical import tokenize
from ingest.vocab import Entry, load

from .model import Query

V = load()
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NEG_PAREN = re.compile(
    r"[（(][^（()）]*?(?:未经|不含|不包括|除|没有|非|without|not |excluding|except|other than|no "
    r")[^（()）]*[)）]",
    re.I,
)
_SUB_ITEM = re.compile(
    r"(?:第\s*(\d+)\s*[项类个]|(?<![\d.])(\d)\s*[.、．]|[（(](\d)[)）]|\bitem\s*(\d)\b|\bno\.?\s*(\d)\b)",
    re.I,
)
_SUM = re.compile(
    r"合计|总共|一共|共计|加起来|两类|两种|both|combined|together|in total|altogether|sum", re.I
)


_WHOLE = {"news", "series"}  # no plural: news is not new


def stem(word: str) -> str:
    """A crude English stem, the same on both sides: filed/files/filing → fil, meetings → meet."""
    w = word.lower()
    if w in _WHOLE:
        return w
    if w.endswith(("ies", "ied")) and len(w) > 4:  # carries, carried → carry
        return w[:-3] + "y"
    for _ in range(2):  # meetings → meeting → meet
        for suffix in ("ing", "ed", "s"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
                w = w[: -len(suffix)]
                break
        w = w[:-1] if w.endswith("e") and len(w) > 3 else w
    return w


@lru_cache(maxsize=8192)
def stems(text: str) -> str:
    """' a b c ' — the stems of a text's English words, padded so phrases match on word bounds."""
    # a hyphen joins the words of one modifier (government-affairs news, final-accounts): the words count
    words = re.findall(r"[a-z0-9][a-z0-9']*", text.lower().replace("'s ", " ").replace("-", " "))
    return " " + " ".join(stem(w.rstrip("'")) for w in words) + " "  # 'other' items: a quoted word


def without_qualifiers(text: str) -> str:
    """The question minus parentheses that negate or qualify (`(without prior review)`)."""
    return _NEG_PAREN.sub(" ", text)


def _negations() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """`未经复议`, `without reconsideration first`: a negation word and what it negates."""
    neg = V.tables["prose"]["negation"]
    zh = "|".join(map(re.escape, neg["zh"]))
    en = "|".join(map(re.escape, neg["en"]))
    return (
        re.compile(rf"(?:{zh})[\u4e00-\u9fff]{{0,4}}?(?=直接|的|而|就|[^\u4e00-\u9fff]|$)"),
        re.compile(rf"\b(?:{en})\b(?:\s+[A-Za-z'’\-]+){{1,3}}", re.I),
    )


_NEG_ZH, _NEG_EN = _negations()


def without_negated(text: str) -> str:
    """The text minus what a negation outside parentheses names: in `lawsuits without reconsideration
    first` reconsideration is not the figure asked."""
    return _NEG_EN.sub(" ", _NEG_ZH.sub(" ", text))


def _negating(word: str) -> bool:
    return bool(_NEG_ZH.match(word) or _NEG_EN.search(word))


def best_entry(entries: list[Entry], text: str) -> tuple[float, Entry | None, str]:
    """The entry with the longest synonym found in the text (Chinese words count in any language).
    A synonym that holds a negation (未经复议, without reconsideration) is matched on the whole text
    and wins a tie; every other synonym only on the text without what is negated."""
    best: tuple[float, Entry | None, str] = (0, None, "")
    plain = without_negated(text)
    low, plain_low = stems(text), stems(plain)
    for e in entries:
        bonus = 0.5 if e.parent else 0.0  # 国家秘密 under 不予公开: the sub-item is the more specific
        scores = [
            (len(w) * 2 + bonus + (1 if _negating(w) else 0), w)
            for w in e.zh
            if w and w in (text if _negating(w) else plain)
        ]
        scores += [
            (len(w.split()) * 3 + len(w) // 6 + bonus + (1 if _negating(w) else 0), w)
            for w in e.en
            if stems(w) in (low if _negating(w) else plain_low)
        ]
        scores += [(1.0, w) for w in e.weak if (w in plain if _CJK.search(w) else stems(w) in plain_low)]
        if scores:
            top = max(scores)
            if top[0] > best[0]:
                best = (top[0], e, top[1])
    return best


def _sub_row(table: str, text: str, row: Entry | None) -> Entry | None:
    """`（六）其他处理中的3.其他`, `不予公开第4项`: the numbered sub-row of the group named."""
    entries = V.rows(table)
    parent = row.parent if row is not None else ""
    group = row if row is not None and not parent else next((e for e in entries if e.key == parent), None)
    if group is None:
        return row
    children = [e for e in entries if e.parent == group.key]
    names = [w for w in (*group.zh, *group.en, group.label) if w]
    at = max((text.find(w) + len(w) for w in names if w in text), default=-1)
    if not children or at < 0:
        return row
    m = _SUB_ITEM.search(text, at) or _SUB_ITEM.search(text)  # 其他处理中的3.其他 / item 3 of other handling
    if m is None:
        return row
    n = int(next(g for g in m.groups() if g))
    return children[n - 1] if 1 <= n <= len(children) else row


def _named_child(table: str, text: str, row: Entry) -> Entry:
    """A group named with one of its sub-items (`not processed as petitions`): the sub-item."""
    score, child, _ = best_entry([e for e in V.rows(table) if e.parent == row.key], text)
    return child if child is not None and score > 1.0 else row


def _sum_row(table: str, text: str, row: Entry) -> Entry:
    """Two printed rows and a word for their sum (直接起诉和复议后起诉合计): the row that sums them."""
    if not _SUM.search(text):
        return row
    low = stems(text)
    for e in V.rows(table):
        parts = [p for p in V.rows(table) if p.key in e.sum_of]
        named = [p for p in parts if any(w in text for w in p.zh) or any(stems(w) in low for w in p.en)]
        if row.key in e.sum_of and len(named) >= 2:
            return e
    return row


@lru_cache(maxsize=1)
def _kind_words() -> set[str]:
    """民政局, 人社局, 政府办: words of agency kinds name the publisher, never the figure."""
    kinds = [n for k in V.tables["agency_kinds"]["kind"] for n in (k["name"], *k.get("short", []))]
    return {
        w
        for k in kinds
        for w in (k, *tokenize(k))
        if w.endswith(("局", "厅", "室", "委", "委员会", "政府", "办"))
    }


@lru_cache(maxsize=1)
def _asking_words() -> frozenset[str]:
    """The English of asking, publishing and naming a publisher: nothing in it says what was counted."""
    kinds = V.tables["agency_kinds"]
    words = [*V.tables["prose"]["question_words_en"], *kinds["kind_nouns"], *kinds["en_levels"]]
    words += [w for k in V.tables["prose"]["fallback_en"] for w in k.split()]
    return frozenset(stem(x) for w in words for x in w.split("-") if x)


def general_words(text: str, language: str) -> list[str]:
    """A question with no content words (公开了多少条信息) is matched by its general ones. An English
    noun the glossary does not translate (`government documents`, `news items`) is a content word
    all the same: the question is not general, and the most general clause would be a wrong number."""
    if language == "en":
        low = stems(text)
        if any(w not in _asking_words() and not w.isdigit() for w in low.split()):
            return []
        return [zh for en, zh in V.tables["prose"]["fallback_en"].items() if stems(en) in low]
    return [w for w in V.tables["prose"]["fallback_zh"] if w in text]


def own_words(text: str, language: str) -> list[str]:
    """The question's content words: Chinese tokens, or the Chinese of its English words (glossary)."""
    generic = set(V.tables["prose"]["generic"]) | _kind_words()
    if language == "zh":  # jieba may glue a noun to its verb (微博有): the nouns it contains count too
        nouns = [w for w in V.tables["prose"]["required"] if w in text]
        chinese = [w for w in tokenize(text) if _CJK.search(w)]
        english = own_words(text, "en") if re.search("[a-zA-Z]{3}", text) else []
        return [w for w in dict.fromkeys(chinese + nouns + english) if len(w) >= 2 and w not in generic]
    low = stems(text)
    out: list[str] = []
    for en, zh in sorted(V.tables["glossary"].items(), key=lambda kv: -len(kv[0])):
        if stems(en) in low:  # "official account" is not also an "account"
            low = low.replace(stems(en), " ", 1)
            out += [w for w in zh if w not in out]
    return out


@lru_cache(maxsize=1)
def known_english() -> frozenset[str]:
    """Every English word the vocabulary knows, and the words of asking."""
    words: set[str] = set(V.tables["prose"]["question_words_en"])
    for t in ("t2", "t3", "t4"):
        for e in V.rows(t) + V.columns(t):
            words.update(w for p in e.en for w in p.split())
    for m in V.tables["measures"]:
        words.update(w for p in m["en"] for w in p.split())
    words.update(w for k in V.tables["glossary"] for w in k.split())
    kinds = V.tables["agency_kinds"]  # bureau, commission, county: the publisher, never the figure
    words.update([*kinds["kind_nouns"], *kinds["en_levels"]])
    return frozenset(stem(x) for w in words for x in w.split("-") if x)


def _other_words(q: Query, text: str, table: str, row: Entry) -> bool:
    """Content words of the question that the chosen row and its table's columns do not explain."""
    words = own_words(text, q.language)
    if q.language == "en":  # `public interest organisations`: 公众|群众|社会 of 社会公益组织
        said = [x for e in [row, *V.columns(table)] for x in e.zh]
        return q.unexplained or any(
            not any(a in x or x in a for a in w.split("|") for x in said) for w in words
        )
    covered = {w for e in [row, *V.columns(table)] for x in e.zh + e.weak for w in tokenize(x)}
    return any(w not in covered for w in words)


def _off_topic(q: Query, text: str, table: str, row: Entry) -> bool:
    """A distinctive word of the question (热线, 不动产, 培训, followers, a number like 12345) that the
    chosen row, its group and its table's columns do not name: the question is about something the
    template has no row for, and the nearest cell would be a wrong number."""
    parent = next((e for e in V.rows(table) if e.key == row.parent), None)
    said = "".join(x for e in [row, parent, *V.columns(table)] if e for x in (*e.zh, *e.weak, e.label))
    if any(n not in said for n in re.findall(r"(?<![\d.])\d{3,}(?![\d.])", text)):
        return True
    distinctive = V.tables["prose"]["required"]
    words = own_words(text, q.language) if q.language == "en" else [w for w in distinctive if w in text]
    return any(
        not any(x in said for x in w.split("|")) for w in words if any(x in distinctive for x in w.split("|"))
    )


@lru_cache(maxsize=1)
def _phrases() -> tuple[str, ...]:
    """Every English phrase the vocabulary translates, as stems: glossary words, row, column and measure
    names, units."""
    out = [*V.tables["glossary"], *V.tables["prose"]["fallback_en"], *V.tables["units_en"]]
    out += [w for t in ("t2", "t3", "t4") for e in V.rows(t) + V.columns(t) for w in e.en]
    out += [w for m in V.tables["measures"] for w in m["en"]]
    levels = set(V.tables["agency_kinds"]["en_levels"])  # the question's level words are gone: `county head`
    out += [" ".join(x for x in w.split() if x not in levels) for w in out]
    return tuple(sorted({stems(w) for w in out}, key=len, reverse=True))


def untranslated(text: str, acronyms: set[str]) -> list[str]:
    """English words of a question no phrase of the vocabulary said: `other` of `other government
    meetings` is known from `other services`, but nothing here translates it, so a stated figure
    matched on the rest (政府常务会议信息) would be about something else."""
    low = stems(text)
    for p in _phrases():
        if p.strip() and p in low:
            low = low.replace(p, " ")
    return [w for w in low.split() if w not in _asking_words() and w not in acronyms and not w.isdigit()]


def _acronym(word: str) -> bool:
    """HRSS, AMR, wjw: an abbreviation (of an agency, mostly), never the figure asked."""
    return len(word) >= 2 and (word.isupper() or not re.search("[aeiouy]", word.lower()))


def _pick(text: str) -> tuple[str, tuple[float, Entry | None, str]]:
    """The table whose row, with the column it names, fits best: `direct lawsuits still pending` is
    表四's 直接起诉 · 尚未审结, not 表三's 结转下年度 (`still pending`)."""

    def fit(table: str) -> tuple[float, tuple[float, Entry | None, str]]:
        row = best_entry([e for e in V.rows(table) if not e.group or e.zh], text)
        col = best_entry(V.columns(table), text)[0] if row[1] is not None else 0
        return row[0] + col / 2, row

    fits = {t: fit(t) for t in ("t2", "t3", "t4")}
    table = max(fits, key=lambda t: fits[t][0])
    return table, fits[table][1]


def _inside_longer(word: str, text: str, means: tuple[str, ...]) -> bool:
    """An English word the question says only inside a longer glossary phrase that means something
    else: the phrase is what it names (`budget and final accounts`, not `budget`; but `WeChat account`
    is still WeChat, since its Chinese is among the measure's own words `means`)."""
    w, low = stems(word), stems(text)
    glossary: dict[str, list[str]] = V.tables["glossary"]

    def other(g: str) -> bool:
        return not any(z in m or m in z for x in glossary[g] for z in x.split("|") for m in means)

    longer = [stems(g) for g in glossary if len(g) > len(word) and other(g)]
    said = [g for g in longer if w in g and g in low]
    return bool(said) and low.count(w) <= sum(low.count(g) for g in said)


_QUOTED = re.compile(r"[“\"「『‘']\s*([^“”\"「」『』‘’']{1,12}?)\s*[”\"」』’']")


def _column(cols: list[Entry], text: str) -> tuple[Entry | None, bool]:
    """The column a question names, and whether the reading is sure. A quoted column label (`“其他”类
    法人或组织`, `'other' organisations`) is that column, over the group around it; two quoted columns,
    or a column word standing before the group that was picked (`其他类法人`), leave it unsure."""
    quoted = {
        e.key: e
        for m in _QUOTED.finditer(text)
        for e in cols
        if m.group(1).strip().lower() in {e.label, *e.zh, *(w.lower() for w in e.en)} - {""}
    }
    if len(quoted) > 1:
        return None, False
    if quoted:
        return next(iter(quoted.values())), True
    _, col, word = best_entry(cols, text)
    if col is None or not col.sum_of:
        return col, True
    parts = [e for e in cols if e.key in col.sum_of]
    # a printed column of the group said just before its name: `其他类法人`, `other legal persons`
    if _CJK.search(word):
        before = text[: text.find(word)][-4:]
        return col, not any(x in before for e in parts for x in (e.label, *e.zh) if x)
    low = stems(text)
    before_en = low[: low.find(stems(word))].split()[-1:]
    heads = {stem(p.split()[0]) for e in parts for p in (*e.en, e.gloss) if p}
    return col, not (before_en and before_en[0] in heads)


def _of_the_year(q: Query, text: str) -> bool:
    """`主动公开了多少件规章`, `proactively published`: what the year published, when no stock (总数,
    累计, in force, in total) is asked."""
    stock = V.tables["stated_guard"]["stock"]["asked"]
    asks_stock = any(w in text if _CJK.search(w) else stems(w) in stems(text) for w in stock)
    return any("主动公开" in w for w in q.words) and not asks_stock


def figure(q: Query, text: str) -> None:
    """Map the words of a question onto a template cell, or a measure and words to search for."""
    text = without_qualifiers(text)
    q.words = own_words(text, q.language) or general_words(text, q.language)
    known = known_english()
    acronyms = {stem(w) for w in re.findall(r"[A-Za-z]+", text) if _acronym(w)}
    q.unexplained = q.language == "en" and any(
        w not in known and w not in acronyms for w in stems(text).split() if not w.isdigit()
    )
    measures = [Entry(m["key"], m["key"], (), tuple(m["zh"]), tuple(m["en"])) for m in V.tables["measures"]]
    m_score, measure, m_word = best_entry(measures, text)
    if measure is not None and _inside_longer(m_word, text, measure.zh):
        measure = None  # `budget` of `budget and final accounts` (预决算) is no funding
    table, (score, row, word) = _pick(text)
    kinds = {m["key"]: m.get("question", False) for m in V.tables["measures"]}
    if measure is not None and (m_score > score or kinds[measure.key]):
        q.measure = measure.key
        q.terms = list(measure.zh)
        return
    if row is None:  # the question's own words (q.words) are all there is to go on: each must be said
        q.unexplained = q.unexplained or bool(untranslated(text, acronyms))
        return
    row = _sum_row(table, text, _sub_row(table, text, _named_child(table, text, row)) or row)
    generic = V.tables["prose"]["generic_row_words"]
    english = not _CJK.search(word) and stems(word) in {stems(w) for w in generic if not _CJK.search(w)}
    if (word in generic or english) and _other_words(q, text, table, row) or _off_topic(q, text, table, row):
        q.terms = []  # 办理人大代表建议: the question's own words decide, or nothing does
        q.unexplained = q.unexplained or bool(untranslated(text, acronyms))
        return
    q.table, q.row = table, row.key
    # 收到 asked, 接收 printed: a word of the row is any of its words but those that name every request (提出)
    said = [w for w in row.zh if len(w) >= 2 and w not in generic]
    q.words = ["|".join([w, *said]) if w in row.zh else w for w in q.words]
    if q.language == "en" and q.words and said and not any(w in x for w in said for x in q.words):
        q.must = ["|".join(said)]  # `penalty-decision notices`: a clause must name the row too
    cols = V.columns(table)
    col, sure = _column(cols, text)
    if not sure:  # `其他类法人`: a column read unsure is no column's figure, nor a stated one
        q.table, q.row, q.terms, q.unexplained = "", "", [], True
        return
    if table == "t2" and col is not None and col.key not in V.tables["t2_columns_of"].get(row.key, [col.key]):
        col = None  # "penalty decisions did it issue": 本年制发件数 is not a column of 行政处罚
    if table == "t2" and col is None and q.unexplained:
        q.terms = []  # `newly drawn up`: a word not known may name the column; no default column is safe
        return
    if table == "t2":
        defaults = V.tables["t2_default_columns"].get(row.key, [])
        q.column = col.key if col is not None else (defaults[0] if defaults else "")
        q.column_named = col is not None
        if q.column == "total_published" and not col and _of_the_year(q, text):
            q.column = "new_published"  # 主动公开规章13件 that year, not the 524 对外公开总数量 held
        if col is not None:  # `penalty decisions`: a sentence counting penalty case notices is not it
            said_as = V.tables["stated_guard"]["qualifiers"].get(col.key, [])  # 发布 of 本年制发
            q.must = [*q.must, "|".join(w for w in (*col.zh, *said_as) if len(w) >= 2)]
        q.terms = [row.label] + ([col.label] if col is not None else [])
    else:
        q.column = col.key if col is not None else "total"
        q.terms = list(row.zh + row.weak)  # if the cell is missing, prose must say the same thing
