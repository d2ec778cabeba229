"""Shared fixtures: the bundled sample reports, and a data dir with them ingested."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"


def sample_paths() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt"))


def golden(name: str) -> dict:
    return json.loads((GOLDEN / (Path(name).stem + ".json")).read_text(encoding="utf-8"))


def run(data_dir: Path, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    """Invoke the real CLI in-process, as a user would from the shell."""
    return CliRunner().invoke(main, ["--data-dir", str(data_dir), *args], input=input, catch_exceptions=False)


def xxgk_unprivileged(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`xxgk` in a process that file permissions apply to: root without its override capabilities."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root and setpriv (util-linux) is absent: permissions cannot be tested")
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    return subprocess.run([*prefix, sys.executable, "-m", "bot.cli", "--data-dir", str(data), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(autouse=True)
def _no_outside_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never use the developer's LLM endpoint, Chroma server, model or data dir."""
    for name in ("XXGK_LLM", "XXGK_DB_URL", "XXGK_CHROMA_URL", "XXGK_EMBED_MODEL", "XXGK_DATA_DIR", "XXGK_TELEGRAM_TOKEN",
                 "XXGK_TELEGRAM_ALLOWED_CHATS", "OPENAI_API_KEY", "OPENAI_BASE_URL", "OLLAMA_HOST"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def facts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the five samples ingested (facts only, no embeddings)."""
    d = tmp_path_factory.mktemp("facts")
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
