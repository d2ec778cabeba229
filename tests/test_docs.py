"""The README documents every command, and every command answers --help."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bot.cli import main
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_in_the_readme_and_has_help(name: str) -> None:
    assert f"`xxgk {name}" in README
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_readme_first_screen_has_the_two_commands() -> None:
    first_screen = README[:1500]
    assert "xxgk --data-dir demo-data ingest samples/" in first_screen
    assert ".venv/bin/python -m pytest" in first_screen
    assert (ROOT / ".ci" / "run").read_text().rstrip().endswith(".venv/bin/python -m pytest")
