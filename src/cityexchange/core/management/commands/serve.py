from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from cityexchange.core.secret_key import refuse_default_key_in_production


class Command(BaseCommand):
    help = (
        "Serve the platform (Django's threaded server with static files; use gunicorn in production). "
        "With TASKS_BACKEND=database, --with-worker also runs a background-task worker beside it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--with-worker", action="store_true", help="Also run `worker` for background tasks.")

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_default_key_in_production()
        worker = None
        if options["with_worker"] and "django_tasks_db" in settings.TASKS["default"]["BACKEND"]:
            # Slow work (indexing, e-mails, suggestions) then runs beside the server, not inside page requests.
            # No autoreload in the worker: its reloading parent would outlive a terminate() and orphan the worker.
            worker = subprocess.Popen(
                [sys.executable, "-m", "cityexchange", "worker", "--interval", "0.5", "--no-reload"]
            )
            self.stdout.write("Background-task worker started.")
        elif "django_tasks_db" in settings.TASKS["default"]["BACKEND"]:
            self.stdout.write("Background tasks wait in the database queue: run `cityexchange worker` beside this.")
        self.stdout.write(f"Serving on http://{options['addrport']}/  (Ctrl+C stops)")
        # A plain SIGTERM (kill, a supervisor) would end this process without stopping the worker beside it.
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        try:
            call_command("runserver", options["addrport"], use_reloader=False, insecure_serving=True)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(0)
