from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Benchmarks. `bench retrieval --corpus C --queries Q --qrels R [--json]` (BEIR format, real engine); "
        "`bench feedback`: the share of recommendations users marked useful, by source and rank."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("which", choices=["retrieval", "feedback"])
        parser.add_argument("args", nargs="*")

    def run_from_argv(self, argv: list[str]) -> None:
        # Everything after the benchmark's name belongs to the benchmark's own parser.
        if len(argv) > 2 and argv[2] == "retrieval":
            from cityexchange.matching.bench_cli import main

            code = main(argv[3:])
            sys.exit(code or 0)
        super().run_from_argv(argv)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["which"] != "feedback":
            raise CommandError("usage: cityexchange bench retrieval --corpus C --queries Q --qrels R [--json]")
        from cityexchange.matching.feedback_report import feedback_report

        self.stdout.write(json.dumps(feedback_report(), indent=2))
