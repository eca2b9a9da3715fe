"""The cache may go away (a Redis restart, a network fault): a committed write still answers, its index task is
still queued, the suggestion refreshes are still coalesced, and nobody is signed out."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from cityexchange.practices.models import Practice
from cityexchange.settings import redis_cache
from tests.core.conftest import ROOT, free_port
from tests.practices.factories import PracticeFactory

pytestmark = pytest.mark.django_db

INDEX = "cityexchange.matching.tasks.index_practice"
REFRESH = "cityexchange.insights.tasks.refresh_suggestions"


def _queued(path: str) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=path))


def test_with_the_cache_unreachable_publishing_answers_and_queues_the_index_task(
    client, settings, queue, kazan, secretariat, django_capture_on_commit_callbacks, caplog
):
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{free_port()}/0")}  # nothing listens there
    practices = [PracticeFactory(city=kazan, status=Practice.Status.SUBMITTED) for _ in range(3)]
    client.force_login(secretariat)
    for practice in practices:
        with django_capture_on_commit_callbacks(execute=True):  # the after-commit work runs, as in production
            response = client.post(f"/en/practices/{practice.pk}/workflow/", {"action": "publish"})
        assert response.status_code == 302
        assert Practice.objects.get(pk=practice.pk).status == Practice.Status.PUBLISHED  # the commit stands
    indexed = sorted(task.args_kwargs["kwargs"]["practice_id"] for task in _queued(INDEX))
    assert indexed == sorted(p.pk for p in practices)  # every publish queued its indexing
    assert len(_queued(REFRESH)) == 1  # coalesced in the database, not by the (missing) cache
    assert "Exception ignored" in caplog.text  # the outage is in the log


def test_a_session_survives_a_redis_restart(client, settings, redis_server, kazan_officer):
    settings.CACHES = {"default": redis_cache(redis_server.url)}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(kazan_officer)

    def signed_in() -> bool:
        response = client.get("/en/accounts/me/")
        return response.status_code == 200 and kazan_officer.email in response.content.decode()

    assert signed_in()
    redis_server.stop()  # every key is gone with it
    assert signed_in()  # while it is down, from the database
    redis_server.start()
    assert signed_in()  # and after it is back, empty
    assert signed_in()


def test_with_redis_configured_sessions_are_in_the_database_and_cache_errors_are_misses():
    """What settings.py makes of REDIS_URL (the tests above install the same cache by hand)."""
    code = (
        "from cityexchange import settings as s; "
        "print(s.SESSION_ENGINE, s.CACHES['default']['OPTIONS']['IGNORE_EXCEPTIONS'], s.TASKS['default']['BACKEND'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "TASKS_BACKEND"}
    env.update(REDIS_URL="redis://127.0.0.1:6399/0", PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["django.contrib.sessions.backends.cached_db", "True", "django_tasks_db.DatabaseBackend"]
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")  # the tests' own choice


def test_draft_writes_queue_no_refresh_and_a_burst_of_changes_queues_one(
    queue, kazan, kazan_officer, secretariat, django_capture_on_commit_callbacks
):
    from cityexchange.practices import services
    from tests.practices.factories import practice_doc

    with django_capture_on_commit_callbacks(execute=True):
        draft = services.practice_create(actor=kazan_officer, city=kazan, data=practice_doc())
        for n in range(20):
            services.practice_update(actor=kazan_officer, practice=draft, data=practice_doc(title=f"Draft {n}"))
        services.practice_submit(actor=kazan_officer, practice=draft)
    assert _queued(REFRESH) == []  # suggestions read published practices only

    with django_capture_on_commit_callbacks(execute=True):
        services.practice_publish(actor=secretariat, practice=draft)
        for n in range(20):
            services.practice_update(actor=secretariat, practice=draft, data=practice_doc(title=f"Published {n}"))
    assert len(_queued(REFRESH)) == 1
    assert len(_queued(INDEX)) == 21  # indexing is never coalesced away: each change is indexed
