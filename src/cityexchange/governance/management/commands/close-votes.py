"""`cityexchange close-votes`: count every vote whose closing time has passed (run it from cron or a timer).

Reading a closed vote counts it too, so this command is what makes results (and admissions) happen without
anyone looking. It is idempotent: a vote is counted once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cityexchange.governance.services import count_due_votes


class Command(BaseCommand):
    help = "Count the votes whose closing time has passed and act on their results."

    def handle(self, *args: Any, **options: Any) -> None:
        results = count_due_votes()
        for result in results:
            self.stdout.write(f"{result.vote}: {result.get_outcome_display()} ({result.turnout}/{result.electorate})")
        self.stdout.write(f"{len(results)} vote(s) counted.")
