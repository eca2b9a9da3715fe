from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cityexchange.practices.cli import add_import_arguments, run_import
from cityexchange.practices.document import json_schema
from cityexchange.practices.importer import check_rows, parse_file, practices_import


class Command(BaseCommand):
    help = (
        "Import practices from a CSV or JSON file (docs/practices.md): all or nothing, every error with its row "
        "and column, idempotent by external_id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_import_arguments(parser, "practices")

    def handle(self, *args: Any, **options: Any) -> None:
        run_import(
            self,
            options,
            parse=parse_file,
            check=check_rows,
            write=practices_import,
            schema=json_schema,
            label="practices",
        )
