"""Synthetic 政府信息公开工作年度报告: a whole report with tables 二, 三 and 四 of the 2019 or
the 2021 template, filled with random numbers whose arithmetic holds, rendered in one of
several layouts, together with every number a correct reader must get back.

    from tests.synth import generate
    s = generate(random.Random(1), "tab")
    s.data, s.name          # the file to ingest
    s.cells                 # {(table, row, column): value}
    s.expect                # {(table, row, column): Expect(value, unit, qualifier, line)}
    s.prose                 # [(value, unit, qualifier)] stated in the narrative

Layouts (LAYOUTS):
- ``tab``   tab-separated rows like samples/003: group label on its first sub-row only, some
            rows shifted by an extra empty cell (leading or trailing), some all-zero rows blank,
            some labels in another label column (``5.要求…⇥⇥0⇥…``);
- ``cell``  one cell per line like samples/002: ``⇥cell`` lines, a blank line between rows,
            some labels wrapped onto the next line without the tab (``⇥(七)总`` + ``计``);
- ``pipe``  ``|``-terminated cells, one table row per line (``规章 | 0 | 0 | 0 |``), or with
            style ``pipe_stream`` one cell per line as samples/004 (``规章 |`` / ``0 |`` / …);
- ``html``  an HTML page with ``<table>``s, colspan/rowspan for the merged labels and headers;
- ``glued`` tables 三 and 四 as plain text lines whose numbers are printed with no separators
            (``一、本年新收政府信息公开申请数量640020470``); table 二 tab-separated, or with style
            ``t2_plain`` as plain lines with spaces (``规章 0 0 0``), as a PDF's text layer has it;
- ``md``    a Markdown file: ``#`` headings, ``| a | b |`` pipe tables with ``| --- |`` rules,
            merged labels as empty cells;
- the ten layouts of real reports in tests/synth_layouts.py (PATTERNS): ``flat``, ``blank``,
  ``fragment``, ``colspan``, ``pdfmd``, ``ocr``, ``t4split``, ``signed``, ``typo``, ``narrative``.

Every layout is written as UTF-8, UTF-8 with a BOM or GB18030 (HTML declares ``gbk``), with LF
or CRLF line ends; the title is printed plain, with spaces, or with 年度; （一） is printed
full- or half-width, sub-items numbered 1. 1、 1． （1） or ``1. ``. `random_spec(style=…)`
fixes any of these choices (see its docstring).

For glued rows the expected reading is computed here, independently of the parser, by
enumerating every way to cut the digits: a row is expected with qualifier ``split`` and its
true numbers when exactly one reading of it is consistent with the table's arithmetic
(applicant columns sum to 总计; 三's sub-rows sum to (七)总计; 一+二 = 三(七)+四; each 表四
group's four results sum to its 总计), and with every cell ``unresolved`` otherwise.

The generator knows nothing about the parser: it only writes text and says what is in it.
"""

from __future__ import annotations

import html as _html
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

Key = tuple[str, str, str]
Number = int | float

LAYOUTS = ("tab", "cell", "pipe", "html", "glued", "md")
TEXT_LAYOUTS = ("tab", "cell", "pipe", "glued", "md")

# Counties whose names the gazetteer knows (two-character names + 县).
COUNTIES = [
    "夏邑县",
    "霍邱县",
    "息烽县",
    "固始县",
    "临泉县",
    "舒城县",
    "宁陵县",
    "光山县",
    "太和县",
    "长丰县",
    "肥西县",
    "修文县",
    "开阳县",
    "兰考县",
    "柘城县",
    "虞城县",
    "民权县",
    "商城县",
]
# One-character county names (睢县, 滑县 …) are real too; see ONE_CHAR_COUNTIES.
ONE_CHAR_COUNTIES = ["睢县", "滑县", "萧县", "杞县", "新县"]
BUREAUS = [
    "民政局",
    "教育局",
    "公安局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源局",
    "住房和城乡建设局",
    "交通运输局",
    "农业农村局",
    "水利局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "应急管理局",
    "审计局",
    "统计局",
    "市场监督管理局",
    "医疗保障局",
    "林业局",
    "人民政府办公室",
]

# ------------------------------------------------------------------ the template's labels

T3_COLUMNS = ["natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total"]
T4_GROUPS = ["reconsideration", "litigation_direct", "litigation_after"]
T4_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]

_R = "三、本年度办理结果"
_REFUSED = "（三）不予公开"
_UNABLE = "（四）无法提供"
_NOTPROC = "（五）不予处理"
_OTHER = "（六）其他处理"


def t3_rows(template: str) -> list[tuple[str, tuple[str, ...]]]:
    """Table 三's rows in print order: (key, label path from the outermost merged label)."""
    rows: list[tuple[str, tuple[str, ...]]] = [
        ("new", ("一、本年新收政府信息公开申请数量",)),
        ("carried_over", ("二、上年结转政府信息公开申请数量",)),
        ("granted", (_R, "（一）予以公开")),
        ("partial", (_R, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")),
    ]
    refused = [
        "state_secret",
        "prohibited",
        "security",
        "third_party",
        "internal",
        "process",
        "enforcement_file",
        "inquiry",
    ]
    refused_l = [
        "属于国家秘密",
        "其他法律行政法规禁止公开",
        "危及“三安全一稳定”",
        "保护第三方合法权益",
        "属于三类内部事务信息",
        "属于四类过程性信息",
        "属于行政执法案卷",
        "属于行政查询事项",
    ]
    rows += [
        (f"refused.{k}", (_R, _REFUSED, f"{i}.{lab}"))
        for i, (k, lab) in enumerate(zip(refused, refused_l), 1)
    ]
    unable = [
        ("not_held", "本机关不掌握相关政府信息"),
        ("need_create", "没有现成信息需要另行制作"),
        ("unclear", "补正后申请内容仍不明确"),
    ]
    rows += [(f"unable.{k}", (_R, _UNABLE, f"{i}.{lab}")) for i, (k, lab) in enumerate(unable, 1)]
    notp = [
        ("complaint", "信访举报投诉类申请"),
        ("repeat", "重复申请"),
        ("publication", "要求提供公开出版物"),
        ("mass_repeat", "无正当理由大量反复申请"),
        ("confirm", "要求行政机关确认或重新出具已获取信息"),
    ]
    rows += [(f"not_processed.{k}", (_R, _NOTPROC, f"{i}.{lab}")) for i, (k, lab) in enumerate(notp, 1)]
    if template == "2021":
        other = [
            ("no_correction", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            ("no_fee", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
            ("other", "其他"),
        ]
        rows += [(f"other.{k}", (_R, _OTHER, f"{i}.{lab}")) for i, (k, lab) in enumerate(other, 1)]
    else:
        rows.append(("other", (_R, _OTHER)))
    rows += [("total_handled", (_R, "（七）总计")), ("carried_forward", ("四、结转下年度继续办理",))]
    return rows


BALANCE_KEYS = ("new", "carried_over", "total_handled", "carried_forward")


def result_keys(template: str) -> list[str]:
    return [k for k, _ in t3_rows(template) if k not in BALANCE_KEYS]


# Table 二: (item, [(column key, column label)], [(row key, row label)])
T2_2019 = [
    (
        "（一）",
        [
            ("new_made", "本年新制作数量"),
            ("new_published", "本年新公开数量"),
            ("total_published", "对外公开总数量"),
        ],
        [("regulations", "规章"), ("normative_documents", "规范性文件")],
    ),
    (
        "（五）",
        [("previous_items", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")],
        [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")],
    ),
    (
        "（六）",
        [("previous_items", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")],
        [("penalties", "行政处罚"), ("enforcement", "行政强制")],
    ),
    ("（八）", [("previous_items", "上一年项目数量"), ("change", "本年增/减")], [("fees", "行政事业性收费")]),
    (
        "（九）",
        [
            ("procurement_items", "采购项目数量"),
            ("procurement_amount", "采购总金额（单位：万元，保留4位小数）"),
        ],
        [("procurement", "政府集中采购")],
    ),
]
T2_2021 = [
    (
        "（一）",
        [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")],
        [("regulations", "规章"), ("normative_documents", "行政规范性文件")],
    ),
    ("（五）", [("decisions", "本年处理决定数量")], [("licensing", "行政许可")]),
    ("（六）", [("decisions", "本年处理决定数量")], [("penalties", "行政处罚"), ("enforcement", "行政强制")]),
    ("（八）", [("fee_amount", "本年收费金额（单位：万元）")], [("fees", "行政事业性收费")]),
]
MONEY_COLUMNS = {"procurement_amount", "fee_amount"}


# ------------------------------------------------------------------ values


@dataclass(frozen=True)
class Cell:
    """One printed value cell: its text and what a reader must make of it."""

    text: str
    value: Number | None
    unit: str = "件"
    qualifier: str = ""


@dataclass
class Expect:
    value: Number | None
    unit: str = "件"
    qualifier: str = ""
    line: int | None = None  # None: not checked (HTML has no line numbers of its own)


@dataclass
class Spec:
    """A report's content, independent of its layout."""

    county: str
    agency: str
    year: int
    template: str  # 2019 | 2021
    t2: list[tuple[str, list[tuple[str, str]], list[tuple[str, str, list[Cell]]]]]
    t3: dict[str, tuple[int, ...]]  # row key -> 7 numbers (6 applicant types + 总计)
    t3_blank: set[str]  # all-zero rows printed as empty cells (not in the glued layout)
    t4: tuple[int, ...]  # 15 numbers
    paragraphs: list[tuple[str, list[tuple[Number, str, str]]]]  # (text, stated numbers) per section 一
    closing: list[tuple[str, list[tuple[Number, str, str]]]]  # sections 五, 六 and page furniture
    style: dict[str, object] = field(default_factory=dict)


@dataclass
class Synth:
    layout: str
    name: str
    data: bytes
    spec: Spec
    expect: dict[Key, Expect]
    prose: list[tuple[Number, str, str]]

    encoding: str = "utf-8"  # of `data`: utf-8 | utf-8-sig | gb18030

    @property
    def text(self) -> str:
        return self.data.decode(self.encoding)

    @property
    def cells(self) -> dict[Key, Number | None]:
        return {k: e.value for k, e in self.expect.items()}

    @property
    def agency(self) -> str:
        return self.spec.agency

    @property
    def year(self) -> int:
        return self.spec.year

    @property
    def template(self) -> str:
        return self.spec.template


_AMBIGUOUS = [0, 0, 0, 1, 1, 2, 10, 10, 11, 20, 100, 101]


def _count(rng: random.Random, scale: int, p: float = 0.35) -> int:
    """Mostly 0; otherwise small, now and then up to `scale`."""
    if scale == 0 or rng.random() > p:
        return 0
    if rng.random() < 0.75:
        return rng.randint(1, min(9, scale))
    return rng.randint(1, scale)


def random_spec(
    rng: random.Random,
    template: str | None = None,
    *,
    scale: int | None = None,
    counties: list[str] | None = None,
    style: dict[str, object] | None = None,
    ambiguous: bool = False,
) -> Spec:
    """A random report. `scale` bounds the application counts (0: none at all); `style` fixes
    rendering choices: paren (（ | ( | ") "), nonprofit (社会公益组织 | 社会组织), title_spaces,
    title_du, group_own_line (glued), encoding (utf-8 | utf-8-sig | gb18030), newline,
    item_number (1. | 1、 | 1． | （1） | "1. "), misplaced (tab), pipe_stream (pipe), t2_plain (glued).
    `ambiguous` draws numbers whose digits, run together, often admit several readings even
    under the table's arithmetic (one result row, nothing carried, counts like 1, 10, 11)."""
    template = template or rng.choice(["2019", "2021"])
    year = rng.choice([2019, 2020, 2020, 2021] if template == "2019" else [2021, 2022, 2023, 2024])
    county = rng.choice(counties or COUNTIES)
    agency = county + rng.choice(BUREAUS)
    if scale is None:
        scale = rng.choice([0, 3, 9, 9, 30, 30, 120, 600])

    # table 三: per applicant column, results first; 一 then follows from 一+二 = 三+四
    rows = t3_rows(template)
    results = result_keys(template)
    weights = [1.0, 0.5, 0.1, 0.1, 0.15, 0.3]  # natural persons ask most
    # many small agencies answer every request the same way: one or two result rows only
    only = (
        set(rng.sample(["granted", "granted", "partial", "unable.not_held", results[-1]], rng.randint(1, 2)))
        if rng.random() < 0.3
        else None
    )
    cols: dict[str, list[int]] = {k: [] for k, _ in rows}
    for w in weights:
        s = max(0, round(scale * w)) if scale else 0
        res = {
            k: _count(rng, s, 0.5 if k in ("granted", "unable.not_held", "partial") else 0.12)
            for k in results
        }
        if only is not None:
            res = {k: (v if k in only else 0) for k, v in res.items()}
        if ambiguous:
            res = {k: 0 for k in results}
            res[results[0] if rng.random() < 0.7 else rng.choice(results)] = rng.choice(_AMBIGUOUS)
        handled = sum(res.values())
        forward = _count(rng, max(1, s // 4), 0.25) if s and not ambiguous else 0
        carried = (
            rng.randint(0, handled + forward)
            if (handled + forward) and rng.random() < 0.4 and not ambiguous
            else 0
        )
        new = handled + forward - carried
        for k in results:
            cols[k].append(res[k])
        cols["new"].append(new)
        cols["carried_over"].append(carried)
        cols["total_handled"].append(handled)
        cols["carried_forward"].append(forward)
    t3 = {k: tuple(v) + (sum(v),) for k, v in cols.items()}
    t3_blank = (
        {k for k, v in t3.items() if k in results and not any(v) and rng.random() < 0.25}
        if rng.random() < 0.4
        else set()
    )

    t4: list[int] = []
    for _ in T4_GROUPS:
        parts = [_count(rng, 3 if scale < 30 else 12, 0.15) for _ in range(4)]
        if ambiguous:
            parts = [rng.choice(_AMBIGUOUS) if rng.random() < 0.3 else 0 for _ in range(4)]
        t4 += parts + [sum(parts)]

    t2 = _t2_values(rng, template)
    paragraphs, closing = _narrative(rng, agency, year, t3, t4)
    overrides, style = (
        style,
        {
            "paren": rng.choice(["（", "(", ") "]),
            "nonprofit": rng.choice(["社会公益组织", "社会公益组织", "社会组织"]),
            "title_spaces": rng.random() < 0.2,
            "group_own_line": rng.random() < 0.5,
            "encoding": rng.choices(["utf-8", "gb18030", "utf-8-sig"], [7, 2, 1])[0],
            "newline": "\r\n" if rng.random() < 0.15 else "\n",
            "title_du": rng.random() < 0.2,  # 2020年度政府信息公开工作年度报告
            "item_number": rng.choice(
                ["1.", "1.", "1、", "1．", "（1）", "1. "]
            ),  # how sub-items are numbered
            "misplaced": rng.random()
            < 0.3,  # tab: some labels printed in another label column (as samples/003)
            "t2_plain": False,  # glued: table 二 as plain lines with spaces too (only when asked for)
        },
    )
    style.update(overrides or {})
    return Spec(county, agency, year, template, t2, t3, t3_blank, tuple(t4), paragraphs, closing, style)


def _money(rng: random.Random) -> Cell:
    if rng.random() < 0.3:
        return Cell("0", 0, "万元")
    decimals = rng.choice([0, 1, 2, 4, 4])
    v = rng.randint(1, 9_999_999) / 10**4
    text = f"{v:.{decimals}f}" if decimals else str(max(1, round(v)))
    glued_unit = rng.random() < 0.15
    value = float(text) if "." in text else int(text)
    return Cell(text + ("万元" if glued_unit else ""), value, "万元")


def _plain(rng: random.Random, value: int, unit_ok: bool = True) -> Cell:
    if value >= 1000 and rng.random() < 0.2:
        return Cell(f"{value:,}", value)
    if unit_ok and value and rng.random() < 0.08:
        unit = rng.choice(["件", "项", "个"])
        return Cell(f"{value}{unit}", value, unit)
    return Cell(str(value), value)


def _t2_values(rng: random.Random, template: str) -> list:
    blocks = []
    for item, columns, rows in T2_2019 if template == "2019" else T2_2021:
        out_rows = []
        for rkey, rlabel in rows:
            big = rkey in ("licensing", "other_services", "penalties") and rng.random() < 0.5
            cells: list[Cell] = []
            for ckey, _ in columns:
                if ckey in MONEY_COLUMNS:
                    cells.append(_money(rng))
                elif ckey == "change":
                    prev = int(cells[0].value or 0)
                    change = rng.randint(-min(prev, 5), 5) if rng.random() < 0.4 else 0
                    cells.append(Cell(str(change), change))
                elif ckey == "decisions" and big:
                    cells.append(_plain(rng, rng.randint(0, 300_000)))
                elif ckey in ("total_published", "in_force"):
                    cells.append(
                        _plain(rng, (cells[1].value or 0) + rng.randint(0, 40) if rng.random() < 0.6 else 0)
                    )
                else:
                    cells.append(
                        _plain(
                            rng,
                            _count(
                                rng,
                                60 if ckey in ("previous_items", "decisions", "procurement_items") else 8,
                                0.5,
                            ),
                        )
                    )
            out_rows.append((rkey, rlabel, cells))
        blocks.append((item, columns, out_rows))
    return blocks


def _narrative(rng: random.Random, agency: str, year: int, t3: dict, t4: tuple) -> tuple[list, list]:
    """Paragraphs of section 一 and of 五/六, each with the numbers it states (value, unit, qualifier)."""
    a, b = rng.randint(20, 3000), rng.randint(5, 900)
    c, d = rng.randint(2, 60), rng.randint(1, 30)
    p1 = (
        f"（一）主动公开情况。{year}年，我局共主动公开政府信息{a}条，其中通过政府网站公开{b}条，"
        f"通过政务新媒体发布信息{c}余篇，解读政策文件{d}篇，公开内容涵盖“5·15政务公开日”等专题。",
        [(a, "条", ""), (b, "条", ""), (c, "篇", "more_than"), (d, "篇", "")],
    )
    new, carried = t3["new"][6], t3["carried_over"][6]
    if new:
        p2 = (
            f"（二）依申请公开情况。{year}年，我局共收到政府信息公开申请{new}件，上年结转{carried}件，均在法定期限内予以答复。",
            [(new, "件", ""), (carried, "件", "")],
        )
    else:
        p2 = (f"（二）依申请公开情况。{year}年，我局未收到政府信息公开申请。", [(0, "件", "negation")])
    cases = t4[4] + t4[9] + t4[14]
    if cases:
        p2b = (
            f"全年因政府信息公开引起行政复议{t4[4]}件、行政诉讼{t4[9] + t4[14]}件。",
            [(t4[4], "件", ""), (t4[9] + t4[14], "件", "")],
        )
    else:
        p2b = ("全年未发生政府信息公开行政复议、行政诉讼案件。", [(0, "件", "negation")])
    t, p = rng.randint(1, 12), rng.randint(10, 400)
    p3 = (
        f"（三）政府信息管理。严格落实保密审查制度，组织开展政务公开业务培训{t}次，参训人员{p}人次。",
        [(t, "次", ""), (p, "人次", "")],
    )
    k = rng.randint(1, 9)
    money = round(rng.randint(1, 500) / 10, 1)
    p4 = (
        f"（四）政府信息公开平台建设。目前共运营政务新媒体账号{k}个，全年投入平台维护经费{money}万元。",
        [(k, "个", ""), (money, "万元", "")],
    )
    e, f, g = rng.randint(1, 6), rng.randint(20, 900), rng.randint(2, 30)
    p5 = (
        f"（五）监督保障。开展政务公开日活动{e}场，组织{g}多名工作人员发放宣传资料{f}余份，按照国办公开办函〔2021〕30号要求做好年报编制。",
        [(e, "场", ""), (g, "名", "more_than"), (f, "份", "more_than")],
    )
    section1 = [p1, (p2[0] + p2b[0], p2[1] + p2b[1]), p3, p4, p5]
    fee = rng.choice([0, 0, rng.randint(1, 900)])
    closing = [
        (
            "一是政策解读的形式还不够丰富；二是基层政务公开标准化规范化工作有待加强。下一步，我局将持续改进。",
            [],
        ),
        (f"本年度依据《政府信息公开信息处理费管理办法》共收取信息处理费{fee}元。", [(fee, "元", "")]),
        ("联系电话：0394-8123456", []),
        (f"填报日期：{year + 1}年1月{rng.randint(10, 28)}日", []),
    ]
    return section1, closing


# ------------------------------------------------------------------ glued rows: the readings


def digit_cuts(digits: str, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to cut a run of digits into `parts` numbers, none with a leading zero."""

    @cache
    def go(i: int, k: int) -> tuple[tuple[int, ...], ...]:
        rest = len(digits) - i
        if k == 0:
            return ((),) if rest == 0 else ()
        if rest < k:
            return ()
        out = []
        max_len = 1 if digits[i] == "0" else rest - (k - 1)
        for ln in range(1, max_len + 1):
            head = int(digits[i : i + ln])
            out.extend((head,) + tail for tail in go(i + ln, k - 1))
        return tuple(out)

    yield from go(0, parts)


def row_readings(digits: str, parts: int = 7) -> list[tuple[int, ...]]:
    """Readings of a glued row whose last number is the sum of the others."""
    return [s for s in digit_cuts(digits, parts) if sum(s[:-1]) == s[-1]]


def t4_readings(digits: str) -> list[tuple[int, ...]]:
    """Readings of a glued 表四 row: three groups of five, four results then their 总计."""

    @cache
    def go(i: int, g: int) -> tuple[tuple[int, ...], ...]:
        if g == 3:
            return ((),) if i == len(digits) else ()
        out = []
        for j in range(i + 5, len(digits) - 5 * (2 - g) + 1):
            for head in row_readings(digits[i:j], 5):
                out.extend(head + tail for tail in go(j, g + 1))
        return tuple(out)

    return list(go(0, 0))


def t3_feasible(
    options: dict[str, list[tuple[int, ...]]], results: list[str]
) -> dict[str, set[tuple[int, ...]]]:
    """For each row of table 三, the readings that occur in some reading of the whole table that
    satisfies 一+二 = (七)总计+四 and Σ sub-rows of 三 = (七)总计 in every column.

    Exhaustive but not by brute product: the four balance rows are enumerated, and the sub-rows
    by forward/backward sets of partial column sums (values are never negative)."""
    feasible: dict[str, set[tuple[int, ...]]] = {k: set() for k in options}

    def add(x: tuple[int, ...], y: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(p + q for p, q in zip(x, y))

    for n in options["new"]:
        for c in options["carried_over"]:
            for t in options["total_handled"]:
                for f in options["carried_forward"]:
                    if add(n, c) != add(t, f):
                        continue
                    rows = [options[k] for k in results]
                    fwd: list[set[tuple[int, ...]]] = [{(0,) * 7}]
                    for opts in rows:
                        reach = set()
                        for s in fwd[-1]:
                            for o in opts:
                                s2 = add(s, o)
                                if all(v <= cap for v, cap in zip(s2, t)):
                                    reach.add(s2)
                        fwd.append(reach)
                    if t not in fwd[-1]:
                        continue
                    bwd: list[set[tuple[int, ...]]] = [set() for _ in rows] + [{t}]
                    for i in range(len(rows) - 1, -1, -1):
                        bwd[i] = {s for s in fwd[i] if any(add(s, o) in bwd[i + 1] for o in rows[i])}
                    for i, k in enumerate(results):
                        feasible[k] |= {o for o in rows[i] if any(add(s, o) in bwd[i + 1] for s in bwd[i])}
                    for k, v in (
                        ("new", n),
                        ("carried_over", c),
                        ("total_handled", t),
                        ("carried_forward", f),
                    ):
                        feasible[k].add(v)
    return feasible


# ------------------------------------------------------------------ rendering helpers


class _Out:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: str = "") -> int:
        self.lines.append(line)
        return len(self.lines)

    @property
    def next(self) -> int:
        return len(self.lines) + 1


def _paren(text: str, style: str) -> str:
    """（一） as printed: full-width, half-width `(一)`, or half-width with a space after `(一) `."""
    if style == "（":
        return text
    return text.replace("（", "(").replace("）", ")" if style == "(" else ") ")


def _item_number(label: str, style: str) -> str:
    """`1.属于国家秘密` numbered as the report numbers its sub-items: 1、 1． （1） `1. `."""
    m = re.match(r"^(\d+)\.", label)
    if not m or style == "1.":
        return label
    n, rest = m.group(1), label[m.end() :]
    return {"1、": f"{n}、", "1．": f"{n}．", "（1）": f"（{n}）", "1. ": f"{n}. "}[style] + rest


def _t3_labels(spec: Spec) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(key, full path, printed path): merged labels only on the first row they cover."""
    out, prev = [], ()
    style = str(spec.style.get("paren", "（"))
    numbering = str(spec.style.get("item_number", "1."))
    for key, path in t3_rows(spec.template):
        path = tuple(_paren(_item_number(p, numbering), style) for p in path)
        printed = tuple(p if path[: i + 1] != prev[: i + 1] else "" for i, p in enumerate(path))
        out.append((key, path, printed))
        prev = path
    return out


def _t3_cells(spec: Spec, key: str, allow_blank: bool = True) -> list[Cell]:
    values = spec.t3[key]
    if key in spec.t3_blank and allow_blank:
        return [Cell("", None, "件", "empty") for _ in values]
    return [Cell(str(v), v) for v in values]


def _t3_header(spec: Spec) -> list[str]:
    return [
        "自然人",
        "商业企业",
        "科研机构",
        str(spec.style.get("nonprofit", "社会公益组织")),
        "法律服务机构",
        "其他",
        "总计",
    ]


T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T4_PARTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def _t2_item(item: str, style: str) -> str:
    return _paren(f"第二十条第{item}项", style).replace(") ", ")")


def _expect_t2(
    expect: dict[Key, Expect],
    rkey: str,
    columns: list[tuple[str, str]],
    cells: list[Cell],
    lines: list[int | None],
) -> None:
    for (ckey, _), cell, line in zip(columns, cells, lines):
        unit = cell.unit if cell.unit != "件" or ckey not in MONEY_COLUMNS else "万元"
        expect[("t2", rkey, ckey)] = Expect(cell.value, unit, cell.qualifier, line)


def _expect_cells(
    expect: dict[Key, Expect],
    table: str,
    row: str,
    columns: list[str],
    cells: list[Cell],
    lines: list[int | None],
) -> None:
    for col, cell, line in zip(columns, cells, lines):
        expect[(table, row, col)] = Expect(cell.value, cell.unit, cell.qualifier, line)


def _title(spec: Spec) -> str:
    du = "度" if spec.style.get("title_du") else ""
    if spec.style.get("title_spaces"):
        return f"{spec.agency} {spec.year} 年{du}政府信息公开 工作年度报告"
    return f"{spec.agency}{spec.year}年{du}政府信息公开工作年度报告"


SECTIONS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


def _intro(spec: Spec) -> str:
    return (
        f"本报告根据《中华人民共和国政府信息公开条例》要求，由{spec.agency}编制。报告中所列数据的统计期限自"
        f"{spec.year}年1月1日起至{spec.year}年12月31日止。如对本报告有疑问，请与{spec.agency}办公室联系。"
    )


def _text_report(spec: Spec, tables, expect: dict[Key, Expect], md: bool = False) -> tuple[str, list]:
    """The whole report as lines; `tables(out, section)` prints the table of sections 二, 三, 四."""
    out = _Out()
    h1, h2 = ("# ", "## ") if md else ("", "")
    out.add()
    out.add(h1 + _title(spec))
    out.add()
    out.add(_intro(spec))
    out.add()
    out.add(h2 + SECTIONS[0])
    prose = []
    for text, numbers in spec.paragraphs:
        out.add(text)
        prose += numbers
    for s in (1, 2, 3):
        out.add()
        out.add(h2 + SECTIONS[s])
        out.add()
        tables(out, s)
    for i, (text, numbers) in enumerate(spec.closing):
        if i in (0, 1):
            out.add()
            out.add(h2 + SECTIONS[4 + i])
        out.add(text)
        prose += numbers
    return "\n".join(out.lines) + "\n", prose


# ------------------------------------------------------------------ layout (a): tab-separated


def _render_tab(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    style = str(spec.style["paren"])

    def t2(out: _Out) -> None:
        for item, columns, rows in spec.t2:
            width = max(3, len(columns))
            out.add(_t2_item(item, style) + "\t" * width)
            out.add("\t".join(["信息内容"] + [c for _, c in columns] + [""] * (width - len(columns))))
            for rkey, rlabel, cells in rows:
                texts = [c.text for c in cells]
                if rng.random() < 0.15:
                    texts = [""] + texts  # a merged label column: every number one cell to the right
                line = out.add("\t".join([rlabel] + texts + [""] * (width - len(cells))))
                _expect_t2(expect, rkey, columns, cells, [line] * len(cells))

    def t3(out: _Out) -> None:
        header = _t3_header(spec)
        out.add(T3_NOTE + "\t申请人情况" + "\t" * 6)
        out.add("\t自然人\t法人或其他组织\t\t\t\t\t总计")
        out.add("\t\t" + "\t".join(header[1:6]) + "\t")
        for key, _path, printed in _t3_labels(spec):
            labels = list(printed)
            if rng.random() < 0.3:
                labels += [""] * (3 - len(labels))  # merged label columns printed as empty cells
            if spec.style.get("misplaced") and rng.random() < 0.15 and not any(labels[:-1]):
                # the label slips into another label column: `5.要求…⇥⇥0⇥…` or `⇥⇥(六) 其他处理⇥0⇥…`
                labels = [labels[-1], ""] if len(labels) == 3 else ["", "", labels[-1]]
            cells = _t3_cells(spec, key)
            texts = [c.text for c in cells]
            r = rng.random()
            if r < 0.12:
                texts = [""] + texts
            elif r < 0.2:
                texts = texts + [""]
            line = out.add("\t".join(labels + texts))
            _expect_cells(expect, "t3", key, T3_COLUMNS, cells, [line] * 7)

    def t4(out: _Out) -> None:
        out.add("行政复议" + "\t" * 5 + "行政诉讼" + "\t" * 9)
        out.add("\t".join(T4_PARTS[:4]) + "\t总计\t未经复议直接起诉" + "\t" * 5 + "复议后起诉" + "\t" * 4)
        out.add("\t" * 5 + "\t".join(T4_PARTS * 2))
        cells = [Cell(str(v), v) for v in spec.t4]
        line = out.add("\t".join(c.text for c in cells))
        _expect_t4(expect, cells, [line] * 15)

    return _text_report(spec, lambda out, s: (t2, t3, t4)[s - 1](out), expect)


def _expect_t4(expect: dict[Key, Expect], cells: list[Cell], lines: list) -> None:
    for g, group in enumerate(T4_GROUPS):
        _expect_cells(expect, "t4", group, T4_COLUMNS, cells[g * 5 : g * 5 + 5], lines[g * 5 : g * 5 + 5])


# ------------------------------------------------------------------ layout (b): one cell per line


def _wrap(out: _Out, text: str, rng: random.Random, p: float = 0.25) -> int:
    """`⇥text`, sometimes with its last characters wrapped onto the next line without the tab."""
    tail = 0
    if len(text) >= 3 and rng.random() < p:
        tail = rng.randint(1, min(3, len(text) - 1))
        if any(ch.isdigit() or ch in "（）() " for ch in text[-tail:]) or text[-tail - 1] == " ":
            tail = 0
    if not tail:
        return out.add("\t" + text)
    line = out.add("\t" + text[:-tail])
    out.add(text[-tail:])
    return line


def _render_cell(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    style = str(spec.style["paren"])

    def t2(out: _Out) -> None:
        for item, columns, rows in spec.t2:
            out.add("\t" + _t2_item(item, style))
            out.add()
            _wrap(out, "信息内容", rng)
            for _, c in columns:
                _wrap(out, c, rng)
            out.add()
            for rkey, rlabel, cells in rows:
                _wrap(out, rlabel, rng)
                lines = [out.add("\t" + c.text) for c in cells]
                _expect_t2(expect, rkey, columns, cells, lines)
                out.add()
        out.add()

    def t3(out: _Out) -> None:
        header = _t3_header(spec)
        out.add("\t" + T3_NOTE.replace("（", "(").replace("）", ")").replace("：", ":").replace("，", ","))
        out.add("\t申请人情况")
        out.add()
        for text in ["", "自然人", "法人或其他组织", "总计"]:
            _wrap(out, text, rng) if text else out.add("\t")
        out.add()
        out.add("\t")
        out.add("\t")
        for text in header[1:6]:
            _wrap(out, text, rng)
        out.add("\t")
        out.add()
        for key, _path, printed in _t3_labels(spec):
            for label in printed:
                _wrap(out, label, rng) if label else out.add("\t")
            cells = _t3_cells(spec, key)
            lines = [out.add("\t" + c.text) for c in cells]
            _expect_cells(expect, "t3", key, T3_COLUMNS, cells, lines)
            out.add()
        out.add()

    def t4(out: _Out) -> None:
        out.add("\t行政复议")
        out.add("\t行政诉讼")
        out.add()
        for text in T4_PARTS + ["未经复议直接起诉", "复议后起诉"]:
            _wrap(out, text, rng)
        out.add()
        for _ in range(5):
            out.add("\t")
        for text in T4_PARTS * 2:
            _wrap(out, text, rng)
        out.add()
        cells = [Cell(str(v), v) for v in spec.t4]
        lines = [out.add("\t" + c.text) for c in cells]
        _expect_t4(expect, cells, lines)
        out.add()

    return _text_report(spec, lambda out, s: (t2, t3, t4)[s - 1](out), expect)


# ------------------------------------------------------------------ layout (c): `|`-terminated cells


def _render_pipe(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    """One table row per line (`规章 | 0 | 0 | 0 |`), or with style pipe_stream one cell per line
    as samples/004 prints its indicator table (`规章 |` / `0 |` / …; no empty cells then, since a
    lone empty cell cannot be printed that way)."""
    style = str(spec.style["paren"])
    stream = bool(spec.style.get("pipe_stream"))

    def row(out: _Out, cells: list[str]) -> list[int]:
        """Print a row; the line of each cell."""
        if not stream:
            return [out.add(" | ".join(cells) + " |")] * len(cells)
        return [out.add(c + " |") for c in cells if c]

    def shift(texts: list[str]) -> list[str]:
        return [""] + texts if not stream and rng.random() < 0.1 else texts

    def t2(out: _Out) -> None:
        for item, columns, rows in spec.t2:
            row(out, [_t2_item(item, style)])
            row(out, ["信息内容"] + [c for _, c in columns])
            for rkey, rlabel, cells in rows:
                lines = row(out, [rlabel] + shift([c.text for c in cells]))
                _expect_t2(expect, rkey, columns, cells, lines[-len(cells) :])

    def t3(out: _Out) -> None:
        header = _t3_header(spec)
        row(out, [T3_NOTE, "申请人情况"])
        row(out, ["自然人", "法人或其他组织", "总计"])
        row(out, header[1:6])
        for key, _path, printed in _t3_labels(spec):
            cells = _t3_cells(spec, key, allow_blank=not stream)
            lines = row(out, [p for p in printed if p] + shift([c.text for c in cells]))
            _expect_cells(expect, "t3", key, T3_COLUMNS, cells, lines[-7:])

    def t4(out: _Out) -> None:
        row(out, ["行政复议", "行政诉讼"])
        row(out, T4_PARTS + ["未经复议直接起诉", "复议后起诉"])
        row(out, T4_PARTS * 2)
        cells = [Cell(str(v), v) for v in spec.t4]
        _expect_t4(expect, cells, row(out, [c.text for c in cells]))

    return _text_report(spec, lambda out, s: (t2, t3, t4)[s - 1](out), expect)


# ------------------------------------------------------------------ layout (e): glued digits


def _render_glued(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    """Tables 三 and 四 as plain lines of text with the numbers run together (a PDF's text layer);
    table 二 tab-separated, or with style t2_plain as plain lines with spaces (`规章 0 0 0`)."""
    own_line = bool(spec.style.get("group_own_line"))

    def t2(out: _Out) -> None:
        if not spec.style.get("t2_plain"):
            _render_tab_t2(spec, rng, expect, out)
            return
        paren = str(spec.style["paren"])
        for item, columns, rows in spec.t2:
            out.add(_t2_item(item, paren))
            out.add(" ".join(["信息内容"] + [c for _, c in columns]))
            for rkey, rlabel, cells in rows:
                line = out.add(" ".join([rlabel] + [c.text for c in cells]))
                _expect_t2(expect, rkey, columns, cells, [line] * len(cells))

    def t3(out: _Out) -> None:
        header = _t3_header(spec)
        out.add(T3_NOTE)
        out.add("申请人情况")
        out.add("自然人 法人或其他组织 总计")
        out.add(" ".join(header[1:6]))
        options: dict[str, list[tuple[int, ...]]] = {}
        lines: dict[str, int] = {}
        glued: set[str] = set()
        for key, _path, printed in _t3_labels(spec):
            values = spec.t3[key]
            labels = [p for p in printed if p]
            if own_line:
                for p in labels[:-1]:
                    out.add(p)
                labels = labels[-1:]
            label = " ".join(labels)
            if rng.random() < 0.85:
                digits = "".join(map(str, values))
                lines[key] = out.add(label + digits)
                options[key] = row_readings(digits)
                glued.add(key)
            else:
                lines[key] = out.add(label + " " + " ".join(map(str, values)))
                options[key] = [values]
        feasible = t3_feasible(options, result_keys(spec.template))
        for key, values in spec.t3.items():
            assert values in feasible[key], (key, values)
            if key not in glued:
                cells = [Cell(str(v), v) for v in values]
            elif len(feasible[key]) == 1:
                cells = [Cell(str(v), v, "件", "split") for v in values]
            else:
                cells = [Cell("", None, "件", "unresolved") for _ in values]
            _expect_cells(expect, "t3", key, T3_COLUMNS, cells, [lines[key]] * 7)

    def t4(out: _Out) -> None:
        out.add("行政复议 行政诉讼")
        out.add(" ".join(T4_PARTS) + " 未经复议直接起诉 复议后起诉")
        out.add(" ".join(T4_PARTS * 2))
        digits = "".join(map(str, spec.t4))
        line = out.add(digits)
        readings = t4_readings(digits)
        assert spec.t4 in readings
        if len(readings) == 1:
            cells = [Cell(str(v), v, "件", "split") for v in spec.t4]
        else:
            cells = [Cell("", None, "件", "unresolved") for _ in spec.t4]
        _expect_t4(expect, cells, [line] * 15)

    return _text_report(spec, lambda out, s: (t2, t3, t4)[s - 1](out), expect)


def _render_tab_t2(spec: Spec, rng: random.Random, expect: dict[Key, Expect], out: _Out) -> None:
    style = str(spec.style["paren"])
    for item, columns, rows in spec.t2:
        width = max(3, len(columns))
        out.add(_t2_item(item, style) + "\t" * width)
        out.add("\t".join(["信息内容"] + [c for _, c in columns] + [""] * (width - len(columns))))
        for rkey, rlabel, cells in rows:
            line = out.add("\t".join([rlabel] + [c.text for c in cells] + [""] * (width - len(cells))))
            _expect_t2(expect, rkey, columns, cells, [line] * len(cells))


# ------------------------------------------------------------------ layout (d): HTML


def _td(text: str, colspan: int = 1, rowspan: int = 1) -> str:
    attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + (
        f' rowspan="{rowspan}"' if rowspan > 1 else ""
    )
    return f"<td{attrs}>{_html.escape(text)}</td>"


def _render_html(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    style = str(spec.style["paren"])
    e = _html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{e(_title(spec))}_{e(spec.county)}人民政府</title></head><body>",
        '<div class="nav">首页 &gt; 政务公开 &gt; 政府信息公开年报</div>',
        f'<div class="article"><h1>{e(_title(spec))}</h1>',
        f"<p>{e(_intro(spec))}</p>",
        f"<h2>{e(SECTIONS[0])}</h2>",
    ]
    prose = []
    for text, numbers in spec.paragraphs:
        parts.append(f"<p>{e(text)}</p>")
        prose += numbers

    # 表二: one table, sub-tables under a full-width item row
    width = 4
    t2 = ['<table border="1" cellspacing="0">']
    for item, columns, rows in spec.t2:
        t2.append("<tr>" + _td(_t2_item(item, style), width) + "</tr>")
        span = width - 1 - len(columns)  # the last column spans what is left
        t2.append(
            "<tr>"
            + _td("信息内容")
            + "".join(_td(c, 1 + (span if i == len(columns) - 1 else 0)) for i, (_, c) in enumerate(columns))
            + "</tr>"
        )
        for rkey, rlabel, cells in rows:
            t2.append(
                "<tr>"
                + _td(rlabel)
                + "".join(_td(c.text, 1 + (span if i == len(cells) - 1 else 0)) for i, c in enumerate(cells))
                + "</tr>"
            )
            _expect_t2(expect, rkey, columns, cells, [None] * len(cells))
    t2.append("</table>")

    # 表三: merged labels as rowspan/colspan, a 3-row header
    header = _t3_header(spec)
    t3 = [
        '<table border="1" cellspacing="0">',
        "<tr>" + _td(T3_NOTE, 3, 3) + _td("申请人情况", 7) + "</tr>",
        "<tr>" + _td("自然人", 1, 2) + _td("法人或其他组织", 5) + _td("总计", 1, 2) + "</tr>",
        "<tr>" + "".join(_td(h) for h in header[1:6]) + "</tr>",
    ]
    labels = _t3_labels(spec)
    for i, (key, path, printed) in enumerate(labels):
        tds = []
        for level, text in enumerate(printed):
            if not text:
                continue
            rowspan = 1
            for _, later, _ in labels[i + 1 :]:
                if later[: level + 1] != path[: level + 1]:
                    break
                rowspan += 1
            colspan = 3 - len(path) + 1 if level == len(path) - 1 else 1
            tds.append(_td(text, colspan, rowspan))
        cells = _t3_cells(spec, key)
        t3.append("<tr>" + "".join(tds) + "".join(_td(c.text) for c in cells) + "</tr>")
        _expect_cells(expect, "t3", key, T3_COLUMNS, cells, [None] * 7)
    t3.append("</table>")

    # 表四
    t4 = [
        '<table border="1" cellspacing="0">',
        "<tr>" + _td("行政复议", 5) + _td("行政诉讼", 10) + "</tr>",
        "<tr>"
        + "".join(_td(p, 1, 2) for p in T4_PARTS)
        + _td("未经复议直接起诉", 5)
        + _td("复议后起诉", 5)
        + "</tr>",
        "<tr>" + "".join(_td(p) for p in T4_PARTS * 2) + "</tr>",
    ]
    cells = [Cell(str(v), v) for v in spec.t4]
    t4.append("<tr>" + "".join(_td(c.text) for c in cells) + "</tr></table>")
    _expect_t4(expect, cells, [None] * 15)

    for s, table in ((1, t2), (2, t3), (3, t4)):
        parts.append(f"<h2>{e(SECTIONS[s])}</h2>")
        parts.append("\n".join(table))
    for i, (text, numbers) in enumerate(spec.closing):
        if i in (0, 1):
            parts.append(f"<h2>{e(SECTIONS[4 + i])}</h2>")
        parts.append(f"<p>{e(text)}</p>")
        prose += numbers
    parts.append(
        "</div><div "
        f'class="footer">版权所有：{e(spec.county)}人民政府　网站标识码4114260001</div></body></html>'
    )
    return "\n".join(parts) + "\n", prose


# ------------------------------------------------------------------ layout (f): Markdown pipe tables


def _render_md(spec: Spec, rng: random.Random, expect: dict[Key, Expect]) -> tuple[str, list]:
    style = str(spec.style["paren"])

    def row(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    def rule(n: int) -> str:
        return "|" + "|".join([" --- "] * n) + "|"

    def t2(out: _Out) -> None:
        for item, columns, rows in spec.t2:
            width = 1 + len(columns)
            out.add(row([_t2_item(item, style)] + [""] * (width - 1)))
            out.add(rule(width))
            out.add(row(["信息内容"] + [c for _, c in columns]))
            for rkey, rlabel, cells in rows:
                line = out.add(row([rlabel] + [c.text for c in cells]))
                _expect_t2(expect, rkey, columns, cells, [line] * len(cells))
            out.add()

    def t3(out: _Out) -> None:
        header = _t3_header(spec)
        out.add(row([T3_NOTE, "", "", "申请人情况"] + [""] * 6))
        out.add(rule(10))
        out.add(row(["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"]))
        out.add(row(["", "", "", ""] + header[1:6] + [""]))
        for key, _path, printed in _t3_labels(spec):
            labels = list(printed) + [""] * (3 - len(printed))
            cells = _t3_cells(spec, key)
            line = out.add(row(labels + [c.text for c in cells]))
            _expect_cells(expect, "t3", key, T3_COLUMNS, cells, [line] * 7)
        out.add()

    def t4(out: _Out) -> None:
        out.add(row(["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9))
        out.add(rule(15))
        out.add(row(T4_PARTS + ["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""]))
        out.add(row([""] * 5 + T4_PARTS * 2))
        cells = [Cell(str(v), v) for v in spec.t4]
        line = out.add(row([c.text for c in cells]))
        _expect_t4(expect, cells, [line] * 15)
        out.add()

    return _text_report(spec, lambda out, s: (t2, t3, t4)[s - 1](out), expect, md=True)


_RENDERERS = {
    "tab": _render_tab,
    "cell": _render_cell,
    "pipe": _render_pipe,
    "html": _render_html,
    "glued": _render_glued,
    "md": _render_md,
}


def render(spec: Spec, layout: str, rng: random.Random) -> Synth:
    expect: dict[Key, Expect] = {}
    text, prose = _RENDERERS[layout](spec, rng, expect)
    ext = {"html": "html", "md": "md", "colspan": "html", "pdfmd": "md"}.get(layout, "txt")
    if layout == "fragment":
        ext = rng.choice(["shtml", "htm", "txt"])  # a page body: sniffed by its suffix or its tags
    name = f"synth_{layout}_{spec.agency}_{spec.year}.{ext}"
    encoding = str(spec.style.get("encoding", "utf-8"))
    if layout == "html" and encoding == "gb18030":
        text = text.replace(
            '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'
        )
    data = text.replace("\n", str(spec.style.get("newline", "\n"))).encode(encoding)
    return Synth(layout, name, data, spec, expect, prose, encoding)


from tests.synth_layouts import PATTERN_RENDERERS, PATTERNS  # noqa: E402  (they build on the helpers above)

_RENDERERS.update(PATTERN_RENDERERS)
LAYOUTS = LAYOUTS + PATTERNS
TEXT_LAYOUTS = TEXT_LAYOUTS + tuple(p for p in PATTERNS if p not in ("fragment", "colspan"))


def generate(rng: random.Random, layout: str | None = None, template: str | None = None, **kw) -> Synth:
    """One random report in one layout (random when not given)."""
    layout = layout or rng.choice(LAYOUTS)
    return render(random_spec(rng, template, **kw), layout, rng)
