"""The background-task worker: django-tasks-db's worker, made to survive the faults of a real deployment.

- **A worker killed under its task** (kill -9, out of memory, a lost machine) leaves the task RUNNING. Every worker
  records a heartbeat (`WorkerHeartbeat.beat_at`, rewritten every third of the lease by a thread of its own) and,
  on its polls, returns to the queue each RUNNING task whose worker has not beaten within the lease
  (`TASK_LEASE_SECONDS`, default 300): the next worker takes it up again. Tasks are written to be idempotent, so
  running one again after a death is safe. A task taken up `TASK_MAX_ATTEMPTS` times without finishing (one that
  kills its worker every time) is marked failed instead of looping forever.
- **A database restart** never ends the worker: a connection error while polling closes the broken connection,
  waits (0.5 s doubling to 10 s) and polls again. A task whose database connection broke while it ran has an
  unknown outcome: it is queued again once the database answers.
- **Audit rows left unsealed** by a process that died between its COMMIT and the sealing (core.audit_seal) are
  sealed at the worker's start and with each reclaim.
- **Priorities**: the queue is taken highest `priority` first (then `run_after`, then the order of enqueueing) —
  the library's ordering, kept here — so indexing (priority 50) runs ahead of suggestion refreshes (0).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.utils import InterfaceError, OperationalError
from django.utils import timezone
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from . import audit_seal
from .models import WorkerHeartbeat

logger = logging.getLogger("cityexchange.worker")

# Errors of a lost or restarting database (psycopg's are wrapped into these by Django).
DATABASE_ERRORS = (OperationalError, InterfaceError)
MAX_BACKOFF = 10.0


class WorkerLost(Exception):
    """Recorded on a task given up after `TASK_MAX_ATTEMPTS` attempts that never finished."""


def _drop_connection() -> None:
    """Forget this thread's database connection: after a restart it is broken, and Django would keep using it."""
    try:
        connection.close()
    except Exception:  # closing a dead socket may complain; the connection is gone either way
        logger.debug("closing a broken database connection failed", exc_info=True)


def reclaim_stale_tasks(*, lease: float | None = None, max_attempts: int | None = None) -> list[str]:
    """Return to the queue every RUNNING task whose worker is dead: started longer than `lease` seconds ago and
    its last worker without a heartbeat within the lease. Tasks already tried `max_attempts` times are marked
    failed. Safe to run from any number of workers at once (each change is a compare-and-set on the row)."""
    lease = settings.TASK_LEASE_SECONDS if lease is None else lease
    max_attempts = settings.TASK_MAX_ATTEMPTS if max_attempts is None else max_attempts
    now = timezone.now()
    cutoff = now - timedelta(seconds=lease)
    alive = set(WorkerHeartbeat.objects.filter(beat_at__gte=cutoff).values_list("worker_id", flat=True))
    reclaimed: list[str] = []
    for row in DBTaskResult.objects.running().filter(started_at__lt=cutoff).only("id", "worker_ids", "started_at"):
        if row.worker_ids and row.worker_ids[-1] in alive:
            continue  # a long task of a live worker
        same_claim = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at)
        if len(row.worker_ids) >= max_attempts:
            changed = same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"WorkerLost: {len(row.worker_ids)} workers died or lost the database running this task",
            )
            if changed:
                logger.error("task %s failed: its worker died %d times", row.pk, len(row.worker_ids))
            continue
        if same_claim.update(status=TaskResultStatus.READY):
            logger.warning("task %s returned to the queue: worker %s is gone", row.pk, row.worker_ids[-1:])
            reclaimed.append(str(row.pk))
    # Heartbeats of workers long gone (killed, or machines retired) serve no purpose; a live one writes its row again.
    WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(seconds=lease * 12)).delete()
    return reclaimed


def release_own_tasks(worker_id: str) -> list[str]:
    """At a worker's start: tasks still RUNNING under its id were left by an earlier process with the same id
    (a supervisor restarting a worker with a fixed `--worker-id`); nothing runs them now, so they are queued again
    at once rather than after the lease (that process's heartbeat and ours are indistinguishable)."""
    released = []
    for row in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
        if row.worker_ids and row.worker_ids[-1] == worker_id:
            same_claim = DBTaskResult.objects.filter(
                pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
            )
            if same_claim.update(status=TaskResultStatus.READY):
                logger.warning("task %s returned to the queue: left by an earlier %s", row.pk, worker_id)
                released.append(str(row.pk))
    return released


def seal_audit_leftovers() -> None:
    """Seal audit rows whose process died between its COMMIT and the sealing (core.audit_seal), at the worker's
    start and with each reclaim: nothing stays out of the chain for longer than that. A failure other than the
    database's is logged, not raised: it must not stop the tasks."""
    try:
        audit_seal.seal_leftovers()
    except DATABASE_ERRORS:
        raise
    except Exception:
        logger.exception("sealing the audit log's leftover rows failed")


class Heartbeat(threading.Thread):
    """Rewrites the worker's heartbeat row every `every` seconds (on its own database connection) until stopped;
    retries every second while the database is away, so a live worker is not taken for dead after a restart."""

    def __init__(self, worker_id: str, every: float) -> None:
        super().__init__(name=f"heartbeat-{worker_id[:8]}", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.stopped = threading.Event()

    def beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"beat_at": timezone.now(), "host": socket.gethostname()[:200], "pid": os.getpid()},
        )

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                wait = self.every
                try:
                    self.beat()
                except DATABASE_ERRORS:
                    logger.warning("heartbeat of worker %s not recorded: database unavailable", self.worker_id)
                    _drop_connection()
                    wait = min(1.0, self.every)
                self.stopped.wait(wait)
        finally:
            _drop_connection()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)
        try:  # a worker that stops cleanly says so; its row would otherwise only go stale
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except DATABASE_ERRORS:
            _drop_connection()


class LeasedWorker(Worker):
    """django-tasks-db's worker with a heartbeat, reclaim of dead workers' tasks and survival of database
    restarts (see the module's docstring)."""

    def __init__(self, *, lease: float, max_attempts: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lease = lease
        self.max_attempts = max_attempts
        # Reclaiming reads the RUNNING rows: often enough that a dead worker's task waits little past its lease.
        self.reclaim_every = max(0.5, min(lease / 4, 60.0))
        self._next_reclaim = 0.0
        self._backoff = 0.5
        self._started = False

    def run(self) -> None:
        logger.info("worker %s started (lease %ss, queues %s)", self.worker_id, self.lease, ",".join(self.queue_names))
        heartbeat = Heartbeat(self.worker_id, every=max(0.2, self.lease / 3))
        heartbeat.start()
        try:
            self._loop()
        finally:
            heartbeat.stop()

    def _loop(self) -> None:
        while self.running:
            try:
                close_old_connections()
                if not self._started:
                    release_own_tasks(self.worker_id)
                    self._started = True
                self._reclaim_when_due()
                task_result, retrieved = self._claim_next()
            except DATABASE_ERRORS as exc:
                self._wait_for_database(exc)
                continue
            self._backoff = 0.5
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and retrieved and task_result is None:
                logger.info("no more tasks for worker %s", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("worker %s ran its %d tasks", self.worker_id, self._run_tasks)
                return
            if self.running and task_result is None:
                time.sleep(self.interval)

    def _reclaim_when_due(self) -> None:
        now = time.monotonic()
        if now >= self._next_reclaim:
            reclaim_stale_tasks(lease=self.lease, max_attempts=self.max_attempts)
            seal_audit_leftovers()
            self._next_reclaim = now + self.reclaim_every

    def _claim_next(self) -> tuple[DBTaskResult | None, bool]:
        """The next ready task, highest priority first, claimed for this worker (as the library's worker does)."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
        except OperationalError as exc:
            if is_locked_database_exception(exc):  # SQLite busy: another worker holds the queue; try again
                return None, False
            raise
        return task_result, True

    def _wait_for_database(self, exc: BaseException) -> None:
        logger.warning("database unavailable (%s); worker %s retries in %.1fs", exc, self.worker_id, self._backoff)
        _drop_connection()
        time.sleep(self._backoff)
        self._backoff = min(self._backoff * 2, MAX_BACKOFF)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task and record its outcome. When the database connection is lost while the task runs or while
        its outcome is recorded, the outcome is unknown: the task goes back to the queue (it is idempotent)."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = type(task.get_backend())
            task_started.send(sender=backend_type, task_result=task_result)
            try:
                if task.takes_context:
                    value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
            except DATABASE_ERRORS as exc:
                if len(db_task_result.worker_ids) >= self.max_attempts:  # not a restart: the task's own fault
                    self._record(db_task_result.set_failed, exc)
                    task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
                    return
                logger.warning("task %s lost the database (%s); it will run again", db_task_result.pk, exc)
                self._requeue(db_task_result)
                return
            except (KeyboardInterrupt, SystemExit):  # stopped by force mid-task: not the task's failure
                self.running = False
                self._requeue(db_task_result)
                raise
            except BaseException as exc:
                self._record(db_task_result.set_failed, exc)
                task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
                return
            if self._record(db_task_result.set_successful, value):
                task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _record(self, setter: Any, value: Any) -> bool:
        """Store the outcome, waiting out a database restart; False when the worker is stopping first (the task
        stays RUNNING and the lease gives it to another worker)."""
        while True:
            try:
                setter(value)
                return True
            except DATABASE_ERRORS as exc:
                if not self.running:
                    return False
                self._wait_for_database(exc)

    def _requeue(self, db_task_result: DBTaskResult) -> None:
        def put_back(_unused: object) -> None:
            DBTaskResult.objects.filter(pk=db_task_result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY
            )

        _drop_connection()
        self._record(put_back, None)
