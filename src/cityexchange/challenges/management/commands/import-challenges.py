from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cityexchange.challenges.document import json_schema
from cityexchange.challenges.importer import challenges_import, check_rows, parse_file
from cityexchange.practices.cli import add_import_arguments, run_import


class Command(BaseCommand):
    help = "Import challenges from a CSV or JSON file: all or nothing, idempotent by external_id."

    def add_arguments(self, parser: CommandParser) -> None:
        add_import_arguments(parser, "challenges")

    def handle(self, *args: Any, **options: Any) -> None:
        run_import(
            self,
            options,
            parse=parse_file,
            check=check_rows,
            write=challenges_import,
            schema=json_schema,
            label="challenges",
        )
