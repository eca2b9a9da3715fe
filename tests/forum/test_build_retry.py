"""A schedule build whose worker died mid-solve is finished when its task runs again (the worker's lease)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from cityexchange.forum import services
from cityexchange.forum.models import ScheduleRun
from cityexchange.settings import TASK_BACKENDS
from tests.forum.test_scheduler import _small_forum


@pytest.mark.django_db(transaction=True)  # the worker's heartbeat thread writes on its own connection
def test_a_build_left_running_by_a_dead_worker_is_solved_when_taken_up_again(event, organiser, settings):
    settings.TASKS = {"default": {"BACKEND": TASK_BACKENDS["database"]}}
    _small_forum(event)
    run = services.schedule_build(actor=organiser, event=event, time_limit=3)
    assert run.status == ScheduleRun.Status.QUEUED
    # A first worker claimed the run and died: the run says RUNNING, the lease put its task back in the queue.
    ScheduleRun.objects.filter(pk=run.pk).update(status=ScheduleRun.Status.RUNNING)
    DBTaskResult.objects.filter(task_path__endswith="build_schedule").update(worker_ids=["dead"])
    call_command("worker", batch=True, startup_delay=False, interval=0, reload=False, verbosity=0)
    run.refresh_from_db()
    assert run.status == ScheduleRun.Status.DONE, run.error
    assert run.meetings.exists()
