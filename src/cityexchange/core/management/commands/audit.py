"""`cityexchange audit verify`: seal the committed rows not yet in the audit log's hash chain, check the chain and
name the first row where it breaks."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from cityexchange.core import audit_chain, audit_seal

GRACE_MINUTES = int(audit_chain.GRACE.total_seconds() // 60)
REASONS = {
    "content": "its content no longer matches its hash (the row was changed)",
    "link": "it does not link to the row before it (a row before it was removed or inserted, or its link edited)",
    "unchained": "it carries no hash link (written outside the application)",
    "missing": "the rows up to it are missing from the end of the log (or the chain's head was edited)",
    "unsealed": f"it was committed more than {GRACE_MINUTES} minutes ago but never sealed into the chain "
    "(run `audit verify` without --no-seal, and look in the logs for a sealer that failed)",
}


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


class Command(BaseCommand):
    help = (
        "Audit log tools. `verify` seals committed rows not yet in the hash chain (rows whose process died between "
        "its commit and the sealing), checks the chain and exits with 1 at the first broken row."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")
        parser.add_argument(
            "--no-seal",
            action="store_true",
            help="Only read (a replica, a copy kept as evidence): rows left unsealed are reported, not sealed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        using = options["database"]
        # A copy of an older version (restored, not yet migrated) has no positions: it is only read.
        if not options["no_seal"] and audit_chain.has_positions(using):
            after_id, after_hash = audit_chain.head(using)
            sealed = audit_seal.seal(using)
            if sealed.rows:
                # The head before them too: on a restored copy, the one its backup's manifest recorded.
                self.stdout.write(
                    f"Sealed {_rows(sealed.rows)} committed but not yet in the chain "
                    f"(the oldest written at {sealed.oldest_at:%Y-%m-%d %H:%M:%S %Z}), "
                    f"after row {after_id}, hash {after_hash or '-'}."
                )
        verdict = audit_chain.verify(using)
        if verdict.broken is not None:
            reason = REASONS.get(verdict.broken.reason, verdict.broken.reason)
            raise CommandError(
                f"Audit log broken at row {verdict.broken.entry_id}: {reason}. "
                f"{verdict.rows} rows before it are intact (last intact row: {verdict.head_id}, "
                f"hash {verdict.head_hash or '-'})."
            )
        pending = f" {_rows(verdict.unsealed)} not yet sealed (committed moments ago)." if verdict.unsealed else ""
        self.stdout.write(
            f"Audit log intact: {verdict.rows} rows, last row {verdict.head_id}, hash {verdict.head_hash or '-'}."
            + pending
        )
