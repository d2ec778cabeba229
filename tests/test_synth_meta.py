"""Generated openings (tests/synth_meta.py): whatever pattern prints the publisher, and under
whichever of its names, the same identity and place chain come back. Examples are derandomized
(the same openings on every run, as in test_synth.py), so a failure is a rule to fix, never an
unlucky draw; to look for new failures, run it once without `derandomize`."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ingest import extract, read_document
from ingest.gazetteer import Place, all_names, fuzzy_place
from tests.synth_meta import (
    DEPARTMENTS,
    INSTITUTIONS,
    KINDS,
    LEADS,
    PATTERNS,
    RELATIVE_ZONES,
    TOWN_CHARS,
    ZONE_SHORT,
    ZONE_WORDS,
    Body,
    byline_opening,
    counties,
    district_street_opening,
    institution_opening,
    named_counties,
    office_opening,
    opening,
    relative_opening,
    short_counties,
    short_opening,
    stem,
    traditional,
    zone_identity,
    zone_opening,
)

COUNTIES = counties()
SHORT = short_counties()
NAMED = named_counties()


@st.composite
def bodies(draw: st.DrawFn) -> Body:
    kind = draw(st.sampled_from(KINDS))
    dept = draw(st.sampled_from(DEPARTMENTS[kind])) if kind in DEPARTMENTS else ""
    town = (
        draw(st.text(alphabet=TOWN_CHARS, min_size=2, max_size=2))
        if kind not in ("人民政府", "局", "委员会")
        else ""
    )
    return Body(draw(st.sampled_from(COUNTIES)), kind, dept, town)


def _meta(text: str):  # type: ignore[no-untyped-def]
    return extract(read_document("report.txt", text.encode("utf-8"))).meta


@settings(max_examples=120, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=bodies(), year=st.integers(2008, 2025), pattern=st.sampled_from(PATTERNS), which=st.integers(0, 1)
)
def test_every_pattern_and_name_gives_the_body_and_its_place(
    body: Body, year: int, pattern: str, which: int
) -> None:
    printed = body.names()[which]
    m = _meta(opening(body, year, pattern, printed))
    assert (m.printed, m.kind, m.year) == (printed, body.kind, year)
    assert (m.province, m.city, m.county) == (body.county.province, body.county.city, body.county.name)
    assert m.town == body.town_name
    assert m.agency_id == _meta(opening(body, year, "title", body.names()[0])).agency_id


@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=bodies(), year=st.integers(2008, 2024))
def test_one_body_under_two_names_in_consecutive_years_is_one_identity(body: Body, year: int) -> None:
    a = _meta(opening(body, year, "title", body.names()[0]))
    b = _meta(opening(body, year + 1, "contact", body.names()[1]))
    assert a.agency_id == b.agency_id and (a.year, b.year) == (year, year + 1)


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    county=st.sampled_from(NAMED),
    word=st.sampled_from(ZONE_WORDS),
    year=st.integers(2008, 2025),
    committee=st.booleans(),
    trad=st.booleans(),
)
def test_a_zone_of_any_zone_word_keeps_its_place_in_either_script(
    county: Place, word: str, year: int, committee: bool, trad: bool
) -> None:
    """<县>科技城, <县>特别合作区管委会 … from the index table's 发布单位 cell; printed in traditional
    characters (嶽陽高新技術產業園區管委會) it is read through the simplified copy and keeps its place."""
    printed = stem(county) + word + ("管委会" if committee else "")
    text = zone_opening(county, word, year, printed)
    m = _meta(traditional(text) if trad else text)
    zone, canonical = zone_identity(county, word)
    assert (m.agency, m.kind, m.town, m.year) == (canonical, "管委会", zone, year)
    assert (m.province, m.city, m.county) == (county.province, county.city, county.name)
    assert m.printed == (traditional(printed) if trad else printed)


@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    county=st.sampled_from(SHORT),
    town=st.text(alphabet=TOWN_CHARS, min_size=2, max_size=2),
    kind=st.sampled_from(("乡", "镇", "经济技术开发区管委会")),
    year=st.integers(2008, 2025),
)
def test_a_county_printed_only_in_its_short_form_is_the_place(
    county: Place, town: str, kind: str, year: int
) -> None:
    """双溪乡 whose county is only the head of 磐安公共资源交易中心; 番禺经济技术开发区管委会 alone:
    a short form exactly one unit has, and no ordinary word, gives the county."""
    printed = town + kind if kind in ("乡", "镇") else stem(county) + kind
    m = _meta(short_opening(county, year, printed))
    assert (m.province, m.city, m.county, m.year) == (county.province, county.city, county.name, year)


def test_short_forms_that_are_ordinary_words_shared_or_unclear_are_no_place() -> None:
    """东方 (东方市) and 平安 (平安区) are words; 朝阳 is a unit of several cities; in 公开江东…中心 the
    short form may be 开江 (开江县) or 江东 (江东区): none places a text."""
    for word in ("东方", "平安", "朝阳", "公开江东"):
        m = _meta(short_opening(SHORT[0], 2022, "双溪乡").replace(stem(SHORT[0]), word))
        assert m.county is None and m.province is None
    assert all(p in COUNTIES for p in SHORT) and len(SHORT) > 500


@settings(max_examples=30, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    county=st.sampled_from(SHORT), word=st.sampled_from("岛镇乡村街路山湖湾港"), year=st.integers(2008, 2025)
)
def test_a_short_form_running_on_into_another_place_is_no_place(county: Place, word: str, year: int) -> None:
    """依托长兴岛经济技术开发区门户网站: 长兴 heads 长兴岛, an island's name, so it is not 长兴县."""
    text = short_opening(county, year, "区管委会办公室").replace(
        f"{stem(county)}公共资源交易中心", f"{stem(county)}{word}经济技术开发区门户网站"
    )
    assert _meta(text).county is None


@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    county=st.sampled_from(COUNTIES),
    dept=st.sampled_from(("信访", "人防", "金融")),
    year=st.integers(2008, 2025),
    trad=st.booleans(),
)
def test_an_office_named_only_in_its_byline_in_either_script(
    county: Place, dept: str, year: int, trad: bool
) -> None:
    """由<县>信訪辦編制 and nothing else: the office is the publisher, of its county."""
    text = office_opening(county, dept, year)
    m = _meta(traditional(text) if trad else text)
    assert (m.kind, m.year) == ("other", year)
    assert (m.province, m.city, m.county) == (county.province, county.city, county.name)
    assert m.agency_id == _meta(text).agency_id


@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    county=st.sampled_from(NAMED),
    other=st.text(alphabet=TOWN_CHARS, min_size=2, max_size=2),
    zone=st.booleans(),
    year=st.integers(2008, 2025),
)
def test_a_name_line_under_a_title_naming_nobody_is_the_publisher(
    county: Place, other: str, zone: bool, year: int
) -> None:
    """2020年政府信息公开工作年度报告 / 武昌经开区(滨江)管委会: the line under the title is the byline,
    a bracketed second name and all."""
    printed = stem(county) + f"经开区({other})管委会" if zone else county.name + "民政局"
    m = _meta(byline_opening(county, year, printed))
    assert (m.printed, m.kind, m.year) == (printed, "管委会" if zone else "局", year)
    assert (m.province, m.city, m.county) == (county.province, county.city, county.name)


PROVINCES = sorted({p for ps in all_names().values() for p in ps if p.level == "province"}, key=str)


@settings(max_examples=30, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(province=st.sampled_from(PROVINCES), word=st.sampled_from(INSTITUTIONS), year=st.integers(2008, 2025))
def test_a_provincial_institution_ending_in_yuan_is_the_publisher(
    province: Place, word: str, year: int
) -> None:
    m = _meta(institution_opening(province, word, year))
    assert (m.agency, m.kind, m.province, m.year) == (province.name + word, "other", province.province, year)


CITIES = sorted({p for ps in all_names().values() for p in ps if p.level == "city" and len(ps) == 1}, key=str)


@settings(max_examples=30, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    city=st.sampled_from(CITIES),
    district=st.text(alphabet=TOWN_CHARS, min_size=2, max_size=2).filter(
        lambda d: not any(x + c in all_names() for x in (d, d[1]) for c in "区县市")  # 东东区 holds 东区
    ),
    street=st.text(alphabet=TOWN_CHARS, min_size=2, max_size=3),
    year=st.integers(2008, 2025),
)
def test_a_street_under_a_district_no_table_holds_is_one_street_of_its_city(
    city: Place, district: str, street: str, year: int
) -> None:
    """洪江区沅江路街道办事处 and 沅江路街道: one street, of the city the text names; the district, no
    county of the division tables, is no place of the chain."""
    text = district_street_opening(city, district + "区", street, year)
    assume(fuzzy_place(district + "区", text) is None)  # 平北区 reads as OCR's 平城区 of the city named
    m = _meta(text)
    assert (m.kind, m.town, m.year) == ("街道办事处", street + "街道", year)
    assert (m.province, m.city, m.county) == (city.province, city.city, None)
    assert m.printed == district + "区" + street + "街道办事处"


@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    proper=st.text(alphabet=TOWN_CHARS, min_size=2, max_size=2),
    island=st.booleans(),
    word=st.sampled_from(RELATIVE_ZONES),
    lead=st.sampled_from(LEADS),
    year=st.integers(2008, 2025),
    office=st.booleans(),
)
def test_a_relative_name_is_the_one_zone_the_text_names(
    proper: str, island: bool, word: str, lead: str, year: int, office: bool
) -> None:
    """区管委会办公室 in a report naming 长兴岛经济技术开发区 once is that zone's office: the zone keeps
    its own name (never the sentence's 依托), the printed name stays as printed."""
    proper += "岛" if island else ""
    parts = {proper[i:j] for i in range(len(proper)) for j in range(i + 2, len(proper) + 1)}
    assume(not any(p + s in all_names() for p in parts for s in ("", "市", "县", "区")))  # no county's zone
    assume(_splits(lead + proper + word, len(lead)))  # 在家东…: 在家 is a word, so 家东 is no name read
    printed = "区管委会" + ("办公室" if office else "")
    m = _meta(relative_opening([proper + word], lead, year, printed))
    zone = proper + ZONE_SHORT.get(word, word)
    assert (m.kind, m.town, m.place, m.printed, m.year) == ("管委会", zone, zone, printed, year)
    assert proper + word + printed[1:] in m.names


@settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    a=st.text(alphabet=TOWN_CHARS, min_size=2, max_size=2),
    b=st.text(alphabet=TOWN_CHARS, min_size=2, max_size=2),
    word=st.sampled_from(RELATIVE_ZONES),
)
def test_a_relative_name_in_a_text_naming_two_zones_stays_unplaced(a: str, b: str, word: str) -> None:
    """Two zones named: which one 区管委会办公室 is of is no telling, so it is left as printed."""
    assume(a != b)
    m = _meta(relative_opening([a + word, b + word], "依托", 2024))
    assert m.town is None and m.printed == "区管委会办公室"


def _splits(text: str, at: int) -> bool:
    """Does jieba's dictionary, as ingest segments a zone's name, put a word boundary at `at`?"""
    import jieba

    ends, i = set(), 0
    for w in jieba.cut(text, HMM=False):
        i += len(w)
        ends.add(i)
    return at in ends
