"""The scale-out path: stateless app servers (gunicorn, two workers) sharing PostgreSQL and Redis.

Runs in `make test-postgres` (DATABASE_URL and REDIS_URL set); on the embedded default it is skipped, because
there is nothing to share between processes there.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

needs_stack = pytest.mark.skipif(
    not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")), reason="needs DATABASE_URL and REDIS_URL"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def app_servers(transactional_db: None) -> Iterator[str]:
    """gunicorn with two worker processes on the test database."""
    port = _free_port()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": settings.CACHES["default"]["LOCATION"],  # this test worker's Redis database
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "cityexchange.wsgi:application"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:  # wait until the server answers (startup time, not part of what is tested)
        try:
            urllib.request.urlopen(url + "/api/v1/figures", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("gunicorn did not start: " + (proc.stderr.read().decode() if proc.stderr else ""))
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@needs_stack
def test_cache_and_sessions_are_redis_and_database_is_postgres():
    from django.core.cache import cache

    assert connection.vendor == "postgresql"
    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
    # Sessions are rows in PostgreSQL with Redis in front: a Redis restart signs nobody out.
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    cache.set("scale-out-probe", {"ok": 1}, 30)
    assert cache.get("scale-out-probe") == {"ok": 1}


@needs_stack
def test_session_and_token_work_across_worker_processes(app_servers, client, reference):
    from cityexchange.accounts.services import api_token_create
    from tests.registry.factories import UserFactory

    user = UserFactory(display_name="Scale Out")
    client.force_login(user)  # the session is written by this process (database, cached in Redis)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    _token, plain = api_token_create(actor=user, name="probe")
    # Enough requests that both gunicorn workers serve some; every one must see the same session and data.
    for _ in range(12):
        req = urllib.request.Request(app_servers + "/en/accounts/me/", headers={"Cookie": cookie})
        with urllib.request.urlopen(req, timeout=10) as response:
            assert "Scale Out" in response.read().decode()
        req = urllib.request.Request(app_servers + "/api/v1/accounts/me", headers={"Authorization": f"Bearer {plain}"})
        with urllib.request.urlopen(req, timeout=10) as response:
            assert user.email in response.read().decode()
