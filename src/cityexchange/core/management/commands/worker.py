"""`cityexchange worker`: the background-task worker to run in production (under a supervisor, see
docs/operations.md). It takes django-tasks-db's `db_worker` options, plus a lease after which the tasks of a dead
worker are queued again; it survives database restarts (cityexchange.core.worker)."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import valid_interval

from cityexchange.core.worker import LeasedWorker


class Command(DbWorkerCommand):
    help = (
        "Run a background-task worker (TASKS_BACKEND=database): highest priority first, a heartbeat, the tasks of "
        "dead workers queued again after the lease, and no exit on a database restart."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--lease",
            type=valid_interval,
            default=None,
            help="Seconds without a heartbeat after which a RUNNING task's worker counts as dead "
            "(default: TASK_LEASE_SECONDS, 300).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        reload = options["reload"] and not options["batch"]
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        lease = options["lease"] if options["lease"] is not None else settings.TASK_LEASE_SECONDS
        if lease <= 0:
            raise CommandError("--lease must be more than 0 seconds")
        worker = LeasedWorker(
            lease=lease,
            max_attempts=settings.TASK_MAX_ATTEMPTS,
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":  # only the reloaded child handles signals
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
