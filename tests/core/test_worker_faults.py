"""The background-task worker under operators' faults, with real worker processes: a worker killed with -9 in the
middle of a task, a PostgreSQL restart; and the order in which the queue is taken."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cityexchange.core.models import WorkerHeartbeat
from cityexchange.core.worker import reclaim_stale_tasks
from tests.core import probe_tasks
from tests.core.conftest import ROOT, wait_for


def test_a_task_left_running_by_a_killed_worker_is_finished_exactly_once_by_the_next(shared_db, tmp_path):
    held = probe_tasks.hold.enqueue(folder=str(tmp_path), name="held")
    shared_db.hand_off()
    log = tmp_path / "held.log"

    first = shared_db.worker("first")
    wait_for(lambda: log.exists() and shared_db.task(held.id)[0] == "RUNNING", "the first worker to take the task")
    first.kill()  # SIGKILL: no clean-up, the task stays RUNNING with a dead worker
    first.wait()
    assert shared_db.task(held.id) == ("RUNNING", ["first"])

    (tmp_path / "release").touch()
    second = shared_db.worker("second")
    wait_for(lambda: shared_db.task(held.id)[0] == "SUCCESSFUL", "the second worker to finish the task")
    assert shared_db.task(held.id) == ("SUCCESSFUL", ["first", "second"])
    assert log.read_text().split() == ["start", "start", "done"]  # run again once, finished once
    assert second.poll() is None, shared_db.worker_output()


needs_postgres = pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs DATABASE_URL (PostgreSQL)")


@needs_postgres
@pytest.mark.restarts_db  # the server is shared by every test running at that moment: `make test` runs this alone
def test_a_worker_survives_a_postgresql_restart_and_finishes_its_task(shared_db, tmp_path):
    held = probe_tasks.hold.enqueue(folder=str(tmp_path), name="held")
    shared_db.hand_off()
    worker = shared_db.worker("steady", lease=30)
    wait_for(lambda: shared_db.task(held.id)[0] == "RUNNING", "the worker to take the task")

    port = str(connection.settings_dict["PORT"] or 5432)
    subprocess.run(
        [sys.executable, "-W", "ignore", "-m", "cityexchange.core.embedded_pg", "restart"],
        cwd=ROOT, env={**os.environ, "EMBEDDED_PG_PORT": port}, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    connection.close()  # this test's own connection died with the server too
    (tmp_path / "release").touch()

    # The task ran through the restart; its outcome is recorded over a new connection, by the same worker.
    wait_for(lambda: shared_db.task(held.id)[0] == "SUCCESSFUL", "the held task to be recorded")
    after = probe_tasks.note.enqueue(folder=str(tmp_path), name="after")
    wait_for(lambda: shared_db.task(after.id)[0] == "SUCCESSFUL", "a task queued after the restart")
    assert worker.poll() is None, shared_db.worker_output()
    assert shared_db.task(held.id) == ("SUCCESSFUL", ["steady"])
    assert (tmp_path / "held.log").read_text().split() == ["start", "done"]


@pytest.mark.django_db(transaction=True)  # the worker's heartbeat thread writes on its own connection
def test_the_worker_takes_the_highest_priority_first(queue, tmp_path):
    from cityexchange.insights.tasks import refresh_suggestions
    from cityexchange.matching.tasks import index_practice

    assert index_practice.priority > refresh_suggestions.priority
    folder = str(tmp_path)
    probe_tasks.note.using(priority=refresh_suggestions.priority).enqueue(folder=folder, name="suggestions")
    probe_tasks.note.enqueue(folder=folder, name="mail")
    probe_tasks.note.using(priority=index_practice.priority).enqueue(folder=folder, name="index")
    call_command("worker", batch=True, startup_delay=False, interval=0, reload=False, verbosity=0)
    assert (tmp_path / "order.log").read_text().split() == ["index", "mail", "suggestions"]
    assert not WorkerHeartbeat.objects.exists()  # a worker that stopped cleanly leaves no heartbeat behind


@pytest.mark.django_db
def test_only_tasks_of_dead_workers_are_reclaimed_and_a_task_that_keeps_dying_fails(queue, tmp_path):
    now = timezone.now()
    long_ago = now - timedelta(seconds=600)
    ids = {
        name: probe_tasks.note.enqueue(folder=str(tmp_path), name=name).id
        for name in ("long-running", "orphan", "fresh", "doomed")
    }
    WorkerHeartbeat.objects.create(worker_id="alive", beat_at=now)
    WorkerHeartbeat.objects.create(worker_id="dead", beat_at=long_ago)
    WorkerHeartbeat.objects.create(worker_id="retired", beat_at=now - timedelta(days=2))
    running = DBTaskResult.objects.filter
    running(pk=ids["long-running"]).update(status="RUNNING", started_at=long_ago, worker_ids=["alive"])
    running(pk=ids["orphan"]).update(status="RUNNING", started_at=long_ago, worker_ids=["dead"])
    running(pk=ids["fresh"]).update(status="RUNNING", started_at=now, worker_ids=["unknown"])  # within its lease
    running(pk=ids["doomed"]).update(status="RUNNING", started_at=long_ago, worker_ids=["dead", "dead", "dead"])

    assert reclaim_stale_tasks(lease=300, max_attempts=3) == [ids["orphan"]]
    status = {str(pk): value for pk, value in DBTaskResult.objects.values_list("id", "status")}
    assert {name: status[pk] for name, pk in ids.items()} == {
        "long-running": "RUNNING",
        "orphan": "READY",
        "fresh": "RUNNING",
        "doomed": "FAILED",
    }
    assert reclaim_stale_tasks(lease=300, max_attempts=3) == []  # nothing twice
    assert set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == {"alive", "dead"}  # old rows go


@pytest.mark.django_db(transaction=True)
def test_a_worker_restarted_under_the_same_id_takes_up_what_its_predecessor_left_at_once(queue, tmp_path):
    left = probe_tasks.note.enqueue(folder=str(tmp_path), name="left")
    now = timezone.now()
    DBTaskResult.objects.filter(pk=left.id).update(status="RUNNING", started_at=now, worker_ids=["box-1"])
    WorkerHeartbeat.objects.create(worker_id="box-1", beat_at=now)  # the lease alone would wait 300 s
    call_command(
        "worker", batch=True, startup_delay=False, interval=0, reload=False, verbosity=0, worker_id="box-1", lease=300
    )
    assert DBTaskResult.objects.get(pk=left.id).status == "SUCCESSFUL"
    assert (tmp_path / "order.log").read_text().split() == ["left"]
