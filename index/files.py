"""Which files are reports, how their names are printed, and reading one without trusting its size.

The names shown and stored are printable: file names in GBK bytes (unzipped Windows archives) are
decoded as GB18030, control characters (a newline in a name would forge an output line) are escaped.
A pipe, a device or a file larger than any real report is refused before it is read whole.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from ingest import ReadError

SUFFIXES = {
    ".txt",
    ".md",
    ".markdown",
    ".html",
    ".htm",
    ".shtml",
    ".xhtml",
    ".jhtml",
    ".pdf",
    ".docx",
    ".doc",
    ".wps",
    "",
}
MAX_BYTES = 20 * 1024 * 1024  # no real report is larger; a larger file is refused, not read


def shown(path: Path | str) -> str:
    """A path as it is printed and stored: always valid UTF-8, one line."""
    raw = os.fsencode(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="backslashreplace")
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")

_WHY = {
    errno.ENOENT: "no such file",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ELOOP: "symbolic link loop",
    errno.ENAMETOOLONG: "file name too long (a name may hold at most 255 bytes)",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "is a directory",
}


def why(e: OSError) -> str:
    return _WHY.get(e.errno or 0, e.strerror or type(e).__name__)


def kind_of(mode: int) -> str:
    kinds = (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def read_capped(path: Path) -> bytes:
    """The file's bytes; a pipe, a device or anything over MAX_BYTES is refused without being read whole."""
    st = path.stat()
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(f"{kind_of(st.st_mode)}, not a file")
    mb = st.st_size // 1_000_000
    too_large = ReadError(f"file too large ({mb} MB > {MAX_BYTES // 1_000_000} MB); not a single report")
    if st.st_size > MAX_BYTES:
        raise too_large
    with path.open("rb") as f:
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:  # it grew while we looked
        raise too_large
    return data
