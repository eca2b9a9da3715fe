from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cityexchange.forum.services import meeting_requests_expire


class Command(BaseCommand):
    help = "Mark unanswered forum meeting requests past their answer-by time as expired (run it hourly)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{meeting_requests_expire()} meeting requests expired.")
