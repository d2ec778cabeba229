"""The `xxgk` commands that answer questions: ask, repl, telegram. Each prints what bot/render.py
writes; `bot.cli` registers them on the `xxgk` group."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from .cli_context import Context, echo_json

LLM_OPTION = click.option(
    "--llm",
    metavar="PROVIDER:MODEL",
    help="Word answers with openai:<model> or ollama:<model> (env XXGK_LLM; 'none': templates).",
)


@click.command()
@click.argument("question")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the answer as one JSON object; with '-' one per input line.",
)
@LLM_OPTION
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Draw a trend/compare/rank answer to this PNG file.",
)
@click.option(
    "--csv",
    "csv_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a table answer's rows to this CSV file.",
)
@click.option(
    "--xlsx",
    "xlsx_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a table answer's rows to this XLSX file.",
)
@click.pass_obj
def ask(
    obj: Context,
    question: str,
    as_json: bool,
    llm: str | None,
    chart: Path | None,
    csv_out: Path | None,
    xlsx_out: Path | None,
) -> None:
    """Answer a question in Chinese or English. QUESTION '-' reads one question per line from stdin.
    Exit 0: answered (a figure, or "not in the reports"); 1: an answer is an error; 2: no question,
    no store."""
    from bot.model import Answer, Say

    obj.llm = llm
    if question == "-" and (chart or csv_out or xlsx_out):
        click.echo("error: --chart/--csv/--xlsx take one question, not '-'", err=True)
        sys.exit(2)
    questions: Iterator[str]
    if question == "-":  # bytes, so that a line of invalid UTF-8 is one answer, not the end of the batch
        questions = (_text(line).strip() for line in sys.stdin.buffer)
    elif not _text(question).strip():
        click.echo(
            'error: empty question: ask something, e.g. xxgk ask "夏邑县2020年收到多少政府信息公开申请？"',
            err=True,
        )
        sys.exit(2)
    else:
        questions = iter([_text(question).strip()])
    _ = obj.store  # a store that cannot be opened is one error for the run, not one per question
    if chart or csv_out or xlsx_out:
        a = obj.answer(next(questions))
        echo_json(a.to_dict()) if as_json else click.echo(a.text)
        sys.exit(_write_table_answer(a, chart, csv_out, xlsx_out))
    errors = 0
    for q in questions:
        if not q:
            continue
        try:
            a = obj.answer(q)
            out = (
                a.to_dict() if as_json else a.text
            )  # rendered here: a rendering fault is this answer's error
        except Exception as e:  # one bad question must not end a batch
            a = Answer(q, "error", None, "", [Say("error", {"name": type(e).__name__, "detail": str(e)})])
            out = a.to_dict() if as_json else a.text
        errors += a.status == "error"
        echo_json(out) if as_json else click.echo(out)
        sys.stdout.flush()
    if errors:
        sys.exit(1)


def _text(s: str | bytes) -> str:
    """Valid UTF-8 whatever came in: bytes that are not UTF-8 (an argument or a stdin line) become U+FFFD."""
    raw = s if isinstance(s, bytes) else s.encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "replace")


def _write_table_answer(a: Any, chart: Path | None, csv_out: Path | None, xlsx_out: Path | None) -> int:
    """The files a table answer is written to; 1 (and one error line) when the answer is no table."""
    if not a.rows:
        click.echo(
            "error: this answer is not a table: --chart/--csv/--xlsx need a trend, compare or rank question",
            err=True,
        )
        return 1
    from bot.series import ROW_COLUMNS, answer_records
    from index.export import write_table

    try:
        for path, fmt in ((csv_out, "csv"), (xlsx_out, "xlsx")):
            if path:
                write_table(path, ROW_COLUMNS, answer_records(a), fmt)
                click.echo(f"wrote {path}", err=True)
        if chart:
            from bot.chart import draw

            draw(a, chart)
            click.echo(f"wrote {chart}", err=True)
    except (OSError, ValueError) as e:
        click.echo(f"error: {e}", err=True)
        return 1
    return 0


@click.command()
@LLM_OPTION
@click.pass_obj
def repl(obj: Context, llm: str | None) -> None:
    """Interactive questions with history; also reads piped input (no TTY) for scripting."""
    from bot.repl import run_repl

    obj.llm = llm

    run_repl(obj)


@click.command()
@click.option(
    "--token-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="File holding the bot token (default: env XXGK_TELEGRAM_TOKEN). "
    "Never pass the token itself as an argument.",
)
@click.option(
    "--api-base-url",
    metavar="URL",
    envvar="XXGK_TELEGRAM_API_URL",
    help="A self-hosted Bot API server, e.g. http://127.0.0.1:8081 (default: https://api.telegram.org).",
)
@click.option(
    "--allowed-chats",
    metavar="IDS",
    envvar="XXGK_TELEGRAM_ALLOWED_CHATS",
    help="Comma-separated chat ids that may use the bot "
    "(env XXGK_TELEGRAM_ALLOWED_CHATS; default: every chat).",
)
@click.option(
    "--rate",
    "rate_per_minute",
    type=float,
    default=20.0,
    show_default=True,
    help="Questions per minute per chat (0: no limit).",
)
@click.option(
    "--burst",
    type=int,
    default=5,
    show_default=True,
    help="Questions a chat may send at once before --rate applies.",
)
@click.option(
    "--workers",
    type=int,
    default=8,
    show_default=True,
    help="Updates handled at the same time, across chats.",
)
@click.option(
    "--poll-timeout",
    type=float,
    default=30.0,
    show_default=True,
    help="Long-polling timeout of getUpdates, seconds.",
)
@click.option("-v", "--verbose", is_flag=True, help="Debug logging (the token is still redacted).")
@click.pass_obj
def telegram(
    obj: Context,
    token_file: Path | None,
    api_base_url: str | None,
    allowed_chats: str | None,
    rate_per_minute: float,
    burst: int,
    workers: int,
    poll_timeout: float,
    verbose: bool,
) -> None:
    """Answer questions in Telegram (long polling) until Ctrl-C / SIGTERM.
    Exit 3: another instance polls this token."""
    import logging

    from bot import tg_settings as tg
    from bot.telegram import serve

    token = _bot_token(token_file)
    problem, allowed = _startup_problem(obj, token, allowed_chats)
    if problem:
        click.echo(f"error: {problem}", err=True)
        sys.exit(2)
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    settings = tg.Settings(
        token=token,
        data_dir=obj.data_dir,
        api_base_url=api_base_url,
        allowed_chats=allowed,
        rate_per_minute=rate_per_minute,
        burst=burst,
        slots=workers,
        poll_timeout=poll_timeout,
        chroma_url=obj.chroma_url,
        db_url=obj.db_url,
        embed_model=obj.embed_model,
    )
    try:
        status = serve(settings)
    except tg.PollingConflict as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(tg.EXIT_CONFLICT)
    except (tg.TokenRejected, tg.StartupFailed) as e:
        click.echo(f"error: {tg.redact(str(e))}", err=True)
        sys.exit(1)
    if status:
        sys.exit(status)


def _bot_token(token_file: Path | None) -> str:
    """The token from --token-file or XXGK_TELEGRAM_TOKEN, kept out of every log line from now on."""
    from bot.tg_settings import protect_token

    token = (
        token_file.read_text(encoding="utf-8").strip()
        if token_file
        else os.environ.get("XXGK_TELEGRAM_TOKEN", "").strip()
    )
    if not token:
        click.echo(
            "error: no bot token: set XXGK_TELEGRAM_TOKEN or pass --token-file "
            "(create a bot with @BotFather, see README)",
            err=True,
        )
        sys.exit(2)
    protect_token(token)
    return token


def _startup_problem(
    obj: Context, token: str, allowed_chats: str | None
) -> tuple[str | None, frozenset[int] | None]:
    """Why the bot cannot start (the first reason), and the chats it may answer."""
    from bot.tg_settings import parse_chat_ids, token_problem

    problem = token_problem(token)
    allowed = None
    try:
        allowed = parse_chat_ids(allowed_chats)
    except ValueError:
        problem = (
            problem
            or "--allowed-chats / XXGK_TELEGRAM_ALLOWED_CHATS must be comma-separated numeric chat ids"
        )
    if not problem:  # nothing ingested (no facts.sqlite, a database without tables): said on either engine
        from index.store import Store, StoreError, location

        try:
            Store(location(obj.data_dir, obj.db_url), readonly=True).close()
        except StoreError as e:
            problem = str(e)
    return problem, allowed
