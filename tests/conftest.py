"""Shared fixtures: the bundled sample reports, a data dir with them ingested, and the two engines
the facts store runs on (SQLite, and a real PostgreSQL server the tests start themselves)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from index.store import Store, location
from tests.pgserver import (
    DB_URLS,
)  # one dict, though pytest loads this file twice (as conftest, tests.conftest)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"


def sample_paths() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt"))


def golden(name: str) -> dict:
    return json.loads((GOLDEN / (Path(name).stem + ".json")).read_text(encoding="utf-8"))


def run(data_dir: Path, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    """Invoke the real CLI in-process, as a user would from the shell (`--db-url` for a
    data dir whose facts are in PostgreSQL)."""
    url = DB_URLS.get(Path(data_dir))
    db = ["--db-url", url] if url else []
    return CliRunner().invoke(
        main, ["--data-dir", str(data_dir), *db, *args], input=input, catch_exceptions=False
    )


def store_location(data_dir: Path) -> Path | str:
    """Where a data dir's facts are: its facts.sqlite, or its PostgreSQL database."""
    return location(data_dir, DB_URLS.get(Path(data_dir)))


def open_store(data_dir: Path, readonly: bool = False) -> Store:
    """The facts store of a data dir, on whichever engine holds it."""
    return Store(store_location(data_dir), readonly=readonly)


def store_of(folder: Path, report: str) -> Store:
    """A store holding one report given as text, ingested as `xxgk ingest` does."""
    from index.load import load_paths

    (folder / "r.txt").write_text(report, encoding="utf-8")
    store = Store(folder / "facts.sqlite")
    load_paths(store, [str(folder / "r.txt")])
    return store


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    """A real PostgreSQL server for this test session (tests/pgserver.py)."""
    from tests import pgserver

    server = pgserver.start()
    if isinstance(server, str):
        pytest.skip(f"PostgreSQL cannot start here, its tests are skipped: {server}")
    yield server
    server.stop()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Callable[[Path], Path]:
    """Each engine in turn: a function that makes a data dir keep its facts there."""
    if request.param == "sqlite":
        return lambda d: d
    server = request.getfixturevalue("pg_server")

    def in_postgres(d: Path) -> Path:
        DB_URLS[Path(d)] = server.database()
        return d

    return in_postgres


def xxgk_unprivileged(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`xxgk` in a process that file permissions apply to: root without its override capabilities."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root and setpriv (util-linux) is absent: permissions cannot be tested")
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "bot.cli", "--data-dir", str(data), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(autouse=True)
def _no_outside_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never use the developer's LLM endpoint, Chroma server, model or data dir."""
    for name in (
        "XXGK_LLM",
        "XXGK_DB_URL",
        "XXGK_CHROMA_URL",
        "XXGK_EMBED_MODEL",
        "XXGK_DATA_DIR",
        "XXGK_TELEGRAM_TOKEN",
        "XXGK_TELEGRAM_ALLOWED_CHATS",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "OLLAMA_HOST",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def facts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the five samples ingested (facts only, no embeddings)."""
    d = tmp_path_factory.mktemp("facts")
    result = run(d, "ingest", "--no-embed", str(SAMPLES))
    assert result.exit_code == 0, result.output
    return d


@pytest.fixture(scope="session")
def engine_facts_dir(tmp_path_factory: pytest.TempPathFactory, engine: Callable[[Path], Path]) -> Path:
    """The five samples ingested (facts only), on each engine in turn."""
    d = engine(tmp_path_factory.mktemp("facts"))
    result = run(d, "ingest", "--no-embed", str(SAMPLES))
    assert result.exit_code == 0, result.output
    return d


@pytest.fixture
def samples_copy(tmp_path: Path) -> Path:
    d = tmp_path / "samples"
    shutil.copytree(SAMPLES, d)
    return d


@pytest.fixture(scope="session")
def series(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A generated multi-year, multi-agency corpus (tests/synth_series.py), ingested: (corpus, data dir)."""
    import random

    from tests import synth_series

    root = tmp_path_factory.mktemp("series")
    corpus = synth_series.corpus(random.Random(7), root / "reports")
    result = run(root / "data", "ingest", "--no-embed", str(root / "reports"))
    assert result.exit_code == 0, result.output
    return corpus, root / "data"
