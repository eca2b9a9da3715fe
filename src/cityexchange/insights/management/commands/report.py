"""`cityexchange report --year 2026 --format pdf --output report.pdf`: the annual report from public data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from cityexchange.core.errors import DomainError
from cityexchange.insights import fonts, report


class Command(BaseCommand):
    help = "Build the association's annual report (figures, map and network) as PDF or HTML."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=str, default=str(report.default_year()))
        parser.add_argument("--format", choices=report.FORMATS, default="pdf")
        parser.add_argument("--output", "-o", type=str, default="", help="File to write (default: standard output)")
        parser.add_argument("--language", default="en", help="UI language of the report (en, ru, zh-hans, ar …)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["format"] == "pdf" and not options["output"]:
            raise CommandError("A PDF needs a file: give --output report.pdf.")
        for missing in fonts.missing_fonts():
            self.stderr.write(f"warning: font {missing.family} is missing; {missing.script} text may print as boxes")
        with translation.override(options["language"]):
            try:
                built = report.build_report(options["year"], options["format"])
            except DomainError as exc:
                raise CommandError(exc.message) from exc
        if options["output"]:
            Path(options["output"]).write_bytes(built.content)
            self.stderr.write(f"{built.filename}: {len(built.content):,} bytes written to {options['output']}")
        elif built.format == "html":
            self.stdout.write(built.content.decode("utf-8"))
        else:
            raise CommandError("A PDF needs a file: give --output report.pdf.")
