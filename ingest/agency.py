"""Who published a report: the cues' candidates (agency_cues.py) are parsed into identities, grouped
by the identity they denote (place chain + kind + department), and the group with the most weight
wins; its printed name is the fullest form the report prints for that body.

One identity per body across years and spellings: the canonical name and the key are made from the
identity alone (商丘市夏邑县人民政府 and 夏邑县人民政府 share them; a bare 高新区 in a report about 鞍山市
is 鞍山高新区). The names' grammar (kind words, zones, short department words) is data in
identity.toml.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

from .agency_cues import HAN, Candidate, candidates, kind_of, self_kind, vocab
from .agency_cues import clean_name as _clean
from .gazetteer import Place, aliases, all_names, fuzzy_place, place_in, short_prefix


@dataclass
class Identity:
    """One body: its canonical name, kind and place chain, and the key that stays the same across
    years and printed variants (<市><区>人民政府 and <区>人民政府 share it)."""

    printed: str
    canonical: str
    kind: str
    province: str | None = None
    city: str | None = None
    county: str | None = None
    town: str | None = None
    department: str = ""
    place: Place | None = None
    place_cue: str = "name"
    complete: bool = True  # printed with its kind word in full (钟祥镇人民政府, not 钟祥镇)

    @property
    def key(self) -> str:
        if not (self.province or self.county or self.town):
            return f"name:{self.canonical}"
        chain = (self.province, self.city, self.county, self.town, self.kind, self.department)
        return "|".join(x or "" for x in chain)

    @property
    def agency_id(self) -> str:
        return hashlib.sha1(self.key.encode("utf-8")).hexdigest()[:12]


@dataclass
class Choice:
    identity: Identity | None
    cue: str = ""
    names: list[str] = field(default_factory=list)
    disagreement: str = ""


# ------------------------------------------------------------------ one name → its identity
def parse(name: str, context: str = "", around: Place | None = None) -> Identity | None:
    """The identity a printed name denotes, or None when it is not an agency name. `around` is the
    place the text is about, used for towns, zones and departments printed without their place."""
    v = vocab()
    name = re.sub(r"\s+", "", name)
    if not 2 <= len(name) <= 40 or name.endswith(tuple(v.not_names)) or name in v.sub_offices:
        return None
    kind, full, after, stem, unit = kind_of(name)
    if kind is None:
        return None
    place = place_in(name, context) or fuzzy_place(stem, context)
    words = name[short_prefix(name, context)[1] :] if place is None else name  # 将乐科技城: 将 is 将乐's
    if any(w in words.replace(place and _printed_place(name, place) or "\0", "") for w in v.reject):
        return None  # 在, 请与, 关于 … outside the place's own name (龙胜各族自治县 has 各)
    place, zone, named = _place_and_zone(name, stem + full, place, context)
    if place is None and zone in v.zone_places:  # 西咸新区底张街道: a state-level new area is of its province
        place, named = next(p for p in all_names()[v.zone_places[zone]] if p.level != "county"), True
    lead = name[: _first_place(name)]
    if (
        lead
        and not lead.endswith(tuple(v.prefixes))
        and not _zone(lead)
        and short_prefix(lead, context)[0] is None
    ):
        return None  # 开专栏永吉县…局: words before the place are the sentence, not the name
    if unit and kind == "人民政府" and (place is None or not _is_place_only(name, place)):
        return None  # a bare 'X区' is a name only when X区 is a known unit
    tail = _after_place(stem, place, zone)
    if kind == "管委会" and not zone and tail.endswith(tuple(v.commissions)):
        kind = "委员会"  # 东城区城市管理委员会 is a commission, not a zone's 管委会
    if kind in ("局", "委员会", "other") and len(tail) < 2 and not name.endswith(("分局", *v.alone)):
        return None  # 局 / 县局 / 区委 alone name no body
    if full == "办" and tail.startswith("委"):
        return None  # 县委农办: the party committee's office, which publishes no government report
    if place is None and around is not None and name[0] in _LEVELS:
        place, around = _level_of(around, _LEVELS[name[0]]), None  # 市生态环境局 in a report about 四平市
        tail = _after_place(tail[1:], None, None)
    town = _town(stem + full, kind, place)
    if unit and kind == "街道办事处" and town is None:
        return None  # 本街, 全街: the report speaking of its street, no name
    if zone:  # one zone printed in full or short (东湖新技术开发区 = 东湖高新区) is one identity
        zone = next((zone[: -len(w)] + std for w, std in v.zone_short.items() if zone.endswith(w)), zone)
    ident = Identity(
        name,
        _canonical(stem, full, after, town),
        kind,
        town=town or zone,
        department=_department(tail, name[len(stem) :], kind, full),
        complete=not unit and name.endswith(full),
    )
    local = not (
        name.endswith(tuple(v.national)) or name.startswith(tuple(v.national_starts))
    )  # 商务部, 国务院…
    chosen = place or (around if local and (town or zone or kind in ("局", "委员会", "other")) else None)
    if chosen is not None and zone in v.zones:  # a bare 高新区 in a report about 鞍山市 is 鞍山高新区
        ident.town = _stem(chosen) + zone
    if chosen is not None:
        ident.place, ident.place_cue = chosen, "name" if named and place else "text"
        ident.province, ident.city = chosen.province, chosen.city
        ident.county = chosen.name if chosen.level == "county" else None
        ident.canonical = _standard(ident, name)
    return ident


def _standard(ident: Identity, name: str) -> str:
    """The canonical name, made from the identity alone so every year and spelling of a body gets
    the same one whatever else is stored: the deepest unit in its short form (夏邑县, 河南县 for
    河南蒙古族自治县; a town after its county) or the zone, then the department or kind in full
    (商丘市夏邑县人民政府 and 夏邑县人民政府 → 夏邑县人民政府; 绵阳市卫生健康委 → 绵阳市卫生健康委员会)."""
    v = vocab()
    if ident.kind in ("镇", "乡", "街道办事处") and ident.town:  # towns share names: the county goes first
        county = min(aliases(ident.county), key=len) if ident.county else ""
        return county + ident.town + ("办事处" if ident.town.endswith("街道") else "人民政府")
    if ident.kind == "管委会" and ident.town:
        return ident.town + v.zone_after + ident.department
    if ident.town and ident.department:  # 东湖高新区教育局
        return ident.town + ident.department
    nested = ident.department.endswith("分局") and "局" in ident.department[:-2]  # 莆田市公安局城厢分局
    if ident.department.endswith("分局") and not nested:
        return ident.canonical  # 揭东分局: the bureau it belongs to is not printed
    unit = ident.city if nested else (ident.county or ident.city or ident.province)
    short = min(aliases(unit or ""), key=len)
    head = next((p for p in v.prefixes if name.startswith(p)), "")  # 国家税务总局夏邑县税务局
    if ident.department:
        return head + short + ident.department
    kind = next(
        (k for k in ("人民政府办公厅", "人民政府办公室", "行政公署") if ident.canonical.endswith(k)),
        "人民政府",
    )
    return head + short + kind


def _place_and_zone(
    name: str, body: str, place: Place | None, context: str
) -> tuple[Place | None, str | None, bool]:
    """The place and zone of a name, and whether the name prints that place (fully, in a zone's
    short form 西宁经济技术开发区, or as a county bureau's 城厢分局)."""
    zone = _zone(body)
    short = None
    if zone and (place is None or place.level != "county"):
        short, used = short_prefix(zone, context)
        place = short or place
        rest = zone[used:]
        rest = next(
            (
                rest[len(q) :]
                for q in vocab().zone_qualifiers
                if rest.startswith(q) and rest[len(q) :] in vocab().zones
            ),
            rest,
        )  # 贵阳国家高新区
        stem = _stem(short) if short else ""
        if short and rest in vocab().zones and stem in zone[:used]:
            zone = (
                stem + rest
            )  # 合肥 + 经济技术开发区, 浙江省东阳 + 经济开发区: the zone keeps its place's short name
        elif short and len(rest) >= 3:
            zone = rest
    branch = _branch(name, place, context)
    printed = branch and _printed_place(name, branch)
    if (
        zone
        and printed
        and zone.startswith(printed)
        and len(zone) > len(printed) + 2
        and zone[len(printed) :] not in vocab().zones
    ):
        zone = zone[len(printed) :]  # 仁寿县青龙经济开发区 is the zone 青龙经济开发区 of 仁寿县
    return branch, zone, bool(printed or short or branch is not place)


def _stem(place: Place) -> str:
    """A place's name without its level word, as zones print it (鞍山市 → 鞍山, 旌德县 → 旌德)."""
    short = min(aliases(place.name), key=len)
    return re.sub(r"(?<=..)新区$|[省市区县]$", "", short) if len(short) > 2 else short  # 清新区 → 清新


def _after_place(stem: str, place: Place | None, zone: str | None) -> str:
    """What a name prints after its place and zone: the department word (民政 of 西工区民政局)."""
    tail = stem
    for x in (place and _printed_place(stem, place), zone):
        if x and x in tail:
            tail = tail[tail.rindex(x) + len(x) :]
    for c in vocab().connectors:
        tail = tail.removeprefix(c)
    return tail


def _canonical(stem: str, full: str, after: str, town: str | None) -> str:
    """The name in its standard spelling: 无锡市锡山区人民政府厚桥街道 → 无锡市锡山区厚桥街道办事处,
    大竹县 → 大竹县人民政府, 绵阳市卫生健康委 → 绵阳市卫生健康委员会."""
    core = stem
    for c in vocab().connectors:
        i = core.rfind(c)
        if town and i > 0 and (core[i + len(c) :] + full).startswith(town):
            core = core[:i] + core[i + len(c) :]
    return core + full + after


def _department(tail: str, word: str, kind: str, full: str) -> str:
    """The department word of the identity key, short forms spelt out (卫健委 = 卫生健康委员会). The
    short form is looked up as printed, before its kind word is spelt out: 住建委 is not 住建委员会."""
    if kind == "管委会":  # the area and its 管委会 are one body; its 办公室 another
        return "办公室" if full.endswith("办公室") else ""
    if kind in _PLACE_KINDS:
        return ""
    spelt = vocab().departments.items()
    forms = (tail + word, tail + full)
    return next(
        (d[: -len(short)] + std for d in forms for short, std in spelt if d.endswith(short)), tail + full
    )


_PLACE_KINDS = ("人民政府", "镇", "乡", "街道办事处")
_TOWN_KINDS = ("镇", "乡", "街道办事处", "管委会")  # names distinctive enough to stand without a place
_LEVELS = {
    "省": "province",
    "市": "city",
    "州": "city",
    "盟": "city",
    "县": "county",
    "区": "county",
    "旗": "county",
}


def _first_place(name: str) -> int:
    """Where the first gazetteer unit of a name starts (0 when there is none)."""
    names = all_names()
    return next((i for i in range(len(name)) for n in range(2, 17) if name[i : i + n] in names), 0)


_BRANCH = re.compile(rf"({HAN}{{2}})分局$")


def _branch(name: str, place: Place | None, context: str) -> Place | None:
    """A city bureau's 分局 named by a county's short name (莆田市公安局城厢分局 → 城厢区), inside
    the city the name prints or, for a bare 揭东分局, one the text names."""
    m = _BRANCH.search(name)
    if m is None or (place is not None and place.level != "city"):
        return place
    for suffix in ("区", "县", "市"):  # 揭东分局 alone: the unit of that short name the text supports
        near = [
            p
            for p in all_names().get(m.group(1) + suffix, [])
            if p.level == "county"
            and (
                p.city == place.city
                if place is not None
                else p.name in context or (p.city or "")[:2] in context
            )
        ]
        if near:
            return near[0]
    return place


def _level_of(around: Place, level: str) -> Place | None:
    """The unit of that level the text's place belongs to (省教育厅 in a report naming a county of 湖北省)."""
    if level == "county":
        return around if around.level == "county" else None
    name = around.province if level == "province" else around.city
    return next((p for p in all_names().get(name or "", []) if p.level == level), None)


def _is_place_only(name: str, place: Place) -> bool:
    """Is the whole name a place chain ending at `place` (衡阳市, 北京市朝阳区, 大竹县)?"""
    return name.endswith(_printed_place(name, place) or "\0") and len(name) <= 14


def _town(base: str, kind: str, place: Place | None) -> str | None:
    """The town or street of a 镇/乡/苏木/街道 name, without the county and the 人民政府 before it."""
    if kind not in ("镇", "乡", "街道办事处"):
        return None
    town = re.sub(r"(?:人民政府|政府|办事处|办)$", "", base)
    town = re.sub(r"(?<=[\u4e00-\u9fff]{2})街$", "街道", town)  # 佳荣里街 is 佳荣里街道; 全街 is no street
    printed = place and _printed_place(town, place)
    if printed and printed in town:
        town = town[town.rindex(printed) + len(printed) :]
    for c in vocab().connectors + vocab().zones:  # 锡山区人民政府厚桥街道, 西咸新区底张街道 → the street
        if c in town[:-2]:
            town = town[town.rindex(c) + len(c) :]
    m = re.match(r"[\u4e00-\u9fff]{2,5}?[县旗区市](?=[\u4e00-\u9fff]{2})", town)
    if m:  # 科右中旗哈日诺尔苏木, 洪江区沅江路街道: a county-level unit the gazetteer does not know
        town = town[m.end() :]
    return town if 2 <= len(town) <= 10 and town.endswith(("镇", "乡", "苏木", "街道")) else None


def _zone(stem: str) -> str | None:
    """The zone a name is of (…经济开发区, …高新区), unless that is a county-level unit (滨海新区)."""
    for z in vocab().zones:
        i = stem.find(z)
        if i > 0 and not any(stem[j : i + len(z)] in all_names() for j in range(max(0, i - 4), i)):
            return stem[: i + len(z)]
    return None


def _printed_place(text: str, place: Place) -> str | None:
    return next((a for a in sorted(aliases(place.name), key=len, reverse=True) if a in text), None)


Group = list[tuple[Candidate, Identity]]


def choose(lines: list[str], flat: str, filename: str, around: Place | None) -> Choice:
    """The identity with the most evidence, its printed name and every printed name of it."""
    groups = _groups(candidates(lines, flat, filename, around), flat, around)
    if not groups:
        return Choice(None)
    me = self_kind(flat)

    def score(items: Group) -> tuple[float, int]:
        best: dict[str, float] = {}
        for c, _ in items:
            best[c.cue] = max(best.get(c.cue, 0), c.weight) + (0.5 if c.cue in best else 0)
        agrees = 3 if me is not None and items[0][1].kind == me else 0
        return sum(min(w, 14) for w in best.values()) + agrees, -min(c.pos for c, _ in items)

    ranked = sorted(groups, key=score, reverse=True)
    win = ranked[0]
    lead = max(win, key=lambda ci: (ci[0].weight, -ci[0].pos))[0]
    placed = max(
        (i for _, i in win), key=lambda i: (i.place is not None, i.county is not None, i.town is not None)
    )
    printed = max(win, key=_fullest)[1]
    named = [ci for ci in win if ci[1].place_cue == "name" and ci[1].place is not None]
    if placed.kind not in _TOWN_KINDS and (printed.place is None or printed.place_cue != "name") and named:
        printed = max(named, key=_fullest)[
            1
        ]  # 公安局 in the title, 白水县公安局 below: the name with its place
    ident = replace(
        placed,
        printed=printed.printed,
        canonical=printed.canonical if placed.province is None else placed.canonical,
    )
    note = ""
    for group in ranked[1:]:
        rc, ri = max(group, key=lambda ci: ci[0].weight)
        if rc.weight >= 5:  # a strong cue named another body: the title says one, the contact line another
            note = f"cues disagree on the agency: {lead.cue} says {ident.printed}, {rc.cue} says {ri.printed}"
            break
    return Choice(
        ident, lead.cue, sorted({i.printed for _, i in win if _names_place(i)} | {ident.printed}), note
    )


def _fullest(ci: tuple[Candidate, Identity]) -> tuple[bool, bool, float, int]:
    """The form that prints the body's county, city or province (鞍山高新区 over 高新区, 安徽舒城经济开发区
    over 开发区管委会), then the complete one (钟祥镇人民政府 over 钟祥镇): the fullest form the report
    prints is the one a reader knows it by. A town's own name is its place."""
    i = ci[1]
    placed = i.kind not in ("镇", "乡", "街道办事处") and any(
        p[:2] in i.printed for p in (i.county, i.city, i.province) if p
    )
    return placed, i.complete, ci[0].weight, -ci[0].pos


def _names_place(ident: Identity) -> bool:
    """A printed form that prints the body's own place (霍邱县民政局, 城关镇): one a question can name it
    by. 县民政局 or 上人民政府 (of 县级以上人民政府) name no body outside their report."""
    places = [p for p in (ident.town, ident.county, ident.city, ident.province) if p]
    return any(p[:2] in ident.printed for p in places)


def _groups(cands: list[Candidate], flat: str, around: Place | None) -> list[Group]:
    """Candidates that are names, grouped by the identity they denote."""
    groups: dict[str, Group] = {}
    parsed: dict[str, Identity | None] = {}  # a name is printed by several cues: parsed once
    for cand in cands:
        for name, printed in _clean(cand.name):
            if name not in parsed:
                parsed[name] = parse(name, flat, around)
            first = parsed[name]
            ident = replace(first) if first is not None else None  # a copy: its printed is set below
            if ident is not None and printed != name:
                ident.printed = printed
            if ident is not None and (
                ident.place_cue == "name"
                or cand.weight >= 5
                or name[0] in _LEVELS
                or ident.kind in _TOWN_KINDS
            ):
                groups.setdefault(ident.key, []).append((cand, ident))
                break
    for key in [k for k, g in groups.items() if g[0][1].province is None]:
        i = groups[key][0][1]
        same = [
            k
            for k, g in groups.items()
            if g[0][1].province is not None
            and g[0][1].kind == i.kind
            and g[0][1].department == i.department
            and (i.town is None or g[0][1].town == i.town)
        ]
        if (
            len(same) == 1
        ):  # printed without its place, it is the one placed body it can be (东湖高新区教育局)
            groups[same[0]] += groups.pop(key)
    return [
        g
        for g in groups.values()  # a body only mentioned, with no place, is someone the text cites
        if any(c.cue != "mentions" for c, _ in g)
        or any((i.place_cue == "name" and i.place) or i.kind in _TOWN_KINDS for _, i in g)
    ]
