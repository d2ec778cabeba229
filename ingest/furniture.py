"""Page furniture: the web site's or the printer's lines around a report, not the report.

A report copied out of a government web page brings the page with it: the breadcrumb
(`当前位置：首页 > 政务公开 > …`), the footer (`版权所有`, `豫ICP备…号`, `豫公网安备…号`,
`主办单位：…`, `技术支持：…`, `网站标识码…`), the `相关链接` list and the `【打印】【关闭】`
buttons. None of it is report text, and some of it misleads (a breadcrumb that ends in
`年度报告` looks like a title; a related link names another year's report).

The rules are line rules, shared by every reader: the text reader blanks such lines (so line
numbers stay put), the HTML/PDF/DOCX readers drop them. A rule only fires on a short line, so a
sentence of the report that happens to mention 版权 or 技术支持 is never touched.
"""

from __future__ import annotations

import re

MAX_LEN = 120  # furniture lines are short; a longer line is a paragraph of the report

# Anywhere in a short line.
_STRONG = re.compile(
    r"版权所有|版权归|Copyright|©|ICP\s*备\s*\d|ICP\s*证\s*\d|公网安备\s*\d|公安(?:机关)?备案号?\s*[:：]?\s*\d|网站(?:标识|识别)码\s*[:：]?\s*\d|"
    r"技术支持\s*[:：]|主办单位\s*[:：]|承办单位\s*[:：]|主\s*办\s*[:：]|承\s*办\s*[:：]|"
    r"当前位置|当前的位置|您现在的位置|您的位置|你的位置|所在位置|"
    r"浏览次数|访问次数|阅读次数|点击次数|点击数\s*[:：]|访问量\s*[:：]|"
    r"【\s*打印\s*】|【\s*关闭\s*】|\[\s*打印\s*\]|\[\s*关闭\s*\]|打印本页|关闭窗口|网站地图|"
    r"扫一扫|分享到\s*[:：]?|字号\s*[:：]|【\s*字体|【\s*字号|建议使用.{0,20}浏览器|分辨率\s*\d+\s*[*×xX]|"
    r"^欢迎(?:访问|光临|来到)|发布(?:时间|日期)\s*[:：].{0,40}(?:来源|作者|浏览|访问|点击)",
    re.IGNORECASE,
)
# Page numbers of a PDF converted to text or Markdown: `— 1 —`, `- 2 -`, `第 2 页`, `第2页 共5页`, `2/5`.
_PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－]+\s*\d{1,3}\s*[—–\-－]+|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3}|[Pp]age\s*\d{1,3}(?:\s*of\s*\d{1,3})?)$"
)
# A whole line of navigation: `首页 > 政务公开 > …`, `首页 | 走进夏邑 | 政务公开 …`.
_BREADCRUMB = re.compile(r"^(首页|网站首页|主页)\s*([>＞»›/|｜]|$)")
_NAV_MENU = re.compile(r"^(首页|网站首页)(\s+\S{2,8}){2,}$")
# Lines made only of page buttons: `打印 关闭`, `【打印】 【关闭】`, `返回顶部`.
_BUTTONS = {
    "打印",
    "关闭",
    "返回",
    "返回顶部",
    "顶部",
    "分享",
    "收藏",
    "打印本页",
    "关闭窗口",
    "关闭本页",
    "保存",
    "大",
    "中",
    "小",
    "字体",
    "字号",
    "加入收藏",
    "设为首页",
    "默认",
    "下载",
    "纠错",
    "我要纠错",
}
_BUTTON_SPLIT = re.compile(r"[\s【】\[\]|｜/:：·•,，、]+")
# Headings of link lists: everything under them (until text of the report) is furniture.
_LINK_LIST = re.compile(
    r"^(相关链接|相关文章|相关阅读|相关新闻|相关文件|相关稿件|相关信息|友情链接|热点推荐|推荐阅读)\s*[:：]?$"
)


def is_furniture(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > MAX_LEN or s.endswith("。"):  # a sentence of the report, however it reads
        return False
    if (
        _STRONG.search(s)
        or _PAGE_NUMBER.match(s)
        or _BREADCRUMB.match(s)
        or _NAV_MENU.match(s)
        or _LINK_LIST.match(s)
    ):
        return True
    tokens = [t for t in _BUTTON_SPLIT.split(s) if t]
    return bool(tokens) and all(t in _BUTTONS for t in tokens) and any(len(t) > 1 for t in tokens)


def is_link_list_heading(line: str) -> bool:
    return bool(_LINK_LIST.match(line.strip()))


def _looks_like_link(line: str) -> bool:
    """An entry of a link list: a short title, no sentence punctuation inside."""
    s = line.strip()
    return 0 < len(s) <= 60 and "。" not in s and "，" not in s and "\t" not in s


def furniture_lines(lines: list[str]) -> set[int]:
    """0-based indexes of the furniture lines of a text: the rules above, plus the entries of a
    `相关链接` list (short link-like lines right after its heading)."""
    out: set[int] = set()
    i, n = 0, len(lines)
    while i < n:
        if is_furniture(lines[i]):
            out.add(i)
            if is_link_list_heading(lines[i]):
                j, taken = i + 1, 0
                while j < n and taken < 20 and (not lines[j].strip() or _looks_like_link(lines[j])):
                    if lines[j].strip():
                        out.add(j)
                        taken += 1
                    j += 1
                i = j
                continue
        i += 1
    return out


def blank_furniture(lines: list[str]) -> list[str]:
    """The lines with furniture replaced by empty lines (line numbers unchanged)."""
    drop = furniture_lines(lines)
    return [("" if i in drop else line) for i, line in enumerate(lines)] if drop else lines
