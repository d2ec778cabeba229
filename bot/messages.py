"""Every sentence the bot says, in Chinese and English, kept together as data.

`answer()` returns an Answer whose `says` are keys of TEMPLATES with their values; bot/render.py
formats them (numbers through `render.num`, facts and checks through `render.where` and
`render.plain_check`; the conventions are in `render._fields`). A template is a `str.format`
string per language; `choices` turn a value into a phrase (`choices={"more": ("more", {True:
("余", " (more than)"), False: ("", "")})}`: the field {more} is the phrase chosen by the arg
`more`; key "*" is the default, and with no match the value itself is printed); `join` and
`empty` say how a list arg is printed and what an empty list says. The Telegram texts, bilingual
in one string, are in `messages_tg.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Pair = tuple[str, str]  # (zh, en)


@dataclass(frozen=True)
class Template:
    zh: str
    en: str
    choices: dict[str, tuple[str, dict[Any, Pair]]] = field(default_factory=dict)
    join: dict[str, Pair] = field(default_factory=dict)  # list arg → separator; default ("、", ", ")
    empty: dict[str, Pair] = field(default_factory=dict)  # list arg → what an empty list says


STATUS_WORD = {"FAIL": ("不一致", "does not match"), "UNCERTAIN": ("存疑", "uncertain")}
_RESULT = {
    "PASS": ("一致", "matches"),
    "FAIL": ("不一致", "does not match"),
    "UNCERTAIN": ("无法确认", "cannot be confirmed"),
}
CHECK_WORDS = {  # a failed check of each kind, in plain words
    "balance": (
        "表内数字不平衡：本年新收+上年结转 = {lhs}，办理结果总计+结转下年度 = {rhs}",
        "the table does not add up: new + carried over = {lhs}, but handled + carried forward = {rhs}",
    ),
    "subrows": (
        "办理结果各项之和 {lhs} 不等于（七）总计 {rhs}",
        "the outcome rows add up to {lhs}, not to the (七)总计 of {rhs}",
    ),
    "applicants": (
        "各类申请人之和 {lhs} 不等于总计 {rhs}",
        "the applicant columns add up to {lhs}, not to the 总计 of {rhs}",
    ),
    "t4_group": (
        "复议/诉讼各结果之和 {lhs} 不等于总计 {rhs}",
        "the reconsideration/lawsuit results add up to {lhs}, not to the 总计 of {rhs}",
    ),
    "prose": (
        "正文所说的数字（{lhs}）与表格（{rhs}）不同",
        "the narrative's figure ({lhs}) differs from the table's ({rhs})",
    ),
    "carryover": (
        "上一年的结转下年度 {lhs} 与本年的上年结转 {rhs} 不一致",
        "last year's carried-forward count ({lhs}) differs from this year's carried-over count ({rhs})",
    ),
}
_BLANK = {
    "empty": ("该单元格在报告中为空", "the report leaves this cell empty"),
    "slash": ("该单元格在报告中为“/”", "the report prints “/” in this cell"),
    "unresolved": (
        "该行数字无分隔符且有多种读法，未予猜测",
        "the row's digits are printed without separators and admit several readings; not guessed",
    ),
    "*": ("该单元格没有数字", "the cell holds no number"),
}
_NOT_IN_TABLE = (
    "注：表格中没有这一项（表格缺失或被截断），数字取自上面引用的文字。",
    "Note: the table cell for this is missing (the table is absent or cut off); "
    "the figure comes from the sentence quoted above.",
)

TEMPLATES: dict[str, Template] = {
    # ------------------------------------------------ what answer() could not resolve
    "empty_question": Template("Empty question. / 请输入问题。", "Empty question. / 请输入问题。"),
    "error": Template("error: {name}: {detail}", "error: {name}: {detail}"),
    "agency_note": Template("（机关：{note}）", "(Agency: {note}.)"),
    "read_as": Template("（问题理解为：{question}）", "(Read as: {question})"),
    "other_place": Template(
        "没有存储{place}的报告，无法给出数字。{here}：{stored}。",
        "No report of {place} is stored, so there is no figure to give. {here}: {stored}.",
        choices={
            "here": (
                "at_place",
                {True: ("该地已存储", "Stored there"), False: ("已存储的机关", "Stored agencies")},
            )
        },
        join={"stored": ("、", "、")},
        empty={"stored": ("无", "无")},
    ),
    "no_reports": Template("还没有导入任何报告。", "No reports are ingested yet."),
    "which_agency": Template("请指明是哪个机关：", "Which agency do you mean? Candidates:"),
    "which_year": Template("请指明年份：", "Which year? Stored:"),
    "candidate": Template("- {item}", "- {item}"),
    "year_unread": Template(
        "没有{agency}“{note}”的报告，无法给出数字。已存储的年份：{years}。",
        "No report of {agency} for “{note}” is stored, so there is no figure to give. Years stored: {years}.",
        empty={"years": ("无", "none")},
    ),
    "year_not_stored": Template(
        "没有{agency}{year}年的报告，无法给出数字。已存储的年份：{years}。",
        "No {year} report of {agency} is stored, so there is no figure to give. Years stored: {years}.",
        empty={"years": ("无", "none")},
    ),
    # ------------------------------------------------ one figure
    "figure": Template(
        "{fact[agency]}{fact[year]}年{label}：{fact[value]}{more}{fact[unit]}。",
        "{fact[agency]} ({fact[year]}) — “{label}”: {fact[value]}{more} {fact[unit]}.",
        choices={"more": ("more", {True: ("余", " (more than)"), False: ("", "")})},
    ),
    "year_note": Template("（年份：{note}）", "(Year: {note}.)"),
    "source": Template("{where}", "{where}"),
    "quote": Template("原文：“{fact[quote]}”", "Quote: “{fact[quote]}”"),
    "from_text": Template(*_NOT_IN_TABLE),
    "carried_over": Template(
        "另有上年结转 {fact[value]} 件（{where}）。",
        "Also {fact[value]} carried over from the previous year ({where}).",
    ),
    "text_differs": Template(
        "报告正文另称：“{fact[quote]}”（{fact[value]}件，与表格 {table_value} 件不同）。",
        "The narrative says: “{fact[quote]}” ({fact[value]}, not the table's {table_value}).",
    ),
    "check": Template("{check}", "{check}"),
    "sum": Template(
        "{agency}{year}年{label}：{total}{unit}（表中没有这一行的合计，下面 {n} 个单元格之和）。",
        "{agency} ({year}) — “{label}”: {total} {unit} (the table prints no total for this; "
        "the sum of the {n} cells below).",
    ),
    "sum_part": Template("- {part}：{fact[value]}（{where}）", "- {part}: {fact[value]} ({where})"),
    "sum_empties": Template(
        "注：其中 {n} 个单元格为空，按 0 计。", "Note: {n} of these cells are empty and count as 0."
    ),
    # ------------------------------------------------ not in the report
    "blank_cell": Template(
        "{agency}{year}年报告中，{fact[row_label]}·{fact[column_label]}：{why}。",
        "In the {year} report of {agency}, “{fact[row_label]}” · “{fact[column_label]}”: {why}.",
        choices={"why": ("qualifier", _BLANK)},
    ),
    "not_stated": Template(
        "{agency}{year}年的报告中没有找到这个数字。",
        "The {year} report of {agency} does not state this figure.",
    ),
    "closest_head": Template(
        "最接近的句子（说的不是所问的数字）：", "Closest sentences (they do not state the figure asked):"
    ),
    "closest": Template("- 第{fact[line]}行：“{fact[quote]}”", "- line {fact[line]}: “{fact[quote]}”"),
    "stored": Template(
        "已存储：{agency} {years}年；本报告含 {tables}，正文数字 {prose} 个。",
        "Stored for {agency}: {years}; this report has {tables} and {prose} numbers in its text.",
        empty={"tables": ("无统计表", "no statistics tables")},
    ),
    "passages_head": Template("最接近的段落：", "Closest passages:"),
    "passage": Template(
        "- {passage[document]} 第{passage[line_start]}–{passage[line_end]}行：{excerpt}",
        "- {passage[document]} lines {passage[line_start]}–{passage[line_end]}: {excerpt}",
    ),
    # ------------------------------------------------ no figure asked: the report's words
    "no_passage": Template("没有找到相关段落。", "No passage of the report matches."),
    "passages_answer": Template(
        "{agency}{year}年报告中最相关的内容：",
        "From the {year} report of {agency} (no figure asked; the most relevant passages):",
    ),
    "sentence": Template(
        "- “{passage[sentence]}”（{passage[document]} 第{passage[line_start]}–{passage[line_end]}行 · "
        "{passage[section]}）",
        "- “{passage[sentence]}” ({passage[document]} lines {passage[line_start]}–{passage[line_end]} · "
        "{passage[section]})",
    ),
    # ------------------------------------------------ whether figures agree (bot/consistency.py)
    "no_check_figures": Template(
        "{agency}{year}年的报告中没有可做这项核对的数字。",
        "The {year} report of {agency} has no figures to make this check with.",
    ),
    "relation": Template(
        "{flag}{agency}{year}年：{relation[lhs]} 与 {relation[rhs]} {word}（{relation[status]}）。"
        "{relation[detail]}",
        "{flag}{agency} ({year}): {relation[lhs]} vs {relation[rhs]} — {word} ({relation[status]}). "
        "{relation[detail]}",
        # a flagged line is kept word for word by the LLM composer
        choices={"flag": ("status", {"PASS": ("", ""), "*": ("⚠ ", "⚠ ")}), "word": ("status", _RESULT)},
    ),
    "no_table3": Template("报告中没有可核对的表三。", "The report has no table 三 to check."),
    "balance": Template(
        "{agency}{year}年表三：一 本年新收 {new} + 二 上年结转 {over} = {lhs}；"
        "三(七)总计 {done} + 四 结转下年度 {fwd} = {rhs}。{word}（{status}）。",
        "{agency} {year}, table 三: new {new} + carried over {over} = {lhs}; "
        "handled (七)总计 {done} + carried forward {fwd} = {rhs}: {word} ({status}).",
        choices={"word": ("status", _RESULT)},
    ),
    # ------------------------------------------------ tables: trend, compare, rank (bot/series.py)
    "table_year": Template(
        "请指明年份：{years}", "Which year? Stored: {years}", join={"years": ("、", "、")}
    ),
    "latest_year": Template(
        "年份：{year}（{latest}）",
        "Year: {year} ({latest})",
        choices={
            "latest": (
                "kind",
                {
                    "compare": ("最近的共同年份", "the latest stored for all"),
                    "*": ("最近的年份", "the latest stored"),
                },
            )
        },
    ),
    "trend": Template("{who}“{label}”（{span}年，按年份）：", "{who} — “{label}”, {span}, by year:"),
    "compare": Template(
        "{span}年“{label}”对比（{order}）：",
        "“{label}” compared, {span} ({order}):",
        choices={
            "order": (
                "fewest",
                {
                    True: ("从少到多", "fewest first"),
                    False: ("从多到少", "most first"),
                    "named": ("按提问顺序", "as asked"),  # 分别, respectively
                },
            )
        },
    ),
    "rank": Template(
        "{span}年各报告的“{label}”（{order}，共 {reports} 份）：",
        "“{label}” in the {span} reports ({order}, {reports} report{s}):",
        choices={
            "order": ("fewest", {True: ("从少到多", "fewest first"), False: ("从多到少", "most first")}),
            "s": ("reports", {1: ("", ""), "*": ("", "s")}),
        },
    ),
    "value": Template("{who}{span}年{label}：", "{who} ({span}) — “{label}”:"),
    "formula": Template("公式：{formula_zh}", "Formula: {formula_en}"),
    "rows": Template("", ""),  # the rows of a table answer: render.table_rows
    "ties": Template("注：{n} 个机关并列。", "Note: {n} agencies tie."),
    "row": Template("{i}. {who}：{value}", "{i}. {who}: {value}"),
    "row_year": Template("{year}年", "{year}"),
    "row_agency_year": Template("{agency} {year}年", "{agency} {year}"),
    "row_value": Template("{value}{unit}", "{value} {unit}"),
    "row_extra": Template("（{extra}）", " ({extra})", join={"extra": ("；", "; ")}),
    "row_not_stated": Template(
        "未载明（{why}）",
        "not stated ({why})",
        choices={
            "why": (
                "status",
                {
                    "no_report": ("没有该年度的报告", "no report stored for this year"),
                    "not_stated": ("报告中没有这一项", "the report does not state it"),
                    "*": ("未载明", "not stated"),
                },
            )
        },
    ),
    "row_note": Template("未载明（{note}）", "not stated ({note})"),
    "row_from_text": Template("表格中没有这一项，数字取自正文", "not in the table; from the text"),
    "row_blank": Template(
        "{why}",
        "{why}",
        choices={
            "why": (
                "qualifier",
                {
                    "empty": ("单元格为空", "the cell is empty"),
                    "slash": ("单元格为“/”", "the cell is “/”"),
                    "unresolved": (
                        "数字无法确定读法，未予猜测",
                        "its digits admit several readings; not guessed",
                    ),
                    "*": ("单元格没有数字", "the cell holds no number"),
                },
            )
        },
    ),
    "row_sum": Template("{n} 个单元格之和", "the sum of {n} cells"),
    "row_sum_empties": Template(
        "{n} 个单元格之和，其中 {empties} 个为空按 0 计", "the sum of {n} cells, {empties} empty counted as 0"
    ),
    "row_source": Template("   {where}；原文：“{excerpt}”", "   {where}; quote: “{excerpt}”"),
    "row_more": Template("   （另 {n} 个单元格，见 --json）", "   ({n} more cells in --json)"),
    "row_check": Template("   {check}", "   {check}"),
    # ------------------------------------------------ the REPL's streaming (bot/compose.py)
    "withdrawn": Template(
        "（以上模型生成的文字未通过数字核对，已撤回。以下为依据报告数据的回答：）",
        "(The generated text above failed the number check and is withdrawn. "
        "The answer from the report's figures:)",
    ),
}

# ---------------------------------------------------------------- check sentences
CHECK_LINE: Pair = ("⚠ {status}：{sentence}（{detail}）", "⚠ {status}: {sentence} ({detail})")
CHECK_BARE: Pair = ("⚠ {status}：{detail}", "⚠ {status}: {detail}")
WHERE: Pair = ("来源：{document} 第{line}行，{loc}", "Source: {document}, line {line}, {loc}")
NARRATIVE: Pair = ("正文", "narrative text")
TABLE_NAMES = {
    "t2": "表二 主动公开政府信息情况",
    "t3": "表三 收到和处理政府信息公开申请情况",
    "t4": "表四 行政复议、行政诉讼情况",
    "ind": "统计表",
}
