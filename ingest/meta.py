"""Agency, place, reporting year and template generation, found from the text.

The year is the statistics period, never the filing date (`填报日期：2019年1月30日` in a 2018
report). The template is detected by the tables' content, because agencies do not always use
the template of their year.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from .gazetteer import Place, aliases, place_in
from .model import Document, Fact, Meta

_SUFFIX_WORDS = "人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|管理局|局|委|厅|署|中心|院|办"
_SUFFIX = f"(?:{_SUFFIX_WORDS})"
_AGENCY = re.compile(rf"([\u4e00-\u9fff]{{1,20}}?(?:省|市|县|区|州|旗|盟)[\u4e00-\u9fff]{{0,12}}?{_SUFFIX})")
_TITLE_AGENCY = re.compile(r"^(.+?)\s*(\d{4})\s*年\s*度?.*报告")
_PERIOD = re.compile(r"统计(?:期限|时限|区间|时间)[^\d]{0,8}(\d{4})\s*年")
_YEAR_REPORT = re.compile(r"(\d{4})\s*年\s*度?\s*(?:政府信息公开|政务公开)")
_YEAR = re.compile(r"(?<!\d)(20[0-4]\d|199\d)\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
_SELF = re.compile(rf"([\u4e00-\u9fff]{{2,24}}?{_SUFFIX})\s*[（(]以下简称")
_COMPILED_BY = re.compile(rf"由\s*([\u4e00-\u9fff]{{2,24}}?{_SUFFIX})\s*(?:编制|编写|制作|负责)")


def find_meta(doc: Document, facts: list[Fact], agency: str | None = None, year: int | None = None) -> Meta:
    text = "\n".join(doc.lines)
    meta = Meta()
    meta.title = _title(doc)
    meta.agency = agency or _agency(meta.title, text)
    meta.year = year or _year(meta.title, text)
    if meta.agency:
        place = place_in(meta.agency, text)
        if place is not None:
            meta.place = _printed(meta.agency, place)
            meta.city = place.city if place.level != "province" else None
            meta.province = place.province
    else:
        meta.warnings.append("agency not found in the text; pass --agency")
    if meta.year is None:
        meta.warnings.append("reporting year not found in the text; pass --year")
    meta.template = template_of(facts, text)
    return meta


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


_TITLE_YEAR_FIRST = re.compile(r"^(\d{4})\s*年\s*度?(.+?)(?:政府信息公开|政务公开|信息公开)")
_NAMED = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,30}}?(?:{_SUFFIX_WORDS}|部|行|会|所|总局|集团|公司)$")


def _agency(title: str, text: str) -> str | None:
    t = title.replace(" ", "")
    for m, group in ((_TITLE_AGENCY.match(t), 1), (_TITLE_YEAR_FIRST.match(t), 2)):
        name = re.sub(r"(?:关于|的)$", "", m.group(group)) if m else ""
        if name and (_AGENCY.fullmatch(name) or _NAMED.match(name)):
            return name  # 夏邑县人民政府2020年… · 2020年夏邑县人民政府… · 商务部2020年…
    head = text[:3000]
    for pat in (_SELF, _COMPILED_BY):
        m = pat.search(head)
        if m:
            names = _AGENCY.findall(m.group(1))
            if names:
                return names[-1]
    counts = Counter(a for a in _AGENCY.findall(text.replace(" ", "")) if "关于" not in a)
    if not counts:
        return None
    best = max(counts.values())
    return next(a for a in counts if counts[a] == best)


def _year(title: str, text: str) -> int | None:
    for pat, source in ((_TITLE_AGENCY, title.replace(" ", "")), (_PERIOD, text), (_YEAR_REPORT, text)):
        m = pat.search(source)
        if m:
            return int(m.group(2) if pat is _TITLE_AGENCY else m.group(1))
    years = Counter(int(y) for y in _YEAR.findall(text[:4000]))
    return years.most_common(1)[0][0] if years else None


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
