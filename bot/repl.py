"""The terminal REPL: questions in, answers with a small table of the facts used.

With a TTY it has line editing and a history file (prompt_toolkit); piped input is read line
by line with no prompt, so a transcript test sees exactly what a script would.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from .model import Answer
from .render import facts_table, phrase, sources

HELP = """Ask in Chinese or English, e.g.
  夏邑县2020年收到多少政府信息公开申请？
  How many applications did Xiayi receive in 2020?
  夏邑县2019-2021年收到多少申请？   (a trend; then `chart` draws it)
Commands: :sources  provenance of the last answer · :reports  what is ingested ·
  chart [FILE.png]  draw the last table answer (default <data dir>/chart.png) · :help · :quit"""


def handle(line: str, ctx: Any, state: dict[str, Any], echo: Callable[[str], None]) -> bool:
    """One input line; False when the session should end."""
    line = line.strip()
    if not line:
        return True
    if line in (":quit", ":q", ":exit"):
        return False
    if line == ":help":
        echo(HELP)
    elif line == ":sources":
        echo(sources(state.get("facts", [])))
    elif line.split()[0] in ("chart", ":chart", "图表"):
        echo(_chart(line, ctx, state))
    elif line == ":reports":
        for d in ctx.store.documents():
            echo(f"{d.agency or '?'}  {d.year or '?'}  {d.template}  {d.name}")
    elif line.startswith(":"):
        echo(f"unknown command {line}; :help lists them")
    else:
        printer = StreamPrinter()  # guard-passed LLM text is printed as it streams
        a = ctx.answer(line, stream=printer.piece)
        state["facts"], state["answer"] = a.facts, a
        echo(printer.rest(a))
        table = facts_table(a.facts)
        if table:
            echo(table)
    return True


class StreamPrinter:
    """The REPL's side of streaming: guard-passed pieces go to `out` as they come; then the rest."""

    def __init__(self, out: Any = None) -> None:
        self.out = out or sys.stdout
        self.shown = ""

    def piece(self, text: str) -> None:
        self.shown += text
        self.out.write(text)
        self.out.flush()

    def rest(self, a: Answer) -> str:
        """What is left to print of `a` (all of it when nothing was streamed)."""
        if not self.shown:
            return a.text
        if not self.shown.endswith("\n"):
            self.out.write("\n")
        head = self.shown.rstrip()
        if a.composer == "llm" and a.text.startswith(head):
            return a.text[len(head) :].lstrip("\n")
        return phrase("withdrawn", a.language) + "\n" + a.text


def _chart(line: str, ctx: Any, state: dict[str, Any]) -> str:
    """Draw the last table answer; where it was written, or why not."""
    from pathlib import Path

    from bot.chart import draw

    a = state.get("answer")
    if a is None or not a.rows:
        return "no table answer to chart yet: ask a trend, compare or rank question first"
    parts = line.split(maxsplit=1)
    path = Path(parts[1]) if len(parts) > 1 else ctx.data_dir / "chart.png"
    try:
        draw(a, path)
    except (OSError, ValueError) as e:
        return f"error: {e}"
    return f"chart written to {path}"


def run_repl(ctx: Any) -> None:
    state: dict[str, Any] = {}
    if not sys.stdin.isatty():
        for line in sys.stdin:
            if not handle(line, ctx, state, print):
                break
        return
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    ctx.data_dir.mkdir(parents=True, exist_ok=True)
    session: PromptSession[str] = PromptSession(history=FileHistory(str(ctx.data_dir / "repl_history")))
    print(HELP)
    while True:
        try:
            line = session.prompt("xxgk> ")
        except (EOFError, KeyboardInterrupt):
            break
        if not handle(line, ctx, state, print):
            break
