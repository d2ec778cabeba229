"""Synthetic report openings: random publishers, places and years, printed the ways real openings
print them, together with the identity a correct reader must get back.

    from tests.synth_meta import Body, opening
    body = Body(county, "局", dept="民政")          # a body of a gazetteer county
    text = opening(body, 2021, "contact", printed=body.names()[0])
    body.canonical, body.kind, body.town               # what ingest must find

Patterns (PATTERNS): a clean title; a title wrapped over two lines, before its report words, before
its kind word (`2024年<县>青龙街道` / `办事处政府信息公开…`), or as a name line over a year line
(`<县>青龙乡人民政府` / `2012年政府信息公开工作年度报告`); a title after page furniture
(breadcrumb, 【字体：大 中 小】, 发布时间 of the next year); no title but `特向社会公布X…报告`; no
title but `由X编制`; the contact line only (`请与X办公室联系`). Every opening cites a notice of
another body of the same city first (`根据《<other>人民政府办公室关于…的通知》`), names the county's
website, and prints the statistics period.

Zone and office patterns (zone_opening, short_opening, office_opening): a zone of any zone word the
rules hold as data (科技城, 特别合作区, 高新技术产业园区 …) after its place's short name, published from
an index table's `发布单位 | X` cell; a town or zone whose county is printed only in its short form at
the head of a body's name (`<磐安>公共资源交易中心`); an office (`<市>信访办`) named only in `由X编制`,
with its own guide in an unquoted sentence. `traditional` prints any opening in traditional characters.
Byline patterns (byline_opening, institution_opening, district_street_opening): a title naming nobody
over a line that is only the publisher's name (`武昌经开区(滨江)管委会`); a provincial institution
whose name ends in 院; a street under a district no division table holds (`洪江区沅江路街道`).
"""

from __future__ import annotations

from dataclasses import dataclass

import zhconv

from ingest.gazetteer import Place, aliases, all_names, short_unit

PATTERNS = ("title", "wrapped", "kindwrap", "yearline", "furniture", "publication", "compiled", "contact")
KINDS = ("人民政府", "局", "委员会", "镇", "乡", "街道办事处", "管委会")
TOWN_CHARS = "青龙白石东西南北山河水桥头湾坪岭林田家庄沙洲塘溪阳泉松柏梅花兴隆安和平丰"
DEPARTMENTS = {
    "局": ("民政", "教育", "财政", "统计", "交通运输", "自然资源", "生态环境", "卫生健康"),
    "委员会": ("卫生健康", "发展和改革", "教育"),
}


def counties() -> list[Place]:
    """County-level units whose name is unique and whose city is named: no homonym to guess."""
    out = {
        p
        for ps in all_names().values()
        for p in ps
        if p.level == "county"
        and len(all_names()[p.name]) == 1
        and p.city
        and p.city != p.province
        and len(p.name) >= 3
        and p.name[-1] in "县区市"
    }
    return sorted(out, key=lambda p: p.name)


@dataclass(frozen=True)
class Body:
    county: Place
    kind: str
    dept: str = ""  # department word of a 局/委员会
    town: str = ""  # stem of a town, street or zone (青龙)

    @property
    def town_name(self) -> str | None:
        word = {"镇": "镇", "乡": "乡", "街道办事处": "街道", "管委会": "经济开发区"}.get(self.kind)
        return self.town + word if word else None

    @property
    def canonical(self) -> str:
        return self.names()[0 if self.kind != "管委会" else 1]

    def names(self) -> list[str]:
        """Printed names of this body, the fullest first: every one must denote the same identity."""
        c, city, town = self.county.name, self.county.city or "", self.town_name or ""
        if self.kind == "人民政府":
            return [city + c + "人民政府", c + "人民政府"]
        if self.kind in ("局", "委员会"):
            return [city + c + self.dept + self.kind, c + self.dept + self.kind]
        if self.kind == "管委会":
            return [c + town, c + town + "管理委员会"]  # the area, or its 管委会
        full = {"镇": "镇人民政府", "乡": "乡人民政府", "街道办事处": "街道办事处"}[self.kind]
        return [c + self.town + full, c + town]


def opening(body: Body, year: int, pattern: str, printed: str) -> str:
    """The first lines of a report of `body` for `year`, naming it `printed`, in `pattern`."""
    c = body.county
    others = [p for p in all_names().get(c.city or "", []) if p.level == "city"]
    other = (others[0].name if others else c.province) + "人民政府办公室"
    cited = (
        f"根据《中华人民共和国政府信息公开条例》和《{other}关于做好{year}年度政府信息公开工作年度报告编制发布工作的通知》"
        f"要求，"
    )
    period = (
        f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。本报告电子版可在{c.name}人民政府门户网站查阅。"
        f"如对本报告有任何疑问，请与{printed}办公室联系（电话：0000-1234567）。"
    )
    sentence = {
        "publication": f"{cited}特向社会公布{printed}{year}年度政府信息公开工作年度报告。",
        "compiled": f"{cited}由{printed}编制本年度报告。",
    }.get(pattern, f"{cited}编制本年度报告。")
    title = f"{printed}{year}年政府信息公开工作年度报告"
    kind = next((k for k in ("管理委员会", "委员会", "人民政府", "办事处", "局") if printed.endswith(k)), "")
    split = len(printed) - len(kind) if kind else len(printed)
    head = {
        "title": [title, ""],
        "wrapped": [f"{year} 年{printed}政府信息公开", "工作年度报告", ""],
        "kindwrap": [f"{year}年{printed[:split]}", f"{printed[split:]}政府信息公开工作年度报告", ""],
        "yearline": [printed, f"{year}年政府信息公开工作年度报告", ""],
        "furniture": [
            "首页 > 政务公开 > 年度报告",
            "【字体：大 中 小】 打印",
            f"发布时间：{year + 1}-01-31  来源：{printed}",
            title,
            "",
        ],
    }.get(pattern, [])
    return (
        "\n".join(head + [sentence + period, "一、总体情况", f"{year}年，我单位认真贯彻落实《条例》要求。"])
        + "\n"
    )


ZONE_WORDS = ("科技城", "特别合作区", "高新技术产业园区", "经济技术开发区", "工业园区", "综合实验区")
# the identity keys on these
ZONE_SHORT = {"高新技术产业园区": "高新区", "经济技术开发区": "经开区", "高新技术产业开发区": "高新区"}


def stem(place: Place) -> str:
    """A unit's short name without its level word (磐安县 → 磐安, 乳源瑶族自治县 → 乳源), as zones and
    centres print it."""
    return min(aliases(place.name), key=len)[:-1]


def zone_identity(place: Place, word: str) -> tuple[str, str]:
    """(the zone, the canonical name of its 管委会) a correct reader gives for `stem(place) + word`."""
    zone = stem(place) + ZONE_SHORT.get(word, word)
    return zone, zone + "管理委员会"


def zone_opening(place: Place, word: str, year: int, printed: str) -> str:
    """A zone's report whose title names no publisher: the index table's 发布单位 cell names it."""
    return (
        f"索引号 | 0000/{year + 1}-001 | 发布日期 | {year + 1}-01-20 |\n发布单位 | {printed} | 文号 | |\n"
        f"{year}年政府信息公开工作年度报告\n根据《中华人民共和国政府信息公开条例》要求，现将我委{year}年度"
        f"政府信息公开工作情况报告如下。本报告电子版可在{place.name}人民政府门户网站查阅。\n一、总体情况\n"
        f"{year}年，我委认真贯彻落实《条例》要求。\n"
    )


def short_counties() -> list[Place]:
    """Counties of counties() that exactly one unit prints by their short form (磐安 for 磐安县)."""
    return [p for p in named_counties() if short_unit(stem(p)) == p]


def named_counties() -> list[Place]:
    """Counties of counties() whose short name zones and centres print: not 塔什库尔干塔吉克自治, not
    沙县区's 沙县 (the unit's own former name), not 大柴旦行政 or 白云鄂博矿 (a longer level word)."""
    return [
        p for p in counties() if "自治" not in stem(p) and stem(p)[-1] not in "县区市旗" and len(stem(p)) <= 4
    ]


def short_opening(county: Place, year: int, printed: str) -> str:
    """A report of `printed` (a town or a zone) that never prints its county, its city or its
    province in full: the county is only the head of a centre's name."""
    return (
        f"{year}年度{printed}政府信息公开工作年度报告\n一、总体情况\n"
        f"{year}年，我单位主动公开政府信息49条；{stem(county)}公共资源交易中心发布交易信息3条。\n"
        f"（二）依申请公开情况。{year}年度，共收到依申请公开信息0条。\n"
    )


def office_opening(place: Place, dept: str, year: int) -> str:
    """A report of `<place><dept>办` named only in the byline `由X编制` and its guide's sentence."""
    name = place.name + dept + "办"
    return (
        f"本报告是根据《中华人民共和国政府信息公开条例》要求，由{name}编制的{year}年度政府信息公开年度报告。\n"
        f"本报告中所列数据的统计期限自{year}年1月1日至{year}年12月31日。\n一、概述\n"
        f"{name[len(place.name) - 1 :]}政府信息公开指南表述清晰。{year}年，我办共主动公开政府信息19条。\n"
    )


def traditional(text: str) -> str:
    """The text in traditional characters, one character at a time as big5 gateways republish a
    report (zhconv's phrases would also rename places: 兰溪 → 蘭谿)."""
    return "".join(str(zhconv.convert(c, "zh-hant")) for c in text)


def byline_opening(county: Place, year: int, printed: str) -> str:
    """A title that names nobody, the publisher's name alone on the next line, then the body."""
    return (
        f"{year}年政府信息公开工作年度报告\n{printed}\n \n一、总体情况\n"
        f"{year}年,{printed} 持续贯彻落实《条例》。\n在{county.name}政府外网主动公开机构职能等内容。\n"
    )


INSTITUTIONS = ("教育考试院", "社会科学院", "农业科学院", "地质调查院")


def institution_opening(province: Place, word: str, year: int) -> str:
    """A report of `<省><word>`, titled and named in its byline with a 以下简称."""
    name = province.name + word
    return (
        f"{name}{year}年政府信息公开年度报告\n本年度报告根据《中华人民共和国政府信息公开条例》要求,由{name}"
        f"(以下简称“省{word}”)编制。\n一、总体情况\n{year}年,省{word}严格落实《条例》有关要求。\n"
    )


def district_street_opening(city: Place, district: str, street: str, year: int) -> str:
    """A street report whose district (`district`, no unit of the division tables) is printed only
    before the street's name and in its management committee's website name."""
    return (
        f"{year}年度{street}街道信息公开工作报告\n本报告是根据《条例》要求,由{district}{street}街道办事处编制的"
        f"{year}年度政府信息公开年度报告。\n一、总体情况\n{year}年,通过“{city.name}{district}管理委员会”"
        f"门户网站公开信息92条。\n"
    )


LEADS = ("依托", "通过", "利用", "借助", "在")  # words a sentence puts before the zone it names
RELATIVE_ZONES = (
    "经济技术开发区",
    "高新技术产业开发区",
    "经济开发区",
    "开发区",
    "高新区",
    "新区",
    "工业园区",
)


def relative_opening(zones: list[str], lead: str, year: int, printed: str = "区管委会办公室") -> str:
    """A zone's report that calls its publisher only `printed` (区管委会办公室) and names the zone
    once, as the host of its website (全年依托长兴岛经济技术开发区门户网站…)."""
    sites = "、".join(zones)
    return (
        f"根据《中华人民共和国政府信息公开条例》规定编制本报告。报告数据统计期限为{year}年1月1日至{year}年12月31日。\n"
        f"一、总体情况\n{year}年,{printed}坚持以公开为常态、不公开为例外,持续推动政府信息公开工作。\n"
        f"(一)主动公开情况\n全年{lead}{sites}门户网站共发布各类公开信息128条。\n"
    )
