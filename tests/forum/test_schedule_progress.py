"""Building the meeting schedule runs as a background task; the schedule page shows its progress and result in a
status row that the page polls (htmx) while the build is queued or running."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cityexchange.core.locale_names import time_zone_name
from cityexchange.forum.models import ScheduleRun
from cityexchange.settings import TASK_BACKENDS
from tests.forum.test_scheduler import _small_forum


def page(event):
    return f"/en/forum/{event.slug}/manage/schedule/"


@pytest.mark.django_db(transaction=True)  # the worker's heartbeat thread writes on its own connection
def test_build_is_queued_then_the_page_shows_the_result_once_the_task_ran(client, event, organiser, settings):
    settings.TASKS = {"default": {"BACKEND": TASK_BACKENDS["database"]}}
    _small_forum(event)
    client.force_login(organiser)
    r = client.post(page(event), {"action": "build", "time_limit": "3"})
    assert r.status_code == 302
    run = ScheduleRun.objects.get()
    assert run.status == ScheduleRun.Status.QUEUED
    assert DBTaskResult.objects.filter(task_path__endswith="build_schedule").count() == 1  # enqueued, not run

    html = client.get(page(event)).content.decode()
    assert 'data-run-status="queued"' in html
    assert f'hx-get="{page(event)}status/"' in html and 'hx-trigger="every 2s"' in html
    assert f"({time_zone_name(event.timezone)})" in html.split('data-run-status="queued"', 1)[1].split("</div>")[0]
    assert "Schedule #1 is queued for building" in html  # the message after the click

    # A second click while the first build waits is refused, and nothing new is queued.
    r = client.post(page(event), {"action": "build", "time_limit": "3"}, follow=True)
    assert "A schedule is already being built" in r.content.decode()
    assert ScheduleRun.objects.count() == 1

    # A worker took it up: the row says for how long it has been running.
    started = timezone.now() - dt.timedelta(seconds=7)
    ScheduleRun.objects.filter(pk=run.pk).update(status=ScheduleRun.Status.RUNNING, started_at=started)
    row = client.get(page(event) + "status/").content.decode()
    assert 'data-run-status="running"' in row and re.search(r"Running for (7|8|9) s", row) and "<progress" in row
    assert 'hx-trigger="every 2s"' in row

    # The worker runs the task (as in production, from the queue): the polled row shows the figures and stops polling.
    ScheduleRun.objects.filter(pk=run.pk).update(status=ScheduleRun.Status.QUEUED, started_at=None)
    call_command("worker", batch=True, startup_delay=False, interval=0, reload=False, verbosity=0)
    run.refresh_from_db()
    assert run.status == ScheduleRun.Status.DONE, run.error
    row = client.get(page(event) + "status/").content.decode()
    assert 'data-run-status="done"' in row and "hx-trigger" not in row
    assert f"{run.stats['meetings']} of {run.stats['requests']} accepted requests placed" in row
    assert "data-show-result" in row  # the page under the row still shows the older state
    html = client.get(page(event)).content.decode()
    assert 'data-run-status="done"' in html and "data-show-result" not in html and 'data-figure="meetings"' in html


@pytest.mark.django_db
def test_a_failed_build_shows_its_reason(client, event, organiser):
    ScheduleRun.objects.create(
        event=event, number=1, status=ScheduleRun.Status.FAILED, time_limit=5, error="Delegate X has no free slot."
    )
    client.force_login(organiser)
    row = client.get(page(event) + "status/").content.decode()
    assert 'data-run-status="failed"' in row and "Delegate X has no free slot." in row and "hx-trigger" not in row


@pytest.mark.django_db
def test_only_organisers_see_the_build_status(client, event, organiser, kazan_officer):
    url = page(event) + "status/"
    assert client.get(url).status_code == 302  # to the sign-in page
    # Polled by htmx after the session ended: the whole page goes to the sign-in page, not the row.
    r = client.get(url, HTTP_HX_REQUEST="true")
    assert r.status_code == 204 and r["HX-Redirect"].startswith("/en/accounts/login/?next=")
    assert page(event) in r["HX-Redirect"].replace("%2F", "/")
    client.force_login(kazan_officer)
    assert client.get(url).status_code in (403, 404)
    client.force_login(organiser)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405
