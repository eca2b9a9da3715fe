from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cityexchange.practices.cli import add_export_arguments, write_output
from cityexchange.practices.importer import export_practices
from cityexchange.practices.selectors import published_practices


class Command(BaseCommand):
    help = "Export the published practices as CSV or JSON in the import format."

    def add_arguments(self, parser: CommandParser) -> None:
        add_export_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        write_output(self, export_practices(published_practices(), options["format"]), options["output"])
