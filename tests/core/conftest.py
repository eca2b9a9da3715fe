"""Real processes against the test database: background-task workers, a private Redis server.

On PostgreSQL the workers use the test database itself (tests are transactional, so what a test writes is
committed and visible to them). On SQLite the test database lives in memory, where no other process can reach it:
after its set-up a test copies it to a file (`SharedDatabase.hand_off`) and the workers use that file.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 90.0  # seconds; worker start-up is a few seconds, a lease in these tests is 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], bool], what: str, seconds: float = DEADLINE) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds:.0f}s waiting for {what}")
        time.sleep(0.1)


class SharedDatabase:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.file = folder / "shared.sqlite3"
        self.sqlite = connection.vendor == "sqlite"
        self.workers: list[subprocess.Popen[bytes]] = []

    def hand_off(self) -> None:
        """From here on the workers' database is the truth: copy the test's SQLite database to their file."""
        if self.sqlite:
            connection.ensure_connection()
            target = sqlite3.connect(self.file)
            connection.connection.backup(target)
            target.close()

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "TASKS_BACKEND": "database",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        }
        env.pop("REDIS_URL", None)  # the workers' cache is not under test here
        if self.sqlite:
            env.pop("DATABASE_URL", None)
            env["SQLITE_PATH"] = str(self.file)
        else:
            db = connection.settings_dict
            host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
            env["DATABASE_URL"] = f"postgres://{db['USER']}@{host}/{db['NAME']}"
        return env

    def worker(self, worker_id: str, *, lease: float = 2.0) -> subprocess.Popen[bytes]:
        out = (self.folder / f"worker-{worker_id}.log").open("ab")
        proc = subprocess.Popen(
            [sys.executable, "-m", "cityexchange", "worker", "--no-reload", "--no-startup-delay",
             "--interval", "0.1", "--lease", str(lease), "--worker-id", worker_id, "-v", "2"],
            cwd=ROOT, env=self.env(), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.workers.append(proc)
        return proc

    def worker_output(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.folder.glob("worker-*.log")))

    def task(self, task_id: str) -> tuple[str, list[str]]:
        """(status, worker ids) of a task, as the workers see it."""
        if self.sqlite:
            import json
            import uuid

            with sqlite3.connect(self.file, timeout=20) as db:
                row = db.execute(
                    "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = ?",
                    (uuid.UUID(task_id).hex,),
                ).fetchone()
            return row[0], json.loads(row[1])
        from django_tasks_db.models import DBTaskResult

        found = DBTaskResult.objects.get(pk=task_id)
        return found.status, list(found.worker_ids)

    def stop(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.workers:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def queue(settings: Any) -> None:
    """Tasks enqueued by the test wait in the database queue."""
    from cityexchange.settings import TASK_BACKENDS

    settings.TASKS = {"default": {"BACKEND": TASK_BACKENDS["database"]}}


@pytest.fixture
def shared_db(transactional_db: None, queue: None, tmp_path: Path) -> Iterator[SharedDatabase]:
    shared = SharedDatabase(tmp_path)
    yield shared
    shared.stop()


class RedisServer:
    """A private redis-server without persistence: stopping it loses every key, as a restart of a cache does."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def _ping(self) -> bool:
        done = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True, check=False)
        return done.stdout.strip() == "PONG"

    def start(self) -> None:
        subprocess.run(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "yes", "--dir", str(self.folder), "--pidfile", str(self.folder / "redis.pid"),
             "--logfile", str(self.folder / "redis.log")],
            check=True,
        )  # fmt: skip
        wait_for(self._ping, "redis-server to answer", 20)

    def stop(self) -> None:
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True, check=False)
        wait_for(lambda: not self._ping(), "redis-server to stop", 20)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()
