"""The facts store on SQLite and on PostgreSQL behaves the same: what is stored, what the read
commands print, how a re-ingest, a duplicate, a replacement and a removal go; and on PostgreSQL
the read commands change nothing and a database that cannot be reached is one error line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from index.load import load_paths
from tests.conftest import DB_URLS, SAMPLES, golden, open_store, run, sample_paths

XIAYI = SAMPLES / "003_dde6e9dcd5a2f618.txt"


def lines(data_dir: Path, *args: str, input: str | None = None) -> list[Any]:
    result = run(data_dir, *args, input=input)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_every_sample_cell_and_stated_number_comes_back_from_the_store(engine_facts_dir: Path) -> None:
    facts = lines(engine_facts_dir, "facts", "--json")
    for path in sample_paths():
        gold = golden(path.name)
        mine = [f for f in facts if f["document"] == path.name]
        cells = {
            (f["table"], f["row"], f["column"]): (f["value"], f["unit"], f["raw"], f["qualifier"], f["line"])
            for f in mine
            if f["kind"] == "cell"
        }
        want = {
            (c["table"], c["row"], c["column"]): (c["value"], c["unit"], c["raw"], c["qualifier"], c["line"])
            for c in gold["cells"]
        }
        assert cells == want, path.name
        prose = {(f["value"], f["unit"], f["line"], f["qualifier"]) for f in mine if f["kind"] == "prose"}
        assert prose == {(p["value"], p["unit"], p["line"], p["qualifier"]) for p in gold["prose"]}, path.name
        assert {f["agency"] for f in mine} == {gold["agency"]}


def test_postgresql_prints_what_sqlite_prints(facts_dir: Path, pg_server: Any, tmp_path: Path) -> None:
    """Facts, checks and reports of the samples, byte for byte (values keep their int or float type,
    rows their order: NULLs first, text compared byte-wise)."""
    d = tmp_path / "pg"
    DB_URLS[d] = pg_server.database()
    assert run(d, "ingest", "--no-embed", str(SAMPLES)).exit_code == 0

    def shown(data_dir: Path, *args: str) -> list[Any]:
        rows = lines(data_dir, *args)
        for r in rows:
            r.pop("ingested_at", None)
        return rows

    for args in (("facts", "--json"), ("check", "--json"), ("reports", "--json")):
        assert shown(d, *args) == shown(facts_dir, *args), args
    assert run(d, "facts").output == run(facts_dir, "facts").output


def test_reingest_duplicate_replace_and_remove(tmp_path: Path, engine: Callable[[Path], Path]) -> None:
    d = engine(tmp_path / "d")
    reports = tmp_path / "r"
    reports.mkdir()
    text = XIAYI.read_text(encoding="utf-8")
    (reports / "2020.txt").write_text(text, encoding="utf-8")
    (reports / "2021.txt").write_text(text.replace("2020", "2021"), encoding="utf-8")
    store = open_store(d)
    assert [r.status for r in load_paths(store, [str(reports)])] == ["added", "added"]
    assert [r.status for r in load_paths(store, [str(reports)])] == ["unchanged", "unchanged"]
    (reports / "copy.txt").write_text(text, encoding="utf-8")
    assert load_paths(store, [str(reports / "copy.txt")])[0].status == f"duplicate of {reports / '2020.txt'}"
    carry = [c for c in store.checks() if c.name == "carryover"]
    assert carry and {c.year for c in carry} == {2021}
    (reports / "2020.txt").write_text(
        text.replace("\t10\t2\t0\t0\t0\t0\t12", "\t11\t2\t0\t0\t0\t0\t13"), encoding="utf-8"
    )
    assert load_paths(store, [str(reports / "2020.txt")])[0].status == "replaced"
    [new] = [f for f in store.facts(year=2020) if (f.table, f.row, f.column) == ("t3", "new", "total")]
    assert new.value == 13 and isinstance(new.value, int)
    store.remove([str(reports / "2020.txt")])
    assert [doc.year for doc in store.documents()] == [2021]
    assert [c for c in store.checks() if c.name == "carryover"] == []  # rechecked: no year before 2021 now


def test_values_keep_their_type_through_the_store(engine_facts_dir: Path) -> None:
    facts = open_store(engine_facts_dir, readonly=True).facts()
    floats = [f.value for f in facts if isinstance(f.value, float)]
    assert floats and all(isinstance(f.value, (int, float, type(None))) for f in facts)
    assert not any(isinstance(f.value, bool) for f in facts)


def test_read_commands_never_create_tables_in_postgresql(pg_server: Any, tmp_path: Path) -> None:
    import psycopg

    url = pg_server.database()
    DB_URLS[tmp_path] = url
    for args in (("reports",), ("facts",), ("ask", "夏邑县2020年收到多少政府信息公开申请？")):
        result = run(tmp_path, *args)
        assert result.exit_code == 2 and result.output.startswith(f"error: no reports in {url}"), (
            result.output
        )
    with psycopg.connect(url) as db:
        assert db.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema='public'"
        ).fetchone() == (0,)


def test_telegram_will_not_start_on_a_database_with_nothing_ingested(
    pg_server: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    url = pg_server.database()
    DB_URLS[tmp_path] = url
    monkeypatch.setenv("XXGK_TELEGRAM_TOKEN", "123456789:" + "A" * 35)
    result = run(tmp_path, "telegram", "--api-base-url", "http://127.0.0.1:9")  # never reached
    assert result.exit_code == 2 and result.output.startswith(f"error: no reports in {url}"), result.output


def test_a_database_that_cannot_be_reached_is_one_error_line(tmp_path: Path) -> None:
    url = f"postgresql://xxgk:secret@/xxgk?host={tmp_path}"  # no server listens on this socket folder
    result = run(tmp_path, "--db-url", url, "ingest", "--no-embed", str(XIAYI))
    assert result.exit_code == 2 and "Traceback" not in result.output
    [line] = result.output.splitlines()
    assert line.startswith("error: cannot connect to postgresql://xxgk:***@/xxgk") and "secret" not in line
    bad = run(tmp_path, "--db-url", "mysql://x/y", "reports")
    assert bad.exit_code == 2 and "a PostgreSQL URL" in bad.output


def test_table_answers_and_exports_are_the_same_on_postgresql(
    series: Any, pg_server: Any, tmp_path: Path
) -> None:
    corpus, sqlite_dir = series
    d = tmp_path / "pg"
    DB_URLS[d] = pg_server.database()
    folder = next(iter(corpus.reports.values())).path.parent
    assert run(d, "ingest", "--no-embed", str(folder)).exit_code == 0
    questions = [
        "固始县2016-2020年收到多少政府信息公开申请？",
        "固始县民政局和夏邑县民政局2022年行政复议多少件？",
        "2022年固始县各镇收到的申请排名前3",
        "郑州市各区县2022年公开率排名",
        "Gushi disclosure rate since 2021",
    ]
    assert lines(d, "ask", "--json", "-", input="\n".join(questions)) == lines(
        sqlite_dir, "ask", "--json", "-", input="\n".join(questions)
    )
    for name, data_dir in (("pg", d), ("sqlite", sqlite_dir)):
        assert run(data_dir, "export", "--format", "csv", str(tmp_path / f"{name}.csv")).exit_code == 0
    assert (tmp_path / "pg.csv").read_bytes() == (tmp_path / "sqlite.csv").read_bytes()


def test_a_nul_inside_a_report_does_not_stop_an_ingest(
    tmp_path: Path, engine: Callable[[Path], Path]
) -> None:
    text = XIAYI.read_text(encoding="utf-8")
    (tmp_path / "nul.txt").write_text(text[:6000] + "\x00" + text[6000:], encoding="utf-8")
    d = engine(tmp_path / "d")
    result = run(d, "ingest", "--no-embed", str(tmp_path / "nul.txt"))
    assert result.exit_code == 0 and "1 added" in result.output, result.output
    gold = golden(XIAYI.name)
    assert len(open_store(d).facts()) == len(gold["cells"]) + len(gold["prose"])
