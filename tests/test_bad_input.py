"""Files that are not good reports, through `xxgk ingest` as a user runs it: each gets one line
naming the file and the reason, the exit status is non-zero when a file was rejected, and the
store is left exactly as it was (`xxgk facts --json` before and after)."""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import subprocess
import sys
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, run
from tests.render import blocks_of, blocks_of_text, scanned_pdf, to_pdf

pytest.importorskip(
    "reportlab", reason="reportlab renders the test PDFs: install the test extra (pip install -e '.[test]')"
)

XIAYI = SAMPLES / "003_dde6e9dcd5a2f618.txt"
NEWS = """夏邑县召开2021年春季农业生产工作会议

3月10日上午，夏邑县召开2021年春季农业生产工作会议，县委常委、副县长王某某出席会议并讲话。会议指出，今年全县小麦种植面积达到120万亩，
较上年增加2万亩。夏邑县农业农村局负责同志通报了全县春耕备播情况，全县已储备化肥3.5万吨、种子800万公斤，共组织农机3200台。

会议要求，各乡镇要压实责任，抓好小麦田间管理，确保夏粮丰收。
"""


@pytest.fixture
def store(facts_dir: Path, tmp_path: Path) -> Path:
    """A copy of the five-sample store for one test to change."""
    d = tmp_path / "data"
    shutil.copytree(facts_dir, d)
    return d


def snapshot(d: Path) -> list[str]:
    facts = run(d, "facts", "--json").output.splitlines()
    docs = [
        json.dumps({k: v for k, v in json.loads(line).items() if k != "ingested_at"}, ensure_ascii=False)
        for line in run(d, "reports", "--json").output.splitlines()
    ]
    return sorted(facts) + sorted(docs)


def messages(result, path: Path) -> list[str]:  # type: ignore[no-untyped-def]
    return [line for line in result.stderr.splitlines() if line.startswith(("error:", "warning:"))]


# ------------------------------------------------------------------ the bad files


def zero_bytes(d: Path) -> Path:
    p = d / "zero.txt"
    p.write_bytes(b"")
    return p


def blank_text(d: Path) -> Path:
    p = d / "blank.txt"
    p.write_bytes(b"\xef\xbb\xbf\r\n   \r\n\t\r\n")
    return p


def empty_docx(d: Path) -> Path:
    import docx

    p = d / "empty.docx"
    docx.Document().save(str(p))
    return p


def empty_html(d: Path) -> Path:
    p = d / "empty.html"
    p.write_text(
        "<!DOCTYPE html><html><head><title>夏邑县人民政府</title></head><body><div class='nav'>首页 "
        "政务公开</div>"
        "<footer>版权所有 夏邑县人民政府 豫ICP备05012345号</footer></body></html>",
        encoding="utf-8",
    )
    return p


def binary_noise(d: Path) -> Path:
    p = d / "noise.txt"
    p.write_bytes(random.Random(6).randbytes(64 * 1024))
    return p


def high_byte_noise(d: Path) -> Path:
    """Noise with no NUL or control bytes: it even decodes as GB18030."""
    r = random.Random(7)
    p = d / "noise-gbk.txt"
    p.write_bytes(bytes(r.randrange(0x81, 0xFF) for _ in range(8000)))
    return p


def scanned(d: Path) -> Path:
    p = d / "scan.pdf"
    p.write_bytes(scanned_pdf())
    return p


def truncated_pdf(d: Path) -> Path:
    data = to_pdf(blocks_of(XIAYI))
    p = d / "truncated.pdf"
    p.write_bytes(data[: len(data) * 2 // 3])
    return p


def zip_not_docx(d: Path) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("statistics.csv", "项目,数量\n本年新收,12\n")
        z.writestr("readme.txt", "政府信息公开工作年度报告 附表")
    p = d / "report.docx"
    p.write_bytes(buf.getvalue())
    return p


def not_a_report(d: Path) -> Path:
    p = d / "news.txt"
    p.write_text(NEWS, encoding="utf-8")
    return p


def legacy_doc(d: Path) -> Path:
    p = d / "report.doc.txt"  # a Word 97 file that lost its name
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(8).randbytes(8192))
    return p


def two_tables(d: Path) -> Path:
    """表三 pasted twice with no second title or outline: whose is the second?"""
    lines = XIAYI.read_text(encoding="utf-8").split("\n")
    p = d / "two-tables.txt"
    p.write_text("\n".join(lines[:72] + lines[43:72] + lines[72:]), encoding="utf-8")
    return p


def same_report_twice(d: Path) -> Path:
    p = d / "twice.txt"
    p.write_text(XIAYI.read_text(encoding="utf-8") * 2, encoding="utf-8")
    return p


def two_html_pages(d: Path) -> Path:
    """Two saved web pages in one file: an HTML parser reads the first and silently drops the second."""
    from tests.render import to_html

    p = d / "two-pages.html"
    other = XIAYI.read_text(encoding="utf-8").replace("夏邑", "虞城")
    p.write_bytes(to_html(blocks_of(XIAYI)) + to_html(blocks_of_text(other)))
    return p


def device(d: Path) -> Path:
    return Path("/dev/zero")  # endless: read with a cap, or not at all


REJECTED: list[tuple[Callable[[Path], Path], str]] = [
    (zero_bytes, r"empty file"),
    (blank_text, r"empty file|no report found"),
    (empty_docx, r"no text in the document"),
    (empty_html, r"no text in the document"),
    (binary_noise, r"binary file, not text"),
    (high_byte_noise, r"no report found|not a 政府信息公开 report|unreadable encoding"),
    (scanned, r"no text layer \(scanned PDF\?\); OCR is not supported"),
    (truncated_pdf, r"truncated or damaged PDF"),
    (zip_not_docx, r"zip archive is not a DOCX \(no word/document.xml; it holds 2 file\(s\)"),
    (not_a_report, r"not a 政府信息公开 report"),
    (legacy_doc, r"legacy Office file"),
    (two_tables, r"holds 2 statistics tables \(表三, lines 47, 76\) with no second report title"),
    (same_report_twice, r"holds 2 reports labelled 夏邑县人民政府 2020 \(starting at lines 1, 9\d\)"),
    (two_html_pages, r"holds 2 HTML pages one after another \(a second <html> after </html>\)"),
    (device, r"a character device, not a file"),
]


@pytest.mark.parametrize("make, reason", REJECTED, ids=[m.__name__ for m, _ in REJECTED])
def test_rejected_with_one_line_naming_file_and_reason(
    make, reason: str, store: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    before = snapshot(store)
    result = run(store, "ingest", "--no-embed", str(path))
    assert result.exit_code != 0
    lines = messages(result, path)
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"error: {path}: "), lines[0]
    assert re.search(reason, lines[0]), lines[0]
    assert "Traceback" not in result.output
    assert snapshot(store) == before
    print(f"{make.__name__}: {lines[0][len(f'error: {path}: ') :]} — store unchanged")


def test_huge_file_is_refused_without_being_read(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    chunk = XIAYI.read_bytes()
    with path.open("wb") as f:
        while f.tell() < 50 * 1024 * 1024:
            f.write(chunk)
    before = snapshot(store)
    tracemalloc.start()
    try:
        result = run(store, "ingest", "--no-embed", str(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.exit_code != 0
    assert messages(result, path) == [f"error: {path}: file too large (52 MB > 20 MB); not a single report"]
    assert peak < 8 * 1024 * 1024, f"ingest allocated {peak / 1e6:.1f} MB for a file it refuses"
    assert snapshot(store) == before


def test_same_report_under_a_second_name_is_a_warning(store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "夏邑县2020年报-副本.txt"
    copy.write_bytes(XIAYI.read_bytes())
    before = snapshot(store)
    result = run(store, "ingest", "--no-embed", str(copy))
    assert result.exit_code == 0
    lines = messages(result, copy)
    assert (
        len(lines) == 1
        and lines[0].startswith(f"warning: {copy}: same content as ")
        and XIAYI.name in lines[0]
    )
    assert "0 added" in result.stdout
    assert snapshot(store) == before


def test_same_report_twice_in_one_run(tmp_path: Path) -> None:
    d = tmp_path / "data"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(XIAYI.read_bytes())
    (folder / "b.txt").write_bytes(XIAYI.read_bytes())
    result = run(d, "ingest", "--no-embed", str(folder))
    assert result.exit_code == 0
    assert messages(result, folder) == [
        f"warning: {folder / 'b.txt'}: same content as {folder / 'a.txt'}; skipped"
    ]
    assert len(run(d, "reports", "--json").output.splitlines()) == 1


def test_report_with_tables_cut_off_is_kept_with_a_warning(store: Path, tmp_path: Path) -> None:
    lines = XIAYI.read_text(encoding="utf-8").splitlines()
    cut = tmp_path / "xiayi-cut.txt"
    cut.write_text("\n".join(lines[:58]) + "\n", encoding="utf-8")  # stops inside table 三, no table 四
    before = snapshot(store)
    result = run(store, "ingest", "--no-embed", str(cut))
    assert result.exit_code == 0
    warnings = messages(result, cut)
    assert warnings and all(w.startswith(f"warning: {cut}: ") for w in warnings)
    assert any("表三 is incomplete" in w for w in warnings) and any("表四 is missing" in w for w in warnings)
    after = snapshot(store)
    added = [line for line in after if line not in before]
    assert added and all(cut.name in line for line in added)  # only the new document's rows
    assert [line for line in after if cut.name not in line] == before


def test_a_folder_of_good_and_bad_files(store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    bad = [make(folder) for make, _ in REJECTED if make not in (legacy_doc, device)]
    good = folder / "yucheng.pdf"  # another county's report, as a PDF
    good.write_bytes(to_pdf(blocks_of_text(XIAYI.read_text(encoding="utf-8").replace("夏邑", "虞城"))))
    before = snapshot(store)
    result = run(store, "ingest", "--no-embed", str(folder))
    assert result.exit_code == 1
    errors = [line for line in messages(result, folder) if line.startswith("error:")]
    assert sorted(line.split(": ")[1] for line in errors) == sorted(str(p) for p in bad)
    assert f"{len(bad) + 1} file(s)" in result.stdout and f"{len(bad)} rejected" in result.stdout
    after = snapshot(store)
    assert any(good.name in line for line in after)
    assert [line for line in after if good.name not in line] == before


# ------------------------------------------------------------------ overrides


@pytest.mark.parametrize(
    "option, value",
    [
        ("--year", "0"),
        ("--year", "-5"),
        ("--year", "99999"),
        ("--year", "2006"),
        ("--agency", "  "),
        ("--agency", "夏邑\n县"),
        ("--agency", "x"),
    ],
)
def test_overrides_are_validated(option: str, value: str, store: Path, tmp_path: Path) -> None:
    before = snapshot(store)
    result = run(store, "ingest", "--no-embed", option, value, str(XIAYI))
    assert result.exit_code == 2 and f"Invalid value for '{option}'" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(store) == before


def test_one_override_never_relabels_a_folder_or_several_files(store: Path, samples_copy: Path) -> None:
    before = snapshot(store)
    for paths in ([str(samples_copy)], [str(p) for p in sorted(samples_copy.iterdir())[:2]]):
        result = run(store, "ingest", "--no-embed", "--agency", "测试县人民政府", *paths)
        assert result.exit_code == 2
        assert result.stderr.splitlines() == [
            "error: --agency/--year/--place label one report: give one file, not a folder or several files"
        ]
    assert snapshot(store) == before


def test_an_override_on_a_copy_of_a_stored_file_leaves_that_file_alone(store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(XIAYI.read_bytes())
    before = snapshot(store)
    result = run(store, "ingest", "--no-embed", "--agency", "测试县人民政府", "--year", "2020", str(copy))
    assert result.exit_code == 0
    assert messages(result, copy) == [
        f"warning: {copy}: same content as {XIAYI}; skipped",
        f"warning: {copy}: --agency/--year not applied: they relabel only the file given; "
        f"ingest {XIAYI} with them",
    ]
    assert snapshot(store) == before


def test_a_file_overwritten_with_another_files_bytes_no_longer_answers_its_old_report(tmp_path: Path) -> None:
    d, a, b = tmp_path / "data", tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(XIAYI.read_bytes())
    b.write_bytes(XIAYI.read_bytes().replace("夏邑".encode(), "虞城".encode()))
    assert run(d, "ingest", "--no-embed", str(a), str(b)).exit_code == 0
    a.write_bytes(b.read_bytes())
    result = run(d, "ingest", "--no-embed", str(a))
    assert result.exit_code == 0
    assert messages(result, a) == [
        f"warning: {a}: same content as {b}; skipped",
        f"warning: {a}: its previous report (夏邑县人民政府 2020) is removed from the store: "
        "the file no longer holds it",
    ]
    assert [line.split("\t")[-1] for line in run(d, "reports").stdout.splitlines()] == ["b.txt"]
    assert (
        json.loads(run(d, "ask", "--json", "夏邑县2020年收到多少政府信息公开申请？").output)["value"] is None
    )


# ------------------------------------------------------------------ kept, with a warning


def test_deeply_nested_html_keeps_its_tables(tmp_path: Path) -> None:
    from tests.render import to_html

    page = to_html(blocks_of(XIAYI)).decode("utf-8")
    deep = tmp_path / "deep.html"
    nested = page.replace("<body>", "<body>" + "<div>" * 500).replace("</body>", "</div>" * 500 + "</body>")
    deep.write_text(nested, encoding="utf-8")
    flat = tmp_path / "flat.html"
    flat.write_text(page, encoding="utf-8")
    counts = []
    for p in (flat, deep):
        d = tmp_path / p.stem
        assert run(d, "ingest", "--no-embed", str(p)).exit_code == 0
        counts.append(
            sorted(
                (f["table"], f["row"], f["column"], f["value"])
                for f in map(json.loads, run(d, "facts", "--json").output.splitlines())
            )
        )
    assert len(counts[0]) > 150 and counts[1] == counts[0]


@pytest.mark.parametrize(
    "name, keep, warning",
    [
        (
            "no-tables.txt",
            lambda line: "\t" not in line,
            "no statistics tables found (表二/表三/表四): only the numbers stated in the text are stored",
        ),
        (
            "stub.txt",
            lambda line: "年度报告" in line,
            "no numbers at all (24 characters of text): only a title, or the report's body is missing",
        ),
    ],
)
def test_a_report_missing_its_tables_or_body_is_kept_with_a_warning(
    name: str, keep: Callable[[str], bool], warning: str, tmp_path: Path
) -> None:
    p = tmp_path / name
    p.write_text("\n".join(filter(keep, XIAYI.read_text(encoding="utf-8").split("\n"))), encoding="utf-8")
    result = run(tmp_path / "data", "ingest", "--no-embed", str(p))
    assert result.exit_code == 0
    assert messages(result, p) == [f"warning: {p}: {warning}"]


def test_spaced_thousands_are_read_and_negative_counts_flagged(tmp_path: Path) -> None:
    text = XIAYI.read_text(encoding="utf-8")
    text = text.replace("行政许可\t231\t1\t27269", "行政许可\t231\t-1\t27 269")
    text = text.replace("规范性文件\t5\t5\t5", "规范性文件\t-5\t5\t5")
    p = tmp_path / "edited.txt"
    p.write_text(text, encoding="utf-8")
    d = tmp_path / "data"
    assert "1 checks failed" in run(d, "ingest", "--no-embed", str(p)).stdout
    t2 = {
        (f["row"], f["column"]): f
        for f in map(json.loads, run(d, "facts", "--json", "--table", "t2").output.splitlines())
    }
    decisions = t2[("licensing", "decisions")]
    assert (decisions["value"], decisions["qualifier"]) == (27269, "")
    assert t2[("licensing", "change")]["value"] == -1  # 本年增/减 may be negative
    checks = map(json.loads, run(d, "check", "--json").output.splitlines())
    failed = [(c["name"], c["detail"]) for c in checks if c.get("status") == "FAIL"]
    assert failed == [("sign", "规范性文件 / 本年新制作数量: a count cannot be negative (-5)")]


# ------------------------------------------------------------------ ask


def test_an_empty_or_blank_question_is_one_error_and_exit_2(facts_dir: Path) -> None:
    for q in ("", "   ", "\t"):
        result = run(facts_dir, "ask", q)
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.startswith("error: empty question")


def test_invalid_utf8_never_reaches_the_json(facts_dir: Path) -> None:
    from tests.conftest import ROOT

    cmd = [sys.executable, "-m", "bot.cli", "--data-dir", str(facts_dir), "ask", "--json"]
    question = "夏邑县2020年收到多少政府信息公开申请？".encode()
    one = subprocess.run([*cmd, b"\xff\xfe" + question], cwd=ROOT, capture_output=True, timeout=120)
    batch = subprocess.run(
        [*cmd, "-"], input=b"\xc3(\n" + question + b"\n", cwd=ROOT, capture_output=True, timeout=120
    )
    for proc in (one, batch):
        assert proc.returncode == 0, proc.stderr
        answers = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]  # strict UTF-8
        assert all("\ufffd" in a["question"] or a["value"] == 12 for a in answers)
    assert json.loads(one.stdout)["value"] == 12 and len(batch.stdout.splitlines()) == 2


# `xxgk ask` with answer() failing on one question: that answer is an error, the batch goes on, exit 1
FAILING_ANSWER = """
import sys
import bot.answer
real = bot.answer.answer
def answer(question, store, **kw):
    if "故障" in question:
        raise RuntimeError("injected fault")
    return real(question, store, **kw)
bot.answer.answer = answer
from bot.cli import main
sys.argv = ["xxgk"] + sys.argv[1:]
main()
"""


def test_an_error_answer_exits_1_after_the_batch(facts_dir: Path) -> None:
    from tests.conftest import ROOT

    cmd = [sys.executable, "-c", FAILING_ANSWER, "--data-dir", str(facts_dir), "ask", "--json", "-"]
    proc = subprocess.run(
        cmd,
        input="故障\n夏邑县2020年收到多少政府信息公开申请？\n",
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [a["status"] for a in answers] == ["error", "answered"] and "Traceback" not in proc.stderr


# ------------------------------------------------------------------ telegram


@pytest.mark.asyncio
async def test_telegram_says_at_start_up_that_every_chat_may_ask(
    facts_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from tests.test_telegram import bot_running

    said = "no allowlist (--allowed-chats / XXGK_TELEGRAM_ALLOWED_CHATS): every chat may ask"
    caplog.set_level(logging.INFO)
    async with bot_running(facts_dir):
        pass
    assert [r.levelname for r in caplog.records if r.getMessage() == said] == ["WARNING"]
    caplog.clear()
    async with bot_running(facts_dir, allowed_chats=frozenset({101})):
        pass
    assert not any(r.getMessage() == said for r in caplog.records)
