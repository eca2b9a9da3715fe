"""`cityexchange backup <dir>`: the database and the uploaded files, consistent while the site runs, with a
manifest (core.backup; docs/operations.md)."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from cityexchange.core import backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files (MEDIA_ROOT) into a new or empty directory."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--no-media", action="store_true", help="Leave the uploaded files out.")

    def handle(self, *args: Any, **options: Any) -> None:
        media = None if options["no_media"] else Path(settings.MEDIA_ROOT)
        try:
            manifest = backup.backup(options["directory"], alias=options["database"], media_root=media)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        audit = manifest["audit"]
        self.stdout.write(
            f"Backup written to {options['directory']}: {manifest['engine']}, {len(manifest['tables'])} tables, "
            f"{sum(manifest['tables'].values())} rows, {manifest['media']['files']} media files; "
            f"audit log {audit['rows']} rows, head {audit['head_hash'] or '-'}"
            + ("" if audit["intact"] else f" (BROKEN at row {audit['first_broken']})")
        )
        if options["verbosity"] > 1:
            self.stdout.write(json.dumps(manifest, indent=2, sort_keys=True))
