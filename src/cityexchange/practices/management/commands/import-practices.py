from __future__ import annotations

from cityexchange.core.content_commands import ImportCommand
from cityexchange.practices.importer import PRACTICES


class Command(ImportCommand):
    kit = PRACTICES
    help = (
        "Import practices from a CSV or JSON file (docs/practices.md): all or nothing, every error with its row "
        "and column, idempotent by external_id."
    )
