from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from cityexchange.core.progress import progress_bars
from cityexchange.matching import challenge_matches, store
from cityexchange.practices.models import Practice


class Command(BaseCommand):
    help = "Rebuild the search index from the database (idempotent: unchanged practices are not re-encoded)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        total = Practice.objects.filter(status=Practice.Status.PUBLISHED).count()
        with progress_bars() as bars:
            searchable, removed = store.reindex_all(bars("practices", total))
        store.reset()
        matches = challenge_matches.rematch_all()
        self.stdout.write(f"{matches} strong challenge matches stored")
        self.stdout.write(
            self.style.SUCCESS(
                f"{searchable} practices searchable, {removed} removed from the index "
                f"in {time.perf_counter() - started:.1f} s"
            )
        )
