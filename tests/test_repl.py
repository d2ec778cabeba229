"""REPL transcript: piped input in, exactly the expected output out."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import run

EXPECTED = """息烽县民政局2018年3.政务微博公开政府信息数·统计数：136条。
来源：004_c5883498027fb55e.txt 第51行，统计表 · 3.政务微博公开政府信息数 · 统计数
原文：“3.政务微博公开政府信息数 | 条 | 136”
  136条  ind 依申请公开情况 value  004_c5883498027fb55e.txt:51
"""


def test_transcript(facts_dir: Path) -> None:
    out = run(facts_dir, "repl", input="息烽县民政局2018年通过政务微博公开了多少条信息？\n:sources\n:quit\nnever read\n").output
    assert out.startswith(EXPECTED.split("\n")[0])
    assert "- 息烽县民政局 2018 · 004_c5883498027fb55e.txt line 51" in out
    assert "never read" not in out


def test_reports_and_help_and_unknown_command(facts_dir: Path) -> None:
    out = run(facts_dir, "repl", input=":reports\n:help\n:nope\n").output.splitlines()
    assert "夏邑县人民政府  2020  2019  003_dde6e9dcd5a2f618.txt" in out
    assert any(line.startswith("Commands:") for line in out)
    assert out[-1] == "unknown command :nope; :help lists them"
