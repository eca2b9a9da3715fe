from __future__ import annotations

from cityexchange.challenges.importer import CHALLENGES
from cityexchange.core.content_commands import ImportCommand


class Command(ImportCommand):
    kit = CHALLENGES
    help = "Import challenges from a CSV or JSON file: all or nothing, idempotent by external_id."
