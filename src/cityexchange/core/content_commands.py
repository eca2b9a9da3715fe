"""The `import-…` and `export-…` commands of a content kit (core.content_kit): an app's command is a subclass
naming its kit. Reading the file, choosing the actor, progress and printing every error are the same for all."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, ClassVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet

from .content_kit import ContentKit, export_file, import_rows
from .errors import InvalidInput
from .progress import progress_bars


class ImportCommand(BaseCommand):
    kit: ClassVar[ContentKit]

    def add_arguments(self, parser: CommandParser) -> None:
        what = self.kit.label
        parser.add_argument("file", nargs="?", help=f"The CSV or JSON file of {what} ('-' reads standard input).")
        parser.add_argument("--format", choices=["csv", "json"], help="Default: from the file name or its content.")
        parser.add_argument("--as", dest="as_user", default="", help="E-mail of the secretariat user to act as.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")
        parser.add_argument("--schema", action="store_true", help="Print the JSON Schema of the format and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        kit, label = self.kit, self.kit.label
        if options["schema"]:
            self.stdout.write(json.dumps(kit.schema(), ensure_ascii=False, indent=2))
            return
        if not options["file"]:
            raise CommandError("Give the file to import (or --schema).")
        email = options["as_user"]
        actor = kit.actor(email)
        if actor is None:
            raise CommandError(
                f"No active secretariat user {email}."
                if email
                else "There is no secretariat user yet; pass --as EMAIL."
            )
        try:
            text, fmt = self.source(options["file"], options["format"])
            rows = kit.read(text, fmt)
            with progress_bars() as bars:
                if options["dry_run"]:
                    plans = kit.check(rows, fmt, bars(f"checking {label}", len(rows)))
                    self.stdout.write(f"{len(plans)} {label} are valid; nothing was written (--dry-run).")
                    return
                progress = bars(f"importing {label}", 2 * len(rows))
                report = import_rows(kit, actor=actor, rows=rows, fmt=fmt, progress=progress)
        except InvalidInput as exc:
            for error in getattr(exc, "errors", []):
                self.stderr.write(str(error))
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"{report.total} {label}: {report.counts()}"))

    def source(self, path: str, fmt: str | None) -> tuple[str, str]:
        """The file's text (`-`: standard input) and its format: `fmt`, else detected from its name or text."""
        if path == "-":
            raw, name = sys.stdin.buffer.read(), ""
        else:
            file = Path(path)
            if not file.is_file():
                raise CommandError(f"No such file: {path}")
            raw, name = file.read_bytes(), file.name
        text = self.kit.decode(raw)
        return text, fmt or self.kit.detect(name, text)


class ExportCommand(BaseCommand):
    kit: ClassVar[ContentKit]

    def queryset(self) -> QuerySet[Any]:
        raise NotImplementedError  # which objects the command exports

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["csv", "json"], default="json")
        parser.add_argument("-o", "--output", default="-", help="File to write ('-', the default, is standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        body = export_file(self.kit, self.queryset(), options["format"])
        if options["output"] == "-":
            self.stdout.write(body, ending="")
        else:
            Path(options["output"]).write_text(body, encoding="utf-8")
            self.stderr.write(f"Written to {options['output']}.")
