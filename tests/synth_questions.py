"""Questions as journalists type them, about generated reports whose every number is known.

Each question is written from a report's CONTENT — the generator's table values and the
sentences of its narrative (tests/synth.py `Spec`) — never from what the parser stored. Chinese
and English in equal measure; full and short agency names; years as 2020年, 20年, 二〇二〇年 or
去年 / last year; colloquial word order. `expect` is the number, or None for not_found.

    from tests.synth_questions import reports, asked, not_stated
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from pypinyin import lazy_pinyin

from ingest.vocab import load
from tests.synth import Synth, random_spec, render

Key = tuple[str, str, str]
Number = int | float

# (county, kind, template, layout): kinds whose names the current resolver reads in both languages
AGENCIES = [
    ("固始县", "民政局", "2019", "tab"),
    ("临泉县", "财政局", "2021", "tab"),
    ("舒城县", "教育局", "2019", "cell"),
    ("光山县", "卫生健康委员会", "2021", "tab"),
    ("兰考县", "市场监督管理局", "2021", "cell"),
    ("修文县", "人力资源和社会保障局", "2019", "tab"),
]
# Short forms and English kind words journalists use (read by the alias resolver, bot/agencies.py).
ABBREVIATIONS = {
    "市场监督管理局": ("市监局", "market supervision administration"),
    "卫生健康委员会": ("卫健委", "health and wellness commission"),
    "人力资源和社会保障局": ("人社局", "human resources bureau"),
    "财政局": ("财政", "treasury"),
    "民政局": ("民政", "civil affairs department"),
    "教育局": ("教体局", "education department"),
}


@dataclass(frozen=True)
class Asked:
    question: str
    expect: Number | None
    language: str
    today: date
    group: str = "paraphrase"  # paraphrase | agencies (short forms and English kind words)
    source: str = ""  # the report file, for questions on the openings corpus


def reports(seed: int = 12) -> list[Synth]:
    rng = random.Random(seed)
    out = []
    for county, kind, template, layout in AGENCIES:
        spec = random_spec(rng, template, scale=30, counties=[county])
        spec = dataclasses.replace(spec, agency=county + kind)
        out.append(render(spec, layout, rng))
    return out


def _zh_year(y: int) -> str:
    return "".join("〇一二三四五六七八九"[int(d)] for d in str(y))


def _sum(s: Synth, keys: list[Key]) -> Number | None:
    values = [s.cells[k] for k in keys if s.cells.get(k) is not None]
    return sum(values) if values else None  # type: ignore[arg-type]


def _cell(key: Key) -> Callable[[Synth], Number | None]:
    return lambda s: s.cells.get(key, "absent")  # type: ignore[return-value]


def _refused(s: Synth) -> Number | None:
    return _sum(s, [k for k in s.cells if k[0] == "t3" and k[1].startswith("refused.") and k[2] == "total"])


def _organisations(s: Synth) -> Number | None:
    return _sum(
        s, [("t3", "new", c) for c in ("business", "research", "nonprofit", "legal_service", "other_org")]
    )


def _lawsuits(column: str) -> Callable[[Synth], Number | None]:
    return lambda s: _sum(s, [("t4", "litigation_direct", column), ("t4", "litigation_after", column)])


def _stated(section: int, index: int) -> Callable[[Synth], Number | None]:
    """The index-th number the generator wrote into a paragraph of section 一 (or -1: the closing fee)."""

    def get(s: Synth) -> Number | None:
        numbers = s.spec.closing[1][1] if section < 0 else s.spec.paragraphs[section][1]
        return numbers[index][0]

    return get


def _c(t: str, r: str, c: str) -> Callable[[Synth], Number | None]:
    return _cell((t, r, c))


ZH = [
    ("{a}{y}新收了多少件信息公开申请？", _c("t3", "new", "total")),
    ("{y}{a}一共收到多少申请？", _c("t3", "new", "total")),
    ("请问{a}在{y}个人提出了多少件申请？", _c("t3", "new", "natural_person")),
    ("{a}{y}企业申请多少件", _c("t3", "new", "business")),
    ("{a}{y}律师事务所申请了几件", _c("t3", "new", "legal_service")),
    ("{a}{y}法人或其他组织提出多少件申请？", _organisations),
    ("{a}{y}上年结转的申请有多少件", _c("t3", "carried_over", "total")),
    ("{a}{y}结转下年度继续办理多少件", _c("t3", "carried_forward", "total")),
    ("{a}{y}予以公开多少件", _c("t3", "granted", "total")),
    ("{a}{y}有几件申请部分公开", _c("t3", "partial", "total")),
    ("{a}{y}不予公开的申请合计多少件", _refused),
    ("{a}{y}因保护第三方合法权益不予公开几件", _c("t3", "refused.third_party", "total")),
    ("{a}{y}（三）不予公开中的第6项有多少件？", _c("t3", "refused.process", "total")),
    ("{a}{y}无法提供里面本机关不掌握相关政府信息的有多少件", _c("t3", "unable.not_held", "total")),
    ("{a}{y}（四）无法提供中的2.没有现成信息需要另行制作多少件", _c("t3", "unable.need_create", "total")),
    ("{a}{y}重复申请不予处理多少件", _c("t3", "not_processed.repeat", "total")),
    ("{a}{y}办结申请一共多少件", _c("t3", "total_handled", "total")),
    ("{a}{y}行政复议多少件", _c("t4", "reconsideration", "total")),
    ("{a}{y}行政复议结果纠正几件", _c("t4", "reconsideration", "corrected")),
    ("{a}{y}未经复议直接起诉的行政诉讼多少件", _c("t4", "litigation_direct", "total")),
    ("{a}{y}复议后起诉的有多少件", _c("t4", "litigation_after", "total")),
    ("{a}{y}两类行政诉讼合计多少件", _lawsuits("total")),
    ("{a}{y}行政处罚决定多少件", _c("t2", "penalties", "decisions")),
    ("{a}{y}行政许可处理决定几件", _c("t2", "licensing", "decisions")),
    ("{a}{y}政府集中采购总金额多少万元", _c("t2", "procurement", "procurement_amount")),
    ("{a}{y}新制作规范性文件多少件", _c("t2", "normative_documents", "new_made")),
    ("{a}{y}制发规范性文件多少件", _c("t2", "normative_documents", "issued")),
    ("{a}{y}现行有效的规章有几件", _c("t2", "regulations", "in_force")),
    ("{a}{y}（六）其他处理中的3.其他有多少件？", _c("t3", "other.other", "total")),
    ("{a}{y}申请人逾期不补正、不再处理的有几件", _c("t3", "other.no_correction", "total")),
    ("{a}{y}主动公开政府信息多少条", _stated(0, 0)),
    ("{a}{y}通过政府网站公开多少条信息", _stated(0, 1)),
    ("{a}{y}通过政务新媒体发布信息多少篇", _stated(0, 2)),
    ("{a}{y}解读政策文件几篇", _stated(0, 3)),
    ("{a}{y}组织开展了几次政务公开业务培训", _stated(2, 0)),
    ("{a}{y}参训人员多少人次", _stated(2, 1)),
    ("{a}{y}运营多少个政务新媒体账号", _stated(3, 0)),
    ("{a}{y}平台维护经费多少万元", _stated(3, 1)),
    ("{a}{y}开展政务公开日活动几场", _stated(4, 0)),
    ("{a}{y}发放宣传资料多少份", _stated(4, 2)),
    ("{a}{y}收取信息处理费多少元", _stated(-1, 0)),
]

EN = [
    ("How many new information requests did {e} receive in {y}?", _c("t3", "new", "total")),
    ("How many requests did {e} get {y}?", _c("t3", "new", "total")),
    ("{Y}, how many applications from individuals did {e} receive?", _c("t3", "new", "natural_person")),
    ("How many requests from businesses did {e} receive in {y}?", _c("t3", "new", "business")),
    ("How many requests did law firms file with {e} in {y}?", _c("t3", "new", "legal_service")),
    ("How many requests from legal persons and other organisations did {e} receive in {y}?", _organisations),
    (
        "How many requests were carried over from the previous year at {e} in {y}?",
        _c("t3", "carried_over", "total"),
    ),
    ("How many requests did {e} carry forward to next year in {y}?", _c("t3", "carried_forward", "total")),
    ("How many requests were fully granted by {e} in {y}?", _c("t3", "granted", "total")),
    ("How many requests were partially disclosed by {e} in {y}?", _c("t3", "partial", "total")),
    ("How many requests did {e} refuse in total in {y}?", _refused),
    (
        "How many requests did {e} refuse to protect third parties in {y}?",
        _c("t3", "refused.third_party", "total"),
    ),
    (
        "How many requests could {e} not provide because it did not hold the information in {y}?",
        _c("t3", "unable.not_held", "total"),
    ),
    ("How many repeat applications did {e} decline in {y}?", _c("t3", "not_processed.repeat", "total")),
    ("How many requests closed by {e} in {y}?", _c("t3", "total_handled", "total")),
    ("How many administrative reviews did {e} face in {y}?", _c("t4", "reconsideration", "total")),
    (
        "How many administrative reconsiderations of {e} ended corrected in {y}?",
        _c("t4", "reconsideration", "corrected"),
    ),
    (
        "How many lawsuits filed directly (without prior administrative review) did {e} face in {y}?",
        _c("t4", "litigation_direct", "total"),
    ),
    ("How many lawsuits after reconsideration did {e} face in {y}?", _c("t4", "litigation_after", "total")),
    ("How many lawsuits of both kinds did {e} face in {y}?", _lawsuits("total")),
    ("How many penalty decisions did {e} make in {y}?", _c("t2", "penalties", "decisions")),
    ("How many licensing decisions did {e} make in {y}?", _c("t2", "licensing", "decisions")),
    ("What was the total procurement amount of {e} in {y}?", _c("t2", "procurement", "procurement_amount")),
    ("How many normative documents did {e} newly make in {y}?", _c("t2", "normative_documents", "new_made")),
    ("How many normative documents did {e} issue in {y}?", _c("t2", "normative_documents", "issued")),
    ("How many regulations were currently in force at {e} in {y}?", _c("t2", "regulations", "in_force")),
    (
        "How many requests did {e} handle otherwise, item 3 of other handling, in {y}?",
        _c("t3", "other.other", "total"),
    ),
    (
        "How many applicants failed to supplement their requests to {e} in {y}?",
        _c("t3", "other.no_correction", "total"),
    ),
    ("How many pieces of information did {e} publish proactively in {y}?", _stated(0, 0)),
    ("How many items did {e} publish on its government website in {y}?", _stated(0, 1)),
    ("How many policy interpretations did {e} publish in {y}?", _stated(0, 3)),
    ("How many training sessions did {e} hold in {y}?", _stated(2, 0)),
    ("How many person-times attended the trainings of {e} in {y}?", _stated(2, 1)),
    ("How many new media accounts does {e} run, as of {y}?", _stated(3, 0)),
    ("How much did {e} spend on platform maintenance in {y}?", _stated(3, 1)),
    ("How many open day events did {e} hold in {y}?", _stated(4, 0)),
    ("How many leaflets did {e} hand out in {y}?", _stated(4, 2)),
    ("How much did {e} collect in information processing fees in {y}?", _stated(-1, 0)),
]

# Things the generated reports do not state, next to numbers they do state.
NOT_STATED_ZH = [
    "{a}{y}开展在线访谈多少次？",
    "{a}{y}召开新闻发布会几场？",
    "{a}{y}设置公开栏多少个？",
    "{a}{y}政务微博发布信息多少条？",
    "{a}{y}公众号订阅用户多少个？",
    "{a}{y}接待来访群众多少人次？",
    "{a}{y}培训了多少批次？",
    "{a}{y}参训人员共多少场？",
    "{a}{y}办理人大代表建议多少件？",
    "{a}{y}发放宣传资料花了多少万元？",
    "{a}{y}政务热线接听电话多少个？",
    "{a}{y}公开栏更新了几期？",
]
NOT_STATED_EN = [
    "How many online interviews did {e} hold in {y}?",
    "How many press conferences did {e} hold in {y}?",
    "How many bulletin boards did {e} set up in {y}?",
    "How many Weibo posts did {e} publish in {y}?",
    "How many hotline calls did {e} answer in {y}?",
    "How many NPC suggestions did {e} handle in {y}?",
    "How many visitors did {e} receive in its reading room in {y}?",
    "How many CPPCC proposals did {e} handle in {y}?",
    "How many subscribers did {e}'s WeChat account have in {y}?",
    "How many batches of training did {e} run in {y}?",
]


def _names(s: Synth) -> tuple[str, str, str]:
    county, kind = s.spec.county, s.agency[len(s.spec.county) :]
    short = county[:-1] if len(county) > 2 else county
    place = "".join(lazy_pinyin(short)).capitalize()
    en_kind = next(k["en"][0] for k in load().tables["agency_kinds"]["kind"] if k["name"] == kind)
    return (
        short + kind,
        f"the {place} {en_kind}" + ("" if en_kind.endswith(("commission", "government")) else " bureau"),
        place,
    )


def _years(y: int, i: int, zh: bool) -> tuple[str, date]:
    """The i-th way of writing the year: 2020年, 20年, 二〇二〇年, 去年 (asked the next spring)."""
    spring = date(y + 1, 3, 1)
    forms = (
        [f"{y}年", f"{y % 100:02d}年", f"{_zh_year(y)}年", "去年"]
        if zh
        else [f"{y}", f"{y}", "last year", f"{y}"]
    )
    return forms[i % 4], spring


def asked(s: Synth) -> list[Asked]:
    short, en, _ = _names(s)
    out = []
    for i, (template, get) in enumerate(ZH):
        value = get(s)
        if value == "absent":
            continue  # not a cell of this template
        y, today = _years(s.year, i, True)
        a = s.agency if i % 2 == 0 else short
        out.append(Asked(template.format(a=a, y=y), value, "zh", today))
    for i, (template, get) in enumerate(EN):
        value = get(s)
        if value == "absent":
            continue
        y, today = _years(s.year, i, False)
        q = template.format(
            e=en, y=y if y == "last year" else y, Y=("Last year" if y == "last year" else f"In {y}")
        )
        q = q.replace("in last year", "last year")
        out.append(Asked(q[0].upper() + q[1:], value, "en", today))
    kind = s.agency[len(s.spec.county) :]
    if kind in ABBREVIATIONS:
        zh_abbr, en_abbr = ABBREVIATIONS[kind]
        place = _names(s)[2]
        day = date(s.year + 1, 3, 1)
        out.append(
            Asked(
                f"{short[: -len(kind)]}{zh_abbr}{s.year}年新收几件申请？",
                s.cells[("t3", "new", "total")],
                "zh",
                day,
                "agencies",
            )
        )
        out.append(
            Asked(
                f"{s.spec.county}{zh_abbr}去年予以公开多少件",
                s.cells[("t3", "granted", "total")],
                "zh",
                day,
                "agencies",
            )
        )
        out.append(
            Asked(
                f"{place} {en_abbr} {s.year} — new requests?",
                s.cells[("t3", "new", "total")],
                "en",
                day,
                "agencies",
            )
        )
        out.append(
            Asked(
                f"How many requests did the {place} {en_abbr} receive last year?",
                s.cells[("t3", "new", "total")],
                "en",
                day,
                "agencies",
            )
        )
    return out


def not_stated(s: Synth) -> list[Asked]:
    _, en, _ = _names(s)
    day = date(s.year + 1, 3, 1)
    return [Asked(t.format(a=s.agency, y=f"{s.year}年"), None, "zh", day) for t in NOT_STATED_ZH] + [
        Asked(t.format(e=en, y=s.year), None, "en", day) for t in NOT_STATED_EN
    ]
