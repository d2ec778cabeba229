"""A report page saved as text: the .txt of a page's HTML, or of the script that builds it (the whole
report, tables and all, one JavaScript string with its quotes escaped), is read as the page itself —
tables as tables, prose without tags — and gives the same facts as the .html file."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from index.load import load_paths
from index.store import Store
from ingest.readers.document import read_document
from tests.synth import generate

MENUS = (  # a site's menus, as its script declares them before the page
    '//字典项\nlet area = [{\n\t"id": "1",\n\t"name": "上海市"\n}, {\n\t"id": "2",\n\t"name": "浙江省"\n}]\n'
)


def _facts(d: Path, name: str, data: bytes) -> set[tuple[object, ...]]:
    d.mkdir()
    (d / name).write_bytes(data)
    s = Store(d / "facts.sqlite")
    load_paths(s, [str(d / name)])
    return {(f.agency, f.year, f.kind, f.table, f.row, f.column, f.value, f.qualifier) for f in s.facts()}


def _as_script(html: str, ascii_only: bool) -> str:
    """The page as a site's script holds it: a JS string (\\" \\n \\/, and \\uXXXX when ASCII-only)."""
    literal = json.dumps(html, ensure_ascii=ascii_only).replace("</", "<\\/")
    return f"{MENUS}\nlet content = {literal};\ndocument.getElementById('c').innerHTML = content;\n"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_page_saved_as_text_reads_as_the_page(tmp_path: Path, seed: int) -> None:
    s = generate(random.Random(seed), "html")
    page = _facts(tmp_path / "html", "r.html", s.data)
    assert any(f[2] == "cell" for f in page)
    wrapped = {
        "script": _as_script(s.text, ascii_only=False).encode("utf-8"),
        "script_ascii": _as_script(s.text, ascii_only=True).encode("utf-8"),
        "page_as_txt": ("//saved from the site\n" + s.text).encode("utf-8"),
    }
    for kind, data in wrapped.items():
        assert _facts(tmp_path / kind, "r.txt", data) == page, kind


def test_the_prose_of_a_script_page_keeps_no_tags(tmp_path: Path) -> None:
    s = generate(random.Random(4), "html")
    (tmp_path / "r.txt").write_text(_as_script(s.text, ascii_only=False), encoding="utf-8")
    doc = read_document(tmp_path / "r.txt")
    assert doc.format == "html"
    assert not [line for line in doc.lines if "</" in line or "<p" in line or '\\"' in line]
    assert not [line for line in doc.lines if "let area" in line or '"name"' in line]  # the menus


def test_a_text_report_quoting_a_tag_stays_text(tmp_path: Path) -> None:
    s = generate(random.Random(5), "tab")
    data = s.text.replace("一、总体情况", "一、总体情况（网页版见<p>栏目）", 1).encode("utf-8")
    (tmp_path / "r.txt").write_bytes(data)
    assert read_document(tmp_path / "r.txt").format == "txt"
