"""Which agency a question means: aliases from each body's identity, resolved through one index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.agencies import Resolver
from bot.agency_aliases import aliases_for, pinyin
from index.store import AgencyRecord
from ingest import extract, read_document
from ingest.gazetteer import Place, all_names
from ingest.vocab import load
from tests.conftest import ROOT, SAMPLES, run
from tests.synth_meta import TOWN_CHARS, counties, named_counties, stem, zone_opening

COUNTIES = counties()


def rec(
    agency: str,
    province: str | None,
    city: str | None,
    county: str | None = None,
    town: str | None = None,
    names: tuple[str, ...] = (),
    kind: str = "局",
) -> AgencyRecord:
    return AgencyRecord(agency, agency, kind, province, city, county, town, [agency, *names], [2020])


XIAYI = rec("夏邑县人民政府", "河南省", "商丘市", "夏邑县", kind="人民政府")
XIAYI_POLICE = rec("夏邑县公安局", "河南省", "商丘市", "夏邑县")
HUITING = rec("夏邑县会亭镇人民政府", "河南省", "商丘市", "夏邑县", "会亭镇", ("会亭镇",), kind="镇")
LUOYANG_JD = rec(
    "台州市路桥区螺洋街道办事处", "浙江省", "台州市", "路桥区", "螺洋街道", ("螺洋街道",), kind="街道办事处"
)
PANYU_ZONE = rec(
    "番禺经济技术开发区管委会",
    "广东省",
    "广州市",
    "番禺区",
    None,
    ("番禺经济技术开发区管理委员会",),
    kind="管委会",
)
XIGONG = rec("洛阳市西工区民政局", "河南省", "洛阳市", "西工区", names=("西工区民政局",))
JIEDONG = rec("揭阳市公安局揭东分局", "广东省", "揭阳市", "揭东区")
MIANYANG_HEALTH = rec("绵阳市卫生健康委员会", "四川省", "绵阳市", kind="委员会")
CHAOYANG_MARKET = rec("朝阳市市场监督管理局", "辽宁省", "朝阳市")
SH_SCIENCE = rec("上海市科学技术委员会", "上海市", "上海市", kind="委员会")
HENAN_XIAN = rec("河南县民政局", "青海省", "黄南藏族自治州", "河南蒙古族自治县")
PINGDU_OFFICE = rec("平度市人民政府办公室", "山东省", "青岛市", "平度市", kind="人民政府办公室")
ALL = [
    XIAYI,
    XIAYI_POLICE,
    HUITING,
    LUOYANG_JD,
    PANYU_ZONE,
    XIGONG,
    JIEDONG,
    MIANYANG_HEALTH,
    CHAOYANG_MARKET,
    SH_SCIENCE,
    HENAN_XIAN,
    PINGDU_OFFICE,
]


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(ALL)


# ------------------------------------------------------------------ aliases
def test_a_town_is_named_by_its_own_place_never_by_its_county() -> None:
    a = aliases_for(HUITING)
    assert (a.place, a.gov) == ("会亭镇", True)
    assert "会亭镇" in a.places and "会亭" in a.short and "huiting" in a.short
    assert not {"夏邑县", "夏邑", "xiayi"} & set(a.places + a.short + a.names)
    assert "镇政府" in a.kinds


def test_a_street_office_and_a_zone_get_their_area_names() -> None:
    street, zone = aliases_for(LUOYANG_JD), aliases_for(PANYU_ZONE)
    assert "螺洋街道办事处" in street.names and "螺洋街道" in street.places and "螺洋" in street.short
    assert "街道办" in street.kinds and "subdistrict office" in street.kinds
    assert zone.place == "番禺经济技术开发区" and {"番禺经开区", "番禺开发区"} <= set(zone.places)
    assert "panyu economic and technological development zone" in zone.places and "管委会" in zone.kinds
    assert not {"番禺区", "番禺"} & set(zone.places + zone.short)  # the zone is not its district


def test_a_department_gets_its_short_forms_and_the_kinds_abbreviations() -> None:
    a = aliases_for(XIGONG)
    assert {"西工区民政局", "西工民政局"} <= set(a.names) and a.place == "西工区"
    assert {"民政局", "区民政局", "civil affairs"} <= set(a.kinds)
    assert {"市监局", "市场监管局", "market supervision administration"} <= set(
        aliases_for(CHAOYANG_MARKET).kinds
    )
    assert {"市科委", "science and technology commission"} <= set(aliases_for(SH_SCIENCE).kinds)
    assert {"市卫健委", "卫健委", "health commission"} <= set(aliases_for(MIANYANG_HEALTH).kinds)
    assert {"市政府办公室", "general office of the municipal government"} <= set(
        aliases_for(PINGDU_OFFICE).kinds
    )


def test_a_police_branch_is_named_by_the_district_it_serves() -> None:
    a = aliases_for(JIEDONG)
    assert a.place == "揭东区" and {"揭东公安分局", "揭东分局", "揭东公安"} <= set(a.names)
    assert {"公安分局", "公安局", "police"} <= set(a.kinds)


def test_two_printed_names_of_one_body_resolve_to_it(resolver: Resolver) -> None:
    for name in (
        "番禺经济技术开发区管委会",
        "番禺经济技术开发区管理委员会",
        "洛阳市西工区民政局",
        "西工区民政局",
    ):
        assert resolver.resolve(f"{name}2020年收到多少申请？").agency in (PANYU_ZONE.agency, XIGONG.agency)
    assert len({resolver.resolve(n).agency for n in PANYU_ZONE.names}) == 1


def test_english_kinds_are_data_for_at_least_40_kinds() -> None:
    kinds = load().tables["agency_kinds"]["kind"]
    assert sum(1 for k in kinds if k.get("en")) >= 40
    words = {w for k in kinds for w in k.get("en", [])}
    for w in (
        "science and technology commission",
        "market regulation",
        "market supervision administration",
        "social affairs",
        "natural resources",
        "public security",
        "police",
        "culture and education",
        "general office of the municipal government",
        "health commission",
        "development and reform commission",
    ):
        assert w in words


# ------------------------------------------------------------------ resolution
@pytest.mark.parametrize(
    "question,agency",
    [
        ("夏邑县2020年收到多少政府信息公开申请？", "夏邑县人民政府"),  # a bare place is its 人民政府
        ("夏邑县公安局2020年新收几件？", "夏邑县公安局"),
        ("会亭镇2020年收到多少申请？", "夏邑县会亭镇人民政府"),
        ("夏邑县会亭镇政府2020年收到多少申请？", "夏邑县会亭镇人民政府"),  # the most specific place wins
        ("螺洋2021年收到多少申请", "台州市路桥区螺洋街道办事处"),
        ("番禺经开区2020年收到多少申请", "番禺经济技术开发区管委会"),
        ("揭东公安分局2020年新收多少", "揭阳市公安局揭东分局"),
        ("揭东区公安局2020年新收多少", "揭阳市公安局揭东分局"),
        ("绵阳市卫健委2020年收到多少申请", "绵阳市卫生健康委员会"),
        ("朝阳市监局去年新收几件", "朝阳市市场监督管理局"),
        ("河南县民政局2021年收到多少申请", "河南县民政局"),
        ("How many applications did Henan county civil affairs bureau receive in 2021?", "河南县民政局"),
        ("Chaoyang market regulation bureau, new requests in 2022?", "朝阳市市场监督管理局"),  # 朝 read chao
        ("How many applications did Mianyang health commission get in 2020?", "绵阳市卫生健康委员会"),
        ("How many requests did the Xiayi police receive in 2020?", "夏邑县公安局"),
        ("Xiayi's people's government, 2020 applications", "夏邑县人民政府"),
        ("Huiting town government 2020 applications", "夏邑县会亭镇人民政府"),
        ("Panyu development zone 2020 applications", "番禺经济技术开发区管委会"),
    ],
)
def test_question_names_the_agency(resolver: Resolver, question: str, agency: str) -> None:
    r = resolver.resolve(question)
    assert (r.agency, r.assumed, r.missing) == (agency, "", "")


@pytest.mark.parametrize(
    "question,agency,said",
    [
        ("市监局去年新收几件", "朝阳市市场监督管理局", "市监局"),
        ("市科委2022年收到多少申请", "上海市科学技术委员会", "市科委"),
        ("市政府办公室2022年收到多少申请", "平度市人民政府办公室", "市政府办公室"),
        (
            "西工区2020年收到多少申请",
            "洛阳市西工区民政局",
            "西工区",
        ),  # no 人民政府 stored: the only body there
    ],
)
def test_the_only_candidate_is_answered_saying_what_was_assumed(
    resolver: Resolver, question: str, agency: str, said: str
) -> None:
    r = resolver.resolve(question)
    assert (r.agency, r.assumed, r.candidates) == (agency, said, [])


@pytest.mark.parametrize(
    "question,missing",
    [
        ("番禺经开区公安局2020年收到多少申请", "番禺经开区公安局"),  # only the zone's 管委会 is stored
        ("Panyu development zone police, 2020?", "Panyu development zone police"),
        ("会亭镇派出所2020年收到多少申请", "会亭镇派出所"),
        ("会亭镇人民法院2020年收到多少申请", "会亭镇人民法院"),  # a body the vocabulary does not know
        ("夏邑县统计局2020年收到多少申请", "夏邑县统计局"),
        (
            "夏邑县人民政府办公室2020年收到多少申请",
            "夏邑县人民政府办公室",
        ),  # not the 人民政府 its name begins with
        ("夏邑县政府办2020年收到多少申请", "夏邑县政府办"),
        ("Xiayi statistics bureau 2020 applications", "Xiayi statistics bureau"),
        ("夏邑县杨集镇2020年收到多少申请", "夏邑县杨集镇"),  # a town of a stored county is not the county
        ("Henan province civil affairs, 2021?", "Henan province civil affairs"),
        (
            "Yishui police 2019 number of government procurement projects",
            "Yishui police",
        ),  # not 政府 of 政府采购
    ],
)
def test_another_body_at_a_stored_place_is_not_stored(
    resolver: Resolver, question: str, missing: str
) -> None:
    r = resolver.resolve(question)
    assert (r.agency, r.missing) == (None, missing)


def test_a_county_question_is_never_answered_from_its_town() -> None:
    r = Resolver([HUITING]).resolve("夏邑县2020年收到多少申请？")
    assert r.agency is None and r.candidates == []


def test_henan_province_is_not_henan_county(resolver: Resolver) -> None:
    assert resolver.resolve("河南省2021年收到多少申请？").agency is None


def test_several_bodies_of_a_kind_are_candidates_not_a_guess() -> None:
    r = Resolver([MIANYANG_HEALTH, rec("绍兴市卫生健康委员会", "浙江省", "绍兴市", kind="委员会")]).resolve(
        "市卫健委2020年收到多少申请"
    )
    assert r.agency is None and r.candidates == ["绍兴市卫生健康委员会", "绵阳市卫生健康委员会"]


def test_words_naming_the_agency_are_marked_in_the_question(resolver: Resolver) -> None:
    q = "How many requests did the Xiayi police receive in 2020?"
    assert [q[a:b] for a, b in resolver.resolve(q).spans] == ["Xiayi", "police"]


# ------------------------------------------------------------------ real agencies (openings corpus)
def test_openings_agencies_resolve_to_themselves_and_never_to_another() -> None:
    """Every body of the openings corpus, with the names its report prints for itself: a name
    gives that body or no answer (a generic 我局 / 县政府 / 管委会), never a different body."""
    meta = ROOT.parent / "shared" / "corpus" / "openings" / "metadata.jsonl"
    if not meta.exists():
        pytest.skip(f"openings corpus not found at {meta}")
    rows = [json.loads(line) for line in meta.read_text(encoding="utf-8").splitlines() if line.strip()]
    records: dict[str, AgencyRecord] = {}
    for r in rows:
        if r["agency_normalized"] and r["agency_normalized"] not in records:
            name = r["agency_normalized"]
            records[name] = AgencyRecord(
                name,
                name,
                r["kind"] or "other",
                r["province"],
                r["city"],
                r["county"],
                r["town"],
                [r["agency"]] if r["agency"] else [],
                [r["year"] or 0],
            )
    resolver = Resolver(list(records.values()))
    right, wrong = 0, []
    for r in rows:
        name = r["agency_normalized"]
        if not name:
            continue
        assert resolver.resolve(f"{name}{r['year']}年收到多少申请？").agency == name
        for alias in r["aliases"]:
            got = resolver.resolve(f"{alias}2020年收到多少申请？")
            right += got.agency == name
            if got.agency not in (None, name) and not got.assumed:
                wrong.append((alias, name, got.agency))
    assert wrong == [
        ("阜阳市人民政府(办公室)", "阜阳市人民政府办公室", "阜阳市人民政府")
    ]  # printed by both bodies
    assert right >= 70  # of 201 printed self-references, most of them generic (我局, 本单位, 县政府)


# ------------------------------------------------------------------ through the CLI
@pytest.fixture(scope="module")
def town_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples, plus a town of 夏邑县 (a copy of the county's report under the town's name)."""
    d = tmp_path_factory.mktemp("town")
    reports = d / "reports"
    reports.mkdir()
    for p in SAMPLES.glob("*.txt"):
        text = p.read_text(encoding="utf-8")
        (reports / p.name).write_text(text, encoding="utf-8")
        if "夏邑县人民政府" in text:
            town = text.replace("夏邑县人民政府", "夏邑县会亭镇人民政府")
            town = town.replace("数量\t10\t2\t0\t0\t0\t0\t12", "数量\t5\t2\t0\t0\t0\t0\t7", 1)
            (reports / "town.txt").write_text(town, encoding="utf-8")
    assert run(d, "ingest", "--no-embed", str(reports)).exit_code == 0
    return d


def ask(data_dir: Path, question: str) -> dict:
    return json.loads(run(data_dir, "ask", "--json", question).output)


def test_cli_county_and_town_are_different_reports(town_dir: Path) -> None:
    county, town = (
        ask(town_dir, "夏邑县2020年收到多少政府信息公开申请？"),
        ask(town_dir, "会亭镇2020年收到多少政府信息公开申请？"),
    )
    assert (county["agency"], county["value"]) == ("夏邑县人民政府", 12)
    assert (town["agency"], town["status"]) == ("夏邑县会亭镇人民政府", "answered") and town["value"] == 7


def test_cli_other_kind_at_a_stored_place_says_that_report_is_not_stored(town_dir: Path) -> None:
    for q, body in (
        ("夏邑县公安局2020年收到多少申请？", "夏邑县公安局"),
        ("霍邱县人民政府2020年收到多少申请？", "霍邱县人民政府"),
        ("How many requests did the Xiayi police receive in 2020?", "Xiayi police"),
    ):
        a = ask(town_dir, q)
        assert (a["status"], a["value"], a["facts"]) == ("not_found", None, [])
        assert body in a["text"] and ("没有存储" in a["text"] or "No report of" in a["text"])
    assert "该地已存储：霍邱县民政局" in ask(town_dir, "霍邱县人民政府2020年收到多少申请？")["text"]


def test_cli_single_candidate_is_answered_with_the_assumption(town_dir: Path) -> None:
    a = ask(town_dir, "How many applications did the civil affairs bureau of Huoqiu receive in 2020?")
    assert (a["status"], a["agency"]) == ("answered", "霍邱县民政局")
    b = ask(town_dir, "霍邱2020年收到多少申请？")
    assert (b["status"], b["agency"], b["value"]) == (
        "answered",
        "霍邱县民政局",
        0,
    ) and "按霍邱县民政局理解" in b["text"]


def test_resolver_follows_a_new_ingest(tmp_path: Path) -> None:
    """The index is built once per store generation: a report ingested later is found at once."""
    from bot.cli import Context
    from index.load import load_paths

    sample = next(p for p in SAMPLES.glob("*.txt") if "息烽县民政局" in p.read_text(encoding="utf-8"))
    extra = tmp_path / "r" / "xifeng_gov.txt"
    extra.parent.mkdir()
    extra.write_text(
        sample.read_text(encoding="utf-8").replace("息烽县民政局", "息烽县人民政府"), encoding="utf-8"
    )
    ctx = Context(tmp_path / "d")
    ctx.writable = True  # one long-lived store that ingests and answers
    load_paths(ctx.store, [str(sample)])
    assert ctx.answer("息烽县人民政府2018年收到多少申请？").status == "not_found"
    load_paths(ctx.store, [str(extra)])
    assert ctx.answer("息烽县人民政府2018年收到多少申请？").agency == "息烽县人民政府"


def test_a_place_inside_a_longer_place_name_is_not_named() -> None:
    """邱县 is a county of 河北; 霍邱县 is another county: its 民政局 is not 邱县's."""
    r = Resolver([rec("邱县民政局", "河北省", "邯郸市", "邱县")]).resolve("霍邱县民政局2020年收到多少申请？")
    assert r.agency is None and r.candidates == []


# ------------------------------------------------------------------ places no stored body is at
GUSHI_CIVIL = rec("固始县民政局", "河南省", "信阳市", "固始县")
GUSHI_GOV = rec("固始县人民政府", "河南省", "信阳市", "固始县", kind="人民政府")
BEIJING_CHAOYANG = rec("北京市朝阳区人民政府", "北京市", "北京市", "朝阳区", kind="人民政府")
YISHUI_GOV = rec("沂水县人民政府", "山东省", "临沂市", "沂水县", kind="人民政府")


@pytest.mark.parametrize(
    "question,missing",
    [
        ("郑州市民政局2022年收到多少申请？", "郑州市民政局"),  # 郑州市 ends in 州 and 市: the longest name
        ("广州市民政局2022年收到多少申请？", "广州市民政局"),
        ("津市市民政局2022年收到多少申请？", "津市市民政局"),
        (
            "How many applications did Beijing civil affairs bureau get in 2022?",
            "Beijing civil affairs bureau",
        ),
        ("Zhengzhou civil affairs 2022 applications", "Zhengzhou civil affairs"),
    ],
)
def test_a_place_no_body_is_at_is_never_the_only_body_of_its_kind(question: str, missing: str) -> None:
    r = Resolver([GUSHI_CIVIL]).resolve(question)
    assert (r.agency, r.assumed, r.missing) == (None, "", missing)


@pytest.mark.parametrize(
    "question",
    [
        "How many applications did the civil affairs bureau receive in 2022?",
        "How many Weixin posts did the civil affairs bureau publish in 2022?",
        "How many yuan did the civil affairs bureau spend in 2022?",
    ],
)
def test_a_kind_alone_is_still_the_only_body_of_that_kind(question: str) -> None:
    """Weixin (威信县) and yuan (裕安区) are not places here: English places are capitalised names."""
    r = Resolver([GUSHI_CIVIL]).resolve(question)
    assert (r.agency, r.assumed) == ("固始县民政局", "civil affairs bureau")


@pytest.mark.parametrize(
    "question,missing",
    [
        ("长春市朝阳区2022年收到多少申请？", "长春市朝阳区"),
        ("长春市朝阳区人民政府2022年收到多少申请？", "长春市朝阳区人民政府"),
        (
            "Changchun Chaoyang district government 2022 applications",
            "Changchun Chaoyang district government",
        ),
    ],
)
def test_a_namesake_district_of_another_city_is_not_stored(question: str, missing: str) -> None:
    r = Resolver([BEIJING_CHAOYANG]).resolve(question)
    assert (r.agency, r.missing) == (None, missing)
    assert (
        Resolver([BEIJING_CHAOYANG]).resolve("北京市朝阳区2022年收到多少申请？").agency
        == BEIJING_CHAOYANG.agency
    )


@pytest.mark.parametrize(
    "question",
    [
        "固始县委2022年收到多少申请？",
        "固始县党委2022年收到多少申请？",
        "Gushi county party committee 2022 applications",
    ],
)
def test_a_party_committee_is_another_body_not_the_government(question: str) -> None:
    r = Resolver([GUSHI_GOV, GUSHI_CIVIL]).resolve(question)
    assert r.agency is None and r.missing and r.at_place == ["固始县人民政府", "固始县民政局"]


@pytest.mark.parametrize(
    "question", ["Henan civil affairs bureau 2021 applications", "河南民政局2021年收到多少申请"]
)
def test_a_province_name_alone_is_not_a_county_of_that_short_name(question: str) -> None:
    """河南 / Henan is the province as much as 河南(蒙古族自治)县: not stored, the county shown."""
    r = Resolver([HENAN_XIAN]).resolve(question)
    assert (r.agency, r.at_place) == (None, ["河南县民政局"]) and r.missing.startswith(("Henan", "河南"))


def test_the_agency_is_the_kind_next_to_its_place_not_a_later_word() -> None:
    """'Yishui police … government procurement' names the police: never the government stored there."""
    r = Resolver([YISHUI_GOV]).resolve("Yishui police 2019 number of government projects")
    assert (r.agency, r.missing, r.at_place) == (None, "Yishui police", ["沂水县人民政府"])


# Bureaus named the English way, under the names printed before and after the 2018 reorganisation.
JINHUA_BUREAUS = {
    "金华市农业局": "agriculture bureau",
    "金华市民政局": "civil affairs bureau",
    "金华市教育局": "education bureau",
    "金华市公安局": "public security bureau",
    "金华市司法局": "justice bureau",
    "金华市财政局": "finance bureau",
    "金华市人力资源和社会保障局": "human resources and social security bureau",
    "金华市国土资源局": "land and resources bureau",
    "金华市环境保护局": "environmental protection bureau",
    "金华市住房和城乡建设局": "housing and urban-rural development bureau",
    "金华市交通运输局": "transport bureau",
    "金华市水利局": "water resources bureau",
    "金华市商务局": "commerce bureau",
    "金华市文化和旅游局": "culture and tourism bureau",
    "金华市卫生健康委员会": "health commission",
    "金华市应急管理局": "emergency management bureau",
    "金华市审计局": "audit bureau",
    "金华市市场监督管理局": "market regulation bureau",
    "金华市统计局": "statistics bureau",
    "金华市林业局": "forestry bureau",
    "金华市发展和改革委员会": "development and reform commission",
    "金华市人民政府研究室": "government research office",
    "金华市人民政府办公室": "municipal government office",
    "金华市安全生产监督管理局": "work safety bureau",
}


def test_english_names_of_bureaus_resolve_to_the_stored_body_never_a_neighbour() -> None:
    r = Resolver([rec(name, "浙江省", "金华市") for name in JINHUA_BUREAUS])
    for name, english in JINHUA_BUREAUS.items():
        assert r.resolve(f"How many requests did the Jinhua {english} receive in 2020?").agency == name
    only_old = Resolver([rec(n, "浙江省", "金华市") for n in ("金华市环境保护局", "金华市自然资源局")])
    assert only_old.resolve("Jinhua environmental protection bureau").agency == "金华市环境保护局"
    assert only_old.resolve("Jinhua land and resources bureau").agency is None  # not 自然资源局


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    county=st.sampled_from(COUNTIES),
    office=st.sampled_from(("", "办公室", "办", "办公厅")),
    city=st.booleans(),
)
def test_fu_after_a_level_is_its_peoples_government(county: Place, office: str, city: bool) -> None:
    """上海市府办公厅, 绍兴市府办, 夏邑县府: after a place's level word 府 is its 人民政府."""
    place = (county.city or "") if city else county.name
    there = (county.province, county.city, None if city else county.name)
    gov = rec(place + "人民政府", *there, kind="人民政府")
    bodies = [gov, rec(place + "人民政府办公室", *there, kind="人民政府办公室")]
    bodies.append(rec(place + "人民政府办公厅", *there, kind="人民政府办公厅"))
    want = {"": 0, "办公室": 1, "办": 1, "办公厅": 2}[office]
    r = Resolver(bodies).resolve(f"{place}府{office}2021年收到多少件政府信息公开申请？")
    assert r.agency == bodies[want].agency


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    county=st.sampled_from(COUNTIES),
    other=st.sampled_from(COUNTIES),
    town=st.text(alphabet=TOWN_CHARS, min_size=2, max_size=2),
    word=st.sampled_from(("乡", "镇", "街道")),
)
def test_a_county_before_a_town_stored_without_one_reaches_it_never_another_countys(
    county: Place, other: Place, town: str, word: str
) -> None:
    """浦江县前吴乡 reaches a 前吴乡 whose report never names its county; a 前吴乡 stored under
    another county is never reached through this one's name."""
    assume(county.name != other.name)
    kind = {"乡": "乡", "镇": "镇", "街道": "街道办事处"}[word]
    body = town + word + ("办事处" if word == "街道" else "人民政府")
    q = f"{county.name}{town}{word}2021年主动公开政府信息多少条？"
    unplaced = rec(body, None, None, None, town + word, (town + word,), kind=kind)
    assert Resolver([unplaced]).resolve(q).agency == body
    elsewhere = rec(
        other.name + body, other.province, other.city, other.name, town + word, (town + word,), kind=kind
    )
    assert Resolver([elsewhere]).resolve(q).agency is None


NAMED = named_counties()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    county=st.sampled_from(NAMED),
    word=st.sampled_from(("高新技术产业园区", "高新技术产业开发区", "高新区")),
    full=st.booleans(),
    asked=st.sampled_from(("{s}高新区", "{c}高新园区", "{s}高新技术产业园区", "{c}{w}管委会")),
    english=st.sampled_from(("", "{p} high-tech park", "{p} county high-tech industrial park")),
)
def test_a_county_zones_short_forms_reach_it(
    county: Place, word: str, full: bool, asked: str, english: str
) -> None:
    """奉新县高新技术产业园区管委会 as ingest stores it is reached by 奉新高新区, 奉新县高新园区,
    'Fengxin high-tech park' and 'Fengxin county high-tech industrial park'."""
    assume(county.name.endswith("县") or "county" not in english)
    printed = (county.name if full else stem(county)) + word + "管委会"
    m = extract(read_document("r.txt", zone_opening(county, word, 2022, printed).encode("utf-8"))).meta
    assert m.agency and m.kind == "管委会"
    body = AgencyRecord(m.agency, m.agency_id, m.kind, m.province, m.city, m.county, m.town, m.names, [2022])
    s = stem(county)
    where = english.format(p=pinyin(s)[0].title()) if english else asked.format(s=s, c=county.name, w=word)
    r = Resolver([body, PANYU_ZONE, XIAYI]).resolve(f"{where}2022年主动公开政府信息多少条？")
    assert r.agency == m.agency


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    proper=st.text(alphabet=TOWN_CHARS, min_size=2, max_size=2),
    asked=st.sampled_from(("{z}", "{z}经开区", "{p} Island development zone", "{p}dao ETDZ", "{p}dao")),
)
def test_a_zone_named_after_an_island_is_reached_by_the_islands_name(proper: str, asked: str) -> None:
    """长兴岛经济技术开发区: 长兴岛 alone, 长兴岛经开区, 'Changxing Island development zone',
    'Changxingdao ETDZ' reach it."""
    island = proper + "岛"
    assume(not any(island[:n] + s in all_names() for n in (2, 3) for s in ("", "市", "县", "区")))
    body = rec(island + "经济技术开发区管委会办公室", None, None, None, island + "经开区", kind="管委会")
    where = asked.format(z=island, p=pinyin(proper)[0].title())
    assert Resolver([body, PANYU_ZONE]).resolve(f"{where}2025年受理申请多少件？").agency == body.agency
