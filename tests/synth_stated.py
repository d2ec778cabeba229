"""Reports whose tables were lost: only their narrative states some of the template's figures.

Every cell of a small template (tables 二, 三 and 四) gets a distinct random value; the narrative states
a random choice of them in the wording real reports use (主动公开规章13件, 累计公开规章524件, 另有72件申请
顺延到下年度答复, 被提起行政诉讼3件，其中未经复议直接起诉2件, 直接起诉的案件中尚未审结1件), always
truthfully, and no table is printed. So a question for any cell has one right answer — that cell's
value, when a sentence states it, else none — and every other figure in the text is another cell's.

    from tests.synth_stated import stated_report
    r = stated_report(random.Random(1))
    r.text, r.cells      # the report; {(table, row, column): value}
"""

from __future__ import annotations

import random
from dataclasses import dataclass

Key = tuple[str, str, str]

CELLS: list[Key] = [
    *(
        ("t2", r, c)
        for r in ("regulations", "normative_documents")
        for c in ("new_made", "new_published", "total_published")
    ),
    *(("t2", r, "decisions") for r in ("licensing", "penalties")),
    *(
        ("t3", r, "total")
        for r in ("new", "carried_over", "granted", "partial", "refused", "total_handled", "carried_forward")
    ),
    *(
        ("t4", r, c)
        for r in ("reconsideration", "litigation_direct", "litigation_after")
        for c in ("upheld", "corrected", "other", "pending", "total")
    ),
]

# Sentences of real narratives, each naming the cells whose values fill it, in order.
SENTENCES: list[tuple[str, tuple[Key, ...]]] = [
    (
        "通过门户网站、政府公报等平台主动公开规章{}件，行政规范性文件{}件。",
        (("t2", "regulations", "new_published"), ("t2", "normative_documents", "new_published")),
    ),
    (
        "截至年底，累计对外公开规章{}件、规范性文件{}件。",
        (("t2", "regulations", "total_published"), ("t2", "normative_documents", "total_published")),
    ),
    ("本年新制作规章{}件。", (("t2", "regulations", "new_made"),)),
    (
        "全年作出行政许可决定{}件，行政处罚决定{}件。",
        (("t2", "licensing", "decisions"), ("t2", "penalties", "decisions")),
    ),
    (
        "全年共收到政府信息公开申请{}件，上年结转{}件。",
        (("t3", "new", "total"), ("t3", "carried_over", "total")),
    ),
    (
        "其中予以公开{}件，部分公开{}件，不予公开{}件。",
        (("t3", "granted", "total"), ("t3", "partial", "total"), ("t3", "refused", "total")),
    ),
    (
        "答复政府信息公开申请{}件（另有{}件申请按照《条例》顺延到下年度答复），均在法定期限内予以答复。",
        (("t3", "total_handled", "total"), ("t3", "carried_forward", "total")),
    ),
    (
        "因政府信息公开被申请行政复议{}件，其中结果维持{}件，结果纠正{}件，尚未审结{}件。",
        (
            ("t4", "reconsideration", "total"),
            ("t4", "reconsideration", "upheld"),
            ("t4", "reconsideration", "corrected"),
            ("t4", "reconsideration", "pending"),
        ),
    ),
    (
        "被提起行政诉讼中，未经复议直接起诉{}件，复议后起诉{}件。",
        (("t4", "litigation_direct", "total"), ("t4", "litigation_after", "total")),
    ),
    (
        "直接起诉的案件中法院判决维持{}件，尚未审结{}件。",
        (("t4", "litigation_direct", "upheld"), ("t4", "litigation_direct", "pending")),
    ),
]


@dataclass
class Stated:
    agency: str
    year: int
    text: str
    cells: dict[Key, int]
    stated: set[Key]


def stated_report(rng: random.Random, agency: str = "固始县民政局", year: int = 2020) -> Stated:
    """A report of `agency` whose narrative states a random half of SENTENCES and prints no table."""
    values = rng.sample(range(3, 999), len(CELLS))  # distinct, and never a year or a 1 of 一、
    cells = dict(zip(CELLS, values, strict=True))
    chosen = [s for s in SENTENCES if rng.random() < 0.6]
    rng.shuffle(chosen)
    body = "".join(text.format(*(cells[k] for k in keys)) for text, keys in chosen)
    text = (
        f"{agency}{year}年政府信息公开工作年度报告\n"
        "一、总体情况\n"
        f"{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》。{body}\n"
        "二、主动公开政府信息情况\n（表格见附件）\n"
        "三、收到和处理政府信息公开申请情况\n（表格见附件）\n"
        "四、政府信息公开行政复议、行政诉讼情况\n（表格见附件）\n"
        "五、存在的主要问题及改进情况\n一是公开内容不够丰富。\n"
    )
    return Stated(agency, year, text, cells, {k for _, keys in chosen for k in keys})
