"""`cityexchange audit verify`: check the audit log's hash chain and name the first row where it breaks."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from cityexchange.core import audit_chain

REASONS = {
    "content": "its content no longer matches its hash (the row was changed)",
    "link": "it does not link to the row before it (a row before it was removed or inserted, or its link edited)",
    "unchained": "it carries no hash link (written outside the application)",
    "missing": "the rows up to it are missing from the end of the log (or the chain's head was edited)",
}


class Command(BaseCommand):
    help = "Audit log tools. `verify` checks the hash chain and exits with 1 at the first broken row."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = audit_chain.verify(options["database"])
        if verdict.broken is not None:
            reason = REASONS.get(verdict.broken.reason, verdict.broken.reason)
            raise CommandError(
                f"Audit log broken at row {verdict.broken.entry_id}: {reason}. "
                f"{verdict.rows} rows before it are intact (last intact row: {verdict.head_id}, "
                f"hash {verdict.head_hash or '-'})."
            )
        self.stdout.write(
            f"Audit log intact: {verdict.rows} rows, last row {verdict.head_id}, hash {verdict.head_hash or '-'}."
        )
