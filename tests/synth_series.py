"""Generated multi-year, multi-agency corpora for trend, compare and rank questions.

Reports come from tests/synth.py's specs and renderers (that file is not changed here): one
county government over many years (one year not published at all, one year whose table 三 is
cut out of the text), civil-affairs bureaus of several counties, the towns of one county, and
the districts and counties of 郑州市 next to a county elsewhere. Every report is returned with
its spec and expected cells, so tests compute what a row must say from the generator's own
numbers, never from the parser.

    c = corpus(random.Random(7), tmp_path / "reports")
    c.reports[("固始县人民政府", 2021)].cells[("t3", "new", "total")]
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field
from pathlib import Path

from tests import synth

LAYOUTS = ("tab", "md", "html", "pipe")
GOVERNMENT = "固始县人民政府"
GOV_YEARS = list(range(2015, 2025))  # ten years; the pre-2019 years use the 2019 template's tables
NOT_PUBLISHED = 2017  # no report stored for this year
NO_T3 = 2019  # this year's copy lost its table 三 (the narrative still states the count)
BUREAU_COUNTIES = ["固始县", "夏邑县", "霍邱县", "息烽县", "光山县", "兰考县"]
TOWNS = ["陈集镇", "往流镇", "郭陆滩镇", "胡族铺镇", "方集镇", "三河尖镇"]
ZHENGZHOU = [
    "郑州市金水区人民政府",
    "郑州市二七区人民政府",
    "郑州市中原区人民政府",
    "郑州市惠济区人民政府",
    "中牟县人民政府",
]
RANK_YEAR = 2022


@dataclass
class Report:
    synth: synth.Synth
    path: Path
    dropped: set[str] = field(default_factory=set)  # tables cut out of this copy

    @property
    def cells(self) -> dict[tuple[str, str, str], float | int | None]:
        return self.synth.cells

    @property
    def expect(self) -> dict[tuple[str, str, str], synth.Expect]:
        return self.synth.expect


@dataclass
class Corpus:
    reports: dict[tuple[str, int], Report]

    def of(self, agency: str) -> dict[int, Report]:
        return {y: r for (a, y), r in self.reports.items() if a == agency}

    def in_year(self, year: int) -> dict[str, Report]:
        return {a: r for (a, y), r in self.reports.items() if y == year}


def report(
    rng: random.Random,
    agency: str,
    county: str,
    year: int,
    layout: str,
    scale: int | None = None,
    carried: tuple[int, ...] | None = None,
) -> synth.Synth:
    """One report of `agency` for `year`, from a random spec of the template that year used.
    `carried`: last year's 结转下年度, which this year's 上年结转 must equal (as in real reports)."""
    template = "2019" if year <= 2020 else "2021"
    while True:
        spec = synth.random_spec(
            rng, template, scale=scale if scale is not None else rng.choice([9, 30, 120])
        )
        if carried is not None:  # 一 follows from 一 + 二 = 三(七) + 四, column by column
            t3 = spec.t3
            new = [
                h + f - c for h, f, c in zip(t3["total_handled"][:6], t3["carried_forward"][:6], carried[:6])
            ]
            if min(new) < 0:
                continue
            spec = dataclasses.replace(
                spec, t3={**t3, "carried_over": tuple(carried), "new": (*new, sum(new))}
            )
        if spec.t3["new"][6]:  # the narrative then states the count (a zero is printed as 未收到)
            break
    paragraphs, closing = synth._narrative(rng, agency, year, spec.t3, spec.t4)
    spec = dataclasses.replace(
        spec,
        county=county,
        agency=agency,
        year=year,
        paragraphs=paragraphs,
        closing=closing,
        style={**spec.style, "encoding": "utf-8"},
    )
    return synth.render(spec, layout, rng)


def _drop_t3(s: synth.Synth) -> synth.Synth:
    """The copy of a report whose table 三 was lost: the section's heading stays, its table goes."""
    lines = s.text.split("\n")
    start = next(i for i, line in enumerate(lines) if synth.SECTIONS[2] in line)
    end = next(i for i, line in enumerate(lines) if synth.SECTIONS[3] in line)
    text = "\n".join(lines[: start + 1] + lines[end:])
    expect = {k: dataclasses.replace(e, line=None) for k, e in s.expect.items() if k[0] != "t3"}
    return dataclasses.replace(s, data=text.encode(s.encoding), expect=expect)


def corpus(rng: random.Random, out: Path) -> Corpus:
    out.mkdir(parents=True, exist_ok=True)
    plan: list[tuple[str, str, int]] = [(GOVERNMENT, "固始县", y) for y in GOV_YEARS if y != NOT_PUBLISHED]
    plan += [(c + "民政局", c, y) for c in BUREAU_COUNTIES for y in (2021, RANK_YEAR)]
    plan += [("固始县" + t + "人民政府", "固始县", RANK_YEAR) for t in TOWNS]
    plan += [(a, a.replace("人民政府", ""), RANK_YEAR) for a in ZHENGZHOU]
    plan += [("夏邑县人民政府", "夏邑县", RANK_YEAR)]
    reports: dict[tuple[str, int], Report] = {}
    for i, (agency, county, year) in enumerate(plan):
        layout = LAYOUTS[i % len(LAYOUTS)] if (agency, year) != (GOVERNMENT, NO_T3) else "tab"
        before = reports.get((agency, year - 1))
        s = report(
            rng,
            agency,
            county,
            year,
            layout,
            carried=before.synth.spec.t3["carried_forward"] if before else None,
        )
        dropped = set()
        if (agency, year) == (GOVERNMENT, NO_T3):
            s, dropped = _drop_t3(s), {"t3"}
        path = out / f"{i:03d}_{s.name}"
        path.write_bytes(s.data)
        reports[(agency, year)] = Report(s, path, dropped)
    return Corpus(reports)


if __name__ == "__main__":  # python -m tests.synth_series DIR: write the corpus the README's examples use
    import sys

    print(f"{len(corpus(random.Random(7), Path(sys.argv[1])).reports)} reports written to {sys.argv[1]}")
