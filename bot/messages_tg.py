"""What the Telegram bot says around its answers, each one text in both languages (a long table
answer's summary rows are in the answer's own language)."""

from __future__ import annotations

from .messages import Pair

# ---------------------------------------------------------------- Telegram: one text, both languages
TG: dict[str, str] = {
    "empty_answer": "（空回答 / empty answer）",
    "sources": "来源 / Sources",
    "question": "问题 / Question: {question}",
    "no_citation": "这个回答没有引用报告中的数字。/ This answer cites no figure from a report.",
    "report": "报告 / Report: {document}",
    "table": "表 / Table: {table}",
    "row": "行 / Row: {row}",
    "column": "列 / Column: {column}",
    "narrative": "正文 / Narrative text: {topic}",
    "value": "值 / Value: {value}",
    "printed": "原文数字 printed “{raw}”",
    "line": "第{line}行 / Line {line}:",
    "checks": "核对 / Checks",
    "check": "• {status} — {detail}{at}",
    "passages": "段落 / Passages",
    "passage": "• {document} 第{start}–{end}行 / lines {start}–{end}:",
    "csv_caption": "{n} 行 / rows (CSV)",
    "unknown_command": "不认识这个命令，请看 /help。/ Unknown command; see /help.",
    "not_text": "请用文字提问。/ Please send your question as text.",
    "too_long": "问题太长（最多 {n} 字）。/ The question is too long (at most {n} characters).",
    "expired": "这个回答的来源已过期，请重新提问。/ These sources have expired; please ask again.",
    "no_answer_yet": "这个聊天还没有回答过问题。/ No answer in this chat yet — ask a question first.",
    "chart_first": "先问一个趋势、对比或排名的问题，再发 /chart。/ "
    "Ask a trend, compare or rank question first, then /chart.",
    "no_reports": "还没有导入任何报告。/ No reports are ingested yet (xxgk ingest PATH).",
    "reports": "已导入 {n} 份报告 / {n} report(s) ingested",
    "agency_years": "• {agency} — {years}",
    "unknown_report": "• {agency} — {year}: {name}（机关或年份未知 / agency or year unknown）",
    "usage": "用法 / Usage: /check 机关 年份 — 例如 / e.g. /check 夏邑县 2020",
    "which_agency": "是哪个机关？/ Which agency?",
    "candidate": "• {name}",
    "no_agency": "没有找到机关“{name}”。/ No ingested agency matches “{name}”. See /reports.",
    "which_year": "请指明年份 / Which year? {agency}: {years}",
    "no_year": "没有{agency}{year}年的报告。/ No {year} report of {agency} is ingested. Stored: {years}.",
    "check_head": "{agency} {year}：{bad} 项未通过，{passed} 项通过 / {bad} not passing, {passed} passing",
    "all_pass": "所有核对都通过了。/ Every check passes.",
    "failed_check": "• {status} [{table}] {detail}{at}",
    "apology": "抱歉，处理这条消息时出错了，请稍后再试。\n"
    "Sorry — something went wrong with this message. Please try again later.",
    "refusal": "抱歉，这个机器人只为指定的聊天提供服务。\nSorry, this bot only answers in approved chats.\n"
    "(chat id: {chat_id} — 管理员可把它加入 XXGK_TELEGRAM_ALLOWED_CHATS / an admin can add it to "
    "XXGK_TELEGRAM_ALLOWED_CHATS)",
    "slow_down": "请慢一点：这个聊天的提问太快了，请 {seconds} 秒后再问。\n"
    "Please slow down: too many questions from this chat; try again in {seconds} s.",
}
TG_SUMMARY: dict[str, Pair] = {  # a long table answer's summary, in the answer's language
    "summary_row": ("{i}. {agency} {year}：{value}", "{i}. {agency} {year}: {value}"),
    "summary_more": (
        "共 {n} 行，完整表格（含出处）见 CSV 文件。",
        "{n} rows; the whole table with sources is in the CSV file.",
    ),
    "not_stated": ("未载明", "not stated"),
}
TG_QUALIFIERS = {
    "more_than": "余/多 (more than)",
    "empty": "空 (empty cell)",
    "slash": "“/”",
    "unresolved": "无法唯一读出 (unresolved)",
    "negation": "否定 (negated)",
}
TG_HELP: list[tuple[str, str]] = [
    ("b", "xxgk — 政府信息公开工作年度报告问答"),
    ("", "用中文或英文提问。数字只取自已导入的报告，并注明出处：报告、表格、行、列和原文。"),
    (
        "",
        "Ask in Chinese or English. Every figure is looked up in an ingested report and comes with its "
        "source: report, table, row, column and the quoted line.",
    ),
    ("", ""),
    ("b", "例子 / Examples"),
    ("", "• 夏邑县2020年收到多少政府信息公开申请？"),
    ("", "• 霍邱县民政局2020年主动公开了多少条政府信息？"),
    ("", "• 夏邑县2020年表三平衡吗？"),
    ("", "• How many information disclosure applications did Xiayi receive in 2020?"),
    ("", "• How many applications did Xigong district civil affairs bureau carry over in 2020?"),
    ("", "• 夏邑县2018-2021年收到多少申请？ · 2020年各县民政局收到申请排名 · 夏邑县2020年公开率"),
    ("", ""),
    ("b", "命令 / Commands"),
    ("", "/reports — 已导入的机关和年份 / agencies and years ingested"),
    ("", "/check 机关 年份 — 该报告未通过的核对 / that report's failed checks, e.g. /check 夏邑县 2020"),
    ("", "/source — 上一个回答的完整出处 / full provenance of the last answer"),
    (
        "",
        "/chart — 把上一个表格回答（趋势、对比、排名）画成图 / "
        "a chart of the last trend, compare or rank answer",
    ),
    ("", "/help — 本说明 / this help"),
    ("", ""),
    (
        "",
        "每个回答下的“来源 / Sources”按钮显示该回答的出处。/ "
        "The “来源 / Sources” button under an answer shows where it comes from.",
    ),
]
TG_COMMANDS = [
    ("help", "怎么提问 / how to ask"),
    ("reports", "已导入的报告 / reports ingested"),
    ("check", "报告未通过的核对 / a report's failed checks"),
    ("source", "上一个回答的出处 / provenance of the last answer"),
    ("chart", "上一个表格回答的图 / chart of the last table answer"),
]
