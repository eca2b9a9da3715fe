from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cityexchange.challenges.importer import CHALLENGES
from cityexchange.challenges.models import Challenge
from cityexchange.core.content_commands import ExportCommand


class Command(ExportCommand):
    kit = CHALLENGES
    help = "Export all challenges (members-only ones included) as CSV or JSON in the import format."

    def queryset(self) -> QuerySet[Any]:
        return Challenge.objects.all()
