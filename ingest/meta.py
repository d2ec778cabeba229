"""Agency, place, reporting year and template generation, found from the text.

Who published the report is decided in agency.py (every cue scored); this module adds the place
the text is about, the user's overrides and the year. The year is the statistics period, never
the filing date (`填报日期：2019年1月30日` in a 2018 report). The template is detected by the
tables' content, because agencies do not always use the template of their year.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import replace
from pathlib import Path

from .agency import Choice, Identity, choose, parse
from .agency_cues import vocab
from .agency_relative import of_zone
from .gazetteer import Place, aliases, lookup, place_in, short_unit
from .model import Document, Fact, Meta
from .script import as_printed, reading

_TITLE_AGENCY = re.compile(r"^(.+?)\s*(\d{4})\s*年\s*度?.*报告")
_PERIOD = re.compile(r"统计(?:期限|时限|区间|时间)[^\d]{0,8}(\d{4})\s*年")
_YEAR_REPORT = re.compile(r"(\d{4})\s*年\s*度?\s*(?:政府信息公开|政务公开)")
# A web domain printed in a name's place (a mirror site rewrote 永嘉县委农办 as puroview.com委农办): no
# part of the name, which is what follows it. A bracketed address (www.x.gov.cn) is left alone.
_DOMAIN_NAME = re.compile(
    r"(?<![A-Za-z0-9./])(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org)(?=[\u4e00-\u9fff])"
)
_QUOTES = re.compile(r"[“”\"‘’「」『』]")
_YEAR = re.compile(r"(?<!\d)(20[0-4]\d|199\d)\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")


def find_meta(
    doc: Document,
    facts: list[Fact],
    agency: str | None = None,
    year: int | None = None,
    place: str | None = None,
) -> Meta:
    """`agency`, `year` and `place` are the user's overrides (validated by the CLI); the rest is read."""
    original = doc.lines
    doc = reading(doc)  # traditional characters read as simplified; the names stay as printed
    text = "\n".join(doc.lines)
    flat = _DOMAIN_NAME.sub("", re.sub(r"[ \t\u00a0\u3000]+", "", text[:6000]))
    meta = Meta()
    meta.title = _title(doc)
    around = _text_place(flat)
    if agency:
        ident = parse(agency, flat, around) or Identity(agency, agency, "other")
        choice = Choice(ident, "override", [agency])
    else:
        choice = of_zone(choose(doc.lines, flat, doc.path, around), flat, around)
        if choice.identity is not None and doc.lines is not original:
            choice = replace(
                choice,
                identity=replace(
                    choice.identity, printed=as_printed(choice.identity.printed, original, doc.lines)
                ),
                names=sorted({as_printed(n, original, doc.lines) for n in choice.names} | set(choice.names)),
            )
    meta.year, year_cue = (year, "override") if year else _year(meta.title, text)
    meta.cues = {"year": year_cue}
    if choice.identity is not None:
        _set_identity(meta, choice)
    else:
        meta.warnings.append("agency not found in the text; pass --agency")
    if place:
        _set_place(meta, place, flat)
    if choice.disagreement:
        meta.warnings.append(choice.disagreement)
    if meta.year is None:
        meta.warnings.append("reporting year not found in the text; pass --year")
    meta.template = template_of(facts, text)
    return meta


def check_place(place: str | None) -> str | None:
    """Why the user's --place cannot be used, or None when it can (--agency/--year are checked by the CLI)."""
    if place is not None and not place.startswith("text:") and place_in(place) is None:
        return (
            f"--place {place!r}: not a known province, city or county; "
            f"write text:{place} to keep it as written"
        )
    if place is not None and place.startswith("text:") and not place[5:].strip():
        return "--place text: needs the place after it"
    return None


def _set_identity(meta: Meta, choice: Choice) -> None:
    ident = choice.identity
    assert ident is not None
    meta.agency, meta.printed, meta.kind, meta.town = ident.canonical, ident.printed, ident.kind, ident.town
    meta.agency_id, meta.names = ident.agency_id, choice.names or [ident.printed]
    meta.cues["agency"] = choice.cue
    if ident.place is not None:
        meta.place = _printed(ident.printed, ident.place) if ident.place_cue == "name" else ident.place.name
        meta.city, meta.province, meta.county = ident.city, ident.province, ident.county
        meta.cues["place"] = "agency name" if ident.place_cue == "name" else "places named in the text"
    if ident.town and (ident.town in ident.canonical or ident.place is None):  # a town, street, zone
        meta.place = ident.town


def _set_place(meta: Meta, place: str, flat: str) -> None:
    """--place: a gazetteer place (its chain is filled in) or `text:NAME`, stored as written."""
    meta.cues["place"] = "override"
    if place.startswith("text:"):
        meta.place = meta.town = place[5:].strip()
        return
    found = place_in(place, flat)
    if found is None:
        return  # check_place refuses this before ingest
    meta.place, meta.province, meta.city = found.name, found.province, found.city
    meta.county = found.name if found.level == "county" else None
    if meta.agency and meta.kind:
        meta.agency_id = Identity(
            meta.printed or meta.agency,
            meta.agency,
            meta.kind,
            meta.province,
            meta.city,
            meta.county,
            meta.town,
        ).agency_id


_COUNTY_END = set("县区市旗州盟省")
_PLACE_WORD = set("岛镇乡村街路山湖湾港")  # 长兴岛经济技术开发区 is on an island, not in 长兴县
_BODY_END = re.compile(
    "|".join(
        sorted(
            [*vocab().zones, "中心", "管委会", "管理委员会", "人民政府", "委员会", "局"],
            key=len,
            reverse=True,
        )
    )
)


def _text_place(flat: str) -> Place | None:
    """The place the opening names most, outside cited titles: where a town, zone or department
    printed without its place is."""
    outside = _QUOTES.sub("", re.sub(r"《[^》]{0,80}》", "", flat[:4000]))  # “中国永嘉”县政府: 永嘉县
    cited = "".join(re.findall(r"《[^》]{0,80}》", flat[:4000]))
    return _most_named(outside) or _most_named(cited) or _short_named(outside)


def _short_named(text: str) -> Place | None:
    """A text naming no unit in full may still print one in its short form at the head of a body's
    name (磐安公共资源交易中心, 番禺经济技术开发区管委会): taken when exactly one unit has that short
    form, it is no ordinary word (gazetteer.short_unit), it does not run on into another place's
    name (长兴岛), and every such form the text prints agrees (武汉东湖新技术开发区 names 武汉市, so
    its 东湖 is not 南昌's 东湖区: none is taken)."""
    hits: list[Place] = []
    for m in _BODY_END.finditer(text):
        run = re.search(r"[\u4e00-\u9fff]*$", text[max(0, m.start() - 14) : m.start()])
        span = run.group(0) if run else ""  # 4 more than read: a name the window cuts (工布|江达) is whole
        at = [
            (i, n, p)
            for i in range(len(span))
            for n in (5, 4, 3, 2)
            if i + n <= len(span) and (p := short_unit(span[i : i + n]))
        ]  # 工布江达 ends the span: read once, with its own length
        at = [(i, n, p) for i, n, p in at if not any(a <= i and i + n <= a + b and b > n for a, b, _ in at)]
        at = [(i, n, p) for i, n, p in at if i + n > len(span) - 10]
        if any(a < i < a + b for a, b, _ in at for i, _, _ in at):
            continue  # 公开江东…中心: 开江 or 江东, no telling (弓长岭 is 弓长岭区, not 长岭县 inside it)
        at = [(i, n, p) for i, n, p in at if span[i + n : i + n + 1] not in _PLACE_WORD]  # 七星 of 七星关岛
        hits += [p for _, _, p in at if p not in hits]
    counties = [p for p in hits if p.level == "county"]
    if len({p.city for p in hits}) != 1 or len(counties) > 1:
        return None
    return (counties or hits)[0]


def _most_named(text: str) -> Place | None:
    """The county (else city, else province) `text` names most; the first named on ties. A text
    naming no place outside its cited titles falls back on theirs (《仁寿县人民政府办公室关于…》)."""
    counts: Counter[Place] = Counter()
    ends = [e + 1 for e, c in enumerate(text) if c in _COUNTY_END]  # where a unit's name may end
    for i in range(len(text)):
        near = ends[bisect_right(ends, i + 1) : bisect_right(ends, i + 12)]  # 克孜勒苏柯尔克孜自治州: 11
        for end in reversed(near):
            short = (
                end - i == 2 and i > 0 and "\u4e00" <= text[i - 1] <= "\u9fff"
            )  # 市和县: 和 is a conjunction
            if not short and (p := lookup(text[i:end], text)) is not None:
                counts[p] += 1
                break
    for level in ("county", "city", "province"):
        best = [p for p, _ in counts.most_common() if p.level == level]
        if best:
            return best[0]
    return None


def _printed(agency: str, place: Place) -> str:
    """The place as the agency's name prints it: 河南县 (for 河南蒙古族自治县), 夏邑县."""
    return next((a for a in sorted(aliases(place.name), key=len) if a in agency), place.name)


_NAME_NOISE = re.compile(r"^[0-9a-f_\-]{6,}_|[（(]\d+[)）]$|^\d+[_\-]")


def _title(doc: Document) -> str:
    """The report's title line; else its file name, when that names a report (下载的 2020年…年报.pdf)."""
    for line in doc.lines[:15]:
        s = line.strip().lstrip("#").strip()
        if s and "报告" in s and len(s) < 80:
            return re.sub(r"\s+", " ", s)
    stem = _NAME_NOISE.sub("", Path(doc.path).stem).replace("_", " ").replace("-", " ").strip()
    if any(w in stem for w in ("报告", "年报", "年度")):
        return stem.replace("年报", "年度报告")
    return ""


def _year(title: str, text: str) -> tuple[int | None, str]:
    cues = (
        (_TITLE_AGENCY, title.replace(" ", ""), "title"),
        (_PERIOD, text, "statistics period"),
        (_YEAR_REPORT, text, "report sentence"),
    )
    for pat, source, cue in cues:
        m = pat.search(source)
        if m:
            return int(m.group(2) if pat is _TITLE_AGENCY else m.group(1)), cue
    years = Counter(int(y) for y in _YEAR.findall(text[:4000]))
    return (years.most_common(1)[0][0], "most frequent year") if years else (None, "")


def template_of(facts: list[Fact], text: str) -> str:
    """The template generation by the tables' content; when no table was read, by the column
    labels 表二 prints (制发/废止/现行有效/收费金额 are 2021's, 新制作/新公开/对外公开总数/采购总金额
    2019's) — never by 表三's row labels, which both templates print alike."""
    cols = {f.column for f in facts if f.table == "t2"}
    rows = {f.row for f in facts if f.table == "t3"}
    if cols & {"issued", "repealed", "in_force", "fee_amount"} or any(r.startswith("other.") for r in rows):
        return "2021"
    if cols:
        return "2019"
    s = re.sub(r"\s+", "", text)
    if any(w in s for w in ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额")):
        return "2021"
    if rows or any(w in s for w in ("本年新制作数量", "本年新公开数量", "对外公开总数量", "采购总金额")):
        return "2019"
    if any(f.table == "ind" for f in facts) or "统计指标" in s:
        return "pre2019"
    return "unknown"
