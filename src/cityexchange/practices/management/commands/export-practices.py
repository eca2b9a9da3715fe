from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cityexchange.core.content_commands import ExportCommand
from cityexchange.practices.importer import PRACTICES
from cityexchange.practices.selectors import published_practices


class Command(ExportCommand):
    kit = PRACTICES
    help = "Export the published practices as CSV or JSON in the import format."

    def queryset(self) -> QuerySet[Any]:
        return published_practices()
