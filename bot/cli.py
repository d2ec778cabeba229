"""The `xxgk` command: ingest, facts, check, reports, search, ask, repl, telegram."""
from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import click


def default_data_dir() -> Path:
    if os.environ.get("XXGK_DATA_DIR"):
        return Path(os.environ["XXGK_DATA_DIR"])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "xxgk"


class Context:
    """What every command shares: the data dir, and the stores opened on first use."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._store = None
        self._vectors = None
        self.chroma_url: str | None = None
        self.db_url: str | None = None  # PostgreSQL instead of <data_dir>/facts.sqlite
        self.embed_model: str | None = None
        self.llm: str | None = None  # --llm; None: XXGK_LLM decides
        self.writable = False  # only `ingest` writes; the read commands never create or change anything

    @property
    def store(self):  # type: ignore[no-untyped-def]
        if self._store is None:
            from index.store import Store, location

            self._store = Store(location(self.data_dir, self.db_url), readonly=not self.writable)
        return self._store

    def vectors(self):  # type: ignore[no-untyped-def]
        """The vector store, opened (and the embedding model loaded) only when a search needs it."""
        if self._vectors is None and (self.chroma_url or (self.data_dir / "chroma").exists()):
            from index.vectors import open_vectors

            self._vectors = open_vectors(self.data_dir, self.embed_model, self.chroma_url)
        return self._vectors

    def search(self, query: str, agency: str | None, year: int | None, k: int):  # type: ignore[no-untyped-def]
        from index.retrieve import search

        return search(self.store, self.vectors(), query, agency, year, k)

    def answer(self, question: str, stream=None):  # type: ignore[no-untyped-def]
        from bot.answer import answer

        a = answer(question, self.store, search=self.search)
        # optional LLM wording (XXGK_LLM / --llm), number-guarded; unset: `a` as is
        from bot.compose import compose

        return compose(a, self.store, self.search, self.llm, stream)


def _echo_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, default=str))


def _db_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from index.store import is_url

    if value and not is_url(value):
        raise click.BadParameter("a PostgreSQL URL: postgresql://user@host:port/database")
    return value or None


class _Group(click.Group):
    """Every command: a store that cannot be opened or written is one `error:` line, exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        from index.store import StoreError

        try:
            return super().invoke(ctx)
        except StoreError as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None, envvar="XXGK_DATA_DIR",
              help="Where the facts database and vector store live (env XXGK_DATA_DIR; default ~/.local/share/xxgk).")
@click.option("--db-url", envvar="XXGK_DB_URL", callback=_db_url, metavar="postgresql://…",
              help="Keep the facts in this PostgreSQL database instead of the data dir's facts.sqlite (env XXGK_DB_URL).")
@click.option("--chroma-url", envvar="XXGK_CHROMA_URL", help="Use a Chroma server (http://host:port) instead of the embedded vector store.")
@click.option("--embed-model", envvar="XXGK_EMBED_MODEL", help="Local sentence-transformers model directory (default: bundled multilingual-e5-small).")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None, db_url: str | None, chroma_url: str | None,
         embed_model: str | None) -> None:
    """xxgk: exact, cited answers from 政府信息公开工作年度报告."""
    ctx.obj = Context(data_dir or default_data_dir())
    ctx.obj.db_url, ctx.obj.chroma_url, ctx.obj.embed_model = db_url, chroma_url, embed_model


def _agency_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    name = value.strip()
    unprintable = re.search(r"[\x00-\x1f\x7f]", name) or not re.search(r"[\u4e00-\u9fff]", name)
    if unprintable or not 2 <= len(name) <= 60:
        raise click.BadParameter("an agency name as the report prints it, 2-60 characters, in Chinese")
    return name


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--agency", callback=_agency_name,
              help="Issuing agency, when the report does not say it (one file only).")
@click.option("--year", type=click.IntRange(2007, date.today().year + 1),
              help="Reporting year, when the report does not say it (one file only).")
@click.option("--place", help="Place of the agency: a province, city or county (洛阳市西工区), or text:NAME as written.")
@click.option("--no-embed", is_flag=True, help="Store facts and chunks but do not compute embeddings.")
@click.option("--embed-model", envvar="XXGK_EMBED_MODEL", help="Local sentence-transformers model directory (default: bundled multilingual-e5-small).")
@click.option("--chroma-url", envvar="XXGK_CHROMA_URL", help="Use a Chroma server (http://host:port) instead of the embedded store.")
@click.option("--jobs", type=click.IntRange(1, 256), default=lambda: len(os.sched_getaffinity(0))
              if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, show_default="one per core",
              help="Worker processes parsing files (one process writes).")
@click.pass_obj
def ingest(obj: Context, paths: tuple[str, ...], agency: str | None, year: int | None, place: str | None,
           no_embed: bool, embed_model: str | None, chroma_url: str | None, jobs: int) -> None:
    """Read report files or folders into the store.
    Exit 1: a file was rejected; 2: the store cannot be written."""
    from tqdm import tqdm

    from index.load import load_paths, writer_lock
    from ingest.meta import check_place

    problem = check_place(place)
    if problem:
        click.echo(f"error: {problem}", err=True)
        sys.exit(2)
    if (agency or year or place) and (len(paths) != 1 or Path(paths[0]).is_dir()):
        click.echo("error: --agency/--year/--place label one report: give one file, not a folder or several files",
                   err=True)
        sys.exit(2)

    def progress(total: int) -> tqdm:
        return tqdm(total=total, desc="reading", unit="file", file=sys.stderr, disable=total < 2)

    obj.writable = True
    with writer_lock(obj.data_dir, lambda msg: click.echo(f"waiting: {msg}", err=True)):
        results = load_paths(obj.store, list(paths), agency, year, progress, place=place, jobs=jobs)
        rejected = [r for r in results if r.status == "rejected"]
        for r in results:
            if r.status == "rejected":
                click.echo(f"error: {r.path}: {r.reason}", err=True)
            elif r.status == "skipped":
                click.echo(f"warning: {r.path}: {r.reason}; skipped", err=True)
            elif r.status.startswith("duplicate"):
                other = r.status[len("duplicate of "):]
                click.echo(f"warning: {r.path}: same content as {other}; skipped", err=True)
            for w in r.warnings:
                click.echo(f"warning: {r.path}: {w}", err=True)
        stored = [r for r in results if r.status in ("added", "replaced")]
        if not no_embed and len(rejected) < len(results):
            _sync_vectors(obj, embed_model, chroma_url)
    counts = {s: sum(1 for r in results if r.status == s) for s in ("added", "replaced", "unchanged")}
    files = len({r.file for r in results})
    several = f" ({len(results)} reports or entries)" if len(results) != files else ""
    click.echo(
        f"{files} file(s){several}: {counts['added']} added, {counts['replaced']} replaced, "
        f"{counts['unchanged']} unchanged, "
        f"{len(rejected)} rejected; {sum(r.facts for r in stored)} facts; {sum(r.failed_checks for r in stored)} checks failed"
    )
    if rejected:
        sys.exit(1)


def _sync_vectors(obj: Context, embed_model: str | None, chroma_url: str | None) -> None:
    """Embed what the vector store lacks. Run on every ingest, so a run killed while embedding
    is finished by the next one even when every file is unchanged."""
    from index.store import StoreError
    from index.vectors import open_vectors, sync

    try:
        vectors = open_vectors(obj.data_dir, embed_model or obj.embed_model, chroma_url or obj.chroma_url)
        sync(obj.store, vectors)
    except Exception as e:  # Chroma's own errors (disk full, a damaged index) are many and not ours to list
        raise StoreError("the facts are stored, but the passage embeddings could not be updated "
                         f"({type(e).__name__}: {e}); run the same ingest again to finish, or pass --no-embed") from None


@main.command()
@click.option("--agency")
@click.option("--year", type=int)
@click.option("--table", help="t2 | t3 | t4 | ind, or 'prose'.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_obj
def facts(obj: Context, agency: str | None, year: int | None, table: str | None, as_json: bool) -> None:
    """List stored facts with their provenance."""
    rows = obj.store.facts(agency=agency, year=year, table=None if table == "prose" else table)
    for f in rows:
        if table == "prose" and f.kind != "prose":
            continue
        if as_json:
            _echo_json(asdict(f))
        else:
            where = f"{f.table}/{f.row}/{f.column}" if f.kind == "cell" else f"prose:{f.topic}"
            value = "∅" if f.value is None else f"{f.value}"
            click.echo(f"{f.agency}\t{f.year}\t{where}\t{value}{f.unit}\t{f.qualifier}\t{f.document}:{f.line}")


@main.command()
@click.option("--agency")
@click.option("--year", type=int)
@click.option("--json", "as_json", is_flag=True)
@click.option("--all", "show_all", is_flag=True, help="Also list passing checks.")
@click.pass_obj
def check(obj: Context, agency: str | None, year: int | None, as_json: bool, show_all: bool) -> None:
    """The reports' own arithmetic, failures first; reports whose agency or year is unknown."""
    for d in obj.store.documents(agency=agency, year=year):
        if d.agency is None or d.year is None:
            msg = f"{d.name}: {'agency' if d.agency is None else 'year'} unknown — re-ingest with --agency/--year"
            _echo_json({"document": d.name, "status": "FLAGGED", "detail": msg}) if as_json else click.echo(f"FLAGGED\t{msg}")
    for c in obj.store.checks(agency=agency, year=year):
        if c.status == "PASS" and not show_all and not as_json:
            continue
        if as_json:
            _echo_json(asdict(c))
        else:
            click.echo(f"{c.status}\t{c.agency} {c.year}\t{c.detail}\t{c.document}:{c.line}")


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def reports(obj: Context, as_json: bool) -> None:
    """What is ingested: printed name, identity, place chain, year, template, the cue of each, file."""
    for d in obj.store.documents():
        if as_json:
            _echo_json(asdict(d))
            continue
        chain = " ".join(x for x in (d.province, d.city if d.city != d.province else None, d.county, d.town) if x)
        cues = ", ".join(f"{k}: {v}" for k, v in d.cues.items())
        click.echo(f"{d.printed or d.agency or '?'}\t{d.agency or '?'}\t{chain or d.place or '?'}\t{d.year or '?'}\t"
                   f"{d.template}\t{cues}\t{d.name}")
        for w in d.warnings:
            if w.startswith("cues disagree"):
                click.echo(f"  warning: {w}")


@main.command()
@click.argument("query")
@click.option("--agency")
@click.option("--year", type=int)
@click.option("-k", "k", default=5, show_default=True, help="How many passages.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per passage.")
@click.pass_obj
def search(obj: Context, query: str, agency: str | None, year: int | None, k: int, as_json: bool) -> None:
    """Ranked passages (hybrid BM25 + dense), filtered by agency and year."""
    for p in obj.search(query, agency, year, k):
        if as_json:
            _echo_json(asdict(p))
        else:
            click.echo(f"{p.score:.4f}\t{p.agency} {p.year}\t{p.document}:{p.line_start}-{p.line_end}\t{p.section}")
            click.echo("    " + p.text.replace("\n", " ")[:300])


@main.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as one JSON object; with '-' one per input line.")
@click.option("--llm", metavar="PROVIDER:MODEL", help="Word answers with openai:<model> or ollama:<model> (env XXGK_LLM; 'none': templates).")
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path), help="Draw a trend/compare/rank answer to this PNG file.")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False, path_type=Path), help="Write a table answer's rows to this CSV file.")
@click.option("--xlsx", "xlsx_out", type=click.Path(dir_okay=False, path_type=Path), help="Write a table answer's rows to this XLSX file.")
@click.pass_obj
def ask(obj: Context, question: str, as_json: bool, llm: str | None, chart: Path | None, csv_out: Path | None,
        xlsx_out: Path | None) -> None:
    """Answer a question in Chinese or English. QUESTION '-' reads one question per line from stdin.
    Exit 0: answered (a figure, or "not in the reports"); 1: an answer is an error; 2: no question, no store."""
    from bot.model import Answer

    obj.llm = llm
    if question == "-" and (chart or csv_out or xlsx_out):
        click.echo("error: --chart/--csv/--xlsx take one question, not '-'", err=True)
        sys.exit(2)
    if question == "-":  # bytes, so that a line of invalid UTF-8 is one answer, not the end of the batch
        questions = (_text(line).strip() for line in sys.stdin.buffer)
    elif not _text(question).strip():
        click.echo('error: empty question: ask something, e.g. xxgk ask "夏邑县2020年收到多少政府信息公开申请？"', err=True)
        sys.exit(2)
    else:
        questions = iter([_text(question).strip()])
    obj.store  # a store that cannot be opened is one error for the run, not one per question
    if chart or csv_out or xlsx_out:
        a = obj.answer(next(questions))
        _echo_json(a.to_dict()) if as_json else click.echo(a.text)
        sys.exit(_write_table_answer(a, chart, csv_out, xlsx_out))
    errors = 0
    for q in questions:
        if not q:
            continue
        try:
            a = obj.answer(q)
        except Exception as e:  # one bad question must not end a batch
            a = Answer(q, "error", None, "", f"error: {type(e).__name__}: {e}")
        errors += a.status == "error"
        if as_json:
            _echo_json(a.to_dict())
        else:
            click.echo(a.text)
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
        click.echo("error: this answer is not a table: --chart/--csv/--xlsx need a trend, compare or rank question", err=True)
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


@main.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "parquet", "sqlite"]), default="csv", show_default=True)
@click.option("--agency")
@click.option("--year", type=int)
@click.option("--table", help="t2 | t3 | t4 | ind, or 'prose'.")
@click.pass_obj
def export(obj: Context, out: Path, fmt: str, agency: str | None, year: int | None, table: str | None) -> None:
    """Write the facts with provenance to OUT (csv, xlsx, parquet, or a datasette-ready sqlite file)."""
    from index.export import export as write

    try:
        n = write(obj.store, fmt, out, agency, year, table)
    except OSError as e:
        click.echo(f"error: {out}: {e.strerror or e}", err=True)
        sys.exit(1)
    from index.export import metadata_path

    extra = f" and {metadata_path(out)}" if fmt == "sqlite" else ""
    click.echo(f"{n} facts written to {out}{extra}")


@main.command()
@click.option("--llm", metavar="PROVIDER:MODEL", help="Word answers with openai:<model> or ollama:<model> (env XXGK_LLM; 'none': templates).")
@click.pass_obj
def repl(obj: Context, llm: str | None) -> None:
    """Interactive questions with history; also reads piped input (no TTY) for scripting."""
    from bot.repl import run_repl

    obj.llm = llm

    run_repl(obj)


@main.command()
@click.option("--token-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="File holding the bot token (default: env XXGK_TELEGRAM_TOKEN). Never pass the token itself as an argument.")
@click.option("--api-base-url", metavar="URL", envvar="XXGK_TELEGRAM_API_URL",
              help="A self-hosted Bot API server, e.g. http://127.0.0.1:8081 (default: https://api.telegram.org).")
@click.option("--allowed-chats", metavar="IDS", envvar="XXGK_TELEGRAM_ALLOWED_CHATS",
              help="Comma-separated chat ids that may use the bot (env XXGK_TELEGRAM_ALLOWED_CHATS; default: every chat).")
@click.option("--rate", "rate_per_minute", type=float, default=20.0, show_default=True, help="Questions per minute per chat (0: no limit).")
@click.option("--burst", type=int, default=5, show_default=True, help="Questions a chat may send at once before --rate applies.")
@click.option("--workers", type=int, default=8, show_default=True, help="Updates handled at the same time, across chats.")
@click.option("--poll-timeout", type=float, default=30.0, show_default=True, help="Long-polling timeout of getUpdates, seconds.")
@click.option("-v", "--verbose", is_flag=True, help="Debug logging (the token is still redacted).")
@click.pass_obj
def telegram(obj: Context, token_file: Path | None, api_base_url: str | None, allowed_chats: str | None, rate_per_minute: float,
             burst: int, workers: int, poll_timeout: float, verbose: bool) -> None:
    """Answer questions in Telegram (long polling) until Ctrl-C / SIGTERM. Exit 3: another instance polls this token."""
    import logging

    from bot import telegram as tg

    token = token_file.read_text(encoding="utf-8").strip() if token_file else os.environ.get("XXGK_TELEGRAM_TOKEN", "").strip()
    if not token:
        click.echo("error: no bot token: set XXGK_TELEGRAM_TOKEN or pass --token-file (create a bot with @BotFather, see README)", err=True)
        sys.exit(2)
    tg.protect_token(token)
    problem = tg.token_problem(token)
    try:
        allowed = tg.parse_chat_ids(allowed_chats)
    except ValueError:
        problem = problem or "--allowed-chats / XXGK_TELEGRAM_ALLOWED_CHATS must be comma-separated numeric chat ids"
    if not problem:  # nothing ingested (a data dir without facts.sqlite, a database without tables): say so now
        from index.store import Store, StoreError, location

        try:
            Store(location(obj.data_dir, obj.db_url), readonly=True).close()
        except StoreError as e:
            problem = str(e)
    if problem:
        click.echo(f"error: {problem}", err=True)
        sys.exit(2)
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = tg.Settings(token=token, data_dir=obj.data_dir, api_base_url=api_base_url, allowed_chats=allowed,
                           rate_per_minute=rate_per_minute, burst=burst, slots=workers, poll_timeout=poll_timeout,
                           chroma_url=obj.chroma_url, db_url=obj.db_url, embed_model=obj.embed_model)
    try:
        status = tg.serve(settings)
    except tg.PollingConflict as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(tg.EXIT_CONFLICT)
    except (tg.TokenRejected, tg.StartupFailed) as e:
        click.echo(f"error: {tg.redact(str(e))}", err=True)
        sys.exit(1)
    if status:
        sys.exit(status)


if __name__ == "__main__":
    main()
