"""`cityexchange cooperation-housekeeping`: enqueue the periodic work of the cooperation pipeline.

Cron, once a day:  `15 3 * * *  /srv/cityexchange/.venv/bin/cityexchange cooperation-housekeeping`
With TASKS_BACKEND=database the tasks run in a `worker`; with the immediate backend they run right here.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cityexchange.cooperation.tasks import expire_contact_requests, remind_stalled_cooperations


class Command(BaseCommand):
    help = "Expire unanswered contact requests and remind the cities of stalled cooperations (enqueues two tasks)."

    def handle(self, *args: Any, **options: Any) -> None:
        for t in (expire_contact_requests, remind_stalled_cooperations):
            result = t.enqueue()
            self.stdout.write(f"{t.name}: {result.id} ({result.status})")
