from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cityexchange.challenges.importer import export_challenges
from cityexchange.challenges.models import Challenge
from cityexchange.practices.cli import add_export_arguments, write_output


class Command(BaseCommand):
    help = "Export all challenges (members-only ones included) as CSV or JSON in the import format."

    def add_arguments(self, parser: CommandParser) -> None:
        add_export_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        write_output(self, export_challenges(Challenge.objects.all(), options["format"]), options["output"])
