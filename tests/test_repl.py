"""REPL transcript: piped input in, exactly the expected output out."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run

SESSION = """息烽县民政局2018年通过政务微博公开了多少条信息？
:sources
民政局2020年收到多少申请？
:quit
never read
"""

TRANSCRIPT = """息烽县民政局2018年3.政务微博公开政府信息数·统计数：136条。
来源：004_c5883498027fb55e.txt 第51行，统计表 · 3.政务微博公开政府信息数 · 统计数
原文：“3.政务微博公开政府信息数 条 136”
  136条  ind 主动公开情况/政务微博公开政府信息数 value  004_c5883498027fb55e.txt:51
- 息烽县民政局 2018 · 004_c5883498027fb55e.txt line 51 · ind / 3.政务微博公开政府信息数 / 统计数
  raw: '136'  quote: “3.政务微博公开政府信息数 条 136”
请指明是哪个机关：
- 息烽县民政局
- 河南县民政局
- 西工区民政局
- 霍邱县民政局
"""


def test_transcript(facts_dir: Path) -> None:
    assert run(facts_dir, "repl", input=SESSION).output == TRANSCRIPT


def test_reports_and_help_and_unknown_command(facts_dir: Path) -> None:
    out = run(facts_dir, "repl", input=":reports\n:help\n:nope\n").output.splitlines()
    assert "夏邑县人民政府  2020  2019  003_dde6e9dcd5a2f618.txt" in out
    assert any(line.startswith("Commands:") for line in out)
    assert out[-1] == "unknown command :nope; :help lists them"


def test_sources_before_any_answer(facts_dir: Path) -> None:
    assert run(facts_dir, "repl", input=":sources\n").output == "(no facts behind the last answer)\n"
