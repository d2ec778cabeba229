"""What a journalist takes away: charts with Chinese labels, spreadsheets of table answers,
exports of the whole store that read back to the same facts, and the REPL's and Telegram's
`chart`; a long table in Telegram arrives as a CSV document."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import warnings
from pathlib import Path

import pytest

from index.export import FACT_COLUMNS, read_back
from index.store import Store
from tests.conftest import run
from tests.test_telegram import bot_running

TREND = "固始县历年收到多少政府信息公开申请？"
RANK = "2022年固始县各镇收到多少政府信息公开申请？排名"


def png_pixels(path: Path):  # type: ignore[no-untyped-def]
    from matplotlib import image

    return image.imread(str(path))


def test_the_cjk_font_is_the_bundled_one_and_has_every_glyph_drawn() -> None:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    from bot.chart import FAMILY, SOURCE, font_path

    path = font_path()
    assert "noto_cjk_sans_otc" in path  # from the package the install brings, not a system font
    assert (
        font_manager.findfont(font_manager.FontProperties(family=FAMILY), fallback_to_default=False) == path
    )
    face = FT2Font(path)
    text = SOURCE + "固始县人民政府本年新收政府信息公开申请数量·总计年份未载明"
    assert all(face.get_char_index(ord(ch)) for ch in text if ch.strip())


@pytest.mark.parametrize("question,kind", [(TREND, "trend"), (RANK, "rank")])
def test_chart_files_open_at_the_expected_size_with_no_missing_glyphs(
    series, tmp_path: Path, question: str, kind: str
) -> None:
    _, d = series
    out = tmp_path / f"{kind}.png"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run(d, "ask", "--chart", str(out), question)
    assert result.exit_code == 0, result.output
    assert not [
        w for w in caught if "missing from" in str(w.message)
    ]  # matplotlib warns for every box it draws
    pixels = png_pixels(out)
    assert pixels.shape[:2] == (600, 1000)
    ink = (pixels[..., :3].mean(axis=2) < 0.5).mean()
    assert 0.005 < ink < 0.5  # lines, bars and labels; not blank, not a black square


def test_a_chart_of_a_single_figure_is_refused_in_one_line(series, tmp_path: Path) -> None:
    _, d = series
    result = run(d, "ask", "--chart", str(tmp_path / "x.png"), "固始县民政局2021年收到多少政府信息公开申请？")
    assert result.exit_code == 1 and "not a table" in result.output and not (tmp_path / "x.png").exists()


def test_ask_csv_and_xlsx_hold_the_rows_of_the_answer(series, tmp_path: Path) -> None:
    _, d = series
    a = json.loads(run(d, "ask", "--json", RANK).output)
    result = run(d, "ask", "--csv", str(tmp_path / "r.csv"), "--xlsx", str(tmp_path / "r.xlsx"), RANK)
    assert result.exit_code == 0, result.output
    for fmt in ("csv", "xlsx"):
        rows = read_back(tmp_path / f"r.{fmt}", fmt)
        assert [
            (r["agency"], int(r["value"]), r["year"] if fmt == "xlsx" else int(r["year"])) for r in rows
        ] == [(r["agency"], r["value"], r["year"]) for r in a["rows"]]
        assert all(r["sources"] and ":" in r["sources"] for r in rows)
    head = next(csv.reader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8-sig"))))
    assert head[0] == "机关 agency" and "数值 value" in head


KEYS = (
    "agency",
    "year",
    "document",
    "table",
    "row",
    "column",
    "value",
    "unit",
    "raw",
    "qualifier",
    "line",
    "quote",
)


def stored(d: Path, **filters) -> list[tuple]:  # type: ignore[no-untyped-def]
    store = Store(d / "facts.sqlite")
    try:
        return sorted(_norm({k: getattr(f, k) for k in KEYS}) for f in store.facts(**filters))
    finally:
        store.close()


def _norm(r: dict) -> tuple:
    out = []
    for k in KEYS:
        v = r[k]
        if k in ("year", "line") and v not in (None, ""):
            v = int(v)
        elif k == "value":
            v = None if v in (None, "") else float(v)
        else:
            v = "" if v is None else str(v)
        out.append(v)
    return tuple(out)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_exports_read_back_to_the_stored_facts_with_provenance(series, tmp_path: Path, fmt: str) -> None:
    _, d = series
    out = tmp_path / f"facts.{fmt}"
    result = run(d, "export", "--format", fmt, str(out))
    assert result.exit_code == 0, result.output
    assert sorted(_norm(r) for r in read_back(out, fmt)) == stored(d)
    assert len(read_back(out, fmt)[0]) == len(FACT_COLUMNS)


def test_export_filters_by_agency_year_and_table(series, tmp_path: Path) -> None:
    _, d = series
    out = tmp_path / "one.csv"
    run(
        d,
        "export",
        "--format",
        "csv",
        "--agency",
        "固始县人民政府",
        "--year",
        "2021",
        "--table",
        "t3",
        str(out),
    )
    assert sorted(_norm(r) for r in read_back(out, "csv")) == stored(
        d, agency="固始县人民政府", year=2021, table="t3"
    )


def test_sqlite_export_is_datasette_ready(series, tmp_path: Path) -> None:
    _, d = series
    out = tmp_path / "xxgk.db"
    assert run(d, "export", "--format", "sqlite", str(out)).exit_code == 0
    db = sqlite3.connect(str(out))
    db.row_factory = sqlite3.Row
    rows = [dict(r) for r in db.execute("SELECT * FROM facts")]
    assert sorted(_norm(r) for r in rows) == stored(d)
    n_docs = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert n_docs == len(series[0].reports) and db.execute("SELECT count(*) FROM checks").fetchone()[0] > 0
    meta = json.loads(
        (tmp_path / "xxgk.metadata.json").read_text(encoding="utf-8")
    )  # its own name, beside it
    tables = meta["databases"]["xxgk"]["tables"]
    assert set(tables) == {"facts", "documents", "checks"} and "数值" in tables["facts"]["columns"]["value"]
    assert meta["source"]


def test_repl_chart_draws_the_last_table_answer(series, tmp_path: Path) -> None:
    _, d = series
    out = tmp_path / "repl.png"
    result = run(d, "repl", input=f"chart\n{TREND}\nchart {out}\n:quit\n")
    assert "no table answer to chart yet" in result.output
    assert f"chart written to {out}" in result.output and png_pixels(out).shape[:2] == (600, 1000)


@pytest.mark.asyncio
async def test_telegram_chart_is_sent_as_a_photo(series) -> None:
    _, d = series
    async with bot_running(d) as (fake, bot):
        fake.inject_message(301, "/chart")
        [first] = await fake.wait_sent(301)
        assert "/chart" in first.plain
        fake.inject_message(301, TREND)
        await fake.wait_sent(301, 2)
        fake.inject_message(301, "/chart")
        await fake.wait_for(lambda: any(u.method == "sendPhoto" for u in fake.uploads))
        photo = next(u for u in fake.uploads if u.method == "sendPhoto")
        assert (
            photo.chat_id == 301
            and photo.data[:8] == b"\x89PNG\r\n\x1a\n"
            and "固始县人民政府" in photo.caption
        )


@pytest.mark.asyncio
async def test_a_long_table_in_telegram_is_a_summary_and_a_csv_document(series) -> None:
    _, d = series
    question = "2022年所有机关公开率排名"
    a = json.loads(run(d, "ask", "--json", question).output)
    assert len(a["text"]) > 4096 and a["kind"] == "rank"
    async with bot_running(d) as (fake, bot):
        fake.inject_message(302, question)
        await fake.wait_for(lambda: any(u.method == "sendDocument" for u in fake.uploads))
        [summary] = fake.sent_to(302)
        doc = next(u for u in fake.uploads if u.method == "sendDocument")
    assert "CSV" in summary.plain and len(summary.plain) < 1500
    rows = list(csv.reader(io.StringIO(doc.data.decode("utf-8-sig"))))
    assert doc.filename.endswith(".csv") and len(rows) == 1 + len(a["rows"])
    assert [r[0] for r in rows[1:]] == [r["agency"] for r in a["rows"]]
