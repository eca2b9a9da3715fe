"""Every app server answers a change of the search index within seconds.

Two app-server processes (gunicorn, one worker each, on two ports, so each answer is known to come from one
process) and a task worker (`cityexchange worker`, TASKS_BACKEND=database) share one database: PostgreSQL (with
Redis) in the PostgreSQL pass, a SQLite file in the default pass. A practice is published, edited and unpublished
through the API of one server or the other; after each change both servers must answer it within
`PROPAGATION_SECONDS`, counted from the moment the change is sent.

The processes embed with the small deterministic test encoder (tests/scale/hashing_app.py; 384 dimensions, like
the model): what is under test is the way a change travels from the writer through the task queue to every
process, not the model.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from cityexchange.accounts.services import api_token_create
from cityexchange.matching import store
from cityexchange.matching.embedding import DIM, HashingEncoder
from cityexchange.practices.models import Practice
from tests.practices.factories import PracticeFactory, practice_doc
from tests.registry.factories import CityRoleFactory, UserFactory

PROPAGATION_SECONDS = 5.0
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
APP = "tests.scale.hashing_app:application"
WORKER_OPTIONS = ["--interval", "0.2", "--no-startup-delay", "--no-reload", "-v", "0"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _call(method: str, url: str, *, token: str = "", body: Any = None, timeout: float = 30) -> Any:
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


def _search(server: str, query: str) -> list[dict[str, Any]]:
    url = f"{server}/api/v1/matching/search?" + urllib.parse.urlencode({"q": query})
    hits: list[dict[str, Any]] = _call("GET", url)["results"]
    return hits


@dataclass
class Stack:
    """The processes of one test; `start` shares the test database with them."""

    tmp: Path
    servers: list[str] = field(default_factory=list)
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def _env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "TASKS_BACKEND": "database",
            "RATE_LIMITS_ENABLED": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "false",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
            "CITYEXCHANGE_VAR_DIR": str(self.tmp),
        }
        db = connection.settings_dict
        if connection.vendor == "postgresql":
            auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
            env["DATABASE_URL"] = f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
            env["REDIS_URL"] = settings.CACHES["default"]["LOCATION"]  # this test worker's Redis database
        else:
            # The test database lives in this process's memory: the processes get a file copy of it, and from
            # here on every write goes through them.
            path = self.tmp / "shared.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(path)
            connection.connection.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
            target.close()
            env.pop("DATABASE_URL", None)
            env.pop("REDIS_URL", None)
            env["SQLITE_PATH"] = str(path)
        return env

    def start(self, app_servers: int = 2) -> list[str]:
        env = self._env()
        self.procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "tests.scale.hashing_command", "worker", "--queue-name", "*", *WORKER_OPTIONS],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=(self.tmp / "worker.log").open("wb"),
            )
        )
        for n in range(app_servers):
            port = _free_port()
            self.procs.append(
                subprocess.Popen(
                    [str(BIN / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}", "--chdir", str(ROOT), APP],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=(self.tmp / f"server{n}.log").open("wb"),
                )
            )
            self.servers.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 60
        for server in self.servers:  # start-up time is not what is measured
            while True:
                try:
                    _call("GET", server + "/api/v1/figures", timeout=5)
                    break
                except OSError:
                    if time.monotonic() > deadline or any(p.poll() is not None for p in self.procs):
                        pytest.fail("the stack did not start:\n" + self.logs())
                    time.sleep(0.2)
        return self.servers

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.tmp.glob("*.log")))

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def stack(transactional_db: None, tmp_path: Path) -> Iterator[Stack]:
    store.set_encoder(HashingEncoder(dim=DIM))  # the practices seeded here are indexed as the processes would
    s = Stack(tmp_path)
    try:
        yield s
    finally:
        s.stop()
        store.set_encoder(None)


def _answered_everywhere(
    stack: Stack, sent: float, query: str, answered: Callable[[list[dict[str, Any]]], bool], what: str
) -> dict[str, float]:
    """Ask every server until each has answered the change; the seconds each took, counted from `sent`."""
    pending = list(stack.servers)
    took: dict[str, float] = {}
    while pending:
        for server in list(pending):
            if answered(_search(server, query)):
                took[server] = time.monotonic() - sent
                pending.remove(server)
        if pending and time.monotonic() - sent > PROPAGATION_SECONDS:
            pytest.fail(f"{what}: not answered within {PROPAGATION_SECONDS} s by {pending} (answered: {took})")
        if pending:
            time.sleep(0.1)  # polling interval of the deadline above, not a wait for an effect
    assert all(t <= PROPAGATION_SECONDS for t in took.values()), took
    return took


def _has(practice_id: int, term: str | None = None) -> Callable[[list[dict[str, Any]]], bool]:
    def check(hits: list[dict[str, Any]]) -> bool:
        return any(h["practice_id"] == practice_id and (term is None or term in h["passage"].lower()) for h in hits)

    return check


def test_publish_edit_unpublish_reach_every_app_server_within_5_seconds(stack, sao_paulo, kazan, reference):
    officer = CityRoleFactory(city=kazan, role="officer").user
    secretariat = UserFactory(is_secretariat=True)
    _t, officer_token = api_token_create(actor=officer, name="processes")
    _t, secretariat_token = api_token_create(actor=secretariat, name="processes")
    for n, (title, summary) in enumerate(
        [
            ("Corredores exclusivos de ônibus", "Faixas exclusivas reduziram o tempo de viagem em 30 %."),
            ("Hortas comunitárias", "Terrenos vazios viraram hortas cuidadas pelos vizinhos."),
            ("Iluminação pública LED", "Troca de 600 mil lâmpadas reduziu o consumo pela metade."),
        ]
    ):
        seeded = PracticeFactory(
            city=sao_paulo, language_id="pt", title=title, summary=summary, status=Practice.Status.PUBLISHED
        )
        assert store.index_practice(seeded.pk), n  # stored vectors the processes load at start
    a, b = stack.start()
    for server in (a, b):  # each process has built its index before the changes start
        assert any(h["title"] == "Hortas comunitárias" for h in _search(server, "hortas comunitárias"))

    # Publish: drafted and submitted by the city's officer on one server, published by the secretariat on the other.
    doc = practice_doc(
        language="en",
        title="Zephyrine night buses",
        summary="Zephyrine night buses connect the outer districts every 20 minutes.",
        problem="Night-shift workers had no way home after midnight.",
        solution="Twelve night lines timed to the shift changes of the hospitals and factories.",
    )
    created = _call("POST", f"{a}/api/v1/practices/", token=officer_token, body={**doc, "city_id": kazan.pk})
    practice_id = created["id"]
    _call("POST", f"{a}/api/v1/practices/{practice_id}/submit", token=officer_token)
    assert not any(h["practice_id"] == practice_id for s in (a, b) for h in _search(s, "zephyrine night buses"))
    sent = time.monotonic()
    _call("POST", f"{b}/api/v1/practices/{practice_id}/publish", token=secretariat_token)
    _answered_everywhere(stack, sent, "zephyrine night buses", _has(practice_id), "publish")

    # Edit: the new text is what every server matches (the passage shown comes from the index, not the row).
    doc.update(
        title="Quillwort night buses",
        summary="Quillwort night buses connect the outer districts every 15 minutes.",
    )
    sent = time.monotonic()
    _call("PUT", f"{b}/api/v1/practices/{practice_id}", token=officer_token, body=doc)
    _answered_everywhere(stack, sent, "quillwort night buses", _has(practice_id, "quillwort"), "edit")

    # Unpublish: archived by the secretariat through the first server; gone from every server's answers.
    sent = time.monotonic()
    _call("POST", f"{a}/api/v1/practices/{practice_id}/archive", token=secretariat_token)
    _answered_everywhere(stack, sent, "quillwort night buses", lambda hits: not _has(practice_id)(hits), "unpublish")

    # The worker, not a request, did the indexing, and it is still running.
    assert all(p.poll() is None for p in stack.procs), stack.logs()
