"""Generated openings (tests/synth_meta.py): whatever pattern prints the publisher, and under
whichever of its names, the same identity and place chain come back."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import extract, read_document
from tests.synth_meta import DEPARTMENTS, KINDS, PATTERNS, TOWN_CHARS, Body, counties, opening

COUNTIES = counties()


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


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=bodies(), year=st.integers(2008, 2024))
def test_one_body_under_two_names_in_consecutive_years_is_one_identity(body: Body, year: int) -> None:
    a = _meta(opening(body, year, "title", body.names()[0]))
    b = _meta(opening(body, year + 1, "contact", body.names()[1]))
    assert a.agency_id == b.agency_id and (a.year, b.year) == (year, year + 1)
