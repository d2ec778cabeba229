"""A data dir that is read-only, missing, corrupt or on a full disk: one clear `error:` line and
exit 2, never a trace; the read commands work on a store they may not write; nothing is created
by a command that only reads; a run cut short by a full disk is finished by the next one."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES, run, xxgk_unprivileged

Q = "夏邑县2020年收到多少政府信息公开申请？"
READ_COMMANDS = [
    ("reports",),
    ("facts", "--agency", "夏邑县人民政府"),
    ("check",),
    ("ask", "--json", Q),
    ("search", "低保", "-k", "2"),
]


def store_rows(d: Path) -> list[tuple]:  # type: ignore[type-arg]
    con = sqlite3.connect(f"file:{d / 'facts.sqlite'}?mode=ro", uri=True)
    try:
        return sorted(
            con.execute(
                "SELECT d.name, f.tbl, f.row, f.col, f.value, f.line "
                "FROM facts f JOIN documents d ON d.id=f.doc_id"
            )
        )
    finally:
        con.close()


def test_read_commands_work_on_a_read_only_store_and_ingest_says_why_not(
    facts_dir: Path, tmp_path: Path
) -> None:
    d = tmp_path / "data"
    shutil.copytree(facts_dir, d)
    sqlite3.connect(d / "facts.sqlite").close()  # the last connection folds the WAL back into the file
    before = store_rows(d)
    for p in [d, *d.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        for args in READ_COMMANDS:
            proc = xxgk_unprivileged(d, *args)
            assert proc.returncode == 0 and "Traceback" not in proc.stderr, (args, proc.stderr)
            assert proc.stdout.strip(), args
        assert json.loads(xxgk_unprivileged(d, "ask", "--json", Q).stdout)["value"] == 12
        proc = xxgk_unprivileged(d, "ingest", "--no-embed", str(SAMPLES / "003_dde6e9dcd5a2f618.txt"))
        assert proc.returncode == 2
        assert proc.stderr.splitlines() == [f"error: cannot write to {d}: permission denied"]
    finally:
        for p in [d, *d.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
    assert store_rows(d) == before


def test_a_corrupt_store_is_one_error_line(tmp_path: Path) -> None:
    d = tmp_path / "data"
    d.mkdir()
    (d / "facts.sqlite").write_bytes(b"this is not SQLite\n" * 500)
    for args in [*READ_COMMANDS, ("ingest", "--no-embed", str(SAMPLES))]:
        result = run(d, *args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.splitlines() == [
            f"error: {d / 'facts.sqlite'} is not a usable xxgk store "
            "(file is not a database); move it away and ingest again"
        ]


def test_read_commands_never_create_a_missing_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = tmp_path / "nothing-here"
    for args in READ_COMMANDS:
        result = run(d, *args)
        assert result.exit_code == 2, (args, result.output)
        said = f"error: no reports in {d}: run `xxgk --data-dir {d} ingest PATH...` first"
        assert result.stderr.splitlines() == [said]
    assert not d.exists()
    monkeypatch.setenv("XXGK_TELEGRAM_TOKEN", "123456789:AAHfakeTokenForTestsOnly-0123456789x")
    result = run(d, "telegram")
    assert result.exit_code == 2 and "no reports in" in result.stderr


def _disk_of(limit: int):  # type: ignore[no-untyped-def]
    def apply() -> None:  # a file may not grow past `limit` bytes: what a full disk looks like to SQLite
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_stops_the_run_with_a_message_and_the_next_run_ends_it(
    facts_dir: Path, tmp_path: Path
) -> None:
    d = tmp_path / "data"
    cmd = [sys.executable, "-m", "bot.cli", "--data-dir", str(d), "ingest", "--no-embed", str(SAMPLES)]
    full = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, timeout=300, preexec_fn=_disk_of(120_000)
    )
    assert full.returncode == 2, full.stderr
    assert "Traceback" not in full.stderr
    errors = [line for line in full.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "cannot write the store while storing" in errors[0]
    assert "run the same command again" in errors[0]
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert store_rows(d) == store_rows(facts_dir)
    assert os.path.getsize(d / "facts.sqlite") > 120_000


def test_a_full_disk_while_embedding_keeps_the_facts_and_says_how_to_finish(
    facts_dir: Path, tmp_path: Path
) -> None:
    d = tmp_path / "data"
    shutil.copytree(facts_dir, d)
    cmd = [
        sys.executable,
        "-m",
        "bot.cli",
        "--data-dir",
        str(d),
        "ingest",
        str(SAMPLES),
    ]  # only Chroma writes
    full = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, timeout=300, preexec_fn=_disk_of(200_000)
    )
    assert full.returncode == 2 and "Traceback" not in full.stderr, full.stderr[-2000:]
    errors = [line for line in full.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert errors[0].startswith(
        "error: the facts are stored, but the passage embeddings could not be updated"
    )
    assert errors[0].endswith("run the same ingest again to finish, or pass --no-embed")
    assert store_rows(d) == store_rows(facts_dir)
