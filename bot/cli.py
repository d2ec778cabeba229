"""The `xxgk` command: ingest, facts, check, reports, search, ask, repl, telegram."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import click

from .cli_answers import ask, repl, telegram
from .cli_context import Context, default_data_dir, echo_json


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
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    envvar="XXGK_DATA_DIR",
    help="Where the facts database and vector store live (env XXGK_DATA_DIR; default ~/.local/share/xxgk).",
)
@click.option(
    "--db-url",
    envvar="XXGK_DB_URL",
    callback=_db_url,
    metavar="postgresql://…",
    help="Keep the facts in this PostgreSQL database instead of the data dir's facts.sqlite "
    "(env XXGK_DB_URL).",
)
@click.option(
    "--chroma-url",
    envvar="XXGK_CHROMA_URL",
    help="Use a Chroma server (http://host:port) instead of the embedded vector store.",
)
@click.option(
    "--embed-model",
    envvar="XXGK_EMBED_MODEL",
    help="Local sentence-transformers model directory (default: bundled multilingual-e5-small).",
)
@click.pass_context
def main(
    ctx: click.Context,
    data_dir: Path | None,
    db_url: str | None,
    chroma_url: str | None,
    embed_model: str | None,
) -> None:
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
@click.option(
    "--agency", callback=_agency_name, help="Issuing agency, when the report does not say it (one file only)."
)
@click.option(
    "--year",
    type=click.IntRange(2007, date.today().year + 1),
    help="Reporting year, when the report does not say it (one file only).",
)
@click.option(
    "--place", help="Place of the agency: a province, city or county (洛阳市西工区), or text:NAME as written."
)
@click.option("--no-embed", is_flag=True, help="Store facts and chunks but do not compute embeddings.")
@click.option(
    "--embed-model",
    envvar="XXGK_EMBED_MODEL",
    help="Local sentence-transformers model directory (default: bundled multilingual-e5-small).",
)
@click.option(
    "--chroma-url",
    envvar="XXGK_CHROMA_URL",
    help="Use a Chroma server (http://host:port) instead of the embedded store.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 256),
    default=lambda: len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1,
    show_default="one per core",
    help="Worker processes parsing files (one process writes).",
)
@click.pass_obj
def ingest(
    obj: Context,
    paths: tuple[str, ...],
    agency: str | None,
    year: int | None,
    place: str | None,
    no_embed: bool,
    embed_model: str | None,
    chroma_url: str | None,
    jobs: int,
) -> None:
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
        click.echo(
            "error: --agency/--year/--place label one report: give one file, not a folder or several files",
            err=True,
        )
        sys.exit(2)

    def progress(total: int) -> tqdm[Any]:
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
                other = r.status[len("duplicate of ") :]
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
        f"{len(rejected)} rejected; {sum(r.facts for r in stored)} facts; "
        f"{sum(r.failed_checks for r in stored)} checks failed"
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
        raise StoreError(
            "the facts are stored, but the passage embeddings could not be updated "
            f"({type(e).__name__}: {e}); run the same ingest again to finish, or pass --no-embed"
        ) from None


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
            echo_json(asdict(f))
        else:
            where = f"{f.table}/{f.row}/{f.column}" if f.kind == "cell" else f"prose:{f.topic}"
            value = "∅" if f.value is None else f"{f.value}"
            click.echo(
                f"{f.agency}\t{f.year}\t{where}\t{value}{f.unit}\t{f.qualifier}\t{f.document}:{f.line}"
            )


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
            unknown = "agency" if d.agency is None else "year"
            msg = f"{d.name}: {unknown} unknown — re-ingest with --agency/--year"
            echo_json({"document": d.name, "status": "FLAGGED", "detail": msg}) if as_json else click.echo(
                f"FLAGGED\t{msg}"
            )
    for c in obj.store.checks(agency=agency, year=year):
        if c.status == "PASS" and not show_all and not as_json:
            continue
        if as_json:
            echo_json(asdict(c))
        else:
            click.echo(f"{c.status}\t{c.agency} {c.year}\t{c.detail}\t{c.document}:{c.line}")


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def reports(obj: Context, as_json: bool) -> None:
    """What is ingested: printed name, identity, place chain, year, template, the cue of each, file."""
    for d in obj.store.documents():
        if as_json:
            echo_json(asdict(d))
            continue
        chain = " ".join(
            x for x in (d.province, d.city if d.city != d.province else None, d.county, d.town) if x
        )
        cues = ", ".join(f"{k}: {v}" for k, v in d.cues.items())
        click.echo(
            f"{d.printed or d.agency or '?'}\t{d.agency or '?'}\t{chain or d.place or '?'}\t{d.year or '?'}\t"
            f"{d.template}\t{cues}\t{d.name}"
        )
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
            echo_json(asdict(p))
        else:
            click.echo(
                f"{p.score:.4f}\t{p.agency} {p.year}\t{p.document}:{p.line_start}-{p.line_end}\t{p.section}"
            )
            click.echo("    " + p.text.replace("\n", " ")[:300])


@main.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx", "parquet", "sqlite"]),
    default="csv",
    show_default=True,
)
@click.option("--agency")
@click.option("--year", type=int)
@click.option("--table", help="t2 | t3 | t4 | ind, or 'prose'.")
@click.pass_obj
def export(
    obj: Context, out: Path, fmt: str, agency: str | None, year: int | None, table: str | None
) -> None:
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


for command in (ask, repl, telegram):
    main.add_command(command)

if __name__ == "__main__":
    main()
