"""`cityexchange restore <dir>`: put a backup back into the configured database and MEDIA_ROOT, then check every
table's row count and the audit chain against the backup's manifest. Stop the app servers and workers first."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from cityexchange.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup into the configured database (SQLITE_PATH or DATABASE_URL) and MEDIA_ROOT. Refuses a "
        "target that is not empty unless --force is given; checks row counts and the audit chain afterwards."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--force", action="store_true", help="Replace a database and media that are not empty.")
        parser.add_argument("--no-media", action="store_true", help="Leave MEDIA_ROOT alone.")

    def handle(self, *args: Any, **options: Any) -> None:
        target = backup.Database.of(options["database"])
        connections[options["database"]].close()  # nothing of ours holds the database while it is replaced
        media = None if options["no_media"] else Path(settings.MEDIA_ROOT)
        try:
            report = backup.restore(options["directory"], target, media_root=media, force=options["force"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not report.ok:
            raise CommandError("Restored, but it does not match the backup:\n  " + "\n  ".join(report.mismatches))
        audit = report.found["audit"]
        self.stdout.write(
            f"Restored {options['directory']} into {target.name}: {len(report.found['tables'])} tables and their "
            f"row counts match the backup; audit log intact, {audit['rows']} rows, head {audit['head_hash'] or '-'}."
        )
