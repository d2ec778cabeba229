"""Paths that cannot be read, as a user meets them: each is one line naming the path and the reason,
and the run goes on to the next file. Permission cases run the CLI as an unprivileged user (root
reads everything), in a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SAMPLES, run, xxgk_unprivileged

XIAYI = SAMPLES / "003_dde6e9dcd5a2f618.txt"


def good(d: Path, name: str = "good.txt") -> Path:
    p = d / name
    p.write_bytes(XIAYI.read_bytes())
    return p


def lines(result, prefix: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [line for line in result.stderr.splitlines() if line.startswith(prefix)]


def test_each_bad_path_is_one_error_line_and_the_run_goes_on(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    os.symlink(tmp_path / "loop2.txt", loop)
    os.symlink(loop, tmp_path / "loop2.txt")
    a_file = good(tmp_path, "plain.txt")
    long_name = tmp_path / ("报" * 90 + ".txt")  # 270 bytes of UTF-8
    cases = {
        loop: "symbolic link loop",
        a_file / "inside.txt": "a part of the path is a file, not a folder",
        long_name: "file name too long (a name may hold at most 255 bytes)",
        tmp_path / "missing.txt": "no such file",
        Path("/dev/zero"): "a character device, not a file",
    }
    fine = good(tmp_path)
    result = run(tmp_path / "data", "ingest", "--no-embed", *map(str, cases), str(fine))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert lines(result, "error:") == [f"error: {p}: {why}" for p, why in cases.items()]
    assert "6 file(s): 1 added, 0 replaced, 0 unchanged, 5 rejected" in result.stdout


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    cmd = [
        sys.executable,
        "-m",
        "bot.cli",
        "--data-dir",
        str(tmp_path / "data"),
        "ingest",
        "--no-embed",
        str(fifo),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [f"error: {fifo}: a FIFO (named pipe), not a file"]


def test_a_folder_reports_what_it_cannot_read(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    good(folder)
    os.symlink(folder / "gone.txt", folder / "broken.txt")
    os.symlink(folder / "loop-b.txt", folder / "loop-a.txt")
    os.symlink(folder / "loop-a.txt", folder / "loop-b.txt")
    os.mkfifo(folder / "pipe.txt")
    os.symlink(folder, folder / "again")  # a folder link back to itself
    result = run(tmp_path / "data", "ingest", "--no-embed", str(folder))
    assert result.exit_code == 0, result.output
    assert sorted(lines(result, "warning:")) == sorted(
        [
            f"warning: {folder / 'again'}: symbolic link loop (a folder already read); skipped",
            f"warning: {folder / 'broken.txt'}: broken symbolic link; skipped",
            f"warning: {folder / 'loop-a.txt'}: symbolic link loop; skipped",
            f"warning: {folder / 'loop-b.txt'}: symbolic link loop; skipped",
            f"warning: {folder / 'pipe.txt'}: a FIFO (named pipe), not a file; skipped",
        ]
    )
    assert "1 added" in result.stdout


def test_gbk_and_control_characters_in_file_names_are_printed_safely(tmp_path: Path) -> None:
    folder = tmp_path / "unzipped"
    folder.mkdir()
    gbk = os.fsencode(folder) + b"/" + "夏邑县2020年报.txt".encode("gbk")  # a Windows zip, unpacked on Linux
    with open(gbk, "wb") as f:
        f.write(XIAYI.read_bytes())
    forged = folder / "x\nerror: forged.txt\tz.txt"
    forged.write_bytes(XIAYI.read_bytes().replace("夏邑".encode(), "虞城".encode()))
    d = tmp_path / "data"
    result = run(d, "ingest", "--no-embed", str(folder))
    assert result.exit_code == 0, result.output
    assert not any(line.startswith("error: forged") for line in result.output.splitlines())
    listing = run(d, "reports").stdout.splitlines()
    names = sorted(line.split("\t")[-1] for line in listing)
    assert names == ["x\\nerror: forged.txt\\tz.txt", "夏邑县2020年报.txt"]
    facts = run(d, "facts").stdout
    assert "x\\nerror: forged.txt\\tz.txt:" in facts and "\nerror: forged" not in facts


def test_unreadable_folders_are_errors_and_the_rest_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    (folder / "locked").mkdir(parents=True)
    good(folder / "locked")
    good(folder)
    (folder / "locked").chmod(0o000)
    closed = tmp_path / "closed"
    closed.mkdir()
    (closed / "good.txt").write_bytes(XIAYI.read_bytes().replace("夏邑".encode(), "虞城".encode()))
    closed.chmod(0o311)  # may be entered, not listed: the file given by name is read, the folder is not
    paths = [folder, closed, closed / "good.txt", folder / "locked" / "good.txt"]
    proc = xxgk_unprivileged(tmp_path / "data", "ingest", "--no-embed", *map(str, paths))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert lines(proc, "error:") == [
        f"error: {folder / 'locked'}: folder cannot be read: permission denied",
        f"error: {closed}: folder cannot be read: permission denied",
        f"error: {folder / 'locked' / 'good.txt'}: permission denied",
    ]
    assert "5 file(s): 2 added, 0 replaced, 0 unchanged, 3 rejected" in proc.stdout
    (folder / "locked").chmod(0o755)
    closed.chmod(0o755)
