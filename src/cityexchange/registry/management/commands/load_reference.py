from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cityexchange.core.progress import progress_bars
from cityexchange.registry.reference import load_all


class Command(BaseCommand):
    help = "Load countries, cities (GeoNames, population ≥ 15,000), sectors and languages. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--countries", default="", help="Comma-separated ISO codes; default: every member and partner country."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        countries = {c.strip().upper() for c in options["countries"].split(",") if c.strip()} or None
        started = time.perf_counter()
        with progress_bars() as bars:
            report = load_all(countries=countries, progress_factory=bars)
        elapsed = time.perf_counter() - started
        for kind in sorted(set(report.created) | set(report.updated)):
            self.stdout.write(f"{kind}: {report.created.get(kind, 0)} created, {report.updated.get(kind, 0)} updated")
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded in {elapsed:.1f} s"))
